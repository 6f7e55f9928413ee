/// A code from a code system, with the system's version and a display text when known.
///
/// Two codings mean the same concept when their ``system`` and ``code`` agree; ``isSameConcept(as:)``
/// compares exactly that and ignores display text, which varies between releases and systems.
///
/// ```swift
/// let heartRate = try Coding(system: .loinc, code: "8867-4", display: "Heart rate")
/// ```
public struct Coding: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The code system.
    public let system: CodeSystem
    /// The version of the code system, when it matters (for example a SNOMED CT edition).
    public let version: String?
    /// The code, exactly as the system defines it.
    public let code: String
    /// The system's display text for the code, if known.
    public let display: String?

    /// Creates a coding, checking that the code is usable text.
    ///
    /// FHIR's `code` type allows no leading or trailing white space and no two white-space characters together;
    /// the same rule applies here, and control characters other than white space are refused as in any FHIR
    /// string.
    ///
    /// - Parameters:
    ///   - system: The code system.
    ///   - version: The code system's version, if it matters.
    ///   - code: The code.
    ///   - display: The display text, if known.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/empty`` or ``CareCoreError/Code/invalidFormat``.
    public init(system: CodeSystem, version: String? = nil, code: String, display: String? = nil) throws(CareCoreError)
    {
        try Self.validate(code: code)
        self.system = system
        self.version = version
        self.code = code
        self.display = display
    }

    /// Creates a coding from constants known to be valid, for the library's own tables.
    package init(unchecked system: CodeSystem, _ code: String, _ display: String?) {
        self.system = system
        self.version = nil
        self.code = code
        self.display = display
    }

    /// Whether another coding names the same concept: the same system and code.
    ///
    /// - Parameter other: The coding to compare with.
    /// - Returns: `true` when system and code agree, whatever the display text and version.
    public func isSameConcept(as other: Coding) -> Bool {
        system == other.system && code == other.code
    }

    /// The coding as `system|code`, the FHIR search token form.
    public var description: String { "\(system)|\(code)" }

    private static func validate(code: String) throws(CareCoreError) {
        let field = FieldPath("coding.code")
        guard !code.isEmpty else {
            throw CareCoreError(.empty, field: field, reason: "a code must not be empty")
        }
        // FHIR R4 `code`: ^[^\s]+(\s[^\s]+)*$, and FHIR strings allow no control characters but tab, CR and LF.
        var previousWasSpace = true  // so that leading white space is caught
        for scalar in code.unicodeScalars {
            let isSpace = scalar.properties.isWhitespace
            if isSpace && previousWasSpace {
                throw CareCoreError(
                    .invalidFormat,
                    field: field,
                    reason: "a code must not start with white space or contain two white-space characters together"
                )
            }
            if !isSpace && scalar.properties.generalCategory == .control {
                throw CareCoreError(.invalidFormat, field: field, reason: "a code must not contain control characters")
            }
            previousWasSpace = isSpace
        }
        if previousWasSpace {
            throw CareCoreError(.invalidFormat, field: field, reason: "a code must not end with white space")
        }
    }
}

extension Coding {
    /// Decodes a coding and validates its code as ``init(system:version:code:display:)`` does.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a key is missing or of the wrong type, or when the code is not usable.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let system = try container.decode(CodeSystem.self, forKey: .system)
        let version = try container.decodeIfPresent(String.self, forKey: .version)
        let code = try container.decode(String.self, forKey: .code)
        let display = try container.decodeIfPresent(String.self, forKey: .display)
        self = try decoder.validated { () throws(CareCoreError) in
            try Coding(system: system, version: version, code: code, display: display)
        }
    }
}
