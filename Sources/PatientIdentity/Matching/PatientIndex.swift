public import CareCore
import Foundation

/// A master patient index: records from many sources, compared probabilistically so that the records of
/// one person can be found and linked.
///
/// Records are compared with a Fellegi-Sunter ``MatchModel`` over six fields (see ``ComparisonLevel``),
/// after blocking: only records that share at least one blocking key are compared, and several rules are
/// combined so that recall does not depend on any one field being right:
/// - the same ten NHS-number digits;
/// - the same family-name Double Metaphone code and year of birth (for every family name the record has);
/// - the same family-name and given-name Double Metaphone codes;
/// - the same postcode sector and date of birth (for every postcode the record has);
/// - the same postcode and year of birth;
/// - the same given-name initial, year of birth, and day and month in either order;
/// - the same postcode sector and family-name Double Metaphone code;
/// - the same postcode sector and given-name Double Metaphone code;
/// - the same given-name Double Metaphone code, month and day of birth.
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

    private(set) var records: [PatientRecord] = []
    private(set) var profiles: [MatchProfile] = []
    private(set) var positions: [PatientRecord.ID: Int32] = [:]
    private var blocks: [UInt64: [Int32]] = [:]
    private var familyFrequencies: [String: Int32] = [:]
    private var givenFrequencies: [String: Int32] = [:]

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
    /// - Complexity: Amortised O(1) apart from normalising the record.
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
        records.append(record)
        profiles.append(profile)
        positions[record.id] = position
        for key in Self.blockingKeys(profile) { blocks[key, default: []].append(position) }
        if let family = profile.familyNames.first { familyFrequencies[family, default: 0] += 1 }
        if let given = profile.givenNames.first { givenFrequencies[given, default: 0] += 1 }
    }

    /// Adds records, all or none.
    ///
    /// - Parameter newRecords: The records.
    /// - Throws: ``PatientIdentityError`` with code ``PatientIdentityError/Code/inconsistent`` when an id repeats
    ///   within the records or is already in the index; nothing is added.
    public mutating func insert(contentsOf newRecords: [PatientRecord]) throws(PatientIdentityError) {
        var seen = Set<PatientRecord.ID>()
        for record in newRecords where positions[record.id] != nil || !seen.insert(record.id).inserted {
            throw PatientIdentityError(
                .inconsistent,
                field: FieldPath("record.id"),
                reason: "a record id appears twice"
            )
        }
        records.reserveCapacity(records.count + newRecords.count)
        profiles.reserveCapacity(profiles.count + newRecords.count)
        for record in newRecords { try insert(record) }
    }

    var scorer: Scorer {
        Scorer(
            model: model,
            comparator: FieldComparator(options: options),
            familyFrequencies: familyFrequencies,
            givenFrequencies: givenFrequencies,
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
        let query = MatchProfile(record, options: options)
        let scorer = self.scorer
        var seen = Set<Int32>()
        var candidates: [MatchCandidate] = []
        for key in Self.blockingKeys(query) {
            guard let block = blocks[key], block.count <= options.maximumBlockSize else { continue }
            for position in block where seen.insert(position).inserted {
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
    /// - Parameter thresholds: The thresholds to report and grade by; the index's own by default.
    /// - Returns: Pairs at or above the minimum probability, vetoed pairs left out, most probable first, then
    ///   by the two ids.
    /// - Complexity: Proportional to the number of candidate pairs the blocking rules produce.
    public func deduplicate(thresholds: MatchThresholds? = nil) -> [MatchPair] {
        let thresholds = thresholds ?? self.thresholds
        let candidates = candidatePairs()
        let scorer = self.scorer
        let chunkCount = max(1, min(64, candidates.count / 10_000))
        let chunkSize = (candidates.count + chunkCount - 1) / max(chunkCount, 1)
        let results = ResultChunks(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            var found: [MatchPair] = []
            let start = chunk * chunkSize
            let end = min(candidates.count, start + chunkSize)
            guard start < end else { return }
            for packed in candidates[start..<end] {
                let a = profiles[Int(packed >> 32)]
                let b = profiles[Int(packed & 0xFFFF_FFFF)]
                let (weight, vetoed) = scorer.weight(a, b)
                guard !vetoed else { continue }
                let probability = Self.probability(weight)
                guard probability >= thresholds.minimum else { continue }
                let (left, right) = a.id < b.id ? (a.id, b.id) : (b.id, a.id)
                found.append(
                    MatchPair(
                        left: left,
                        right: right,
                        probability: probability,
                        matchWeight: weight,
                        grade: thresholds.grade(probability),
                        needsReview: probability < thresholds.automaticLink
                    )
                )
            }
            results.store(found, at: chunk)
        }
        return Self.sorted(results.all())
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
        try index.insert(contentsOf: left)
        let leftCount = index.count
        try index.insert(contentsOf: right)
        let scorer = index.scorer
        var pairs: [MatchPair] = []
        for packed in index.candidatePairs() {
            let first = Int(packed >> 32)
            let second = Int(packed & 0xFFFF_FFFF)
            guard (first < leftCount) != (second < leftCount) else { continue }
            let (a, b) =
                first < leftCount
                ? (index.profiles[first], index.profiles[second]) : (index.profiles[second], index.profiles[first])
            let (weight, vetoed) = scorer.weight(a, b)
            guard !vetoed else { continue }
            let probability = probability(weight)
            guard probability >= thresholds.minimum else { continue }
            pairs.append(
                MatchPair(
                    left: a.id,
                    right: b.id,
                    probability: probability,
                    matchWeight: weight,
                    grade: thresholds.grade(probability),
                    needsReview: probability < thresholds.automaticLink
                )
            )
        }
        return sorted(pairs)
    }

    // MARK: - Blocking

    /// Every pair of positions sharing a blocking key, each once, packed as `first << 32 | second` with
    /// `first < second`, in ascending order.
    func candidatePairs() -> [UInt64] {
        var pairs = Set<UInt64>()
        for block in blocks.values where block.count > 1 && block.count <= options.maximumBlockSize {
            for i in 0..<(block.count - 1) {
                for j in (i + 1)..<block.count {
                    let a = UInt64(UInt32(block[i]))
                    let b = UInt64(UInt32(block[j]))
                    pairs.insert(a < b ? a << 32 | b : b << 32 | a)
                }
            }
        }
        return pairs.sorted()
    }

    /// The blocking keys of a profile, hashed: see the type's documentation for the rules.
    static func blockingKeys(_ profile: MatchProfile) -> [UInt64] {
        var keys: [UInt64] = []
        if let digits = profile.nhsDigits { keys.append(StableHash.of("nhs", digits)) }
        let birthDigits = profile.birth?.digits
        let birthYear = profile.birth?.year.map(String.init)
        let familyCodes = profile.familyCodes
        let givenCode = profile.givenMetaphone?.primary ?? ""
        for code in familyCodes {
            if let birthYear { keys.append(StableHash.of("family-year", code, birthYear)) }
            if !givenCode.isEmpty { keys.append(StableHash.of("names", code, givenCode)) }
        }
        for postcode in profile.postcodes {
            if let birthYear { keys.append(StableHash.of("postcode-year", postcode, birthYear)) }
        }
        if let birthDigits, birthDigits.count == 8 {
            for postcode in profile.postcodes {
                keys.append(StableHash.of("sector-birth", String(postcode.dropLast(2)), birthDigits))
            }
            if let initial = profile.givenNames.first?.first {
                // Day and month in either order, so a swapped date still shares the key.
                let year = birthDigits.prefix(4)
                let month = birthDigits.dropFirst(4).prefix(2)
                let day = birthDigits.suffix(2)
                let dayMonth = month < day ? month + day : day + month
                keys.append(StableHash.of("initial-birth", String(initial), String(year + dayMonth)))
            }
        }
        for postcode in profile.postcodes {
            let sector = String(postcode.dropLast(2))
            if let code = familyCodes.first { keys.append(StableHash.of("sector-family", sector, code)) }
            if !givenCode.isEmpty { keys.append(StableHash.of("sector-given", sector, givenCode)) }
        }
        if let birthDigits, birthDigits.count == 8, !givenCode.isEmpty {
            keys.append(StableHash.of("given-birthday", givenCode, String(birthDigits.suffix(4))))
        }
        return keys
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

/// Results written by concurrent chunks, each into its own slot.
///
/// `@unchecked Sendable` because each slot is written by exactly one iteration of `concurrentPerform`, and
/// all slots are read only after it returns; the lock makes the hand-over visible to ThreadSanitizer too.
private final class ResultChunks: @unchecked Sendable {
    private var slots: [[MatchPair]]
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: [], count: count)
    }

    func store(_ pairs: [MatchPair], at index: Int) {
        lock.withLock { slots[index] = pairs }
    }

    func all() -> [MatchPair] {
        lock.withLock { slots.flatMap { $0 } }
    }
}

/// A hash that is the same in every process (Swift's `Hasher` is seeded per process), for blocking keys.
enum StableHash {
    /// FNV-1a over the parts, with a separator byte between them.
    static func of(_ parts: String...) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            hash ^= 0x1F
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
