import CareCore
import CareStore
import CareStoreConformance
import FHIREncoding
import Foundation
import Synchronization
import Testing

/// A clock that moves on a millisecond every time it is read, so versions are timed in order.
final class SteppingClock: WallClock {
    private let start = Date(timeIntervalSince1970: 1_796_025_600)
    private let readings = Mutex(0)

    func now() -> Date {
        let count = readings.withLock { value in
            value += 1
            return value
        }
        return start.addingTimeInterval(Double(count) / 1000)
    }
}

/// A new, empty folder under the system's temporary folder, removed by the caller.
func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "carestore-tests-\(UUID().uuidString)",
        isDirectory: true
    )
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

@Suite("The store conformance checks on every backend")
struct ConformanceTests {
    @Test("the in-memory store passes", arguments: StoreConformance.checks)
    func inMemory(_ check: StoreConformance.Check) async throws {
        let store = InMemoryResourceStore(
            clock: SteppingClock(),
            timeZone: try .europeLondon(),
            generator: SeededRandomNumberGenerator(seed: 1)
        )
        try await check.run(on: store)
    }

    @Test("the SQLite store passes", arguments: StoreConformance.checks)
    func sqlite(_ check: StoreConformance.Check) async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteResourceStore(
            file: folder.appendingPathComponent("store.sqlite"),
            clock: SteppingClock(),
            timeZone: try .europeLondon(),
            generator: SeededRandomNumberGenerator(seed: 1)
        )
        try await check.run(on: store)
    }
}

/// A store that ignores the version a caller read: a backend with lost-update bugs, for the kit to catch.
actor CarelessStore: ResourceStore {
    let inner: InMemoryResourceStore

    init() throws {
        inner = InMemoryResourceStore(
            clock: SteppingClock(),
            timeZone: try .europeLondon(),
            generator: SeededRandomNumberGenerator(seed: 2)
        )
    }

    func create(_ resource: FHIRResource) async throws(CareStoreError) -> StoredResource {
        try inner.create(resource)
    }

    func read(_ type: String, id: String) async throws(CareStoreError) -> StoredResource {
        try inner.read(type, id: id)
    }

    func read(_ type: String, id: String, version: Int) async throws(CareStoreError) -> StoredResource {
        try inner.read(type, id: id, version: version)
    }

    func update(_ resource: FHIRResource, expectedVersion: Int) async throws(CareStoreError) -> StoredResource {
        let current = try inner.read(resource.resourceType, id: resource.id ?? "")
        return try inner.update(resource, expectedVersion: current.version)
    }

    func delete(_ type: String, id: String, expectedVersion: Int?) async throws(CareStoreError) -> StoredResource {
        try inner.delete(type, id: id, expectedVersion: expectedVersion)
    }

    func history(_ type: String, id: String) async throws(CareStoreError) -> [StoredResource] {
        try inner.history(type, id: id)
    }

    func search(_ query: StoreQuery) async throws(CareStoreError) -> [StoredResource] {
        inner.search(query)
    }

    func transaction(_ operations: [StoreOperation]) async throws(CareStoreError) -> [StoredResource] {
        try inner.transaction(operations)
    }
}

@Suite("The conformance kit catches a faulty backend")
struct ConformanceKitTests {
    @Test("a store that ignores expected versions fails the refusal and racing-update checks")
    func catchesLostUpdates() async throws {
        var failed: [String] = []
        for check in StoreConformance.checks {
            do {
                try await check.run(on: try CarelessStore())
            } catch {
                failed.append(check.name)
            }
        }
        #expect(failed.contains { $0.hasPrefix("refusals") })
        #expect(failed.contains { $0.hasPrefix("concurrent writers") })
        #expect(!failed.contains { $0.hasPrefix("search by") })
    }
}
