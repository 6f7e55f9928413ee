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
        #expect(permits > Self.count / 3 / 20)
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

    static func caseName(_ reason: DecisionReason) -> String {
        String(describing: reason).split(separator: "(").first.map(String.init) ?? ""
    }
}
