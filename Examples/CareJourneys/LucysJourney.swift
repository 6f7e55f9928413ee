import CareCore
import CarePlans
import CareStore
package import ConsentAccess
package import Foundation
import PatientIdentity

/// Lucy's journey: at 15, her own access to her record waits for her GP's assessment of her competence, and
/// her mother's access as her proxy follows what Lucy decides. A safeguarding note on her plan, which Lucy may
/// see, never reaches her mother's view.
package struct LucysJourney {
    /// The journey starts on Monday 9 November 2026 at 16:00 GMT, after school.
    package static let start = Date(timeIntervalSince1970: 1_794_240_000)

    /// One thing in Lucy's record that a view may show.
    package struct Item: Hashable, Sendable {
        /// The item's id; protected items share their id with the access rules.
        package let id: String
        /// What the item says, as the view would show it.
        package let text: String

        /// Creates an item.
        package init(id: String, text: String) {
            self.id = id
            self.text = text
        }
    }

    /// What the journey did, for a test to check.
    package struct Outcome: Sendable {
        /// Who it was about and whether an earlier run had walked it.
        package let summary: JourneySummary
        /// Every decision the journey asked for, in order, with a label saying who asked for what and when.
        package let decisions: [(label: String, decision: AccessDecision)]
        /// What Lucy's own view of her plan shows after her assessment.
        package let lucysView: [Item]
        /// What her mother's view of the plan shows after the assessment.
        package let mothersView: [Item]
        /// The id of the safeguarding note.
        package let safeguardingNote: String
        /// Lucy's consent directives, as stored.
        package let directives: [ConsentDirective]
        /// The stored audit log's verification.
        package let audit: AuditVerification
    }

    let london: CivilTimeZone
    let practice: ODSCode
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
    }

    /// Runs the journey.
    ///
    /// - Returns: What it did.
    /// - Throws: ``JourneyCheckFailure`` when a decision does not follow the rules; a module's error when a
    ///   step fails.
    package func run() async throws -> Outcome {
        say("IntegratedCareKit care journey: Lucy, 15, her own access and her mother's")
        say("Now: \(try stamp(Self.start)) (Europe/London)")
        say("")

        say("1. Lucy is registered at the practice")
        var index = try store.patientIndex()
        let registration = try store.register(People.lucyAtPractice, in: &index)
        say("   \(registration.line)")
        let record = registration.record.id.rawValue
        let summary = JourneySummary(
            journey: .lucy,
            records: [record],
            foundEarlierRun: registration.outcome == .found
        )
        let registry = try CarePlanRegistry(store: CarePlanRepository(store: store.resources))
        let lucy = try CarePlan.PatientID(validating: record)
        let earlier = await registry.plans(of: lucy)
        if summary.foundEarlierRun || !earlier.isEmpty {
            guard summary.foundEarlierRun, !earlier.isEmpty else { throw JourneyStoreFailure.incomplete(.lucy) }
            return try found(earlier, summary: summary)
        }

        let byGP = try PlanChange(
            author: "Dr Pascoe",
            role: "GP",
            organisation: practice,
            at: Self.start,
            reason: "Asthma review with Lucy"
        )
        var plan = try CarePlan(
            id: try CarePlan.ID(validating: "lucy-asthma-plan"),
            patient: lucy,
            content: PlanContent(
                title: "Lucy's asthma plan",
                aboutMe: AboutMe(
                    pleaseCallMe: "Lucy",
                    whatMattersToMe: "Playing netball for the school team",
                    howToCommunicateWithMe: "Message me in the app"
                ),
                actions: [
                    PlanAction(
                        id: try PlanAction.ID(validating: "preventer"),
                        what: "Brown preventer inhaler, two puffs morning and evening",
                        owner: "Lucy"
                    )
                ],
                communication: try CommunicationPreferences(preferredChannels: [.app]),
                reviewDate: try london.civilDate(at: Self.start).adding(days: 365),
                owner: PlanOwner(name: "Dr Pascoe", role: "GP", organisation: practice)
            ),
            change: byGP
        )
        try await registry.add(plan)
        plan = try await registry.move(plan.id, expectedVersion: plan.version, to: .active, change: byGP)
        say("   Dr Pascoe writes her asthma plan with her: \(plan.id) version \(plan.version), \(plan.status.rawValue)")
        say("   Lucy tells Dr Pascoe something about home; he refers her to the school nurse and the access rules")
        say("   protect his safeguarding note on her plan: Lucy may read it, a proxy may not.")
        say("")

        let access = try LucysAccess(patient: record, start: Self.start, store: store)
        var decisions: [(label: String, decision: AccessDecision)] = []
        func ask(
            _ label: String,
            _ requester: AccessRequest.Requester,
            _ dataClass: DataClass
        ) async throws
            -> AccessDecision
        {
            let decision = try await access.decide(requester, dataClass)
            decisions.append((label, decision))
            let reasons = decision.reasons.map { $0.explanation(catalogue: .nhsDefault) }.joined(separator: " ")
            say("   \(Journey.column(label, 44))\(decision.effect.rawValue): \(reasons)")
            return decision
        }

        say("2. Before anyone has assessed Lucy's competence")
        let mother = AccessRequest.Requester.proxy(access.mother)
        let own = AccessRequest.Requester.patient(access.lucy)
        let motherAppointments = try await ask("her mother reads her appointments", mother, .appointments)
        let motherPlanBefore = try await ask("her mother reads her care plan", mother, .carePlan)
        let lucyBefore = try await ask("Lucy reads her own care plan", own, .carePlan)
        try Journey.check(
            motherAppointments.isPermitted && !motherPlanBefore.isPermitted && !lucyBefore.isPermitted,
            .lucy,
            "before an assessment a parent keeps administrative access only and a 15-year-old has none of her own"
        )
        say("")

        say("3. Dr Pascoe assesses Lucy as Gillick competent; she agrees her mother may see her record,")
        say("   except her sexual health, which she records as a consent directive")
        let directive = try await access.assessAndConsent(at: Self.start.addingTimeInterval(86_400))
        try store.consents.save([directive])
        let lucyAfter = try await ask("Lucy reads her own care plan", own, .carePlan)
        let motherAfter = try await ask("her mother reads her care plan", mother, .carePlan)
        let motherSexualHealth = try await ask("her mother reads her sexual health", mother, .sexualHealth)
        let motherSafeguarding = try await ask("her mother reads safeguarding records", mother, .safeguarding)
        say("")

        say("4. What each of them sees of the plan")
        let items = [
            Item(id: "lucy-asthma-plan", text: "Asthma plan: brown preventer twice a day; netball with her reliever"),
            Item(id: access.safeguardingNote.rawValue, text: "Safeguarding: referred to the school nurse"),
        ]
        let lucysView = Self.view(of: items, under: lucyAfter)
        let mothersView = Self.view(of: items, under: motherAfter)
        say("   Lucy:    \(lucysView.map(\.text).joined(separator: " | "))")
        say("   Mother:  \(mothersView.map(\.text).joined(separator: " | "))")
        try Journey.check(
            lucyAfter.isPermitted && motherAfter.isPermitted && !motherSexualHealth.isPermitted
                && !motherSafeguarding.isPermitted && lucysView.count == 2
                && !mothersView.contains { $0.id == access.safeguardingNote.rawValue },
            .lucy,
            "the views after the assessment do not follow Lucy's decision and the safeguarding rule"
        )
        say("")

        say("5. Every decision above is in the audit log")
        let verification = try access.checkpointAndVerify()
        say(
            "   \(try store.audit.loadEntries().count) entries in the store; checked against a signed checkpoint: \(verification)"
        )
        try Journey.check(verification.isIntact, .lucy, "the audit log does not check out")
        return Outcome(
            summary: summary,
            decisions: decisions,
            lucysView: lucysView,
            mothersView: mothersView,
            safeguardingNote: access.safeguardingNote.rawValue,
            directives: try store.consents.directives(for: access.lucy),
            audit: verification
        )
    }

    /// What a view may show: nothing unless the decision permits, and never an item the decision hides.
    ///
    /// - Parameters:
    ///   - items: Every item of the data class.
    ///   - decision: The decision for the requester.
    /// - Returns: The items the requester may see.
    package static func view(of items: [Item], under decision: AccessDecision) -> [Item] {
        guard decision.isPermitted else { return [] }
        let hidden = Set(decision.hiddenItems.map(\.rawValue))
        return items.filter { !hidden.contains($0.id) }
    }

    /// Reports the records an earlier run left, read back from the store, and decides nothing again.
    private func found(_ plans: [CarePlan], summary: JourneySummary) throws -> Outcome {
        say("2. Found in the store from an earlier run: her plan and her consent directive")
        for plan in plans {
            say("   \(plan.id) version \(plan.version), \(plan.status.rawValue)")
        }
        let lucy = try Access.PatientID(validating: summary.records[0])
        let directives = try store.consents.directives(for: lucy)
        for directive in directives {
            say("   \(directive.id): \(directive.status.rawValue), recorded \(try stamp(directive.recorded))")
        }
        let verification = AuditLog.verify(
            entries: try store.audit.loadEntries(),
            checkpoints: try store.audit.loadCheckpoints(),
            key: store.auditKey
        )
        say("3. The audit log checks out against its signed checkpoint: \(verification)")
        say("   Nothing is decided or written twice: the journey's steps ran in the first run.")
        guard plans.count == 1 && directives.count == 1 && verification.isIntact else {
            throw JourneyStoreFailure.incomplete(.lucy)
        }
        return Outcome(
            summary: summary,
            decisions: [],
            lucysView: [],
            mothersView: [],
            safeguardingNote: "lucy-safeguarding-note",
            directives: directives,
            audit: verification
        )
    }

    /// A moment as London wall-clock time with its zone, to the minute.
    private func stamp(_ moment: Date) throws -> String { try Journey.stamp(moment, in: london) }
}

/// The access facts around Lucy: her date of birth, her mother's parental responsibility, the safeguarding
/// note, and, once assessed, her competence and her consent directive.
struct LucysAccess {
    let control: AccessControl
    let log: AuditLog
    let clock: ManualWallClock
    let store: JourneyStore
    let lucy: Access.PatientID
    let mother: Access.PersonID
    let safeguardingNote: Access.ItemID

    init(patient: String, start: Date, store: JourneyStore) throws {
        self.store = store
        clock = ManualWallClock(startingAt: start)
        lucy = try Access.PatientID(validating: patient)
        mother = try Access.PersonID(validating: "lucy-mother")
        safeguardingNote = try Access.ItemID(validating: "lucy-safeguarding-note")
        var facts = AccessFacts()
        facts.record(
            PatientPrivacy(
                patient: lucy,
                registeredPractice: try ODSCode(parsing: Journey.practice),
                birthDate: try CivilDate(year: 2011, month: 5, day: 2)
            )
        )
        facts.record(
            try ProxyAuthority(
                id: ProxyAuthority.ID(validating: "lucy-mother-parental-responsibility"),
                patient: lucy,
                proxy: mother,
                basis: .parentalResponsibility,
                period: .always
            )
        )
        facts.record(
            ProtectedItem(
                id: safeguardingNote,
                patient: lucy,
                dataClass: .carePlan,
                reason: .safeguarding,
                hiddenFromPatient: false,
                hiddenFromProxies: true
            )
        )
        log = try AuditLog(storage: store.audit, clock: clock)
        control = AccessControl(
            decisionPoint: PolicyDecisionPoint(facts: facts, timeZone: try CivilTimeZone.europeLondon()),
            auditLog: log,
            clock: clock
        )
    }

    /// A read of one data class for Lucy's own use or her mother's, decided and audited.
    func decide(_ requester: AccessRequest.Requester, _ dataClass: DataClass) async throws -> AccessDecision {
        clock.advance(by: .seconds(60))
        return try await control.decide(requester, patient: lucy, dataClass: dataClass, purpose: .selfAccess)
    }

    /// Records the GP's assessment (competent, agrees to her mother's access) and Lucy's directive keeping
    /// her sexual health from her mother.
    ///
    /// - Parameter moment: When the assessment is made.
    /// - Returns: The directive, to be stored.
    /// - Throws: `CareCoreError` if the directive's id were invalid, which would be a defect in the journey.
    func assessAndConsent(at moment: Date) async throws -> ConsentDirective {
        clock.set(to: moment)
        await control.record(
            CompetenceAssessment(patient: lucy, assessed: moment, competent: true, consentsToProxyAccess: true)
        )
        let directive = ConsentDirective(
            id: try ConsentDirective.ID(validating: "lucy-proxy-sexual-health"),
            patient: lucy,
            recorded: moment,
            provision: ConsentProvision(
                .permit,
                provisions: [ConsentProvision(.deny, actors: [.proxy(mother)], dataClasses: [.sexualHealth])]
            )
        )
        await control.record(directive)
        return directive
    }

    /// Takes a checkpoint and verifies the stored log against it.
    func checkpointAndVerify() throws -> AuditVerification {
        try log.checkpoint(key: store.auditKey)
        return AuditLog.verify(
            entries: try store.audit.loadEntries(),
            checkpoints: try store.audit.loadCheckpoints(),
            key: store.auditKey
        )
    }
}
