import CareCore
import ConsentAccess
import Foundation
import Testing

/// The decision point and the reference evaluator agree on seeded random policies and requests, in the style
/// of the Cedar authoriser's differential testing. `CONSENT_DIFFERENTIAL_COUNT` raises the count (the full
/// run is 1,000,000: see `Documentation/Performance.md`).
@Suite struct DifferentialTests {
    static var count: Int {
        ProcessInfo.processInfo.environment["CONSENT_DIFFERENTIAL_COUNT"].flatMap { Int($0) } ?? 20_000
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func decisionPointAgreesWithReference(seed: UInt64) throws {
        var generator = SeededRandomNumberGenerator(seed: seed)
        let policy = SyntheticAccessPolicy(
            roles: 40,
            activities: 200,
            directives: 2_000,
            patients: 300,
            sessions: 40,
            using: &generator
        )
        let zone = try CivilTimeZone.europeLondon()
        let fast = PolicyDecisionPoint(facts: policy.facts, timeZone: zone)
        let reference = ReferencePolicyEvaluator(facts: policy.facts, timeZone: zone)
        var permits = 0
        var reasonsSeen = Set<String>()
        for index in 0..<Self.count / 3 {
            let request = policy.randomRequest(using: &generator)
            let expected = reference.decide(request)
            let actual = fast.decide(request)
            #expect(actual == expected, "request \(index) of seed \(seed)")
            if actual != expected { return }
            if actual.isPermitted { permits += 1 }
            for reason in actual.reasons { reasonsSeen.insert(Self.caseName(reason)) }
        }
        // The random policy must exercise both outcomes and most rules, or agreement would prove little.
        #expect(permits > Self.count / 3 / 40)
        #expect(permits < Self.count / 3 * 19 / 20)
        #expect(reasonsSeen.count >= 22, "rules exercised: \(reasonsSeen.sorted())")
    }

    @Test func decisionsAreDeterministic() throws {
        var generator = SeededRandomNumberGenerator(seed: 9)
        let policy = SyntheticAccessPolicy(
            roles: 20,
            activities: 100,
            directives: 500,
            patients: 100,
            sessions: 20,
            using: &generator
        )
        let zone = try CivilTimeZone.europeLondon()
        let first = PolicyDecisionPoint(facts: policy.facts, timeZone: zone)
        let second = PolicyDecisionPoint(facts: policy.facts, timeZone: zone)
        for _ in 0..<2_000 {
            let request = policy.randomRequest(using: &generator)
            #expect(first.decide(request) == second.decide(request))
        }
    }

    /// Facts recorded into a live decision point one by one — replacing relationships (moved to another
    /// patient), directives (flipped inactive), items (moved to another class), grants and agreements —
    /// decide as a reference evaluator over the same facts after every step.
    @Test func incrementalUpdatesMatchARebuiltReference() throws {
        var generator = SeededRandomNumberGenerator(seed: 11)
        let policy = SyntheticAccessPolicy(
            roles: 20,
            activities: 100,
            directives: 400,
            patients: 40,
            sessions: 20,
            using: &generator
        )
        let zone = try CivilTimeZone.europeLondon()
        var live = PolicyDecisionPoint(facts: policy.facts, timeZone: zone)
        let patients = policy.patients
        for step in 0..<300 {
            let facts = live.facts
            switch step % 5 {
            case 0:
                if let old = facts.relationships.values.sorted(by: { $0.id < $1.id }).randomElement(using: &generator),
                    let patient = patients.randomElement(using: &generator)
                {
                    let start = old.period.start ?? policy.referenceTime
                    live.record(
                        try LegitimateRelationship(
                            id: old.id,
                            patient: patient,
                            party: old.party,
                            kind: .careTeam,
                            start: start,
                            expiry: max(start + 1, old.period.end ?? policy.referenceTime + 86_400)
                        )
                    )
                }
            case 1:
                if var directive = facts.directives.values.sorted(by: { $0.id < $1.id }).randomElement(
                    using: &generator
                ) {
                    directive.status = directive.status == .active ? .inactive : .active
                    live.record(directive)
                }
            case 2:
                if let old = facts.items.values.sorted(by: { $0.id < $1.id }).randomElement(using: &generator) {
                    live.record(
                        ProtectedItem(
                            id: old.id,
                            patient: old.patient,
                            dataClass: DataClass.standard.randomElement(using: &generator) ?? .carePlan,
                            reason: old.reason,
                            hiddenFromRoles: old.hiddenFromRoles
                        )
                    )
                }
            case 3:
                if let old = facts.agreements.values.sorted(by: { $0.id < $1.id }).randomElement(using: &generator) {
                    live.record(
                        DataSharingAgreement(
                            id: old.id,
                            organisations: [try ODSCode(parsing: "RK9")],
                            purposes: [.research, .planning],
                            period: .always
                        )
                    )
                }
            default:
                if let patient = patients.randomElement(using: &generator) {
                    live.record(PatientPrivacy(patient: patient, restricted: Bool.random(using: &generator)))
                }
            }
            let reference = ReferencePolicyEvaluator(facts: live.facts, timeZone: zone)
            for _ in 0..<50 {
                let request = policy.randomRequest(using: &generator)
                #expect(live.decide(request) == reference.decide(request), "step \(step)")
            }
        }
    }

    /// A session opened with another catalogue (one that grants more, or that was later changed) is
    /// decided with the decision point's catalogue, as the reference evaluator decides it.
    @Test func aSessionFromAnotherCatalogueIsExpandedAgain() throws {
        let claire = try Fixtures.patient("claire")
        var facts = AccessFacts()
        facts.record(try Fixtures.relationship("rel", patient: claire, organisation: "A81001"))
        var generous = ActivityCatalogue.nhsDefault
        generous.grant([try Fixtures.code("B0380")], to: try Fixtures.role("R8009"))
        let desk = try Fixtures.session(
            "desk",
            organisation: "A81001",
            role: "R8009",
            activities: [],
            catalogue: generous
        )
        #expect(desk.effectiveActivities.contains(try Fixtures.code("B0380")))
        let decision = try Fixtures.decide(facts, Fixtures.request(.staff(desk), claire, .carePlan))
        #expect(!decision.isPermitted)
    }

    static func caseName(_ reason: DecisionReason) -> String {
        String(describing: reason).split(separator: "(").first.map(String.init) ?? ""
    }
}
