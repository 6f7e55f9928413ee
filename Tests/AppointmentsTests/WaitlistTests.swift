import CareCore
import Foundation
import Testing

@testable import Appointments

@Suite struct WaitlistTests {
    private let now = "2026-07-06T08:00:00+01:00"

    private func entry(
        _ id: String,
        patient name: String,
        joined: String,
        channels: Set<DeliveryChannel> = [.inPerson],
        organisation: String? = nil,
        earliest: String = "2026-07-06T00:00:00+01:00",
        latest: String = "2026-07-31T00:00:00+01:00"
    ) throws -> WaitlistEntry {
        try WaitlistEntry(
            id: WaitlistEntry.ID(unchecked: id),
            patient: patient(name),
            serviceType: "gp-consultation",
            organisation: organisation.flatMap(ODSCode.init),
            channels: channels,
            earliest: moment(earliest),
            latest: moment(latest),
            joined: moment(joined)
        )
    }

    private func entryID(_ text: String) -> WaitlistEntry.ID { WaitlistEntry.ID(unchecked: text) }

    /// A book with two booked slots and three people waiting: Phil (phone only), Claire, then Lucy.
    private func bookWithWaitlist(
        clock: ManualWallClock,
        store: some AppointmentStore = InMemoryAppointmentStore()
    ) async throws -> AppointmentBook {
        let book = try await openBook(at: now, store: store, clock: clock)
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00"), slot("b", at: "2026-07-07T09:15:00+01:00")])
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        _ = try await book.book(patient: patient("sam"), slots: [slotID("b")], id: appointmentID("x2"))
        _ = try await book.addToWaitlist(
            entry("w-phil", patient: "phil", joined: "2026-07-01T09:00:00+01:00", channels: [.telephone])
        )
        _ = try await book.addToWaitlist(entry("w-lucy", patient: "lucy", joined: "2026-07-03T09:00:00+01:00"))
        _ = try await book.addToWaitlist(entry("w-claire", patient: "claire", joined: "2026-07-02T09:00:00+01:00"))
        return book
    }

    @Test func offersAFreedSlotToTheFirstMatchingPatientAndHoldsItForThem() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let book = try await bookWithWaitlist(clock: clock)
        #expect(await book.openWaitlist().map(\.id.rawValue) == ["w-phil", "w-claire", "w-lucy"])
        _ = try await book.cancel(appointmentID("x1"), expectedVersion: 1, initiator: .patient, reason: "Better")
        // Phil joined first but takes only the phone; Claire is next.
        let claire = try #require(await book.waitlistEntry(entryID("w-claire")))
        #expect(claire.status == .offered && claire.offer?.slot == slotID("a"))
        #expect(claire.offer?.expires == (try moment(now)).addingTimeInterval(2 * 3_600))
        #expect(await book.waitlistEntry(entryID("w-phil"))?.status == .waiting)
        // Held for Claire: nobody else sees it or books it.
        let start = try moment(now)
        #expect(try await book.freeSlots(SlotQuery(from: start, to: start.addingTimeInterval(2 * 86_400))).isEmpty)
        await expectCode(.slotUnavailable) {
            _ = try await book.book(patient: patient("zoe"), slots: [slotID("a")], id: appointmentID("x3"))
        }
        let appointment = try await book.acceptOffer(entryID("w-claire"), appointment: appointmentID("x3"))
        #expect(appointment.patient == patient("claire") && appointment.slots == [slotID("a")])
        let booked = try #require(await book.waitlistEntry(entryID("w-claire")))
        #expect(booked.status == .booked && booked.appointment == appointmentID("x3") && booked.offer == nil)
        #expect(await book.openWaitlist().map(\.id.rawValue) == ["w-phil", "w-lucy"])
    }

    @Test func aDeclinedOfferGoesToTheNextPatientAndIsNotOfferedAgain() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let book = try await bookWithWaitlist(clock: clock)
        _ = try await book.cancel(appointmentID("x1"), expectedVersion: 1, initiator: .provider, reason: "Clinic")
        let claire = try await book.declineOffer(entryID("w-claire"))
        #expect(claire.status == .waiting && claire.passedOver == [slotID("a")])
        #expect(await book.waitlistEntry(entryID("w-lucy"))?.offer?.slot == slotID("a"))
        await expectCode(.invalidTransition) { _ = try await book.declineOffer(entryID("w-claire")) }
        // Lucy withdraws: the slot goes back to nobody (Claire passed it over, Phil wants the phone).
        let lucy = try await book.withdraw(fromWaitlist: entryID("w-lucy"))
        #expect(lucy.status == .withdrawn)
        #expect(await book.openWaitlist().allSatisfy { $0.status == .waiting })
        await expectCode(.invalidTransition) { _ = try await book.withdraw(fromWaitlist: entryID("w-lucy")) }
        // The slot is free for anyone again.
        _ = try await book.book(patient: patient("zoe"), slots: [slotID("a")], id: appointmentID("x3"))
    }

    @Test func anOfferLapsesAndTheSweepPassesTheSlotOn() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let book = try await bookWithWaitlist(clock: clock)
        _ = try await book.cancel(appointmentID("x1"), expectedVersion: 1, initiator: .patient, reason: "Away")
        clock.advance(by: .seconds(2 * 3_600 - 1))
        #expect(try await book.sweep().isEmpty)
        clock.advance(by: .seconds(1))
        await expectCode(.offerExpired) {
            _ = try await book.acceptOffer(entryID("w-claire"), appointment: appointmentID("x3"))
        }
        let report = try await book.sweep()
        #expect(report.lapsedOffers.map(\.id.rawValue) == ["w-claire"])
        #expect(report.newOffers.map(\.id.rawValue) == ["w-lucy"])
        #expect(await book.waitlistEntry(entryID("w-claire"))?.passedOver == [slotID("a")])
        #expect(report.noShows.isEmpty)
    }

    @Test func anOfferNeverOutlivesTheLastMomentTheSlotCanBeBooked() async throws {
        let clock = ManualWallClock(startingAt: try moment("2026-07-07T08:00:00+01:00"))
        let book = try await openBook(at: now, rules: BookingRules(minimumNotice: 1_800), clock: clock)
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00")])
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        _ = try await book.addToWaitlist(entry("w-claire", patient: "claire", joined: "2026-07-02T09:00:00+01:00"))
        _ = try await book.cancel(appointmentID("x1"), expectedVersion: 1, initiator: .patient, reason: "Away")
        let offer = try #require(await book.waitlistEntry(entryID("w-claire"))?.offer)
        #expect(offer.expires == (try moment("2026-07-07T08:30:00+01:00")))
    }

    @Test func offersOnlyWithinTheEntrysWindowOrganisationAndChannels() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let book = try await openBook(at: now, clock: clock)
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00")])
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        _ = try await book.addToWaitlist(
            entry("w-late", patient: "late", joined: "2026-07-01T09:00:00+01:00", earliest: "2026-07-08T00:00:00+01:00")
        )
        _ = try await book.addToWaitlist(
            entry("w-other", patient: "other", joined: "2026-07-01T09:00:00+01:00", organisation: "B82002")
        )
        _ = try await book.addToWaitlist(
            entry("w-video", patient: "video", joined: "2026-07-01T09:00:00+01:00", channels: [.video])
        )
        _ = try await book.cancel(appointmentID("x1"), expectedVersion: 1, initiator: .patient, reason: "Away")
        #expect(await book.openWaitlist().allSatisfy { $0.status == .waiting })
        await expectCode(.invalidValue) {
            _ = try await book.addToWaitlist(entry("w-late", patient: "again", joined: "2026-07-01T09:00:00+01:00"))
        }
        await expectCode(.outsideWindow) {
            _ = try await book.addToWaitlist(
                entry(
                    "w-gone",
                    patient: "gone",
                    joined: "2026-07-01T09:00:00+01:00",
                    earliest: "2026-07-01T00:00:00+01:00",
                    latest: "2026-07-05T00:00:00+01:00"
                )
            )
        }
        #expect(throws: AppointmentsError.self) {
            _ = try entry("w-none", patient: "none", joined: "2026-07-01T09:00:00+01:00", channels: [])
        }
    }

    @Test func aRestartKeepsTheWaitlistAndItsHolds() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let store = InMemoryAppointmentStore()
        let book = try await bookWithWaitlist(clock: clock, store: store)
        _ = try await book.cancel(appointmentID("x1"), expectedVersion: 1, initiator: .patient, reason: "Away")
        let restarted = try AppointmentBook(store: store, clock: clock)
        #expect(await restarted.openWaitlist() == book.openWaitlist())
        await expectCode(.slotUnavailable) {
            _ = try await restarted.book(patient: patient("zoe"), slots: [slotID("a")], id: appointmentID("x3"))
        }
        _ = try await restarted.acceptOffer(entryID("w-claire"), appointment: appointmentID("x3"))
    }
}

@Suite struct DidNotAttendTests {
    @Test func theSweepMarksBookedAppointmentsAfterTheGracePeriodOnly() async throws {
        let clock = ManualWallClock(startingAt: try moment("2026-07-06T08:00:00+01:00"))
        let book = try await openBook(at: "2026-07-06T08:00:00+01:00", clock: clock)
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00"), slot("b", at: "2026-07-07T09:15:00+01:00")])
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        _ = try await book.book(patient: patient("claire"), slots: [slotID("b")], id: appointmentID("x2"))
        clock.set(to: try moment("2026-07-07T08:58:00+01:00"))
        _ = try await book.move(appointmentID("x2"), expectedVersion: 1, to: .arrived)
        // John's appointment ends at 09:15; the default grace is 15 minutes.
        clock.set(to: try moment("2026-07-07T09:29:59+01:00"))
        #expect(try await book.sweep().noShows.isEmpty)
        clock.set(to: try moment("2026-07-07T09:30:00+01:00"))
        let report = try await book.sweep()
        #expect(report.noShows.map(\.id) == [appointmentID("x1")])
        #expect(await book.appointment(appointmentID("x1"))?.status == .noshow)
        #expect(await book.appointment(appointmentID("x1"))?.version == 2)
        // Claire arrived: never a no-show, however late the sweep runs.
        clock.set(to: try moment("2026-07-08T09:00:00+01:00"))
        #expect(try await book.sweep().isEmpty)
        #expect(await book.appointment(appointmentID("x2"))?.status == .arrived)
    }

    @Test func theGracePeriodIsConfigurable() async throws {
        let clock = ManualWallClock(startingAt: try moment("2026-07-06T08:00:00+01:00"))
        let book = try await openBook(
            at: "2026-07-06T08:00:00+01:00",
            rules: BookingRules(didNotAttendGrace: 3_600),
            clock: clock
        )
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00")])
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        clock.set(to: try moment("2026-07-07T10:14:59+01:00"))
        #expect(try await book.sweep().noShows.isEmpty)
        clock.advance(by: .seconds(1))
        #expect(try await book.sweep().noShows.count == 1)
    }
}

/// The cases a review found: slots released twice, one slot offered twice, partly freed slots, late moves.
@Suite struct SlotAccountingTests {
    private let now = "2026-07-06T08:00:00+01:00"

    private func waiting(_ id: String, joined: String) throws -> WaitlistEntry {
        try WaitlistEntry(
            id: WaitlistEntry.ID(unchecked: id),
            patient: patient(id),
            serviceType: "gp-consultation",
            channels: [.inPerson],
            earliest: moment(now),
            latest: moment("2026-07-31T00:00:00+01:00"),
            joined: moment(joined)
        )
    }

    @Test func enteringACancelledAppointmentInErrorFreesNothing() async throws {
        let book = try await openBook(at: now)
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00")])
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        _ = try await book.cancel(appointmentID("x1"), expectedVersion: 1, initiator: .patient, reason: "Away")
        _ = try await book.book(patient: patient("claire"), slots: [slotID("a")], id: appointmentID("x2"))
        _ = try await book.move(appointmentID("x1"), expectedVersion: 2, to: .enteredInError)
        #expect(await book.slot(slotID("a"))?.bookedCount == 1)
        #expect(await book.slot(slotID("a"))?.status == .busy)
        await expectCode(.slotUnavailable) {
            _ = try await book.book(patient: patient("zoe"), slots: [slotID("a")], id: appointmentID("x3"))
        }
    }

    @Test func slotsFreedByEnteredInErrorAndByRescheduleAreOffered() async throws {
        let book = try await openBook(at: now)
        try await book.add([
            slot("a", at: "2026-07-07T09:00:00+01:00"), slot("b", at: "2026-07-07T09:15:00+01:00"),
            slot("c", at: "2026-07-07T09:30:00+01:00"),
        ])
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        _ = try await book.book(patient: patient("sam"), slots: [slotID("b")], id: appointmentID("x2"))
        _ = try await book.addToWaitlist(waiting("w1", joined: "2026-07-01T09:00:00+01:00"))
        _ = try await book.addToWaitlist(waiting("w2", joined: "2026-07-02T09:00:00+01:00"))
        _ = try await book.move(appointmentID("x1"), expectedVersion: 1, to: .enteredInError)
        #expect(await book.waitlistEntry(WaitlistEntry.ID(unchecked: "w1"))?.offer?.slot == slotID("a"))
        _ = try await book.reschedule(appointmentID("x2"), expectedVersion: 1, to: [slotID("c")])
        #expect(await book.waitlistEntry(WaitlistEntry.ID(unchecked: "w2"))?.offer?.slot == slotID("b"))
    }

    @Test func aLapsedHoldIsPassedOverBeforeTheSlotIsOfferedAgain() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let book = try await openBook(at: now, clock: clock)
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00")])
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        _ = try await book.addToWaitlist(waiting("w1", joined: "2026-07-01T09:00:00+01:00"))
        _ = try await book.addToWaitlist(waiting("w2", joined: "2026-07-02T09:00:00+01:00"))
        _ = try await book.cancel(appointmentID("x1"), expectedVersion: 1, initiator: .patient, reason: "Away")
        // w1's offer lapses with no sweep; Zoe books the slot and cancels.
        clock.advance(by: .seconds(3 * 3_600))
        _ = try await book.book(patient: patient("zoe"), slots: [slotID("a")], id: appointmentID("x2"))
        _ = try await book.cancel(appointmentID("x2"), expectedVersion: 1, initiator: .patient, reason: "Away")
        let w1 = try #require(await book.waitlistEntry(WaitlistEntry.ID(unchecked: "w1")))
        let w2 = try #require(await book.waitlistEntry(WaitlistEntry.ID(unchecked: "w2")))
        #expect(w1.status == .waiting && w1.passedOver == [slotID("a")])
        #expect(w2.status == .offered && w2.offer?.slot == slotID("a"))
        #expect(await book.openWaitlist().filter { $0.offer?.slot == slotID("a") }.count == 1)
        _ = try await book.acceptOffer(w2.id, appointment: appointmentID("x3"))
        #expect(try await book.sweep().isEmpty)
    }

    @Test func aPlaceFreedInAnOverbookedSlotIsOffered() async throws {
        let book = try await openBook(at: now, rules: BookingRules(slotCapacity: 2))
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00")])
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        _ = try await book.book(patient: patient("sam"), slots: [slotID("a")], id: appointmentID("x2"))
        _ = try await book.addToWaitlist(waiting("w1", joined: "2026-07-01T09:00:00+01:00"))
        _ = try await book.cancel(appointmentID("x1"), expectedVersion: 1, initiator: .patient, reason: "Away")
        #expect(await book.waitlistEntry(WaitlistEntry.ID(unchecked: "w1"))?.offer?.slot == slotID("a"))
        let appointment = try await book.acceptOffer(
            WaitlistEntry.ID(unchecked: "w1"),
            appointment: appointmentID("x3")
        )
        #expect(appointment.slots == [slotID("a")])
        #expect(await book.slot(slotID("a"))?.bookedCount == 2)
    }

    @Test func anAppointmentThatHasStartedCannotBeRescheduled() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let book = try await openBook(at: now, clock: clock)
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00"), slot("b", at: "2026-07-08T09:00:00+01:00")])
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        clock.set(to: try moment("2026-07-07T09:20:00+01:00"))
        await expectCode(.outsideWindow) {
            _ = try await book.reschedule(appointmentID("x1"), expectedVersion: 1, to: [slotID("b")])
        }
    }

    @Test func aPractitionerIsNotBookedTwiceThroughTwoDiaries() async throws {
        let book = try await openBook(
            at: now,
            schedules: [
                schedule("jones-general", actors: [.practitioner("jones")]),
                schedule("jones-diabetes", actors: [.practitioner("jones")], service: "diabetes-review"),
                schedule("room-5", actors: [.location("room-5")], service: "room"),
            ]
        )
        try await book.add([
            slot("g1", at: "2026-07-07T09:00:00+01:00", schedule: "jones-general"),
            slot(
                "d1",
                at: "2026-07-07T09:00:00+01:00",
                minutes: 30,
                schedule: "jones-diabetes",
                service: "diabetes-review"
            ),
            slot("d2", at: "2026-07-07T09:30:00+01:00", schedule: "jones-diabetes", service: "diabetes-review"),
            slot("r1", at: "2026-07-07T09:00:00+01:00", schedule: "room-5", service: "room"),
        ])
        await expectCode(.incompatibleSlots) {
            _ = try await book.book(
                patient: patient("john"),
                slots: [slotID("g1"), slotID("d1")],
                id: appointmentID("x0")
            )
        }
        _ = try await book.book(patient: patient("john"), slots: [slotID("d1")], id: appointmentID("x1"))
        // Dr Jones is in the diabetes clinic from 09:00 to 09:30: the general slot at 09:00 cannot be booked.
        await expectCode(.slotUnavailable) {
            _ = try await book.book(patient: patient("claire"), slots: [slotID("g1")], id: appointmentID("x2"))
        }
        // A room with nobody else in its diaries is free.
        _ = try await book.book(patient: patient("claire"), slots: [slotID("r1")], id: appointmentID("x3"))
        // Moving John within Dr Jones's diaries ignores his own slot.
        _ = try await book.reschedule(appointmentID("x1"), expectedVersion: 1, to: [slotID("g1")])
        #expect(await book.slot(slotID("d1"))?.bookedCount == 0)
    }

    @Test func searchKeepsToNoticeHorizonAndLimit() async throws {
        let book = try await openBook(at: now, rules: BookingRules(bookingHorizon: 3 * 86_400, minimumNotice: 3_600))
        try await book.add([
            slot("soon", at: "2026-07-06T08:30:00+01:00"), slot("ok", at: "2026-07-06T09:00:00+01:00"),
            slot("edge", at: "2026-07-09T08:00:00+01:00"), slot("late", at: "2026-07-09T08:15:00+01:00"),
        ])
        let start = try moment(now)
        let query = SlotQuery(from: start, to: start.addingTimeInterval(7 * 86_400))
        #expect(try await book.freeSlots(query).map(\.id.rawValue) == ["ok", "edge"])
        var none = query
        none.limit = 0
        #expect(try await book.freeSlots(none).isEmpty)
    }
}
