public import CareCore

/// One source system's record of a person: what an organisation holds about a patient or a client.
///
/// A person seen by a GP practice, a hospital trust, community services and social care has a record in
/// each, with different identifiers, spellings, addresses and sometimes dates of birth. The master patient
/// index links these records into persons; it never changes a record's own data.
///
/// The NHS number and date of birth are ``Recorded`` values: the text as received is kept beside the parsed
/// value, so that a number failing Modulus 11 or a date that is not a calendar date still takes part in
/// comparison. A postcode that could not be parsed is kept in ``receivedPostcode`` for the same reason.
///
/// A record is patient data through and through; its description shows only its id.
public struct PatientRecord: Hashable, Sendable, Codable, Identifiable, CustomStringConvertible, CustomReflectable {
    /// The identifier type of records.
    public typealias ID = EntityID<PatientRecord>

    /// The record's key in the index.
    public var id: ID
    /// The NHS number as received, with its parsed form when valid.
    public var nhsNumber: Recorded<NHSNumber>?
    /// Other identifiers: local hospital numbers with their assigning organisation, social care ids.
    public var identifiers: [Identifier]
    /// Names, current first; previous names carry a period or the `old` or `maiden` use.
    public var names: [HumanName]
    /// The date of birth as received, with its parsed (possibly partial) form when valid.
    public var birthDate: Recorded<FHIRDate>?
    /// The administrative gender.
    public var gender: AdministrativeGender?
    /// Addresses, current first; previous ones carry a period or the `old` use.
    public var addresses: [Address]
    /// A postcode as received when it could not be parsed into an address.
    public var receivedPostcode: Recorded<Postcode>?
    /// Telephone numbers, email addresses and other contacts.
    public var telecom: [ContactPoint]
    /// How the person wants to be contacted.
    public var communication: CommunicationPreferences?
    /// The GP practice the person is registered with.
    public var registeredPractice: ODSCode?
    /// Whether the record is restricted (an S-flag): its address and contact details must not be disclosed.
    public var isRestricted: Bool
    /// When the person died, if recorded.
    public var deceased: FHIRDateTime?
    /// The organisation whose system the record comes from.
    public var sourceOrganisation: ODSCode?
    /// When the source last changed the record.
    public var lastUpdated: Instant?

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - id: The record's key.
    ///   - nhsNumber: The NHS number as received.
    ///   - identifiers: Other identifiers.
    ///   - names: Names, current first.
    ///   - birthDate: The date of birth as received.
    ///   - gender: The administrative gender.
    ///   - addresses: Addresses, current first.
    ///   - receivedPostcode: A postcode that could not be placed in an address.
    ///   - telecom: Contacts.
    ///   - communication: Communication preferences.
    ///   - registeredPractice: The registered GP practice.
    ///   - isRestricted: Whether the record is restricted.
    ///   - deceased: When the person died.
    ///   - sourceOrganisation: The source organisation.
    ///   - lastUpdated: When the source last changed the record.
    public init(
        id: ID,
        nhsNumber: Recorded<NHSNumber>? = nil,
        identifiers: [Identifier] = [],
        names: [HumanName] = [],
        birthDate: Recorded<FHIRDate>? = nil,
        gender: AdministrativeGender? = nil,
        addresses: [Address] = [],
        receivedPostcode: Recorded<Postcode>? = nil,
        telecom: [ContactPoint] = [],
        communication: CommunicationPreferences? = nil,
        registeredPractice: ODSCode? = nil,
        isRestricted: Bool = false,
        deceased: FHIRDateTime? = nil,
        sourceOrganisation: ODSCode? = nil,
        lastUpdated: Instant? = nil
    ) {
        self.id = id
        self.nhsNumber = nhsNumber
        self.identifiers = identifiers
        self.names = names
        self.birthDate = birthDate
        self.gender = gender
        self.addresses = addresses
        self.receivedPostcode = receivedPostcode
        self.telecom = telecom
        self.communication = communication
        self.registeredPractice = registeredPractice
        self.isRestricted = isRestricted
        self.deceased = deceased
        self.sourceOrganisation = sourceOrganisation
        self.lastUpdated = lastUpdated
    }

    /// The current name: the first that is not marked old or maiden and has not ended.
    public var currentName: HumanName? {
        names.first { $0.use != .old && $0.use != .maiden && $0.period?.end == nil } ?? names.first
    }

    /// The current address: the first that is not marked old and has not ended.
    public var currentAddress: Address? {
        addresses.first { $0.use != .old && $0.period?.end == nil } ?? addresses.first
    }

    /// Shows the record's id only.
    public var description: String { "PatientRecord(id: \(id))" }

    /// A mirror that shows the id only.
    public var customMirror: Mirror { Mirror(self, children: ["id": id], displayStyle: .struct) }
}
