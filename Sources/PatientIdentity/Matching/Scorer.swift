import Foundation

/// Scores pairs of profiles with a model: levels, weights, term-frequency adjustment, notes and vetoes.
struct Scorer: Sendable {
    let model: MatchModel
    let comparator: FieldComparator
    /// How many records of the index have each family name, by the profiles' `familyTerm`.
    let familyCounts: [Int32]
    /// How many records of the index have each given name, by the profiles' `givenTerm`.
    let givenCounts: [Int32]
    let population: Int
    /// Each level's weight, at `weightOffsets[field] + level`, worked out once rather than per pair.
    private let weights: [Double]
    private let weightOffsets: [Int]
    private let usesTermFrequencies: Bool
    let priorWeight: Double
    /// For each field, the largest weight of any level, and of any level but the first (`exact`).
    let bounds: (largest: [Double], largestInexact: [Double])

    /// The index of the family and given name fields in `MatchField.allCases`.
    static let familyField = 1
    static let givenField = 2
    /// Term frequencies mean little in a small index; below this size they are not used.
    static let minimumPopulationForTermFrequencies = 1_000

    init(
        model: MatchModel,
        comparator: FieldComparator,
        familyCounts: [Int32],
        givenCounts: [Int32],
        population: Int
    ) {
        self.model = model
        self.comparator = comparator
        self.familyCounts = familyCounts
        self.givenCounts = givenCounts
        self.population = population
        var weights: [Double] = []
        var offsets: [Int] = []
        for (fieldIndex, field) in MatchField.allCases.enumerated() {
            offsets.append(weights.count)
            for level in field.levels.indices {
                weights.append(model.parameters(fieldIndex: fieldIndex, level: level).weight)
            }
        }
        self.priorWeight = model.priorWeight
        var largest: [Double] = []
        var largestInexact: [Double] = []
        for (fieldIndex, field) in MatchField.allCases.enumerated() {
            let fieldWeights = weights[offsets[fieldIndex]..<(offsets[fieldIndex] + field.levels.count)]
            largest.append(fieldWeights.max() ?? 0)
            largestInexact.append(fieldWeights.dropFirst().max() ?? 0)
        }
        self.bounds = (largest, largestInexact)
        self.weights = weights
        self.weightOffsets = offsets
        self.usesTermFrequencies = model.usesTermFrequencies && population >= Self.minimumPopulationForTermFrequencies
    }

    /// The weight of a pair, without building an explanation: the hot path of bulk matching.
    func weight(_ a: MatchProfile, _ b: MatchProfile) -> (weight: Double, vetoed: Bool) {
        let levels = comparator.levels(a, b)
        return (weight(a, levels: levels), isVetoed(a, b, levels: levels))
    }

    /// The weight of a pair whose levels are known; `a` is either record (term frequencies apply only to
    /// exact agreement, where both records have the same name).
    func weight(_ a: MatchProfile, levels: LevelPattern) -> Double {
        var total = priorWeight
        for fieldIndex in 0..<LevelPattern.fieldCount {
            guard let level = levels[fieldIndex] else { continue }
            total += levelWeight(fieldIndex: fieldIndex, level: level, a).weight
        }
        return total
    }

    /// The full explanation of a pair.
    func explain(_ a: MatchProfile, _ b: MatchProfile) -> MatchExplanation {
        let levels = comparator.levels(a, b)
        var contributions: [MatchExplanation.Contribution] = []
        for (fieldIndex, field) in MatchField.allCases.enumerated() {
            guard let level = levels[fieldIndex] else {
                contributions.append(.init(field: field, level: nil, weight: 0, isTermFrequencyAdjusted: false))
                continue
            }
            let (weight, adjusted) = levelWeight(fieldIndex: fieldIndex, level: level, a)
            contributions.append(
                .init(field: field, level: field.levels[level], weight: weight, isTermFrequencyAdjusted: adjusted)
            )
        }
        var notes: Set<MatchExplanation.Note> = []
        if let left = a.nhsDigits, let right = b.nhsDigits, a.nhsIsValid != b.nhsIsValid,
            StringSimilarity.damerauLevenshtein(left, right) == 1
        {
            notes.insert(.nhsNumbersDifferByOneEdit)
        }
        if levels[0] == 1 { notes.insert(.differentNHSNumbers) }
        if a.nhsIsVerified && b.nhsIsVerified && levels[0] == 1 { notes.insert(.differentVerifiedNHSNumbers) }
        if Self.looksLikeTwins(a, b, levels: levels) { notes.insert(.possibleTwins) }
        return MatchExplanation(
            priorWeight: model.priorWeight,
            contributions: contributions,
            notes: notes.sorted { $0.rawValue < $1.rawValue },
            isVetoed: isVetoed(a, b, levels: levels)
        )
    }

    private func levelWeight(fieldIndex: Int, level: Int, _ a: MatchProfile) -> (weight: Double, adjusted: Bool) {
        if level == 0 {
            switch fieldIndex {
            case Self.familyField: return termWeight(fieldIndex: fieldIndex, term: a.familyTerm)
            case Self.givenField: return termWeight(fieldIndex: fieldIndex, term: a.givenTerm)
            default: break
            }
        }
        return (levelWeight(fieldIndex: fieldIndex, level: level), false)
    }

    /// A level's weight from the model, without term frequencies.
    func levelWeight(fieldIndex: Int, level: Int) -> Double {
        weights[weightOffsets[fieldIndex] + level]
    }

    /// The weight of exact agreement on a name the index numbers `term`.
    func exactNameWeight(fieldIndex: Int, term: Int32) -> Double {
        termWeight(fieldIndex: fieldIndex, term: term).weight
    }

    /// The weight of exact agreement on a name, adjusted for how common the name is when term frequencies
    /// are in use and the index knows the name.
    private func termWeight(fieldIndex: Int, term: Int32) -> (weight: Double, adjusted: Bool) {
        let counts = fieldIndex == Self.familyField ? familyCounts : givenCounts
        if usesTermFrequencies, term >= 0, Int(term) < counts.count, counts[Int(term)] > 0 {
            let m = model.parameters(fieldIndex: fieldIndex, level: 0).m
            let termFrequency = max(Double(counts[Int(term)]) / Double(population), 1 / Double(population))
            return (log2(m / termFrequency), true)
        }
        return (levelWeight(fieldIndex: fieldIndex, level: 0), false)
    }

    /// Whether a rule forbids treating the pair as the same person, whatever the score.
    func isVetoed(_ a: MatchProfile, _ b: MatchProfile, levels: LevelPattern) -> Bool {
        if a.nhsIsVerified && b.nhsIsVerified && levels[0] == 1 { return true }
        return Self.looksLikeTwins(a, b, levels: levels)
    }

    /// Twins share a date of birth, usually a family name and an address, but not a given name. A date of
    /// birth that agrees at any level short of `different` (so a slip in it does not hide twins) while the
    /// first given names are clearly different (no nickname, no phonetic or spelling similarity, Jaro-Winkler below 0.80, more
    /// than one edit apart), with a family name that agrees (exactly, as a previous name or with a spelling
    /// slip), the same postcode or postcode sector, or a different gender, is read as twins, unless valid NHS
    /// numbers agree or both records have the same second given name. A first name that is only the other
    /// record's second given name (Amy and Linda Amy) also counts: parents do give one twin the other's name
    /// as a middle name, and a merge of twins is far worse than a missed link. When both records have valid
    /// NHS numbers and they differ, or the genders differ, given names that are nicknames of each other, only
    /// sound alike, are an initial or are merely similar also count as clearly different: a nickname can
    /// stand for two names (Kit for Katherine and for Christopher), and twins may be a brother and sister.
    static func looksLikeTwins(_ a: MatchProfile, _ b: MatchProfile, levels: LevelPattern) -> Bool {
        // Valid NHS numbers that agree settle it: twins never share one. Valid numbers that differ, or genders
        // that differ, make twins likely enough that any given-name difference beyond a spelling slip counts,
        // nicknames included: one nickname can stand for two names (Kit for Katherine and for Christopher).
        let differentNumbers = levels[0] == 1
        let genderDifferent = levels[5] == 1
        guard levels[0] != 0, let birth = levels[3], birth <= 4, let given = levels[2],
            given == 7 || given == 4 || ((differentNumbers || genderDifferent) && given != 0 && given != 2)
        else { return false }
        // The same second given name says one person whose first name was recorded differently.
        if a.givenNames.count > 1, b.givenNames.count > 1, a.givenNames[1] == b.givenNames[1] { return false }
        let sameFamilyOrHome = (levels[1].map { $0 <= 2 } ?? false) || (levels[4].map { $0 <= 1 } ?? false)
        return sameFamilyOrHome || genderDifferent
    }
}
