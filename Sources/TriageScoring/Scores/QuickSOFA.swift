import CareCore

/// The quick Sequential Organ Failure Assessment (qSOFA): a bedside **screening prompt** for adults with
/// suspected infection, not a diagnosis of sepsis.
///
/// Source: Singer M, Deutschman CS, Seymour CW, et al. *The Third International Consensus Definitions for
/// Sepsis and Septic Shock (Sepsis-3)*. JAMA 2016; 315(8): 801–810. One point for each criterion:
///
/// | Criterion | Met when |
/// |---|---|
/// | Respiratory rate | 22 a minute or more |
/// | Systolic blood pressure | 100 mmHg or less |
/// | Altered mentation | a Glasgow Coma Scale below 15, or any level other than alert |
///
/// A score of 2 or more (``threshold``) marks a higher risk of a poor outcome and should prompt a clinician to
/// look for organ dysfunction. A score below 2 does not rule sepsis out. The Surviving Sepsis Campaign's 2021
/// guidelines advise **against** using qSOFA as a single screening tool, compared with SIRS, NEWS or MEWS, and
/// NHS services screen adults in hospital with NEWS2; use this score alongside them, never instead.
///
/// Any input may be missing. A missing criterion is never counted as not met: the assessment is
/// ``Assessment/incomplete(missing:criteriaMet:)``. Because points only add, criteria already met are still
/// reported, and two of them meet the threshold whatever the missing one would show.
///
/// ```swift
/// let qSOFA = QuickSOFA(respiratoryRate: 24, systolicBloodPressure: 98, alteredMentation: nil)
/// let assessment = try qSOFA.assess()
/// print(assessment.meetsThreshold as Any)  // Optional(true), though incomplete
/// ```
public struct QuickSOFA: Hashable, Sendable {
    /// One of the three qSOFA criteria, in the order Sepsis-3 lists them.
    public enum Criterion: Int, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
        /// Respiratory rate of 22 a minute or more.
        case respiratoryRate
        /// Systolic blood pressure of 100 mmHg or less.
        case systolicBloodPressure
        /// Altered mentation: a GCS below 15, or not alert.
        case alteredMentation

        /// The criterion as a field name, such as `respiratoryRate`.
        public var fieldName: String {
            switch self {
            case .respiratoryRate: return "respiratoryRate"
            case .systolicBloodPressure: return "systolicBloodPressure"
            case .alteredMentation: return "alteredMentation"
            }
        }

        /// The criterion in words, such as `respiratory rate ≥22/min`.
        public var description: String {
            switch self {
            case .respiratoryRate: return "respiratory rate ≥22/min"
            case .systolicBloodPressure: return "systolic blood pressure ≤100 mmHg"
            case .alteredMentation: return "altered mentation"
            }
        }

        /// Orders criteria as Sepsis-3 lists them.
        ///
        /// - Parameters:
        ///   - lhs: A criterion.
        ///   - rhs: Another criterion.
        /// - Returns: Whether `lhs` comes first.
        public static func < (lhs: Criterion, rhs: Criterion) -> Bool {
            lhs.rawValue < rhs.rawValue
        }
    }

    /// What assessing the inputs gives: a score, or the finding that some inputs are missing.
    public enum Assessment: Hashable, Sendable, CustomStringConvertible {
        /// Every input was given; the score is the number of criteria met.
        case complete(criteriaMet: [Criterion])
        /// Some inputs were missing, listed in order; the criteria met among the inputs given are kept.
        case incomplete(missing: [Criterion], criteriaMet: [Criterion])

        /// The criteria met, in order; for an incomplete assessment, those met among the inputs given.
        public var criteriaMet: [Criterion] {
            switch self {
            case .complete(let met): return met
            case .incomplete(_, let met): return met
            }
        }

        /// The criteria whose input is missing, in order; empty when complete.
        public var missing: [Criterion] {
            if case .incomplete(let missing, _) = self { return missing }
            return []
        }

        /// Whether every input was given.
        public var isComplete: Bool { missing.isEmpty }

        /// The score, 0–3, when every input was given; `nil` when any is missing (never counted as 0).
        public var score: Int? {
            if case .complete(let met) = self { return met.count }
            return nil
        }

        /// Whether the score reaches the threshold of 2, as far as the inputs can tell.
        ///
        /// `true` whenever two criteria are met, **even if the third input is missing**. `false` when the score is
        /// below 2, or when the criteria not met plus the missing ones could not reach 2 whatever the missing
        /// inputs show. `nil` when the missing inputs decide it.
        public var meetsThreshold: Bool? {
            let met = criteriaMet.count
            if met >= QuickSOFA.threshold { return true }
            if met + missing.count < QuickSOFA.threshold { return false }
            return nil
        }

        /// The assessment in one line, such as `qSOFA 2 (meets threshold: …)`.
        public var description: String {
            let met = criteriaMet.isEmpty ? "no criteria met" : criteriaMet.map(\.description).joined(separator: ", ")
            switch self {
            case .complete(let criteria):
                let verdict = criteria.count >= QuickSOFA.threshold ? "meets threshold" : "below threshold"
                return "qSOFA \(criteria.count) (\(verdict): \(met))"
            case .incomplete(let missing, _):
                var text = "qSOFA incomplete: missing \(missing.map(\.fieldName).joined(separator: ", ")); \(met)"
                if meetsThreshold == true { text += "; meets threshold" }
                return text
            }
        }
    }

    /// The score from which the criteria call for a clinician's review: 2.
    public static let threshold = 2

    /// Respiratory rate, breaths a minute, if observed.
    public var respiratoryRate: Double?
    /// Systolic blood pressure, mmHg, if observed.
    public var systolicBloodPressure: Double?
    /// Whether mentation is altered (a GCS below 15, or not alert), if assessed.
    public var alteredMentation: Bool?

    /// Creates the inputs of a qSOFA score.
    ///
    /// - Parameters:
    ///   - respiratoryRate: Breaths a minute.
    ///   - systolicBloodPressure: mmHg.
    ///   - alteredMentation: Whether mentation is altered: a GCS below 15 or any level other than alert.
    public init(respiratoryRate: Double? = nil, systolicBloodPressure: Double? = nil, alteredMentation: Bool? = nil) {
        self.respiratoryRate = respiratoryRate
        self.systolicBloodPressure = systolicBloodPressure
        self.alteredMentation = alteredMentation
    }

    /// Creates the inputs of a qSOFA score, taking mentation from a GCS and an ACVPU level.
    ///
    /// - Parameters:
    ///   - respiratoryRate: Breaths a minute.
    ///   - systolicBloodPressure: mmHg.
    ///   - glasgowComaScale: The patient's GCS, if assessed.
    ///   - consciousness: The patient's ACVPU level, if assessed.
    public init(
        respiratoryRate: Double?,
        systolicBloodPressure: Double?,
        glasgowComaScale: GlasgowComaScale?,
        consciousness: ACVPU?
    ) {
        self.init(
            respiratoryRate: respiratoryRate,
            systolicBloodPressure: systolicBloodPressure,
            alteredMentation: Self.alteredMentation(glasgowComaScale: glasgowComaScale, consciousness: consciousness)
        )
    }

    /// Whether mentation is altered, from a GCS and an ACVPU level.
    ///
    /// Altered when either finding says so (``GlasgowComaScale/isBelow15`` is `true`, or the level is anything
    /// but alert); not altered when neither does and at least one says it is not (a GCS of 15, or alert); `nil`
    /// when neither was given or the GCS alone cannot tell.
    ///
    /// - Parameters:
    ///   - glasgowComaScale: The patient's GCS, if assessed.
    ///   - consciousness: The patient's ACVPU level, if assessed.
    /// - Returns: Whether mentation is altered, or `nil` when unknown.
    public static func alteredMentation(glasgowComaScale: GlasgowComaScale?, consciousness: ACVPU?) -> Bool? {
        let findings = [glasgowComaScale?.isBelow15, consciousness?.isAltered]
        if findings.contains(true) { return true }
        if findings.contains(false) { return false }
        return nil
    }

    /// Assesses the inputs.
    ///
    /// - Returns: The score when every input was given; otherwise what is missing and which criteria the given
    ///   inputs meet.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/impossibleValue`` and field
    ///   `respiratoryRate` or `systolicBloodPressure` when a measurement is not a number or physically impossible
    ///   (the ranges of ``NEWS2Observations/possibleRange(of:)``).
    /// - Complexity: O(1).
    public func assess() throws(TriageScoringError) -> Assessment {
        var met: [Criterion] = []
        var missing: [Criterion] = []
        if let respiratoryRate {
            try TriageScoringError.checkPossible(
                respiratoryRate,
                in: NEWS2Observations.possibleRange(of: .respirationRate) ?? 0...200,
                field: FieldPath(Criterion.respiratoryRate.fieldName),
                name: "respiratory rate"
            )
            if respiratoryRate >= 22 { met.append(.respiratoryRate) }
        } else {
            missing.append(.respiratoryRate)
        }
        if let systolicBloodPressure {
            try TriageScoringError.checkPossible(
                systolicBloodPressure,
                in: NEWS2Observations.possibleRange(of: .systolicBloodPressure) ?? 0...400,
                field: FieldPath(Criterion.systolicBloodPressure.fieldName),
                name: "systolic blood pressure"
            )
            if systolicBloodPressure <= 100 { met.append(.systolicBloodPressure) }
        } else {
            missing.append(.systolicBloodPressure)
        }
        if let alteredMentation {
            if alteredMentation { met.append(.alteredMentation) }
        } else {
            missing.append(.alteredMentation)
        }
        return missing.isEmpty ? .complete(criteriaMet: met) : .incomplete(missing: missing, criteriaMet: met)
    }
}
