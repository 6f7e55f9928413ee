import Foundation
import Synchronization

/// Thrown by a benchmark whose work did not do what it should, so its figures are not printed.
struct BenchmarkFailure: Error {}

/// Collects the time of each operation, for benchmarks whose target is a per-operation percentile.
final class LatencyRecorder: Sendable {
    private let durations = Mutex<[Duration]>([])

    func record(_ duration: Duration) {
        durations.withLock { $0.append(duration) }
    }

    /// The median, 90th and 99th percentiles and the maximum of every operation timed, warm-up included.
    func summary() -> String {
        let sorted = durations.withLock { $0.sorted() }
        guard !sorted.isEmpty else { return "no operations timed" }
        func at(_ fraction: Double) -> String {
            let duration = sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
            return String(
                format: "%.1f µs",
                Double(duration.components.attoseconds) / 1e12 + Double(duration.components.seconds) * 1e6
            )
        }
        return "per operation over \(sorted.count): median \(at(0.5)), p90 \(at(0.9)), p99 \(at(0.99)), max \(at(1))"
    }
}

/// One benchmark: a named piece of work repeated over a fixed input.
struct Benchmark {
    /// The name, such as `postcode.parse`; the filter argument matches against it.
    let name: String
    /// Operations performed by one call of ``run``.
    let operations: Int
    /// Bytes processed by one call of ``run``, for a throughput in MB/s; 0 to report operations per second.
    let bytes: Int
    /// The most samples worth taking; long cases take fewer than asked.
    var maximumSamples = Int.max
    /// Does the work once and returns a checksum, so the optimiser cannot remove it.
    let run: () async throws -> Int
    /// A further line of figures, printed under the result.
    var report: (() -> String)?

    init(
        name: String,
        operations: Int,
        bytes: Int,
        maximumSamples: Int = Int.max,
        run: @escaping () async throws -> Int,
        report: (() -> String)? = nil
    ) {
        self.name = name
        self.operations = operations
        self.bytes = bytes
        self.maximumSamples = maximumSamples
        self.run = run
        self.report = report
    }

    /// Times `samples` runs after one warm-up run and reports the median.
    func measure(samples: Int) async -> BenchmarkResult {
        let clock = ContinuousClock()
        var durations: [Duration] = []
        var checksum = 0
        do {
            checksum &+= try await run()
            for _ in 0..<min(samples, maximumSamples) {
                let start = clock.now
                checksum &+= try await run()
                durations.append(clock.now - start)
            }
        } catch {
            return BenchmarkResult(name: name, operations: operations, bytes: bytes, median: nil, checksum: 0)
        }
        durations.sort()
        return BenchmarkResult(
            name: name,
            operations: operations,
            bytes: bytes,
            median: durations[durations.count / 2],
            checksum: checksum,
            detail: report?()
        )
    }
}

/// The figures of one benchmark.
struct BenchmarkResult {
    let name: String
    let operations: Int
    let bytes: Int
    let median: Duration?
    let checksum: Int
    var detail: String?

    static let header = pad("benchmark", 24) + pad("ops", 10) + pad("median", 12) + pad("per op", 12) + "throughput"

    var line: String {
        guard let median else { return Self.pad(name, 24) + "failed: the benchmark's work threw an error" }
        let seconds = Double(median.components.seconds) + Double(median.components.attoseconds) / 1e18
        let perOperation = seconds / Double(operations)
        let throughput: String
        if bytes > 0 {
            throughput = String(format: "%.1f MB/s", Double(bytes) / seconds / 1e6)
        } else {
            let rate = Double(operations) / seconds
            throughput =
                rate >= 1e6 ? String(format: "%.2f M ops/s", rate / 1e6) : String(format: "%.0f ops/s", rate)
        }
        let line =
            Self.pad(name, 24) + Self.pad("\(operations)", 10) + Self.pad(Self.format(seconds), 12)
            + Self.pad(Self.format(perOperation), 12) + throughput
        return detail.map { line + "\n" + Self.pad("", 24) + $0 } ?? line
    }

    private static func format(_ seconds: Double) -> String {
        if seconds >= 1 { return String(format: "%.2f s", seconds) }
        if seconds >= 1e-3 { return String(format: "%.2f ms", seconds * 1e3) }
        if seconds >= 1e-6 { return String(format: "%.2f µs", seconds * 1e6) }
        return String(format: "%.0f ns", seconds * 1e9)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
