public import CareCore
import Foundation

/// How strongly a candidate matches, in the grades of FHIR's `Patient/$match` operation
/// (`http://terminology.hl7.org/CodeSystem/match-grade`).
public enum MatchGrade: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    /// The same person beyond reasonable doubt.
    case certain
    /// Very likely the same person.
    case probable
    /// Possibly the same person; a person should decide.
    case possible
    /// Known not to be the same person: a rule vetoed the match (different verified NHS numbers, twins).
    case certainlyNot = "certainly-not"

    /// Orders grades from strongest to weakest.
    ///
    /// - Parameters:
    ///   - lhs: A grade.
    ///   - rhs: Another grade.
    /// - Returns: Whether `lhs` is the stronger grade.
    public static func < (lhs: MatchGrade, rhs: MatchGrade) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// The probabilities at which a pair is reported and graded.
public struct MatchThresholds: Hashable, Sendable, Codable {
    /// The lowest probability reported; pairs below are dropped. 0.5 by default.
    public var minimum: Double
    /// The probability from which a pair is `probable`; 0.9 by default.
    public var probable: Double
    /// The probability from which a pair is `certain`; 0.99 by default.
    public var certain: Double
    /// The probability from which a pair may be linked without a person reviewing it; 0.95 by default. Pairs
    /// between ``minimum`` and this value are flagged for review.
    public var automaticLink: Double

    /// Creates thresholds.
    ///
    /// - Parameters:
    ///   - minimum: The lowest probability reported.
    ///   - probable: The probability from which a pair is probable.
    ///   - certain: The probability from which a pair is certain.
    ///   - automaticLink: The probability from which no review is needed.
    public init(minimum: Double = 0.5, probable: Double = 0.9, certain: Double = 0.99, automaticLink: Double = 0.95) {
        self.minimum = minimum
        self.probable = probable
        self.certain = certain
        self.automaticLink = automaticLink
    }

    /// The grade of a probability.
    ///
    /// - Parameter probability: A match probability.
    /// - Returns: `certain`, `probable` or `possible`.
    public func grade(_ probability: Double) -> MatchGrade {
        if probability >= certain { return .certain }
        if probability >= probable { return .probable }
        return .possible
    }
}

/// Why two records were scored as they were: the prior, each field's level and weight, and any rule that
/// overrode the score. Explanations name fields and levels, never the values compared.
public struct MatchExplanation: Hashable, Sendable, Codable {
    /// One field's part in the score.
    public struct Contribution: Hashable, Sendable, Codable {
        /// The field.
        public let field: MatchField
        /// The level of agreement, or `nil` when the field was missing on either side.
        public let level: ComparisonLevel?
        /// The evidence in bits: positive for agreement, negative for disagreement, 0 when missing.
        public let weight: Double
        /// Whether the weight was adjusted for how common the agreeing name is.
        public let isTermFrequencyAdjusted: Bool
    }

    /// Something a person reviewing the pair should know.
    public enum Note: String, Hashable, Sendable, Codable {
        /// One record's NHS number fails the check digit and differs from the other's by one digit or one
        /// transposition: probably a keying error, though it is not used as evidence.
        case nhsNumbersDifferByOneEdit = "nhs-numbers-differ-by-one-edit"
        /// The records share a date of birth but have clearly different given names or genders, as twins do.
        case possibleTwins = "possible-twins"
        /// The records have different NHS numbers that are both valid.
        case differentNHSNumbers = "different-nhs-numbers"
        /// Both records have verified NHS numbers and they differ: a probabilistic score never overrides this.
        case differentVerifiedNHSNumbers = "different-verified-nhs-numbers"
    }

    /// The prior's weight in bits.
    public let priorWeight: Double
    /// One contribution per field, in ``MatchField`` order.
    public let contributions: [Contribution]
    /// Notes for a reviewer, sorted.
    public let notes: [Note]
    /// Whether a rule vetoed the match (twins, or different verified NHS numbers).
    public let isVetoed: Bool

    /// The total match weight in bits: the prior plus every contribution.
    public var matchWeight: Double { priorWeight + contributions.reduce(0) { $0 + $1.weight } }

    /// The match probability: `2^W / (1 + 2^W)`, or 0 when vetoed.
    public var probability: Double {
        isVetoed ? 0 : PatientIndex.probability(matchWeight)
    }
}

/// A record found for a query, with its probability, grade and explanation.
public struct MatchCandidate: Hashable, Sendable {
    /// The matching record in the index.
    public let recordID: PatientRecord.ID
    /// The match probability, 0 to 1.
    public let probability: Double
    /// The match weight in bits: log2 of the Bayes factor including the prior.
    public let matchWeight: Double
    /// The grade.
    public let grade: MatchGrade
    /// Whether a person should review the match before it is acted on.
    public let needsReview: Bool
    /// Why the pair scored as it did.
    public let explanation: MatchExplanation
}

/// A scored pair of records from ``PatientIndex/deduplicate(thresholds:)`` or
/// ``PatientIndex/link(_:_:model:options:thresholds:)``. The left id sorts before the right.
public struct MatchPair: Hashable, Sendable {
    /// The record that sorts first.
    public let left: PatientRecord.ID
    /// The record that sorts second.
    public let right: PatientRecord.ID
    /// The match probability, 0 to 1.
    public let probability: Double
    /// The match weight in bits.
    public let matchWeight: Double
    /// The grade.
    public let grade: MatchGrade
    /// Whether a person should review the pair before it is acted on.
    public let needsReview: Bool
}
