import CareCore
import Foundation
import PatientIdentity
import Testing

@Suite struct PersonRegistryTests {

    private func person(_ text: String) throws -> PersonRegistry.PersonID {
        try PersonRegistry.PersonID(validating: text)
    }

    private func index() throws -> PatientIndex {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("gp", nhs: "9434765919", verified: true, given: ["Claire"], family: "Trelawny", birth: "1958-07-14"),
            record("ed", given: ["Clare"], family: "Trelawny", birth: "1958-07-14"),
            record("cs", nhs: "9434765919", given: ["Claire"], family: "Trelawny", birth: "1958-07"),
            record(
                "other",
                nhs: "4001588137",
                verified: true,
                given: ["Claire"],
                family: "Trelawny",
                birth: "1958-07-14"
            ),
        ])
        return index
    }

    @Test func mergesAndUnmergesExactly() throws {
        let now = try Instant(parsing: "2026-11-25T10:00:00Z")
        let index = try index()
        var registry = PersonRegistry()
        try registry.create(person("p1"), with: [id("gp")], in: index, actor: "mpi", reason: "new", at: now)
        try registry.create(person("p2"), with: [id("ed"), id("cs")], in: index, actor: "mpi", reason: "new", at: now)
        let before = registry
        let merge = try registry.merge(
            person("p2"),
            into: person("p1"),
            in: index,
            actor: "clerk-42",
            reason: "same NHS number",
            at: now
        )
        #expect(registry.records(of: try person("p1")) == [try id("cs"), try id("ed"), try id("gp")])
        #expect(registry.records(of: try person("p2")).isEmpty)
        #expect(registry.currentPerson(for: try person("p2")) == (try person("p1")))
        #expect(registry.person(of: try id("ed")) == (try person("p1")))
        #expect(throws: PatientIdentityError.self) {
            try registry.link([id("other")], to: person("p2"), in: index, actor: "mpi", reason: "", at: now)
        }

        try registry.unmerge(merge, actor: "clerk-7", reason: "wrong merge", at: now)
        #expect(registry.records(of: try person("p1")) == before.records(of: try person("p1")))
        #expect(registry.records(of: try person("p2")) == before.records(of: try person("p2")))
        #expect(registry.currentPerson(for: try person("p2")) == (try person("p2")))
        #expect(registry.events.map(\.kind) == [.created, .created, .merged, .unmerged])
        #expect(registry.events[2].undoneBy == 4)
        #expect(registry.events[2].actor == "clerk-42" && registry.events[3].reason == "wrong merge")
        #expect(throws: PatientIdentityError.self) { try registry.unmerge(merge, actor: "x", reason: "", at: now) }
        #expect(throws: PatientIdentityError.self) { try registry.unmerge(99, actor: "x", reason: "", at: now) }
    }

    @Test func neverPutsDifferentVerifiedNHSNumbersInOnePerson() throws {
        let now = try Instant(parsing: "2026-11-25T10:00:00Z")
        let index = try index()
        var registry = PersonRegistry()
        try registry.create(person("p1"), with: [id("gp")], in: index, actor: "mpi", reason: "", at: now)
        try registry.create(person("p2"), with: [id("other")], in: index, actor: "mpi", reason: "", at: now)
        let (p1, p2) = (try person("p1"), try person("p2"))
        do {
            try registry.merge(p2, into: p1, in: index, actor: "clerk", reason: "", at: now)
            Issue.record("expected the merge to be refused")
        } catch {
            #expect(error.code == .inconsistent)
        }
        #expect(throws: PatientIdentityError.self) {
            try registry.create(
                person("p3"),
                with: [id("gp"), id("other")],
                in: index,
                actor: "mpi",
                reason: "",
                at: now
            )
        }
        #expect(registry.events.count == 2)
    }

    @Test func refusesRecordsThatAlreadyBelongOrDoNotExist() throws {
        let now = try Instant(parsing: "2026-11-25T10:00:00Z")
        let index = try index()
        var registry = PersonRegistry()
        try registry.create(person("p1"), with: [id("gp")], in: index, actor: "mpi", reason: "", at: now)
        #expect(throws: PatientIdentityError.self) {
            try registry.create(person("p2"), with: [id("gp")], in: index, actor: "mpi", reason: "", at: now)
        }
        #expect(throws: PatientIdentityError.self) {
            try registry.create(person("p2"), with: [id("nobody")], in: index, actor: "mpi", reason: "", at: now)
        }
        #expect(throws: PatientIdentityError.self) {
            try registry.create(person("p1"), with: [id("ed")], in: index, actor: "mpi", reason: "", at: now)
        }
        #expect(throws: PatientIdentityError.self) {
            try registry.merge(person("p1"), into: person("p1"), in: index, actor: "x", reason: "", at: now)
        }
    }

    @Test func unlinksARecordIntoAPersonOfItsOwn() throws {
        let now = try Instant(parsing: "2026-11-25T10:00:00Z")
        let index = try index()
        var registry = PersonRegistry()
        try registry.create(person("p1"), with: [id("gp"), id("ed")], in: index, actor: "mpi", reason: "", at: now)
        try registry.unlink(id("ed"), as: person("p9"), actor: "clerk", reason: "different person", at: now)
        #expect(registry.records(of: try person("p1")) == [try id("gp")])
        #expect(registry.records(of: try person("p9")) == [try id("ed")])
        #expect(throws: PatientIdentityError.self) {
            try registry.unlink(id("gp"), as: person("p10"), actor: "x", reason: "", at: now)
        }
    }

    @Test func encodesAsEventsAndReplaysThem() throws {
        let now = try Instant(parsing: "2026-11-25T10:00:00Z")
        let index = try index()
        var registry = PersonRegistry()
        try registry.create(person("p1"), with: [id("gp")], in: index, actor: "mpi", reason: "", at: now)
        try registry.create(person("p2"), with: [id("ed")], in: index, actor: "mpi", reason: "", at: now)
        try registry.link([id("cs")], to: person("p1"), in: index, actor: "mpi", reason: "probability 0.998", at: now)
        let merge = try registry.merge(person("p2"), into: person("p1"), in: index, actor: "clerk", reason: "", at: now)
        try registry.unmerge(merge, actor: "clerk", reason: "", at: now)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(registry)
        let again = try JSONDecoder().decode(PersonRegistry.self, from: json)
        #expect(again == registry)
        #expect(try encoder.encode(again) == json)
        var broken = registry.events
        broken.swapAt(0, 1)
        #expect(throws: PatientIdentityError.self) { try PersonRegistry(replaying: broken) }
    }

    @Test func summarisesByExplicitSurvivorshipRules() throws {
        let older = try Instant(parsing: "2024-01-01T00:00:00Z")
        let newer = try Instant(parsing: "2026-01-01T00:00:00Z")
        var gp = try record(
            "gp",
            nhs: "9434765919",
            verified: true,
            given: ["Claire"],
            family: "Trelawny",
            birth: "1958-07-14",
            postcode: "TR1 3LJ"
        )
        gp.lastUpdated = older
        var hospital = try record(
            "ed",
            nhs: "9434765919",
            given: ["Clare"],
            family: "Pascoe",
            birth: "1958-07",
            postcode: "PL31 2QN"
        )
        hospital.lastUpdated = newer
        let summary = PersonSummary([hospital, gp])
        #expect(summary.nhsNumber?.source == gp.id)  // verified outranks more recent
        #expect(summary.name?.source == hospital.id && summary.address?.source == hospital.id)  // most recent wins
        #expect(summary.birthDate?.value == (try FHIRDate(parsing: "1958-07-14")))  // full outranks partial
        #expect(PersonSummary([gp, hospital]) == summary)
    }
}
