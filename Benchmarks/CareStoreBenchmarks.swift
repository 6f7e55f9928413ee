import CareCore
import CareStore
import FHIREncoding
import Foundation
import Synchronization

/// The CareStore benchmarks on SQLite in WAL mode: creating Patients 100 to a transaction and one to a
/// transaction, with `synchronous` NORMAL and FULL, and reading by id. Each sample writes into a fresh
/// database in a temporary folder, removed afterwards.
enum CareStoreBenchmarks {
    static func all(matching filter: String?) throws -> [Benchmark] {
        func wanted(_ name: String) -> Bool { filter.map { name.contains($0) || $0.contains(name) } ?? true }
        var cases: [Benchmark] = []
        for synchronous in [SQLiteResourceStore.Options.Synchronous.normal, .full] {
            let mode = synchronous.rawValue.lowercased()
            if wanted("store.sqlite.write.batch100.\(mode)") {
                cases.append(try write(count: 20_000, perTransaction: 100, synchronous: synchronous))
            }
            if wanted("store.sqlite.write.single.\(mode)") {
                cases.append(try write(count: 2_000, perTransaction: 1, synchronous: synchronous))
            }
        }
        if wanted("store.sqlite.read.id") { cases.append(try readByID()) }
        if wanted("store.memory.read.id") { cases.append(try readByIDInMemory()) }
        return cases
    }

    /// A Patient with an NHS number, a name and a birth date: the shape the patient index stores.
    static func patient(_ number: Int) throws -> FHIRResource {
        let json =
            #"{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"\#(9_000_000_000 + number)"}],"#
            + #""name":[{"family":"Family\#(number % 997)","given":["Given\#(number % 89)"]}],"birthDate":"1958-07-01"}"#
        return try FHIRDecoder(mode: .lenient).decode(Array(json.utf8))
    }

    /// A new SQLite store in a new temporary folder.
    static func sqliteStore(
        synchronous: SQLiteResourceStore.Options.Synchronous = .normal
    ) throws -> (SQLiteResourceStore, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "carestore-bench-\(UUID().uuidString)",
            isDirectory: true
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteResourceStore(
            file: folder.appendingPathComponent("bench.sqlite"),
            options: .init(synchronous: synchronous),
            clock: FixedWallClock(Date(timeIntervalSince1970: 1_796_025_600)),
            timeZone: try .europeLondon(),
            generator: SeededRandomNumberGenerator(seed: 7)
        )
        return (store, folder)
    }

    /// `count` Patients created into a fresh database, `perTransaction` to a transaction.
    static func write(
        count: Int,
        perTransaction: Int,
        synchronous: SQLiteResourceStore.Options.Synchronous
    ) throws -> Benchmark {
        let resources = try (0..<count).map(patient)
        let name =
            "store.sqlite.write.\(perTransaction == 1 ? "single" : "batch\(perTransaction)").\(synchronous.rawValue.lowercased())"
        return Benchmark(name: name, operations: count, bytes: 0, maximumSamples: 5) {
            let (store, folder) = try sqliteStore(synchronous: synchronous)
            defer { try? FileManager.default.removeItem(at: folder) }
            var written = 0
            var start = 0
            while start < count {
                let batch = resources[start..<min(count, start + perTransaction)]
                if perTransaction == 1 {
                    _ = try store.create(batch[batch.startIndex])
                    written += 1
                } else {
                    written += try store.transaction(batch.map { .create($0) }).count
                }
                start += perTransaction
            }
            guard written == count else { throw BenchmarkFailure() }
            return written
        }
    }

    /// 100,000 reads by id, in a seeded order, from a database holding 10,000 Patients.
    static func readByID() throws -> Benchmark {
        let (store, _) = try sqliteStore()
        return try reads(name: "store.sqlite.read.id", from: store)
    }

    /// The same reads from the in-memory store, for comparison.
    static func readByIDInMemory() throws -> Benchmark {
        let store = InMemoryResourceStore(
            clock: FixedWallClock(Date(timeIntervalSince1970: 1_796_025_600)),
            timeZone: try .europeLondon(),
            generator: SeededRandomNumberGenerator(seed: 7)
        )
        return try reads(name: "store.memory.read.id", from: store)
    }

    private static func reads(name: String, from store: some ResourceStore) throws -> Benchmark {
        let reads = 100_000
        let ids = Mutex<[String]>([])
        return Benchmark(name: name, operations: reads, bytes: 0, maximumSamples: 5) {
            if ids.withLock({ $0.isEmpty }) {
                var created: [String] = []
                for start in stride(from: 0, to: 10_000, by: 500) {
                    let stored = try await store.transaction((start..<start + 500).map { .create(try patient($0)) })
                    created += stored.map(\.id)
                }
                var generator = SeededRandomNumberGenerator(seed: 11)
                let order = (0..<reads).map { _ in created[Int.random(in: 0..<created.count, using: &generator)] }
                ids.withLock { $0 = order }
            }
            var bytes = 0
            for id in ids.withLock({ $0 }) {
                bytes &+= try await store.read("Patient", id: id).json.count
            }
            return bytes
        }
    }
}
