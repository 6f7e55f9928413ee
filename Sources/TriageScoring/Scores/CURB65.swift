import CareCore

/// A serum urea concentration in **millimoles per litre**, the unit UK laboratories report.
///
/// CURB-65's urea criterion is a urea above 7 mmol/L. A blood urea nitrogen (BUN) in mg/dL, as US laboratories
/// report, is a different measurement in a different unit and must never be passed here: its numbers (a
/// threshold near 19–20 mg/dL) would score wrongly without any error.
public struct Urea: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The concentration in mmol/L.
    public let millimolesPerLitre: Double

    /// Creates a urea concentration.
    ///
    /// - Parameter millimolesPerLitre: The concentration in mmol/L.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/impossibleValue`` and field `urea`
    ///   when the value is negative or not a finite number.
    public init(millimolesPerLitre: Double) throws(TriageScoringError) {
        try TriageScoringError.checkPossible(
            millimolesPerLitre,
            in: 0...Double.infinity,
            field: FieldPath("urea"),
            name: "urea (mmol/L)"
        )
        self.millimolesPerLitre = millimolesPerLitre
    }

    /// Orders concentrations.
    ///
    /// - Parameters:
    ///   - lhs: A concentration.
    ///   - rhs: Another concentration.
    /// - Returns: Whether `lhs` is lower.
    public static func < (lhs: Urea, rhs: Urea) -> Bool {
        lhs.millimolesPerLitre < rhs.millimolesPerLitre
    }

    /// The concentration with its unit, such as `7.1 mmol/L`.
    public var description: String { "\(millimolesPerLitre) mmol/L" }
}

/// One criterion of CURB-65 and CRB-65, in the order of the acronym.
public enum PneumoniaSeverityCriterion: Int, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    /// Confusion: an abbreviated mental test score of 8 or less, or new disorientation in person, place or time.
    case confusion
    /// Urea above 7 mmol/L (CURB-65 only).
    case urea
    /// Respiratory rate of 30 a minute or more.
    case respiratoryRate
    /// Systolic blood pressure below 90 mmHg, or diastolic 60 mmHg or less.
    case bloodPressure
    /// Age 65 or over.
    case age

    /// The criterion in words, such as `urea >7 mmol/L`.
    public var description: String {
        switch self {
        case .confusion: return "confusion"
        case .urea: return "urea >7 mmol/L"
        case .respiratoryRate: return "respiratory rate ≥30/min"
        case .bloodPressure: return "systolic <90 or diastolic ≤60 mmHg"
        case .age: return "age ≥65"
        }
    }

    /// Orders criteria as the acronym does.
    ///
    /// - Parameters:
    ///   - lhs: A criterion.
    ///   - rhs: Another criterion.
    /// - Returns: Whether `lhs` comes first.
    public static func < (lhs: PneumoniaSeverityCriterion, rhs: PneumoniaSeverityCriterion) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// The risk of death within 30 days that a CURB-65 or CRB-65 score places a patient with community-acquired
/// pneumonia in (NICE CG191).
public enum PneumoniaMortalityRisk: Int, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    /// Low risk.
    case low
    /// Intermediate risk.
    case intermediate
    /// High risk.
    case high

    /// Orders risks from lowest to highest.
    ///
    /// - Parameters:
    ///   - lhs: A risk.
    ///   - rhs: Another risk.
    /// - Returns: Whether `lhs` is lower.
    public static func < (lhs: PneumoniaMortalityRisk, rhs: PneumoniaMortalityRisk) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// `low`, `intermediate` or `high`.
    public var description: String {
        switch self {
        case .low: return "low"
        case .intermediate: return "intermediate"
        case .high: return "high"
        }
    }
}

/// A CURB-65 score for an adult with community-acquired pneumonia, used in hospital where urea is available.
///
/// Sources: Lim WS et al., *Defining community acquired pneumonia severity on presentation to hospital: an
/// international derivation and validation study*, Thorax 2003; 58: 377–382; NICE guideline CG191, *Pneumonia
/// in adults: diagnosis and management*. One point for each criterion:
///
/// | Criterion | Met when |
/// |---|---|
/// | Confusion | AMTS 8 or less, or new disorientation in person, place or time |
/// | Urea | above 7 mmol/L (7.0 is not met) |
/// | Respiratory rate | 30 a minute or more |
/// | Blood pressure | systolic below 90 mmHg, or diastolic 60 mmHg or less |
/// | Age | 65 or over |
///
/// | Score | Risk | 30-day mortality |
/// |---|---|---|
/// | 0–1 | low | below 3% |
/// | 2 | intermediate | 3–15% |
/// | 3–5 | high | above 15% |
///
/// The score supports, and does not replace, clinical judgement. Use ``CRB65`` where urea is not available.
public struct CURB65: Hashable, Sendable, CustomStringConvertible {
    /// The criteria met, in the order of the acronym.
    public let criteriaMet: [PneumoniaSeverityCriterion]
    /// The score, 0–5.
    public var total: Int { criteriaMet.count }
    /// The risk band of the score.
    public let risk: PneumoniaMortalityRisk

    /// Scores CURB-65.
    ///
    /// - Parameters:
    ///   - confusion: Whether the patient is confused: AMTS 8 or less, or new disorientation.
    ///   - urea: Serum urea in mmol/L.
    ///   - respiratoryRate: Breaths a minute.
    ///   - systolicBloodPressure: mmHg.
    ///   - diastolicBloodPressure: mmHg.
    ///   - ageInYears: Age in completed years.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/impossibleValue`` naming the field
    ///   (`respiratoryRate`, `systolicBloodPressure`, `diastolicBloodPressure` or `ageInYears`) when a value is
    ///   not a number or physically impossible.
    public init(
        confusion: Bool,
        urea: Urea,
        respiratoryRate: Double,
        systolicBloodPressure: Double,
        diastolicBloodPressure: Double,
        ageInYears: Int
    ) throws(TriageScoringError) {
        var met = try PneumoniaSeverityInputs.criteriaMet(
            confusion: confusion,
            respiratoryRate: respiratoryRate,
            systolicBloodPressure: systolicBloodPressure,
            diastolicBloodPressure: diastolicBloodPressure,
            ageInYears: ageInYears
        )
        if urea.millimolesPerLitre > 7 { met.append(.urea) }
        met.sort()
        self.criteriaMet = met
        self.risk = Self.risk(total: met.count)
    }

    /// The risk band of a CURB-65 score: 0–1 low, 2 intermediate, 3–5 high.
    ///
    /// - Parameter total: The score.
    /// - Returns: The band.
    public static func risk(total: Int) -> PneumoniaMortalityRisk {
        if total >= 3 { return .high }
        if total == 2 { return .intermediate }
        return .low
    }

    /// The 30-day mortality of the risk band, as NICE CG191 gives it: `<3%`, `3–15%` or `>15%`.
    public var thirtyDayMortality: String {
        switch risk {
        case .low: return "<3%"
        case .intermediate: return "3–15%"
        case .high: return ">15%"
        }
    }

    /// The score in one line, such as `CURB-65 2 (intermediate risk, 30-day mortality 3–15%)`.
    public var description: String {
        "CURB-65 \(total) (\(risk) risk, 30-day mortality \(thirtyDayMortality))"
    }
}

/// A CRB-65 score for an adult with community-acquired pneumonia, used in the community where urea is not
/// measured.
///
/// Sources: as ``CURB65``; the bands are those of NICE CG191. The criteria are CURB-65's without urea.
///
/// | Score | Risk | 30-day mortality |
/// |---|---|---|
/// | 0 | low | below 1% |
/// | 1–2 | intermediate | 1–10% |
/// | 3–4 | high | above 10% |
public struct CRB65: Hashable, Sendable, CustomStringConvertible {
    /// The criteria met, in the order of the acronym; never ``PneumoniaSeverityCriterion/urea``.
    public let criteriaMet: [PneumoniaSeverityCriterion]
    /// The score, 0–4.
    public var total: Int { criteriaMet.count }
    /// The risk band of the score.
    public let risk: PneumoniaMortalityRisk

    /// Scores CRB-65.
    ///
    /// - Parameters:
    ///   - confusion: Whether the patient is confused: AMTS 8 or less, or new disorientation.
    ///   - respiratoryRate: Breaths a minute.
    ///   - systolicBloodPressure: mmHg.
    ///   - diastolicBloodPressure: mmHg.
    ///   - ageInYears: Age in completed years.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/impossibleValue`` naming the field
    ///   (`respiratoryRate`, `systolicBloodPressure`, `diastolicBloodPressure` or `ageInYears`) when a value is
    ///   not a number or physically impossible.
    public init(
        confusion: Bool,
        respiratoryRate: Double,
        systolicBloodPressure: Double,
        diastolicBloodPressure: Double,
        ageInYears: Int
    ) throws(TriageScoringError) {
        self.criteriaMet = try PneumoniaSeverityInputs.criteriaMet(
            confusion: confusion,
            respiratoryRate: respiratoryRate,
            systolicBloodPressure: systolicBloodPressure,
            diastolicBloodPressure: diastolicBloodPressure,
            ageInYears: ageInYears
        )
        self.risk = Self.risk(total: criteriaMet.count)
    }

    /// The risk band of a CRB-65 score: 0 low, 1–2 intermediate, 3–4 high.
    ///
    /// - Parameter total: The score.
    /// - Returns: The band.
    public static func risk(total: Int) -> PneumoniaMortalityRisk {
        if total >= 3 { return .high }
        if total >= 1 { return .intermediate }
        return .low
    }

    /// The 30-day mortality of the risk band, as NICE CG191 gives it: `<1%`, `1–10%` or `>10%`.
    public var thirtyDayMortality: String {
        switch risk {
        case .low: return "<1%"
        case .intermediate: return "1–10%"
        case .high: return ">10%"
        }
    }

    /// The score in one line, such as `CRB-65 1 (intermediate risk, 30-day mortality 1–10%)`.
    public var description: String {
        "CRB-65 \(total) (\(risk) risk, 30-day mortality \(thirtyDayMortality))"
    }
}

/// The checks and criteria CURB-65 and CRB-65 share.
enum PneumoniaSeverityInputs {
    /// The possible range of a diastolic blood pressure, mmHg.
    static let diastolicRange: ClosedRange<Double> = 0...300
    /// The possible range of an age, years.
    static let ageRange: ClosedRange<Int> = 0...150

    /// Checks the shared inputs and returns the shared criteria they meet, in acronym order.
    static func criteriaMet(
        confusion: Bool,
        respiratoryRate: Double,
        systolicBloodPressure: Double,
        diastolicBloodPressure: Double,
        ageInYears: Int
    ) throws(TriageScoringError) -> [PneumoniaSeverityCriterion] {
        try TriageScoringError.checkPossible(
            respiratoryRate,
            in: NEWS2Observations.possibleRange(of: .respirationRate) ?? 0...200,
            field: FieldPath("respiratoryRate"),
            name: "respiratory rate"
        )
        try TriageScoringError.checkPossible(
            systolicBloodPressure,
            in: NEWS2Observations.possibleRange(of: .systolicBloodPressure) ?? 0...400,
            field: FieldPath("systolicBloodPressure"),
            name: "systolic blood pressure"
        )
        try TriageScoringError.checkPossible(
            diastolicBloodPressure,
            in: diastolicRange,
            field: FieldPath("diastolicBloodPressure"),
            name: "diastolic blood pressure"
        )
        try TriageScoringError.checkPossible(ageInYears, in: ageRange, field: FieldPath("ageInYears"), name: "age")
        var met: [PneumoniaSeverityCriterion] = []
        if confusion { met.append(.confusion) }
        if respiratoryRate >= 30 { met.append(.respiratoryRate) }
        if systolicBloodPressure < 90 || diastolicBloodPressure <= 60 { met.append(.bloodPressure) }
        if ageInYears >= 65 { met.append(.age) }
        return met
    }
}
