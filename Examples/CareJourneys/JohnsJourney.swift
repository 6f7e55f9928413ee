package import Appointments
import CareCore
import CareStore
import FHIREncoding
package import Foundation
import PatientIdentity

/// John's journey with Appointments: he is found in the patient index, books a follow-up in his physician's
/// diary, sees his reminder plan (which crosses the October clock change), checks in on the day, and moves
/// his next follow-up to video.
package struct JohnsJourney {
    /// The journey starts on Monday 19 October 2026 at 10:00 BST, a week before the clocks go back.
    package static let start = Date(timeIntervalSince1970: 1_792_400_400)

    /// What the journey did, for a test to check.
    package struct Outcome: Sendable {
        /// Who it was about and whether an earlier run had walked it.
        package let summary: JourneySummary
        /// John's appointments as the store holds them at the end, by id.
        package let appointments: [Appointment]
        /// The first follow-up's reminder plan; empty when an earlier run had booked it.
        package let reminders: [Reminder]
        /// The messages sent to John; empty when an earlier run had sent them.
        package let messages: [AppointmentMessage]
    }

    let london: CivilTimeZone
    let clock: ManualWallClock
    let store: JourneyStore
    let messenger: AppointmentMessenger
    let practice: ODSCode
    let say: Narrator

    /// Prepares the journey.
    ///
    /// - Parameters:
    ///   - store: Where the people and records live.
    ///   - say: Where the narrative goes.
    /// - Throws: `CareCoreError` when the time-zone database has no Europe/London.
    package init(store: JourneyStore, say: @escaping Narrator) throws {
        self.store = store
        self.say = say
        london = try CivilTimeZone.europeLondon()
        clock = ManualWallClock(startingAt: Self.start)
        practice = try ODSCode(parsing: Journey.practice)
        messenger = AppointmentMessenger(
            zone: london,
            contact: "call the surgery on 01872 000000 or use the NHS App",
            serviceNames: ["diabetes-review": "diabetes review"],
            places: [try Schedule.ID(validating: "dr-rowe-diabetes"): "Riverside Surgery, Truro"]
        )
    }

    /// Runs the journey.
    ///
    /// - Returns: What it did.
    /// - Throws: ``JourneyCheckFailure`` when a step does not turn out as the rules require; a module's error
    ///   when a step fails.
    package func run() async throws -> Outcome {
        say("IntegratedCareKit care journey: John books, is reminded, checks in and switches to video")
        say("Now: \(try stamp(clock.now())) (Europe/London)")
        say("")

        var index = try store.patientIndex()
        let registration = try store.register(People.johnAtPractice, in: &index)
        say("1. John at Riverside Surgery: \(registration.line)")
        let book = try store.appointmentBook(clock: clock)
        let john = try Appointment.PatientID(validating: registration.record.id.rawValue)
        let summary = JourneySummary(
            journey: .john,
            records: [registration.record.id.rawValue],
            foundEarlierRun: registration.outcome == .found
        )
        let earlier = await book.appointments(of: john)
        if registration.outcome == .found || !earlier.isEmpty {
            guard registration.outcome == .found, !earlier.isEmpty else { throw JourneyStoreFailure.incomplete(.john) }
            return try await found(earlier, in: book, summary: summary)
        }
        say("")
        let diary = try Schedule(
            id: Schedule.ID(validating: "dr-rowe-diabetes"),
            actors: [.practitioner("dr-rowe"), .location("room-3")],
            organisation: practice,
            serviceType: "diabetes-review"
        )
        try await book.add(schedules: [diary])
        let template = ClinicTemplate(
            schedule: diary.id,
            serviceType: "diabetes-review",
            sessions: [
                try .init(
                    weekday: .monday,
                    start: TimeOfDay(hour: 9, minute: 0),
                    end: TimeOfDay(hour: 12, minute: 0),
                    slotMinutes: 15,
                    channel: .inPerson
                ),
                try .init(
                    weekday: .thursday,
                    start: TimeOfDay(hour: 14, minute: 0),
                    end: TimeOfDay(hour: 16, minute: 0),
                    slotMinutes: 15,
                    channel: .video
                ),
            ],
            holidays: BankHolidayCalendar(.englandAndWales)
        )
        let today = try london.civilDate(at: clock.now())
        var slotNumber = 0
        let slots = try template.slots(from: today.adding(days: 1), through: today.adding(days: 42), in: london) {
            slotNumber += 1
            return try Slot.ID(validating: "rowe-\(slotNumber)")
        }
        try await book.add(slots)
        say("2. Dr Rowe's diabetes clinic at \(practice): \(slots.count) slots over six weeks")
        say("   Mondays 9am to midday in person (room 3), Thursdays 2pm to 4pm by video, bank holidays closed")
        say("")

        // John wants an in-person follow-up with Dr Rowe in the next two weeks.
        let preferences = try CommunicationPreferences(preferredChannels: [.sms, .email])
        let quiet = try QuietHours(start: TimeOfDay(hour: 21, minute: 0), end: TimeOfDay(hour: 8, minute: 0))
        let free = try await book.freeSlots(
            SlotQuery(
                from: clock.now(),
                to: clock.now().addingTimeInterval(14 * 86_400),
                serviceType: "diabetes-review",
                channel: .inPerson,
                actor: .practitioner("dr-rowe"),
                limit: 3
            )
        )
        say("3. John searches Dr Rowe's diary for in-person slots in the next 14 days; the first three:")
        for slot in free {
            say("   \(Journey.column(slot.id.rawValue, 9))\(try stamp(slot.start))")
        }
        guard let first = free.first else { throw JourneyCheckFailure(.john, "no free slot in Dr Rowe's diary") }
        let followUp = try await book.book(
            patient: john,
            slots: [first.id],
            id: try Appointment.ID(validating: "john-follow-up-1"),
            description: "Diabetes follow-up"
        )
        var messages: [AppointmentMessage] = []
        let confirmation = try messenger.confirmation(for: followUp, preferences: preferences)
        messages.append(confirmation)
        say("   Booked \(followUp.id) (version \(followUp.version)); \(confirmation.channel?.rawValue ?? "-"):")
        say("   \"\(confirmation.summary)\"")
        say("")

        say("4. His reminder plan (quiet hours 9pm to 8am)")
        let planner = ReminderPlanner(preferences: preferences, quietHours: quiet, zone: london)
        let plan = planner.plan(for: followUp, now: clock.now())
        var reminderMessages: [(AppointmentMessage, Reminder)] = []
        for reminder in plan {
            let message = try messenger.reminder(reminder, for: followUp, preferences: preferences)
            reminderMessages.append((message, reminder))
            messages.append(message)
            let moved = reminder.movedForQuietHours ? " (moved out of quiet hours)" : ""
            say(
                "   \(Journey.column(reminder.kind.rawValue, 12))\(try stamp(reminder.sendAt)) by \(reminder.channel)\(moved)"
            )
            say("      \"\(message.summary)\"")
        }
        let appointmentTime = try london.localDateTime(at: followUp.start)
        let reminderTime = try plan.first.map { try london.localDateTime(at: $0.sendAt) }
        try Journey.check(
            plan.count == 2 && reminderTime?.date == appointmentTime.date.adding(days: -1)
                && reminderTime?.secondsSinceMidnight == appointmentTime.secondsSinceMidnight,
            .john,
            "expected a day-before reminder at the same clock time and an hour-before one"
        )
        say("   The slots before Sunday 25 October are in BST, those after in GMT; each reminder keeps to London time.")
        say("")

        say("5. On the day he arrives at reception, is checked in and is seen")
        clock.set(to: followUp.start.addingTimeInterval(-8 * 60))
        var seen = try await book.move(followUp.id, expectedVersion: followUp.version, to: .arrived)
        seen = try await book.move(seen.id, expectedVersion: seen.version, to: .checkedIn)
        clock.set(to: followUp.end)
        seen = try await book.move(seen.id, expectedVersion: seen.version, to: .fulfilled)
        say("   \(try stamp(followUp.start.addingTimeInterval(-8 * 60)))  arrived, then checked in")
        say("   \(try stamp(followUp.end))  \(seen.status.rawValue) (version \(seen.version))")
        say("")

        say("6. He books the next follow-up in person, then switches it to video")
        func firstFree(_ channel: DeliveryChannel) async throws -> Slot? {
            try await book.freeSlots(
                SlotQuery(
                    from: clock.now().addingTimeInterval(7 * 86_400),
                    to: clock.now().addingTimeInterval(21 * 86_400),
                    serviceType: "diabetes-review",
                    channel: channel,
                    actor: .practitioner("dr-rowe"),
                    limit: 1
                )
            ).first
        }
        guard let inPerson = try await firstFree(.inPerson), let videoSlot = try await firstFree(.video) else {
            throw JourneyCheckFailure(.john, "no slots for the next follow-up")
        }
        let next = try await book.book(
            patient: john,
            slots: [inPerson.id],
            id: try Appointment.ID(validating: "john-follow-up-2")
        )
        say("   booked \(next.id) \(try stamp(next.start)) in person")
        let switched = try await book.reschedule(next.id, expectedVersion: next.version, to: [videoSlot.id])
        let change = try messenger.change(from: next, to: switched, preferences: preferences)
        messages.append(change)
        say(
            "   moved to \(try stamp(switched.start)) by video (version \(switched.version)); the in-person slot is free again:"
        )
        let released = await book.slot(inPerson.id)
        say("   \(inPerson.id) is \(released?.status.rawValue ?? "missing")")
        say("   \(change.channel?.rawValue ?? "-"): \"\(change.summary)\"")
        let replanned = planner.plan(for: switched, now: clock.now())
        say(
            "   reminders re-planned: \(try replanned.map { "\($0.kind.rawValue) \(try stamp($0.sendAt))" }.joined(separator: ", "))"
        )
        try Journey.check(
            released?.status == .free && switched.channel == .video,
            .john,
            "the switch to video did not free the in-person slot"
        )

        // The messages, as FHIR Communications, join John's record.
        try store.keep(
            R4.Communication(confirmation, patient: john, id: try .init(validating: "john-follow-up-1-confirmation"))
        )
        for (message, reminder) in reminderMessages {
            try store.keep(
                R4.Communication(
                    message,
                    patient: john,
                    reminder: reminder,
                    id: try .init(validating: "john-follow-up-1-\(reminder.kind.rawValue)")
                )
            )
        }
        try store.keep(R4.Communication(change, patient: john, id: try .init(validating: "john-follow-up-2-change")))
        return Outcome(
            summary: summary,
            appointments: await book.appointments(of: john).sorted { $0.id < $1.id },
            reminders: plan,
            messages: messages
        )
    }

    /// Reports the appointments an earlier run booked, read back from the store, and books nothing.
    private func found(
        _ appointments: [Appointment],
        in book: AppointmentBook,
        summary: JourneySummary
    ) async throws -> Outcome {
        let slots = await book.state().slots.count
        say("2. Found in the store from an earlier run: Dr Rowe's diary with \(slots) slots, and John's appointments")
        let sorted = appointments.sorted { $0.id < $1.id }
        for appointment in sorted {
            say(
                "   \(appointment.id)  \(try stamp(appointment.start))  \(appointment.channel.rawValue), \(appointment.status.rawValue) (version \(appointment.version))"
            )
        }
        say("   Nothing is booked twice: the journey's steps ran in the first run.")
        guard
            appointments.count == 2 && appointments.contains(where: { $0.status == .fulfilled })
                && appointments.contains(where: { $0.status == .booked && $0.channel == .video })
        else { throw JourneyStoreFailure.incomplete(.john) }
        return Outcome(summary: summary, appointments: sorted, reminders: [], messages: [])
    }

    /// A moment as London wall-clock time with its zone, to the minute.
    private func stamp(_ moment: Date) throws -> String { try Journey.stamp(moment, in: london) }
}
