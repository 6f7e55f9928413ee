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

        /// Creates a cancellation record.
        ///
        /// - Parameters:
        ///   - initiator: Who cancelled.
        ///   - reason: Why.
        public init(initiator: Initiator, reason: String) {
            self.initiator = initiator
            self.reason = reason
        }
    }

    /// The longest description GP Connect accepts.
    public static let maximumDescriptionLength = 100
    /// The longest comment GP Connect accepts.
    public static let maximumCommentLength = 500

    /// The appointment's id.
    public let id: ID
    /// The patient.
    public let patient: PatientID
    /// The slots it holds: the lead diary's in order of start, then those of other resources' diaries.
    public internal(set) var slots: [Slot.ID]
    /// The lead diary: the schedule of its first slot.
    public internal(set) var schedule: Schedule.ID
    /// The service of its lead diary's slots.
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

extension Appointment {
    /// Restores an appointment as a store or a FHIR mapping recorded it. New appointments come from
    /// ``AppointmentBook/book(patient:slots:id:description:comment:)``; this initialiser checks only that the
    /// record is coherent.
    ///
    /// - Parameters:
    ///   - id: Its id.
    ///   - patient: The patient.
    ///   - slots: Its slots: the lead diary's in order of start, then other resources' diaries'.
    ///   - schedule: The lead diary.
    ///   - serviceType: The service of the lead diary's slots.
    ///   - start: When it starts.
    ///   - end: When it ends.
    ///   - channel: How it is delivered.
    ///   - status: Its status.
    ///   - description: Its description.
    ///   - comment: Its comment.
    ///   - cancellation: Why and by whom it was cancelled.
    ///   - version: Its version, from 1.
    ///   - created: When it was booked.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` for a version below 1, an end not after the
    ///   start, no slots while the status holds them, text too long, or a cancellation record on an
    ///   appointment that is not cancelled.
    public init(
        restoring id: ID,
        patient: PatientID,
        slots: [Slot.ID],
        schedule: Schedule.ID,
        serviceType: String,
        start: Date,
        end: Date,
        channel: DeliveryChannel,
        status: AppointmentStatus,
        description: String,
        comment: String,
        cancellation: Cancellation?,
        version: Int,
        created: Date
    ) throws(AppointmentsError) {
        func refuse(_ field: String, _ reason: String) -> AppointmentsError {
            AppointmentsError(.invalidValue, field: FieldPath(field), reason: reason)
        }
        guard version >= 1 else { throw refuse("appointment.version", "a version starts at 1") }
        guard end > start else { throw refuse("appointment.end", "an appointment must end after it starts") }
        guard !slots.isEmpty || !status.holdsSlots else {
            throw refuse("appointment.slots", "an appointment in this status holds at least one slot")
        }
        guard description.count <= Self.maximumDescriptionLength, comment.count <= Self.maximumCommentLength else {
            throw refuse("appointment.description", "a description or comment is too long")
        }
        guard cancellation == nil || status == .cancelled else {
            throw refuse("appointment.cancellation", "only a cancelled appointment has a cancellation record")
        }
        self.init(
            id: id,
            patient: patient,
            slots: slots,
            schedule: schedule,
            serviceType: serviceType,
            start: start,
            end: end,
            channel: channel,
            status: status,
            description: description,
            comment: comment,
            cancellation: cancellation,
            version: version,
            created: created
        )
    }
}

extension Appointment: CustomDebugStringConvertible, CustomReflectable {
    /// The id, status, version and number of slots only, such as
    /// `Appointment(id: a1, status: booked, version: 2, 1 slot)`: the patient, description and comment are
    /// patient data.
    ///
    /// An appointment has a stored `description`, so it cannot be `CustomStringConvertible`; string
    /// interpolation and `String(describing:)` fall back to this text.
    public var debugDescription: String {
        let slotCount = slots.count == 1 ? "1 slot" : "\(slots.count) slots"
        return "Appointment(id: \(id), status: \(status.rawValue), version: \(version), \(slotCount))"
    }

    /// A mirror that shows the id, status, version and slot count only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["id": id, "status": status, "version": version, "slotCount": slots.count],
            displayStyle: .struct
        )
    }
}

extension Appointment.Cancellation: CustomStringConvertible, CustomReflectable {
    /// Who cancelled only, such as `Appointment.Cancellation(initiator: patient)`: the reason is free text.
    public var description: String { "Appointment.Cancellation(initiator: \(initiator.rawValue))" }

    /// A mirror that shows who cancelled only.
    public var customMirror: Mirror { Mirror(self, children: ["initiator": initiator], displayStyle: .struct) }
}
