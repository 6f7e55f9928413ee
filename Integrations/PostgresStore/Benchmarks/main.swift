// The PostgreSQL store's benchmarks, against the server libpq's environment names:
//
//     bash scripts/check-postgres.sh --bench      # starts a server, then runs this in release mode
//
// The same cases as the root package's `store.sqlite.*`: 20,000 Patients created 100 to a transaction,
// 2,000 one to a transaction, and 100,000 reads by id in a seeded order from 10,000. Each sample writes into
// a new schema, left on the server: run it against the script's temporary server, which is deleted at the
// end, not a shared one. Prints the median of 5 samples per case.

import CareCore
import CareStore
import FHIREncoding
import Foundation
import PostgresStore

if CommandLine.arguments.contains("--help") {
    print("USAGE: PostgresStoreBenchmarks   (libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE name the server)")
    exit(0)
}

/// A Patient shaped as the SQLite benchmarks' are.
func patient(_ number: Int) throws -> FHIRResource {
    let json =
        #"{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"\#(9_000_000_000 + number)"}],"#
        + #""name":[{"family":"Family\#(number % 997)","given":["Given\#(number % 89)"]}],"birthDate":"1958-07-01"}"#
    return try FHIRDecoder(mode: .lenient).decode(Array(json.utf8))
}

/// A store in a new schema, `number` making its name unique.
func freshStore(_ number: Int) throws -> PostgresResourceStore {
    try PostgresResourceStore(
        options: .init(schema: "bench_\(ProcessInfo.processInfo.processIdentifier)_\(number)"),
        clock: FixedWallClock(Date(timeIntervalSince1970: 1_796_025_600)),
        timeZone: try .europeLondon(),
        generator: SeededRandomNumberGenerator(seed: UInt64(number))
    )
}

/// The median of `samples` timings of `body`, after one warm-up.
func median(samples: Int = 5, _ body: () async throws -> Void) async throws -> Duration {
    let clock = ContinuousClock()
    try await body()
    var durations: [Duration] = []
    for _ in 0..<samples {
        let start = clock.now
        try await body()
        durations.append(clock.now - start)
    }
    return durations.sorted()[samples / 2]
}

func report(_ name: String, operations: Int, _ time: Duration) {
    let seconds = Double(time.components.seconds) + Double(time.components.attoseconds) / 1e18
    let line =
        name.padding(toLength: 34, withPad: " ", startingAt: 0)
        + String(
            format: "%8d ops %10.1f ms %9.1f µs/op %10.0f ops/s",
            operations,
            seconds * 1000,
            seconds * 1e6 / Double(operations),
            Double(operations) / seconds
        )
    print(line)
}

var schemas = 0
/// The next new schema's store.
@MainActor func nextStore() throws -> PostgresResourceStore {
    schemas += 1
    return try freshStore(schemas)
}

do {
    let batch = try (0..<20_000).map(patient)
    report(
        "store.postgres.write.batch100",
        operations: batch.count,
        try await median {
            let store = try nextStore()
            for start in stride(from: 0, to: batch.count, by: 100) {
                _ = try await store.transaction(batch[start..<start + 100].map { .create($0) })
            }
        }
    )
    let singles = Array(batch.prefix(2_000))
    report(
        "store.postgres.write.single",
        operations: singles.count,
        try await median {
            let store = try nextStore()
            for resource in singles { _ = try await store.create(resource) }
        }
    )
    let store = try nextStore()
    var ids: [String] = []
    for start in stride(from: 0, to: 10_000, by: 500) {
        ids += try await store.transaction(batch[start..<start + 500].map { .create($0) }).map(\.id)
    }
    var generator = SeededRandomNumberGenerator(seed: 11)
    let order = (0..<100_000).map { _ in ids[Int.random(in: 0..<ids.count, using: &generator)] }
    report(
        "store.postgres.read.id",
        operations: order.count,
        try await median {
            for id in order { _ = try await store.read("Patient", id: id) }
        }
    )
} catch {
    FileHandle.standardError.write(Data("PostgresStoreBenchmarks: \(error)\n".utf8))
    exit(1)
}
