package import Appointments
import CareCore
package import CarePlans
import CareStore
package import ConsentAccess
import FHIREncoding
package import Foundation
package import PatientIdentity
package import TriageScoring

/// Claire's journey: her GP and the hospital each hold a record, and the patient index knows them for one
/// person; she books and moves a heart-failure clinic appointment; she writes her care plan with her GP,
/// ReSPECT recommendations included; in an emergency the ambulance crew reads her emergency summary under an
/// audited decision; the emergency department scores her with NEWS2 and places her on its board; the hospital
/// discharges her to the community nursing team, who can then see her plan; a virtual ward escalates an
/// unacknowledged alert; and Claire sees who looked at her record.
package struct ClairesJourney {
    /// The journey starts on Monday 6 July 2026 at 10:00 BST.
    package static let start = Date(timeIntervalSince1970: 1_783_328_400)
    /// The 999 call, 30 days later.
    static let callTime = start.addingTimeInterval(30 * 86_400)
    /// Discharge from hospital to the community team and the virtual ward, three days after the call.
    static let discharge = callTime.addingTimeInterval(3 * 86_400)

    /// What the journey did, for a test to check.
    package struct Outcome: Sendable {
        /// Who it was about and whether an earlier run had walked it.
        package let summary: JourneySummary
        /// What the index made of Claire at the hospital; `nil` when an earlier run had registered her.
        package let hospitalRecognition: MatchGrade?
        /// Her clinic appointment at the end.
        package let appointment: Appointment?
        /// Her care plan at the end.
        package let plan: CarePlan?
        /// The crew's decision; `nil` when an earlier run had made it.
        package let crewDecision: AccessDecision?
        /// Her NEWS2 score on arrival.
        package let arrivalScore: NEWS2Score?
        /// Her place on the board after scoring.
        package let boardPosition: Int?
        /// The community nurse's decisions before and after discharge.
        package let communityDecisions: [AccessDecision]
        /// What the virtual ward's monitor did.
        package let wardEvents: [MonitorEvent]
        /// What Claire saw of who reached her record.
        package let accessHistory: [AccessHistoryEntry]
        /// The stored audit log's verification.
        package let audit: AuditVerification
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
        say("IntegratedCareKit care journey: Claire, from her GP's plan to an emergency and home again")
        say("Now: \(try stamp(Self.start)) (Europe/London)")
        say("")

        say("1. Claire is registered at her practice, then at the hospital")
        var index = try store.patientIndex()
        let atPractice = try store.register(People.claireAtPractice, in: &index)
        say("   \(atPractice.line)")
        let atHospital = try store.register(People.claireAtHospital, in: &index)
        say("   \(atHospital.line)")
        let records = [atPractice.record.id.rawValue, atHospital.record.id.rawValue]
        let summary = JourneySummary(
            journey: .claire,
            records: records,
            foundEarlierRun: atPractice.outcome == .found && atHospital.outcome == .found
        )
        try Journey.check(
            atHospital.outcome != .new,
            .claire,
            "the hospital's record was not recognised as the same person as the practice's"
        )
        let registry = try CarePlanRegistry(store: CarePlanRepository(store: store.resources))
        let claire = try CarePlan.PatientID(validating: records[0])
        let earlier = await registry.plans(of: claire)
        if summary.foundEarlierRun || !earlier.isEmpty {
            guard summary.foundEarlierRun, !earlier.isEmpty else { throw JourneyStoreFailure.incomplete(.claire) }
            return try await found(earlier, summary: summary)
        }
        say("")
        say("2. She books the hospital's heart-failure nurse clinic, then moves the appointment")
        let appointment = try await bookClinic(patient: records[0])
        say("")

        let planStart = Self.start
        let today = try london.civilDate(at: planStart)
        let byClaire = try PlanChange(
            author: "Claire",
            role: "patient",
            organisation: nil,
            at: planStart,
            reason: "First draft"
        )
        let draft = PlanContent(
            title: "Claire's heart failure plan",
            aboutMe: AboutMe(
                pleaseCallMe: "Claire",
                whatMattersToMe: "Staying at home and walking my dog to the harbour",
                howToCommunicateWithMe: "Speak slowly and face me; I wear hearing aids"
            ),
            goals: [
                Goal(
                    id: try Goal.ID(validating: "walk"),
                    description: "Walk the dog to the harbour and back",
                    expressedBy: .patient,
                    measure: "walking distance",
                    target: "1 mile",
                    due: today.adding(days: 84)
                )
            ],
            actions: [
                PlanAction(id: try PlanAction.ID(validating: "weigh"), what: "Weigh every morning", owner: "Claire")
            ],
            contacts: [
                NamedContact(
                    id: try NamedContact.ID(validating: "amy"),
                    name: "Amy",
                    relationship: "daughter",
                    telephone: "07700 900123",
                    isEmergencyContact: true
                )
            ],
            communication: try CommunicationPreferences(preferredChannels: [.sms], needs: [.hearingLoop]),
            reviewDate: today.adding(days: 90)
        )
        var plan = try CarePlan(
            id: try CarePlan.ID(validating: "claire-plan-1"),
            patient: claire,
            content: draft,
            change: byClaire
        )
        try await registry.add(plan)
        say(
            "3. Claire starts her plan (version \(plan.version), \(plan.status.rawValue)): \"\(plan.content.aboutMe.whatMattersToMe)\""
        )

        let byGP = try PlanChange(
            author: "Dr Pascoe",
            role: "GP",
            organisation: practice,
            at: planStart.addingTimeInterval(3_600),
            reason: "ReSPECT conversation with Claire and Amy"
        )
        let respect = ReSPECTRecommendations(
            cpr: .attemptsNotRecommended,
            careFocus: .balanced,
            specificRecommendations: ["For ward-based care and oxygen; not for intensive care"],
            hospitalAdmissionWanted: true,
            recordedBy: "Dr Pascoe, GP",
            recordedOn: today,
            reviewBy: today.adding(days: 365)
        )
        plan = try await registry.revise(plan.id, expectedVersion: plan.version, change: byGP) { content in
            content.advanceCarePlan.respect = respect
            content.advanceCarePlan.preferredPlaceOfCare = "At home"
            content.advanceCarePlan.lastingPowerOfAttorney = LegalDocument(
                status: .present,
                location: "Amy holds the original",
                holder: "Amy"
            )
            content.careTeam = [
                CareTeamMember(
                    name: "Dr Pascoe",
                    role: "GP",
                    organisation: practice,
                    telephone: "01872 000000",
                    isLead: true
                )
            ]
            content.contingency = [
                "If breathless at rest or weight up 2 kg in 3 days, call the GP or 111; at night, 999"
            ]
        }
        plan = try await registry.move(plan.id, expectedVersion: plan.version, to: .active, change: byGP)
        say("4. Dr Pascoe adds the ReSPECT recommendations and makes the plan active (version \(plan.version))")

        let later = planStart.addingTimeInterval(14 * 86_400)
        let progress = Goal.Progress(
            date: today.adding(days: 14),
            note: "Half way to the harbour",
            achievement: .improving,
            recordedBy: .patient
        )
        let claireLater = try PlanChange(
            author: "Claire",
            role: "patient",
            organisation: nil,
            at: later,
            reason: "My progress"
        )
        plan = try await registry.contribute(plan.id, expectedVersion: plan.version, change: claireLater) { content in
            content.goals[0].progress.append(progress)
            content.goals[0].achievement = .improving
        }
        say("5. Claire records her progress herself (version \(plan.version)): \"\(progress.note)\"")
        var refusal: CarePlansError?
        do {
            _ = try await registry.contribute(plan.id, expectedVersion: plan.version, change: claireLater) {
                $0.goals[0].target = "2 miles"
            }
        } catch {
            refusal = error
        }
        guard let refusal else {
            throw JourneyCheckFailure(.claire, "a direct change to her goal's target should have been refused")
        }
        say("   Changing the target herself is refused (\(refusal.code) at \(refusal.field)); she proposes it instead")
        plan = try await registry.propose(plan.id, change: claireLater) { $0.goals[0].target = "2 miles" }
        plan = try await registry.decide(
            plan.id,
            proposal: 1,
            accept: true,
            expectedVersion: plan.version,
            change: byGP
        )
        say("   Dr Pascoe accepts the proposal (version \(plan.version)); what changed since the plan went active:")
        for change in try plan.diff(from: 3, to: plan.version) {
            say("     \(change.path): \(change.before ?? "(none)") → \(change.after ?? "(none)")")
        }
        say("")

        say("6. A 999 call: the ambulance crew asks to read Claire's emergency summary")
        let access = try ClairesAccess(patient: claire.rawValue, callTime: Self.callTime, store: store)
        let decision = try await access.crewReadsSummary()
        for line in decision.explanation().split(separator: "\n") { say("   \(line)") }
        try Journey.check(
            decision.isPermitted && decision.hiddenItems == [access.safeguardingNote],
            .claire,
            "the crew's access was not decided as the rules require"
        )
        say("   The safeguarding note stays out of the crew's view; the summary they see:")
        let emergency = EmergencySummary.of(await registry.plans(of: claire), on: today.adding(days: 30))
        for line in emergency.text().split(separator: "\n") { say("   | \(line)") }
        try Journey.check(
            emergency.standing == .current && emergency.respect?.cpr == .attemptsNotRecommended,
            .claire,
            "the emergency summary did not show her current ReSPECT recommendations"
        )
        say("")

        say("7. Claire arrives at the emergency department by ambulance and joins the board")
        let arrivalTime = Self.callTime.addingTimeInterval(50 * 60)
        let arrival = try ClairesArrival().run(arrival: arrivalTime)
        say("   Crew's observations: \(arrival.score)")
        say("   Subscores: \(arrival.score.subScores); minimum monitoring \(arrival.score.minimumMonitoring)")
        if let raise = arrival.raise { say("   ! \(raise)") }
        say("   The board's first five, most urgent first:")
        for entry in arrival.top {
            let mode = entry.mode == .ambulance ? ", ambulance" : ""
            say("     \(entry.position ?? 0). \(entry.patient) \(entry.category)\(mode)")
        }
        for line in arrival.explanation.description.split(separator: "\n") { say("   \(line)") }
        try Journey.check(
            arrival.score.response == .high && arrival.explanation.entry.category == .orange
                && arrival.explanation.entry.position == 2,
            .claire,
            "her NEWS2 score did not place her on the board as the rules require"
        )
        let subject = R4.Reference(reference: R4.Primitive("Patient/\(records[1])"))
        try store.keep(
            R4.Observation(
                news2: arrival.score,
                subject: subject,
                effective: try Instant(arrival.scoredAt, fractionDigits: 0),
                id: "claire-news2-arrival"
            )
        )
        var encounter = try R4.Encounter(triage: arrival.triage, subject: subject)
        encounter.id = "claire-ed-attendance"
        try store.keep(encounter)
        say("")

        say("8. Three days later the hospital discharges Claire home to the community nursing team")
        let before = try await access.communityNurseReadsPlan(at: Self.discharge.addingTimeInterval(-3_600))
        say("   Before discharge, the community nurse asks to read her plan: \(before.effect.rawValue)")
        try await access.discharge(toCommunityTeamAt: Self.discharge)
        let after = try await access.communityNurseReadsPlan(at: Self.discharge.addingTimeInterval(2 * 3_600))
        say("   After discharge, the same request: \(after.effect.rawValue)")
        for line in after.explanation().split(separator: "\n") { say("   \(line)") }
        try Journey.check(
            !before.isPermitted && after.isPermitted,
            .claire,
            "the community team's access did not follow the discharge"
        )
        say("")

        say("9. She goes home on the heart-failure virtual ward, observed twice a day")
        let wardEvents = try virtualWard(patient: claire, plan: plan.id, subject: subject)
        say("")

        say("10. A week after discharge Claire asks who has looked at her record")
        let (history, verification) = try await access.claireChecksHerRecord(
            at: Self.discharge.addingTimeInterval(7 * 86_400)
        )
        for line in history {
            let when = try london.instant(at: line.time, fractionDigits: 0)
            let outcome = line.effect.map { $0 == .permit ? "allowed" : "refused" } ?? ""
            say("   \(when)  \(line.who): \(line.what), purpose \(line.purpose ?? "-"), \(outcome)")
        }
        say("   The audit log checks out against its signed checkpoint: \(verification)")
        try Journey.check(
            history.count == 4 && verification.isIntact,
            .claire,
            "the access history or the audit log is not as recorded"
        )
        return Outcome(
            summary: summary,
            hospitalRecognition: {
                if case .recognised(_, let grade, _) = atHospital.outcome { return grade }
                return nil
            }(),
            appointment: appointment,
            plan: plan,
            crewDecision: decision,
            arrivalScore: arrival.score,
            boardPosition: arrival.explanation.entry.position,
            communityDecisions: [before, after],
            wardEvents: wardEvents,
            accessHistory: history,
            audit: verification
        )
    }

    /// Books Claire into the hospital's heart-failure nurse clinic, moves the appointment when she will be
    /// away, and plans her reminders.
    private func bookClinic(patient: String) async throws -> Appointment {
        let clock = ManualWallClock(startingAt: Self.start)
        let book = try store.appointmentBook(clock: clock)
        let clinic = try Schedule.ID(validating: "rcht-heart-failure-nurse")
        if await book.schedule(clinic) == nil {
            try await book.add(schedules: [
                try Schedule(
                    id: clinic,
                    actors: [.practitioner("hf-nurse-team"), .location("treliske-opd-2")],
                    organisation: hospital,
                    serviceType: "heart-failure-nurse"
                )
            ])
            let template = ClinicTemplate(
                schedule: clinic,
                serviceType: "heart-failure-nurse",
                sessions: [
                    try .init(
                        weekday: .tuesday,
                        start: TimeOfDay(hour: 10, minute: 0),
                        end: TimeOfDay(hour: 12, minute: 0),
                        slotMinutes: 30,
                        channel: .inPerson
                    )
                ],
                holidays: BankHolidayCalendar(.englandAndWales)
            )
            let today = try london.civilDate(at: clock.now())
            var number = 0
            let slots = try template.slots(from: today.adding(days: 1), through: today.adding(days: 28), in: london) {
                number += 1
                return try Slot.ID(validating: "rcht-hf-\(number)")
            }
            try await book.add(slots)
        }
        func free(after days: Double) async throws -> Slot {
            let found = try await book.freeSlots(
                SlotQuery(
                    from: clock.now().addingTimeInterval(days * 86_400),
                    to: clock.now().addingTimeInterval((days + 14) * 86_400),
                    serviceType: "heart-failure-nurse",
                    limit: 1
                )
            )
            guard let slot = found.first else { throw JourneyCheckFailure(.claire, "the clinic has no free slot") }
            return slot
        }
        let messenger = AppointmentMessenger(
            zone: london,
            contact: "call the heart failure nurses on 01872 000001",
            serviceNames: ["heart-failure-nurse": "heart failure nurse clinic"],
            places: [clinic: "Outpatients 2, Royal Cornwall Hospital, Truro"]
        )
        let preferences = try CommunicationPreferences(preferredChannels: [.app, .sms])
        let person = try Appointment.PatientID(validating: patient)
        let booked = try await book.book(
            patient: person,
            slots: [try await free(after: 5).id],
            id: try Appointment.ID(validating: "claire-hf-clinic-1"),
            description: "Heart failure nurse review"
        )
        say("   Booked \(booked.id) for \(try stamp(booked.start)) (version \(booked.version))")
        clock.advance(by: .seconds(86_400))
        let moved = try await book.reschedule(
            booked.id,
            expectedVersion: booked.version,
            to: [try await free(after: 12).id]
        )
        let change = try messenger.change(from: booked, to: moved, preferences: preferences)
        say("   She will be away that week and moves it to \(try stamp(moved.start)) (version \(moved.version))")
        say("   \(change.channel?.rawValue ?? "-"): \"\(change.summary)\"")
        let planner = ReminderPlanner(preferences: preferences, quietHours: nil, zone: london)
        let reminders = planner.plan(for: moved, now: clock.now())
        for reminder in reminders {
            let message = try messenger.reminder(reminder, for: moved, preferences: preferences)
            say(
                "   reminder \(Journey.column(reminder.kind.rawValue, 12))\(try stamp(reminder.sendAt)) by \(reminder.channel)"
            )
            try store.keep(
                R4.Communication(
                    message,
                    patient: person,
                    reminder: reminder,
                    id: try .init(validating: "claire-hf-clinic-1-\(reminder.kind.rawValue)")
                )
            )
        }
        try store.keep(
            R4.Communication(change, patient: person, id: try .init(validating: "claire-hf-clinic-1-change"))
        )
        try Journey.check(
            reminders.map(\.kind) == [.dayBefore, .hourBefore] && moved.start > booked.start,
            .claire,
            "the moved appointment did not get its day-before and hour-before reminders"
        )
        return moved
    }

    /// Enrols Claire on the virtual ward, records two days of home readings, and lets an alert nobody
    /// acknowledges move up the chain until the ward's clinician takes it.
    private func virtualWard(
        patient: CarePlan.PatientID,
        plan: CarePlan.ID,
        subject: R4.Reference
    ) throws -> [MonitorEvent] {
        let schedule = try MonitoringSchedule([
            MonitoringRequirement(kind: .respiratoryRate, frequency: .every(.seconds(12 * 3_600))),
            MonitoringRequirement(kind: .oxygenSaturation, frequency: .every(.seconds(12 * 3_600))),
            MonitoringRequirement(kind: .heartRate, frequency: .every(.seconds(12 * 3_600))),
        ])
        var stay = try VirtualWardEnrolment(
            id: VirtualWardEnrolment.ID(validating: "claire-hf-virtual-ward"),
            patient: patient,
            plan: plan,
            ward: "Cornwall heart failure virtual ward",
            entryCriteria: ["Clinically stable for home monitoring", "Can use the home kit with her daughter's help"],
            exitCriteria: ["Observations within her targets for 72 hours"],
            monitoring: schedule
        )
        try stay.record(.entry, 0, met: true)
        try stay.record(.entry, 1, met: true)
        try stay.enrol(at: Self.discharge)
        var ward = try RemoteMonitor(rules: .standard)
        let wardPatient = try RemoteMonitor.PatientID(validating: "VW-0412")
        try ward.enrol(wardPatient, scale: .scale1, schedule: schedule, baseline: 2, at: Self.discharge)
        say("   \(stay.ward): \(stay.status.rawValue) as VW-0412, baseline NEWS2 2")
        var events: [MonitorEvent] = []
        let morning = Self.discharge.addingTimeInterval(20 * 3_600)
        let fine = NEWS2Observations(
            respirationRate: 18,
            oxygenSaturation: 96,
            airOrOxygen: .air,
            systolicBloodPressure: 118,
            pulse: 84,
            consciousness: .alert,
            temperature: 36.8
        )
        events += try ward.record(wardPatient, fine, at: morning)
        say("   \(try stamp(morning))  home reading: NEWS2 \(ward.latestScore(of: wardPatient)?.total ?? -1), no alert")
        let evening = morning.addingTimeInterval(11 * 3_600)
        let worse = NEWS2Observations(
            respirationRate: 23,
            oxygenSaturation: 92,
            airOrOxygen: .air,
            systolicBloodPressure: 104,
            pulse: 104,
            consciousness: .alert,
            temperature: 37.4
        )
        let raised = try ward.record(wardPatient, worse, at: evening)
        events += raised
        let latest = ward.latestScore(of: wardPatient)
        say("   \(try stamp(evening))  home reading: NEWS2 \(latest?.total ?? -1)")
        for event in raised { say("      \(event)") }
        let check = evening.addingTimeInterval(16 * 60)
        let escalated = try ward.check(at: check)
        events += escalated
        for event in escalated { say("   \(try stamp(check))  \(event)") }
        let alerts = raised.compactMap { if case .raised(let alert) = $0 { alert } else { nil } }
        let acknowledged = check.addingTimeInterval(4 * 60)
        for alert in alerts { try ward.acknowledge(alert.id, by: "vw-clinician", at: acknowledged) }
        say(
            "   \(try stamp(acknowledged))  the virtual-ward clinician acknowledges \(alerts.map { "#\($0.id)" }.joined(separator: ", ")) and phones Claire"
        )
        if let latest {
            try store.keep(
                R4.Observation(
                    news2: latest,
                    subject: subject,
                    effective: try Instant(evening, fractionDigits: 0),
                    id: "claire-news2-virtual-ward"
                )
            )
        }
        try Journey.check(
            alerts.contains { $0.severity == .urgent } && alerts.allSatisfy { ward.alert($0.id)?.isOpen == false }
                && escalated.contains { if case .escalated = $0 { true } else { false } },
            .claire,
            "the virtual ward did not raise and escalate an urgent alert"
        )
        return events
    }

    /// Reports the records an earlier run left, read back from the store, and writes nothing.
    private func found(_ plans: [CarePlan], summary: JourneySummary) async throws -> Outcome {
        let book = try store.appointmentBook(clock: FixedWallClock(Self.start))
        let appointments = await book.appointments(of: try Appointment.PatientID(validating: summary.records[0]))
        say("2. Found in the store from an earlier run: her clinic appointment")
        for appointment in appointments.sorted(by: { $0.id < $1.id }) {
            say(
                "   \(appointment.id)  \(try stamp(appointment.start))  \(appointment.status.rawValue) (version \(appointment.version))"
            )
        }
        say("3. Her plans, each with its whole history")
        for plan in plans {
            say("   \(plan.id) version \(plan.version), \(plan.status.rawValue); its versions:")
            for version in plan.versions {
                let when = try london.instant(at: version.change.at, fractionDigits: 0)
                say(
                    "     \(version.number). \(when) \(version.change.author) (\(version.change.role)): \(version.change.reason)"
                )
            }
            let proposals = plan.proposals.map {
                "\($0.number) \($0.decision.map { $0.accepted ? "accepted" : "rejected" } ?? "pending")"
            }
            say("   proposals: \(proposals.isEmpty ? "none" : proposals.joined(separator: ", "))")
        }
        let observations = try store.resources.search(
            StoreQuery(type: "Observation", reference: "Patient/\(summary.records[1])")
        )
        say(
            "4. Her NEWS2 scores from the emergency department and the virtual ward: \(observations.count) Observations"
        )
        let entries = try store.audit.loadEntries()
        let verification = AuditLog.verify(
            entries: entries,
            checkpoints: try store.audit.loadCheckpoints(),
            key: store.auditKey
        )
        say(
            "5. The audit log holds \(entries.count) entries and checks out against its signed checkpoint: \(verification)"
        )
        say("   Nothing is written twice: the journey's steps ran in the first run.")
        let plan = plans.first
        guard
            plans.count == 1 && plan?.status == .active && plan?.version == 5
                && plan?.content.advanceCarePlan.respect?.cpr == .attemptsNotRecommended && verification.isIntact
                && appointments.count == 1 && observations.count == 2
        else { throw JourneyStoreFailure.incomplete(.claire) }
        return Outcome(
            summary: summary,
            hospitalRecognition: nil,
            appointment: appointments.first,
            plan: plan,
            crewDecision: nil,
            arrivalScore: nil,
            boardPosition: nil,
            communityDecisions: [],
            wardEvents: [],
            accessHistory: [],
            audit: verification
        )
    }

    /// A moment as London wall-clock time with its zone, to the minute.
    private func stamp(_ moment: Date) throws -> String { try Journey.stamp(moment, in: london) }
}
