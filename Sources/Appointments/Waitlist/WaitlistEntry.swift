public import CareCore
public import Foundation

/// A patient waiting for an earlier slot: when a matching slot frees, the ``AppointmentBook`` offers it to
/// the first eligible entry, in order of joining, and holds it for them until the offer expires.
///
/// An entry matches a slot when the slot is for its service, at its organisation (if it names one), by one of
/// its channels, starts inside its window, and is not one it has already declined or let expire.
public struct WaitlistEntry: Hashable, Sendable, Identifiable {
    /// The identifier type of waiting-list entries.
    public typealias ID = EntityID<WaitlistEntry>

    /// Where an entry stands.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// Waiting for a slot.
        case waiting
        /// Holding an offer the patient has not yet answered.
        case offered
        /// The patient accepted an offer and has an appointment.
        case booked
        /// The patient, or the service, took the entry off the list.
        case withdrawn
    }

    /// A slot offered to the patient and held for them until it expires.
    public struct Offer: Hashable, Sendable {
        /// The slot.
        public let slot: Slot.ID
        /// When the offer was made.
        public let made: Date
        /// When it lapses if the patient has not accepted it.
        public let expires: Date

        /// Creates an offer record, for stores and mappings; the book makes offers itself.
        ///
        /// - Parameters:
        ///   - slot: The slot.
        ///   - made: When the offer was made.
        ///   - expires: When it lapses.
        public init(slot: Slot.ID, made: Date, expires: Date) {
            self.slot = slot
            self.made = made
            self.expires = expires
        }
    }

    /// The entry's id.
    public let id: ID
    /// The patient.
    public let patient: Appointment.PatientID
    /// The service they wait for.
    public let serviceType: String
    /// The organisation they want to be seen at, or `nil` for any.
    public let organisation: ODSCode?
    /// The channels they accept.
    public let channels: Set<DeliveryChannel>
    /// The earliest start they can take.
    public let earliest: Date
    /// The latest start they want.
    public let latest: Date
    /// When they joined the list: the first to join is offered first.
    public let joined: Date
    /// Where the entry stands.
    public internal(set) var status: Status
    /// The open offer, while the status is ``Status/offered``.
    public internal(set) var offer: Offer?
    /// Slots offered before and declined or let expire, which are not offered again.
    public internal(set) var passedOver: Set<Slot.ID>
    /// The appointment made from an accepted offer.
    public internal(set) var appointment: Appointment.ID?

    /// Creates an entry, waiting.
    ///
    /// - Parameters:
    ///   - id: Its id.
    ///   - patient: The patient.
    ///   - serviceType: The service they wait for.
    ///   - organisation: The organisation, or `nil` for any.
    ///   - channels: The channels they accept; at least one.
    ///   - earliest: The earliest start they can take.
    ///   - latest: The latest start they want; after `earliest`.
    ///   - joined: When they joined.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` for no channel, no service or an empty window.
    public init(
        id: ID,
        patient: Appointment.PatientID,
        serviceType: String,
        organisation: ODSCode? = nil,
        channels: Set<DeliveryChannel>,
        earliest: Date,
        latest: Date,
        joined: Date
    ) throws(AppointmentsError) {
        guard !channels.isEmpty else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("waitlist.channels"),
                reason: "a waiting-list entry needs at least one channel"
            )
        }
        guard !serviceType.isEmpty else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("waitlist.serviceType"),
                reason: "a waiting-list entry needs a service type"
            )
        }
        guard latest > earliest else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("waitlist.latest"),
                reason: "a waiting-list window must end after it starts"
            )
        }
        self.id = id
        self.patient = patient
        self.serviceType = serviceType
        self.organisation = organisation
        self.channels = channels
        self.earliest = earliest
        self.latest = latest
        self.joined = joined
        self.status = .waiting
        self.offer = nil
        self.passedOver = []
        self.appointment = nil
    }

    /// Restores an entry as a store recorded it.
    ///
    /// - Parameters:
    ///   - entry: The entry as first made.
    ///   - status: Where it stands.
    ///   - offer: Its open offer, when offered.
    ///   - passedOver: Slots it has passed over.
    ///   - appointment: The appointment made from an accepted offer.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` when the status and the offer or appointment
    ///   disagree.
    public init(
        restoring entry: WaitlistEntry,
        status: Status,
        offer: Offer?,
        passedOver: Set<Slot.ID>,
        appointment: Appointment.ID?
    ) throws(AppointmentsError) {
        guard (status == .offered) == (offer != nil), status == .booked || appointment == nil else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("waitlist.status"),
                reason: "an offered entry has an offer, only a booked one an appointment, and no other has either"
            )
        }
        self = entry
        self.status = status
        self.offer = offer
        self.passedOver = passedOver
        self.appointment = appointment
    }

    /// Whether the entry would take a slot of a schedule, leaving aside time rules the book applies.
    func accepts(_ slot: Slot, in schedule: Schedule) -> Bool {
        status == .waiting && slot.serviceType == serviceType && channels.contains(slot.channel)
            && (organisation == nil || organisation == schedule.organisation)
            && slot.start >= earliest && slot.start <= latest && !passedOver.contains(slot.id)
    }
}
