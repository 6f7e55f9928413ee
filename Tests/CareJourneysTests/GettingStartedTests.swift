import Appointments
import CareCore
import Foundation
import Testing
import TriageScoring

/// The code of `Documentation/GettingStarted.md`'s first sections, as written there (with `print` turned into
/// checks), so the guide a newcomer follows cannot drift from the API. Change both together.
@Suite("Documentation/GettingStarted.md: the first NEWS2 score and the first booking work as written")
struct GettingStartedTests {
    @Test("Import a module and score NEWS2")
    func firstNEWS2Score() throws {
        let observations = NEWS2Observations(
            respirationRate: 24,
            oxygenSaturation: 93,
            airOrOxygen: .air,
            systolicBloodPressure: 100,
            pulse: 112,
            consciousness: .alert,
            temperature: 38.2
        )
        let assessment = try NEWS2Scorer().assess(observations)
        let score = try #require(assessment.score)
        #expect(score.description == "NEWS2 9 (high)")
        #expect(score.minimumMonitoring.description == "continuous")
    }

    @Test("Make a first booking")
    func firstBooking() async throws {
        let london = try CivilTimeZone.europeLondon()
        let clock = ManualWallClock(startingAt: try Instant(parsing: "2026-10-19T10:00:00+01:00").date)
        let book = try AppointmentBook(store: InMemoryAppointmentStore(), clock: clock)

        let diary = try Schedule(
            id: Schedule.ID(validating: "dr-rowe-diabetes"),
            actors: [.practitioner("dr-rowe")],
            organisation: try ODSCode(parsing: "L82999"),
            serviceType: "diabetes-review"
        )
        try await book.add(schedules: [diary])
        let mondays = ClinicTemplate(
            schedule: diary.id,
            serviceType: "diabetes-review",
            sessions: [
                try .init(
                    weekday: .monday,
                    start: TimeOfDay(hour: 9, minute: 0),
                    end: TimeOfDay(hour: 12, minute: 0),
                    slotMinutes: 15,
                    channel: .inPerson
                )
            ],
            holidays: BankHolidayCalendar(.englandAndWales)
        )
        let today = try london.civilDate(at: clock.now())
        var number = 0
        try await book.add(
            try mondays.slots(from: today.adding(days: 1), through: today.adding(days: 14), in: london) {
                number += 1
                return try Slot.ID(validating: "rowe-\(number)")
            }
        )

        let free = try await book.freeSlots(
            SlotQuery(
                from: clock.now(),
                to: clock.now().addingTimeInterval(14 * 86_400),
                serviceType: "diabetes-review",
                limit: 1
            )
        )
        let appointment = try await book.book(
            patient: try Appointment.PatientID(validating: "john"),
            slots: [free[0].id],
            id: try Appointment.ID(validating: "john-follow-up-1")
        )
        #expect(appointment.status == .booked)
        #expect(try london.localDateTime(at: appointment.start).description == "2026-10-26T09:00:00")

        let reminders = ReminderPlanner(
            preferences: try CommunicationPreferences(preferredChannels: [.sms]),
            quietHours: nil,
            zone: london
        ).plan(for: appointment, now: clock.now())
        #expect(reminders.map(\.kind) == [.dayBefore, .hourBefore])
        #expect(reminders[0].sendAt == (try Instant(parsing: "2026-10-25T09:00:00Z").date))
        #expect(reminders[1].sendAt == appointment.start.addingTimeInterval(-3_600))
    }
}
