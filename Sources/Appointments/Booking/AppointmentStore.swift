import Synchronization

/// Where an ``AppointmentBook`` keeps its slots and appointments, so that the book survives a restart.
///
/// The book calls ``commit(slots:appointments:)`` with everything one operation changed and changes its own
/// state only after the commit succeeds, so a failed write leaves both the store and the book as they were.
/// A store must apply each commit all or nothing. The methods are synchronous on purpose: the book is an
/// actor, and an `await` in the middle of a booking would let another booking run between its check and its
/// write. The durable store comes with `CareStore` (issue 10);
/// ``InMemoryAppointmentStore`` serves tests and examples.
public protocol AppointmentStore: Sendable {
    /// Everything stored, for the book to start from.
    ///
    /// - Returns: The slots and appointments.
    /// - Throws: Any error of the store; the book reports it as `storageFailure`.
    func loadAll() throws -> (slots: [Slot], appointments: [Appointment])

    /// Writes the new state of some slots and appointments, all or nothing.
    ///
    /// - Parameters:
    ///   - slots: Slots added or changed.
    ///   - appointments: Appointments added or changed.
    /// - Throws: Any error of the store, having written nothing.
    func commit(slots: [Slot], appointments: [Appointment]) throws
}

/// A store in memory, for tests and examples: it survives a new ``AppointmentBook`` on the same store, not a
/// new process.
public final class InMemoryAppointmentStore: AppointmentStore {
    private let state = Mutex<(slots: [Slot.ID: Slot], appointments: [Appointment.ID: Appointment])>(([:], [:]))

    /// Creates an empty store.
    public init() {}

    /// Everything stored, sorted by id.
    ///
    /// - Returns: The slots and appointments.
    public func loadAll() -> (slots: [Slot], appointments: [Appointment]) {
        state.withLock { state in
            (state.slots.values.sorted { $0.id < $1.id }, state.appointments.values.sorted { $0.id < $1.id })
        }
    }

    /// Stores the new state of some slots and appointments.
    ///
    /// - Parameters:
    ///   - slots: Slots added or changed.
    ///   - appointments: Appointments added or changed.
    public func commit(slots: [Slot], appointments: [Appointment]) {
        state.withLock { state in
            for slot in slots { state.slots[slot.id] = slot }
            for appointment in appointments { state.appointments[appointment.id] = appointment }
        }
    }
}
