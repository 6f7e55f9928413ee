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
