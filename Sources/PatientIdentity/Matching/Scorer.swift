import Foundation

/// Scores pairs of profiles with a model: levels, weights, term-frequency adjustment, notes and vetoes.
struct Scorer: Sendable {
    let model: MatchModel
    let comparator: FieldComparator
    let familyFrequencies: [String: Int32]
    let givenFrequencies: [String: Int32]
    let population: Int

    /// The index of the family and given name fields in `MatchField.allCases`.
    static let familyField = 1
    static let givenField = 2
    /// Term frequencies mean little in a small index; below this size they are not used.
    static let minimumPopulationForTermFrequencies = 1_000

    /// The weight of a pair, without building an explanation: the hot path of bulk matching.
    func weight(_ a: MatchProfile, _ b: MatchProfile) -> (weight: Double, vetoed: Bool) {
        let levels = comparator.levels(a, b)
        var total = model.priorWeight
        for (fieldIndex, level) in levels.enumerated() {
            guard let level else { continue }
            total += levelWeight(fieldIndex: fieldIndex, level: level, a, b).weight
        }
        return (total, isVetoed(a, b, levels: levels))
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
            let (weight, adjusted) = levelWeight(fieldIndex: fieldIndex, level: level, a, b)
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

    private func levelWeight(
        fieldIndex: Int,
        level: Int,
        _ a: MatchProfile,
        _ b: MatchProfile
    ) -> (weight: Double, adjusted: Bool) {
        let parameters = model.parameters(fieldIndex: fieldIndex, level: level)
        if level == 0, model.usesTermFrequencies, population >= Self.minimumPopulationForTermFrequencies {
            let frequencies: [String: Int32]?
            let value: String?
            switch fieldIndex {
            case Self.familyField:
                frequencies = familyFrequencies
                value = a.familyNames.first
            case Self.givenField:
                frequencies = givenFrequencies
                value = a.givenNames.first
            default:
                frequencies = nil
                value = nil
            }
            if let frequencies, let value, let count = frequencies[value] {
                let termFrequency = max(Double(count) / Double(population), 1 / Double(population))
                return (log2(parameters.m / termFrequency), true)
            }
        }
        return (parameters.weight, false)
    }

    /// Whether a rule forbids treating the pair as the same person, whatever the score.
    func isVetoed(_ a: MatchProfile, _ b: MatchProfile, levels: [Int?]) -> Bool {
        if a.nhsIsVerified && b.nhsIsVerified && levels[0] == 1 { return true }
        return Self.looksLikeTwins(a, b, levels: levels)
    }

    /// Twins share a date of birth, usually a family name and an address, but not a given name. A date of
    /// birth that agrees at any level short of `different` (so a slip in it does not hide twins) while the
    /// first given names are clearly different (no nickname, no phonetic or spelling similarity, Jaro-Winkler below 0.80, more
    /// than one edit apart), with a family name that agrees (exactly, as a previous name or with a spelling
    /// slip), the same postcode or postcode sector, or a different gender, is read as twins, unless valid NHS
    /// numbers agree or both records have the same second given name. When both records have valid NHS
    /// numbers and they differ, given names that only sound alike, are swapped, are an initial or are merely
    /// similar also count as clearly different.
    static func looksLikeTwins(_ a: MatchProfile, _ b: MatchProfile, levels: [Int?]) -> Bool {
        // Valid NHS numbers that agree settle it: twins never share one. Valid numbers that differ make
        // twins likely enough that any given-name difference beyond a spelling slip or nickname counts.
        let differentNumbers = levels[0] == 1
        guard levels[0] != 0, let birth = levels[3], birth <= 4, let given = levels[2],
            given == 7 || (differentNumbers && given >= 3)
        else { return false }
        // The same second given name says one person whose first name was recorded differently.
        if a.givenNames.count > 1, b.givenNames.count > 1, a.givenNames[1] == b.givenNames[1] { return false }
        let genderDifferent = levels[5] == 1
        let sameFamilyOrHome = (levels[1].map { $0 <= 2 } ?? false) || (levels[4].map { $0 <= 1 } ?? false)
        return sameFamilyOrHome || genderDifferent
    }
}
