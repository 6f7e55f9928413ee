// Benchmarks: `swift run -c release Benchmarks [filter]` prints one line per case: its name, the operations in
// one sample, the median time of a sample, the time per operation and the throughput. Inputs come from a
// seeded generator, so every run measures the same work.

import CareCore
import Foundation

#if DEBUG
FileHandle.standardError.write(Data("warning: a debug build; run with `swift run -c release Benchmarks`\n".utf8))
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print(
        """
        USAGE: Benchmarks [FILTER] [--samples N]

        The identity cases use IDENTITY_RECORDS synthetic records (100,000 by default); IDENTITY_TRAIN=0
        skips training and measures with the standard model. The full differential run of the access
        decision point against its reference evaluator (1,000,000 requests) runs only when named:
        swift run -c release Benchmarks access.differential
        Streaming a generated 1 GiB NDJSON file (NDJSON_BYTES sets another size) also runs only when named:
        swift run -c release Benchmarks fhir.ndjson.stream
        So do the hostile inputs of issue #12 (deep nesting, huge numbers, strings and fields, a 10,000-entry
        Bundle, a million NDJSON lines, 100,000 records in one block), with their peak memory:
        swift run -c release Benchmarks hostile

        Runs each benchmark whose name contains FILTER (all of them by default) and prints, per benchmark,
        the operations in one sample, the median sample time, the time per operation and the throughput.
        Build in release mode: swift run -c release Benchmarks
        """
    )
    exit(0)
}
var filter: String?
var samples = 15
var remaining = arguments[...]
while let argument = remaining.popFirst() {
    if argument == "--samples", let text = remaining.popFirst(), let value = Int(text), value > 0 {
        samples = value
    } else if argument.hasPrefix("-") {
        FileHandle.standardError.write(Data("Benchmarks: unknown option '\(argument)' (see --help)\n".utf8))
        exit(2)
    } else {
        filter = argument
    }
}

let identitySize = Int(ProcessInfo.processInfo.environment["IDENTITY_RECORDS"] ?? "") ?? 100_000
let wantsIdentity = filter.map { "identity".contains($0) || $0.contains("identity") } ?? true
let wantsAppointments = filter.map { "appointments".contains($0) || $0.contains("appointments") } ?? true
let wantsAccess = filter.map { "access".contains($0) || $0.contains("access") } ?? true
let wantsTriage = filter.map { "triage".contains($0) || $0.contains("triage") } ?? true
let wantsFHIR = filter.map { "fhir".contains($0) || $0.contains("fhir") } ?? true
let wantsStore = filter.map { "store".contains($0) || $0.contains("store") } ?? true
var cases = CareCoreBenchmarks.all()
if wantsIdentity { cases += PatientIdentityBenchmarks.all(recordCount: identitySize) }
if wantsAppointments {
    do {
        cases += try await AppointmentsBenchmarks.all(matching: filter)
    } catch {
        FileHandle.standardError.write(Data("Benchmarks: the appointments benchmarks could not be set up\n".utf8))
        exit(1)
    }
}
if wantsAccess {
    do {
        cases += try ConsentAccessBenchmarks.all(matching: filter)
    } catch {
        FileHandle.standardError.write(Data("Benchmarks: the access benchmarks could not be set up\n".utf8))
        exit(1)
    }
}
if wantsTriage {
    do {
        cases += try TriageScoringBenchmarks.all(matching: filter)
    } catch {
        FileHandle.standardError.write(Data("Benchmarks: the triage benchmarks could not be set up\n".utf8))
        exit(1)
    }
}
if wantsFHIR {
    do {
        cases += try FHIREncodingBenchmarks.all(matching: filter)
    } catch {
        FileHandle.standardError.write(Data("Benchmarks: the FHIR corpus could not be read (set FHIR_CORPUS)\n".utf8))
        exit(1)
    }
}
if wantsStore {
    do {
        cases += try CareStoreBenchmarks.all(matching: filter)
    } catch {
        FileHandle.standardError.write(Data("Benchmarks: the store benchmarks could not be set up\n".utf8))
        exit(1)
    }
}
do {
    cases += try HostileInputBenchmarks.all(matching: filter)
} catch {
    FileHandle.standardError.write(Data("Benchmarks: the hostile-input benchmarks could not be set up\n".utf8))
    exit(1)
}
cases = cases.filter { filter == nil || $0.name.contains(filter ?? "") }
guard !cases.isEmpty else {
    FileHandle.standardError.write(Data("Benchmarks: no benchmark matches '\(filter ?? "")'\n".utf8))
    exit(2)
}
print(BenchmarkResult.header)
for benchmark in cases {
    print(await benchmark.measure(samples: samples).line)
}
