import CareCore

/// A paediatric early warning chart, defined entirely by data that the deploying team transcribes from the
/// official chart.
///
/// Paediatric early warning scores differ by age and by nation: England's National PEWS from the System-wide
/// Paediatric Observations Tracking (SPOT) programme, and the different charts of Scotland and Northern
/// Ireland. Their band values must be copied **verbatim** from the published charts, which must not be amended.
/// This library therefore ships **no band values at all**: a team loads its chart with
/// ``init(name:source:ageBands:escalationTiers:mandatoryTriggers:possibleRanges:)`` or from a CSV file
/// (``init(csv:)``), has the transcription checked against the printed chart, and keeps the chart's version in
/// ``source``.
///
/// A chart has:
/// - **age bands** in completed months, each from an age to an age inclusive, contiguous and in ascending
///   order; only the last may be open-ended;
/// - **numeric parameters** (keys such as `respiratory-rate`, `heart-rate`, `oxygen-saturation`,
///   `systolic-blood-pressure`, `temperature`, `capillary-refill`): for each age band, bands ordered by their
///   inclusive upper bound, the last one open so that every value scores;
/// - **coded parameters** (such as `consciousness`, `respiratory-distress`, `oxygen-delivery`): for each age
///   band, the points of each code;
/// - **escalation tiers**: a total of at least N reaches the tier, thresholds ascending;
/// - **mandatory triggers**: named concerns (such as `parent-concern` or `nurse-concern`) that escalate to a
///   named tier whatever the total. They are never turned into points.
///
/// Every age band must give every parameter the chart declares, and points are never negative. A numeric
/// value scores in the first band whose upper bound it does not exceed, so no value falls between two bands.
/// Values must be finite numbers within the parameter's possible range (``possibleRanges``; 0 or more when
/// the chart declares none).
///
/// **Incomplete sets.** A parameter with no value is listed in ``Assessment/missingParameters`` and never
/// scored as 0. The assessment then has no ``Assessment/total``, but it does expose
/// ``Assessment/partialTotal``: since points are never negative, the partial total is a floor, and the tier it
/// reaches is reported as the least tier the patient is in, so an incomplete set can escalate but never
/// reassure.
public struct EarlyWarningChart: Hashable, Sendable {
    /// One band of a numeric parameter: values up to an inclusive upper bound score its points.
    public struct NumericBand: Hashable, Sendable {
        /// The inclusive upper bound, or `nil` for the open final band that takes every higher value.
        public let upperBound: Double?
        /// The points a value in this band scores, 0 or more.
        public let points: Int

        /// Creates a band.
        ///
        /// - Parameters:
        ///   - upperBound: The inclusive upper bound, or `nil` for the open final band.
        ///   - points: The points, 0 or more; checked when the chart is built.
        public init(upTo upperBound: Double?, points: Int) {
            self.upperBound = upperBound
            self.points = points
        }
    }

    /// The bands and codes of one age range of the chart.
    public struct AgeBand: Hashable, Sendable {
        /// The first age of the band, in completed months.
        public let fromMonths: Int
        /// The last age of the band, in completed months, inclusive; `nil` when the band has no upper age (only
        /// the last band may be open).
        public let toMonths: Int?
        /// The bands of each numeric parameter, by key, ordered by upper bound.
        public let numericParameters: [String: [NumericBand]]
        /// The points of each code of each coded parameter, by key.
        public let codedParameters: [String: [String: Int]]

        /// Creates an age band.
        ///
        /// - Parameters:
        ///   - fromMonths: The first age, in completed months.
        ///   - toMonths: The last age, inclusive, or `nil` for an open final band.
        ///   - numericParameters: The bands of each numeric parameter, ordered by upper bound.
        ///   - codedParameters: The points of each code of each coded parameter.
        public init(
            fromMonths: Int,
            toMonths: Int?,
            numericParameters: [String: [NumericBand]],
            codedParameters: [String: [String: Int]]
        ) {
            self.fromMonths = fromMonths
            self.toMonths = toMonths
            self.numericParameters = numericParameters
            self.codedParameters = codedParameters
        }

        /// Whether an age falls in the band.
        ///
        /// - Parameter ageInMonths: Age in completed months.
        /// - Returns: Whether the band covers it.
        public func contains(ageInMonths: Int) -> Bool {
            ageInMonths >= fromMonths && ageInMonths <= (toMonths ?? Int.max)
        }
    }

    /// An escalation tier: a total of at least ``minimumTotal`` reaches it.
    public struct EscalationTier: Hashable, Sendable, CustomStringConvertible {
        /// The tier's name, as the chart prints it.
        public let name: String
        /// The least total that reaches the tier, 0 or more.
        public let minimumTotal: Int

        /// Creates a tier.
        ///
        /// - Parameters:
        ///   - name: The tier's name.
        ///   - minimumTotal: The least total that reaches it.
        public init(name: String, minimumTotal: Int) {
            self.name = name
            self.minimumTotal = minimumTotal
        }

        /// The tier's name.
        public var description: String { name }
    }

    /// A concern that escalates to a tier whatever the total.
    public struct MandatoryTrigger: Hashable, Sendable, CustomStringConvertible {
        /// The concern's key, such as `parent-concern`.
        public let concern: String
        /// The name of the tier the concern escalates to.
        public let tier: String

        /// Creates a trigger.
        ///
        /// - Parameters:
        ///   - concern: The concern's key.
        ///   - tier: The name of a tier of the chart.
        public init(concern: String, tier: String) {
            self.concern = concern
            self.tier = tier
        }

        /// The trigger as `parent-concern → tier`.
        public var description: String { "\(concern) → \(tier)" }
    }

    /// An observed value of a parameter: a number for a numeric parameter, a code for a coded one.
    public enum ParameterValue: Hashable, Sendable {
        /// A measurement, in the unit the chart uses.
        case number(Double)
        /// A code of the chart, such as `alert`.
        case code(String)
    }

    /// The points one parameter scored.
    public struct SubScore: Hashable, Sendable, CustomStringConvertible {
        /// The parameter's key.
        public let parameter: String
        /// The points.
        public let points: Int

        /// Creates a sub-score.
        ///
        /// - Parameters:
        ///   - parameter: The parameter's key.
        ///   - points: The points.
        public init(parameter: String, points: Int) {
            self.parameter = parameter
            self.points = points
        }

        /// The sub-score as `heart-rate 2`.
        public var description: String { "\(parameter) \(points)" }
    }

    /// The result of scoring a set of observations on the chart.
    public struct Assessment: Hashable, Sendable, CustomStringConvertible {
        /// The chart's name.
        public let chartName: String
        /// The chart's version and source text.
        public let chartSource: String
        /// The points of each parameter observed, sorted by key.
        public let subScores: [SubScore]
        /// The parameters with no value, sorted by key; empty when the set is complete.
        public let missingParameters: [String]
        /// The sum of the points of the parameters observed: the total when complete, a floor otherwise.
        public let partialTotal: Int
        /// The highest tier ``partialTotal`` reaches, or `nil` below every tier. When the set is incomplete the
        /// patient's tier is this one or higher.
        public let tierFromTotal: EscalationTier?
        /// The mandatory triggers raised, sorted by concern.
        public let raisedTriggers: [MandatoryTrigger]
        /// The highest of ``tierFromTotal`` and the tiers of the raised triggers, or `nil` when none applies.
        public let tierAfterTriggers: EscalationTier?

        /// Whether every parameter of the chart had a value.
        public var isComplete: Bool { missingParameters.isEmpty }

        /// The total score when every parameter had a value; `nil` when any is missing (never counted as 0).
        public var total: Int? { isComplete ? partialTotal : nil }

        /// The assessment in one line, such as `TEST chart 5 → urgent review (…)`.
        public var description: String {
            var text = "\(chartName) "
            text += isComplete ? "\(partialTotal)" : "incomplete (partial \(partialTotal))"
            text += " → \(tierAfterTriggers?.name ?? "no tier")"
            if !missingParameters.isEmpty { text += "; missing \(missingParameters.joined(separator: ", "))" }
            if !raisedTriggers.isEmpty { text += "; triggers \(raisedTriggers.map(\.concern).joined(separator: ", "))" }
            return text
        }
    }

    /// The chart's name, as printed.
    public let name: String
    /// The chart's version and source: publisher, edition, date, and who transcribed and checked it.
    public let source: String
    /// The age bands, contiguous and ascending.
    public let ageBands: [AgeBand]
    /// The escalation tiers, by ascending minimum total.
    public let escalationTiers: [EscalationTier]
    /// The mandatory triggers, sorted by concern.
    public let mandatoryTriggers: [MandatoryTrigger]
    /// The possible range of each numeric parameter that declares one; values outside it are refused.
    public let possibleRanges: [String: ClosedRange<Double>]
    /// The keys of the numeric parameters, sorted.
    public let numericParameters: [String]
    /// The keys of the coded parameters, sorted.
    public let codedParameters: [String]

    /// Builds and checks a chart.
    ///
    /// - Parameters:
    ///   - name: The chart's name.
    ///   - source: The chart's version and source text.
    ///   - ageBands: The age bands, contiguous and ascending.
    ///   - escalationTiers: The tiers, by strictly ascending minimum total.
    ///   - mandatoryTriggers: The triggers, one per concern, each naming a tier of the chart.
    ///   - possibleRanges: The possible range of any numeric parameter; 0 or more for the others.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/malformedChart`` and the path of the
    ///   fault (such as `ageBands[1].numeric.heart-rate[2].upperBound`) when the data is not a complete,
    ///   consistent chart.
    /// - Complexity: O(*n* log *n*) in the number of bands and codes.
    public init(
        name: String,
        source: String,
        ageBands: [AgeBand],
        escalationTiers: [EscalationTier],
        mandatoryTriggers: [MandatoryTrigger],
        possibleRanges: [String: ClosedRange<Double>] = [:]
    ) throws(TriageScoringError) {
        try Self.requireText(name, at: FieldPath("name"), "the chart needs a name")
        try Self.requireText(source, at: FieldPath("source"), "the chart needs its version and source")
        let (numeric, coded) = try Self.validate(ageBands: ageBands)
        try Self.validate(tiers: escalationTiers)
        try Self.validate(triggers: mandatoryTriggers, tiers: escalationTiers)
        for key in possibleRanges.keys.sorted() {
            let path = FieldPath("possibleRanges").appending(key)
            guard numeric.contains(key) else {
                throw Self.malformed(path, "a possible range is given for a parameter that is not numeric")
            }
            guard let range = possibleRanges[key], range.lowerBound.isFinite, range.upperBound.isFinite else {
                throw Self.malformed(path, "a possible range must have finite bounds")
            }
        }
        self.name = name
        self.source = source
        self.ageBands = ageBands
        self.escalationTiers = escalationTiers
        self.mandatoryTriggers = mandatoryTriggers.sorted { $0.concern < $1.concern }
        self.possibleRanges = possibleRanges
        self.numericParameters = numeric.sorted()
        self.codedParameters = coded.sorted()
    }

    /// Every parameter key of the chart, numeric and coded, sorted.
    public var parameters: [String] {
        (numericParameters + codedParameters).sorted()
    }

    /// The age band that covers an age.
    ///
    /// - Parameter ageInMonths: Age in completed months.
    /// - Returns: The band, or `nil` when no band covers the age.
    public func ageBand(forAgeInMonths ageInMonths: Int) -> AgeBand? {
        ageBands.first { $0.contains(ageInMonths: ageInMonths) }
    }

    /// Scores a set of observations for a child of a given age.
    ///
    /// - Parameters:
    ///   - ageInMonths: The child's age in completed months.
    ///   - values: The observed value of each parameter, by key; a parameter left out is missing.
    ///   - concerns: The keys of the concerns raised, such as `parent-concern`.
    /// - Returns: The sub-scores, totals, tiers and missing parameters.
    /// - Throws: ``TriageScoringError``, naming the field:
    ///   - ``TriageScoringError/Code/impossibleValue`` at `ageInMonths` for a negative age, or at
    ///     `values.<key>` for a number that is not finite or outside the parameter's possible range;
    ///   - ``TriageScoringError/Code/invalidValue`` at `ageInMonths` for an age outside every band; at
    ///     `values.<key>` for a parameter the chart does not have, a number for a coded parameter, a code for a
    ///     numeric one or a code the chart does not list; at `concerns.<key>` for a concern with no trigger.
    /// - Complexity: O(*p* · *b*) for *p* parameters of at most *b* bands each.
    public func assess(
        ageInMonths: Int,
        values: [String: ParameterValue],
        concerns: Set<String> = []
    ) throws(TriageScoringError) -> Assessment {
        guard ageInMonths >= 0 else {
            throw TriageScoringError(
                .impossibleValue,
                field: FieldPath("ageInMonths"),
                reason: "age in months must be 0 or more"
            )
        }
        guard let band = ageBand(forAgeInMonths: ageInMonths) else {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath("ageInMonths"),
                reason: "the chart has no age band for this age"
            )
        }
        var subScores: [SubScore] = []
        for key in values.keys.sorted() {
            let field = FieldPath("values").appending(key)
            guard let value = values[key] else { continue }
            subScores.append(SubScore(parameter: key, points: try points(of: value, for: key, in: band, at: field)))
        }
        var triggers: [MandatoryTrigger] = []
        for concern in concerns.sorted() {
            guard let trigger = mandatoryTriggers.first(where: { $0.concern == concern }) else {
                throw TriageScoringError(
                    .invalidValue,
                    field: FieldPath("concerns").appending(concern),
                    reason: "the chart has no trigger for this concern"
                )
            }
            triggers.append(trigger)
        }
        let missing = parameters.filter { values[$0] == nil }
        let partialTotal = subScores.reduce(0) { $0 + $1.points }
        let fromTotal = escalationTiers.last { $0.minimumTotal <= partialTotal }
        var after = fromTotal
        for trigger in triggers {
            guard let tier = escalationTiers.first(where: { $0.name == trigger.tier }) else { continue }
            if let current = after, current.minimumTotal >= tier.minimumTotal { continue }
            after = tier
        }
        return Assessment(
            chartName: name,
            chartSource: source,
            subScores: subScores,
            missingParameters: missing,
            partialTotal: partialTotal,
            tierFromTotal: fromTotal,
            raisedTriggers: triggers,
            tierAfterTriggers: after
        )
    }

    /// The points of one value in an age band.
    private func points(
        of value: ParameterValue,
        for key: String,
        in band: AgeBand,
        at field: FieldPath
    ) throws(TriageScoringError) -> Int {
        switch value {
        case .number(let number):
            guard let bands = band.numericParameters[key] else {
                let reason =
                    band.codedParameters[key] == nil
                    ? "the chart has no such parameter" : "this parameter takes a code, not a number"
                throw TriageScoringError(.invalidValue, field: field, reason: reason)
            }
            try TriageScoringError.checkPossible(
                number,
                in: possibleRanges[key] ?? 0...Double.infinity,
                field: field,
                name: "the value"
            )
            // The final band is open (checked at construction), so every finite value finds a band.
            let match = bands.first { $0.upperBound.map { number <= $0 } ?? true }
            guard let match else {
                throw TriageScoringError(.invalidValue, field: field, reason: "the value is outside the chart's bands")
            }
            return match.points
        case .code(let code):
            guard let codes = band.codedParameters[key] else {
                let reason =
                    band.numericParameters[key] == nil
                    ? "the chart has no such parameter" : "this parameter takes a number, not a code"
                throw TriageScoringError(.invalidValue, field: field, reason: reason)
            }
            guard let points = codes[code] else {
                throw TriageScoringError(.invalidValue, field: field, reason: "the chart does not list this code")
            }
            return points
        }
    }
}

extension EarlyWarningChart {
    /// A `malformed-chart` error at a path.
    static func malformed(_ field: FieldPath, _ reason: String) -> TriageScoringError {
        TriageScoringError(.malformedChart, field: field, reason: reason)
    }

    /// Whether a key is lower-case ASCII letters, digits and hyphens, as observation kinds' keys are.
    static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty
            && key.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-")
            }
    }

    private static func requireText(_ text: String, at field: FieldPath, _ reason: String) throws(TriageScoringError) {
        guard !text.allSatisfy(\.isWhitespace) else { throw malformed(field, reason) }
    }

    /// Checks the age bands and returns the keys of the numeric and the coded parameters.
    private static func validate(
        ageBands: [AgeBand]
    ) throws(TriageScoringError) -> (numeric: Set<String>, coded: Set<String>) {
        guard !ageBands.isEmpty else { throw malformed(FieldPath("ageBands"), "the chart has no age bands") }
        var numeric: Set<String> = []
        var coded: Set<String> = []
        for (index, band) in ageBands.enumerated() {
            let path = FieldPath("ageBands").appending(index: index)
            guard band.fromMonths >= 0 else {
                throw malformed(path.appending("fromMonths"), "an age band cannot start below 0 months")
            }
            guard band.fromMonths <= 1_800, (band.toMonths ?? 0) <= 1_800 else {
                throw malformed(path, "an age band must lie within 0 to 1,800 months")
            }
            if let to = band.toMonths, to < band.fromMonths {
                throw malformed(path.appending("toMonths"), "an age band cannot end before it starts")
            }
            if band.toMonths == nil, index != ageBands.count - 1 {
                throw malformed(path.appending("toMonths"), "only the last age band may be open-ended")
            }
            if index > 0, let previousEnd = ageBands[index - 1].toMonths, band.fromMonths != previousEnd + 1 {
                throw malformed(
                    path.appending("fromMonths"),
                    band.fromMonths <= previousEnd
                        ? "age bands overlap or are out of order"
                        : "age bands leave a gap: each must start the month after the previous one ends"
                )
            }
            for key in band.numericParameters.keys.sorted() {
                guard isValidKey(key) else {
                    throw malformed(
                        path.appending("numeric").appending(key),
                        "a parameter key must be lower-case letters, digits and hyphens"
                    )
                }
                numeric.insert(key)
                try validate(
                    numericBands: band.numericParameters[key] ?? [],
                    at: path.appending("numeric").appending(key)
                )
            }
            for key in band.codedParameters.keys.sorted() {
                guard isValidKey(key) else {
                    throw malformed(
                        path.appending("coded").appending(key),
                        "a parameter key must be lower-case letters, digits and hyphens"
                    )
                }
                coded.insert(key)
                try validate(codes: band.codedParameters[key] ?? [:], at: path.appending("coded").appending(key))
            }
        }
        if let clash = numeric.intersection(coded).sorted().first {
            throw malformed(FieldPath("parameters").appending(clash), "a parameter cannot be both numeric and coded")
        }
        guard !numeric.isEmpty || !coded.isEmpty else {
            throw malformed(FieldPath("parameters"), "the chart has no parameters")
        }
        for (index, band) in ageBands.enumerated() {
            let path = FieldPath("ageBands").appending(index: index)
            if let key = numeric.sorted().first(where: { band.numericParameters[$0] == nil }) {
                throw malformed(path.appending("numeric").appending(key), "this age band has no bands for a parameter")
            }
            if let key = coded.sorted().first(where: { band.codedParameters[$0] == nil }) {
                throw malformed(path.appending("coded").appending(key), "this age band has no codes for a parameter")
            }
        }
        return (numeric, coded)
    }

    private static func validate(numericBands bands: [NumericBand], at path: FieldPath) throws(TriageScoringError) {
        guard !bands.isEmpty else { throw malformed(path, "a numeric parameter needs at least one band") }
        var previous: Double?
        for (index, band) in bands.enumerated() {
            let bandPath = path.appending(index: index)
            guard (0...100).contains(band.points) else {
                throw malformed(bandPath.appending("points"), "points must be 0 to 100")
            }
            let isLast = index == bands.count - 1
            guard let upper = band.upperBound else {
                guard isLast else {
                    throw malformed(bandPath.appending("upperBound"), "only the final band may be open")
                }
                continue
            }
            guard !isLast else {
                throw malformed(
                    bandPath.appending("upperBound"),
                    "the final band must be open, so that every value scores"
                )
            }
            guard upper.isFinite else {
                throw malformed(bandPath.appending("upperBound"), "an upper bound must be a finite number")
            }
            if let previous, upper <= previous {
                throw malformed(bandPath.appending("upperBound"), "upper bounds must be in strictly ascending order")
            }
            previous = upper
        }
    }

    private static func validate(codes: [String: Int], at path: FieldPath) throws(TriageScoringError) {
        guard !codes.isEmpty else { throw malformed(path, "a coded parameter needs at least one code") }
        for code in codes.keys.sorted() {
            guard !code.isEmpty, !code.allSatisfy(\.isWhitespace) else {
                throw malformed(path, "a code cannot be empty")
            }
            guard let points = codes[code], (0...100).contains(points) else {
                throw malformed(path.appending(code), "points must be 0 to 100")
            }
        }
    }

    private static func validate(tiers: [EscalationTier]) throws(TriageScoringError) {
        guard !tiers.isEmpty else { throw malformed(FieldPath("escalationTiers"), "the chart has no escalation tiers") }
        var names: Set<String> = []
        for (index, tier) in tiers.enumerated() {
            let path = FieldPath("escalationTiers").appending(index: index)
            try requireText(tier.name, at: path.appending("name"), "a tier needs a name")
            guard names.insert(tier.name).inserted else {
                throw malformed(path.appending("name"), "two tiers have the same name")
            }
            guard tier.minimumTotal >= 0 else {
                throw malformed(path.appending("minimumTotal"), "a tier's minimum total cannot be negative")
            }
            if index > 0, tier.minimumTotal <= tiers[index - 1].minimumTotal {
                throw malformed(
                    path.appending("minimumTotal"),
                    "tiers must be in strictly ascending order of minimum total"
                )
            }
        }
    }

    private static func validate(
        triggers: [MandatoryTrigger],
        tiers: [EscalationTier]
    ) throws(TriageScoringError) {
        var concerns: Set<String> = []
        for (index, trigger) in triggers.enumerated() {
            let path = FieldPath("mandatoryTriggers").appending(index: index)
            guard isValidKey(trigger.concern) else {
                throw malformed(
                    path.appending("concern"),
                    "a concern key must be lower-case letters, digits and hyphens"
                )
            }
            guard concerns.insert(trigger.concern).inserted else {
                throw malformed(path.appending("concern"), "a concern has two triggers")
            }
            guard tiers.contains(where: { $0.name == trigger.tier }) else {
                throw malformed(path.appending("tier"), "a trigger names a tier the chart does not have")
            }
        }
    }
}
