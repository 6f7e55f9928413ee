/// The error type of CareCore: a code, the field at fault, a reason, and for text inputs the position.
///
/// The ``reason`` is always one of the library's own sentences; the value that failed is never part of
/// the error, so an error can be logged or displayed without disclosing patient data (see ``CareError``).
///
/// ```swift
/// do {
///     _ = try Postcode(parsing: input)
/// } catch {
///     print(error)  // postcode: the inward code must be a digit and two letters
/// }
/// ```
public struct CareCoreError: CareError, Hashable {
    /// What kind of fault this is. New codes may be added in any release.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's stable text, such as `invalid-format`.
        public let rawValue: String

        /// Creates a code from its stable text.
        ///
        /// - Parameter rawValue: The code's text.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The value is empty where text was required.
        public static let empty = Code(rawValue: "empty")
        /// The text does not have the required form.
        public static let invalidFormat = Code(rawValue: "invalid-format")
        /// The value has the right form but lies outside the allowed range (a 31st of April, hour 25).
        public static let outOfRange = Code(rawValue: "out-of-range")
        /// Two parts of a value contradict each other (a period that ends before it starts).
        public static let inconsistent = Code(rawValue: "inconsistent")
        /// A local time that the clock skips when it goes forward, such as 01:30 on 29 March 2026 in London.
        public static let nonexistentLocalTime = Code(rawValue: "nonexistent-local-time")
        /// A local time that occurs twice when the clock goes back, such as 01:30 on 25 October 2026 in London.
        public static let ambiguousLocalTime = Code(rawValue: "ambiguous-local-time")
        /// The system's time-zone database has no rules for the zone the suite needs.
        public static let timeZoneUnavailable = Code(rawValue: "time-zone-unavailable")
        /// A size, length or count limit set by the caller was exceeded.
        public static let limitExceeded = Code(rawValue: "limit-exceeded")
        /// A quoted CSV field was still open at the end of the input.
        public static let unterminatedQuote = Code(rawValue: "unterminated-quote")
        /// A quote character appeared where RFC 4180 does not allow one.
        public static let unexpectedQuote = Code(rawValue: "unexpected-quote")
        /// A record did not have the number of fields the header promised.
        public static let fieldCountMismatch = Code(rawValue: "field-count-mismatch")
        /// The bytes are not valid UTF-8.
        public static let invalidEncoding = Code(rawValue: "invalid-encoding")
        /// A column or field that the caller asked for is not present.
        public static let missing = Code(rawValue: "missing")

        /// The code's stable text.
        public var description: String { rawValue }
    }

    /// What kind of fault this is.
    public let code: Code
    /// Where in the value the fault is.
    public let field: FieldPath
    /// The library's explanation, free of patient data.
    public let reason: String
    /// For errors found while reading text (such as a CSV file), where in the text the fault is.
    public let position: TextPosition?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of fault this is.
    ///   - field: Where in the value the fault is.
    ///   - reason: A fixed explanation. It must never contain the offending value or any other patient data.
    ///   - position: Where in a text input the fault is, if the input was text.
    public init(_ code: Code, field: FieldPath, reason: String, position: TextPosition? = nil) {
        self.code = code
        self.field = field
        self.reason = reason
        self.position = position
    }

    /// Returns the same error placed under an outer path, for errors found inside nested values.
    ///
    /// - Parameter outer: The path of the nested value inside the outer one.
    /// - Returns: The error with its field prefixed by `outer`.
    public func nested(under outer: FieldPath) -> CareCoreError {
        CareCoreError(code, field: outer.appending(field), reason: reason, position: position)
    }

    /// The code's stable text, such as `invalid-format`: what ``CareError/codeText`` gives to code that handles errors of
    /// several modules alike.
    public var codeText: String { code.rawValue }

    /// The error as one line: the field, the reason and, for text input, the position.
    public var description: String {
        var text = "\(field): \(reason)"
        if let position { text += " (\(position))" }
        return text
    }
}
