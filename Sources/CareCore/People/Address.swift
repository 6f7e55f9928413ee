/// A postal or physical address in the UK form, with its use and the period it applied.
///
/// People move, and records keep where they lived and when: an address carries its ``use`` (home, work,
/// temporary, old) and ``period``. The postcode is validated (see ``Postcode``); the other lines are kept
/// as entered. An address is patient data, so the description hides it.
public struct Address: Hashable, Sendable, Codable, CustomStringConvertible, CustomReflectable {
    /// What an address is used for, from FHIR R4's `address-use` code system (`http://hl7.org/fhir/address-use`).
    public enum Use: String, Hashable, Sendable, Codable, CaseIterable {
        /// A home address.
        case home
        /// An office or work address.
        case work
        /// A temporary address, such as a holiday let or a relative's home during recovery.
        case temp
        /// An address no longer in use.
        case old
        /// An address for invoices and payments.
        case billing
    }

    /// Whether an address is for post, for visits or both, from FHIR R4's `address-type` code system
    /// (`http://hl7.org/fhir/address-type`).
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A mailing address, such as a PO box.
        case postal
        /// A place that can be visited.
        case physical
        /// Both a mailing address and a place to visit.
        case both
    }

    /// What the address is used for, if stated.
    public let use: Use?
    /// Whether the address is for post, visits or both, if stated.
    public let kind: Kind?
    /// The street lines, first line first (house and street, then locality).
    public let lines: [String]
    /// The post town or city.
    public let city: String?
    /// The county or district.
    public let district: String?
    /// The postcode, validated.
    public let postcode: Postcode?
    /// The country, when outside or stated beyond the UK.
    public let country: String?
    /// When the address applied, if known.
    public let period: Period?

    /// Creates an address, checking that it says something and that each line is usable text.
    ///
    /// - Parameters:
    ///   - use: What the address is used for.
    ///   - kind: Whether it is for post, visits or both.
    ///   - lines: The street lines.
    ///   - city: The post town or city.
    ///   - district: The county or district.
    ///   - postcode: The postcode.
    ///   - country: The country.
    ///   - period: When the address applied.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/empty`` (no part at all, or an empty line) or
    ///   ``CareCoreError/Code/invalidFormat`` (surrounding white space or control characters), naming the part.
    public init(
        use: Use? = nil,
        kind: Kind? = nil,
        lines: [String] = [],
        city: String? = nil,
        district: String? = nil,
        postcode: Postcode? = nil,
        country: String? = nil,
        period: Period? = nil
    ) throws(CareCoreError) {
        guard !lines.isEmpty || city != nil || district != nil || postcode != nil || country != nil else {
            throw CareCoreError(.empty, field: FieldPath("address"), reason: "an address needs at least one part")
        }
        for (index, line) in lines.enumerated() {
            try TextRules.validatePart(line, field: FieldPath("address.lines").appending(index: index))
        }
        if let city { try TextRules.validatePart(city, field: FieldPath("address.city")) }
        if let district { try TextRules.validatePart(district, field: FieldPath("address.district")) }
        if let country { try TextRules.validatePart(country, field: FieldPath("address.country")) }
        self.use = use
        self.kind = kind
        self.lines = lines
        self.city = city
        self.district = district
        self.postcode = postcode
        self.country = country
        self.period = period
    }

    /// The address as lines for a letter: street lines, town, county, postcode and country, skipping absent parts.
    public var postalLines: [String] {
        lines + [city, district, postcode?.formatted, country].compactMap { $0 }
    }

    /// Always `Address(<redacted>)`: an address is patient data.
    public var description: String { "Address(<redacted>)" }

    /// A mirror that hides the address from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["use": use as Any, "kind": kind as Any],
            displayStyle: .struct
        )
    }
}

extension Address {
    /// Decodes an address and validates it as ``init(use:kind:lines:city:district:postcode:country:period:)`` does.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a key is of the wrong type or the address is not valid.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let use = try container.decodeIfPresent(Use.self, forKey: .use)
        let kind = try container.decodeIfPresent(Kind.self, forKey: .kind)
        let lines = try container.decodeIfPresent([String].self, forKey: .lines) ?? []
        let city = try container.decodeIfPresent(String.self, forKey: .city)
        let district = try container.decodeIfPresent(String.self, forKey: .district)
        let postcode = try container.decodeIfPresent(Postcode.self, forKey: .postcode)
        let country = try container.decodeIfPresent(String.self, forKey: .country)
        let period = try container.decodeIfPresent(Period.self, forKey: .period)
        self = try decoder.validated { () throws(CareCoreError) in
            try Address(
                use: use,
                kind: kind,
                lines: lines,
                city: city,
                district: district,
                postcode: postcode,
                country: country,
                period: period
            )
        }
    }
}
