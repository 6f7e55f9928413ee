public import CareCore
import Foundation

/// What one ``AppointmentBook/sweep()`` did.
public struct SweepReport: Hashable, Sendable {
    /// Booked appointments whose end plus the grace period passed, now `noshow`, by id.
    public let noShows: [Appointment]
    /// Waiting-list entries whose offer lapsed, as they stand after the sweep (waiting, or offered another
    /// slot that the sweep released), by id.
    public let lapsedOffers: [WaitlistEntry]
    /// Waiting-list entries offered a slot that a lapsed offer released, by id.
    public let newOffers: [WaitlistEntry]

    /// Whether the sweep changed nothing.
    public var isEmpty: Bool { noShows.isEmpty && lapsedOffers.isEmpty && newOffers.isEmpty }
}

extension AppointmentBook {
    // MARK: - Waiting list

    /// Puts a patient on the waiting list. When a matching slot frees (a cancellation, a reschedule, an
    /// appointment entered in error, a lapsed offer), the first matching entry to have joined is offered it.
    ///
    /// - Parameter entry: A new entry, waiting.
    /// - Returns: The entry as stored.
    /// - Throws: ``AppointmentsError``: `invalidValue` for an id in use or an entry that is not waiting;
    ///   `outsideWindow` for a window that has already ended; `storageFailure`.
    public func addToWaitlist(_ entry: WaitlistEntry) throws(AppointmentsError) -> WaitlistEntry {
        guard waitlistByID[entry.id] == nil, entry.status == .waiting, entry.offer == nil else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("waitlist.id"),
                reason: "a new waiting-list entry needs an unused id and the waiting status"
            )
        }
        guard entry.latest > clock.now() else {
            throw AppointmentsError(
                .outsideWindow,
                field: FieldPath("waitlist.latest"),
                reason: "the waiting-list window has already ended"
            )
        }
        let change = AppointmentBookChange(waitlist: [entry])
        try commit(change)
        apply(change)
        return entry
    }

    /// A waiting-list entry by id.
    ///
    /// - Parameter id: The entry's id.
    /// - Returns: The entry, if the book has it.
    public func waitlistEntry(_ id: WaitlistEntry.ID) -> WaitlistEntry? { waitlistByID[id] }

    /// The entries still waiting or holding an offer, in the order they will be offered slots: by joining
    /// time, then id.
    ///
    /// - Returns: The open entries.
    public func openWaitlist() -> [WaitlistEntry] {
        waitlistByID.values.filter { $0.status == .waiting || $0.status == .offered }
            .sorted { ($0.joined, $0.id) < ($1.joined, $1.id) }
    }

    /// Accepts an entry's open offer: books the held slot for the patient.
    ///
    /// - Parameters:
    ///   - entryID: The entry holding the offer.
    ///   - id: The new appointment's id.
    ///   - description: A short, non-clinical description, at most 100 characters.
    ///   - comment: A non-clinical comment, at most 500 characters.
    /// - Returns: The appointment, `booked`.
    /// - Throws: ``AppointmentsError``: `notFound`; `invalidTransition` when the entry holds no open offer;
    ///   `offerExpired`; otherwise as ``book(patient:slots:id:description:comment:)``.
    public func acceptOffer(
        _ entryID: WaitlistEntry.ID,
        appointment id: Appointment.ID,
        description: String = "",
        comment: String = ""
    ) throws(AppointmentsError) -> Appointment {
        var entry = try openOffer(entryID)
        guard let offer = entry.offer, offer.expires > clock.now() else {
            throw AppointmentsError(
                .offerExpired,
                field: FieldPath("waitlist.offer.expires"),
                reason: "the offer lapsed before it was accepted"
            )
        }
        let (appointment, taken) = try newAppointment(
            patient: entry.patient,
            slots: [offer.slot],
            id: id,
            description: description,
            comment: comment,
            holder: entry.id
        )
        entry.status = .booked
        entry.offer = nil
        entry.appointment = id
        let change = AppointmentBookChange(slots: taken, appointments: [appointment], waitlist: [entry])
        try commit(change)
        apply(change)
        return appointment
    }

    /// Declines an entry's open offer: the entry waits again, is not offered that slot again, and the slot
    /// goes to the next matching entry.
    ///
    /// - Parameter entryID: The entry holding the offer.
    /// - Returns: The entry, waiting.
    /// - Throws: ``AppointmentsError``: `notFound`; `invalidTransition` when the entry holds no open offer;
    ///   `storageFailure`.
    public func declineOffer(_ entryID: WaitlistEntry.ID) throws(AppointmentsError) -> WaitlistEntry {
        var entry = try openOffer(entryID)
        let released = passOver(&entry)
        let change = AppointmentBookChange(waitlist: offers(for: released, now: clock.now(), overriding: [entry]))
        try commit(change)
        apply(change)
        return entry
    }

    /// Takes an entry off the waiting list; a slot it was offered goes to the next matching entry.
    ///
    /// - Parameter entryID: The entry.
    /// - Returns: The entry, withdrawn.
    /// - Throws: ``AppointmentsError``: `notFound`; `invalidTransition` for an entry already booked or
    ///   withdrawn; `storageFailure`.
    public func withdraw(fromWaitlist entryID: WaitlistEntry.ID) throws(AppointmentsError) -> WaitlistEntry {
        var entry = try storedEntry(entryID)
        guard entry.status == .waiting || entry.status == .offered else {
            throw AppointmentsError(
                .invalidTransition,
                field: FieldPath("waitlist.status"),
                reason: "only a waiting or offered entry can be withdrawn"
            )
        }
        let released = entry.status == .offered ? passOver(&entry) : []
        entry.status = .withdrawn
        let change = AppointmentBookChange(waitlist: offers(for: released, now: clock.now(), overriding: [entry]))
        try commit(change)
        apply(change)
        return entry
    }

    // MARK: - Sweeping

    /// The book's housekeeping, which the host runs every minute or so: marks booked appointments whose end
    /// plus ``BookingRules/didNotAttendGrace`` has passed as `noshow`, returns lapsed offers to the waiting
    /// list and offers their slots to the next matching entries. All in one write.
    ///
    /// - Returns: What changed.
    /// - Throws: ``AppointmentsError`` with code `storageFailure`, having changed nothing.
    @discardableResult
    public func sweep() throws(AppointmentsError) -> SweepReport {
        let now = clock.now()
        var lapsed: [WaitlistEntry] = []
        var released: [Slot] = []
        for var entry in waitlistByID.values where entry.status == .offered && (entry.offer?.expires ?? now) <= now {
            released += passOver(&entry)
            lapsed.append(entry)
        }
        let noShows = appointmentsByID.values
            .filter { $0.status == .booked && $0.end.addingTimeInterval(rules.didNotAttendGrace) <= now }
            .map { appointment in
                var appointment = appointment
                appointment.status = .noshow
                appointment.version += 1
                return appointment
            }
            .sorted { $0.id < $1.id }
        let entries = offers(for: released, now: now, overriding: lapsed)
        let change = AppointmentBookChange(appointments: noShows, waitlist: entries)
        if !change.isEmpty {
            try commit(change)
            apply(change)
        }
        return SweepReport(
            noShows: noShows,
            lapsedOffers: lapsed.compactMap { waitlistByID[$0.id] }.sorted { $0.id < $1.id },
            newOffers: entries.filter { $0.status == .offered }
        )
    }

    // MARK: - Offers

    private func storedEntry(_ entryID: WaitlistEntry.ID) throws(AppointmentsError) -> WaitlistEntry {
        guard let entry = waitlistByID[entryID] else {
            throw AppointmentsError(
                .notFound,
                field: FieldPath("waitlist.id"),
                reason: "no waiting-list entry has this id"
            )
        }
        return entry
    }

    private func openOffer(_ entryID: WaitlistEntry.ID) throws(AppointmentsError) -> WaitlistEntry {
        let entry = try storedEntry(entryID)
        guard entry.status == .offered, entry.offer != nil else {
            throw AppointmentsError(
                .invalidTransition,
                field: FieldPath("waitlist.status"),
                reason: "the waiting-list entry holds no open offer"
            )
        }
        return entry
    }

    /// Ends an entry's offer, waiting again and passing over the slot; returns the slot as it stands now.
    private func passOver(_ entry: inout WaitlistEntry) -> [Slot] {
        guard let offer = entry.offer else { return [] }
        entry.status = .waiting
        entry.offer = nil
        entry.passedOver.insert(offer.slot)
        return index[offer.slot].map { [$0] } ?? []
    }

    /// Offers freed places in slots to the first matching waiting entries (one offer per entry, one per slot),
    /// reading entries from `overriding` (which must already be in the book) before the book. Returns the entries of `overriding` and every entry
    /// offered a slot, by id.
    func offers(for slots: [Slot], now: Date, overriding: [WaitlistEntry] = []) -> [WaitlistEntry] {
        var changed: [WaitlistEntry.ID: WaitlistEntry] = [:]
        for entry in overriding { changed[entry.id] = entry }
        let latestOffered = now.addingTimeInterval(rules.bookingHorizon)
        var unique: [Slot.ID: Slot] = [:]
        for slot in slots { unique[slot.id] = slot }
        for slot in unique.values.sorted(by: { ($0.start, $0.id) < ($1.start, $1.id) }) {
            let lastChance = slot.start.addingTimeInterval(-rules.minimumNotice)
            // A hold by an entry this change releases does not count.
            let releasing = holds[slot.id].flatMap { changed[$0]?.id }
            guard isBookable(slot, now: now, by: releasing), lastChance > now,
                slot.start <= latestOffered, let schedule = schedulesByID[slot.schedule], schedule.isActive
            else { continue }
            // A lapsed hold the sweep has not yet cleared: its entry passes the slot over before it is offered
            // again, so no two entries are ever offered one slot.
            if let holder = holds[slot.id], var lapsed = changed[holder] ?? waitlistByID[holder],
                lapsed.status == .offered, lapsed.offer?.slot == slot.id
            {
                _ = passOver(&lapsed)
                changed[holder] = lapsed
            }
            var first: WaitlistEntry?
            for stored in waitlistByID.values {
                let entry = changed[stored.id] ?? stored
                guard entry.accepts(slot, in: schedule) else { continue }
                if let current = first, (current.joined, current.id) <= (entry.joined, entry.id) { continue }
                first = entry
            }
            guard var chosen = first else { continue }
            chosen.status = .offered
            chosen.offer = WaitlistEntry.Offer(
                slot: slot.id,
                made: now,
                expires: min(now.addingTimeInterval(rules.offerLifetime), lastChance)
            )
            changed[chosen.id] = chosen
        }
        return changed.values.sorted { $0.id < $1.id }
    }
}
