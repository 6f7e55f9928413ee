public import CareCore
import Foundation

/// A master patient index: records from many sources, compared probabilistically so that the records of
/// one person can be found and linked.
///
/// Records are compared with a Fellegi-Sunter ``MatchModel`` over six fields (see ``ComparisonLevel``),
/// after blocking: only records that share at least one blocking key are compared, and several rules are
/// combined so that recall does not depend on any one field being right. Each rule is built so that one
/// slip in the fields it uses still leaves some rule whose key the pair shares:
/// - the NHS number with each of three groups of digits masked in turn (digits 1–3, 4–6, 7–10), so a
///   number with one mistyped digit still shares two keys with the right one;
/// - the family-name Soundex code with the year of birth, and the family-name Double Metaphone code with
///   the day and month of birth in either order (for every family name the record has, current and
///   previous);
/// - the postcode with the year of birth (for every postcode the record has);
/// - the postcode sector with the date of birth less one of its parts: year and month, year and day, or
///   day and month in either order;
/// - the given-name initial with the year, day and month of birth;
/// - the postcode sector with the family-name code, and with the given-name code;
/// - the given-name Double Metaphone code with the month and day of birth, and with the year and month.
///
/// A block larger than ``MatchOptions/maximumBlockSize`` is skipped for its rule, so one very common value
/// cannot make matching quadratic; the other rules still find those records' pairs.
///
/// The index is a value type. Wrap it in an actor to share it between tasks.
///
/// ```swift
/// var index = PatientIndex()
/// try index.insert(contentsOf: records)
/// let candidates = index.match(arrivingRecord)
/// for candidate in candidates {
///     print(candidate.recordID, candidate.grade, candidate.probability)
/// }
/// ```
public struct PatientIndex: Sendable {
    /// The model that scores pairs.
    public var model: MatchModel
    /// How records are read and compared.
    public let options: MatchOptions
    /// The probabilities at which pairs are reported and graded.
    public var thresholds: MatchThresholds
    /// Where the index reports blocks too large to match within and what deduplication found; disabled unless
    /// the host sets one. Record ids and names are never in its fields except as redacted values.
    public var logger: CareLogger = .disabled

    private(set) var records: [PatientRecord] = []
    private(set) var profiles: [MatchProfile] = []
    private(set) var positions: [PatientRecord.ID: Int32] = [:]
    private(set) var blocks = BlockTable()
    /// Each profile's packed values for bounding a pair's weight, by position.
    private(set) var pairBounds: [PairBoundProfile] = []
    /// First family and given names, each numbered once, and how many records have each.
    private var familyTerms: [String: Int32] = [:]
    private var givenTerms: [String: Int32] = [:]
    private var familyCounts: [Int32] = []
    private var givenCounts: [Int32] = []

    /// Creates an empty index.
    ///
    /// - Parameters:
    ///   - model: The model that scores pairs.
    ///   - options: How records are read and compared.
    ///   - thresholds: The probabilities at which pairs are reported and graded.
    public init(
        model: MatchModel = .standard,
        options: MatchOptions = MatchOptions(),
        thresholds: MatchThresholds = MatchThresholds()
    ) {
        self.model = model
        self.options = options
        self.thresholds = thresholds
    }

    /// The number of records in the index.
    public var count: Int { records.count }

    /// The record with an id, if the index holds it.
    ///
    /// - Parameter id: The record's id.
    /// - Returns: The record.
    public func record(_ id: PatientRecord.ID) -> PatientRecord? {
        positions[id].map { records[Int($0)] }
    }

    /// Every record, in insertion order.
    public var allRecords: [PatientRecord] { records }

    /// Adds a record.
    ///
    /// - Parameter record: The record.
    /// - Throws: ``PatientIdentityError`` with code ``PatientIdentityError/Code/inconsistent`` when a record with
    ///   the same id is already in the index; the index is unchanged.
    /// - Complexity: Amortised O(log *n*) apart from normalising the record.
    public mutating func insert(_ record: PatientRecord) throws(PatientIdentityError) {
        guard positions[record.id] == nil else {
            throw PatientIdentityError(
                .inconsistent,
                field: FieldPath("record.id"),
                reason: "a record with this id is already in the index"
            )
        }
        let position = Int32(records.count)
        let profile = MatchProfile(record, options: options)
        var keys: [UInt64] = []
        Self.blockingKeys(profile, into: &keys)
        append(record, profile)
        blocks.insert(keys.map { BlockTable.Entry(key: $0, position: position) })
    }

    /// Adds records, all or none.
    ///
    /// Records are normalised in parallel and their blocking keys added in one pass, so loading a large
    /// index this way is much faster than inserting one record at a time.
    ///
    /// - Parameter newRecords: The records.
    /// - Throws: ``PatientIdentityError`` with code ``PatientIdentityError/Code/inconsistent`` when an id repeats
    ///   within the records or is already in the index; nothing is added.
    public mutating func insert(contentsOf newRecords: [PatientRecord]) throws(PatientIdentityError) {
        var seen = Set<PatientRecord.ID>(minimumCapacity: newRecords.count)
        for record in newRecords where positions[record.id] != nil || !seen.insert(record.id).inserted {
            throw PatientIdentityError(
                .inconsistent,
                field: FieldPath("record.id"),
                reason: "a record id appears twice"
            )
        }
        let options = self.options
        let base = records.count
        let chunkSize = 16_384
        let chunkCount = (newRecords.count + chunkSize - 1) / chunkSize
        let built = ResultChunks<(profiles: [MatchProfile], entries: [BlockTable.Entry])>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = (chunk * chunkSize)..<min(newRecords.count, (chunk + 1) * chunkSize)
            var profiles: [MatchProfile] = []
            var entries: [BlockTable.Entry] = []
            var keys: [UInt64] = []
            var cache = MatchProfile.NameCodeCache()
            profiles.reserveCapacity(range.count)
            for offset in range {
                let profile = MatchProfile(newRecords[offset], options: options, cache: &cache)
                keys.removeAll(keepingCapacity: true)
                Self.blockingKeys(profile, into: &keys)
                let position = Int32(base + offset)
                entries.append(contentsOf: keys.map { BlockTable.Entry(key: $0, position: position) })
                profiles.append(profile)
            }
            built.store((profiles, entries), at: chunk)
        }
        // An empty index shares the caller's array rather than copying every record.
        let sharesRecords = records.isEmpty
        if sharesRecords { records = newRecords } else { records.reserveCapacity(base + newRecords.count) }
        profiles.reserveCapacity(base + newRecords.count)
        pairBounds.reserveCapacity(base + newRecords.count)
        positions.reserveCapacity(base + newRecords.count)
        var entries: [BlockTable.Entry] = []
        var offset = 0
        for part in built.slots() {
            for profile in part.profiles {
                append(newRecords[offset], profile, recordIsStored: sharesRecords)
                offset += 1
            }
            entries.append(contentsOf: part.entries)
        }
        blocks.insert(entries)
    }

    /// Appends a record and its profile, numbering its names for term frequencies.
    private mutating func append(_ record: PatientRecord, _ profile: MatchProfile, recordIsStored: Bool = false) {
        profile.assignTerms(
            family: profile.familyNames.first.map { Self.term($0, in: &familyTerms, counts: &familyCounts) } ?? -1,
            given: profile.givenNames.first.map { Self.term($0, in: &givenTerms, counts: &givenCounts) } ?? -1
        )
        positions[record.id] = Int32(profiles.count)
        if !recordIsStored { records.append(record) }
        profiles.append(profile)
        pairBounds.append(PairBoundProfile(profile))
    }

    private static func term(_ name: String, in terms: inout [String: Int32], counts: inout [Int32]) -> Int32 {
        if let existing = terms[name] {
            counts[Int(existing)] += 1
            return existing
        }
        let new = Int32(counts.count)
        terms[name] = new
        counts.append(1)
        return new
    }

    /// A profile for a record that need not be in the index, with its names numbered as the index numbers
    /// them.
    private func profile(of record: PatientRecord) -> MatchProfile {
        let profile = MatchProfile(record, options: options)
        profile.assignTerms(
            family: profile.familyNames.first.flatMap { familyTerms[$0] } ?? -1,
            given: profile.givenNames.first.flatMap { givenTerms[$0] } ?? -1
        )
        return profile
    }

    var scorer: Scorer {
        Scorer(
            model: model,
            comparator: FieldComparator(options: options),
            familyCounts: familyCounts,
            givenCounts: givenCounts,
            population: records.count
        )
    }

    // MARK: - Matching

    /// Finds the records in the index that may be the same person as an incoming record: the real-time
    /// registration check.
    ///
    /// - Parameters:
    ///   - record: The incoming record; it need not be in the index, and if it is, it is not matched with itself.
    ///   - limit: The most candidates to return; 50 by default.
    /// - Returns: Candidates at or above ``MatchThresholds/minimum``, most probable first (ties by record id).
    ///   Vetoed pairs are left out.
    /// - Complexity: Proportional to the number of records that share a blocking key with `record`.
    public func match(_ record: PatientRecord, limit: Int = 50) -> [MatchCandidate] {
        let query = profile(of: record)
        let scorer = self.scorer
        var keys: [UInt64] = []
        Self.blockingKeys(query, into: &keys)
        var others: [Int32] = []
        var skipped = 0
        for key in keys {
            let searched = blocks.forEachPosition(of: key, maximumBlockSize: options.maximumBlockSize) {
                others.append($0)
            }
            if !searched { skipped += 1 }
        }
        if skipped > 0 {
            // Debug, not warning: in a large index a common family name is always over the limit, so every
            // lookup of a Smith would warn. Deduplication reports the oversized blocks once, as a warning.
            logger.log(
                .debug,
                module: "PatientIdentity",
                "match skipped blocks over the size limit",
                [.init("keys", .integer(skipped)), .init("limit", .integer(options.maximumBlockSize))]
            )
        }
        others.sort()
        var candidates: [MatchCandidate] = []
        var previous: Int32 = -1
        for position in others where position != previous {
            previous = position
            let other = profiles[Int(position)]
            guard other.id != query.id else { continue }
            let (weight, vetoed) = scorer.weight(query, other)
            guard !vetoed else { continue }
            let probability = Self.probability(weight)
            guard probability >= thresholds.minimum else { continue }
            candidates.append(
                MatchCandidate(
                    recordID: other.id,
                    probability: probability,
                    matchWeight: weight,
                    grade: thresholds.grade(probability),
                    needsReview: probability < thresholds.automaticLink,
                    explanation: scorer.explain(query, other)
                )
            )
        }
        candidates.sort { ($1.probability, $0.recordID) < ($0.probability, $1.recordID) }
        return Array(candidates.prefix(limit))
    }

    /// Explains how two records in the index compare, whatever their score.
    ///
    /// - Parameters:
    ///   - first: One record's id.
    ///   - second: The other record's id.
    /// - Returns: The explanation.
    /// - Throws: ``PatientIdentityError`` with code ``PatientIdentityError/Code/notFound`` when either id is not
    ///   in the index.
    public func explain(
        _ first: PatientRecord.ID,
        _ second: PatientRecord.ID
    ) throws(PatientIdentityError) -> MatchExplanation {
        guard let a = positions[first], let b = positions[second] else {
            throw PatientIdentityError(
                .notFound,
                field: FieldPath("record.id"),
                reason: "no record with this id is in the index"
            )
        }
        return scorer.explain(profiles[Int(a)], profiles[Int(b)])
    }

    /// Finds every pair of records in the index that may be the same person.
    ///
    /// Records are taken in parallel, each with the later records it shares a blocking key with, so memory
    /// grows with the pairs found, not with the pairs compared.
    ///
    /// - Parameter thresholds: The thresholds to report and grade by; the index's own by default.
    /// - Returns: Pairs at or above the minimum probability, vetoed pairs left out, most probable first, then
    ///   by the two ids.
    /// - Complexity: Proportional to the number of candidate pairs the blocking rules produce.
    public func deduplicate(thresholds: MatchThresholds? = nil) -> [MatchPair] {
        let pairs = deduplicate(thresholds: thresholds ?? self.thresholds, bounded: true)
        if logger.isEnabled(.warning) {
            let oversized = blocks.compacted().oversizedBlocks(maximumBlockSize: options.maximumBlockSize)
            if oversized.count > 0 {
                logger.log(
                    .warning,
                    module: "PatientIdentity",
                    "deduplication skipped blocks over the size limit",
                    [
                        .init("blocks", .integer(oversized.count)), .init("largest", .integer(oversized.largest)),
                        .init("limit", .integer(options.maximumBlockSize)),
                    ]
                )
            }
        }
        logger.log(
            .info,
            module: "PatientIdentity",
            "deduplication finished",
            [.init("records", .integer(records.count)), .init("pairs", .integer(pairs.count))]
        )
        return pairs
    }

    /// Deduplication; with `bounded`, pairs whose weight bound is below the minimum are skipped unscored,
    /// which gives the same pairs faster (the tests compare both ways).
    func deduplicate(thresholds: MatchThresholds, bounded: Bool) -> [MatchPair] {
        let scorer = self.scorer
        let minimumWeight = bounded ? Self.weight(ofProbability: thresholds.minimum) : -.infinity
        let pairs = forEachCandidatePair(
            of: 0..<profiles.count,
            partnersFrom: { $0 + 1 },
            visit: { a, b, found in
                guard scorer.weightBound(pairBounds[Int(a)], pairBounds[Int(b)]) >= minimumWeight,
                    let pair = scoredPair(a, b, scorer: scorer, thresholds: thresholds, ordered: true)
                else { return }
                found.append(pair)
            }
        )
        return Self.sorted(pairs)
    }

    /// The weight at which a pair reaches a probability, a little below it so rounding never drops a pair.
    static func weight(ofProbability probability: Double) -> Double {
        guard probability > 0 else { return -.infinity }
        guard probability < 1 else { return 60 }
        return log2(probability / (1 - probability)) - 1e-6
    }

    /// Finds the pairs between two sets of records that may be the same person: record linkage between two
    /// sources. Pairs within one set are not compared.
    ///
    /// - Parameters:
    ///   - left: One source's records; ids must be unique across both sets.
    ///   - right: The other source's records.
    ///   - model: The model; the standard one by default.
    ///   - options: How records are read and compared.
    ///   - thresholds: The thresholds to report and grade by.
    /// - Returns: Pairs with `left` from the first set, most probable first, then by ids.
    /// - Throws: ``PatientIdentityError`` with code ``PatientIdentityError/Code/inconsistent`` when an id repeats.
    public static func link(
        _ left: [PatientRecord],
        _ right: [PatientRecord],
        model: MatchModel = .standard,
        options: MatchOptions = MatchOptions(),
        thresholds: MatchThresholds = MatchThresholds()
    ) throws(PatientIdentityError) -> [MatchPair] {
        var index = PatientIndex(model: model, options: options, thresholds: thresholds)
        try index.insert(contentsOf: left + right)
        let scorer = index.scorer
        let leftCount = left.count
        // Right records follow the left ones, so a left record's partners are the positions from leftCount.
        let built = index
        let minimumWeight = weight(ofProbability: thresholds.minimum)
        let pairs = built.forEachCandidatePair(
            of: 0..<leftCount,
            partnersFrom: { _ in Int32(leftCount) },
            visit: { a, b, found in
                guard scorer.weightBound(built.pairBounds[Int(a)], built.pairBounds[Int(b)]) >= minimumWeight,
                    let pair = built.scoredPair(a, b, scorer: scorer, thresholds: thresholds, ordered: false)
                else { return }
                found.append(pair)
            }
        )
        return sorted(pairs)
    }

    /// Scores one pair of positions: `nil` when vetoed or below the minimum. With `ordered`, the pair's ids are
    /// in ascending order; otherwise the first position's record is on the left.
    private func scoredPair(
        _ first: Int32,
        _ second: Int32,
        scorer: Scorer,
        thresholds: MatchThresholds,
        ordered: Bool
    ) -> MatchPair? {
        let a = profiles[Int(first)]
        let b = profiles[Int(second)]
        let levels = scorer.comparator.levels(a, b)
        let weight = scorer.weight(a, levels: levels)
        let probability = Self.probability(weight)
        guard probability >= thresholds.minimum, !scorer.isVetoed(a, b, levels: levels) else { return nil }
        let (left, right) = !ordered || a.id < b.id ? (a.id, b.id) : (b.id, a.id)
        return MatchPair(
            left: left,
            right: right,
            probability: probability,
            matchWeight: weight,
            grade: thresholds.grade(probability),
            needsReview: probability < thresholds.automaticLink
        )
    }

    // MARK: - Blocking

    /// Visits every candidate pair once, in parallel: for each position `position(i)` for `i` in `range`,
    /// each position from `partnersFrom(position)` on that shares a blocking key with it, skipping blocks
    /// larger than ``MatchOptions/maximumBlockSize``.
    ///
    /// - Returns: What `body` appended, in the order of `range`.
    func forEachCandidatePair<Found: Sendable>(
        of range: Range<Int>,
        position: @Sendable (Int) -> Int32 = { Int32($0) },
        partnersFrom: @Sendable (Int32) -> Int32,
        visit body: @Sendable (Int32, Int32, inout [Found]) -> Void
    ) -> [Found] {
        let table = blocks.compacted()
        let chunkSize = 2_048
        let chunkCount = (range.count + chunkSize - 1) / chunkSize
        let results = ResultChunks<[Found]>(count: chunkCount)
        let maximumBlockSize = options.maximumBlockSize
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            var found: [Found] = []
            var keys: [UInt64] = []
            var partners: [Int32] = []
            let start = range.lowerBound + chunk * chunkSize
            for offset in start..<min(range.upperBound, start + chunkSize) {
                let position = position(offset)
                keys.removeAll(keepingCapacity: true)
                partners.removeAll(keepingCapacity: true)
                Self.blockingKeys(profiles[Int(position)], into: &keys)
                let first = partnersFrom(position)
                for key in keys {
                    table.forEachPosition(of: key, from: first, maximumBlockSize: maximumBlockSize) {
                        partners.append($0)
                    }
                }
                partners.sort()
                var previous: Int32 = -1
                for partner in partners where partner != previous {
                    previous = partner
                    body(position, partner, &found)
                }
            }
            results.store(found, at: chunk)
        }
        return results.slots().flatMap { $0 }
    }

    /// The blocking keys of a profile, hashed, appended to `keys`: see the type's documentation for the rules.
    /// A key may appear more than once.
    static func blockingKeys(_ profile: MatchProfile, into keys: inout [UInt64]) {
        if let digits = profile.nhsDigits {
            // The number with each group of digits masked in turn, so one mistyped digit still shares a key.
            let bytes = Array(digits.utf8)
            for (group, masked) in [0..<3, 3..<6, 6..<10].enumerated() {
                keys.append(
                    StableHash(rule: 1).adding(group).adding(bytes[..<masked.lowerBound]).adding(
                        bytes[masked.upperBound...]
                    ).key
                )
            }
        }
        let birth = profile.birth
        let givenCode = profile.givenMetaphone?.primary ?? ""
        let digits = birth?.digitBytes.count == 8 ? birth?.digitBytes : nil
        // Day and month in either order, so a swapped date still shares the key.
        let dayMonth = digits.map { digits in
            let month = digits[4..<6]
            let day = digits[6..<8]
            return month.lexicographicallyPrecedes(day) ? month + day : day + month
        }
        // Measured at 100,000 synthetic records, rules on the family-name Double Metaphone code with the year
        // (beside the Soundex one) and with the given-name code found no pair the others miss; at 1,000,000
        // records they made a third of all candidate pairs, so they are not used.
        if let year = birth?.year {
            for code in profile.familySoundexCodes { keys.append(StableHash(rule: 10).adding(code).adding(year).key) }
        }
        if let dayMonth {
            for code in profile.familyCodes { keys.append(StableHash(rule: 11).adding(code).adding(dayMonth).key) }
        }
        for postcode in profile.postcodeBytes {
            if let year = birth?.year { keys.append(StableHash(rule: 4).adding(postcode).adding(year).key) }
            let sector = postcode.dropLast(2)
            if let digits, let dayMonth {
                // The sector with the date of birth less any one of its parts: one slip in the date still matches.
                keys.append(StableHash(rule: 5).adding(sector).adding(digits[0..<6]).key)
                keys.append(StableHash(rule: 5).adding(sector).adding(digits[0..<4]).adding(digits[6..<8]).key)
                keys.append(StableHash(rule: 5).adding(sector).adding(dayMonth).key)
            }
            if let code = profile.familyCodes.first {
                keys.append(StableHash(rule: 7).adding(sector).adding(code).key)
            }
            if !givenCode.isEmpty { keys.append(StableHash(rule: 8).adding(sector).adding(givenCode).key) }
        }
        if let digits, let dayMonth {
            if let initial = profile.givenScalars.first {
                keys.append(StableHash(rule: 6).adding(initial.value).adding(digits[0..<4]).adding(dayMonth).key)
            }
            if !givenCode.isEmpty {
                keys.append(StableHash(rule: 9).adding(givenCode).adding(digits[4..<8]).key)
                keys.append(StableHash(rule: 12).adding(givenCode).adding(digits[0..<6]).key)
            }
        }
    }

    static func probability(_ weight: Double) -> Double {
        if weight > 60 { return 1 }
        if weight < -60 { return 0 }
        let odds = exp2(weight)
        return odds / (1 + odds)
    }

    static func sorted(_ pairs: [MatchPair]) -> [MatchPair] {
        pairs.sorted { lhs, rhs in
            if lhs.probability != rhs.probability { return lhs.probability > rhs.probability }
            return (lhs.left, lhs.right) < (rhs.left, rhs.right)
        }
    }
}

/// Results written by concurrent iterations, each into its own slot.
///
/// `@unchecked Sendable` because each slot is written by exactly one iteration of `concurrentPerform`, and
/// all slots are read only after it returns; the lock makes the hand-over visible to ThreadSanitizer too.
final class ResultChunks<Value>: @unchecked Sendable {
    private var values: [Value?]
    private let lock = NSLock()

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }

    func store(_ value: Value, at index: Int) {
        lock.withLock { values[index] = value }
    }

    /// Every stored value, in slot order.
    func slots() -> [Value] {
        lock.withLock { values.compactMap { $0 } }
    }
}

/// The blocking keys of an index: entries sorted by key and then position, so that a block is one run of
/// the array, plus a small table of recent single insertions that is merged in once it grows.
///
/// A sorted array costs 16 bytes a key; a dictionary of arrays costs several times that, which matters with
/// a dozen keys for each of a million records.
struct BlockTable: Sendable {
    /// One record's membership of one block.
    struct Entry: Sendable, Comparable {
        let key: UInt64
        let position: Int32

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.key, lhs.position) < (rhs.key, rhs.position)
        }
    }

    private var sorted: [Entry] = []
    /// Where each bucket of keys (their top `bucketBits` bits) starts in `sorted`, plus the end: a lookup
    /// searches a few entries rather than the whole array, which at a million records saves a dozen cache
    /// misses a key.
    private var bucketStarts: [Int32] = [0, 0]
    private var bucketBits = 0
    private var recent: [UInt64: [Int32]] = [:]
    private var recentCount = 0

    /// Adds entries. Single records go to the recent table, merged into the sorted array when it reaches
    /// half its size, so that inserting one record at a time stays amortised O(log *n*) a key.
    mutating func insert(_ entries: [Entry]) {
        if entries.count < 1_024 && sorted.count >= 8_192 {
            for entry in entries { recent[entry.key, default: []].append(entry.position) }
            recentCount += entries.count
            if recentCount > sorted.count / 2 { self = compacted() }
        } else {
            var merged = sorted
            merged.append(contentsOf: entries)
            for (key, positions) in recent {
                merged.append(contentsOf: positions.map { Entry(key: key, position: $0) })
            }
            merged.sort()
            self = BlockTable(sorted: merged)
        }
    }

    private init(sorted: [Entry]) {
        self.sorted = sorted
        // About four entries a bucket, with the rule's four bits always among the bucket bits.
        var bits = 4
        while bits < 28 && (1 << bits) * 4 < sorted.count { bits += 1 }
        bucketBits = bits
        var starts = [Int32](repeating: 0, count: (1 << bits) + 1)
        for entry in sorted { starts[Int(entry.key >> UInt64(64 - bits)) + 1] += 1 }
        for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
        bucketStarts = starts
    }

    init() {}

    /// The table with the recent entries merged in.
    func compacted() -> BlockTable {
        guard recentCount > 0 else { return self }
        var merged = sorted
        for (key, positions) in recent { merged.append(contentsOf: positions.map { Entry(key: key, position: $0) }) }
        merged.sort()
        return BlockTable(sorted: merged)
    }

    /// The range of the sorted entries with a key, found by two binary searches within the key's bucket, so
    /// that a huge block costs no more to find (and skip) than a small one.
    private func range(of key: UInt64) -> Range<Int> {
        guard bucketBits > 0 else { return 0..<0 }
        let bucket = Int(key >> UInt64(64 - bucketBits))
        let bucketEnd = Int(bucketStarts[bucket + 1])
        var low = Int(bucketStarts[bucket])
        var high = bucketEnd
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].key < key { low = middle + 1 } else { high = middle }
        }
        var end = low
        high = bucketEnd
        while end < high {
            let middle = (end + high) / 2
            if sorted[middle].key <= key { end = middle + 1 } else { high = middle }
        }
        return low..<end
    }

    /// Calls `body` with each position in the block of `key`, from `first` on, unless the block holds more
    /// than `maximumBlockSize` records.
    ///
    /// - Returns: `false` when the block was skipped for its size.
    @discardableResult
    func forEachPosition(
        of key: UInt64,
        from first: Int32 = 0,
        maximumBlockSize: Int,
        _ body: (Int32) -> Void
    ) -> Bool {
        let run = range(of: key)
        let others = recent[key]
        guard run.count + (others?.count ?? 0) <= maximumBlockSize else { return false }
        for index in run where sorted[index].position >= first { body(sorted[index].position) }
        for position in others ?? [] where position >= first { body(position) }
        return true
    }

    /// How many blocks of a compacted table hold more than `maximumBlockSize` records, and the largest size;
    /// one pass over the entries.
    func oversizedBlocks(maximumBlockSize: Int) -> (count: Int, largest: Int) {
        var count = 0
        var largest = 0
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count && sorted[end].key == sorted[start].key { end += 1 }
            if end - start > maximumBlockSize {
                count += 1
                largest = max(largest, end - start)
            }
            start = end
        }
        return (count, largest)
    }
}

/// A hash that is the same in every process (Swift's `Hasher` is seeded per process), for blocking keys:
/// FNV-1a over a rule number and the parts, with a separator byte after each part.
struct StableHash: Sendable {
    private var value: UInt64 = 0xCBF2_9CE4_8422_2325

    init(rule: UInt8) {
        self.rule = rule
        mix(rule)
        mix(0x1F)
    }

    private let rule: UInt8

    /// The hash, with the rule's number in the top four bits so that keys of different rules never meet.
    var key: UInt64 { value & 0x0FFF_FFFF_FFFF_FFFF | UInt64(rule & 0xF) << 60 }

    private mutating func mix(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01B3
    }

    func adding(_ bytes: some Sequence<UInt8>) -> StableHash {
        var copy = self
        for byte in bytes { copy.mix(byte) }
        copy.mix(0x1F)
        return copy
    }

    func adding(_ text: String) -> StableHash { adding(text.utf8) }

    func adding(_ number: some FixedWidthInteger) -> StableHash {
        var copy = self
        var remaining = UInt64(truncatingIfNeeded: number)
        for _ in 0..<(number.bitWidth / 8) {
            copy.mix(UInt8(truncatingIfNeeded: remaining))
            remaining >>= 8
        }
        copy.mix(0x1F)
        return copy
    }
}
