import Foundation

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
    let run: () throws -> Int

    init(name: String, operations: Int, bytes: Int, maximumSamples: Int = Int.max, run: @escaping () throws -> Int) {
        self.name = name
        self.operations = operations
        self.bytes = bytes
        self.maximumSamples = maximumSamples
        self.run = run
    }

    /// Times `samples` runs after one warm-up run and reports the median.
    func measure(samples: Int) -> BenchmarkResult {
        let clock = ContinuousClock()
        var durations: [Duration] = []
        var checksum = 0
        do {
            checksum &+= try run()
            for _ in 0..<min(samples, maximumSamples) {
                let start = clock.now
                checksum &+= try run()
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
            checksum: checksum
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

    static let header = pad("benchmark", 24) + pad("ops", 10) + pad("median", 12) + pad("per op", 12) + "throughput"

    var line: String {
        guard let median else { return Self.pad(name, 24) + "failed: the benchmark's work threw an error" }
        let seconds = Double(median.components.seconds) + Double(median.components.attoseconds) / 1e18
        let perOperation = seconds / Double(operations)
        let throughput: String
        if bytes > 0 {
            throughput = String(format: "%.1f MB/s", Double(bytes) / seconds / 1e6)
        } else {
            throughput = String(format: "%.2f M ops/s", Double(operations) / seconds / 1e6)
        }
        return Self.pad(name, 24) + Self.pad("\(operations)", 10) + Self.pad(Self.format(seconds), 12)
            + Self.pad(Self.format(perOperation), 12) + throughput
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
