/// A class of record data that rules and consent provisions name: demographics, the care plan, sexual health.
///
/// The vocabulary is open: a team adds its own classes with ``init(rawValue:)``. The sensitive classes below
/// follow the categories NHS record systems treat with extra care (sexual health, HIV, gender identity,
/// fertility, mental health, safeguarding); ``isSensitive`` marks them so a policy can ask for more.
public struct DataClass: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The class's stable code.
    public let rawValue: String

    /// Creates a class from its code.
    ///
    /// - Parameter rawValue: The code, such as `care-plan`.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Name, date of birth, NHS number and other identifying details.
    public static let demographics = DataClass(rawValue: "demographics")
    /// Address, telephone numbers and email: location information that a restricted record hides.
    public static let contactDetails = DataClass(rawValue: "contact-details")
    /// A summary record: medications, allergies and adverse reactions.
    public static let summary = DataClass(rawValue: "summary")
    /// The detailed clinical record.
    public static let detailedRecord = DataClass(rawValue: "detailed-record")
    /// Personalised care and support plans, including ReSPECT recommendations.
    public static let carePlan = DataClass(rawValue: "care-plan")
    /// The emergency summary an ambulance crew reads.
    public static let emergencySummary = DataClass(rawValue: "emergency-summary")
    /// Appointments and the waiting list.
    public static let appointments = DataClass(rawValue: "appointments")
    /// Test results.
    public static let results = DataClass(rawValue: "results")
    /// Observations and early-warning scores.
    public static let observations = DataClass(rawValue: "observations")
    /// Consent directives themselves.
    public static let consent = DataClass(rawValue: "consent")
    /// The record of who accessed the patient's record.
    public static let accessHistory = DataClass(rawValue: "access-history")
    /// Sexual health.
    public static let sexualHealth = DataClass(rawValue: "sexual-health")
    /// Mental health.
    public static let mentalHealth = DataClass(rawValue: "mental-health")
    /// Safeguarding information.
    public static let safeguarding = DataClass(rawValue: "safeguarding")
    /// HIV status and care.
    public static let hiv = DataClass(rawValue: "hiv")
    /// Gender identity.
    public static let genderIdentity = DataClass(rawValue: "gender-identity")
    /// Fertility treatment.
    public static let fertility = DataClass(rawValue: "fertility")

    /// The classes the module knows, in a stable order.
    public static let standard: [DataClass] = [
        .demographics, .contactDetails, .summary, .detailedRecord, .carePlan, .emergencySummary, .appointments,
        .results, .observations, .consent, .accessHistory, .sexualHealth, .mentalHealth, .safeguarding, .hiv,
        .genderIdentity, .fertility,
    ]

    /// The classes that record systems treat with extra care.
    public static let sensitive: Set<DataClass> = [
        .sexualHealth, .mentalHealth, .safeguarding, .hiv, .genderIdentity, .fertility,
    ]

    /// Whether this is one of the ``sensitive`` classes.
    public var isSensitive: Bool { Self.sensitive.contains(self) }

    /// The class's code.
    public var description: String { rawValue }

    /// Orders classes by code, so that printed lists are stable.
    ///
    /// - Parameters:
    ///   - lhs: A class.
    ///   - rhs: Another class.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: DataClass, rhs: DataClass) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// Decodes a class from its code.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when the value is not a non-empty string.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard !text.isEmpty else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "a data class is empty")
            )
        }
        self.init(rawValue: text)
    }

    /// Encodes the class as its code.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
