import Foundation

/// Scores observations with the National Early Warning Score 2.
///
/// Source: Royal College of Physicians, *National Early Warning Score (NEWS) 2: Standardising the
/// assessment of acute-illness severity in the NHS*, updated report of a working party, December 2017:
/// Chart 1 (the scoring bands), Chart 3 (thresholds and triggers) and Chart 4 (clinical response).
///
/// | Parameter | 3 | 2 | 1 | 0 | 1 | 2 | 3 |
/// |---|---|---|---|---|---|---|---|
/// | Respiration rate | ≤8 | | 9–11 | 12–20 | | 21–24 | ≥25 |
/// | SpO2 Scale 1 | ≤91 | 92–93 | 94–95 | ≥96 | | | |
/// | SpO2 Scale 2 | ≤83 | 84–85 | 86–87 | 88–92, or ≥93 on air | 93–94 on oxygen | 95–96 on oxygen | ≥97 on oxygen |
/// | Air or oxygen | | oxygen | | air | | | |
/// | Systolic BP | ≤90 | 91–100 | 101–110 | 111–219 | | | ≥220 |
/// | Pulse | ≤40 | | 41–50 | 51–90 | 91–110 | 111–130 | ≥131 |
/// | Consciousness | | | | alert | | | new confusion, V, P or U |
/// | Temperature | ≤35.0 | | 35.1–36.0 | 36.1–38.0 | 38.1–39.0 | ≥39.1 | |
///
/// A measurement with more precision than the chart is first rounded half up to the chart's precision, as
/// written in decimal: whole numbers, and tenths of a degree for temperature (91.4% → 91, 90.5 mmHg → 91,
/// 35.05 °C → 35.1). Every band is then an upper-bound comparison, so no value falls between two bands.
/// Oxygen adds 2 on either
/// scale. The response is ``NEWS2Response/high`` from an aggregate of 7, ``NEWS2Response/medium`` from 5,
/// ``NEWS2Response/lowMedium`` for a 3 in a single parameter with an aggregate of 4 or less,
/// ``NEWS2Response/low`` from 1 and ``NEWS2Response/none`` at 0.
///
/// NEWS2 is for adults aged 16 and over. It is not validated in pregnancy or in children: use an obstetric
/// early warning score or a paediatric chart (``EarlyWarningChart``) for them.
///
/// ```swift
/// let assessment = try NEWS2Scorer().assess(observations)
/// if let score = assessment.score {
///     print(score.total, score.response, score.minimumMonitoring)
/// }
/// ```
public struct NEWS2Scorer: Hashable, Sendable {
    /// How a red score (3 in a single parameter) with an aggregate of 4 or less is classed.
    public enum RedScorePolicy: Hashable, Sendable {
        /// As the RCP charts say: its own "low–medium" level with an urgent ward-based response.
        case rcpLowMedium
        /// As some trusts do locally: treated the same as an aggregate of 5–6.
        case treatAsMedium
    }

    /// How a red score is classed; the RCP wording by default.
    public var redScorePolicy: RedScorePolicy

    /// Creates a scorer.
    ///
    /// - Parameter redScorePolicy: How a red score with a low aggregate is classed; the RCP's low–medium by
    ///   default.
    public init(redScorePolicy: RedScorePolicy = .rcpLowMedium) {
        self.redScorePolicy = redScorePolicy
    }

    /// Scores a set of observations.
    ///
    /// - Parameter observations: The set, complete or not.
    /// - Returns: The score when every parameter was observed; otherwise what is missing and the points of
    ///   what was observed.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/impossibleValue`` when a value is
    ///   not a number or physically impossible, naming the parameter.
    /// - Complexity: O(1).
    public func assess(_ observations: NEWS2Observations) throws(TriageScoringError) -> NEWS2Assessment {
        try observations.validate()
        var points = NEWS2SubScores()
        var missing = false
        if let value = observations.respirationRate {
            points[.respirationRate] = Self.respirationRatePoints(Self.chartPrecision(value))
        } else {
            missing = true
        }
        if let value = observations.oxygenSaturation,
            let oxygenPoints = Self.oxygenSaturationPoints(
                Self.chartPrecision(value),
                scale2: observations.scale.isScale2,
                airOrOxygen: observations.airOrOxygen
            )
        {
            points[.oxygenSaturation] = oxygenPoints
        } else {
            missing = true
        }
        if let value = observations.airOrOxygen {
            points[.airOrOxygen] = value == .oxygen ? 2 : 0
        } else {
            missing = true
        }
        if let value = observations.systolicBloodPressure {
            points[.systolicBloodPressure] = Self.systolicBloodPressurePoints(Self.chartPrecision(value))
        } else {
            missing = true
        }
        if let value = observations.pulse {
            points[.pulse] = Self.pulsePoints(Self.chartPrecision(value))
        } else {
            missing = true
        }
        if let value = observations.consciousness {
            points[.consciousness] = value == .alert ? 0 : 3
        } else {
            missing = true
        }
        if let value = observations.temperature {
            points[.temperature] = Self.temperaturePoints(Self.chartPrecision(value, tenths: true))
        } else {
            missing = true
        }
        guard !missing else {
            return .incomplete(missing: observations.missing, partial: points)
        }
        let total = points.sum
        return .complete(
            NEWS2Score(
                subScores: points,
                total: total,
                response: response(total: total, redScore: points.hasRedScore),
                scale: observations.scale
            )
        )
    }

    /// The least response an assessment calls for: the response of a complete score, or for an incomplete
    /// set the response its observed parameters already reach, since points only add.
    ///
    /// Use it to escalate on an incomplete set, never to reassure: the missing parameters can only raise it.
    ///
    /// - Parameter assessment: The assessment.
    /// - Returns: The response, at least.
    public func minimumResponse(of assessment: NEWS2Assessment) -> NEWS2Response {
        switch assessment {
        case .complete(let score): return score.response
        case .incomplete(_, let partial): return response(total: partial.sum, redScore: partial.hasRedScore)
        }
    }

    /// The response an aggregate and red-score flag call for, under this scorer's red-score policy.
    ///
    /// - Parameters:
    ///   - total: The aggregate, 0–20.
    ///   - redScore: Whether any single parameter scored 3.
    /// - Returns: The response.
    public func response(total: Int, redScore: Bool) -> NEWS2Response {
        if total >= 7 { return .high }
        if total >= 5 { return .medium }
        if redScore { return redScorePolicy == .rcpLowMedium ? .lowMedium : .medium }
        if total >= 1 { return .low }
        return .none
    }

    /// A value rounded half up to the chart's precision: whole numbers, or tenths for temperature.
    ///
    /// The rounding follows the value as written in decimal (its shortest decimal form), so 35.05, whose
    /// nearest binary value lies just below 35.05, still rounds up to 35.1. Values already at the chart's
    /// precision take the fast path.
    ///
    /// - Parameters:
    ///   - value: A finite, non-negative measurement.
    ///   - tenths: Whether the chart's precision is a tenth (temperature) rather than a whole number.
    /// - Returns: The value at the chart's precision.
    @inline(__always)
    static func chartPrecision(_ value: Double, tenths: Bool = false) -> Double {
        if tenths {
            if (value * 10).rounded() / 10 == value { return value }
        } else if value.rounded() == value {
            return value
        }
        var written = Decimal(string: value.description) ?? Decimal(value)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &written, tenths ? 1 : 0, .plain)
        return NSDecimalNumber(decimal: rounded).doubleValue
    }

    /// Respiration rate: ≤8 → 3, 9–11 → 1, 12–20 → 0, 21–24 → 2, ≥25 → 3.
    static func respirationRatePoints(_ value: Double) -> Int {
        if value <= 8 { return 3 }
        if value <= 11 { return 1 }
        if value <= 20 { return 0 }
        if value <= 24 { return 2 }
        return 3
    }

    /// SpO2 on Scale 1 (≤91 → 3, 92–93 → 2, 94–95 → 1, ≥96 → 0) or Scale 2 (≤83 → 3, 84–85 → 2, 86–87 → 1,
    /// 88–92 → 0, and from 93: 0 on air, or 93–94 → 1, 95–96 → 2, ≥97 → 3 on oxygen). `nil` when a Scale 2
    /// saturation of 93 or more cannot be scored because air or oxygen was not recorded.
    static func oxygenSaturationPoints(_ value: Double, scale2: Bool, airOrOxygen: AirOrOxygen?) -> Int? {
        if !scale2 {
            if value <= 91 { return 3 }
            if value <= 93 { return 2 }
            if value <= 95 { return 1 }
            return 0
        }
        if value <= 83 { return 3 }
        if value <= 85 { return 2 }
        if value <= 87 { return 1 }
        if value <= 92 { return 0 }
        switch airOrOxygen {
        case nil: return nil
        case .air: return 0
        case .oxygen:
            if value <= 94 { return 1 }
            if value <= 96 { return 2 }
            return 3
        }
    }

    /// Systolic blood pressure: ≤90 → 3, 91–100 → 2, 101–110 → 1, 111–219 → 0, ≥220 → 3.
    static func systolicBloodPressurePoints(_ value: Double) -> Int {
        if value <= 90 { return 3 }
        if value <= 100 { return 2 }
        if value <= 110 { return 1 }
        if value <= 219 { return 0 }
        return 3
    }

    /// Pulse: ≤40 → 3, 41–50 → 1, 51–90 → 0, 91–110 → 1, 111–130 → 2, ≥131 → 3.
    static func pulsePoints(_ value: Double) -> Int {
        if value <= 40 { return 3 }
        if value <= 50 { return 1 }
        if value <= 90 { return 0 }
        if value <= 110 { return 1 }
        if value <= 130 { return 2 }
        return 3
    }

    /// Temperature: ≤35.0 → 3, 35.1–36.0 → 1, 36.1–38.0 → 0, 38.1–39.0 → 1, ≥39.1 → 2.
    static func temperaturePoints(_ value: Double) -> Int {
        if value <= 35.0 { return 3 }
        if value <= 36.0 { return 1 }
        if value <= 38.0 { return 0 }
        if value <= 39.0 { return 1 }
        return 2
    }
}
