import CareCore
import Foundation
import PatientIdentity

/// The PatientIdentity benchmarks on the synthetic population: building an index, training it, matching
/// one record against it and deduplicating it. The deduplication also prints its pairwise quality against
/// the known truth, for the pairs themselves and for the pairs implied by the clusters.
enum PatientIdentityBenchmarks {
    static func all(recordCount: Int) -> [Benchmark] {
        var generator = SeededRandomNumberGenerator(seed: 3)
        let population = SyntheticPopulation.generate(recordCount: recordCount, using: &generator)
        var index = PatientIndex()
        try? index.insert(contentsOf: population.records)
        // IDENTITY_TRAIN=0 measures with the standard model, skipping training (for very large runs).
        let trains = ProcessInfo.processInfo.environment["IDENTITY_TRAIN"] != "0"
        if trains {
            var trainingGenerator = SeededRandomNumberGenerator(seed: 99)
            index.train(using: &trainingGenerator)
        }
        let trained = index
        let probes = Array(population.records.prefix(1_000))
        let label = recordCount >= 1_000_000 ? "\(recordCount / 1_000_000)M" : "\(recordCount / 1_000)k"
        let cases = [
            Benchmark(name: "identity.index.\(label)", operations: recordCount, bytes: 0, maximumSamples: 3) {
                var fresh = PatientIndex()
                try fresh.insert(contentsOf: population.records)
                return fresh.count
            },
            Benchmark(name: "identity.train.\(label)", operations: recordCount, bytes: 0, maximumSamples: 3) {
                var copy = trained
                var seeded = SeededRandomNumberGenerator(seed: 99)
                return copy.train(using: &seeded).randomPairCount
            },
            Benchmark(name: "identity.match.\(label)", operations: probes.count, bytes: 0, maximumSamples: 5) {
                var total = 0
                for probe in probes { total &+= trained.match(probe).count }
                return total
            },
            Benchmark(name: "identity.dedupe.\(label)", operations: recordCount, bytes: 0, maximumSamples: 3) {
                trained.deduplicate().count
            },
            Benchmark(name: "identity.quality.\(label)", operations: 1, bytes: 0, maximumSamples: 1) {
                let pairs = trained.deduplicate()
                let direct = LinkageEvaluation(
                    predicted: pairs.map { ($0.left, $0.right) },
                    personOfRecord: population.personOfRecord
                )
                var implied: [(PatientRecord.ID, PatientRecord.ID)] = []
                for cluster in trained.clusters(from: pairs, threshold: 0.5) where cluster.records.count > 1 {
                    for i in 0..<(cluster.records.count - 1) {
                        for j in (i + 1)..<cluster.records.count {
                            implied.append((cluster.records[i], cluster.records[j]))
                        }
                    }
                }
                let clustered = LinkageEvaluation(predicted: implied, personOfRecord: population.personOfRecord)
                let twinPairs = pairs.filter { pair in
                    guard let left = population.personOfRecord[pair.left],
                        let right = population.personOfRecord[pair.right]
                    else {
                        return false
                    }
                    return population.twinOfPerson[left] == right
                }
                report("identity.quality.\(label): pairs \(direct)")
                report("identity.quality.\(label): clusters at 0.5 \(clustered)")
                report("identity.quality.\(label): twin pairs matched \(twinPairs.count)")
                return pairs.count
            },
        ]
        return trains ? cases : cases.filter { !$0.name.hasPrefix("identity.train") }
    }

    /// Prints a figure to standard error once per run, not once per sample.
    private static func report(_ line: String) {
        reported.withLock { seen in
            if seen.insert(line).inserted { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }
    }

    private static let reported = Locked<Set<String>>([])
}

/// A value behind a lock, for the benchmarks' once-only reporting.
///
/// `@unchecked Sendable` because the value is only touched inside `withLock`.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.withLock { body(&value) }
    }
}
