/// A person's name, in the parts FHIR and the NHS record: prefixes, given names, family name, suffixes.
///
/// People have several names over time (a maiden name, a name used in daily life, a previous name), so a
/// name carries its ``use`` and the ``period`` it applied. Each part is kept as entered; for matching
/// records, use ``normalisedForMatching(_:options:)``, which folds case, accents, apostrophes and hyphens.
///
/// A name is patient data: `print(name)` shows `HumanName(<redacted>)`. Use ``displayName`` or
/// ``bannerName`` to show it on purpose.
///
/// ```swift
/// let name = try HumanName(use: .official, prefixes: ["Mrs"], given: ["Claire", "Anne"], family: "O'Neill")
/// name.displayName   // "Mrs Claire Anne O'Neill"
/// name.bannerName    // "O'NEILL, Claire Anne (Mrs)"
/// HumanName.normalisedForMatching("O’Néill-Smith")  // "ONEILL SMITH"
/// ```
public struct HumanName: Hashable, Sendable, Codable, CustomStringConvertible, CustomReflectable {
    /// What a name is used for, from FHIR R4's `name-use` code system (`http://hl7.org/fhir/name-use`).
    public enum Use: String, Hashable, Sendable, Codable, CaseIterable {
        /// The name used in daily life.
        case usual
        /// The name on official documents.
        case official
        /// A name used for a limited time.
        case temp
        /// A name the person prefers to be called by informally.
        case nickname
        /// A name used to keep the person anonymous.
        case anonymous
        /// A name no longer in use.
        case old
        /// A name used before marriage.
        case maiden
    }

    /// What the name is used for, if stated.
    public let use: Use?
    /// Titles before the name, such as `Mrs` or `Dr`.
    public let prefixes: [String]
    /// Given names in order, first name first.
    public let given: [String]
    /// The family name (surname), if the person has one.
    public let family: String?
    /// Parts after the name, such as `MBE`.
    public let suffixes: [String]
    /// When the name applied, if known.
    public let period: Period?

    /// Creates a name, checking that it names someone.
    ///
    /// Every part must be non-empty, free of control characters and without leading or trailing white
    /// space; at least one given name or a family name is required.
    ///
    /// - Parameters:
    ///   - use: What the name is used for.
    ///   - prefixes: Titles before the name.
    ///   - given: Given names, first name first.
    ///   - family: The family name.
    ///   - suffixes: Parts after the name.
    ///   - period: When the name applied.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/empty`` (no name at all, or an empty part) or
    ///   ``CareCoreError/Code/invalidFormat``, naming the part.
    public init(
        use: Use? = nil,
        prefixes: [String] = [],
        given: [String] = [],
        family: String? = nil,
        suffixes: [String] = [],
        period: Period? = nil
    ) throws(CareCoreError) {
        guard !given.isEmpty || family != nil else {
            throw CareCoreError(
                .empty,
                field: FieldPath("name"),
                reason: "a name needs at least a given name or a family name"
            )
        }
        for (index, part) in prefixes.enumerated() {
            try TextRules.validatePart(part, field: FieldPath("name.prefixes").appending(index: index))
        }
        for (index, part) in given.enumerated() {
            try TextRules.validatePart(part, field: FieldPath("name.given").appending(index: index))
        }
        if let family { try TextRules.validatePart(family, field: FieldPath("name.family")) }
        for (index, part) in suffixes.enumerated() {
            try TextRules.validatePart(part, field: FieldPath("name.suffixes").appending(index: index))
        }
        self.use = use
        self.prefixes = prefixes
        self.given = given
        self.family = family
        self.suffixes = suffixes
        self.period = period
    }

    /// The name as people write it: prefixes, given names, family name and suffixes separated by spaces.
    public var displayName: String {
        (prefixes + given + [family].compactMap { $0 } + suffixes).joined(separator: " ")
    }

    /// The name in the NHS patient-banner form: family name in capitals, a comma, given names, and the
    /// title in brackets, such as `O'NEILL, Claire Anne (Mrs)`.
    public var bannerName: String {
        var parts: [String] = []
        if let family { parts.append(family.uppercased() + (given.isEmpty ? "" : ",")) }
        parts.append(contentsOf: given)
        if !prefixes.isEmpty { parts.append("(" + prefixes.joined(separator: " ") + ")") }
        return parts.joined(separator: " ")
    }

    /// Always `HumanName(<redacted>)`: a name is patient data.
    public var description: String { "HumanName(<redacted>)" }

    /// A mirror that hides the name's parts from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(self, children: ["use": use as Any], displayStyle: .struct)
    }
}

extension HumanName {
    /// Decodes a name and validates it as ``init(use:prefixes:given:family:suffixes:period:)`` does.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a key is of the wrong type or the name is not valid.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let use = try container.decodeIfPresent(Use.self, forKey: .use)
        let prefixes = try container.decodeIfPresent([String].self, forKey: .prefixes) ?? []
        let given = try container.decodeIfPresent([String].self, forKey: .given) ?? []
        let family = try container.decodeIfPresent(String.self, forKey: .family)
        let suffixes = try container.decodeIfPresent([String].self, forKey: .suffixes) ?? []
        let period = try container.decodeIfPresent(Period.self, forKey: .period)
        self = try decoder.validated { () throws(CareCoreError) in
            try HumanName(
                use: use,
                prefixes: prefixes,
                given: given,
                family: family,
                suffixes: suffixes,
                period: period
            )
        }
    }
}
