public import CareCore

/// The clinical risk and response a NEWS2 score calls for (RCP NEWS2, 2017, Charts 3 and 4).
///
/// | Case | When | Minimum monitoring |
/// |---|---|---|
/// | ``none`` | aggregate 0 | 12-hourly |
/// | ``low`` | aggregate 1–4, no parameter scoring 3 | 4–6-hourly |
/// | ``lowMedium`` | a parameter scoring 3 and an aggregate of 4 or less | 1-hourly |
/// | ``medium`` | aggregate 5–6 | 1-hourly |
/// | ``high`` | aggregate 7 or more | continuous |
///
/// The RCP chart calls an aggregate of 0 "low" clinical risk; ``none`` is kept apart because its monitoring
/// frequency differs, and ``riskLabel`` gives the chart's word.
public enum NEWS2Response: Int, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    /// Aggregate 0: continue routine NEWS monitoring.
    case none
    /// Aggregate 1–4: a ward-based response.
    case low
    /// A score of 3 in any single parameter: an urgent ward-based response.
    case lowMedium
    /// Aggregate 5–6: the key threshold for an urgent response.
    case medium
    /// Aggregate 7 or more: an urgent or emergency response.
    case high

    /// The clinical risk as the RCP's Chart 3 words it: `Low`, `Low–medium`, `Medium` or `High`.
    public var riskLabel: String {
        switch self {
        case .none, .low: return "Low"
        case .lowMedium: return "Low–medium"
        case .medium: return "Medium"
        case .high: return "High"
        }
    }

    /// The minimum frequency of monitoring (RCP NEWS2, 2017, Chart 4).
    public var minimumMonitoring: MonitoringFrequency {
        switch self {
        case .none: return .every(.seconds(12 * 3600))
        case .low: return .everyBetween(.seconds(4 * 3600), .seconds(6 * 3600))
        case .lowMedium, .medium: return .every(.seconds(3600))
        case .high: return .continuous
        }
    }

    /// The clinical response in brief, summarised from RCP NEWS2 Chart 4.
    public var clinicalResponse: String {
        switch self {
        case .none:
            return "Continue routine NEWS monitoring."
        case .low:
            return "Inform the registered nurse, who must assess the patient and decide whether to increase "
                + "monitoring or escalate care."
        case .lowMedium:
            return "The registered nurse informs the medical team caring for the patient, who review and decide "
                + "whether escalation is needed."
        case .medium:
            return "The registered nurse immediately informs the medical team and asks for an urgent assessment by "
                + "a clinician or team with core competencies in acute illness; care in an environment with "
                + "monitoring facilities."
        case .high:
            return "The registered nurse immediately informs the medical team (at least specialist registrar "
                + "level); emergency assessment by a team with critical-care competencies, including advanced "
                + "airway management; consider transfer to level 2 or 3 care."
        }
    }

    /// Orders responses from least to most urgent.
    ///
    /// - Parameters:
    ///   - lhs: A response.
    ///   - rhs: Another response.
    /// - Returns: Whether `lhs` is less urgent.
    public static func < (lhs: NEWS2Response, rhs: NEWS2Response) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The response's name, such as `low-medium`.
    public var description: String {
        switch self {
        case .none: return "none"
        case .low: return "low"
        case .lowMedium: return "low-medium"
        case .medium: return "medium"
        case .high: return "high"
        }
    }
}
