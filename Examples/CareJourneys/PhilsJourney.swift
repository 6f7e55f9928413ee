package import Appointments
import CareCore
package import CarePlans
import CareStore
import FHIREncoding
package import Foundation
import PatientIdentity

/// Phil's journey: he does not use digital services, so everything reaches him by phone or letter. His
/// respiratory consultant writes his COPD plan and, when the clinic discharges him, hands it to his GP; the
/// practice books his review over the phone, confirms it in a large-print letter and reminds him by phone.
package struct PhilsJourney {
    /// The journey starts on Monday 2 November 2026 at 10:00 GMT.
    package static let start = Date(timeIntervalSince1970: 1_793_613_600)

    /// What the journey did, for a test to check.
    package struct Outcome: Sendable {
        /// Who it was about and whether an earlier run had walked it.
        package let summary: JourneySummary
        /// His plan at the end.
        package let plan: CarePlan?
        /// His review appointment.
        package let appointment: Appointment?
        /// Every message sent to him; empty when an earlier run had sent them.
        package let messages: [AppointmentMessage]
        /// His reminder plan; empty when an earlier run had made it.
        package let reminders: [Reminder]
    }

    let london: CivilTimeZone
    let practice: ODSCode
    let hospital: ODSCode
    let store: JourneyStore
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
        practice = try ODSCode(parsing: Journey.practice)
        hospital = try ODSCode(parsing: Journey.hospital)
    }

    /// Runs the journey.
    ///
    /// - Returns: What it did.
    /// - Throws: ``JourneyCheckFailure`` when a step does not turn out as the rules require; a module's error
    ///   when a step fails.
    package func run() async throws -> Outcome {
        say("IntegratedCareKit care journey: Phil, by phone and letter, his plan handed from consultant to GP")
        say("Now: \(try stamp(Self.start)) (Europe/London)")
        say("")

        say("1. Phil is known to his practice and to the hospital's respiratory clinic")
        var index = try store.patientIndex()
        let atPractice = try store.register(People.philAtPractice, in: &index)
        say("   \(atPractice.line)")
        let atHospital = try store.register(People.philAtHospital, in: &index)
        say("   \(atHospital.line)")
        let records = [atPractice.record.id.rawValue, atHospital.record.id.rawValue]
        let summary = JourneySummary(
            journey: .phil,
            records: records,
            foundEarlierRun: atPractice.outcome == .found && atHospital.outcome == .found
        )
        let preferences = try CommunicationPreferences(
            preferredChannels: [.phone, .letter],
            noDigital: true,
            needs: [.largePrint]
        )
        say("   He does not use digital services; the channels he can be offered: \(channels(preferences))")
        let registry = try CarePlanRegistry(store: CarePlanRepository(store: store.resources))
        let phil = try CarePlan.PatientID(validating: records[0])
        let earlier = await registry.plans(of: phil)
        if summary.foundEarlierRun || !earlier.isEmpty {
            guard summary.foundEarlierRun, !earlier.isEmpty else { throw JourneyStoreFailure.incomplete(.phil) }
            return try await found(earlier, summary: summary)
        }
        say("")

        say("2. His respiratory consultant writes his COPD plan with him in clinic")
        let consultant = PlanOwner(name: "Dr Hocking", role: "consultant respiratory physician", organisation: hospital)
        let inClinic = try PlanChange(
            author: "Dr Hocking",
            role: "consultant",
            organisation: hospital,
            at: Self.start,
            reason: "COPD plan agreed in clinic"
        )
        let today = try london.civilDate(at: Self.start)
        var plan = try CarePlan(
            id: try CarePlan.ID(validating: "phil-copd-plan"),
            patient: phil,
            content: PlanContent(
                title: "Phil's COPD plan",
                aboutMe: AboutMe(
                    pleaseCallMe: "Phil",
                    whatMattersToMe: "Tending my allotment and getting to chapel on Sundays",
                    howToCommunicateWithMe: "Phone me or write to me in large print; I do not use the internet"
                ),
                goals: [
                    Goal(
                        id: try Goal.ID(validating: "allotment"),
                        description: "Work on the allotment for an hour without stopping for breath",
                        expressedBy: .patient,
                        due: today.adding(days: 120)
                    )
                ],
                actions: [
                    PlanAction(
                        id: try PlanAction.ID(validating: "rescue-pack"),
                        what: "Keep the rescue pack at home and phone the practice when starting it",
                        owner: "Phil"
                    )
                ],
                communication: preferences,
                contingency: ["If more breathless than usual for two days, phone the practice; at night, 111"],
                reviewDate: today.adding(days: 180),
                owner: consultant
            ),
            change: inClinic
        )
        try await registry.add(plan)
        plan = try await registry.move(plan.id, expectedVersion: plan.version, to: .active, change: inClinic)
        say("   \(plan.id) version \(plan.version), \(plan.status.rawValue), owned by \(owner(plan))")
        say("")

        say("3. The clinic discharges him to his GP, and the consultant hands the plan over")
        let handover = try PlanChange(
            author: "Dr Hocking",
            role: "consultant",
            organisation: hospital,
            at: Self.start.addingTimeInterval(2 * 86_400),
            reason: "Discharged from respiratory clinic to GP care"
        )
        let gp = PlanOwner(name: "Dr Pascoe", role: "GP", organisation: practice)
        plan = try await registry.transfer(plan.id, expectedVersion: plan.version, to: gp, change: handover)
        say("   version \(plan.version): owned by \(owner(plan)); the care team's lead is now \(lead(plan))")
        try Journey.check(
            plan.content.owner == gp && plan.status == .active,
            .phil,
            "the plan did not pass to the GP"
        )
        say("")

        say("4. The practice phones Phil to book his review, and books it for him")
        let (appointment, messages, reminders) = try await bookByPhone(patient: records[0], preferences: preferences)
        let digital = messages.compactMap(\.channel).filter(\.isDigital) + reminders.map(\.channel).filter(\.isDigital)
        try Journey.check(
            digital.isEmpty && reminders.map(\.kind) == [.dayBefore, .hourBefore]
                && messages.first?.channel == .letter && messages.first?.largePrint == true,
            .phil,
            "a message to Phil was not by phone or large-print letter"
        )
        return Outcome(
            summary: summary,
            plan: plan,
            appointment: appointment,
            messages: messages,
            reminders: reminders
        )
    }

    /// Books Phil's review by phone, confirms it by letter and plans phone reminders.
    private func bookByPhone(
        patient: String,
        preferences: CommunicationPreferences
    ) async throws -> (Appointment, [AppointmentMessage], [Reminder]) {
        let clock = ManualWallClock(startingAt: Self.start.addingTimeInterval(3 * 86_400))
        let book = try store.appointmentBook(clock: clock)
        let diary = try Schedule.ID(validating: "dr-pascoe-reviews")
        if await book.schedule(diary) == nil {
            try await book.add(schedules: [
                try Schedule(
                    id: diary,
                    actors: [.practitioner("dr-pascoe"), .location("room-1")],
                    organisation: practice,
                    serviceType: "copd-review"
                )
            ])
            let template = ClinicTemplate(
                schedule: diary,
                serviceType: "copd-review",
                sessions: [
                    try .init(
                        weekday: .wednesday,
                        start: TimeOfDay(hour: 14, minute: 0),
                        end: TimeOfDay(hour: 16, minute: 0),
                        slotMinutes: 20,
                        channel: .inPerson
                    )
                ],
                holidays: BankHolidayCalendar(.englandAndWales)
            )
            let today = try london.civilDate(at: clock.now())
            var number = 0
            let slots = try template.slots(from: today.adding(days: 1), through: today.adding(days: 28), in: london) {
                number += 1
                return try Slot.ID(validating: "pascoe-\(number)")
            }
            try await book.add(slots)
        }
        let offered = try await book.freeSlots(
            SlotQuery(
                from: clock.now().addingTimeInterval(7 * 86_400),
                to: clock.now().addingTimeInterval(21 * 86_400),
                serviceType: "copd-review",
                limit: 2
            )
        )
        guard offered.count == 2 else { throw JourneyCheckFailure(.phil, "Dr Pascoe's diary has no free slots") }
        say("   The receptionist reads him two times: \(try stamp(offered[0].start)) or \(try stamp(offered[1].start))")
        say("   He can't manage the first (chapel choir practice); she books the second while he is on the line")
        let person = try Appointment.PatientID(validating: patient)
        let review = try await book.book(
            patient: person,
            slots: [offered[1].id],
            id: try Appointment.ID(validating: "phil-copd-review"),
            description: "COPD annual review",
            comment: "Booked by phone by reception; patient does not use digital services"
        )
        let messenger = AppointmentMessenger(
            zone: london,
            contact: "phone the surgery on 01872 000000",
            serviceNames: ["copd-review": "COPD review with Dr Pascoe"],
            places: [diary: "Riverside Surgery, Truro"]
        )
        // The confirmation goes in writing, as he asked; reminders come by phone, his first channel.
        let letterOnly = try CommunicationPreferences(
            preferredChannels: [.letter],
            noDigital: true,
            needs: [.largePrint]
        )
        let letter = try messenger.confirmation(for: review, preferences: letterOnly)
        say(
            "   \(review.id) booked for \(try stamp(review.start)); the confirmation goes by \(letter.channel?.rawValue ?? "-")"
        )
        say("   (large print: \(letter.largePrint ? "yes" : "no")):")
        for line in letter.body.split(separator: "\n", omittingEmptySubsequences: false) { say("   | \(line)") }
        let planner = ReminderPlanner(preferences: preferences, quietHours: nil, zone: london)
        let reminders = planner.plan(for: review, now: clock.now())
        var messages = [letter]
        say("   His reminders:")
        for reminder in reminders {
            let message = try messenger.reminder(reminder, for: review, preferences: preferences)
            messages.append(message)
            say(
                "   \(Journey.column(reminder.kind.rawValue, 12))\(try stamp(reminder.sendAt)) by \(reminder.channel): \"\(message.summary)\""
            )
            try store.keep(
                R4.Communication(
                    message,
                    patient: person,
                    reminder: reminder,
                    id: try .init(validating: "phil-copd-review-\(reminder.kind.rawValue)")
                )
            )
        }
        try store.keep(
            R4.Communication(letter, patient: person, id: try .init(validating: "phil-copd-review-letter"))
        )
        return (review, messages, reminders)
    }

    /// Reports the records an earlier run left, read back from the store, and writes nothing.
    private func found(_ plans: [CarePlan], summary: JourneySummary) async throws -> Outcome {
        say("2. Found in the store from an earlier run: his plan")
        for plan in plans {
            say("   \(plan.id) version \(plan.version), \(plan.status.rawValue), owned by \(owner(plan))")
            for version in plan.versions {
                say(
                    "     \(version.number). \(version.change.author) (\(version.change.role)): \(version.change.reason)"
                )
            }
        }
        let book = try store.appointmentBook(clock: FixedWallClock(Self.start))
        let appointments = await book.appointments(of: try Appointment.PatientID(validating: summary.records[0]))
        let letters = try store.resources.search(
            StoreQuery(type: "Communication", reference: "Patient/\(summary.records[0])")
        )
        say("3. His review and the \(letters.count) messages about it (letter and phone calls)")
        for appointment in appointments.sorted(by: { $0.id < $1.id }) {
            say("   \(appointment.id)  \(try stamp(appointment.start))  \(appointment.status.rawValue)")
        }
        say("   Nothing is written twice: the journey's steps ran in the first run.")
        let plan = plans.first
        guard plans.count == 1 && plan?.content.owner?.role == "GP" && appointments.count == 1 && letters.count == 3
        else { throw JourneyStoreFailure.incomplete(.phil) }
        return Outcome(summary: summary, plan: plan, appointment: appointments.first, messages: [], reminders: [])
    }

    private func owner(_ plan: CarePlan) -> String {
        plan.content.owner.map { "\($0.name) (\($0.role), \($0.organisation))" } ?? "nobody"
    }

    private func lead(_ plan: CarePlan) -> String {
        plan.content.careTeam.first(where: \.isLead).map(\.name) ?? "nobody"
    }

    private func channels(_ preferences: CommunicationPreferences) -> String {
        preferences.channelsInOrder().map(\.rawValue).joined(separator: ", ")
    }

    /// A moment as London wall-clock time with its zone, to the minute.
    private func stamp(_ moment: Date) throws -> String { try Journey.stamp(moment, in: london) }
}
