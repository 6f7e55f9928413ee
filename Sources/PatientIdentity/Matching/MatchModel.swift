import CareCore
import Foundation

/// The parameters of a Fellegi-Sunter match model: for each level of each field, how likely it is among
/// pairs of records of the same person (*m*) and among pairs of different people (*u*), and the prior
/// probability that two records compared are the same person (λ).
///
/// As in Splink, λ is the probability that two records drawn at random are the same person, and *u* is
/// measured on random pairs, which are almost all of different people; blocking only decides which pairs
/// are scored, not how. λ therefore depends on the size of the index: with more records there are more
/// chances of a coincidental agreement, and the same evidence is worth a little less.
///
/// A level adds `log2(m / u)` bits of evidence to a pair's match weight; a field missing on either side adds
/// nothing. The weight starts at `log2(λ / (1 − λ))` and the match probability is `2^W / (1 + 2^W)`.
///
/// Models are data: ``standard`` is a hand-set starting point, ``PatientIndex/train(randomPairs:maximumIterations:tolerance:using:)``
/// learns one from the index, and a model encodes to JSON so a trained model can be fixed, reviewed and
/// reloaded for reproducible results.
public struct MatchModel: Hashable, Sendable, Codable {
    /// The *m* and *u* probabilities of one level.
    public struct LevelParameters: Hashable, Sendable, Codable {
        /// The level.
        public let level: ComparisonLevel
        /// The probability of this level among pairs of the same person.
        public var m: Double
        /// The probability of this level among pairs of different people.
        public var u: Double

        /// Creates a level's parameters.
        ///
        /// - Parameters:
        ///   - level: The level.
        ///   - m: Its probability among matching pairs, above 0 and at most 1.
        ///   - u: Its probability among non-matching pairs, above 0 and at most 1.
        public init(level: ComparisonLevel, m: Double, u: Double) {
            self.level = level
            self.m = m
            self.u = u
        }

        /// The evidence this level adds, in bits: `log2(m / u)`.
        public var weight: Double { log2(m / u) }
    }

    /// The prior probability that two compared records are the same person.
    public var prior: Double
    /// The parameters, one entry per level of every field, in ``MatchField`` and level order.
    public private(set) var parameters: [LevelParameters]
    /// Whether an exact agreement on a family or given name uses how common the name is in the index as its
    /// *u*, so that agreeing on SMITH counts for less than agreeing on TREVITHICK.
    public var usesTermFrequencies: Bool

    /// Creates a model, checking that it covers every level with usable probabilities.
    ///
    /// - Parameters:
    ///   - prior: The prior match probability, strictly between 0 and 1.
    ///   - parameters: One entry for each level of each field.
    ///   - usesTermFrequencies: Whether name agreement is adjusted for how common the name is.
    /// - Throws: ``PatientIdentityError`` with code ``PatientIdentityError/Code/outOfRange`` for a probability
    ///   outside (0, 1], or ``PatientIdentityError/Code/inconsistent`` when a level is missing or repeated.
    public init(
        prior: Double,
        parameters: [LevelParameters],
        usesTermFrequencies: Bool = true
    )
        throws(PatientIdentityError)
    {
        guard prior > 0, prior < 1 else {
            throw PatientIdentityError(
                .outOfRange,
                field: .init("model.prior"),
                reason: "the prior must be between 0 and 1"
            )
        }
        var ordered: [LevelParameters] = []
        for field in MatchField.allCases {
            for level in field.levels {
                let matching = parameters.filter { $0.level == level }
                guard matching.count == 1, let entry = matching.first else {
                    throw PatientIdentityError(
                        .inconsistent,
                        field: .init("model.parameters"),
                        reason: "every level of every field needs exactly one entry"
                    )
                }
                guard entry.m > 0, entry.m <= 1, entry.u > 0, entry.u <= 1, entry.m.isFinite, entry.u.isFinite else {
                    throw PatientIdentityError(
                        .outOfRange,
                        field: .init("model.parameters"),
                        reason: "m and u must be probabilities above 0 and at most 1"
                    )
                }
                ordered.append(entry)
            }
        }
        guard ordered.count == parameters.count else {
            throw PatientIdentityError(
                .inconsistent,
                field: .init("model.parameters"),
                reason: "the parameters name a level the fields do not have"
            )
        }
        self.prior = prior
        self.parameters = ordered
        self.usesTermFrequencies = usesTermFrequencies
        self.offsets = Self.offsets()
    }

    /// The index of each field's first level in ``parameters``.
    private let offsets: [Int]

    private static func offsets() -> [Int] {
        var result: [Int] = []
        var running = 0
        for field in MatchField.allCases {
            result.append(running)
            running += field.levels.count
        }
        return result
    }

    /// The parameters of a field's level, by the field's position in ``MatchField/allCases`` and the level's
    /// position in its field.
    func parameters(fieldIndex: Int, level: Int) -> LevelParameters {
        parameters[offsets[fieldIndex] + level]
    }

    /// Replaces the *m* and *u* of a level.
    mutating func setParameters(fieldIndex: Int, level: Int, m: Double, u: Double) {
        parameters[offsets[fieldIndex] + level].m = m
        parameters[offsets[fieldIndex] + level].u = u
    }

    /// The parameters of one level.
    ///
    /// - Parameter level: The level.
    /// - Returns: Its parameters.
    public func parameters(for level: ComparisonLevel) -> LevelParameters? {
        parameters.first { $0.level == level }
    }

    /// The prior as a weight in bits: `log2(λ / (1 − λ))`.
    public var priorWeight: Double { log2(prior / (1 - prior)) }

    private enum CodingKeys: String, CodingKey {
        case prior
        case parameters
        case usesTermFrequencies
    }

    /// Decodes a model and checks it as ``init(prior:parameters:usesTermFrequencies:)`` does.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when the model is incomplete or has impossible probabilities.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let prior = try container.decode(Double.self, forKey: .prior)
        let parameters = try container.decode([LevelParameters].self, forKey: .parameters)
        let usesTermFrequencies = try container.decodeIfPresent(Bool.self, forKey: .usesTermFrequencies) ?? true
        do {
            try self.init(prior: prior, parameters: parameters, usesTermFrequencies: usesTermFrequencies)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description)
            )
        }
    }

    /// Encodes the prior, the parameters in field and level order, and the term-frequency setting.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(prior, forKey: .prior)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(usesTermFrequencies, forKey: .usesTermFrequencies)
    }

    /// A hand-set starting model, reasonable for UK demographic data before any training, with a prior that
    /// suits an index of about 100,000 records of which a third have duplicates.
    ///
    /// The *u* values are close to what random pairs of UK records show (one person in about 20 shares a
    /// family name's Soundex code with another, one in about 36,500 a full date of birth); the *m* values
    /// assume the error rates of hand-keyed records. Train on your own data for better figures.
    public static let standard: MatchModel = {
        func level(_ field: MatchField, _ name: String, _ m: Double, _ u: Double) -> LevelParameters {
            LevelParameters(level: ComparisonLevel(field: field, name: name), m: m, u: u)
        }
        let parameters = [
            level(.nhsNumber, "agree", 0.97, 0.000_001),
            level(.nhsNumber, "disagree", 0.03, 0.999_999),
            level(.familyName, "exact", 0.82, 0.005),
            level(.familyName, "previous-name", 0.04, 0.000_5),
            level(.familyName, "fuzzy", 0.06, 0.002),
            level(.familyName, "phonetic", 0.02, 0.01),
            level(.familyName, "similar", 0.02, 0.03),
            level(.familyName, "different", 0.04, 0.952_5),
            level(.givenName, "exact", 0.82, 0.01),
            level(.givenName, "nickname", 0.05, 0.002),
            level(.givenName, "fuzzy", 0.05, 0.003),
            level(.givenName, "phonetic", 0.02, 0.008),
            level(.givenName, "swapped", 0.01, 0.000_5),
            level(.givenName, "initial", 0.01, 0.02),
            level(.givenName, "similar", 0.01, 0.03),
            level(.givenName, "different", 0.03, 0.926_5),
            level(.birthDate, "exact", 0.86, 0.000_03),
            level(.birthDate, "day-month-swapped", 0.03, 0.000_01),
            level(.birthDate, "one-edit", 0.05, 0.000_6),
            level(.birthDate, "partial", 0.02, 0.01),
            level(.birthDate, "two-of-three", 0.02, 0.03),
            level(.birthDate, "different", 0.02, 0.959_36),
            level(.postcode, "full", 0.70, 0.000_2),
            level(.postcode, "sector", 0.05, 0.002),
            level(.postcode, "district", 0.05, 0.01),
            level(.postcode, "area", 0.05, 0.08),
            level(.postcode, "different", 0.15, 0.907_8),
            level(.gender, "agree", 0.98, 0.5),
            level(.gender, "disagree", 0.02, 0.5),
        ]
        // The parameters above are complete and in range, so this cannot fail.
        return (try? MatchModel(prior: 0.000_01, parameters: parameters))
            ?? MatchModel(uncheckedPrior: 0.000_01, parameters)
    }()

    private init(uncheckedPrior prior: Double, _ parameters: [LevelParameters]) {
        self.prior = prior
        self.parameters = parameters
        self.usesTermFrequencies = true
        self.offsets = Self.offsets()
    }
}
