import CareCore
import Foundation
import Testing

@testable import Appointments

@Suite struct MessageTests {
    private let now = "2026-07-06T08:00:00+01:00"

    private func messenger() throws -> AppointmentMessenger {
        try AppointmentMessenger(
            zone: london(),
            contact: "call 01872 000000",
            serviceNames: ["gp-consultation": "GP appointment"],
            places: [Schedule.ID(unchecked: "gp-1"): "Truro Health Park"]
        )
    }

    private func booked(
        clock: ManualWallClock,
        at time: String = "2026-07-07T09:30:00+01:00"
    ) async throws -> (AppointmentBook, Appointment) {
        let book = try await openBook(at: now, clock: clock)
        try await book.add([slot("a", at: time), slot("video", at: "2026-07-08T14:00:00+01:00", channel: .video)])
        let appointment = try await book.book(
            patient: patient("john"),
            slots: [slotID("a")],
            id: appointmentID("x1"),
            description: "Review of chest pain"
        )
        return (book, appointment)
    }

    @Test func confirmsInPlainLanguageWithoutTheClinicalDescription() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let (_, appointment) = try await booked(clock: clock)
        let sms = try CommunicationPreferences(preferredChannels: [.sms])
        let message = try messenger().confirmation(for: appointment, preferences: sms)
        #expect(message.kind == .confirmation && message.audience == .patient && message.channel == .sms)
        #expect(message.content.place == "Truro Health Park")
        #expect(message.content.starts.description.hasPrefix("2026-07-07T09:30"))
        #expect(
            message.body == """
                Your appointment is booked.

                What: GP appointment
                When: Tuesday 7 July 2026 at 9:30am
                How: In person at Truro Health Park

                If you cannot come, please tell us as soon as you can so we can offer the time to someone else: \
                please call 01872 000000.
                """
        )
        #expect(
            message.summary
                == "Booked: GP appointment, Tuesday 7 July 2026 at 9:30am. In person at Truro Health Park."
        )
        #expect(message.summary.count <= 160)
        #expect(!message.body.contains("chest") && !message.summary.contains("chest"))
    }

    @Test func cutsALongSummaryToOneTextMessageInGSMCharacters() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let (_, appointment) = try await booked(clock: clock)
        let wordy = try AppointmentMessenger(
            zone: london(),
            contact: "call 01872 000000",
            serviceNames: ["gp-consultation": String(repeating: "Community respiratory review ", count: 6)]
        )
        let summary = try wordy.confirmation(for: appointment, preferences: CommunicationPreferences()).summary
        #expect(summary.count == 160 && summary.hasSuffix("..."))
        let ascii = summary.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii)
    }

    @Test func writesTimesInTheNHSStyle() {
        #expect(AppointmentMessenger.clockTime(hour: 9, minute: 0) == "9am")
        #expect(AppointmentMessenger.clockTime(hour: 14, minute: 30) == "2:30pm")
        #expect(AppointmentMessenger.clockTime(hour: 12, minute: 0) == "midday")
        #expect(AppointmentMessenger.clockTime(hour: 12, minute: 5) == "12:05pm")
        #expect(AppointmentMessenger.clockTime(hour: 0, minute: 0) == "midnight")
        #expect(AppointmentMessenger.clockTime(hour: 0, minute: 45) == "12:45am")
    }

    @Test func writesLondonTimeAcrossTheClockChange() async throws {
        // 09:00 on Monday 26 October 2026 is GMT: 09:00Z.
        let clock = ManualWallClock(startingAt: try moment("2026-10-20T08:00:00Z"))
        let book = try await openBook(at: "2026-10-20T08:00:00Z", clock: clock)
        try await book.add([slot("a", at: "2026-10-26T09:00:00Z")])
        let appointment = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        let message = try messenger().confirmation(for: appointment, preferences: CommunicationPreferences())
        #expect(message.body.contains("Monday 26 October 2026 at 9am"))
    }

    @Test func describesAChangeOfTimeAndChannel() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let (book, appointment) = try await booked(clock: clock)
        let moved = try await book.reschedule(appointment.id, expectedVersion: 1, to: [slotID("video")])
        let message = try messenger().change(from: appointment, to: moved, preferences: CommunicationPreferences())
        #expect(message.kind == .change && message.channel == .letter)
        #expect(message.content.previousDelivery == .inPerson && message.content.delivery == .video)
        #expect(message.content.place == nil)
        #expect(message.body.contains("Was: Tuesday 7 July 2026 at 9:30am, in person"))
        #expect(message.body.contains("Now: Wednesday 8 July 2026 at 2pm"))
        #expect(message.body.contains("By video: we will send you a link to join"))
        let other = try await book.book(patient: patient("claire"), slots: [slotID("a")], id: appointmentID("x2"))
        #expect(throws: AppointmentsError.self) {
            _ = try messenger().change(from: appointment, to: other, preferences: CommunicationPreferences())
        }
    }

    @Test func saysWhoCancelled() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let (book, appointment) = try await booked(clock: clock)
        #expect(throws: AppointmentsError.self) {
            _ = try messenger().cancellation(of: appointment, preferences: CommunicationPreferences())
        }
        let cancelled = try await book.cancel(appointment.id, expectedVersion: 1, initiator: .provider, reason: "Ill")
        let message = try messenger().cancellation(of: cancelled, preferences: CommunicationPreferences())
        #expect(message.body.hasPrefix("We are sorry, but we have had to cancel your appointment."))
        #expect(message.content.cancelledBy == .provider)
        #expect(message.body.contains("To book another appointment, please call 01872 000000."))
    }

    @Test func honoursLargePrint() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let (_, appointment) = try await booked(clock: clock)
        let phil = try CommunicationPreferences(
            preferredChannels: [.phone, .letter],
            noDigital: true,
            needs: [.largePrint]
        )
        let message = try messenger().confirmation(for: appointment, preferences: phil)
        #expect(message.largePrint && message.channel == .phone)
        let lines = message.body.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= AppointmentMessenger.largePrintLineLength })
        // The words are the same as in standard print, on more, shorter lines.
        let standard = try messenger().confirmation(for: appointment, preferences: CommunicationPreferences())
        #expect(lines.count > standard.body.split(separator: "\n").count)
        #expect(!standard.largePrint)
        #expect(
            message.body.split(whereSeparator: \.isWhitespace) == standard.body.split(whereSeparator: \.isWhitespace)
        )
    }

    @Test func aMissedAppointmentIsDidNotAttendForAnAdultAndWasNotBroughtForAChild() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let (book, appointment) = try await booked(clock: clock)
        #expect(throws: AppointmentsError.self) {
            _ = try messenger().missed(appointment, birthDate: nil, preferences: CommunicationPreferences())
        }
        clock.set(to: try moment("2026-07-07T10:00:00+01:00"))
        let missed = try #require(try await book.sweep().noShows.first)
        let adult = try messenger().missed(
            missed,
            birthDate: day("1960-01-01"),
            preferences: CommunicationPreferences()
        )
        #expect(adult.kind == .didNotAttend && adult.audience == .patient)
        #expect(adult.body.hasPrefix("We missed you at your appointment."))
        // 16 on the day of the appointment: an adult for this rule.
        let sixteen = try messenger().missed(
            missed,
            birthDate: day("2010-07-07"),
            preferences: CommunicationPreferences()
        )
        #expect(sixteen.kind == .didNotAttend)
        // One day short of 16: a child.
        let child = try messenger().missed(
            missed,
            birthDate: day("2010-07-08"),
            preferences: CommunicationPreferences()
        )
        #expect(child.kind == .wasNotBrought && child.audience == .careTeam && child.channel == nil)
        #expect(child.body.contains("No automated letter has been sent."))
        let unknown = try messenger().missed(missed, birthDate: nil, preferences: CommunicationPreferences())
        #expect(unknown.kind == .wasNotBrought)
    }

    @Test func remindersGoOnTheReminderChannel() async throws {
        let clock = ManualWallClock(startingAt: try moment(now))
        let (_, appointment) = try await booked(clock: clock)
        let preferences = try CommunicationPreferences(preferredChannels: [.letter, .sms])
        let planner = try ReminderPlanner(preferences: preferences, quietHours: nil, zone: london())
        let plan = planner.plan(for: appointment, now: try moment(now))
        #expect(plan.map(\.channel) == [.letter, .sms])
        let messages = try plan.map { try messenger().reminder($0, for: appointment, preferences: preferences) }
        #expect(messages.map(\.channel) == [.letter, .sms])
        #expect(messages[0].body.hasPrefix("This is a reminder of your appointment tomorrow."))
        #expect(messages[1].summary.hasPrefix("Reminder: GP appointment in one hour, Tuesday 7 July 2026 at 9:30am."))
    }
}
