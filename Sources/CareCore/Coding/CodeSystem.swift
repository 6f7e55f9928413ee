/// A code system, named by its canonical URI, such as SNOMED CT or LOINC.
///
/// The constants are the URIs that FHIR R4 and NHS England UK Core use. Any other system can be named with
/// ``init(rawValue:)``; adding a constant here is not a breaking change.
public struct CodeSystem: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The system's canonical URI.
    public let rawValue: String

    /// Names a code system by its canonical URI.
    ///
    /// - Parameter rawValue: The URI.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// SNOMED CT, `http://snomed.info/sct`: clinical findings, procedures and most NHS clinical coding.
    public static let snomedCT = CodeSystem(rawValue: "http://snomed.info/sct")
    /// LOINC, `http://loinc.org`: laboratory tests and vital-sign observations.
    public static let loinc = CodeSystem(rawValue: "http://loinc.org")
    /// UCUM, `http://unitsofmeasure.org`: units of measure.
    public static let ucum = CodeSystem(rawValue: "http://unitsofmeasure.org")
    /// The dictionary of medicines and devices, `https://dmd.nhs.uk`.
    public static let dmd = CodeSystem(rawValue: "https://dmd.nhs.uk")
    /// BCP 47 language tags, `urn:ietf:bcp:47`, used for spoken and written languages.
    public static let bcp47 = CodeSystem(rawValue: "urn:ietf:bcp:47")
    /// UK Core's NHS number verification status for England, from the NHS Data Dictionary,
    /// `https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland`.
    public static let nhsNumberVerificationStatus = CodeSystem(
        rawValue: "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"
    )
    /// UK Core's ethnic category for England, from the NHS Data Dictionary,
    /// `https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland`.
    public static let ethnicCategory = CodeSystem(
        rawValue: "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland"
    )
    /// UK Core's admission method for England, from the NHS Data Dictionary,
    /// `https://fhir.hl7.org.uk/CodeSystem/UKCore-AdmissionMethodEngland`.
    public static let admissionMethod = CodeSystem(
        rawValue: "https://fhir.hl7.org.uk/CodeSystem/UKCore-AdmissionMethodEngland"
    )
    /// The Professional Record Standards Body's record headings as published in UK Core,
    /// `https://fhir.hl7.org.uk/CodeSystem/UKCore-RecordStandardHeadings`.
    public static let recordStandardHeadings = CodeSystem(
        rawValue: "https://fhir.hl7.org.uk/CodeSystem/UKCore-RecordStandardHeadings"
    )

    /// The system's URI.
    public var description: String { rawValue }

    /// Orders systems by URI, for stable output.
    ///
    /// - Parameters:
    ///   - lhs: A system.
    ///   - rhs: Another system.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: CodeSystem, rhs: CodeSystem) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
