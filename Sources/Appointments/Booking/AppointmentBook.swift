public import CareCore
public import Foundation

/// The rules a book applies to searches and bookings.
public struct BookingRules: Hashable, Sendable {
    /// The longest window a free-slot search may cover: GP Connect's two weeks by default.
    public var maximumSearchWindow: TimeInterval
    /// How far ahead a slot may be booked; 6 weeks by default.
    public var bookingHorizon: TimeInterval
    /// The least notice a booking needs (an embargo on slots about to start); none by default.
    public var minimumNotice: TimeInterval
    /// How many appointments one slot may hold: 1 means no overbooking.
    public var slotCapacity: Int
    /// How long after a booked appointment ends ``AppointmentBook/sweep()`` marks it as not attended;
    /// 15 minutes by default.
    public var didNotAttendGrace: TimeInterval
    /// How long a waiting-list offer holds its slot for the patient; 2 hours by default, and never past the
    /// last moment the slot can be booked.
    public var offerLifetime: TimeInterval

    /// Creates rules.
    ///
    /// - Parameters:
    ///   - maximumSearchWindow: The longest search window.
    ///   - bookingHorizon: How far ahead a slot may be booked.
    ///   - minimumNotice: The least notice a booking needs.
    ///   - slotCapacity: How many appointments one slot may hold, at least 1.
    ///   - didNotAttendGrace: How long after its end a booked appointment is marked as not attended.
    ///   - offerLifetime: How long a waiting-list offer holds its slot.
    public init(
        maximumSearchWindow: TimeInterval = 14 * 86_400,
        bookingHorizon: TimeInterval = 42 * 86_400,
        minimumNotice: TimeInterval = 0,
        slotCapacity: Int = 1,
        didNotAttendGrace: TimeInterval = 15 * 60,
        offerLifetime: TimeInterval = 2 * 3_600
    ) {
        self.maximumSearchWindow = maximumSearchWindow
        self.bookingHorizon = bookingHorizon
        self.minimumNotice = minimumNotice
        self.slotCapacity = max(1, slotCapacity)
        self.didNotAttendGrace = max(0, didNotAttendGrace)
        self.offerLifetime = max(60, offerLifetime)
    }
}

/// A search for free slots.
public struct SlotQuery: Hashable, Sendable {
    /// The earliest start.
    public var from: Date
    /// The latest start.
    public var to: Date
    /// The service, when the search is for one.
    public var serviceType: String?
    /// The delivery channel, when the search is for one.
    public var channel: DeliveryChannel?
    /// The organisation whose schedules to search, by ODS code.
    public var organisation: ODSCode?
    /// The practitioner, room, device or service whose schedules to search.
    public var actor: ScheduleActor?
    /// The schedules to search, when the search is for some.
    public var schedules: Set<Schedule.ID>?
    /// The most slots to return, earliest first.
    public var limit: Int

    /// Creates a query.
    ///
    /// - Parameters:
    ///   - from: The earliest start.
    ///   - to: The latest start.
    ///   - serviceType: The service.
    ///   - channel: The channel.
    ///   - organisation: The organisation.
    ///   - actor: The practitioner, room, device or service.
    ///   - schedules: The schedules to search.
    ///   - limit: The most slots to return; 50 by default.
    public init(
        from: Date,
        to: Date,
        serviceType: String? = nil,
        channel: DeliveryChannel? = nil,
        organisation: ODSCode? = nil,
        actor: ScheduleActor? = nil,
        schedules: Set<Schedule.ID>? = nil,
        limit: Int = 50
    ) {
        self.from = from
        self.to = to
        self.serviceType = serviceType
        self.channel = channel
        self.organisation = organisation
        self.actor = actor
        self.schedules = schedules
        self.limit = limit
    }
}

/// The owner of schedules, slots, appointments and the waiting list: searching, booking, amending,
/// cancelling and rescheduling, with the FHIR lifecycle enforced and every change versioned.
///
/// Every operation is all or nothing: it checks everything, writes its changes to the
/// ``AppointmentStore``, and only then changes the book, so a failure leaves no trace. Because the book is
/// an actor and its store is synchronous, two bookings of one slot cannot interleave: the second is told
/// the slot is taken (``AppointmentsError/Code/slotUnavailable``).
///
/// ```swift
/// let book = try AppointmentBook(store: InMemoryAppointmentStore(), clock: SystemWallClock())
/// try await book.add(schedules: [diabetesClinic])
/// try await book.add(template.slots(from: monday, through: friday, in: london, makeID: newSlotID))
/// let free = try await book.freeSlots(SlotQuery(from: now, to: now + 7 * 86_400, serviceType: "diabetes-review"))
/// let appointment = try await book.book(patient: john, slots: [free[0].id], id: newAppointmentID())
/// ```
public actor AppointmentBook {
    let store: any AppointmentStore
    let clock: any WallClock
    /// The rules searches and bookings follow.
    public let rules: BookingRules
    /// Where the book reports each change written and each change the store refused; disabled unless given.
    public let logger: CareLogger
    var schedulesByID: [Schedule.ID: Schedule] = [:]
    var schedulesByOrganisation: [ODSCode: [Schedule.ID]] = [:]
    var schedulesByActor: [ScheduleActor: [Schedule.ID]] = [:]
    var index = SlotIndex()
    var appointmentsByID: [Appointment.ID: Appointment] = [:]
    var waitlistByID: [WaitlistEntry.ID: WaitlistEntry] = [:]
    /// Slots held for a waiting-list offer, and the entry each is held for.
    var holds: [Slot.ID: WaitlistEntry.ID] = [:]

    /// Opens a book on a store, starting from what the store holds.
    ///
    /// - Parameters:
    ///   - store: Where schedules, slots, appointments and the waiting list are kept.
    ///   - clock: The source of "now", for the future-only, notice, grace and offer rules.
    ///   - rules: The booking rules.
    ///   - logger: Where to report changes written and refused; disabled unless given.
    /// - Throws: ``AppointmentsError`` with code `storageFailure` when the store cannot be read, holds a slot
    ///   of a schedule it does not hold, or two open offers of one slot.
    public init(
        store: any AppointmentStore,
        clock: any WallClock,
        rules: BookingRules = BookingRules(),
        logger: CareLogger = .disabled
    ) throws(AppointmentsError) {
        self.store = store
        self.clock = clock
        self.rules = rules
        self.logger = logger
        let loaded: AppointmentBookState
        do {
            loaded = try store.loadAll()
        } catch {
            throw AppointmentsError(.storageFailure, field: FieldPath("store"), reason: "the store could not be read")
        }
        var schedules: [Schedule.ID: Schedule] = [:]
        for schedule in loaded.schedules.sorted(by: { $0.id < $1.id }) {
            schedules[schedule.id] = schedule
            schedulesByOrganisation[schedule.organisation, default: []].append(schedule.id)
            for actor in Set(schedule.actors) { schedulesByActor[actor, default: []].append(schedule.id) }
        }
        schedulesByID = schedules
        guard loaded.slots.allSatisfy({ schedules[$0.schedule] != nil }) else {
            throw AppointmentsError(
                .storageFailure,
                field: FieldPath("store.slots"),
                reason: "the store holds a slot of a schedule it does not hold"
            )
        }
        index.insert(loaded.slots)
        for appointment in loaded.appointments { appointmentsByID[appointment.id] = appointment }
        for entry in loaded.waitlist {
            waitlistByID[entry.id] = entry
            if entry.status == .offered, let offer = entry.offer {
                guard holds[offer.slot] == nil else {
                    throw AppointmentsError(
                        .storageFailure,
                        field: FieldPath("store.waitlist"),
                        reason: "the store holds two open offers of one slot"
                    )
                }
                holds[offer.slot] = entry.id
            }
        }
    }

    // MARK: - Schedules and slots

    /// Adds schedules, all or none.
    ///
    /// - Parameter schedules: New schedules.
    /// - Throws: ``AppointmentsError``: `invalidValue` when an id is already in the book or repeats;
    ///   `storageFailure` when the store refuses the write.
    public func add(schedules: [Schedule]) throws(AppointmentsError) {
        var seen = Set<Schedule.ID>()
        for schedule in schedules where schedulesByID[schedule.id] != nil || !seen.insert(schedule.id).inserted {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("schedule.id"),
                reason: "a schedule id is already in use"
            )
        }
        try commit(AppointmentBookChange(schedules: schedules))
        for schedule in schedules {
            schedulesByID[schedule.id] = schedule
            schedulesByOrganisation[schedule.organisation, default: []].append(schedule.id)
            for actor in Set(schedule.actors) { schedulesByActor[actor, default: []].append(schedule.id) }
        }
    }

    /// Adds slots to schedules already in the book, all or none.
    ///
    /// - Parameter slots: New slots.
    /// - Throws: ``AppointmentsError``: `invalidValue` when an id is already in the book or repeats;
    ///   `notFound` for a slot of a schedule the book does not hold; `storageFailure` when the store refuses
    ///   the write.
    public func add(_ slots: [Slot]) throws(AppointmentsError) {
        var seen = Set<Slot.ID>()
        for slot in slots {
            guard !index.contains(slot.id), seen.insert(slot.id).inserted else {
                throw AppointmentsError(
                    .invalidValue,
                    field: FieldPath("slot.id"),
                    reason: "a slot id is already in use"
                )
            }
            guard schedulesByID[slot.schedule] != nil else {
                throw AppointmentsError(
                    .notFound,
                    field: FieldPath("slot.schedule"),
                    reason: "add a slot's schedule to the book before the slot"
                )
            }
        }
        guard index.count + slots.count <= Int(Int32.max) else {
            throw AppointmentsError(.invalidValue, field: FieldPath("slots"), reason: "the book is full")
        }
        try commit(AppointmentBookChange(slots: slots))
        index.insert(slots)
    }

    /// Opens or closes a schedule: a closed schedule's slots are not found or booked; its appointments stand.
    ///
    /// - Parameters:
    ///   - id: The schedule.
    ///   - isActive: Whether it is open for booking.
    /// - Returns: The schedule as changed.
    /// - Throws: ``AppointmentsError``: `notFound`; `storageFailure`.
    @discardableResult
    public func setActive(_ id: Schedule.ID, _ isActive: Bool) throws(AppointmentsError) -> Schedule {
        guard var schedule = schedulesByID[id] else {
            throw AppointmentsError(.notFound, field: FieldPath("schedule.id"), reason: "no schedule has this id")
        }
        schedule.isActive = isActive
        try commit(AppointmentBookChange(schedules: [schedule]))
        schedulesByID[id] = schedule
        return schedule
    }

    /// Takes free slots out of use (leave, a room closed at short notice), all or none: they become
    /// `busy-unavailable`; slots already unavailable are left as they are. Cancel or move the appointments
    /// in a slot, and let any waiting-list offer of it end, before withdrawing it.
    ///
    /// - Parameter slotIDs: The slots.
    /// - Returns: The slots as changed.
    /// - Throws: ``AppointmentsError``: `notFound`; `slotUnavailable` for a slot holding an appointment, held
    ///   for a waiting-list offer or entered in error; `storageFailure`.
    @discardableResult
    public func withdraw(slots slotIDs: [Slot.ID]) throws(AppointmentsError) -> [Slot] {
        let now = clock.now()
        var withdrawn: [Slot] = []
        for id in Set(slotIDs).sorted() {
            guard var slot = index[id] else {
                throw AppointmentsError(.notFound, field: FieldPath("slots"), reason: "no slot has this id")
            }
            if slot.status == .busyUnavailable { continue }
            guard slot.status == .free, slot.bookedCount == 0, isBookable(slot, now: now, by: nil) else {
                throw AppointmentsError(
                    .slotUnavailable,
                    field: FieldPath("slots"),
                    reason: "a slot holds an appointment or an offer, or was entered in error"
                )
            }
            slot.status = .busyUnavailable
            withdrawn.append(slot)
        }
        let change = AppointmentBookChange(slots: withdrawn)
        try commit(change)
        apply(change)
        return withdrawn
    }

    /// A schedule by id.
    ///
    /// - Parameter id: The schedule's id.
    /// - Returns: The schedule, if the book has it.
    public func schedule(_ id: Schedule.ID) -> Schedule? { schedulesByID[id] }

    /// The schedules an organisation runs, by id.
    ///
    /// - Parameter organisation: The organisation's ODS code.
    /// - Returns: Its schedules.
    public func schedules(at organisation: ODSCode) -> [Schedule] {
        (schedulesByOrganisation[organisation] ?? []).compactMap { schedulesByID[$0] }.sorted { $0.id < $1.id }
    }

    /// A slot by id.
    ///
    /// - Parameter id: The slot's id.
    /// - Returns: The slot, if the book has it.
    public func slot(_ id: Slot.ID) -> Slot? { index[id] }

    /// An appointment by id.
    ///
    /// - Parameter id: The appointment's id.
    /// - Returns: The appointment, if the book has it.
    public func appointment(_ id: Appointment.ID) -> Appointment? { appointmentsByID[id] }

    /// A patient's appointments, in order of start.
    ///
    /// - Parameter patient: The patient.
    /// - Returns: Their appointments.
    public func appointments(of patient: Appointment.PatientID) -> [Appointment] {
        appointmentsByID.values.filter { $0.patient == patient }.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }

    /// Everything the book holds, each kind sorted by id: for reports, analytics and export.
    ///
    /// - Returns: The schedules, slots, appointments and waiting list.
    public func state() -> AppointmentBookState {
        AppointmentBookState(
            schedules: schedulesByID.values.sorted { $0.id < $1.id },
            slots: index.slots.sorted { $0.id < $1.id },
            appointments: appointmentsByID.values.sorted { $0.id < $1.id },
            waitlist: waitlistByID.values.sorted { $0.id < $1.id }
        )
    }

    /// Free slots matching a query, earliest first (then by id): only slots of active schedules that can be
    /// booked now, within the booking horizon and after the minimum notice, and not held for a waiting-list
    /// offer.
    ///
    /// - Parameter query: The search.
    /// - Returns: Up to `query.limit` slots.
    /// - Throws: ``AppointmentsError`` with code `outsideWindow` when the window is longer than the rules
    ///   allow or ends before it starts.
    public func freeSlots(_ query: SlotQuery) throws(AppointmentsError) -> [Slot] {
        guard query.to >= query.from, query.to.timeIntervalSince(query.from) <= rules.maximumSearchWindow else {
            throw AppointmentsError(
                .outsideWindow,
                field: FieldPath("query"),
                reason: "a search window must end after it starts and be no longer than the rules allow"
            )
        }
        let now = clock.now()
        let candidates: [Schedule.ID]
        if let schedules = query.schedules {
            candidates = Array(schedules)
        } else if let organisation = query.organisation {
            candidates = schedulesByOrganisation[organisation] ?? []
        } else {
            candidates = Array(schedulesByID.keys)
        }
        let searched = candidates.filter { id in
            guard let schedule = schedulesByID[id], schedule.isActive else { return false }
            if let organisation = query.organisation, schedule.organisation != organisation { return false }
            if let actor = query.actor, !schedule.actors.contains(actor) { return false }
            return true
        }
        return index.search(
            buckets: index.buckets(of: searched, serviceType: query.serviceType, channel: query.channel),
            earliest: max(query.from, now.addingTimeInterval(rules.minimumNotice)),
            latest: min(query.to, now.addingTimeInterval(rules.bookingHorizon)),
            limit: query.limit
        ) { isBookable($0, now: now, by: nil) }
    }

    /// Whether a slot can take one more appointment, for a waiting-list entry or (`nil`) anyone.
    func isBookable(_ slot: Slot, now: Date, by entry: WaitlistEntry.ID?) -> Bool {
        switch slot.status {
        case .free: break
        case .busy, .busyTentative:
            // A slot busy with no appointment of this book's (booked elsewhere) is full.
            guard slot.bookedCount > 0, slot.bookedCount < rules.slotCapacity else { return false }
        case .busyUnavailable, .enteredInError: return false
        }
        if !holds.isEmpty, let holder = holds[slot.id], holder != entry,
            let offer = waitlistByID[holder]?.offer, offer.expires > now
        {
            return false
        }
        return true
    }

    // MARK: - Booking

    /// Books one or more slots for a patient, all or nothing: back-to-back slots of one diary for a longer
    /// appointment, and slots of several diaries over the same period for several resources at once (a
    /// practitioner's diary and a room's). The first slot's diary leads: it gives the appointment its
    /// schedule and service.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - slotIDs: The slots, the lead diary's first; in each diary back to back (each starting when the
    ///     previous ends) with one service, every diary covering the same period, all with one channel.
    ///   - id: The new appointment's id.
    ///   - description: A short, non-clinical description, at most 100 characters.
    ///   - comment: A non-clinical comment, at most 500 characters.
    /// - Returns: The appointment, `booked`, at version 1.
    /// - Throws: ``AppointmentsError``: `notFound` for an unknown slot; `slotUnavailable` when a slot is
    ///   taken, held for a waiting-list offer or its schedule is not active; `incompatibleSlots`;
    ///   `outsideWindow` for a slot in the past, inside the minimum notice or beyond the horizon;
    ///   `invalidValue` for an id in use or text too long; `storageFailure`.
    public func book(
        patient: Appointment.PatientID,
        slots slotIDs: [Slot.ID],
        id: Appointment.ID,
        description: String = "",
        comment: String = ""
    ) throws(AppointmentsError) -> Appointment {
        let (appointment, taken) = try newAppointment(
            patient: patient,
            slots: slotIDs,
            id: id,
            description: description,
            comment: comment,
            holder: nil
        )
        try commit(AppointmentBookChange(slots: taken, appointments: [appointment]))
        apply(AppointmentBookChange(slots: taken, appointments: [appointment]))
        return appointment
    }

    /// A new booked appointment and the slots it takes, checked but not yet written.
    func newAppointment(
        patient: Appointment.PatientID,
        slots slotIDs: [Slot.ID],
        id: Appointment.ID,
        description: String,
        comment: String,
        holder: WaitlistEntry.ID?
    ) throws(AppointmentsError) -> (Appointment, [Slot]) {
        guard appointmentsByID[id] == nil else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("appointment.id"),
                reason: "an appointment id is already in use"
            )
        }
        try Self.checkText(description: description, comment: comment)
        let slots = try takeableSlots(slotIDs, releasing: [], holder: holder)
        let appointment = Appointment(
            id: id,
            patient: patient,
            slots: slots.map(\.id),
            schedule: slots[0].schedule,
            serviceType: slots[0].serviceType,
            start: slots[0].start,
            end: slots.map(\.end).max() ?? slots[0].end,
            channel: slots[0].channel,
            status: .booked,
            description: description,
            comment: comment,
            cancellation: nil,
            version: 1,
            created: clock.now()
        )
        let taken = slots.map { slot in
            var slot = slot
            slot.bookedCount += 1
            slot.status = .busy
            return slot
        }
        return (appointment, taken)
    }

    /// Changes an appointment's description and comment: the only fields GP Connect lets a booking system
    /// amend. Times, slots and status change through ``reschedule(_:expectedVersion:to:)``,
    /// ``cancel(_:expectedVersion:initiator:reason:)`` and ``move(_:expectedVersion:to:)``.
    ///
    /// - Parameters:
    ///   - id: The appointment.
    ///   - expectedVersion: The version the change was made against.
    ///   - description: The new description, at most 100 characters.
    ///   - comment: The new comment, at most 500 characters.
    /// - Returns: The amended appointment, one version on.
    /// - Throws: ``AppointmentsError``: `notFound`; `versionConflict`; `notAmendable` for a final or past
    ///   appointment; `invalidValue` for text too long; `storageFailure`.
    public func amend(
        _ id: Appointment.ID,
        expectedVersion: Int,
        description: String,
        comment: String
    ) throws(AppointmentsError) -> Appointment {
        try update(id, expectedVersion: expectedVersion) { appointment throws(AppointmentsError) in
            guard !appointment.status.isFinal, appointment.start > clock.now() else {
                throw AppointmentsError(
                    .notAmendable,
                    field: FieldPath("appointment"),
                    reason: "only a future appointment that is not cancelled or complete can be amended"
                )
            }
            try Self.checkText(description: description, comment: comment)
            appointment.description = description
            appointment.comment = comment
            return []
        }
    }

    /// Cancels an appointment and frees its slots, offering each freed slot to the waiting list.
    ///
    /// - Parameters:
    ///   - id: The appointment.
    ///   - expectedVersion: The version the change was made against.
    ///   - initiator: Who cancelled it.
    ///   - reason: Why, in a few non-clinical words; required.
    /// - Returns: The cancelled appointment, one version on.
    /// - Throws: ``AppointmentsError``: `notFound`; `versionConflict`; `invalidTransition` from a status that
    ///   cannot be cancelled; `outsideWindow` for an appointment that has started; `invalidValue` for an empty
    ///   reason; `storageFailure`.
    public func cancel(
        _ id: Appointment.ID,
        expectedVersion: Int,
        initiator: Appointment.Initiator,
        reason: String
    ) throws(AppointmentsError) -> Appointment {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, reason.count <= 500 else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("cancellation.reason"),
                reason: "a cancellation needs a reason of 1 to 500 characters"
            )
        }
        return try update(id, expectedVersion: expectedVersion) { appointment throws(AppointmentsError) in
            try Self.checkTransition(appointment.status, to: .cancelled)
            guard appointment.start > clock.now() else {
                throw AppointmentsError(
                    .outsideWindow,
                    field: FieldPath("appointment.start"),
                    reason: "an appointment that has started cannot be cancelled"
                )
            }
            let released = appointment.status.holdsSlots ? releasedSlots(of: appointment) : []
            appointment.status = .cancelled
            appointment.cancellation = .init(initiator: initiator, reason: reason)
            return released
        }
    }

    /// Moves an appointment to other slots in one step: the new slots are taken and the old ones freed
    /// together, so the patient never holds both and never neither. Freed slots are offered to the waiting
    /// list.
    ///
    /// - Parameters:
    ///   - id: The appointment.
    ///   - expectedVersion: The version the change was made against.
    ///   - slotIDs: The new slots, under the same rules as ``book(patient:slots:id:description:comment:)``;
    ///     they may overlap the old ones.
    /// - Returns: The rescheduled appointment, one version on.
    /// - Throws: ``AppointmentsError``: as ``book(patient:slots:id:description:comment:)``; `versionConflict`;
    ///   `notAmendable` for an appointment that is not booked; `outsideWindow` for one that has started.
    public func reschedule(
        _ id: Appointment.ID,
        expectedVersion: Int,
        to slotIDs: [Slot.ID]
    ) throws(AppointmentsError) -> Appointment {
        try update(id, expectedVersion: expectedVersion) { appointment throws(AppointmentsError) in
            guard appointment.status == .booked || appointment.status == .pending else {
                throw AppointmentsError(
                    .notAmendable,
                    field: FieldPath("appointment.status"),
                    reason: "only a booked or pending appointment can be rescheduled"
                )
            }
            guard appointment.start > clock.now() else {
                throw AppointmentsError(
                    .outsideWindow,
                    field: FieldPath("appointment.start"),
                    reason: "an appointment that has started cannot be rescheduled"
                )
            }
            let newSlots = try takeableSlots(slotIDs, releasing: Set(appointment.slots), holder: nil)
            var changed: [Slot.ID: Slot] = [:]
            for slot in releasedSlots(of: appointment) { changed[slot.id] = slot }
            for slot in newSlots {
                var slot = changed[slot.id] ?? slot
                slot.bookedCount += 1
                slot.status = .busy
                changed[slot.id] = slot
            }
            appointment.slots = newSlots.map(\.id)
            appointment.schedule = newSlots[0].schedule
            appointment.serviceType = newSlots[0].serviceType
            appointment.start = newSlots[0].start
            appointment.end = newSlots.map(\.end).max() ?? newSlots[0].end
            appointment.channel = newSlots[0].channel
            return changed.values.sorted { $0.id < $1.id }
        }
    }

    /// Moves an appointment along its lifecycle: arrived, checked in, fulfilled, no-show or entered in error.
    /// Cancelling has its own method, since it needs a reason.
    ///
    /// - Parameters:
    ///   - id: The appointment.
    ///   - expectedVersion: The version the change was made against.
    ///   - status: The new status.
    /// - Returns: The appointment, one version on.
    /// - Throws: ``AppointmentsError``: `notFound`; `versionConflict`; `invalidTransition` when the lifecycle
    ///   does not allow it (including `cancelled`, which needs ``cancel(_:expectedVersion:initiator:reason:)``);
    ///   `outsideWindow` for a no-show before the appointment has ended; `storageFailure`.
    public func move(
        _ id: Appointment.ID,
        expectedVersion: Int,
        to status: AppointmentStatus
    ) throws(AppointmentsError) -> Appointment {
        guard status != .cancelled else {
            throw AppointmentsError(
                .invalidTransition,
                field: FieldPath("appointment.status"),
                reason: "cancel an appointment with its reason, not by setting the status"
            )
        }
        return try update(id, expectedVersion: expectedVersion) { appointment throws(AppointmentsError) in
            try Self.checkTransition(appointment.status, to: status)
            let heldSlots = appointment.status.holdsSlots
            if status == .noshow && appointment.end > clock.now() {
                throw AppointmentsError(
                    .outsideWindow,
                    field: FieldPath("appointment.end"),
                    reason: "a patient can be marked as not attending only after the appointment has ended"
                )
            }
            appointment.status = status
            return status == .enteredInError && heldSlots ? releasedSlots(of: appointment) : []
        }
    }

    // MARK: - Support

    /// Changes an appointment all or nothing: checks the version, lets `change` check and edit it and name the
    /// slots it changes, raises the version, offers freed slots to the waiting list, writes, and only then
    /// changes the book.
    private func update(
        _ id: Appointment.ID,
        expectedVersion: Int,
        _ change: (inout Appointment) throws(AppointmentsError) -> [Slot]
    ) throws(AppointmentsError) -> Appointment {
        var appointment = try current(id, expectedVersion: expectedVersion)
        let slots = try change(&appointment)
        appointment.version += 1
        var changes = AppointmentBookChange(slots: slots, appointments: [appointment])
        let freed = slots.filter { $0.bookedCount < (index[$0.id]?.bookedCount ?? 0) }
        changes.waitlist = offers(for: freed, now: clock.now())
        try commit(changes)
        apply(changes)
        return appointment
    }

    private func current(_ id: Appointment.ID, expectedVersion: Int) throws(AppointmentsError) -> Appointment {
        guard let appointment = appointmentsByID[id] else {
            throw AppointmentsError(.notFound, field: FieldPath("appointment.id"), reason: "no appointment has this id")
        }
        guard appointment.version == expectedVersion else {
            throw AppointmentsError(
                .versionConflict,
                field: FieldPath("appointment.version"),
                reason: "the appointment has changed since this version; read it again"
            )
        }
        return appointment
    }

    /// The slots, checked: known, takeable (counting `releasing` as free, and a slot held for `holder` as
    /// theirs), compatible, of active schedules and in the booking window; the lead diary's first, each diary's
    /// in order of start.
    private func takeableSlots(
        _ ids: [Slot.ID],
        releasing: Set<Slot.ID>,
        holder: WaitlistEntry.ID?
    ) throws(AppointmentsError) -> [Slot] {
        guard !ids.isEmpty, Set(ids).count == ids.count else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("slots"),
                reason: "an appointment needs one or more different slots"
            )
        }
        let now = clock.now()
        var slots: [Slot] = []
        for id in ids {
            guard let slot = index[id] else {
                throw AppointmentsError(.notFound, field: FieldPath("slots"), reason: "no slot has this id")
            }
            var counted = slot
            if releasing.contains(id) {
                counted.bookedCount -= 1
                if counted.bookedCount == 0 { counted.status = .free }
            }
            guard isBookable(counted, now: now, by: holder), schedulesByID[slot.schedule]?.isActive == true else {
                throw AppointmentsError(
                    .slotUnavailable,
                    field: FieldPath("slots"),
                    reason: "a slot is no longer free"
                )
            }
            slots.append(slot)
        }
        // Each diary's slots run back to back for one service; every diary covers the same period; one channel.
        let lead = slots[0].schedule
        var period: (start: Date, end: Date)?
        var ordered: [Slot] = []
        let diaries =
            slots.count == 1
            ? [(key: lead, value: slots)] : Dictionary(grouping: slots, by: \.schedule).sorted { $0.key < $1.key }
        for (schedule, group) in diaries {
            let run = group.sorted { $0.start < $1.start }
            let span = (start: run[0].start, end: run[run.count - 1].end)
            let backToBack = zip(run, run.dropFirst()).allSatisfy { previous, next in
                next.start == previous.end && next.serviceType == previous.serviceType
            }
            guard backToBack, period.map({ $0 == span }) ?? true else {
                throw AppointmentsError(
                    .incompatibleSlots,
                    field: FieldPath("slots"),
                    reason: "slots booked together must run back to back in each diary and cover one period in all"
                )
            }
            period = span
            ordered = schedule == lead ? run + ordered : ordered + run
        }
        guard slots.allSatisfy({ $0.channel == slots[0].channel }) else {
            throw AppointmentsError(
                .incompatibleSlots,
                field: FieldPath("slots"),
                reason: "slots booked together must share one channel"
            )
        }
        slots = ordered
        try checkActorsAreFree(slots, period: period, releasing: releasing)
        guard slots[0].start >= now.addingTimeInterval(rules.minimumNotice),
            slots[0].start <= now.addingTimeInterval(rules.bookingHorizon)
        else {
            throw AppointmentsError(
                .outsideWindow,
                field: FieldPath("slots"),
                reason: "the slot is in the past, inside the minimum notice or beyond the booking horizon"
            )
        }
        return slots
    }

    /// Refuses a booking whose diaries share a practitioner, room or device, or one whose people and places
    /// are already booked at that time in another diary.
    private func checkActorsAreFree(
        _ slots: [Slot],
        period: (start: Date, end: Date)?,
        releasing: Set<Slot.ID>
    ) throws(AppointmentsError) {
        guard let period else { return }
        // The common case: one diary whose people and places have no other diary.
        if slots.allSatisfy({ $0.schedule == slots[0].schedule }),
            let actors = schedulesByID[slots[0].schedule]?.actors,
            actors.allSatisfy({ (schedulesByActor[$0]?.count ?? 0) <= 1 })
        {
            return
        }
        let diaries = Set(slots.map(\.schedule))
        var actors = Set<ScheduleActor>()
        for diary in diaries.sorted() {
            for actor in Set(schedulesByID[diary]?.actors ?? []) where !actors.insert(actor).inserted {
                throw AppointmentsError(
                    .incompatibleSlots,
                    field: FieldPath("slots"),
                    reason: "two diaries in one booking share a practitioner, room or device"
                )
            }
        }
        let elsewhere = Set(actors.flatMap { schedulesByActor[$0] ?? [] }).subtracting(diaries)
        guard !elsewhere.isEmpty else { return }
        if index.anyTaken(of: elsewhere.sorted(), overlapping: period.start, period.end, ignoring: releasing) {
            throw AppointmentsError(
                .slotUnavailable,
                field: FieldPath("slots"),
                reason: "a practitioner, room or device is booked in another diary at this time"
            )
        }
    }

    func releasedSlots(of appointment: Appointment) -> [Slot] {
        appointment.slots.compactMap { id in
            guard var slot = index[id] else { return nil }
            slot.bookedCount = max(0, slot.bookedCount - 1)
            if slot.bookedCount == 0 { slot.status = .free }
            return slot
        }
    }

    static func checkTransition(_ from: AppointmentStatus, to: AppointmentStatus) throws(AppointmentsError) {
        guard from.canMove(to: to) else {
            throw AppointmentsError(
                .invalidTransition,
                field: FieldPath("appointment.status"),
                reason: "the appointment lifecycle does not allow \(from.rawValue) to become \(to.rawValue)"
            )
        }
    }

    private static func checkText(description: String, comment: String) throws(AppointmentsError) {
        guard description.count <= Appointment.maximumDescriptionLength else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("appointment.description"),
                reason: "a description may be at most 100 characters"
            )
        }
        guard comment.count <= Appointment.maximumCommentLength else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("appointment.comment"),
                reason: "a comment may be at most 500 characters"
            )
        }
    }

    func commit(_ change: AppointmentBookChange) throws(AppointmentsError) {
        do {
            try store.commit(change)
            logger.log(.info, module: "Appointments", "appointment book change written", change.logFields)
        } catch {
            logger.log(.error, module: "Appointments", "the store refused an appointment book change", change.logFields)
            throw AppointmentsError(
                .storageFailure,
                field: FieldPath("store"),
                reason: "the store refused the change; nothing was changed"
            )
        }
    }

    /// Applies a written change to the book, keeping the holds in step with the waiting list.
    func apply(_ change: AppointmentBookChange) {
        for slot in change.slots { index.replace(slot) }
        for appointment in change.appointments { appointmentsByID[appointment.id] = appointment }
        for entry in change.waitlist {
            if let previous = waitlistByID[entry.id]?.offer, holds[previous.slot] == entry.id {
                holds[previous.slot] = nil
            }
            waitlistByID[entry.id] = entry
            if entry.status == .offered, let offer = entry.offer { holds[offer.slot] = entry.id }
        }
    }
}

extension AppointmentBookChange {
    /// What a log record says about a change: counts and the appointments' ids and statuses, never a patient.
    var logFields: [LogRecord.Field] {
        [
            .init("schedules", .integer(schedules.count)), .init("slots", .integer(slots.count)),
            .init(
                "appointments",
                .text(appointments.map { "\($0.id):\($0.status.rawValue)" }.sorted().joined(separator: ","))
            ),
            .init("waitlist", .integer(waitlist.count)),
        ]
    }
}
