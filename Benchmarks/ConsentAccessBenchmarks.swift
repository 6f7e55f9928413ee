import CareCore
import ConsentAccess
import Foundation

/// The ConsentAccess benchmarks: decisions over a large policy, audit appends with hashing, SHA-256, and the
/// full differential run of the decision point against the reference evaluator.
enum ConsentAccessBenchmarks {
    static func all(matching filter: String?) throws -> [Benchmark] {
        func wanted(_ name: String) -> Bool { filter.map { name.contains($0) || $0.contains(name) } ?? true }
        var cases: [Benchmark] = []
        if wanted("access.decide") { cases.append(try decide()) }
        if wanted("access.audit.append") { cases.append(try auditAppend()) }
        if wanted("access.audit.verify") { cases.append(try auditVerify()) }
        if wanted("access.sha256") { cases += sha256() }
        // The full differential run takes minutes, so it runs only when asked for by name.
        if let filter, "access.differential".contains(filter) && filter.count > "access.".count {
            cases.append(try differential())
        }
        return cases
    }

    /// 200 job roles, 1,000 activities, 10,000 consent directives over 5,000 patients, 200 staff sessions;
    /// 100,000 seeded random requests (staff, patients and proxies) decided on one core.
    static func decide() throws -> Benchmark {
        var generator = SeededRandomNumberGenerator(seed: 6_000_001)
        let policy = SyntheticAccessPolicy(
            roles: 200,
            activities: 1_000,
            directives: 10_000,
            patients: 5_000,
            sessions: 200,
            using: &generator
        )
        let decisionPoint = PolicyDecisionPoint(facts: policy.facts, timeZone: try CivilTimeZone.europeLondon())
        let requests = (0..<100_000).map { _ in policy.randomRequest(using: &generator) }
        let permits = requests.reduce(0) { $0 + (decisionPoint.decide($1).isPermitted ? 1 : 0) }
        return Benchmark(
            name: "access.decide",
            operations: requests.count,
            bytes: 0,
            run: {
                var checksum = 0
                for request in requests {
                    checksum &+= decisionPoint.decide(request).reasons.count
                }
                return checksum
            },
            report: { "\(permits * 100 / requests.count)% of the requests permitted" }
        )
    }

    /// 10,000 decision records appended one at a time, each hashed into the chain, to a fresh in-memory log.
    static func auditAppend() throws -> Benchmark {
        let records = try records(10_000)
        let clock = FixedWallClock(Date(timeIntervalSince1970: 1_795_600_800))
        return Benchmark(
            name: "access.audit.append",
            operations: records.count,
            bytes: 0,
            run: {
                let log = try AuditLog(storage: InMemoryAuditLogStorage(), clock: clock)
                for record in records { try log.append(record) }
                return log.count
            }
        )
    }

    /// Verifying a 10,000-entry log with a checkpoint every 1,000 entries.
    static func auditVerify() throws -> Benchmark {
        let storage = InMemoryAuditLogStorage()
        let log = try AuditLog(storage: storage, clock: FixedWallClock(Date(timeIntervalSince1970: 1_795_600_800)))
        var generator = SeededRandomNumberGenerator(seed: 6_000_002)
        let key = AuditCheckpointKey.random(using: &generator)
        for (index, record) in try records(10_000).enumerated() {
            try log.append(record)
            if (index + 1) % 1_000 == 0 { try log.checkpoint(key: key) }
        }
        let entries = storage.loadEntries()
        let checkpoints = storage.loadCheckpoints()
        return Benchmark(
            name: "access.audit.verify",
            operations: entries.count,
            bytes: 0,
            run: {
                let result = AuditLog.verify(entries: entries, checkpoints: checkpoints, key: key)
                guard result.isIntact else { throw BenchmarkFailure() }
                return entries.count
            }
        )
    }

    /// SHA-256 over 1 MiB buffers, and over 200-byte messages one at a time.
    static func sha256() -> [Benchmark] {
        var generator = SeededRandomNumberGenerator(seed: 6_000_003)
        let large = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let small = Array(large.prefix(200))
        return [
            Benchmark(
                name: "access.sha256.1MiB",
                operations: 16,
                bytes: 16 * large.count,
                run: {
                    var checksum = 0
                    for _ in 0..<16 { checksum &+= Int(SHA256.hash(large).bytes[0]) }
                    return checksum
                }
            ),
            Benchmark(
                name: "access.sha256.200B",
                operations: 100_000,
                bytes: 0,
                run: {
                    var checksum = 0
                    for _ in 0..<100_000 { checksum &+= Int(SHA256.hash(small).bytes[0]) }
                    return checksum
                }
            ),
        ]
    }

    /// The full differential run: 10 random policies, 100,000 random requests each, every decision of the
    /// decision point compared with the reference evaluator's. Run with
    /// `swift run -c release Benchmarks access.differential`.
    static func differential() throws -> Benchmark {
        let zone = try CivilTimeZone.europeLondon()
        let perPolicy = 100_000
        return Benchmark(
            name: "access.differential",
            operations: 10 * perPolicy,
            bytes: 0,
            maximumSamples: 1,
            run: {
                var agreed = 0
                for seed in 1...10 {
                    var generator = SeededRandomNumberGenerator(seed: UInt64(7_000_000 + seed))
                    let policy = SyntheticAccessPolicy(
                        roles: 40,
                        activities: 200,
                        directives: 2_000,
                        patients: 300,
                        sessions: 40,
                        using: &generator
                    )
                    let fast = PolicyDecisionPoint(facts: policy.facts, timeZone: zone)
                    let reference = ReferencePolicyEvaluator(facts: policy.facts, timeZone: zone)
                    for _ in 0..<perPolicy {
                        let request = policy.randomRequest(using: &generator)
                        guard fast.decide(request) == reference.decide(request) else { throw BenchmarkFailure() }
                        agreed += 1
                    }
                }
                return agreed
            },
            report: { "every decision of the decision point equalled the reference evaluator's" }
        )
    }

    private static func records(_ count: Int) throws -> [AuditRecord] {
        let profile = RoleProfile(
            id: try RoleProfile.ID(validating: "555254240100"),
            user: try Access.UserID(validating: "910000000001"),
            organisation: try ODSCode(parsing: "RYF"),
            jobRole: try JobRoleCode(parsing: "R8003")
        )
        return try (0..<count).map { index in
            AuditRecord(
                event: .decision,
                actor: .staff(profile.user, profile.id, profile.organisation, profile.jobRole),
                patient: try Access.PatientID(validating: "patient-\(index % 1_000)"),
                dataClass: .emergencySummary,
                action: .read,
                purpose: PurposeOfUse.emergency.code,
                effect: .permit,
                reasons: [
                    .activityHeld(try ActivityCode(parsing: "B0370")),
                    .relationship(
                        try LegitimateRelationship.ID(validating: "rel-\(index % 1_000)"),
                        .emergencyAttendance
                    ),
                ]
            )
        }
    }
}
