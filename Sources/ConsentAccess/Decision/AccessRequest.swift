public import Foundation

/// One request to reach a patient's record: who, for which patient, what data, which action, why and when.
public struct AccessRequest: Hashable, Sendable {
    /// Who is asking.
    public enum Requester: Hashable, Sendable {
        /// A member of staff acting under a selected role profile.
        case staff(AccessSession)
        /// A patient reaching their own record.
        case patient(Access.PatientID)
        /// Someone acting for the patient as a proxy.
        case proxy(Access.PersonID)
    }

    /// Who is asking.
    public let requester: Requester
    /// Whose record.
    public let patient: Access.PatientID
    /// Which data.
    public let dataClass: DataClass
    /// Read or change.
    public let action: AccessAction
    /// Why.
    public let purpose: PurposeOfUse
    /// When.
    public let time: Date

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - requester: Who is asking.
    ///   - patient: Whose record.
    ///   - dataClass: Which data.
    ///   - action: Read or change.
    ///   - purpose: Why.
    ///   - time: When.
    public init(
        _ requester: Requester,
        patient: Access.PatientID,
        dataClass: DataClass,
        action: AccessAction = .read,
        purpose: PurposeOfUse,
        time: Date
    ) {
        self.requester = requester
        self.patient = patient
        self.dataClass = dataClass
        self.action = action
        self.purpose = purpose
        self.time = time
    }
}
