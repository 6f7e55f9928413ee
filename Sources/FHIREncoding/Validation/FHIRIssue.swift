/// One finding of validation, shaped like an `OperationOutcome.issue`: a severity, an issue-type code,
/// a FHIRPath-like location and a diagnostic that never repeats the value it is about.
///
/// ```swift
/// let issues = FHIRValidator().validate(try JSONReader().read(Array(#"{"resourceType":"Patient","gender":"F"}"#.utf8)))
/// print(issues[0])  // error code-invalid at Patient.gender: the code is not in the value set the element requires
/// ```
public struct FHIRIssue: Hashable, Sendable, CustomStringConvertible {
    /// How serious an issue is (`http://hl7.org/fhir/issue-severity`).
    public enum Severity: String, Hashable, Sendable, CaseIterable, Comparable {
        /// The input could not be read at all.
        case fatal
        /// The input breaks a rule; it is not valid.
        case error
        /// Worth knowing, but the input is still valid: lenient mode reports what it tolerated this way.
        case warning
        /// For information only.
        case information

        /// Orders by seriousness: `fatal` first.
        ///
        /// - Parameters:
        ///   - lhs: A severity.
        ///   - rhs: Another severity.
        /// - Returns: `true` when `lhs` is more serious than `rhs`.
        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
        }
    }

    /// The kind of issue, from `http://hl7.org/fhir/issue-type`. New codes may be added in any release.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's text, as FHIR spells it.
        public let rawValue: String

        /// Creates a code from its text.
        ///
        /// - Parameter rawValue: The code, as FHIR spells it.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The structure is wrong: an unknown element, `null`, an empty array or object, an array where a
        /// single value belongs, two variants of one choice element.
        public static let structure = Code(rawValue: "structure")
        /// A required element is missing.
        public static let required = Code(rawValue: "required")
        /// A primitive value is badly formed or out of range.
        public static let value = Code(rawValue: "value")
        /// A code is not in the value set its element is bound to with required strength.
        public static let codeInvalid = Code(rawValue: "code-invalid")
        /// A business rule failed, such as an NHS number's check digit.
        public static let businessRule = Code(rawValue: "business-rule")
        /// The content could not be parsed as JSON.
        public static let invalid = Code(rawValue: "invalid")
        /// A configured limit was exceeded.
        public static let tooLong = Code(rawValue: "too-long")

        /// The code's text.
        public var description: String { rawValue }
    }

    /// How serious the issue is.
    public let severity: Severity
    /// The kind of issue.
    public let code: Code
    /// Where it is, as a FHIRPath-like expression such as `Patient.name[0].given[1]`.
    public let location: String
    /// What is wrong, in words that never repeat patient data.
    public let diagnostics: String

    /// Creates an issue.
    ///
    /// - Parameters:
    ///   - severity: How serious it is.
    ///   - code: The kind of issue.
    ///   - location: Where it is.
    ///   - diagnostics: What is wrong, without the value.
    public init(severity: Severity, code: Code, location: String, diagnostics: String) {
        self.severity = severity
        self.code = code
        self.location = location
        self.diagnostics = diagnostics
    }

    /// Whether ``location`` is a FHIRPath expression: rooted at a resource type and free of placeholders.
    var isFHIRPath: Bool {
        guard severity != .fatal, let first = location.unicodeScalars.first, ("A"..."Z").contains(first) else {
            return false
        }
        return !location.contains("(") && !location.contains("[x]")
    }

    /// Whether the issue makes the input invalid: `fatal` or `error`.
    public var isFailure: Bool { severity <= .error }

    /// The issue as one line: severity, code, location and diagnostics.
    public var description: String {
        "\(severity.rawValue) \(code) at \(location): \(diagnostics)"
    }
}
