import Appointments
import CareCore
import CareStore
import FHIREncoding
import Foundation

/// John's journey with Appointments: he books a follow-up in his physician's diary, sees his reminder plan
/// (which crosses the October clock change), checks in on the day, and moves his next follow-up to video.
struct JohnsJourney {
    /// The journey starts on Monday 19 October 2026 at 10:00 BST, a week before the clocks go back.
    static let start = Date(timeIntervalSince1970: 1_792_400_400)

    let london: CivilTimeZone
    let clock: ManualWallClock
    let store: JourneyStore
    let messenger: AppointmentMessenger
    /// An illustrative practice code in the Cornwall range; not a real practice.
    let practice: ODSCode

    init(store: JourneyStore) throws {
        self.store = store
        london = try CivilTimeZone.europeLondon()
        clock = ManualWallClock(startingAt: Self.start)
        practice = try ODSCode(parsing: "L82999")
        messenger = AppointmentMessenger(
            zone: london,
            contact: "call the surgery on 01872 000000 or use the NHS App",
            serviceNames: ["diabetes-review": "diabetes review"],
            places: [try Schedule.ID(validating: "dr-rowe-diabetes"): "Riverside Surgery, Truro"]
        )
    }

    /// Runs the journey and returns the exit code.
    func run() async throws -> ExitCode {
        print("IntegratedCareKit care journey: John books, is reminded, checks in and switches to video")
        print("Now: \(try stamp(clock.now())) (Europe/London)")
        print("")

        let repository = AppointmentRepository(
            store: store.resources,
            context: AppointmentMappingContext(
                serviceTypeSystem: CodeSystem(
                    rawValue: "https://integratedcarekit.example/fhir/CodeSystem/service-type"
                )
            )
        )
        let book = try AppointmentBook(store: repository, clock: clock)
        let john = try Appointment.PatientID(validating: "john-pat-1")
        let earlier = await book.appointments(of: john)
        if !earlier.isEmpty {
            return try await found(earlier, in: book)
        }
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
        print("1. Dr Rowe's diabetes clinic at \(practice): \(slots.count) slots over six weeks")
        print("   Mondays 9am to midday in person (room 3), Thursdays 2pm to 4pm by video, bank holidays closed")
        print("")

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
        print("2. John searches Dr Rowe's diary for in-person slots in the next 14 days; the first three:")
        for slot in free {
            print("   \(slot.id.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))\(try stamp(slot.start))")
        }
        guard let first = free.first else {
            printError("care-journey: john: no free slot found in Dr Rowe's diary")
            return .failedCheck
        }
        let followUp = try await book.book(
            patient: john,
            slots: [first.id],
            id: try Appointment.ID(validating: "john-follow-up-1"),
            description: "Diabetes follow-up"
        )
        let confirmation = try messenger.confirmation(for: followUp, preferences: preferences)
        print("   Booked \(followUp.id) (version \(followUp.version)); \(confirmation.channel?.rawValue ?? "-"):")
        print("   \"\(confirmation.summary)\"")
        print("")

        print("3. His reminder plan (quiet hours 9pm to 8am)")
        let planner = ReminderPlanner(preferences: preferences, quietHours: quiet, zone: london)
        let plan = planner.plan(for: followUp, now: clock.now())
        for reminder in plan {
            let message = try messenger.reminder(reminder, for: followUp, preferences: preferences)
            let moved = reminder.movedForQuietHours ? " (moved out of quiet hours)" : ""
            print(
                "   \(reminder.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(try stamp(reminder.sendAt)) by \(reminder.channel)\(moved)"
            )
            print("      \"\(message.summary)\"")
        }
        let appointmentTime = try london.localDateTime(at: followUp.start)
        let reminderTime = try plan.first.map { try london.localDateTime(at: $0.sendAt) }
        guard plan.count == 2, let reminderTime,
            reminderTime.date == appointmentTime.date.adding(days: -1),
            reminderTime.secondsSinceMidnight == appointmentTime.secondsSinceMidnight
        else {
            printError(
                "care-journey: john: expected a day-before reminder at the same clock time and an hour-before one"
            )
            return .failedCheck
        }
        print(
            "   The slots before Sunday 25 October are in BST, those after in GMT; each reminder keeps to London time."
        )
        print("")

        print("4. On the day he arrives, checks in at the kiosk and is seen")
        clock.set(to: followUp.start.addingTimeInterval(-8 * 60))
        var seen = try await book.move(followUp.id, expectedVersion: followUp.version, to: .arrived)
        seen = try await book.move(seen.id, expectedVersion: seen.version, to: .checkedIn)
        clock.set(to: followUp.end)
        seen = try await book.move(seen.id, expectedVersion: seen.version, to: .fulfilled)
        print("   \(try stamp(followUp.start.addingTimeInterval(-8 * 60)))  arrived, then checked in")
        print("   \(try stamp(followUp.end))  \(seen.status.rawValue) (version \(seen.version))")
        print("")

        print("5. He books the next follow-up in person, then switches it to video")
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
            printError("care-journey: john: no slots for the next follow-up")
            return .failedCheck
        }
        let next = try await book.book(
            patient: john,
            slots: [inPerson.id],
            id: try Appointment.ID(validating: "john-follow-up-2")
        )
        print("   booked \(next.id) \(try stamp(next.start)) in person")
        let switched = try await book.reschedule(next.id, expectedVersion: next.version, to: [videoSlot.id])
        let change = try messenger.change(from: next, to: switched, preferences: preferences)
        print(
            "   moved to \(try stamp(switched.start)) by video (version \(switched.version)); the in-person slot is free again:"
        )
        let released = await book.slot(inPerson.id)
        print("   \(inPerson.id) is \(released?.status.rawValue ?? "missing")")
        print("   \(change.channel?.rawValue ?? "-"): \"\(change.summary)\"")
        let replanned = planner.plan(for: switched, now: clock.now())
        print(
            "   reminders re-planned: \(try replanned.map { "\($0.kind.rawValue) \(try stamp($0.sendAt))" }.joined(separator: ", "))"
        )
        guard released?.status == .free, switched.channel == .video else {
            printError("care-journey: john: the switch to video did not free the in-person slot")
            return .failedCheck
        }
        return .success
    }

    /// Reports the appointments an earlier run booked, read back from the store, and books nothing.
    private func found(_ appointments: [Appointment], in book: AppointmentBook) async throws -> ExitCode {
        let slots = await book.state().slots.count
        print("1. Found in the store from an earlier run: Dr Rowe's diary with \(slots) slots, and John's appointments")
        for appointment in appointments.sorted(by: { $0.id < $1.id }) {
            print(
                "   \(appointment.id)  \(try stamp(appointment.start))  \(appointment.channel.rawValue), \(appointment.status.rawValue) (version \(appointment.version))"
            )
        }
        print("   Nothing is booked twice: the journey's steps ran in the first run.")
        guard appointments.count == 2, appointments.contains(where: { $0.status == .fulfilled }),
            appointments.contains(where: { $0.status == .booked && $0.channel == .video })
        else {
            printError("care-journey: john: the store does not hold the appointments the first run booked")
            return .failedCheck
        }
        return .success
    }

    /// A moment as London wall-clock time with its offset, to the minute.
    private func stamp(_ moment: Date) throws -> String {
        let text = try london.instant(at: moment, fractionDigits: 0).description
        let local = try london.localDateTime(at: moment)
        return
            "\(local.date.weekday.name.prefix(3)) \(text.prefix(16).replacingOccurrences(of: "T", with: " ")) \(text.suffix(6) == "+00:00" ? "GMT" : "BST")"
    }
}
