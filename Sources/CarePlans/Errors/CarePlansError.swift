public import CareCore

/// The error type of CarePlans: a code, the field at fault and a reason, never patient data.
public struct CarePlansError: CareError, Hashable {
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
        /// A plan, goal or version that the operation names does not exist.
        public static let notFound = Code(rawValue: "not-found")
        /// The plan lifecycle does not allow this change of status.
        public static let invalidTransition = Code(rawValue: "invalid-transition")
        /// The caller's version of the plan is not the current one: someone else changed it first.
        public static let versionConflict = Code(rawValue: "version-conflict")
        /// The plan's status does not allow this change (a completed plan cannot be edited, for example).
        public static let notEditable = Code(rawValue: "not-editable")
        /// The person may not make this change directly: it touches a clinical section, so propose it instead.
        public static let notPermitted = Code(rawValue: "not-permitted")
        /// The storage behind the registry failed; nothing was changed.
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
