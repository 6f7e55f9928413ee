public import CareCore
public import Foundation

/// An appointment: one patient, one or more slots, a status from the FHIR lifecycle and a version for
/// optimistic concurrency.
public struct Appointment: Hashable, Sendable, Identifiable {
    /// The identifier type of appointments.
    public typealias ID = EntityID<Appointment>
    /// The tag of patient ids: the patient's FHIR logical id as the caller holds it.
    public enum Patient: Sendable {}
    /// The identifier type of patients.
    public typealias PatientID = EntityID<Patient>

    /// Who cancelled an appointment.
    public enum Initiator: String, Hashable, Sendable, Codable {
        /// The patient, or someone on their behalf.
        case patient
        /// The provider.
        case provider
    }

    /// Why and by whom an appointment was cancelled: FHIR `cancelationReason`.
    public struct Cancellation: Hashable, Sendable {
        /// Who cancelled it.
        public let initiator: Initiator
        /// Why, in a few words; never clinical detail.
        public let reason: String
    }

    /// The longest description GP Connect accepts.
    public static let maximumDescriptionLength = 100
    /// The longest comment GP Connect accepts.
    public static let maximumCommentLength = 500

    /// The appointment's id.
    public let id: ID
    /// The patient.
    public let patient: PatientID
    /// The slots it holds, in order of start; adjacent and in one schedule.
    public internal(set) var slots: [Slot.ID]
    /// The schedule of its slots.
    public internal(set) var schedule: Schedule.ID
    /// The service of its slots.
    public internal(set) var serviceType: String
    /// When it starts.
    public internal(set) var start: Date
    /// When it ends.
    public internal(set) var end: Date
    /// How it is delivered.
    public internal(set) var channel: DeliveryChannel
    /// Its status.
    public internal(set) var status: AppointmentStatus
    /// A short, non-clinical description, at most 100 characters.
    public internal(set) var description: String
    /// A non-clinical comment, at most 500 characters.
    public internal(set) var comment: String
    /// Why and by whom it was cancelled, when it was.
    public internal(set) var cancellation: Cancellation?
    /// The version, from 1, raised by every change; a change must name the version it was made against.
    public internal(set) var version: Int
    /// When it was booked.
    public let created: Date
}
