/// A way to reach a person: a phone number, an email address, a number for text messages.
///
/// The value is checked lightly for its system: a phone, SMS, fax or pager number needs 7 to 15 digits
/// (the E.164 maximum) and may contain only digits, spaces, `+`, `-`, `(` and `)`; an email address
/// needs one `@` with text either side, a dot in the domain and no spaces. That catches keying errors
/// without claiming the number or mailbox exists. A contact point is patient data, so the description
/// hides the value.
public struct ContactPoint: Hashable, Sendable, Codable, CustomStringConvertible, CustomReflectable {
    /// The kind of contact, from FHIR R4's `contact-point-system` code system
    /// (`http://hl7.org/fhir/contact-point-system`).
    public enum System: String, Hashable, Sendable, Codable, CaseIterable {
        /// A telephone number for voice calls.
        case phone
        /// A fax number.
        case fax
        /// An email address.
        case email
        /// A pager number.
        case pager
        /// A web address.
        case url
        /// A number that can receive text messages.
        case sms
        /// Some other kind of contact.
        case other
    }

    /// What a contact point is used for, from FHIR R4's `contact-point-use` code system
    /// (`http://hl7.org/fhir/contact-point-use`).
    public enum Use: String, Hashable, Sendable, Codable, CaseIterable {
        /// A home contact.
        case home
        /// A work contact.
        case work
        /// A temporary contact.
        case temp
        /// A contact no longer in use.
        case old
        /// A mobile device.
        case mobile
    }

    /// The kind of contact.
    public let system: System
    /// The number, address or handle.
    public let value: String
    /// What the contact is used for, if stated.
    public let use: Use?
    /// The order of preference, 1 being most preferred, if stated.
    public let rank: Int?
    /// When the contact applied, if known.
    public let period: Period?

    /// Creates a contact point, checking the value against its system.
    ///
    /// - Parameters:
    ///   - system: The kind of contact.
    ///   - value: The number, address or handle.
    ///   - use: What it is used for.
    ///   - rank: The order of preference, 1 or more.
    ///   - period: When it applied.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/empty``, ``CareCoreError/Code/invalidFormat``
    ///   or ``CareCoreError/Code/outOfRange`` (a rank below 1).
    public init(
        system: System,
        value: String,
        use: Use? = nil,
        rank: Int? = nil,
        period: Period? = nil
    )
        throws(CareCoreError)
    {
        let field = FieldPath("contactPoint.value")
        try TextRules.validatePart(value, field: field)
        switch system {
        case .phone, .sms, .fax, .pager:
            let allowed = Set("0123456789 +-()".utf8)
            let digits = value.utf8.filter(\.isASCIIDigit).count
            guard value.utf8.allSatisfy(allowed.contains), (7...15).contains(digits) else {
                throw CareCoreError(
                    .invalidFormat,
                    field: field,
                    reason: "a telephone number must have 7 to 15 digits and only digits, spaces, +, -, ( and )"
                )
            }
        case .email:
            let parts = value.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
                !parts[1].hasSuffix("."), !value.contains(" ")
            else {
                throw CareCoreError(.invalidFormat, field: field, reason: "not a valid email address")
            }
        case .url, .other:
            break
        }
        if let rank, rank < 1 {
            throw CareCoreError(.outOfRange, field: FieldPath("contactPoint.rank"), reason: "a rank must be 1 or more")
        }
        self.system = system
        self.value = value
        self.use = use
        self.rank = rank
        self.period = period
    }

    /// The system and use, with the value hidden.
    public var description: String {
        "ContactPoint(system: \(system.rawValue), value: <redacted>\(use.map { ", use: \($0.rawValue)" } ?? ""))"
    }

    /// A mirror that hides the value from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(self, children: ["system": system, "use": use as Any, "rank": rank as Any], displayStyle: .struct)
    }
}

extension ContactPoint {
    /// Decodes a contact point and validates it as ``init(system:value:use:rank:period:)`` does.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a key is missing or of the wrong type, or the value is not valid.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let system = try container.decode(System.self, forKey: .system)
        let value = try container.decode(String.self, forKey: .value)
        let use = try container.decodeIfPresent(Use.self, forKey: .use)
        let rank = try container.decodeIfPresent(Int.self, forKey: .rank)
        let period = try container.decodeIfPresent(Period.self, forKey: .period)
        self = try decoder.validated { () throws(CareCoreError) in
            try ContactPoint(system: system, value: value, use: use, rank: rank, period: period)
        }
    }
}
