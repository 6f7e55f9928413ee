import CareCore
import FHIREncoding
import Foundation
import PatientIdentity
import Synchronization

/// The worst cases of issue #12, in release mode: how long each hostile input takes to be read or refused, and
/// the peak resident memory while it is. They run only when named, because they are slow to set up:
/// `swift run -c release Benchmarks hostile`. Each reports its peak memory under the result.
enum HostileInputBenchmarks {
    static func all(matching filter: String?) throws -> [Benchmark] {
        guard let filter, filter.contains("hostile") else { return [] }
        var cases: [Benchmark] = []
        cases.append(refusal("hostile.json.nesting-100000", bytes: nesting(100_000)))
        cases.append(refusal("hostile.json.number-10MB", bytes: [UInt8](repeating: 0x37, count: 10_000_000)))
        cases.append(reading("hostile.json.string-10MB", bytes: quoted(10_000_000)))
        cases.append(refusal("hostile.json.string-100MB", bytes: quoted(100_000_000)))
        cases.append(try bundle(entries: 10_000))
        cases.append(csvField(bytes: 10_000_000))
        cases.append(try ndjson(lines: 1_000_000))
        cases.append(try oneSurname(records: 100_000))
        cases.append(try copies(records: 100_000))
        return cases
    }

    static func nesting(_ depth: Int) -> [UInt8] {
        [UInt8](repeating: UInt8(ascii: "["), count: depth) + [UInt8](repeating: UInt8(ascii: "]"), count: depth)
    }

    static func quoted(_ size: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: size + 2)
        bytes[0] = UInt8(ascii: "\"")
        bytes[size + 1] = UInt8(ascii: "\"")
        return bytes
    }

    /// Runs `body` once per sample, keeping the peak resident memory of each, for the report.
    static func measured(
        _ name: String,
        operations: Int = 1,
        bytes: Int,
        samples: Int = 3,
        _ body: @escaping () throws -> Int
    ) -> Benchmark {
        let peaks = PeakRecorder()
        return Benchmark(
            name: name,
            operations: operations,
            bytes: bytes,
            maximumSamples: samples,
            run: {
                ResidentMemory.resetPeak()
                let before = ResidentMemory.current()
                let result = try body()
                peaks.record(ResidentMemory.peak() - before)
                return result
            },
            report: { "peak resident memory above the input: \(peaks.largest / 1024) MB" }
        )
    }

    /// Input the JSON reader must refuse with `limitExceeded`.
    static func refusal(_ name: String, bytes: [UInt8]) -> Benchmark {
        measured(name, bytes: bytes.count) {
            do throws(FHIREncodingError) {
                _ = try JSONReader().read(bytes)
            } catch {
                guard error.code == .limitExceeded else { throw BenchmarkFailure() }
                return error.byteOffset ?? 0
            }
            throw BenchmarkFailure()
        }
    }

    /// Input the JSON reader must accept.
    static func reading(_ name: String, bytes: [UInt8]) -> Benchmark {
        measured(name, bytes: bytes.count) {
            guard let text = try JSONReader().read(bytes).string else { throw BenchmarkFailure() }
            return text.utf8.count
        }
    }

    static func patientJSON(_ index: Int) -> String {
        #"{"resourceType":"Patient","id":"p\#(index)","name":[{"family":"Pascoe","given":["Ann"]}],"#
            + #""gender":"female","birthDate":"19\#(50 + index % 50)-0\#(1 + index % 9)-1\#(index % 10)"}"#
    }

    /// A Bundle of `entries` Patients, decoded strictly into the typed model and encoded again.
    static func bundle(entries: Int) throws -> Benchmark {
        let members = (0..<entries).map {
            #"{"fullUrl":"urn:uuid:00000000-0000-4000-8000-\#(String(format: "%012d", $0))","resource":"#
                + Self.patientJSON($0) + "}"
        }
        let bytes = Array(
            #"{"resourceType":"Bundle","type":"collection","entry":[\#(members.joined(separator: ","))]}"#.utf8
        )
        return measured("hostile.fhir.bundle-10000-entries", operations: entries, bytes: bytes.count) {
            let model = try FHIRDecoder().decode(R4.Bundle.self, from: bytes)
            guard model.entry.count == entries else { throw BenchmarkFailure() }
            return try FHIREncoder().encode(model).count
        }
    }

    /// A CSV record whose second field is `bytes` long.
    static func csvField(bytes count: Int) -> Benchmark {
        let bytes = Array("id,note\n1,".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: count)
        return measured("hostile.csv.field-10MB", bytes: bytes.count) {
            var reader = CSVReader(bytes: bytes)
            let records = try reader.readAll()
            guard records.count == 2 else { throw BenchmarkFailure() }
            return records[1].fields[1].utf8.count
        }
    }

    /// A file of `lines` Patients, streamed through the NDJSON reader with strict validation.
    static func ndjson(lines: Int) throws -> Benchmark {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("hostile-\(ProcessInfo.processInfo.processIdentifier).ndjson")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw BenchmarkFailure() }
        let handle = try FileHandle(forWritingTo: url)
        var chunk = ""
        var size = 0
        for index in 0..<lines {
            chunk += patientJSON(index) + "\n"
            if chunk.utf8.count > 1 << 20 {
                size += chunk.utf8.count
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        size += chunk.utf8.count
        try handle.write(contentsOf: Data(chunk.utf8))
        try handle.close()
        var benchmark = measured("hostile.ndjson.million-patients", operations: lines, bytes: size, samples: 1) {
            var reader = NDJSONReader(handle: try FileHandle(forReadingFrom: url))
            var count = 0
            while try reader.next() != nil { count += 1 }
            guard count == lines else { throw BenchmarkFailure() }
            return count
        }
        let memory = benchmark.report
        benchmark.report = {
            try? FileManager.default.removeItem(at: url)
            return memory?() ?? ""
        }
        return benchmark
    }

    static let givenNames = ["Ann", "Jory", "Morwenna", "Tamsin", "Piran", "Elowen", "Kerensa", "Jenifer", "Demelza"]
    static let letters = Array("ABDEFGHJLNPQRSTUWXYZ")

    static func person(_ index: Int, id: String) throws -> PatientRecord {
        let inward = "\(index % 10)\(letters[index / 10 % 20])\(letters[index / 200 % 20])"
        let birth = try CivilDate(year: 1930, month: 1, day: 1).adding(days: index * 7_919 % 32_000)
        return PatientRecord(
            id: try PatientRecord.ID(validating: id),
            names: [try HumanName(use: .official, given: [givenNames[index % givenNames.count]], family: "Pascoe")],
            birthDate: Recorded(text: birth.description, value: try FHIRDate(parsing: birth.description)),
            gender: index % 2 == 0 ? .female : .male,
            addresses: [try Address(use: .home, postcode: Postcode(parsing: "TR\(1 + index / 4_000 % 27) \(inward)"))]
        )
    }

    /// `records` people who share one family name: indexed, then deduplicated.
    static func oneSurname(records count: Int) throws -> Benchmark {
        let records = try (0..<count).map { try person($0, id: "r\($0)") }
        return measured("hostile.identity.one-surname-100000", operations: count, bytes: 0, samples: 1) {
            var index = PatientIndex()
            try index.insert(contentsOf: records)
            return index.deduplicate().count
        }
    }

    /// `records` copies of one person: indexed, then deduplicated, every block over the limit.
    static func copies(records count: Int) throws -> Benchmark {
        let records = try (0..<count).map { try person(7, id: "c\($0)") }
        return measured("hostile.identity.copies-100000", operations: count, bytes: 0, samples: 1) {
            var index = PatientIndex()
            try index.insert(contentsOf: records)
            guard index.deduplicate().isEmpty else { throw BenchmarkFailure() }
            return index.count
        }
    }
}

/// The largest peak seen across samples.
final class PeakRecorder: Sendable {
    private let peaks = Mutex<Int>(0)

    func record(_ kilobytes: Int) {
        peaks.withLock { $0 = max($0, kilobytes) }
    }

    var largest: Int { peaks.withLock { $0 } }
}
