import CareCore
import CareStore
import CareStoreConformance
import FHIREncoding
import Foundation
import PostgresStore
import Synchronization
import Testing

/// A clock that moves on a millisecond at each reading, so that every version has its own time.
final class SteppingClock: WallClock {
    private let readings = Mutex(0)

    func now() -> Date {
        let count = readings.withLock { value in
            value += 1
            return value
        }
        return Date(timeIntervalSince1970: 1_796_025_600).addingTimeInterval(Double(count) / 1000)
    }
}

/// Whether a server is there to test against: `scripts/check-postgres.sh` starts one and sets libpq's
/// environment. `CARESTORE_REQUIRE_POSTGRES=1` makes a missing server a failure instead of a skipped suite.
let serverConfigured =
    ProcessInfo.processInfo.environment["PGHOST"] != nil
    || ProcessInfo.processInfo.environment["CARESTORE_REQUIRE_POSTGRES"] == "1"

/// A store in a schema of its own, so that every check starts empty.
func freshStore(seed: UInt64 = 1) throws -> (PostgresResourceStore, String) {
    var generator = SystemRandomNumberGenerator()
    let schema = "conformance_\(UInt32.random(in: 0...UInt32.max, using: &generator))"
    let store = try PostgresResourceStore(
        options: .init(schema: schema),
        clock: SteppingClock(),
        timeZone: try .europeLondon(),
        generator: SeededRandomNumberGenerator(seed: seed)
    )
    return (store, schema)
}

/// What a write did: the stored version or the store's error.
func outcome(
    _ body: () async throws(CareStoreError) -> StoredResource
) async -> Result<StoredResource, CareStoreError> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}

@Suite("The PostgreSQL store", .enabled(if: serverConfigured, "no PostgreSQL server: run scripts/check-postgres.sh"))
struct PostgresConformanceTests {
    @Test("passes the store conformance checks", arguments: StoreConformance.checks)
    func conforms(_ check: StoreConformance.Check) async throws {
        let (store, _) = try freshStore()
        try await check.run(on: store)
    }

    @Test("refuses two active appointments on one slot across two connections, as two servers would hold")
    func noDoubleBookingAcrossConnections() async throws {
        let (first, schema) = try freshStore(seed: 1)
        let second = try PostgresResourceStore(
            options: .init(schema: schema),
            clock: SteppingClock(),
            timeZone: try .europeLondon(),
            generator: SeededRandomNumberGenerator(seed: 2)
        )
        func appointment(_ id: String) throws -> FHIRResource {
            try FHIRDecoder().decode(
                Array(
                    #"{"resourceType":"Appointment","id":"\#(id)","status":"booked","slot":[{"reference":"Slot/gp-0900"}],"participant":[{"actor":{"reference":"Patient/claire"},"status":"accepted"}]}"#
                        .utf8
                )
            )
        }
        let (a1, a2) = (try appointment("a1"), try appointment("a2"))
        async let one = outcome { () async throws(CareStoreError) in try await first.create(a1) }
        async let two = outcome { () async throws(CareStoreError) in try await second.create(a2) }
        let outcomes = await [one, two]
        let booked = outcomes.filter { if case .success = $0 { true } else { false } }
        #expect(booked.count == 1)
        let refused: [CareStoreError] = outcomes.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        #expect(refused.map(\.code) == [.slotTaken])
    }

    @Test("two connections updating one version: one wins, the other is told of the conflict")
    func lostUpdatesRefusedAcrossConnections() async throws {
        let (first, schema) = try freshStore(seed: 3)
        let second = try PostgresResourceStore(
            options: .init(schema: schema),
            clock: SteppingClock(),
            timeZone: try .europeLondon(),
            generator: SeededRandomNumberGenerator(seed: 4)
        )
        let patient = try FHIRDecoder().decode(
            Array(#"{"resourceType":"Patient","id":"claire","birthDate":"1958-07-01"}"#.utf8)
        )
        _ = try await first.create(patient)
        async let one = outcome { () async throws(CareStoreError) in try await first.update(patient, expectedVersion: 1)
        }
        async let two = outcome { () async throws(CareStoreError) in
            try await second.update(patient, expectedVersion: 1)
        }
        let outcomes = await [one, two]
        let refused: [CareStoreError] = outcomes.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        #expect(refused.map(\.code) == [.versionConflict])
        #expect(try await second.history("Patient", id: "claire").count == 2)
    }

    @Test("refuses a schema name that is not a plain identifier and a password in code")
    func refusesUnsafeOptions() throws {
        for options in [
            PostgresResourceStore.Options(schema: "carestore; DROP TABLE x"),
            PostgresResourceStore.Options(parameters: ["password": "in-code"]),
            PostgresResourceStore.Options(schema: "pg_catalog"),
        ] {
            let error = #expect(throws: CareStoreError.self) {
                try PostgresResourceStore(
                    options: options,
                    clock: SteppingClock(),
                    timeZone: try .europeLondon(),
                    generator: SeededRandomNumberGenerator(seed: 5)
                )
            }
            #expect(error?.code == .invalidRequest)
        }
    }

    @Test("a reserved word is a schema name like any other, and a second opening finds it current")
    func reservedWordSchema() async throws {
        for _ in 0..<2 {
            let store = try PostgresResourceStore(
                options: .init(schema: "user"),
                clock: SteppingClock(),
                timeZone: try .europeLondon(),
                generator: SystemRandomNumberGenerator()
            )
            let patient = try FHIRDecoder().decode(Array(#"{"resourceType":"Patient","birthDate":"1958-07-01"}"#.utf8))
            #expect(try await store.create(patient).version == 1)
        }
    }

    @Test("uses TLS when the environment asks for it")
    func tlsFollowsTheEnvironment() async throws {
        let (store, _) = try freshStore(seed: 6)
        let wanted = ProcessInfo.processInfo.environment["PGSSLMODE"].map { $0 == "require" || $0 == "verify-full" }
        if let wanted { #expect(await store.usesTLS == wanted) }
    }
}
