/// The namespace a business identifier's value belongs to, named by a URI.
///
/// The NHS systems below are the ones NHS England publishes for UK Core; an organisation's local numbers
/// (hospital numbers, social care ids) use a URI that organisation controls, paired with its ODS code as
/// the identifier's assigner.
public struct IdentifierSystem: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    CustomStringConvertible
{
    /// The system's URI.
    public let rawValue: String

    /// Creates a system from its URI.
    ///
    /// - Parameter rawValue: The URI, such as `https://fhir.nhs.uk/Id/nhs-number`.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The NHS number, `https://fhir.nhs.uk/Id/nhs-number`.
    public static let nhsNumber = IdentifierSystem(rawValue: "https://fhir.nhs.uk/Id/nhs-number")
    /// An organisation code from the Organisation Data Service, `https://fhir.nhs.uk/Id/ods-organization-code`.
    public static let odsOrganisationCode = IdentifierSystem(rawValue: "https://fhir.nhs.uk/Id/ods-organization-code")
    /// A site code from the Organisation Data Service, `https://fhir.nhs.uk/Id/ods-site-code`.
    public static let odsSiteCode = IdentifierSystem(rawValue: "https://fhir.nhs.uk/Id/ods-site-code")
    /// A Spine Directory Service user id (a smartcard user), `https://fhir.nhs.uk/Id/sds-user-id`.
    public static let sdsUserID = IdentifierSystem(rawValue: "https://fhir.nhs.uk/Id/sds-user-id")
    /// A Spine Directory Service role profile id, `https://fhir.nhs.uk/Id/sds-role-profile-id`.
    public static let sdsRoleProfileID = IdentifierSystem(rawValue: "https://fhir.nhs.uk/Id/sds-role-profile-id")

    /// The system's URI.
    public var description: String { rawValue }

    /// Orders systems by URI, for stable output.
    ///
    /// - Parameters:
    ///   - lhs: A system.
    ///   - rhs: Another system.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: IdentifierSystem, rhs: IdentifierSystem) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
