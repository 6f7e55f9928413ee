import CareCore
import Foundation
import Synchronization
import Testing

@testable import Appointments

/// A store that can be told to fail, to show that a failed write changes nothing.
final class FailingStore: AppointmentStore {
    let inner = InMemoryAppointmentStore()
    let failing = Mutex(false)

    func loadAll() -> AppointmentBookState { inner.loadAll() }

    func commit(_ change: AppointmentBookChange) throws {
        struct Refused: Error {}
        if failing.withLock({ $0 }) { throw Refused() }
        inner.commit(change)
    }
}

@Suite struct AppointmentBookTests {
    /// Monday 6 July 2026, 08:00 in London.
    private let now = "2026-07-06T08:00:00+01:00"

    private func book(
        store: some AppointmentStore = InMemoryAppointmentStore(),
        rules: BookingRules = BookingRules()
    ) async throws -> AppointmentBook {
        let book = try await openBook(at: now, store: store, rules: rules)
        try await book.add([
            slot("a", at: "2026-07-07T09:00:00+01:00"),
            slot("b", at: "2026-07-07T09:15:00+01:00"),
            slot("c", at: "2026-07-07T09:30:00+01:00"),
            slot("video", at: "2026-07-07T09:45:00+01:00", channel: .video),
            slot("past", at: "2026-07-06T07:00:00+01:00"),
            slot("far", at: "2026-09-30T09:00:00+01:00"),
        ])
        return book
    }

    @Test func booksAFreeSlotOnceAndTellsTheSecondCallerWhy() async throws {
        let book = try await book()
        let first = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        #expect(first.status == .booked && first.version == 1)
        #expect(await book.slot(slotID("a"))?.status == .busy)
        await expectCode(.slotUnavailable) {
            _ = try await book.book(patient: patient("claire"), slots: [slotID("a")], id: appointmentID("x2"))
        }
        await expectCode(.invalidValue) {
            _ = try await book.book(patient: patient("claire"), slots: [slotID("b")], id: appointmentID("x1"))
        }
    }

    @Test func booksAdjacentSlotsTogetherOrNotAtAll() async throws {
        let book = try await book()
        let long = try await book.book(
            patient: patient("john"),
            slots: [slotID("b"), slotID("a")],
            id: appointmentID("x1")
        )
        #expect(long.slots == [slotID("a"), slotID("b")])
        #expect(long.end.timeIntervalSince(long.start) == 1_800)
        await expectCode(.incompatibleSlots) {
            _ = try await book.book(
                patient: patient("claire"),
                slots: [slotID("c"), slotID("video")],
                id: appointmentID("x2")
            )
        }
        #expect(await book.slot(slotID("c"))?.status == .free)
    }

    @Test func keepsToTheBookingWindow() async throws {
        let book = try await book()
        await expectCode(.outsideWindow) {
            _ = try await book.book(patient: patient("john"), slots: [slotID("past")], id: appointmentID("x1"))
        }
        await expectCode(.outsideWindow) {
            _ = try await book.book(patient: patient("john"), slots: [slotID("far")], id: appointmentID("x1"))
        }
        let start = try moment(now)
        await expectCode(.outsideWindow) {
            _ = try await book.freeSlots(SlotQuery(from: start, to: start.addingTimeInterval(15 * 86_400)))
        }
        let free = try await book.freeSlots(SlotQuery(from: start, to: start.addingTimeInterval(14 * 86_400)))
        #expect(free.map(\.id.rawValue) == ["a", "b", "c", "video"])
        let video = try await book.freeSlots(
            SlotQuery(from: start, to: start.addingTimeInterval(2 * 86_400), channel: .video)
        )
        #expect(video.map(\.id.rawValue) == ["video"])
    }

    @Test func amendsOnlyDescriptionAndCommentAgainstTheCurrentVersion() async throws {
        let book = try await book()
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        let amended = try await book.amend(appointmentID("x1"), expectedVersion: 1, description: "Review", comment: "")
        #expect(amended.version == 2 && amended.description == "Review")
        await expectCode(.versionConflict) {
            _ = try await book.amend(appointmentID("x1"), expectedVersion: 1, description: "Again", comment: "")
        }
        await expectCode(.invalidValue) {
            _ = try await book.amend(
                appointmentID("x1"),
                expectedVersion: 2,
                description: String(repeating: "x", count: 101),
                comment: ""
            )
        }
    }

    @Test func cancelsWithAReasonAndFreesTheSlot() async throws {
        let book = try await book()
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        await expectCode(.invalidValue) {
            _ = try await book.cancel(appointmentID("x1"), expectedVersion: 1, initiator: .patient, reason: "  ")
        }
        let cancelled = try await book.cancel(
            appointmentID("x1"),
            expectedVersion: 1,
            initiator: .patient,
            reason: "Away"
        )
        #expect(cancelled.status == .cancelled && cancelled.cancellation?.initiator == .patient)
        #expect(await book.slot(slotID("a"))?.status == .free)
        await expectCode(.invalidTransition) {
            _ = try await book.cancel(appointmentID("x1"), expectedVersion: 2, initiator: .patient, reason: "Again")
        }
        // The freed slot can be booked again.
        _ = try await book.book(patient: patient("claire"), slots: [slotID("a")], id: appointmentID("x2"))
    }

    @Test func reschedulesInOneStep() async throws {
        let book = try await book()
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        _ = try await book.book(patient: patient("claire"), slots: [slotID("c")], id: appointmentID("x2"))
        // The new slot is taken: nothing changes.
        await expectCode(.slotUnavailable) {
            _ = try await book.reschedule(appointmentID("x1"), expectedVersion: 1, to: [slotID("c")])
        }
        #expect(await book.slot(slotID("a"))?.status == .busy)
        #expect(await book.appointment(appointmentID("x1"))?.version == 1)
        // Overlapping the old slot is allowed: a and b, from a.
        let moved = try await book.reschedule(appointmentID("x1"), expectedVersion: 1, to: [slotID("a"), slotID("b")])
        #expect(moved.slots == [slotID("a"), slotID("b")] && moved.version == 2)
        let video = try await book.reschedule(appointmentID("x1"), expectedVersion: 2, to: [slotID("video")])
        #expect(video.channel == .video)
        #expect(await book.slot(slotID("a"))?.status == .free)
        #expect(await book.slot(slotID("b"))?.status == .free)
        #expect(await book.slot(slotID("video"))?.bookedCount == 1)
    }

    @Test func followsTheLifecycle() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let book = try await openBook(at: now, clock: clock)
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00"), slot("b", at: "2026-07-07T09:15:00+01:00")])
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        _ = try await book.book(patient: patient("claire"), slots: [slotID("b")], id: appointmentID("x2"))
        await expectCode(.outsideWindow) {
            _ = try await book.move(appointmentID("x2"), expectedVersion: 1, to: .noshow)
        }
        await expectCode(.invalidTransition) {
            _ = try await book.move(appointmentID("x1"), expectedVersion: 1, to: .fulfilled)
        }
        await expectCode(.invalidTransition) {
            _ = try await book.move(appointmentID("x1"), expectedVersion: 1, to: .cancelled)
        }
        clock.set(to: try moment("2026-07-07T08:55:00+01:00"))
        var john = try await book.move(appointmentID("x1"), expectedVersion: 1, to: .arrived)
        john = try await book.move(appointmentID("x1"), expectedVersion: john.version, to: .checkedIn)
        john = try await book.move(appointmentID("x1"), expectedVersion: john.version, to: .fulfilled)
        #expect(john.status == .fulfilled && john.version == 4)
        clock.set(to: try moment("2026-07-07T09:45:00+01:00"))
        let claire = try await book.move(appointmentID("x2"), expectedVersion: 1, to: .noshow)
        #expect(claire.status == .noshow)
        await expectCode(.notAmendable) {
            _ = try await book.amend(appointmentID("x2"), expectedVersion: 2, description: "", comment: "")
        }
    }

    @Test func aFailedWriteChangesNothingAndARestartKeepsEverything() async throws {
        let store = FailingStore()
        let first = try await book(store: store)
        _ = try await first.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        store.failing.withLock { $0 = true }
        await expectCode(.storageFailure) {
            _ = try await first.book(patient: patient("claire"), slots: [slotID("b")], id: appointmentID("x2"))
        }
        #expect(await first.slot(slotID("b"))?.status == .free)
        #expect(await first.appointment(appointmentID("x2")) == nil)
        store.failing.withLock { $0 = false }
        let restarted = try AppointmentBook(store: store, clock: FixedWallClock(moment(now)))
        #expect(await restarted.appointment(appointmentID("x1"))?.status == .booked)
        #expect(await restarted.slot(slotID("a"))?.status == .busy)
        #expect(await restarted.slot(slotID("b"))?.status == .free)
    }

    @Test func keepsSlotsInOrderWhenAddedInSeveralBatches() async throws {
        let book = try await book()
        try await book.add([slot("d", at: "2026-07-07T09:10:00+01:00"), slot("e", at: "2026-07-07T08:50:00+01:00")])
        await expectCode(.invalidValue) { try await book.add([slot("a", at: "2026-07-08T09:00:00+01:00")]) }
        let start = try moment(now)
        let free = try await book.freeSlots(SlotQuery(from: start, to: start.addingTimeInterval(2 * 86_400)))
        #expect(free.map(\.id.rawValue) == ["e", "a", "d", "b", "c", "video"])
    }

    @Test func overbooksOnlyUpToTheSlotCapacity() async throws {
        let book = try await book(rules: BookingRules(slotCapacity: 2))
        _ = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        _ = try await book.book(patient: patient("claire"), slots: [slotID("a")], id: appointmentID("x2"))
        #expect(await book.slot(slotID("a"))?.overbooked == true)
        await expectCode(.slotUnavailable) {
            _ = try await book.book(patient: patient("phil"), slots: [slotID("a")], id: appointmentID("x3"))
        }
    }
}

@Suite struct BookingStressTests {
    /// 10,000 booking attempts over 1,000 slots from many tasks at once: every slot is booked exactly once,
    /// every success is recorded, and every loser is told the slot was taken.
    @Test func manyConcurrentBookingsNeverDoubleBook() async throws {
        let start = try moment("2026-07-07T09:00:00+01:00")
        let book = try await openBook(
            at: "2026-07-06T08:00:00+01:00",
            schedules: (0..<20).map { try schedule("gp-\($0)") }
        )
        var slots: [Slot] = []
        for index in 0..<1_000 {
            let begins: Date = start.addingTimeInterval(Double(index / 20) * 900)
            let slot = try Slot(
                id: Slot.ID(unchecked: "s\(index)"),
                schedule: Schedule.ID(unchecked: "gp-\(index % 20)"),
                start: begins,
                end: begins.addingTimeInterval(900),
                channel: .inPerson,
                serviceType: "gp-consultation"
            )
            slots.append(slot)
        }
        try await book.add(slots)
        let outcomes = await withTaskGroup(of: (Int, AppointmentsError.Code?).self) { group in
            for attempt in 0..<10_000 {
                group.addTask {
                    do {
                        _ = try await book.book(
                            patient: Appointment.PatientID(unchecked: "p\(attempt)"),
                            slots: [Slot.ID(unchecked: "s\(attempt % 1_000)")],
                            id: Appointment.ID(unchecked: "a\(attempt)")
                        )
                        return (attempt, nil)
                    } catch let error as AppointmentsError {
                        return (attempt, error.code)
                    } catch {
                        return (attempt, AppointmentsError.Code(rawValue: "unexpected"))
                    }
                }
            }
            var collected: [(Int, AppointmentsError.Code?)] = []
            for await outcome in group { collected.append(outcome) }
            return collected
        }
        let winners = outcomes.filter { $0.1 == nil }.map(\.0)
        #expect(winners.count == 1_000)
        #expect(Set(winners.map { $0 % 1_000 }).count == 1_000)
        #expect(outcomes.filter { $0.1 != nil }.allSatisfy { $0.1 == .slotUnavailable })
        for attempt in winners {
            let appointment = await book.appointment(Appointment.ID(unchecked: "a\(attempt)"))
            #expect(appointment?.slots == [Slot.ID(unchecked: "s\(attempt % 1_000)")])
        }
        for slot in slots { #expect(await book.slot(slot.id)?.bookedCount == 1) }
    }
}

@Suite struct SeveralResourcesTests {
    private let now = "2026-07-06T08:00:00+01:00"

    /// Dr Jones's diary and the minor-operations room's diary, each with 09:00 and 09:15 slots.
    private func diaries() async throws -> AppointmentBook {
        let book = try await openBook(
            at: now,
            schedules: [
                schedule("jones", actors: [.practitioner("jones")], service: "minor-surgery"),
                schedule("room", actors: [.location("minor-ops-room")], service: "room"),
            ]
        )
        try await book.add([
            slot("j1", at: "2026-07-07T09:00:00+01:00", schedule: "jones", service: "minor-surgery"),
            slot("j2", at: "2026-07-07T09:15:00+01:00", schedule: "jones", service: "minor-surgery"),
            slot("r1", at: "2026-07-07T09:00:00+01:00", schedule: "room", service: "room"),
            slot("r2", at: "2026-07-07T09:15:00+01:00", schedule: "room", service: "room"),
            slot("r3", at: "2026-07-07T09:30:00+01:00", schedule: "room", service: "room"),
            slot("rv", at: "2026-07-07T09:30:00+01:00", schedule: "room", channel: .video, service: "room"),
        ])
        return book
    }

    @Test func booksAPractitionerAndARoomTogether() async throws {
        let book = try await diaries()
        let appointment = try await book.book(
            patient: patient("claire"),
            slots: [slotID("r2"), slotID("j1"), slotID("r1"), slotID("j2")],
            id: appointmentID("x1")
        )
        // The first slot named leads, so this appointment's diary is the room's.
        #expect(appointment.schedule == Schedule.ID(unchecked: "room"))
        #expect(appointment.slots == [slotID("r1"), slotID("r2"), slotID("j1"), slotID("j2")])
        #expect(appointment.end.timeIntervalSince(appointment.start) == 1_800)
        for id in ["j1", "j2", "r1", "r2"] { #expect(await book.slot(slotID(id))?.status == .busy) }
        // The room is taken: a second operation at 09:00 fails and takes nothing.
        await expectCode(.slotUnavailable) {
            _ = try await book.book(patient: patient("john"), slots: [slotID("r1")], id: appointmentID("x2"))
        }
        let led = try await book.book(patient: patient("john"), slots: [slotID("r3")], id: appointmentID("x3"))
        #expect(led.schedule == Schedule.ID(unchecked: "room"))
    }

    @Test func refusesResourcesThatDoNotCoverOnePeriod() async throws {
        let book = try await diaries()
        // The practitioner for 30 minutes, the room for 15.
        await expectCode(.incompatibleSlots) {
            _ = try await book.book(
                patient: patient("claire"),
                slots: [slotID("j1"), slotID("j2"), slotID("r1")],
                id: appointmentID("x1")
            )
        }
        // A gap in one diary.
        await expectCode(.incompatibleSlots) {
            _ = try await book.book(
                patient: patient("claire"),
                slots: [slotID("r1"), slotID("r3")],
                id: appointmentID("x1")
            )
        }
        // Two channels.
        await expectCode(.incompatibleSlots) {
            _ = try await book.book(
                patient: patient("claire"),
                slots: [slotID("r2"), slotID("rv")],
                id: appointmentID("x1")
            )
        }
        for id in ["j1", "j2", "r1", "r2", "r3", "rv"] { #expect(await book.slot(slotID(id))?.status == .free) }
        // The lead decides the service.
        let jones = try await book.book(
            patient: patient("claire"),
            slots: [slotID("j1"), slotID("r1")],
            id: appointmentID("x1")
        )
        #expect(jones.serviceType == "minor-surgery" && jones.schedule == Schedule.ID(unchecked: "jones"))
    }
}
