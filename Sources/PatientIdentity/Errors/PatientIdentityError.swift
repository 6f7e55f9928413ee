public import CareCore

/// The error type of PatientIdentity: a code, the field at fault and a reason, never the offending value.
///
/// Identity data is the most sensitive data the suite handles, so the rule of `CareError` (in CareCore) applies with
/// full force: an error says "not a valid NHS number: the check digit does not match", never which number.
public struct PatientIdentityError: CareError, Hashable {
    /// What kind of fault this is. New codes may be added in any release.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's stable text.
        public let rawValue: String

        /// Creates a code from its stable text.
        ///
        /// - Parameter rawValue: The code's text.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The value is empty where text was required.
        public static let empty = Code(rawValue: "empty")
        /// The text does not have the required layout (length, grouping, characters).
        public static let invalidFormat = Code(rawValue: "invalid-format")
        /// The NHS number's check digit does not match its first nine digits.
        public static let checkDigitMismatch = Code(rawValue: "check-digit-mismatch")
        /// The first nine digits of an NHS number have no valid check digit (Modulus 11 gives 10).
        public static let noValidCheckDigit = Code(rawValue: "no-valid-check-digit")
        /// The number is a repeated digit, such as `0000000000` or `9999999999`, which tracing services use
        /// as sentinels for "no match" and "several matches".
        public static let sentinel = Code(rawValue: "sentinel")
        /// Two values contradict each other, or an operation would contradict recorded facts.
        public static let inconsistent = Code(rawValue: "inconsistent")
        /// A record, person or link that the operation names does not exist.
        public static let notFound = Code(rawValue: "not-found")
        /// A parameter is outside its allowed range.
        public static let outOfRange = Code(rawValue: "out-of-range")

        /// The code's stable text.
        public var description: String { rawValue }
    }

    /// What kind of fault this is.
    public let code: Code
    /// Where the fault is.
    public let field: FieldPath
    /// The library's explanation, free of patient data.
    public let reason: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of fault this is.
    ///   - field: Where the fault is.
    ///   - reason: A fixed explanation that never contains the offending value or other patient data.
    public init(_ code: Code, field: FieldPath, reason: String) {
        self.code = code
        self.field = field
        self.reason = reason
    }

    /// The code's stable text, such as `not-found`: what `CareError.codeText` gives to code that handles errors of
    /// several modules alike.
    public var codeText: String { code.rawValue }

    /// The error as one line: the field and the reason.
    public var description: String { "\(field): \(reason)" }
}
