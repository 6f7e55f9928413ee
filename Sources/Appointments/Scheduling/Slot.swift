public import CareCore
public import Foundation

/// How an appointment is delivered: GP Connect's delivery channels (`In-person`, `Telephone`, `Video`).
public enum DeliveryChannel: String, Hashable, Sendable, Codable, CaseIterable {
    /// Face to face.
    case inPerson = "In-person"
    /// By telephone.
    case telephone = "Telephone"
    /// By video.
    case video = "Video"
}

/// The status of a slot: FHIR R4's `SlotStatus` (`http://hl7.org/fhir/slotstatus`).
public enum SlotStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Bookable.
    case free
    /// Taken by an appointment.
    case busy
    /// Not available for booking (the clinician is away, the room is closed).
    case busyUnavailable = "busy-unavailable"
    /// Held by an appointment that is not yet confirmed.
    case busyTentative = "busy-tentative"
    /// Recorded in error.
    case enteredInError = "entered-in-error"
}

/// What a schedule is the diary of: FHIR `Schedule.actor`.
public enum ScheduleActor: Hashable, Sendable, Codable {
    /// A practitioner, by an id the caller owns.
    case practitioner(String)
    /// A room or other location.
    case location(String)
    /// A device, such as a scanner.
    case device(String)
    /// A healthcare service.
    case service(String)
}

/// One bookable period of a schedule.
public struct Slot: Hashable, Sendable, Identifiable {
    /// The identifier type of slots.
    public typealias ID = EntityID<Slot>

    /// The slot's id.
    public let id: ID
    /// The schedule it belongs to.
    public let schedule: Schedule.ID
    /// When it starts (a moment, UTC).
    public let start: Date
    /// When it ends.
    public let end: Date
    /// How it is delivered.
    public let channel: DeliveryChannel
    /// The service it is for, such as a SNOMED CT or local service-type code.
    public let serviceType: String
    /// Its status.
    public var status: SlotStatus
    /// How many appointments it holds; more than one only under an overbooking policy.
    public var bookedCount: Int
    /// Whether it holds more appointments than its capacity of one: FHIR `Slot.overbooked`.
    public var overbooked: Bool { bookedCount > 1 }

    /// Creates a slot.
    ///
    /// - Parameters:
    ///   - id: Its id.
    ///   - schedule: Its schedule.
    ///   - start: When it starts.
    ///   - end: When it ends; after `start`.
    ///   - channel: How it is delivered.
    ///   - serviceType: The service it is for.
    ///   - status: Its status; free by default.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` when it does not end after it starts.
    public init(
        id: ID,
        schedule: Schedule.ID,
        start: Date,
        end: Date,
        channel: DeliveryChannel,
        serviceType: String,
        status: SlotStatus = .free
    ) throws(AppointmentsError) {
        guard end > start else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("slot.end"),
                reason: "a slot must end after it starts"
            )
        }
        self.id = id
        self.schedule = schedule
        self.start = start
        self.end = end
        self.channel = channel
        self.serviceType = serviceType
        self.status = status
        self.bookedCount = 0
    }
}

/// A diary: the slots of one or more actors at an organisation, for a service.
public struct Schedule: Hashable, Sendable, Identifiable {
    /// The identifier type of schedules.
    public typealias ID = EntityID<Schedule>

    /// The schedule's id.
    public let id: ID
    /// Whose diary it is: a practitioner, a room, a device or a service, or several.
    public let actors: [ScheduleActor]
    /// The organisation that runs it.
    public let organisation: ODSCode
    /// The service it offers, such as a SNOMED CT or local service-type code.
    public let serviceType: String
    /// Whether it is in use.
    public var isActive: Bool

    /// Creates a schedule.
    ///
    /// - Parameters:
    ///   - id: Its id.
    ///   - actors: Whose diary it is; at least one.
    ///   - organisation: The organisation that runs it.
    ///   - serviceType: The service it offers.
    ///   - isActive: Whether it is in use.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` when there is no actor or no service type.
    public init(
        id: ID,
        actors: [ScheduleActor],
        organisation: ODSCode,
        serviceType: String,
        isActive: Bool = true
    ) throws(AppointmentsError) {
        guard !actors.isEmpty else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("schedule.actors"),
                reason: "a schedule needs at least one actor"
            )
        }
        guard !serviceType.isEmpty else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("schedule.serviceType"),
                reason: "a schedule needs a service type"
            )
        }
        self.id = id
        self.actors = actors
        self.organisation = organisation
        self.serviceType = serviceType
        self.isActive = isActive
    }
}
