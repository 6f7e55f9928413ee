import FHIREncoding
import Foundation

/// The FHIREncoding benchmarks, over every valid file of the development corpus in `../shared/fhir-corpus`
/// (or the folder `FHIR_CORPUS` names): our JSON reader against Foundation's `JSONSerialization` on the same
/// bytes, decoding with strict validation (whole corpus and per folder), and encoding.
enum FHIREncodingBenchmarks {
    static let folders = ["hl7-r4", "uk-core", "synthea", "nhs-bars"]

    static func all(matching filter: String?) throws -> [Benchmark] {
        func wanted(_ name: String) -> Bool { filter.map { name.contains($0) || $0.contains(name) } ?? true }
        let corpus = try load()
        let everything = corpus.flatMap(\.files)
        var cases: [Benchmark] = []
        if wanted("fhir.json.read") { cases.append(jsonRead(everything)) }
        if wanted("fhir.json.foundation") { cases.append(foundationRead(everything)) }
        if wanted("fhir.decode") {
            cases.append(decode(everything, name: "fhir.decode"))
            for (folder, files) in corpus { cases.append(decode(files, name: "fhir.decode.\(folder)")) }
        }
        if wanted("fhir.decode.typed") { cases.append(decodeTyped(everything)) }
        if wanted("fhir.build.typed") { cases.append(try buildTyped(everything)) }
        if wanted("fhir.encode") { cases.append(try encode(everything)) }
        if wanted("fhir.encode.typed") { cases.append(try encodeTyped(everything)) }
        return cases
    }

    /// The corpus files' bytes, by folder.
    static func load() throws -> [(folder: String, files: [[UInt8]])] {
        let root =
            ProcessInfo.processInfo.environment["FHIR_CORPUS"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/fhir-corpus")
        return try folders.map { folder in
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
                throw BenchmarkFailure()
            }
            let urls = walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }
                .sorted { $0.path < $1.path }
            guard !urls.isEmpty else { throw BenchmarkFailure() }
            return (folder, try urls.map { Array(try Data(contentsOf: $0)) })
        }
    }

    static func size(_ files: [[UInt8]]) -> Int { files.reduce(0) { $0 + $1.count } }

    static func jsonRead(_ files: [[UInt8]]) -> Benchmark {
        let reader = JSONReader()
        return Benchmark(name: "fhir.json.read", operations: files.count, bytes: size(files)) {
            var members = 0
            for file in files { members += try reader.read(file).object?.count ?? 0 }
            return members
        }
    }

    static func foundationRead(_ files: [[UInt8]]) -> Benchmark {
        let data = files.map { Data($0) }
        return Benchmark(name: "fhir.json.foundation", operations: files.count, bytes: size(files)) {
            var members = 0
            for file in data {
                members += (try JSONSerialization.jsonObject(with: file) as? [String: Any])?.count ?? 0
            }
            return members
        }
    }

    /// Reading and strictly validating every file, as `FHIRDecoder.validate` does; every file must produce a
    /// report, and all but the corpus's five documented faults a resource.
    static func decode(_ files: [[UInt8]], name: String) -> Benchmark {
        let decoder = FHIRDecoder()
        return Benchmark(name: name, operations: files.count, bytes: size(files)) {
            var resources = 0
            for file in files where decoder.validate(file).resource != nil { resources += 1 }
            guard resources + 5 >= files.count else { throw BenchmarkFailure() }
            return resources
        }
    }

    /// Reading, strictly validating and building the typed model of every file (``R4/Resource``: typed for
    /// the suite's nineteen resources, carried untyped for the rest), the issue's "typed decode with
    /// validation"; all but the corpus's five documented faults must build.
    static func decodeTyped(_ files: [[UInt8]]) -> Benchmark {
        let decoder = FHIRDecoder()
        return Benchmark(name: "fhir.decode.typed", operations: files.count, bytes: size(files)) {
            var models = 0
            for file in files {
                guard let resource = decoder.validate(file).resource else { continue }
                _ = try R4.Resource(resource)
                models += 1
            }
            guard models + 5 >= files.count else { throw BenchmarkFailure() }
            return models
        }
    }

    /// Building the typed models alone, from resources already read and validated: the part of
    /// `fhir.decode.typed` that `fhir.decode` does not do.
    static func buildTyped(_ files: [[UInt8]]) throws -> Benchmark {
        let resources = try files.map { try FHIRDecoder(mode: .lenient).decode($0) }
        return Benchmark(name: "fhir.build.typed", operations: resources.count, bytes: size(files)) {
            var models = 0
            for resource in resources where try R4.Resource(resource).resourceType == resource.resourceType {
                models += 1
            }
            return models
        }
    }

    /// Writing every typed model compactly, validating it first as `FHIREncoder.encode(_:)` does for a model;
    /// throughput is counted in input bytes.
    static func encodeTyped(_ files: [[UInt8]]) throws -> Benchmark {
        let decoder = FHIRDecoder(mode: .lenient)
        let models = try files.map { try decoder.decode(R4.Resource.self, from: $0) }
            .filter { FHIRValidator().validate(.object($0.json)).allSatisfy { !$0.isFailure } }
        let encoder = FHIREncoder()
        return Benchmark(name: "fhir.encode.typed", operations: models.count, bytes: size(files)) {
            var written = 0
            for model in models { written += try encoder.encode(model).count }
            return written
        }
    }

    /// Writing every decoded resource compactly in the specification's order; throughput is counted in input
    /// bytes, as the research anchors count it, and the output size is reported beside it.
    static func encode(_ files: [[UInt8]]) throws -> Benchmark {
        let decoder = FHIRDecoder(mode: .lenient)
        let resources = try files.map { try decoder.decode($0) }
        let encoder = FHIREncoder()
        let outputBytes = resources.reduce(0) { $0 + encoder.encode($1).count }
        return Benchmark(
            name: "fhir.encode",
            operations: resources.count,
            bytes: size(files),
            run: {
                var written = 0
                for resource in resources { written += encoder.encode(resource).count }
                return written
            },
            report: { "compact output: \(outputBytes) bytes from \(size(files)) bytes of input" }
        )
    }
}
