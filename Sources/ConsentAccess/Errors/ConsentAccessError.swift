public import CareCore

/// The error type of ConsentAccess: a code, the field at fault and a reason, never patient data.
public struct ConsentAccessError: CareError, Hashable {
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

        /// A value is malformed, missing or outside its allowed range.
        public static let invalidValue = Code(rawValue: "invalid-value")
        /// A role or activity code does not have the NHS RBAC form.
        public static let invalidCode = Code(rawValue: "invalid-code")
        /// A document (a CIS2 userinfo response, a catalogue file) is not in the expected shape.
        public static let malformedDocument = Code(rawValue: "malformed-document")
        /// A role profile, grant or record that the operation names does not exist.
        public static let notFound = Code(rawValue: "not-found")
        /// The caller may not do this: break-glass without the emergency-access activity, for example.
        public static let notPermitted = Code(rawValue: "not-permitted")
        /// The storage behind the audit log failed; nothing was appended.
        public static let storageFailure = Code(rawValue: "storage-failure")

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
    ///   - reason: A fixed explanation that never contains patient data.
    public init(_ code: Code, field: FieldPath, reason: String) {
        self.code = code
        self.field = field
        self.reason = reason
    }

    /// The code's stable text, such as `not-found`: what `CareError.codeText` gives to code that handles errors of
    /// several modules alike.
    public var codeText: String { code.rawValue }

    /// The error as one line: the code, the field and the reason.
    public var description: String { "\(code) at \(field): \(reason)" }
}

extension ConsentAccessError {
    /// Runs a CareCore parse and reports its failure as an invalid value at `field`.
    static func parsing<Value>(
        at field: FieldPath,
        _ body: () throws(CareCoreError) -> Value
    ) throws(ConsentAccessError) -> Value {
        do {
            return try body()
        } catch {
            throw ConsentAccessError(.invalidValue, field: field, reason: error.reason)
        }
    }
}
