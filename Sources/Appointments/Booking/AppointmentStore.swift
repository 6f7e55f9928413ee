import CareCore

/// Everything an ``AppointmentBook`` holds: what a store gives back when the book opens.
public struct AppointmentBookState: Hashable, Sendable {
    /// The schedules.
    public var schedules: [Schedule]
    /// The slots.
    public var slots: [Slot]
    /// The appointments.
    public var appointments: [Appointment]
    /// The waiting list, with any open offers.
    public var waitlist: [WaitlistEntry]

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - schedules: The schedules.
    ///   - slots: The slots, each of one of the schedules.
    ///   - appointments: The appointments.
    ///   - waitlist: The waiting list.
    public init(
        schedules: [Schedule] = [],
        slots: [Slot] = [],
        appointments: [Appointment] = [],
        waitlist: [WaitlistEntry] = []
    ) {
        self.schedules = schedules
        self.slots = slots
        self.appointments = appointments
        self.waitlist = waitlist
    }
}

/// What one operation of an ``AppointmentBook`` changed: records added or replaced, never removed (a
/// cancelled appointment or a withdrawn waiting-list entry keeps its record, with its new status).
public struct AppointmentBookChange: Hashable, Sendable {
    /// Schedules added or changed.
    public var schedules: [Schedule] = []
    /// Slots added or changed.
    public var slots: [Slot] = []
    /// Appointments added or changed.
    public var appointments: [Appointment] = []
    /// Waiting-list entries added or changed.
    public var waitlist: [WaitlistEntry] = []

    /// Creates a change.
    ///
    /// - Parameters:
    ///   - schedules: Schedules added or changed.
    ///   - slots: Slots added or changed.
    ///   - appointments: Appointments added or changed.
    ///   - waitlist: Waiting-list entries added or changed.
    public init(
        schedules: [Schedule] = [],
        slots: [Slot] = [],
        appointments: [Appointment] = [],
        waitlist: [WaitlistEntry] = []
    ) {
        self.schedules = schedules
        self.slots = slots
        self.appointments = appointments
        self.waitlist = waitlist
    }

    /// Whether the change holds nothing.
    public var isEmpty: Bool { schedules.isEmpty && slots.isEmpty && appointments.isEmpty && waitlist.isEmpty }
}

/// Where an ``AppointmentBook`` keeps its schedules, slots, appointments and waiting list, so that the book
/// survives a restart.
///
/// The book calls ``commit(_:)`` with everything one operation changed and changes its own state only after
/// the commit succeeds, so a failed write leaves both the store and the book as they were. A store must
/// apply each commit all or nothing, replacing a record with the same id. The methods are synchronous on
/// purpose: the book is an actor, and an `await` in the middle of a booking would let another booking run
/// between its check and its write. The durable store comes with `CareStore` (issue 10);
/// ``InMemoryAppointmentStore`` serves tests and examples.
public protocol AppointmentStore: Sendable {
    /// Everything stored, for the book to start from.
    ///
    /// - Returns: The schedules, slots, appointments and waiting list.
    /// - Throws: Any error of the store; the book reports it as `storageFailure`.
    func loadAll() throws -> AppointmentBookState

    /// Writes what one operation changed, all or nothing.
    ///
    /// - Parameter change: Records added or changed.
    /// - Throws: Any error of the store, having written nothing.
    func commit(_ change: AppointmentBookChange) throws
}

/// A store in memory, for tests and examples: it survives a new ``AppointmentBook`` on the same store, not a
/// new process.
public final class InMemoryAppointmentStore: AppointmentStore {
    private struct Records {
        var schedules: [Schedule.ID: Schedule] = [:]
        var slots: [Slot.ID: Slot] = [:]
        var appointments: [Appointment.ID: Appointment] = [:]
        var waitlist: [WaitlistEntry.ID: WaitlistEntry] = [:]
    }

    private let records = Locked(Records())

    /// Creates an empty store.
    public init() {}

    /// Everything stored, each kind sorted by id.
    ///
    /// - Returns: The schedules, slots, appointments and waiting list.
    public func loadAll() -> AppointmentBookState {
        records.withLock { records in
            AppointmentBookState(
                schedules: records.schedules.values.sorted { $0.id < $1.id },
                slots: records.slots.values.sorted { $0.id < $1.id },
                appointments: records.appointments.values.sorted { $0.id < $1.id },
                waitlist: records.waitlist.values.sorted { $0.id < $1.id }
            )
        }
    }

    /// Stores what one operation changed.
    ///
    /// - Parameter change: Records added or changed.
    public func commit(_ change: AppointmentBookChange) {
        records.withLock { records in
            for schedule in change.schedules { records.schedules[schedule.id] = schedule }
            for slot in change.slots { records.slots[slot.id] = slot }
            for appointment in change.appointments { records.appointments[appointment.id] = appointment }
            for entry in change.waitlist { records.waitlist[entry.id] = entry }
        }
    }
}
