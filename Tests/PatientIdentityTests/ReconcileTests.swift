import CareCore
import Foundation
import Testing

@testable import PatientIdentity

@Suite struct ReconcileTests {
    private var now: Instant {
        get throws { try Instant(parsing: "2026-11-25T10:00:00Z") }
    }

    private func cluster(_ ids: [String]) throws -> PersonCluster {
        let records = try ids.map(id).sorted()
        return PersonCluster(personID: records[0], records: records)
    }

    /// Person ids come from the caller's generator: a counter here, so the test can name them.
    private func counter() -> () -> PersonRegistry.PersonID {
        var next = 0
        return {
            next += 1
            return PersonRegistry.PersonID(unchecked: "person-\(next)")
        }
    }

    /// Deduplicates and clusters the whole index, then reconciles the clusters with the registry.
    private func reconcileAll(
        _ index: PatientIndex,
        into registry: inout PersonRegistry,
        ids: () -> PersonRegistry.PersonID
    ) throws -> ReconciliationReport {
        try registry.reconcile(
            index.clusters(from: index.deduplicate()),
            in: index,
            newPersonID: ids,
            actor: "mpi",
            reason: "clusters at 0.9",
            at: try now
        )
    }

    @Test func keepsAPersonsIdWhenTheirClusterGrowsAndChangesItsSmallestRecord() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("m2", given: ["Claire"], family: "Trelawny", birth: "1958-07-14", postcode: "TR1 3LJ"),
            record("m3", given: ["Claire"], family: "Trelawny", birth: "1958-07-14", postcode: "TR1 3LJ"),
            record("k1", given: ["John"], family: "Pascoe", birth: "1944-02-03", postcode: "TR18 4AB"),
        ])
        var registry = PersonRegistry()
        let ids = counter()
        var report = try reconcileAll(index, into: &registry, ids: ids)
        #expect(report.created.map(\.rawValue) == ["person-1", "person-2"])
        let claire = try #require(registry.person(of: id("m2")))

        // A new record sorts first, so the cluster's own id changes; the person's does not.
        try index.insert(
            record("m1", given: ["Claire"], family: "Trelawny", birth: "1958-07-14", postcode: "TR1 3LJ")
        )
        report = try reconcileAll(index, into: &registry, ids: ids)
        #expect(report.created.isEmpty && report.linked == [claire])
        #expect(try registry.person(of: id("m1")) == claire)
        #expect(try registry.records(of: claire) == [id("m1"), id("m2"), id("m3")])
    }

    @Test func mergesPersonsAClusterJoinsIntoTheLargerAndKeepsTheLineage() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("a", given: ["Claire"], family: "Trelawny", birth: "1958-07-14"),
            record("b", given: ["Claire"], family: "Trelawny", birth: "1958-07-14"),
            record("c", given: ["Claire"], family: "Trelawny", birth: "1958-07-14"),
        ])
        var registry = PersonRegistry()
        let ids = counter()
        try registry.reconcile(
            [cluster(["a"]), cluster(["b", "c"])],
            in: index,
            newPersonID: ids,
            actor: "mpi",
            reason: "first",
            at: try now
        )
        let report = try registry.reconcile(
            [cluster(["a", "b", "c"])],
            in: index,
            newPersonID: ids,
            actor: "mpi",
            reason: "second",
            at: try now
        )
        let survivor = try #require(registry.person(of: id("b")))
        #expect(survivor.rawValue == "person-2")
        #expect(report.merged.map { [$0.source.rawValue, $0.target.rawValue] } == [["person-1", "person-2"]])
        #expect(registry.currentPerson(for: PersonRegistry.PersonID(unchecked: "person-1")) == survivor)
        #expect(try registry.records(of: survivor) == [id("a"), id("b"), id("c")])
    }

    @Test func leavesAClusterThatASafetyRuleRefusesUntouched() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("a", nhs: "9434765919", verified: true, given: ["Claire"], family: "Trelawny", birth: "1958-07-14"),
            record("b", nhs: "4001588137", verified: true, given: ["Claire"], family: "Trelawny", birth: "1958-07-14"),
        ])
        var registry = PersonRegistry()
        let report = try registry.reconcile(
            [cluster(["a", "b"])],
            in: index,
            newPersonID: counter(),
            actor: "mpi",
            reason: "test",
            at: try now
        )
        #expect(report.refused == [try id("a")] && report.created.isEmpty)
        #expect(try registry.person(of: id("a")) == nil && registry.person(of: id("b")) == nil)
        #expect(registry.events.isEmpty)
    }
}
