import CareCore
import Foundation
import Testing

@testable import Appointments

@Suite struct ReminderTests {
    private func planner(
        channels: [CommunicationChannel] = [.sms],
        noDigital: Bool = false,
        quiet: (Int, Int)? = nil
    ) throws -> ReminderPlanner {
        ReminderPlanner(
            preferences: try CommunicationPreferences(preferredChannels: channels, noDigital: noDigital),
            quietHours: try quiet.map {
                try QuietHours(start: TimeOfDay(hour: $0.0, minute: 0), end: TimeOfDay(hour: $0.1, minute: 0))
            },
            zone: try london()
        )
    }

    private func plan(
        _ planner: ReminderPlanner,
        start: String,
        now: String = "2026-01-01T00:00:00Z"
    ) throws -> [String] {
        let zone = try london()
        return try planner.plan(start: moment(start), now: moment(now)).map {
            "\($0.kind.rawValue) \(try zone.instant(at: $0.sendAt, fractionDigits: 0)) \($0.channel)"
        }
    }

    /// The table in the research notes: the day before is the same wall-clock time on the previous day, so 23
    /// or 25 hours before across a change; one hour before is always 3,600 seconds.
    @Test func keepsTheWallClockTimeTheDayBeforeAcrossTheClockChanges() throws {
        let sms = try planner()
        #expect(
            try plan(sms, start: "2026-03-29T09:00:00+01:00") == [
                "day-before 2026-03-28T09:00:00+00:00 sms", "hour-before 2026-03-29T08:00:00+01:00 sms",
            ]
        )
        #expect(
            try plan(sms, start: "2026-10-25T09:00:00+00:00") == [
                "day-before 2026-10-24T09:00:00+01:00 sms", "hour-before 2026-10-25T08:00:00+00:00 sms",
            ]
        )
    }

    /// The traps: an hour before 02:30 BST on 29 March is 00:30 GMT (not the appointment time), and an hour
    /// before 02:00 GMT on 25 October is 01:00 GMT (not two hours before).
    @Test func countsTheHourBeforeInRealTime() throws {
        let sms = try planner()
        #expect(try plan(sms, start: "2026-03-29T02:30:00+01:00").last == "hour-before 2026-03-29T00:30:00+00:00 sms")
        #expect(try plan(sms, start: "2026-10-25T02:00:00+00:00").last == "hour-before 2026-10-25T01:00:00+00:00 sms")
    }

    /// An appointment at 01:30 on Monday 30 March: 01:30 on the Sunday does not exist, so the day-before
    /// reminder moves forward by the gap, to 02:30 BST.
    @Test func movesADayBeforeTimeThatDoesNotExistForward() throws {
        #expect(
            try plan(planner(), start: "2026-03-30T01:30:00+01:00").first == "day-before 2026-03-29T02:30:00+01:00 sms"
        )
    }

    @Test func usesThePhoneOrALetterForPeopleWhoDoNotUseDigitalServices() throws {
        let offline = try planner(channels: [], noDigital: true)
        #expect(
            try plan(offline, start: "2026-07-07T09:00:00+01:00") == [
                "day-before 2026-07-06T09:00:00+01:00 letter", "hour-before 2026-07-07T08:00:00+01:00 phone",
            ]
        )
    }

    @Test func movesRemindersOutOfQuietHours() throws {
        let quiet = try planner(quiet: (21, 8))
        // 08:30: an hour before is 07:30, quiet; the quiet period ends at 08:00, still before the appointment.
        #expect(try plan(quiet, start: "2026-07-07T08:30:00+01:00").last == "hour-before 2026-07-07T08:00:00+01:00 sms")
        // 08:00: the end of the quiet period is not before the appointment, so one minute before it began.
        #expect(try plan(quiet, start: "2026-07-07T08:00:00+01:00").last == "hour-before 2026-07-06T20:59:00+01:00 sms")
        // 07:30: the day before is 07:30, quiet, moved to 08:00 that day.
        #expect(try plan(quiet, start: "2026-07-07T07:30:00+01:00").first == "day-before 2026-07-06T08:00:00+01:00 sms")
        let planned = try quiet.plan(start: moment("2026-07-07T08:30:00+01:00"), now: moment("2026-07-01T00:00:00Z"))
        #expect(planned.map(\.movedForQuietHours) == [false, true])
    }

    @Test func dropsRemindersWhoseTimeHasPassed() throws {
        let sms = try planner()
        // Booked at 10:00 for 14:00 the same day: the day-before reminder has passed.
        #expect(
            try plan(sms, start: "2026-07-07T14:00:00+01:00", now: "2026-07-07T10:00:00+01:00") == [
                "hour-before 2026-07-07T13:00:00+01:00 sms"
            ]
        )
        #expect(try plan(sms, start: "2026-07-07T14:00:00+01:00", now: "2026-07-07T13:30:00+01:00").isEmpty)
    }

    @Test func plansNothingForACancelledAppointment() async throws {
        let book = try await openBook(at: "2026-07-01T09:00:00Z")
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00")])
        let booked = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        let sms = try planner()
        #expect(sms.plan(for: booked, now: try moment("2026-07-01T09:00:00Z")).count == 2)
        let cancelled = try await book.cancel(
            appointmentID("x1"),
            expectedVersion: 1,
            initiator: .provider,
            reason: "Clinic closed"
        )
        #expect(sms.plan(for: cancelled, now: try moment("2026-07-01T09:00:00Z")).isEmpty)
    }

    @Test func refusesEmptyQuietHours() {
        #expect(throws: AppointmentsError.self) {
            try QuietHours(start: TimeOfDay(hour: 9, minute: 0), end: TimeOfDay(hour: 9, minute: 0))
        }
    }
}
