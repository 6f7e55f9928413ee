public import CareCore

/// What the rules need to know about a patient: restriction, opt-outs, the registered practice and the date
/// of birth.
///
/// - A **restricted** record is the PDS "S-flag": location details (address, telephone, email and the
///   registered practice, which also reveals where the patient lives) are withheld from everyone but the
///   patient, while the record can still be traced (NHS England, "Restricting access to a patient's
///   demographic record").
/// - The **national data opt-out** covers confidential patient information used for research and planning,
///   never individual care. A **type 1 opt-out** is recorded at the GP practice and stops identifiable data
///   leaving the practice for purposes other than the patient's care (NHS England, "National data opt-out:
///   information for GP practices"; "Type 1 opt-out"). Neither affects direct care.
/// - The **date of birth** drives the age rules of self and proxy access; without it those requests are
///   denied.
public struct PatientPrivacy: Hashable, Sendable {
    /// The patient.
    public let patient: Access.PatientID
    /// Whether the record is restricted (S-flag).
    public var restricted: Bool
    /// Whether the patient has registered a national data opt-out.
    public var nationalDataOptOut: Bool
    /// Whether the patient has registered a type 1 opt-out at their practice.
    public var type1OptOut: Bool
    /// The registered GP practice, if known.
    public var registeredPractice: ODSCode?
    /// The date of birth, if known.
    public var birthDate: CivilDate?

    /// Creates a patient's privacy facts.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - restricted: Whether the record is restricted (S-flag).
    ///   - nationalDataOptOut: Whether a national data opt-out is registered.
    ///   - type1OptOut: Whether a type 1 opt-out is registered.
    ///   - registeredPractice: The registered practice.
    ///   - birthDate: The date of birth.
    public init(
        patient: Access.PatientID,
        restricted: Bool = false,
        nationalDataOptOut: Bool = false,
        type1OptOut: Bool = false,
        registeredPractice: ODSCode? = nil,
        birthDate: CivilDate? = nil
    ) {
        self.patient = patient
        self.restricted = restricted
        self.nationalDataOptOut = nationalDataOptOut
        self.type1OptOut = type1OptOut
        self.registeredPractice = registeredPractice
        self.birthDate = birthDate
    }
}

extension PatientPrivacy: CustomStringConvertible, CustomReflectable {
    /// The restriction and opt-outs only, such as
    /// `PatientPrivacy(restricted: false, nationalDataOptOut: true, type1OptOut: false)`: the patient's id,
    /// date of birth and practice (which reveals where a restricted patient lives) are left out.
    public var description: String {
        "PatientPrivacy(restricted: \(restricted), nationalDataOptOut: \(nationalDataOptOut), "
            + "type1OptOut: \(type1OptOut))"
    }

    /// A mirror that shows the restriction and opt-outs only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "restricted": restricted, "nationalDataOptOut": nationalDataOptOut, "type1OptOut": type1OptOut,
            ],
            displayStyle: .struct
        )
    }
}

/// A field that a decision's obligations may tell the caller to remove before showing data.
public enum RedactedField: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    /// Postal addresses.
    case address
    /// Telephone numbers and email addresses.
    case telecom
    /// The registered GP practice.
    case registeredPractice = "registered-practice"

    /// The location fields a restricted (S-flag) record hides, in a stable order.
    public static let location: [RedactedField] = [.address, .registeredPractice, .telecom]

    /// Orders fields by code.
    ///
    /// - Parameters:
    ///   - lhs: A field.
    ///   - rhs: Another field.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: RedactedField, rhs: RedactedField) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
