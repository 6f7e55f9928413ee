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

    /// Creates rules.
    ///
    /// - Parameters:
    ///   - maximumSearchWindow: The longest search window.
    ///   - bookingHorizon: How far ahead a slot may be booked.
    ///   - minimumNotice: The least notice a booking needs.
    ///   - slotCapacity: How many appointments one slot may hold, at least 1.
    public init(
        maximumSearchWindow: TimeInterval = 14 * 86_400,
        bookingHorizon: TimeInterval = 42 * 86_400,
        minimumNotice: TimeInterval = 0,
        slotCapacity: Int = 1
    ) {
        self.maximumSearchWindow = maximumSearchWindow
        self.bookingHorizon = bookingHorizon
        self.minimumNotice = minimumNotice
        self.slotCapacity = max(1, slotCapacity)
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
    /// The schedules to search, when the search is for some (a practitioner's, an organisation's).
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
    ///   - schedules: The schedules to search.
    ///   - limit: The most slots to return; 50 by default.
    public init(
        from: Date,
        to: Date,
        serviceType: String? = nil,
        channel: DeliveryChannel? = nil,
        schedules: Set<Schedule.ID>? = nil,
        limit: Int = 50
    ) {
        self.from = from
        self.to = to
        self.serviceType = serviceType
        self.channel = channel
        self.schedules = schedules
        self.limit = limit
    }
}

/// The owner of slots and appointments: searching, booking, amending, cancelling and rescheduling, with the
/// FHIR lifecycle enforced and every change versioned.
///
/// Every operation is all or nothing: it checks everything, writes its changes to the
/// ``AppointmentStore``, and only then changes the book, so a failure leaves no trace. Because the book is
/// an actor and its store is synchronous, two bookings of one slot cannot interleave: the second is told
/// the slot is taken (``AppointmentsError/Code/slotUnavailable``).
///
/// ```swift
/// let book = try AppointmentBook(store: InMemoryAppointmentStore(), clock: SystemWallClock())
/// try await book.add(template.slots(from: monday, through: friday, in: london, makeID: newSlotID))
/// let free = try await book.freeSlots(SlotQuery(from: now, to: now + 7 * 86_400, serviceType: "diabetes-review"))
/// let appointment = try await book.book(patient: john, slots: [free[0].id], id: newAppointmentID())
/// ```
public actor AppointmentBook {
    private let store: any AppointmentStore
    private let clock: any WallClock
    /// The rules searches and bookings follow.
    public let rules: BookingRules
    private var slotsByID: [Slot.ID: Slot] = [:]
    /// Slot ids in order of start (then id), for window searches.
    private var slotOrder: [(start: Date, id: Slot.ID)] = []
    private var appointmentsByID: [Appointment.ID: Appointment] = [:]

    /// Opens a book on a store, starting from what the store holds.
    ///
    /// - Parameters:
    ///   - store: Where slots and appointments are kept.
    ///   - clock: The source of "now", for the future-only and notice rules.
    ///   - rules: The booking rules.
    /// - Throws: ``AppointmentsError`` with code `storageFailure` when the store cannot be read.
    public init(
        store: some AppointmentStore,
        clock: some WallClock,
        rules: BookingRules = BookingRules()
    ) throws(AppointmentsError) {
        self.store = store
        self.clock = clock
        self.rules = rules
        let loaded: (slots: [Slot], appointments: [Appointment])
        do {
            loaded = try store.loadAll()
        } catch {
            throw AppointmentsError(.storageFailure, field: FieldPath("store"), reason: "the store could not be read")
        }
        for slot in loaded.slots { slotsByID[slot.id] = slot }
        for appointment in loaded.appointments { appointmentsByID[appointment.id] = appointment }
        slotOrder = loaded.slots.map { ($0.start, $0.id) }.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }

    // MARK: - Slots

    /// Adds slots, all or none.
    ///
    /// - Parameter slots: New slots.
    /// - Throws: ``AppointmentsError``: `invalidValue` when an id is already in the book or repeats;
    ///   `storageFailure` when the store refuses the write.
    public func add(_ slots: [Slot]) throws(AppointmentsError) {
        var seen = Set<Slot.ID>()
        for slot in slots where slotsByID[slot.id] != nil || !seen.insert(slot.id).inserted {
            throw AppointmentsError(.invalidValue, field: FieldPath("slot.id"), reason: "a slot id is already in use")
        }
        try commit(slots: slots, appointments: [])
        for slot in slots { slotsByID[slot.id] = slot }
        // Merge the new slots, sorted, into the existing order rather than sorting everything again.
        let added: [(start: Date, id: Slot.ID)] = slots.map { (start: $0.start, id: $0.id) }
            .sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        var merged: [(start: Date, id: Slot.ID)] = []
        merged.reserveCapacity(slotOrder.count + added.count)
        var i = 0
        var j = 0
        while i < slotOrder.count || j < added.count {
            let takeOld =
                j == added.count
                || (i < slotOrder.count && (slotOrder[i].start, slotOrder[i].id) < (added[j].start, added[j].id))
            if takeOld {
                merged.append(slotOrder[i])
                i += 1
            } else {
                merged.append(added[j])
                j += 1
            }
        }
        slotOrder = merged
    }

    /// A slot by id.
    ///
    /// - Parameter id: The slot's id.
    /// - Returns: The slot, if the book has it.
    public func slot(_ id: Slot.ID) -> Slot? { slotsByID[id] }

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

    /// Free slots matching a query, earliest first: only slots that can be booked now, within the booking
    /// horizon and after the minimum notice.
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
        let earliest = max(query.from, now.addingTimeInterval(rules.minimumNotice))
        let latest = min(query.to, now.addingTimeInterval(rules.bookingHorizon))
        var found: [Slot] = []
        var index = firstSlotIndex(startingAtOrAfter: earliest)
        while index < slotOrder.count, slotOrder[index].start <= latest, found.count < query.limit {
            defer { index += 1 }
            guard let slot = slotsByID[slotOrder[index].id], isBookable(slot) else { continue }
            if let serviceType = query.serviceType, slot.serviceType != serviceType { continue }
            if let channel = query.channel, slot.channel != channel { continue }
            if let schedules = query.schedules, !schedules.contains(slot.schedule) { continue }
            found.append(slot)
        }
        return found
    }

    private func firstSlotIndex(startingAtOrAfter moment: Date) -> Int {
        var low = 0
        var high = slotOrder.count
        while low < high {
            let middle = (low + high) / 2
            if slotOrder[middle].start < moment { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func isBookable(_ slot: Slot) -> Bool {
        switch slot.status {
        case .free: return true
        case .busy, .busyTentative: return slot.bookedCount < rules.slotCapacity
        case .busyUnavailable, .enteredInError: return false
        }
    }

    // MARK: - Booking

    /// Books one or more adjacent slots for a patient, all or nothing.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - slotIDs: The slots, adjacent (each starting when the previous ends), in one schedule, with one
    ///     channel and service.
    ///   - id: The new appointment's id.
    ///   - description: A short, non-clinical description, at most 100 characters.
    ///   - comment: A non-clinical comment, at most 500 characters.
    /// - Returns: The appointment, `booked`, at version 1.
    /// - Throws: ``AppointmentsError``: `notFound` for an unknown slot; `slotUnavailable` when a slot is
    ///   taken; `incompatibleSlots`; `outsideWindow` for a slot in the past, inside the minimum notice or
    ///   beyond the horizon; `invalidValue` for an id in use or text too long; `storageFailure`.
    public func book(
        patient: Appointment.PatientID,
        slots slotIDs: [Slot.ID],
        id: Appointment.ID,
        description: String = "",
        comment: String = ""
    ) throws(AppointmentsError) -> Appointment {
        guard appointmentsByID[id] == nil else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("appointment.id"),
                reason: "an appointment id is already in use"
            )
        }
        try Self.checkText(description: description, comment: comment)
        let slots = try takeableSlots(slotIDs, releasing: [])
        let now = clock.now()
        let appointment = Appointment(
            id: id,
            patient: patient,
            slots: slots.map(\.id),
            start: slots[0].start,
            end: slots[slots.count - 1].end,
            channel: slots[0].channel,
            status: .booked,
            description: description,
            comment: comment,
            cancellation: nil,
            version: 1,
            created: now
        )
        let taken = slots.map { slot in
            var slot = slot
            slot.bookedCount += 1
            slot.status = .busy
            return slot
        }
        try commit(slots: taken, appointments: [appointment])
        apply(slots: taken, appointments: [appointment])
        return appointment
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

    /// Cancels an appointment and frees its slots.
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
            let released = releasedSlots(of: appointment)
            appointment.status = .cancelled
            appointment.cancellation = .init(initiator: initiator, reason: reason)
            return released
        }
    }

    /// Moves an appointment to other slots in one step: the new slots are taken and the old ones freed
    /// together, so the patient never holds both and never neither.
    ///
    /// - Parameters:
    ///   - id: The appointment.
    ///   - expectedVersion: The version the change was made against.
    ///   - slotIDs: The new slots, under the same rules as ``book(patient:slots:id:description:comment:)``;
    ///     they may overlap the old ones.
    /// - Returns: The rescheduled appointment, one version on.
    /// - Throws: ``AppointmentsError``: as ``book(patient:slots:id:description:comment:)``, and
    ///   `versionConflict` or `notAmendable` for an appointment that is not booked.
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
            let newSlots = try takeableSlots(slotIDs, releasing: Set(appointment.slots))
            var changed: [Slot.ID: Slot] = [:]
            for slot in releasedSlots(of: appointment) { changed[slot.id] = slot }
            for slot in newSlots {
                var slot = changed[slot.id] ?? slot
                slot.bookedCount += 1
                slot.status = .busy
                changed[slot.id] = slot
            }
            appointment.slots = newSlots.map(\.id)
            appointment.start = newSlots[0].start
            appointment.end = newSlots[newSlots.count - 1].end
            appointment.channel = newSlots[0].channel
            return changed.values.sorted { $0.id < $1.id }
        }
    }

    /// Moves an appointment along its lifecycle: arrived, checked in, fulfilled, no-show or entered in error.
    /// Cancelling has its own method, since it needs a reason and frees the slots.
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
            if status == .noshow && appointment.end > clock.now() {
                throw AppointmentsError(
                    .outsideWindow,
                    field: FieldPath("appointment.end"),
                    reason: "a patient can be marked as not attending only after the appointment has ended"
                )
            }
            appointment.status = status
            return status == .enteredInError ? releasedSlots(of: appointment) : []
        }
    }

    // MARK: - Support

    /// Changes an appointment all or nothing: checks the version, lets `change` check and edit it and name the
    /// slots it changes, raises the version, writes, and only then changes the book.
    private func update(
        _ id: Appointment.ID,
        expectedVersion: Int,
        _ change: (inout Appointment) throws(AppointmentsError) -> [Slot]
    ) throws(AppointmentsError) -> Appointment {
        var appointment = try current(id, expectedVersion: expectedVersion)
        let slots = try change(&appointment)
        appointment.version += 1
        try commit(slots: slots, appointments: [appointment])
        apply(slots: slots, appointments: [appointment])
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

    /// The slots, checked: known, takeable (counting `releasing` as free), adjacent, compatible and in the
    /// booking window.
    private func takeableSlots(_ ids: [Slot.ID], releasing: Set<Slot.ID>) throws(AppointmentsError) -> [Slot] {
        guard !ids.isEmpty, Set(ids).count == ids.count else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("slots"),
                reason: "an appointment needs one or more different slots"
            )
        }
        var slots: [Slot] = []
        for id in ids {
            guard let slot = slotsByID[id] else {
                throw AppointmentsError(.notFound, field: FieldPath("slots"), reason: "no slot has this id")
            }
            var counted = slot
            if releasing.contains(id) {
                counted.bookedCount -= 1
                if counted.bookedCount == 0 { counted.status = .free }
            }
            guard isBookable(counted) else {
                throw AppointmentsError(
                    .slotUnavailable,
                    field: FieldPath("slots"),
                    reason: "a slot is no longer free"
                )
            }
            slots.append(slot)
        }
        slots.sort { $0.start < $1.start }
        for (previous, next) in zip(slots, slots.dropFirst())
        where next.start != previous.end || next.schedule != previous.schedule || next.channel != previous.channel
            || next.serviceType != previous.serviceType
        {
            throw AppointmentsError(
                .incompatibleSlots,
                field: FieldPath("slots"),
                reason: "slots booked together must be adjacent, in one schedule, with one channel and service"
            )
        }
        let now = clock.now()
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

    private func releasedSlots(of appointment: Appointment) -> [Slot] {
        appointment.slots.compactMap { id in
            guard var slot = slotsByID[id] else { return nil }
            slot.bookedCount = max(0, slot.bookedCount - 1)
            if slot.bookedCount == 0 { slot.status = .free }
            return slot
        }
    }

    private static func checkTransition(_ from: AppointmentStatus, to: AppointmentStatus) throws(AppointmentsError) {
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

    private func commit(slots: [Slot], appointments: [Appointment]) throws(AppointmentsError) {
        do {
            try store.commit(slots: slots, appointments: appointments)
        } catch {
            throw AppointmentsError(
                .storageFailure,
                field: FieldPath("store"),
                reason: "the store refused the change; nothing was changed"
            )
        }
    }

    private func apply(slots: [Slot], appointments: [Appointment]) {
        for slot in slots { slotsByID[slot.id] = slot }
        for appointment in appointments { appointmentsByID[appointment.id] = appointment }
    }
}
