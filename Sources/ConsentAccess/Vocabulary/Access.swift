public import CareCore

/// The identifier types of the access module, gathered in one namespace.
///
/// Each is an `EntityID`: the FHIR logical id of the record as the caller holds it. The module does not know
/// names, NHS numbers or dates of birth beyond what a rule needs (a date of birth for the age rules of self
/// and proxy access), so nothing it prints or stores in an audit entry identifies a person by itself.
public enum Access: Sendable {
    /// The tag of patient ids.
    public enum Patient: Sendable {}
    /// A patient: the person whose record is being reached.
    public typealias PatientID = EntityID<Patient>

    /// The tag of user ids.
    public enum User: Sendable {}
    /// A member of staff, as their identity provider names them (the CIS2 `sub`, for example).
    public typealias UserID = EntityID<User>

    /// The tag of person ids.
    public enum Person: Sendable {}
    /// A citizen acting for a patient as a proxy (a parent, a carer, an attorney).
    public typealias PersonID = EntityID<Person>

    /// The tag of record-item ids.
    public enum RecordItem: Sendable {}
    /// One item of a patient's record (an entry, a result, a document) that carries its own protection.
    public typealias ItemID = EntityID<RecordItem>
}
