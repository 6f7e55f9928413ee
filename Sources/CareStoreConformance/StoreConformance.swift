import CareCore
public import CareStore
import FHIREncoding
import Foundation

/// The checks every `ResourceStore` backend must pass, as a library, so that the suite's backends and any a
/// team writes are held to the same behaviour.
///
/// Each check runs against a new, empty store. With Swift Testing:
///
/// ```swift
/// @Test(arguments: StoreConformance.checks)
/// func conforms(_ check: StoreConformance.Check) async throws {
///     try await check.run(on: makeEmptyStore())
/// }
/// ```
public enum StoreConformance: Sendable {
    /// One named check.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check verifies, in a sentence.
        public let name: String
        private let body: @Sendable (any ResourceStore) async throws -> Void

        fileprivate init(_ name: String, _ body: @escaping @Sendable (any ResourceStore) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Runs the check.
        ///
        /// - Parameter store: A new, empty store.
        /// - Throws: ``ConformanceFailure`` naming what the store did wrong.
        public func run(on store: any ResourceStore) async throws(ConformanceFailure) {
            do {
                try await body(store)
            } catch let failure as ConformanceFailure {
                throw failure
            } catch {
                throw ConformanceFailure("the check stopped on an unexpected error: \(error)")
            }
        }

        /// The check's name.
        public var description: String { name }
    }

    /// Every check.
    public static let checks: [Check] = lifecycle + refusals + search + transactions + booking + concurrency
}

/// What a store did wrong in a check.
public struct ConformanceFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was expected and what happened.
    public let detail: String

    /// Creates a failure.
    ///
    /// - Parameter detail: What was expected and what happened.
    public init(_ detail: String) {
        self.detail = detail
    }

    /// The detail.
    public var description: String { detail }
}

// MARK: Helpers

/// Fails the check when a condition does not hold.
private func expect(_ condition: Bool, _ detail: @autoclosure () -> String) throws(ConformanceFailure) {
    if !condition { throw ConformanceFailure(detail()) }
}

/// Runs a store call that must succeed.
private func must<Value>(_ what: String, _ call: () async throws -> Value) async throws(ConformanceFailure) -> Value {
    do {
        return try await call()
    } catch {
        throw ConformanceFailure("\(what) failed: \(error)")
    }
}

/// Runs a store call that must fail with a code.
private func refused<Value>(
    _ what: String,
    _ code: CareStoreError.Code,
    _ call: () async throws -> Value
) async throws(ConformanceFailure) -> CareStoreError {
    do {
        _ = try await call()
    } catch let failure as ConformanceFailure {
        throw failure
    } catch {
        guard let error = error as? CareStoreError else {
            throw ConformanceFailure("\(what) failed with an error that is not a CareStoreError: \(error)")
        }
        guard error.code == code else { throw ConformanceFailure("\(what) failed with \(error.code), not \(code)") }
        return error
    }
    throw ConformanceFailure("\(what) succeeded; it must fail with \(code)")
}

/// A resource from JSON text the check wrote.
private func resource(_ json: String) throws(ConformanceFailure) -> FHIRResource {
    do {
        return try FHIRDecoder().decode(Array(json.utf8))
    } catch {
        throw ConformanceFailure("a fixture is not valid FHIR: \(error)")
    }
}

private func patient(
    _ id: String?,
    nhs: String = "9434765919",
    family: String = "Penrose"
) throws(ConformanceFailure)
    -> FHIRResource
{
    let idMember = id.map { #""id":"\#($0)","# } ?? ""
    return try resource(
        #"{"resourceType":"Patient",\#(idMember)"identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"\#(nhs)"}],"name":[{"family":"\#(family)","given":["Claire"]}],"birthDate":"1958-07-01"}"#
    )
}

private func appointment(
    _ id: String,
    slots: [String],
    status: String = "booked",
    start: String = "2026-12-01T09:00:00Z"
)
    throws(ConformanceFailure) -> FHIRResource
{
    let slotList = slots.map { #"{"reference":"Slot/\#($0)"}"# }.joined(separator: ",")
    let slotMember = slots.isEmpty ? "" : #""slot":[\#(slotList)],"#
    return try resource(
        #"{"resourceType":"Appointment","id":"\#(id)","status":"\#(status)","start":"\#(start)","end":"2026-12-01T09:15:00Z",\#(slotMember)"participant":[{"actor":{"reference":"Patient/claire"},"status":"accepted"}]}"#
    )
}

/// The JSON of a stored version without `meta`, to compare content.
private func content(_ stored: StoredResource) throws(ConformanceFailure) -> JSONObject {
    do {
        return JSONObject(try stored.resource().json.filter { $0.key != "meta" })
    } catch {
        throw ConformanceFailure("a stored version does not read back as a resource: \(error)")
    }
}

private func ids(_ found: [StoredResource]) -> [String] { found.map(\.id) }

// MARK: Checks

extension StoreConformance {
    static let lifecycle: [Check] = [
        Check("create assigns an id and version 1, stamps meta, and reads back the same content") { store in
            let original = try patient(nil)
            let created = try await must("create") { try await store.create(original) }
            try expect(!created.id.isEmpty && created.version == 1 && !created.isDeleted, "version 1 with an id")
            let stamped = try created.resource()
            try expect(stamped.id == created.id, "the stored JSON carries the id")
            try expect(
                stamped.json["meta"]?["versionId"]?.string == "1"
                    && stamped.json["meta"]?["lastUpdated"]?.string == created.lastUpdated.description,
                "the stored JSON carries meta.versionId 1 and meta.lastUpdated"
            )
            let read = try await must("read") {
                try await store.read("Patient", id: created.id)
            }
            try expect(read == created, "read returns the stored version")
            let kept = try content(read).filter { $0.key != "id" }
            try expect(kept == original.json.filter { $0.key != "id" }, "the content is kept as given")
        },
        Check("update makes a new version after the expected one, and every version stays readable") { store in
            _ = try await must("create") { try await store.create(try patient("claire")) }
            let second = try await must("update") {
                try await store.update(try patient("claire", family: "Trelawny"), expectedVersion: 1)
            }
            try expect(second.version == 2, "the update is version 2")
            let current = try await must("read") {
                try await store.read("Patient", id: "claire")
            }
            try expect(current == second, "read gives version 2")
            let first = try await must("version read") {
                try await store.read("Patient", id: "claire", version: 1)
            }
            try expect(try content(first)["name"] != content(second)["name"], "version 1 keeps the old name")
            let history = try await must("history") {
                try await store.history("Patient", id: "claire")
            }
            try expect(history.map(\.version) == [1, 2] && history[1] == second, "history is versions 1 and 2")
            try expect(history[0].lastUpdated.date <= history[1].lastUpdated.date, "versions are timed in order")
        },
        Check("delete records a tombstone: reads fail with gone, history and earlier versions remain") { store in
            _ = try await must("create") { try await store.create(try patient("claire")) }
            let tombstone = try await must("delete") {
                try await store.delete("Patient", id: "claire", expectedVersion: 1)
            }
            try expect(
                tombstone.isDeleted && tombstone.version == 2 && tombstone.json.isEmpty,
                "a tombstone, version 2"
            )
            _ = try await refused("read after delete", .gone) {
                try await store.read("Patient", id: "claire")
            }
            _ = try await refused("update after delete", .gone) {
                try await store.update(try patient("claire"), expectedVersion: 2)
            }
            _ = try await refused("delete after delete", .gone) {
                try await store.delete("Patient", id: "claire", expectedVersion: nil)
            }
            _ = try await refused("create over a deleted id", .alreadyExists) {
                try await store.create(try patient("claire"))
            }
            let first = try await must("version read") {
                try await store.read("Patient", id: "claire", version: 1)
            }
            try expect(!first.isDeleted, "version 1 is still readable")
            let history = try await must("history") {
                try await store.history("Patient", id: "claire")
            }
            try expect(history.map(\.isDeleted) == [false, true], "history ends with the tombstone")
            let found = try await must("search") {
                try await store.search(StoreQuery(type: "Patient"))
            }
            try expect(found.isEmpty, "search leaves out deleted resources")
        },
        Check("content survives exactly: Unicode, decimals and extensions") { store in
            let original = try resource(
                #"{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"Temperatur – Körper ✓"},"valueQuantity":{"value":36.50,"unit":"Cel","system":"http://unitsofmeasure.org","code":"Cel"},"_status":{"extension":[{"url":"https://example.org/x","valueString":"日本語"}]}}"#
            )
            let created = try await must("create") { try await store.create(original) }
            let read = try await must("read") {
                try await store.read("Observation", id: "o1")
            }
            try expect(read.json == created.json, "the bytes read are the bytes stored")
            let text = String(decoding: read.json, as: UTF8.self)
            try expect(text.contains("36.50") && text.contains("Körper ✓") && text.contains("日本語"), "content is exact")
        },
    ]

    static let refusals: [Check] = [
        Check("refusals leave the store unchanged: a taken id, a stale version, an unknown resource, no id") { store in
            _ = try await must("create") { try await store.create(try patient("claire")) }
            _ = try await refused("create with a taken id", .alreadyExists) {
                try await store.create(try patient("claire", family: "Other"))
            }
            _ = try await refused("update from a stale version", .versionConflict) {
                try await store.update(try patient("claire", family: "Other"), expectedVersion: 7)
            }
            _ = try await refused("delete from a stale version", .versionConflict) {
                try await store.delete("Patient", id: "claire", expectedVersion: 3)
            }
            _ = try await refused("update of an unknown resource", .notFound) {
                try await store.update(try patient("nobody"), expectedVersion: 1)
            }
            _ = try await refused("update without an id", .invalidRequest) {
                try await store.update(try patient(nil), expectedVersion: 1)
            }
            _ = try await refused("read of an unknown resource", .notFound) {
                try await store.read("Patient", id: "nobody")
            }
            _ = try await refused("read of the same id as another type", .notFound) {
                try await store.read("Practitioner", id: "claire")
            }
            _ = try await refused("read of a version that does not exist", .notFound) {
                try await store.read("Patient", id: "claire", version: 2)
            }
            _ = try await refused("history of an unknown resource", .notFound) {
                try await store.history("Patient", id: "nobody")
            }
            let history = try await must("history") {
                try await store.history("Patient", id: "claire")
            }
            let current = try await must("read") {
                try await store.read("Patient", id: "claire")
            }
            try expect(history.count == 1, "nothing refused was written")
            try expect(try content(current)["name"] == patient("claire").json["name"], "the first version is intact")
        }
    ]

    static let search: [Check] = [
        Check("search by identifier matches system and value, and follows updates") { store in
            _ = try await must("create") { try await store.create(try patient("a")) }
            _ = try await must("create") {
                try await store.create(try patient("b", nhs: "9000000009"))
            }
            let nhs = "https://fhir.nhs.uk/Id/nhs-number"
            let token = StoreQuery.IdentifierToken(system: nhs, value: "9434765919")
            var found = try await must("search") {
                try await store.search(StoreQuery(type: "Patient", identifier: token))
            }
            try expect(ids(found) == ["a"], "one patient has the NHS number")
            let otherSystem = StoreQuery.IdentifierToken(system: "https://example.org/mrn", value: "9434765919")
            found = try await must("search") {
                try await store.search(StoreQuery(type: "Patient", identifier: otherSystem))
            }
            try expect(found.isEmpty, "the same value in another system does not match")
            _ = try await must("update") {
                try await store.update(try patient("a", nhs: "9000000009"), expectedVersion: 1)
            }
            found = try await must("search") {
                try await store.search(StoreQuery(type: "Patient", identifier: token))
            }
            try expect(found.isEmpty, "an old identifier no longer matches after an update")
            found = try await must("search") {
                try await store.search(
                    StoreQuery(type: "Patient", identifier: .init(system: nhs, value: "9000000009"))
                )
            }
            try expect(ids(found) == ["a", "b"], "matches come ordered by id")
        },
        Check("search by reference finds literal references anywhere, with or without a version") { store in
            let observation = try resource(
                #"{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"pulse"},"subject":{"reference":"Patient/claire/_history/3"},"performer":[{"reference":"Practitioner/gp"}],"contained":[{"resourceType":"Patient","id":"inner","link":[{"other":{"reference":"Patient/elsewhere"},"type":"seealso"}]}]}"#
            )
            _ = try await must("create") { try await store.create(observation) }
            for (reference, expected) in [
                ("Patient/claire", ["o1"]), ("Practitioner/gp", ["o1"]), ("Patient/elsewhere", []),
                ("Patient/other", []),
            ] {
                let found = try await must("search") {
                    try await store.search(StoreQuery(type: "Observation", reference: reference))
                }
                try expect(ids(found) == expected, "reference \(reference) finds \(expected)")
            }
        },
        Check("search by dates: a period overlaps, and a date covers its whole Europe/London day") { store in
            _ = try await must("create") {
                try await store.create(try appointment("morning", slots: []))
            }
            _ = try await must("create") { try await store.create(try patient("claire")) }
            func range(_ from: String, _ to: String) throws(ConformanceFailure) -> Range<Date> {
                guard let first = try? Instant(parsing: from), let last = try? Instant(parsing: to) else {
                    throw ConformanceFailure("a fixture time does not parse")
                }
                return first.date..<last.date
            }
            let cases: [(String, Range<Date>, [String])] = [
                ("Appointment", try range("2026-12-01T09:10:00Z", "2026-12-01T10:00:00Z"), ["morning"]),
                ("Appointment", try range("2026-12-01T09:15:00Z", "2026-12-01T10:00:00Z"), ["morning"]),
                ("Appointment", try range("2026-12-01T09:15:00.001Z", "2026-12-01T10:00:00Z"), []),
                ("Appointment", try range("2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z"), []),
                // 1 July is in British Summer Time: the day runs from 23:00 UTC on 30 June.
                ("Patient", try range("1958-06-30T23:00:00Z", "1958-06-30T23:00:01Z"), ["claire"]),
                ("Patient", try range("1958-06-30T22:00:00Z", "1958-06-30T23:00:00Z"), []),
                ("Patient", try range("1958-07-01T22:59:59Z", "1958-07-02T00:00:00Z"), ["claire"]),
                ("Patient", try range("1958-07-01T23:00:00Z", "1958-07-02T00:00:00Z"), []),
            ]
            for (type, dates, expected) in cases {
                let found = try await must("search") {
                    try await store.search(StoreQuery(type: type, dates: dates))
                }
                try expect(ids(found) == expected, "\(type) in \(dates) finds \(expected)")
            }
        },
        Check("criteria combine: identifier, reference and dates must all match") { store in
            for (id, start) in [("a1", "2026-12-01T09:00:00Z"), ("a2", "2026-12-02T09:00:00Z")] {
                _ = try await must("create") {
                    try await store.create(try appointment(id, slots: [], start: start))
                }
            }
            let december = (try? Instant(parsing: "2026-12-02T00:00:00Z").date).map {
                $0..<$0.addingTimeInterval(86_400)
            }
            guard let december else { throw ConformanceFailure("a fixture time does not parse") }
            let found = try await must("search") {
                try await store.search(StoreQuery(type: "Appointment", reference: "Patient/claire", dates: december))
            }
            try expect(ids(found) == ["a2"], "only the appointment on 2 December matches both")
        },
    ]

    static let transactions: [Check] = [
        Check("a transaction is all or nothing, and names the operation that failed") { store in
            _ = try await must("create") { try await store.create(try patient("claire")) }
            let error = try await refused("a transaction with a stale update", .versionConflict) {
                try await store.transaction([
                    .create(try patient("x")), .create(try patient("y")),
                    .update(try patient("claire", family: "Other"), expectedVersion: 5),
                ])
            }
            try expect(error.field.description.hasPrefix("operations[2]"), "the error names operations[2]")
            _ = try await refused("read of a rolled-back create", .notFound) {
                try await store.read("Patient", id: "x")
            }
            let written = try await must("transaction") {
                try await store.transaction([
                    .create(try patient("x")), .update(try patient("x", family: "Later"), expectedVersion: 1),
                    .delete(type: "Patient", id: "claire", expectedVersion: 1),
                ])
            }
            try expect(written.map(\.version) == [1, 2, 2], "later operations see earlier ones")
            try expect(written[2].isDeleted, "the delete is a tombstone")
        }
    ]

    static let booking: [Check] = [
        Check("an active appointment holds its slots: a second is refused until the first is cancelled or deleted") {
            store in
            _ = try await must("book") {
                try await store.create(try appointment("first", slots: ["s1", "s2"]))
            }
            _ = try await refused("double booking", .slotTaken) {
                try await store.create(try appointment("second", slots: ["s2"]))
            }
            _ = try await refused("double booking in a transaction", .slotTaken) {
                try await store.transaction([
                    .create(try appointment("third", slots: ["s3"])), .create(try appointment("fourth", slots: ["s3"])),
                ])
            }
            _ = try await refused("read of a rolled-back booking", .notFound) {
                try await store.read("Appointment", id: "third")
            }
            _ = try await must("rebook the same appointment") {
                try await store.update(
                    try appointment("first", slots: ["s1", "s2"], status: "arrived"),
                    expectedVersion: 1
                )
            }
            _ = try await must("cancel") {
                try await store.update(
                    try appointment("first", slots: ["s1", "s2"], status: "cancelled"),
                    expectedVersion: 2
                )
            }
            _ = try await must("book the freed slot") {
                try await store.create(try appointment("second", slots: ["s2"]))
            }
            _ = try await refused("reactivate over a taken slot", .slotTaken) {
                try await store.update(try appointment("first", slots: ["s1", "s2"]), expectedVersion: 3)
            }
            _ = try await must("delete") {
                try await store.delete("Appointment", id: "second", expectedVersion: nil)
            }
            _ = try await must("book after a delete") {
                try await store.create(try appointment("fifth", slots: ["s2"]))
            }
        }
    ]

    static let concurrency: [Check] = [
        Check("concurrent writers: every create lands once, and one of two racing updates wins") { store in
            let created = await withTaskGroup(of: Bool.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        for index in 0..<25 {
                            guard let fixture = try? patient("p-\(task)-\(index)"),
                                (try? await store.create(fixture)) != nil
                            else { return false }
                        }
                        return true
                    }
                }
                return await group.allSatisfy { $0 }
            }
            try expect(created, "every concurrent create succeeds")
            let all = try await must("search") {
                try await store.search(StoreQuery(type: "Patient"))
            }
            try expect(all.count == 200 && Set(all.map(\.id)).count == 200, "200 patients, each once")
            let outcomes = await withTaskGroup(of: CareStoreError.Code?.self) { group in
                for family in ["One", "Two"] {
                    group.addTask {
                        guard let fixture = try? patient("p-0-0", family: family) else { return .invalidRequest }
                        do {
                            _ = try await store.update(fixture, expectedVersion: 1)
                            return nil
                        } catch let error as CareStoreError {
                            return error.code
                        } catch {
                            return .io
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            try expect(
                outcomes.filter { $0 == nil }.count == 1 && outcomes.contains(.versionConflict),
                "one racing update wins and the other conflicts"
            )
        }
    ]
}
