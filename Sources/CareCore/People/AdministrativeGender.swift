/// The gender used for administration, from FHIR R4's `administrative-gender` code system
/// (`http://hl7.org/fhir/administrative-gender`), as UK Core's Patient uses it.
///
/// This is not sex assigned at birth or gender identity, which UK Core records in separate elements.
public enum AdministrativeGender: String, Hashable, Sendable, Codable, CaseIterable {
    /// Male.
    case male
    /// Female.
    case female
    /// Other.
    case other
    /// Not known.
    case unknown
}
