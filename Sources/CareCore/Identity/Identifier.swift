/// A business identifier issued by an organisation: an NHS number, a hospital number, a social care id.
///
/// An identifier is a value in a namespace (its ``system``), optionally with the organisation that
/// assigned it. A person usually has several: one NHS number and a local number at each organisation that
/// has seen them. It is not the suite's own record key; that is an ``EntityID``.
///
/// The value may be patient data (an NHS number is), so the description shows the system and hides the
/// value. Read ``value`` explicitly when it is needed.
///
/// ```swift
/// let mrn = try Identifier(
///     system: IdentifierSystem(rawValue: "https://fhir.royalcornwall.nhs.uk/Id/mrn"),
///     value: "K1234567",
///     assigner: ODSCode(parsing: "REF")
/// )
/// ```
public struct Identifier: Hashable, Sendable, Codable, CustomStringConvertible, CustomReflectable {
    /// How an identifier is meant to be used, from FHIR R4's `identifier-use` code system
    /// (`http://hl7.org/fhir/identifier-use`).
    public enum Use: String, Hashable, Sendable, Codable, CaseIterable {
        /// The identifier recommended for display and use in real-world interactions.
        case usual
        /// The identifier considered most trusted for the identification of this item.
        case official
        /// A temporary identifier.
        case temp
        /// An identifier assigned in secondary use, such as a research or audit id.
        case secondary
        /// An identifier that is no longer to be used.
        case old
    }

    /// The namespace of the value.
    public let system: IdentifierSystem
    /// The identifier's value within its system.
    public let value: String
    /// The organisation that assigned the value, when it is not implied by the system.
    public let assigner: ODSCode?
    /// How the identifier is meant to be used, if stated.
    public let use: Use?
    /// When the identifier was or is valid, if stated.
    public let period: Period?

    /// Creates an identifier, checking that the value is usable text.
    ///
    /// The value must be non-empty and free of control characters and of leading or trailing white space.
    /// Checks particular to a system (the NHS number's check digit) belong to the module that owns it.
    ///
    /// - Parameters:
    ///   - system: The namespace of the value.
    ///   - value: The value.
    ///   - assigner: The assigning organisation, if any.
    ///   - use: How the identifier is meant to be used, if stated.
    ///   - period: When the identifier is valid, if stated.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/empty`` or ``CareCoreError/Code/invalidFormat``.
    public init(
        system: IdentifierSystem,
        value: String,
        assigner: ODSCode? = nil,
        use: Use? = nil,
        period: Period? = nil
    ) throws(CareCoreError) {
        try TextRules.validatePart(value, field: FieldPath("identifier.value"))
        self.system = system
        self.value = value
        self.assigner = assigner
        self.use = use
        self.period = period
    }

    /// Creates an identifier from parts the caller has already validated, for the suite's own modules.
    package init(
        unchecked system: IdentifierSystem,
        value: String,
        assigner: ODSCode? = nil,
        use: Use? = nil,
        period: Period? = nil
    ) {
        self.system = system
        self.value = value
        self.assigner = assigner
        self.use = use
        self.period = period
    }

    /// Whether another identifier names the same thing: same system, same value, and the same assigner
    /// where both state one. Use and period are ignored.
    ///
    /// - Parameter other: The identifier to compare with.
    /// - Returns: `true` when both identify the same thing.
    public func identifiesSameThing(as other: Identifier) -> Bool {
        guard system == other.system, value == other.value else { return false }
        if let assigner, let otherAssigner = other.assigner { return assigner == otherAssigner }
        return true
    }

    /// The system and assigner, with the value hidden.
    public var description: String {
        var text = "Identifier(system: \(system), value: <redacted>"
        if let assigner { text += ", assigner: \(assigner)" }
        return text + ")"
    }

    /// A mirror that hides the value from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["system": system, "value": Redacted(value), "assigner": assigner as Any],
            displayStyle: .struct
        )
    }
}

extension Identifier {
    /// Decodes an identifier and validates it as ``init(system:value:assigner:use:period:)`` does.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a key is missing or of the wrong type, or when the value is not usable.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let system = try container.decode(IdentifierSystem.self, forKey: .system)
        let value = try container.decode(String.self, forKey: .value)
        let assigner = try container.decodeIfPresent(ODSCode.self, forKey: .assigner)
        let use = try container.decodeIfPresent(Use.self, forKey: .use)
        let period = try container.decodeIfPresent(Period.self, forKey: .period)
        self = try decoder.validated { () throws(CareCoreError) in
            try Identifier(system: system, value: value, assigner: assigner, use: use, period: period)
        }
    }
}
