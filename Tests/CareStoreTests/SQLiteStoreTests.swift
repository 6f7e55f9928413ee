import CSQLite
import CareCore
import CareStore
import FHIREncoding
import Foundation
import Testing

@Suite("The SQLite store: durability, file protection and clear errors")
struct SQLiteStoreTests {
    static func open(_ file: URL, options: SQLiteResourceStore.Options = .init()) throws -> SQLiteResourceStore {
        try SQLiteResourceStore(
            file: file,
            options: options,
            clock: SteppingClock(),
            timeZone: try .europeLondon(),
            generator: SeededRandomNumberGenerator(seed: 3)
        )
    }

    static func patient(_ id: String) throws -> FHIRResource {
        try FHIRDecoder().decode(
            Array(#"{"resourceType":"Patient","id":"\#(id)","name":[{"family":"Penrose"}]}"#.utf8)
        )
    }

    @Test("what one store wrote, a store opened later on the same file reads, history included")
    func survivesReopening() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("care.sqlite")
        do {
            let store = try Self.open(file)
            _ = try store.create(try Self.patient("claire"))
            _ = try store.update(try Self.patient("claire"), expectedVersion: 1)
        }
        let reopened = try Self.open(file)
        let history = try reopened.history("Patient", id: "claire")
        #expect(history.map(\.version) == [1, 2])
        #expect(try reopened.read("Patient", id: "claire") == history[1])
    }

    @Test("the database and its WAL files are owner-only")
    func ownerOnly() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("care.sqlite")
        let store = try Self.open(file)
        _ = try store.create(try Self.patient("claire"))
        for name in ["care.sqlite", "care.sqlite-wal", "care.sqlite-shm"] {
            let path = folder.appendingPathComponent(name).path
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(name)")
        }
    }

    @Test("a file that is not a database, or is from a newer schema, is refused as corrupt")
    func corrupt() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let garbage = folder.appendingPathComponent("garbage.sqlite")
        try Data(repeating: 0x5A, count: 8192).write(to: garbage)
        let error = #expect(throws: CareStoreError.self) { try Self.open(garbage) }
        #expect(error?.code == .corrupt)
        #expect(error.map { !$0.description.contains(folder.path) } == true, "no path in the error")
    }

    @Test("a read-only store refuses writes with read-only, and a store over its size cap with full")
    func readOnlyAndFull() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("care.sqlite")
        _ = try Self.open(file).create(try Self.patient("claire"))
        let reader = try Self.open(file, options: .init(readOnly: true))
        #expect(try reader.read("Patient", id: "claire").version == 1)
        let refused = #expect(throws: CareStoreError.self) {
            try reader.create(try Self.patient("other"))
        }
        #expect(refused?.code == .readOnly)

        let capped = try Self.open(folder.appendingPathComponent("small.sqlite"), options: .init(maximumPageCount: 12))
        var full: CareStoreError?
        for index in 0..<2_000 where full == nil {
            let resource = try Self.patient("p\(index)")
            do {
                _ = try capped.create(resource)
            } catch {
                full = error
            }
        }
        #expect(full?.code == .full)
        // What was committed before is intact.
        #expect(try capped.read("Patient", id: "p0").version == 1)
    }

    @Test("a writer waiting too long for another connection's lock fails with busy and writes nothing")
    func busy() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("care.sqlite")
        let store = try Self.open(file, options: .init(busyTimeout: .milliseconds(50)))
        _ = try store.create(try Self.patient("claire"))
        // Another connection, as another process would, takes the write lock and keeps it.
        var other: OpaquePointer?
        #expect(sqlite3_open(file.path, &other) == SQLITE_OK)
        defer { sqlite3_close(other) }
        #expect(sqlite3_exec(other, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK)
        let refused = #expect(throws: CareStoreError.self) {
            try store.update(try Self.patient("claire"), expectedVersion: 1)
        }
        #expect(refused?.code == .busy)
        #expect(sqlite3_exec(other, "ROLLBACK", nil, nil, nil) == SQLITE_OK)
        // Reads were never blocked, and nothing was written.
        #expect(try store.history("Patient", id: "claire").count == 1)
        #expect(try store.update(try Self.patient("claire"), expectedVersion: 1).version == 2)
    }

    @Test("an online backup restores to a store with the same content, and neither overwrites a file")
    func backupAndRestore() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Self.open(folder.appendingPathComponent("care.sqlite"))
        for index in 0..<50 { _ = try store.create(try Self.patient("p\(index)")) }
        _ = try store.delete("Patient", id: "p7", expectedVersion: 1)
        let backup = folder.appendingPathComponent("backup.sqlite")
        try store.backup(to: backup)
        let attributes = try FileManager.default.attributesOfItem(atPath: backup.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let again = #expect(throws: CareStoreError.self) { try store.backup(to: backup) }
        #expect(again?.code == .alreadyExists)

        let restoredFile = folder.appendingPathComponent("restored.sqlite")
        try SQLiteResourceStore.restore(from: backup, to: restoredFile)
        let restored = try Self.open(restoredFile)
        try restored.checkIntegrity()
        #expect(try restored.search(StoreQuery(type: "Patient")).count == 49)
        #expect(try restored.history("Patient", id: "p7").map(\.isDeleted) == [false, true])
        #expect(throws: CareStoreError.self) { try SQLiteResourceStore.restore(from: backup, to: restoredFile) }
    }
}
