import CareCore
import Foundation

/// What training did.
public struct TrainingReport: Hashable, Sendable {
    /// The random pairs *u* was measured on.
    public let randomPairCount: Int
    /// The candidate pairs in each EM session, by the blocking rule that made them.
    public let sessionPairCounts: [String: Int]
    /// The EM iterations each session ran.
    public let sessionIterations: [String: Int]
    /// The learnt probability that two random records are the same person.
    public let prior: Double
}

extension PatientIndex {
    /// Learns the model's parameters from the index's own records, without labelled pairs, in the way
    /// Splink does:
    ///
    /// 1. *u* for every level is measured on `randomPairs` random pairs of records, which are almost all
    ///    pairs of different people.
    /// 2. *m* is learnt by expectation maximisation (the Fellegi-Sunter EM) in three sessions, each on the
    ///    pairs of one blocking rule: the same NHS number; the same postcode sector and date of birth; the
    ///    same family- and given-name codes. A field used by a session's rule is not learnt in that session,
    ///    since those pairs agree on it by construction; each field is learnt in at least one session and
    ///    its *m* is the average over them, weighted by each session's expected matches, and never below
    ///    0.0005, so that no single disagreement becomes an absolute veto.
    /// 3. λ is found as the fixed point of "expected matching pairs among all candidate pairs, divided by
    ///    all pairs".
    ///
    /// Large indexes are trained on samples so that training stays a fraction of deduplication: an EM
    /// session takes an evenly spread share of at most 2,000,000 of its pairs, and λ is estimated from the
    /// candidate pairs of at most 100,000 evenly spaced records, scaled up (each pair is counted from its
    /// first record, so the estimate is unbiased).
    ///
    /// EM runs over the distinct patterns of levels, not over pairs, so each iteration is cheap.
    ///
    /// - Parameters:
    ///   - randomPairs: How many random pairs to measure *u* on; 1,000,000 by default (fewer when the index
    ///     has fewer pairs).
    ///   - maximumIterations: The most EM iterations per session; 200 by default.
    ///   - tolerance: EM stops when no parameter moves by more than this; 1e-7 by default.
    ///   - generator: The source of randomness for sampling pairs; a seeded one makes training repeatable.
    /// - Returns: What training did.
    @discardableResult
    public mutating func train(
        randomPairs: Int = 1_000_000,
        maximumIterations: Int = 200,
        tolerance: Double = 1e-7,
        using generator: inout some RandomNumberGenerator
    ) -> TrainingReport {
        let fields = MatchField.allCases
        let comparator = FieldComparator(options: options)
        let population = profiles.count
        guard population >= 2 else {
            return TrainingReport(
                randomPairCount: 0,
                sessionPairCounts: [:],
                sessionIterations: [:],
                prior: model.prior
            )
        }

        // 1. u from random pairs, with add-half smoothing so that unseen levels keep a small probability.
        let allPairs = population * (population - 1) / 2
        let sampleCount = min(randomPairs, allPairs)
        var uCounts = fields.map { [Double](repeating: 0.5, count: $0.levels.count) }
        for _ in 0..<sampleCount {
            let first = Int.random(in: 0..<population, using: &generator)
            var second = Int.random(in: 0..<(population - 1), using: &generator)
            if second >= first { second += 1 }
            let levels = comparator.levels(profiles[first], profiles[second])
            for field in fields.indices {
                if let level = levels[field] { uCounts[field][level] += 1 }
            }
        }
        let u = uCounts.map { counts in counts.map { $0 / counts.reduce(0, +) } }

        // 2. m by EM in sessions, each blocked on one rule and blind to that rule's fields.
        var m = fields.enumerated().map { index, field in
            (0..<field.levels.count).map { model.parameters(fieldIndex: index, level: $0).m }
        }
        var mSums = fields.map { [Double](repeating: 0, count: $0.levels.count) }
        var mWeights = [Double](repeating: 0, count: fields.count)
        var sessionPairs: [String: Int] = [:]
        var sessionIterations: [String: Int] = [:]
        for session in TrainingSession.all {
            let patterns = sessionPatterns(session, comparator: comparator, maximumPairs: Self.maximumSessionPairs)
            sessionPairs[session.name] = patterns.pairCount
            guard patterns.pairCount > 0 else { continue }
            var sessionM = m
            var prior = 0.5
            var iterations = 0
            while iterations < maximumIterations {
                iterations += 1
                var counts = fields.map { [Double](repeating: 0, count: $0.levels.count) }
                var expected = 0.0
                for (levels, count) in patterns.entries {
                    var logMatch = log(prior)
                    var logNonMatch = log(1 - prior)
                    for field in fields.indices {
                        guard let level = levels[field] else { continue }
                        logMatch += log(sessionM[field][level])
                        logNonMatch += log(u[field][level])
                    }
                    let difference = logNonMatch - logMatch
                    let posterior = difference > 50 ? 0 : 1 / (1 + exp(difference))
                    expected += posterior * count
                    for field in fields.indices {
                        if let level = levels[field] { counts[field][level] += posterior * count }
                    }
                }
                var change = 0.0
                for field in fields.indices where !session.maskedFields.contains(field) {
                    let total = counts[field].reduce(0, +)
                    guard total > 0 else { continue }
                    for level in sessionM[field].indices {
                        let value = max(1e-9, counts[field][level] / total)
                        change = max(change, abs(value - sessionM[field][level]))
                        sessionM[field][level] = value
                    }
                }
                let newPrior = min(1 - 1e-9, max(1e-9, expected / Double(patterns.pairCount)))
                change = max(change, abs(newPrior - prior))
                prior = newPrior
                if change < tolerance { break }
            }
            sessionIterations[session.name] = iterations
            let sessionMatches = prior * Double(patterns.pairCount)
            for field in fields.indices where !session.maskedFields.contains(field) {
                for level in m[field].indices { mSums[field][level] += sessionM[field][level] * sessionMatches }
                mWeights[field] += sessionMatches
            }
        }
        for field in fields.indices where mWeights[field] > 0 {
            m[field] = mSums[field].map { $0 / mWeights[field] }
        }
        for field in fields.indices {
            for level in m[field].indices {
                let floored = min(1, max(Self.minimumM, m[field][level]))
                model.setParameters(fieldIndex: field, level: level, m: floored, u: min(1, u[field][level]))
            }
        }

        // 3. λ: the expected matches among candidate pairs over all pairs, iterated to a fixed point. The
        // candidate pairs are those of a sample of records (each pair counted from its first record), scaled up.
        let sampledRecords = min(population, Self.maximumLambdaRecords)
        let stride = Double(population) / Double(sampledRecords)
        let sample = (0..<sampledRecords).map { Int32(Double($0) * stride) }
        let comparatorForPairs = comparator
        let snapshot = self
        let sampledPatterns = snapshot.forEachCandidatePair(
            of: 0..<sample.count,
            position: { sample[$0] },
            partnersFrom: { $0 + 1 },
            visit: { a, b, found in
                found.append(comparatorForPairs.levels(snapshot.profiles[Int(a)], snapshot.profiles[Int(b)]))
            }
        )
        var candidatePatterns: [LevelPattern: Double] = [:]
        for pattern in sampledPatterns { candidatePatterns[pattern, default: 0] += stride }
        // Sorted, so the floating-point sums are the same on every run.
        let weights = candidatePatterns.sorted { $0.key < $1.key }.map { pattern, count in
            (
                weight: (0..<LevelPattern.fieldCount).reduce(0.0) { total, field in
                    guard let level = pattern[field] else { return total }
                    return total + model.parameters(fieldIndex: field, level: level).weight
                }, count: count
            )
        }
        var prior = model.prior
        for _ in 0..<100 {
            let priorWeight = log2(prior / (1 - prior))
            let expected = weights.reduce(0.0) { $0 + Self.probability(priorWeight + $1.weight) * $1.count }
            let newPrior = min(0.5, max(1e-12, expected / Double(allPairs)))
            if abs(newPrior - prior) < prior * 1e-6 {
                prior = newPrior
                break
            }
            prior = newPrior
        }
        model.prior = prior
        return TrainingReport(
            randomPairCount: sampleCount,
            sessionPairCounts: sessionPairs,
            sessionIterations: sessionIterations,
            prior: prior
        )
    }

    /// The distinct level patterns of one session's pairs, with the session's own fields masked. Each record
    /// has at most one key in a session, so each pair is met once. When the session's blocks hold more than
    /// `maximumPairs` pairs, an evenly spread share of the pairs is taken, the same share of every block.
    private func sessionPatterns(
        _ session: TrainingSession,
        comparator: FieldComparator,
        maximumPairs: Int
    ) -> (entries: [(LevelPattern, Double)], pairCount: Int) {
        let scorer = self.scorer
        var entries: [BlockTable.Entry] = []
        entries.reserveCapacity(profiles.count)
        for (position, profile) in profiles.enumerated() {
            if let key = session.key(profile) { entries.append(.init(key: key, position: Int32(position))) }
        }
        entries.sort()
        var groups: [Range<Int>] = []
        var totalPairs = 0
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].key == entries[start].key { end += 1 }
            let size = end - start
            if size > 1 && size <= options.maximumBlockSize {
                groups.append(start..<end)
                totalPairs += size * (size - 1) / 2
            }
            start = end
        }
        // Every `step`-th pair of the session, counting across blocks, so the sample is spread evenly.
        let step = max(1, (totalPairs + maximumPairs - 1) / max(1, maximumPairs))
        let chunkSize = 256
        let chunkCount = (groups.count + chunkSize - 1) / chunkSize
        var offsets: [Int] = []
        var running = 0
        for group in groups {
            offsets.append(running)
            running += group.count * (group.count - 1) / 2
        }
        let (blocks, pairOffsets, sortedEntries) = (groups, offsets, entries)
        let results = ResultChunks<(counts: [LevelPattern: Double], pairs: Int)>(count: chunkCount)
        let profiles = self.profiles
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            var counts: [LevelPattern: Double] = [:]
            var pairs = 0
            for blockIndex in (chunk * chunkSize)..<min(blocks.count, (chunk + 1) * chunkSize) {
                let block = blocks[blockIndex]
                var pairNumber = pairOffsets[blockIndex]
                for i in block.lowerBound..<(block.upperBound - 1) {
                    for j in (i + 1)..<block.upperBound {
                        defer { pairNumber += 1 }
                        guard pairNumber % step == 0 else { continue }
                        let a = profiles[Int(sortedEntries[i].position)]
                        let b = profiles[Int(sortedEntries[j].position)]
                        var levels = comparator.levels(a, b)
                        pairs += 1
                        // Pairs a rule already rules out (twins, different verified numbers) are not evidence.
                        if scorer.isVetoed(a, b, levels: levels) { continue }
                        for field in session.maskedFields { levels[field] = nil }
                        counts[levels, default: 0] += 1
                    }
                }
            }
            results.store((counts, pairs), at: chunk)
        }
        var counts: [LevelPattern: Double] = [:]
        var pairCount = 0
        for part in results.slots() {
            pairCount += part.pairs
            counts.merge(part.counts, uniquingKeysWith: +)
        }
        return (counts.keys.sorted().map { ($0, counts[$0] ?? 0) }, pairCount)
    }

    /// The most pairs an EM session learns from; beyond this, an even sample of the session's pairs.
    static let maximumSessionPairs = 2_000_000

    /// The most records whose candidate pairs are scored to find λ; beyond this, an even sample of records.
    static let maximumLambdaRecords = 100_000

    /// The least *m* training gives any level. Data with no keying errors in a field would otherwise teach
    /// the model that a disagreement there is impossible and make one slip an absolute veto; vetoes are for
    /// the explicit rules only.
    static let minimumM = 0.000_5

}

/// One EM session: a blocking rule and the fields it makes agree, which the session does not learn.
private struct TrainingSession: Sendable {
    let name: String
    let maskedFields: [Int]
    /// The record's key under the session's rule, if it has one.
    let key: @Sendable (MatchProfile) -> UInt64?

    static let all: [TrainingSession] = [
        TrainingSession(name: "nhs-number", maskedFields: [0]) { profile in
            guard profile.nhsIsValid, let digits = profile.nhsDigits else { return nil }
            return StableHash(rule: 1).adding(digits).key
        },
        TrainingSession(name: "postcode-sector-and-birth-date", maskedFields: [3, 4]) { profile in
            guard let birth = profile.birth, birth.digitBytes.count == 8, let postcode = profile.postcodeBytes.first
            else {
                return nil
            }
            return StableHash(rule: 5).adding(postcode.dropLast(2)).adding(birth.digitBytes).key
        },
        TrainingSession(name: "name-codes", maskedFields: [1, 2]) { profile in
            guard let family = profile.familyMetaphone?.primary, !family.isEmpty,
                let given = profile.givenMetaphone?.primary, !given.isEmpty
            else { return nil }
            return StableHash(rule: 3).adding(family).adding(given).key
        },
    ]
}
