import CSQLite
import CareCore
import CareStore
import ConsentAccess
import Foundation
import Testing

/// The audit log on SQLite: it continues and verifies after reopening, and a row changed in the database
/// behind the log's back is found and named.
@Suite("The audit log's SQLite storage")
struct AuditStorageTests {
    static let start = Date(timeIntervalSince1970: 1_796_025_600)

    static func record(_ index: Int) throws -> AuditRecord {
        let patient = try Access.PatientID(validating: "patient-\(index % 5)")
        return AuditRecord(
            event: .decision,
            actor: .patient(patient),
            patient: patient,
            dataClass: .carePlan,
            action: .read,
            purpose: PurposeOfUse.selfAccess.code,
            effect: index % 7 == 3 ? .deny : .permit,
            reasons: [.ownRecord]
        )
    }

    static func key() -> AuditCheckpointKey {
        var generator = SeededRandomNumberGenerator(seed: 7)
        return AuditCheckpointKey.random(using: &generator)
    }

    /// A log of `count` entries with a checkpoint every 10, in a new file; the storage is closed on return.
    static func filled(_ count: Int, in folder: URL) throws -> URL {
        let file = folder.appendingPathComponent("audit.sqlite")
        let clock = ManualWallClock(startingAt: start)
        let log = try AuditLog(storage: try SQLiteAuditLogStorage(file: file), clock: clock)
        for index in 0..<count {
            clock.advance(by: .seconds(1))
            if index % 4 == 0 {
                try log.append(contentsOf: [try record(index), try record(index + 100)])
            } else {
                try log.append(try record(index))
            }
            if (index + 1) % 10 == 0 { try log.checkpoint(key: key()) }
        }
        return file
    }

    /// Runs SQL on the file directly, as someone with write access to the database could.
    static func tamper(_ file: URL, _ sql: String) throws {
        var database: OpaquePointer?
        defer { sqlite3_close(database) }
        guard sqlite3_open(file.path, &database) == SQLITE_OK, sqlite3_exec(database, sql, nil, nil, nil) == SQLITE_OK,
            sqlite3_changes(database) > 0
        else {
            throw CrashTestFailure("the tampering statement changed nothing")
        }
    }

    @Test("entries and checkpoints persist; a reopened log continues the chain and verifies")
    func persistsAndContinues() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.filled(30, in: folder)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let storage = try SQLiteAuditLogStorage(file: file)
        let clock = ManualWallClock(startingAt: Self.start.addingTimeInterval(3_600))
        let reopened = try AuditLog(storage: storage, clock: clock)
        #expect(reopened.count == 38)
        #expect(try storage.loadCheckpoints().count == 3)
        #expect(try reopened.verifyStorage(key: Self.key()) == .intact(entries: 38, checkpoints: 3))
        let next = try reopened.append(try Self.record(99))
        #expect(next.sequence == 38)
        #expect(next.previousHash == (try storage.loadEntries())[37].hash)
        try reopened.checkpoint(key: Self.key())
        #expect(try reopened.verifyStorage(key: Self.key()) == .intact(entries: 39, checkpoints: 4))
        // What was stored reads back as it was written.
        let entries = try storage.loadEntries()
        #expect(entries.map(\.sequence) == Array(0..<39))
        #expect(entries.allSatisfy { $0.computedHash == $0.hash })
    }

    @Test("an entry taken twice is refused, and the batch with it is not written")
    func duplicatesRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.filled(3, in: folder)
        let storage = try SQLiteAuditLogStorage(file: file)
        let stored = try storage.loadEntries()
        let error = #expect(throws: CareStoreError.self) { try storage.append([stored[0]]) }
        #expect(error?.code == .alreadyExists)
        #expect(error?.field.description == "auditEntries[0]")
        #expect(try storage.loadEntries() == stored)
    }

    @Test(
        "a row changed in the database is found and named",
        arguments: [
            // The decision turned from deny to permit inside the stored AuditEvent.
            (
                #"UPDATE audit_entries SET event = CAST(replace(CAST(event AS TEXT), '"outcome":"8"', '"outcome":"0"') AS BLOB) WHERE sequence = 4"#,
                AuditVerification.broken(.altered(sequence: 4))
            ),
            (
                "DELETE FROM audit_entries WHERE sequence = 7",
                AuditVerification.broken(.removed(sequence: 7))
            ),
            (
                "DELETE FROM audit_entries WHERE sequence >= 35",
                AuditVerification.broken(.truncated(checkpointSize: 38, entries: 35))
            ),
        ]
    )
    func tamperingFound(sql: String, expected: AuditVerification) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.filled(30, in: folder)
        let before = try SQLiteAuditLogStorage(file: file)
        #expect(try before.loadEntries()[4].effect == .deny)
        try Self.tamper(file, sql)
        let storage = try SQLiteAuditLogStorage(file: file)
        let verification = AuditLog.verify(
            entries: try storage.loadEntries(),
            checkpoints: try storage.loadCheckpoints(),
            key: Self.key()
        )
        #expect(verification == expected)
        // A reopened log will not sign over what no longer verifies.
        let log = try AuditLog(
            storage: storage,
            clock: ManualWallClock(startingAt: Self.start.addingTimeInterval(9_999))
        )
        #expect(throws: ConsentAccessError.self) { try log.checkpoint(key: Self.key()) }
    }

    @Test("a row no longer readable is refused as corrupt, naming it, without patient data")
    func unreadableRowNamed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.filled(10, in: folder)
        try Self.tamper(file, "UPDATE audit_entries SET event = CAST('not an AuditEvent' AS BLOB) WHERE sequence = 5")
        let storage = try SQLiteAuditLogStorage(file: file)
        let error = #expect(throws: CareStoreError.self) { try storage.loadEntries() }
        #expect(error?.code == .corrupt)
        #expect(error?.field.description == "auditEntries[5]")
        #expect(error.map { !String(describing: $0).contains("patient-") } == true)
        // The log will not open over it, so no entry is appended to a chain that cannot be checked.
        #expect(throws: ConsentAccessError.self) {
            try AuditLog(storage: storage, clock: ManualWallClock(startingAt: Self.start))
        }
    }
}
