import CareCore
import CarePlans
import CareStore
import ConsentAccess
import Foundation
import TriageScoring

/// Claire's care plan: she writes what matters to her, her GP adds the ReSPECT recommendations, she records
/// progress and proposes a change, an ambulance crew reads the emergency summary under an audited access
/// decision that keeps a safeguarding note from their role, she arrives at the emergency department and is
/// scored and placed on the board, and Claire sees who looked at her record.
struct ClairesPlan {
    /// The journey starts on Monday 6 July 2026 at 10:00 BST.
    static let start = Date(timeIntervalSince1970: 1_783_328_400)

    let london: CivilTimeZone
    let practice: ODSCode
    let store: JourneyStore

    init(store: JourneyStore) throws {
        self.store = store
        london = try CivilTimeZone.europeLondon()
        practice = try ODSCode(parsing: "L82999")
    }

    /// Runs the journey and returns the exit code.
    func run() async throws -> ExitCode {
        let today = try london.civilDate(at: Self.start)
        print("IntegratedCareKit care journey: Claire writes her care plan with her GP; a crew reads it")
        print("Now: \(try london.instant(at: Self.start, fractionDigits: 0)) (Europe/London)")
        print("")

        let registry = try CarePlanRegistry(store: CarePlanRepository(store: store.resources))
        let claire = try CarePlan.PatientID(validating: "claire-pat-1")
        let earlier = await registry.plans(of: claire)
        if !earlier.isEmpty {
            return try found(earlier)
        }
        let byClaire = try PlanChange(
            author: "Claire",
            role: "patient",
            organisation: nil,
            at: Self.start,
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
        print(
            "1. Claire starts her plan (version \(plan.version), \(plan.status.rawValue)): \"\(plan.content.aboutMe.whatMattersToMe)\""
        )

        let byGP = try PlanChange(
            author: "Dr Pascoe",
            role: "GP",
            organisation: practice,
            at: Self.start.addingTimeInterval(3_600),
            reason: "ReSPECT conversation with Claire and Amy"
        )
        let respect = ReSPECTRecommendations(
            cpr: .attemptsNotRecommended,
            careFocus: .comfort,
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
        print("2. Dr Pascoe adds the ReSPECT recommendations and makes the plan active (version \(plan.version))")

        let later = Self.start.addingTimeInterval(14 * 86_400)
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
        print("3. Claire records her progress herself (version \(plan.version)): \"\(progress.note)\"")
        do {
            _ = try await registry.contribute(plan.id, expectedVersion: plan.version, change: claireLater) {
                $0.goals[0].target = "2 miles"
            }
            print("   a direct change to her goal's target should have been refused")
            return .failedCheck
        } catch {
            print(
                "   Changing the target herself is refused (\(error.code) at \(error.field)); she proposes it instead"
            )
        }
        plan = try await registry.propose(plan.id, change: claireLater) { $0.goals[0].target = "2 miles" }
        plan = try await registry.decide(
            plan.id,
            proposal: 1,
            accept: true,
            expectedVersion: plan.version,
            change: byGP
        )
        print("   Dr Pascoe accepts the proposal (version \(plan.version)); what changed since the plan went active:")
        for change in try plan.diff(from: 3, to: plan.version) {
            print("     \(change.path): \(change.before ?? "(none)") → \(change.after ?? "(none)")")
        }
        print("")

        print("4. A 999 call: the ambulance crew asks to read Claire's emergency summary")
        let callTime = Self.start.addingTimeInterval(30 * 86_400)
        let access = try ClairesAccess(
            patient: claire.rawValue,
            practice: practice,
            callTime: callTime,
            seed: Self.auditKeySeed,
            storage: store.audit
        )
        let decision = try await access.crewReadsSummary()
        for line in decision.explanation().split(separator: "\n") { print("   \(line)") }
        guard decision.isPermitted, decision.hiddenItems == [access.safeguardingNote] else {
            printError("care-journey: claire: the crew's access was not decided as the rules require")
            return .failedCheck
        }
        print("   The safeguarding note stays out of the crew's view; the summary they see:")
        let summary = EmergencySummary.of(await registry.plans(of: claire), on: today.adding(days: 30))
        for line in summary.text().split(separator: "\n") { print("   | \(line)") }
        guard summary.standing == .current, summary.respect?.cpr == .attemptsNotRecommended else {
            printError("care-journey: claire: the emergency summary did not show her current ReSPECT recommendations")
            return .failedCheck
        }
        print("")

        print("5. Claire arrives at the emergency department by ambulance and joins the board")
        let arrival = try ClairesArrival().run(arrival: callTime.addingTimeInterval(50 * 60))
        print("   Crew's observations: \(arrival.score)")
        print("   Subscores: \(arrival.score.subScores); minimum monitoring \(arrival.score.minimumMonitoring)")
        if let raise = arrival.raise { print("   ! \(raise)") }
        print("   The board's first five, most urgent first:")
        for entry in arrival.top {
            let mode = entry.mode == .ambulance ? ", ambulance" : ""
            print("     \(entry.position ?? 0). \(entry.patient) \(entry.category)\(mode)")
        }
        for line in arrival.explanation.description.split(separator: "\n") { print("   \(line)") }
        guard arrival.score.response == .high, arrival.explanation.entry.category == .orange,
            arrival.explanation.entry.position == 2
        else {
            printError("care-journey: claire: her NEWS2 score did not place her on the board as the rules require")
            return .failedCheck
        }
        print("")

        print("6. Three days later Claire asks who has looked at her record")
        let (history, verification) = try await access.claireChecksHerRecord()
        for line in history {
            let when = try london.instant(at: line.time, fractionDigits: 0)
            let outcome = line.effect.map { $0 == .permit ? "allowed" : "refused" } ?? ""
            print("   \(when)  \(line.who): \(line.what), purpose \(line.purpose ?? "-"), \(outcome)")
        }
        print("   The audit log checks out against its signed checkpoint: \(verification)")
        guard history.count == 2, verification.isIntact else {
            printError("care-journey: claire: the access history or the audit log is not as recorded")
            return .failedCheck
        }
        return .success
    }

    /// The seed of the audit log's checkpoint key, so that a later run can verify the stored log.
    static let auditKeySeed: UInt64 = 6

    /// Reports the plan and the audit log an earlier run left, read back from the store, and writes nothing.
    private func found(_ plans: [CarePlan]) throws -> ExitCode {
        print("1. Found in the store from an earlier run: Claire's plans, each with its whole history")
        for plan in plans {
            print("   \(plan.id) version \(plan.version), \(plan.status.rawValue); its versions:")
            for version in plan.versions {
                let when = try london.instant(at: version.change.at, fractionDigits: 0)
                print(
                    "     \(version.number). \(when) \(version.change.author) (\(version.change.role)): \(version.change.reason)"
                )
            }
            let proposals = plan.proposals.map {
                "\($0.number) \($0.decision.map { $0.accepted ? "accepted" : "rejected" } ?? "pending")"
            }
            print("   proposals: \(proposals.isEmpty ? "none" : proposals.joined(separator: ", "))")
        }
        var generator = SeededRandomNumberGenerator(seed: Self.auditKeySeed)
        let key = AuditCheckpointKey.random(using: &generator)
        let entries = try store.audit.loadEntries()
        let verification = AuditLog.verify(entries: entries, checkpoints: try store.audit.loadCheckpoints(), key: key)
        print(
            "2. The audit log holds \(entries.count) entries and checks out against its signed checkpoint: \(verification)"
        )
        print("   Nothing is written twice: the journey's steps ran in the first run.")
        guard let plan = plans.first, plans.count == 1, plan.status == .active, plan.version == 5,
            plan.content.advanceCarePlan.respect?.cpr == .attemptsNotRecommended, verification.isIntact
        else {
            printError("care-journey: claire: the store does not hold the plan and audit log the first run wrote")
            return .failedCheck
        }
        return .success
    }
}
