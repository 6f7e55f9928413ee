public import Appointments
import CareCore
public import FHIREncoding
import Foundation

/// An `AppointmentBook`'s schedules, slots, appointments and waiting list kept in a resource store as UK
/// Core Schedules, Slots and Appointments, so that the book survives a restart.
///
/// Each commit of the book is one transaction of the store. A waiting-list entry is an Appointment with
/// status `waitlist` (or `cancelled` once it stopped waiting) carrying the suite's `waitlist-entry`
/// extension, so entries and appointments share the store's Appointment ids: a commit that would write an
/// entry over an appointment, or the other way round, is refused with `alreadyExists`. An active appointment holds
/// its slots in the store itself, so a second process cannot book a slot this one holds, even with a book
/// of its own on the same database.
///
/// An appointment's write expects the version before the appointment's own, and every other record's the
/// version this repository last read or wrote: a record that another process changed since is refused
/// (`versionConflict`), and the book reports `storageFailure` and changes nothing. Open a new book on a new
/// repository to start from what the store now holds. The repository writes what
/// the records hold; elements another system added to the resources are not kept.
///
/// ```swift
/// let store = try SQLiteResourceStore(file: file, clock: clock, timeZone: london, generator: generator)
/// let repository = AppointmentRepository(store: store, context: AppointmentMappingContext(serviceTypeSystem: system))
/// let book = try AppointmentBook(store: repository, clock: clock)
/// ```
public final class AppointmentRepository<Store: SynchronousResourceStore>: AppointmentStore {
    /// The store.
    public let store: Store
    /// The code system of service types, and what the resources leave out.
    public let context: AppointmentMappingContext
    private let ledger = Ledger()

    /// What each Appointment id in the store is: entries and appointments share the ids, and one must never
    /// be written over the other.
    private enum Kind { case appointment, waitlistEntry }

    private let kinds = Locked<[String: Kind]>([:])

    /// Creates a repository on a store.
    ///
    /// - Parameters:
    ///   - store: The store.
    ///   - context: The code system of the book's service types.
    public init(store: Store, context: AppointmentMappingContext) {
        self.store = store
        self.context = context
    }

    /// Everything stored, each kind ordered by id.
    ///
    /// - Returns: The schedules, slots, appointments and waiting list.
    /// - Throws: ``CareStoreError``: the store's errors; `corrupt`, naming the resource, for one that no
    ///   longer reads as a record.
    public func loadAll() throws(CareStoreError) -> AppointmentBookState {
        let storedSchedules = try store.search(StoreQuery(type: "Schedule"))
        let storedSlots = try store.search(StoreQuery(type: "Slot"))
        let storedAppointments = try store.search(StoreQuery(type: "Appointment"))
        ledger.saw(storedSchedules + storedSlots + storedAppointments)

        var state = AppointmentBookState()
        var found: [String: Kind] = [:]
        for stored in storedSchedules {
            state.schedules.append(
                try Restoring.record(R4.Schedule.self, from: stored) { (fhir) throws(FHIREncodingError) in
                    try Schedule(fhir: fhir, context: context)
                }
            )
        }
        for stored in storedSlots {
            state.slots.append(
                try Restoring.record(R4.Slot.self, from: stored) { (fhir) throws(FHIREncodingError) in
                    try Slot(fhir: fhir, context: context)
                }
            )
        }
        for stored in storedAppointments {
            let fhir = try stored.decode(R4.Appointment.self)
            let isEntry = fhir.extension.contains { $0.url == R4.SuiteExtension.waitlistEntry.rawValue }
            found[stored.id] = isEntry ? .waitlistEntry : .appointment
            if isEntry {
                state.waitlist.append(
                    try Restoring.mapping(stored) { () throws(FHIREncodingError) in
                        try WaitlistEntry(fhir: fhir, context: context)
                    }
                )
            } else {
                let slots = state.slots
                state.appointments.append(
                    try Restoring.mapping(stored) { () throws(FHIREncodingError) in
                        try Appointment(fhir: fhir, context: context, slots: slots)
                    }
                )
            }
        }
        kinds.withLock { $0.merge(found) { _, loaded in loaded } }
        return state
    }

    /// Writes what one operation of the book changed, in one transaction.
    ///
    /// - Parameter change: Records added or changed.
    /// - Throws: ``CareStoreError``: `versionConflict` or `alreadyExists` when another process changed or
    ///   created a record since this repository read it; `slotTaken` when another process holds a slot;
    ///   `invalidRequest` for a record FHIR cannot carry; the store's errors. Nothing is written.
    public func commit(_ change: AppointmentBookChange) throws(CareStoreError) {
        var writes: [Ledger.Write] = []
        for schedule in change.schedules {
            let fhir = try Restoring.resource("Schedule", schedule.id.rawValue) { () throws(FHIREncodingError) in
                try R4.Schedule(schedule, context: context)
            }
            writes.append(Ledger.Write(fhir))
        }
        for slot in change.slots {
            let fhir = try Restoring.resource("Slot", slot.id.rawValue) { () throws(FHIREncodingError) in
                try R4.Slot(slot, context: context)
            }
            writes.append(Ledger.Write(fhir))
        }
        for appointment in change.appointments {
            let fhir = try Restoring.resource("Appointment", appointment.id.rawValue) { () throws(FHIREncodingError) in
                try R4.Appointment(appointment, context: context)
            }
            // The appointment's own version is the one the write makes, so a book holding an older copy
            // than the store is refused whatever this repository read since.
            writes.append(Ledger.Write(fhir, making: appointment.version))
        }
        for entry in change.waitlist {
            let fhir = try Restoring.resource("Appointment", entry.id.rawValue) { () throws(FHIREncodingError) in
                try R4.Appointment(entry, context: context)
            }
            writes.append(Ledger.Write(fhir))
        }
        try kinds.withLock { (kinds) throws(CareStoreError) in
            var claimed = kinds
            for appointment in change.appointments {
                try Self.claim(appointment.id.rawValue, as: .appointment, in: &claimed)
            }
            for entry in change.waitlist { try Self.claim(entry.id.rawValue, as: .waitlistEntry, in: &claimed) }
            _ = try ledger.write(to: store) { _ in writes }
            kinds = claimed
        }
    }

    /// Notes an id's kind, refusing one the other kind holds.
    private static func claim(_ id: String, as kind: Kind, in kinds: inout [String: Kind]) throws(CareStoreError) {
        if let held = kinds[id], held != kind {
            throw CareStoreError(
                .alreadyExists,
                field: .resource("Appointment", id),
                reason: "an appointment and a waiting-list entry cannot share an id"
            )
        }
        kinds[id] = kind
    }
}
