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
        // Streaming a generated 1 GiB NDJSON file takes minutes and a gigabyte of disk, so it runs only when
        // asked for by name.
        if let filter, "fhir.ndjson.stream".contains(filter), filter.count > "fhir.".count {
            cases.append(try ndjsonStream(corpus.first { $0.folder == "synthea" }?.files ?? []))
        }
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

    /// Streaming an NDJSON file of `NDJSON_BYTES` bytes (1 GiB unless set), generated from the Synthea
    /// bundles' resources written over and over: each line is read, strictly validated and built into its
    /// typed model. The report gives the peak resident memory while streaming, after the high-water mark is
    /// reset, which stays near the reader's chunk and the longest line whatever the file's size.
    /// `swift run -c release Benchmarks fhir.ndjson.stream`.
    static func ndjsonStream(_ bundles: [[UInt8]]) throws -> Benchmark {
        let target = Int(ProcessInfo.processInfo.environment["NDJSON_BYTES"] ?? "") ?? 1 << 30
        let decoder = FHIRDecoder(mode: .lenient)
        let resources = try bundles.flatMap { try decoder.decode($0).bundleEntryResources }
        guard !resources.isEmpty else { throw BenchmarkFailure() }
        let lineSizes = resources.map { FHIREncoder().encode($0).count + 1 }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fhir-ndjson-stream-\(ProcessInfo.processInfo.processIdentifier).ndjson")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw BenchmarkFailure() }
        var writer = NDJSONWriter(handle: try FileHandle(forWritingTo: url))
        var written = 0
        var lines = 0
        while written < target {
            let index = lines % resources.count
            try writer.write(resources[index])
            written += lineSizes[index]
            lines += 1
        }
        try writer.finish()
        let residentBefore = ResidentMemory.current()
        var peaks: [Int] = []
        return Benchmark(
            name: "fhir.ndjson.stream",
            operations: lines,
            bytes: written,
            maximumSamples: 1,
            run: {
                ResidentMemory.resetPeak()
                var reader = NDJSONReader(handle: try FileHandle(forReadingFrom: url), decoder: FHIRDecoder())
                var count = 0
                while let resource = try reader.next() {
                    _ = try R4.Resource(resource)
                    count += 1
                }
                peaks.append(ResidentMemory.peak())
                guard count == lines else { throw BenchmarkFailure() }
                return count
            },
            report: {
                try? FileManager.default.removeItem(at: url)
                let peak = peaks.map { "\($0 / 1024) MB" }.joined(separator: ", ")
                return "\(written) bytes, \(lines) lines; resident before streaming \(residentBefore / 1024) MB, "
                    + "peak while streaming (each run): \(peak)"
            }
        )
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

/// The process's resident memory, from Linux's `/proc/self/status`, in KiB; 0 where it cannot be read.
enum ResidentMemory {
    static func current() -> Int { field("VmRSS:") }
    static func peak() -> Int { field("VmHWM:") }

    /// Resets the peak to the current figure (Linux 4.0 and later), so a peak measures one phase.
    static func resetPeak() {
        try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
    }

    private static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            return Int(line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? 0
        }
        return 0
    }
}
