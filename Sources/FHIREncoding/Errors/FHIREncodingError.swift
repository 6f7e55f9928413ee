public import CareCore

/// The error type of FHIREncoding: a code, the JSON path at fault, a reason, and where the input allows,
/// the byte offset and the line; never patient data and never the value that was refused.
///
/// A resource that fails validation throws ``Code-swift.struct/invalidResource`` with every
/// ``FHIRIssue`` found in ``issues``, so a caller can show them all or turn them into an
/// `OperationOutcome` with ``FHIRValidationReport``.
///
/// ```swift
/// do {
///     _ = try JSONReader().read(Array(#"{"name": [1, }"#.utf8))
/// } catch {
///     print(error)  // invalid-json at name[1] (byte 13): expected a value
/// }
/// ```
public struct FHIREncodingError: CareError, Hashable {
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

        /// The input is not JSON as RFC 8259 defines it, or not UTF-8.
        public static let invalidJSON = Code(rawValue: "invalid-json")
        /// The input exceeds a configured limit on size, depth or string length.
        public static let limitExceeded = Code(rawValue: "limit-exceeded")
        /// The JSON is not a valid FHIR R4 resource; ``FHIREncodingError/issues`` says why.
        public static let invalidResource = Code(rawValue: "invalid-resource")
        /// A file or stream could not be read or written.
        public static let io = Code(rawValue: "io")

        /// The code's stable text.
        public var description: String { rawValue }
    }

    /// What kind of fault this is.
    public let code: Code
    /// Where the fault is: the JSON path from the document's root.
    public let field: FieldPath
    /// The library's explanation, free of patient data.
    public let reason: String
    /// The zero-based byte offset in the input where the fault was found, for JSON syntax faults.
    public let byteOffset: Int?
    /// The one-based line of a line-oriented input (an NDJSON file), if the fault is in one.
    public let line: Int?
    /// The validation issues, for ``Code-swift.struct/invalidResource``; empty otherwise.
    public let issues: [FHIRIssue]

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of fault this is.
    ///   - field: Where the fault is.
    ///   - reason: A fixed explanation that never contains patient data.
    ///   - byteOffset: The zero-based byte offset of the fault, if known.
    ///   - line: The one-based line of a line-oriented input, if the fault is in one.
    ///   - issues: The validation issues, for an invalid resource.
    public init(
        _ code: Code,
        field: FieldPath,
        reason: String,
        byteOffset: Int? = nil,
        line: Int? = nil,
        issues: [FHIRIssue] = []
    ) {
        self.code = code
        self.field = field
        self.reason = reason
        self.byteOffset = byteOffset
        self.line = line
        self.issues = issues
    }

    /// The same error, placed on a line of a line-oriented input.
    ///
    /// - Parameter line: The one-based line number.
    /// - Returns: The error with its line set.
    public func onLine(_ line: Int) -> FHIREncodingError {
        FHIREncodingError(code, field: field, reason: reason, byteOffset: byteOffset, line: line, issues: issues)
    }

    /// The code's stable text, such as `invalid-json`: what `CareError.codeText` gives to code that handles errors of
    /// several modules alike.
    public var codeText: String { code.rawValue }

    /// The error as one line: the line (for line-oriented input), the code, the path, the byte offset and
    /// the reason.
    public var description: String {
        var text = "\(code) at \(field)"
        if let byteOffset { text += " (byte \(byteOffset))" }
        text += ": \(reason)"
        guard let line else { return text }
        return "line \(line): \(text)"
    }
}
