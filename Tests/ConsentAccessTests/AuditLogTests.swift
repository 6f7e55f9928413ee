import CareCore
import ConsentAccess
import Foundation
import Testing

@Suite struct AuditLogTests {
    let storage = InMemoryAuditLogStorage()
    let clock = ManualWallClock(startingAt: Fixtures.now)
    let key: AuditCheckpointKey

    init() throws {
        var generator = SeededRandomNumberGenerator(seed: 7)
        key = AuditCheckpointKey.random(using: &generator)
    }

    func record(_ index: Int) throws -> AuditRecord {
        AuditRecord(
            event: .decision,
            actor: .patient(try Fixtures.patient("patient-\(index % 5)")),
            patient: try Fixtures.patient("patient-\(index % 5)"),
            dataClass: .carePlan,
            action: .read,
            purpose: PurposeOfUse.selfAccess.code,
            effect: .permit,
            reasons: [.ownRecord]
        )
    }

    func filledLog(_ count: Int, checkpointEvery: Int? = nil) throws -> AuditLog {
        let log = try AuditLog(storage: storage, clock: clock)
        for index in 0..<count {
            clock.advance(by: .seconds(1))
            try log.append(record(index))
            if let every = checkpointEvery, (index + 1) % every == 0 { try log.checkpoint(key: key) }
        }
        return log
    }

    /// A copy of a stored entry with some fields changed, as someone editing the storage would make it.
    func edited(
        _ old: AuditEntry,
        sequence: UInt64? = nil,
        recorded: Date? = nil,
        dataClass: DataClass? = nil,
        effect: AccessDecision.Effect? = nil,
        previousHash: SHA256Digest? = nil,
        hash: SHA256Digest? = nil
    ) -> AuditEntry {
        AuditEntry(
            sequence: sequence ?? old.sequence,
            recorded: recorded ?? old.recorded,
            event: old.event,
            actor: old.actor,
            patient: old.patient,
            dataClass: dataClass ?? old.dataClass,
            action: old.action,
            purpose: old.purpose,
            effect: effect ?? old.effect,
            reasons: old.reasons,
            previousHash: previousHash ?? old.previousHash,
            hash: hash ?? old.hash
        )
    }

    func verify() -> AuditVerification {
        AuditLog.verify(entries: storage.loadEntries(), checkpoints: storage.loadCheckpoints(), key: key)
    }

    @Test func entriesChainFromTheGenesisHash() throws {
        let log = try filledLog(3)
        let entries = try log.allEntries()
        #expect(entries.map(\.sequence) == [0, 1, 2])
        #expect(entries[0].previousHash == AuditLog.genesisHash)
        #expect(entries[1].previousHash == entries[0].hash)
        #expect(entries.allSatisfy { $0.computedHash == $0.hash })
        #expect(log.head == entries[2].hash)
        #expect(AuditLog.genesisHash == SHA256.hash(Array("IntegratedCareKit audit log v1".utf8)))
        #expect(verify() == .intact(entries: 3, checkpoints: 0))
    }

    @Test func aReopenedLogContinuesTheChain() throws {
        _ = try filledLog(4)
        let reopened = try AuditLog(storage: storage, clock: clock)
        try reopened.append(record(9))
        #expect(reopened.count == 5)
        #expect(verify().isIntact)
    }

    @Test func anAlteredEntryIsNamed() throws {
        _ = try filledLog(10)
        storage.tamper { entries, _ in
            let old = entries[4]
            entries[4] = edited(old, dataClass: .mentalHealth)
        }
        #expect(verify() == .broken(.altered(sequence: 4)))
    }

    @Test func anAlteredAndRehashedEntryIsNamedByTheNextOne() throws {
        _ = try filledLog(10)
        storage.tamper { entries, _ in
            let old = entries[4]
            let forged = edited(old, dataClass: .summary, effect: .deny)
            entries[4] = edited(old, dataClass: .summary, effect: .deny, hash: forged.computedHash)
        }
        #expect(verify() == .broken(.altered(sequence: 4)))
    }

    @Test func anEntryWhoseSequenceNumberWasChangedIsNamedAsAltered() throws {
        _ = try filledLog(10)
        storage.tamper { entries, _ in
            let old = entries[5]
            entries[5] = edited(old, sequence: 3)
        }
        #expect(verify() == .broken(.altered(sequence: 5)))
    }

    @Test func aCheckpointRefusesToSignEntriesChangedInTheStore() throws {
        let log = try filledLog(6)
        storage.tamper { entries, _ in entries.removeLast() }
        let error = try #require(throws: ConsentAccessError.self) { try log.checkpoint(key: key) }
        #expect(error.code == .storageFailure)
        #expect(storage.loadCheckpoints().isEmpty)
    }

    @Test func aHostileTimeIsReportedNotTrapped() throws {
        _ = try filledLog(3)
        storage.tamper { entries, _ in
            let old = entries[1]
            entries[1] = edited(old, recorded: Date(timeIntervalSince1970: 1e300))
        }
        #expect(verify() == .broken(.altered(sequence: 1)))
    }

    @Test func removedAndReorderedEntriesAreNamed() throws {
        _ = try filledLog(10)
        storage.tamper { entries, _ in entries.remove(at: 6) }
        #expect(verify() == .broken(.removed(sequence: 6)))

        let other = InMemoryAuditLogStorage()
        let log = try AuditLog(storage: other, clock: clock)
        for index in 0..<5 { try log.append(record(index)) }
        other.tamper { entries, _ in entries.swapAt(1, 3) }
        let swapped = AuditLog.verify(entries: other.loadEntries(), checkpoints: [], key: nil)
        #expect(swapped == .broken(.reordered(sequence: 3, position: 1)))
        other.tamper { entries, _ in entries.swapAt(1, 3) }
        other.tamper { entries, _ in entries.insert(entries[0], at: 2) }
        let duplicated = AuditLog.verify(entries: other.loadEntries(), checkpoints: [], key: nil)
        #expect(duplicated == .broken(.reordered(sequence: 0, position: 2)))
    }

    @Test func aRebuiltChainIsCaughtByTheCheckpoints() throws {
        _ = try filledLog(20, checkpointEvery: 5)
        #expect(verify() == .intact(entries: 20, checkpoints: 4))
        // Someone with write access changes entry 12 and recomputes every hash from there on.
        storage.tamper { entries, _ in
            var previous = entries[11].hash
            for index in 12..<entries.count {
                let old = entries[index]
                let content = edited(
                    old,
                    dataClass: index == 12 ? .sexualHealth : old.dataClass,
                    previousHash: previous,
                    hash: previous
                )
                let rebuilt = edited(
                    old,
                    dataClass: content.dataClass,
                    previousHash: previous,
                    hash: content.computedHash
                )
                entries[index] = rebuilt
                previous = rebuilt.hash
            }
        }
        // The chain alone looks intact; the checkpoints do not.
        #expect(AuditLog.verify(entries: storage.loadEntries(), checkpoints: [], key: nil).isIntact)
        #expect(verify() == .broken(.rewritten(after: 10, upTo: 15)))
    }

    @Test func forgedAndOutrunCheckpointsAreCaught() throws {
        _ = try filledLog(8, checkpointEvery: 4)
        var generator = SeededRandomNumberGenerator(seed: 8)
        let otherKey = AuditCheckpointKey.random(using: &generator)
        storage.tamper { entries, checkpoints in
            let real = checkpoints[1]
            checkpoints[1] = AuditCheckpoint(size: real.size, root: real.root, recorded: real.recorded, key: otherKey)
        }
        #expect(verify() == .broken(.forgedCheckpoint(size: 8)))

        let truncated = InMemoryAuditLogStorage()
        let log = try AuditLog(storage: truncated, clock: clock)
        for index in 0..<6 { try log.append(record(index)) }
        try log.checkpoint(key: key)
        truncated.tamper { entries, _ in entries.removeLast(2) }
        let result = AuditLog.verify(
            entries: truncated.loadEntries(),
            checkpoints: truncated.loadCheckpoints(),
            key: key
        )
        #expect(result == .broken(.truncated(checkpointSize: 6, entries: 4)))
    }

    @Test func aCheckpointKeyIsLongEnoughAndNeverPrinted() throws {
        #expect(throws: ConsentAccessError.self) { try AuditCheckpointKey(Array(repeating: 1, count: 31)) }
        let key = try AuditCheckpointKey(Array(repeating: 0xAB, count: 32))
        #expect(String(describing: key) == "AuditCheckpointKey(<redacted>)")
        #expect(!String(reflecting: key).contains("171"))
    }

    struct FailingStorage: AuditLogStorage {
        struct Failure: Error {}
        func loadEntries() throws -> [AuditEntry] { [] }
        func append(_ entries: [AuditEntry]) throws { throw Failure() }
        func loadCheckpoints() throws -> [AuditCheckpoint] { [] }
        func append(_ checkpoint: AuditCheckpoint) throws { throw Failure() }
    }

    @Test func aFailedWriteAppendsNothing() throws {
        let log = try AuditLog(storage: FailingStorage(), clock: clock)
        let error = try #require(throws: ConsentAccessError.self) { try log.append(record(0)) }
        #expect(error.code == .storageFailure)
        #expect(log.count == 0)
        #expect(log.head == AuditLog.genesisHash)
    }

    @Test func concurrentAppendsKeepOneUnbrokenChain() async throws {
        let log = try AuditLog(storage: storage, clock: clock)
        let records = try (0..<8).map { try record($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for _ in 0..<250 { try log.append(records[task]) }
                }
            }
            try await group.waitForAll()
        }
        #expect(log.count == 2_000)
        #expect(verify() == .intact(entries: 2_000, checkpoints: 0))
    }

    /// The canonical bytes are a stored format: this pins the hash of one known entry, so reordering a
    /// vocabulary or changing the encoding fails here instead of breaking every stored chain. The expected
    /// value was recorded when format version 1 was fixed.
    @Test func theCanonicalFormatDoesNotChange() throws {
        let entry = AuditEntry(
            sequence: 41,
            recorded: Fixtures.now,
            event: .decision,
            actor: .staff(
                try Access.UserID(validating: "910000000001"),
                try RoleProfile.ID(validating: "555254240100"),
                try Fixtures.ods("RYF"),
                try Fixtures.role("R8003")
            ),
            patient: try Fixtures.patient("claire"),
            dataClass: .emergencySummary,
            action: .read,
            purpose: "ETREAT",
            effect: .permit,
            reasons: [
                .activityHeld(try Fixtures.code("B0370")),
                .relationship(try LegitimateRelationship.ID(validating: "rel-1"), .emergencyAttendance),
                .consentDenialOverridden(try ConsentDirective.ID(validating: "c-1"), ProvisionPath([1, 0])),
                .proxyAuthority(try ProxyAuthority.ID(validating: "p-1"), .courtAppointedDeputy),
            ],
            previousHash: AuditLog.genesisHash,
            hash: AuditLog.genesisHash
        )
        #expect(entry.computedHash.hex == "e45c52fb6a64f5ab9b9d48cc338d640b38b2dde5ebd8d069267e0d0b1e177117")
    }

    @Test func patientsSeeTheirOwnEntries() throws {
        let log = try filledLog(10)
        let entries = try log.entries(about: try Fixtures.patient("patient-2"))
        #expect(entries.map(\.sequence) == [2, 7])
    }
}
