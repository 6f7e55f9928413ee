public import CareCore
public import Foundation

/// Why an escalation alert was raised.
public enum EscalationReason: Hashable, Sendable, CustomStringConvertible {
    /// The NEWS2 aggregate reached a threshold; for an incomplete set, what was observed already did.
    case news2Aggregate(total: Int, complete: Bool)
    /// One or more parameters scored 3.
    case singleParameterThree([NEWS2Parameter])
    /// NEWS2 rose over the patient's baseline; for an incomplete set, what was observed already did.
    case riseOverBaseline(baseline: Int, total: Int, complete: Bool)
    /// Oxygen saturation fell below the patient's target on their scale.
    case saturationBelowTarget(scale2: Bool)
    /// A scheduled observation is overdue.
    case overdue(ObservationKind)

    /// A stable key for the rule, so that one open alert per patient and rule is kept.
    var ruleKey: String {
        switch self {
        case .news2Aggregate: return "news2-aggregate"
        case .singleParameterThree(let parameters):
            // Each parameter has its own alert, so a new red parameter is never folded into an open alert.
            return "single-parameter-3:" + parameters.map(\.fieldName).joined(separator: "+")
        case .riseOverBaseline: return "rise-over-baseline"
        case .saturationBelowTarget: return "saturation-below-target"
        case .overdue(let kind): return "overdue:\(kind.key)"
        }
    }

    /// The reason in words.
    public var description: String {
        switch self {
        case .news2Aggregate(let total, let complete):
            return complete ? "NEWS2 \(total)" : "NEWS2 at least \(total) (incomplete set)"
        case .singleParameterThree(let parameters):
            return "3 in a single parameter (\(parameters.map(\.description).joined(separator: ", ")))"
        case .riseOverBaseline(let baseline, let total, let complete):
            return "NEWS2 \(complete ? "" : "at least ")\(total), up from a baseline of \(baseline)"
        case .saturationBelowTarget(let scale2): return "SpO2 below target on \(scale2 ? "Scale 2" : "Scale 1")"
        case .overdue(let kind): return "\(kind.display) overdue"
        }
    }
}

/// An alert raised from a virtual-ward patient's observations, and what has happened to it since.
public struct EscalationAlert: Hashable, Sendable, Identifiable, CustomStringConvertible {
    /// Who acknowledged an alert, and when.
    public struct Acknowledgement: Hashable, Sendable {
        /// A clinician's role or staff identifier.
        public let by: String
        /// When.
        public let at: Date
    }

    /// The alert's number, unique within its monitor and increasing in the order alerts were raised.
    public let id: Int
    /// The patient.
    public let patient: RemoteMonitor.PatientID
    /// Why it was raised.
    public internal(set) var reason: EscalationReason
    /// How urgent it is.
    public let severity: AlertSeverity
    /// When it was raised.
    public let raisedAt: Date
    /// When the rule last fired again while the alert was open.
    public internal(set) var lastTriggeredAt: Date
    /// How many times the rule fired while the alert was open, counting the first.
    public internal(set) var occurrences: Int
    /// The escalation level: 0 for the first recipient, one more for each unacknowledged window.
    public internal(set) var level: Int
    /// When it last escalated, or was raised.
    public internal(set) var lastEscalatedAt: Date
    /// Who acknowledged it, and when; `nil` while it is open.
    public internal(set) var acknowledgement: Acknowledgement?

    /// Whether nobody has acknowledged it yet.
    public var isOpen: Bool { acknowledgement == nil }

    /// The alert in one line, such as `#3 urgent for VW-7: NEWS2 5 (level 0, open)`.
    public var description: String {
        let state = acknowledgement.map { "acknowledged by \($0.by)" } ?? "open"
        return "#\(id) \(severity) for \(patient): \(reason) (level \(level), \(state))"
    }
}

/// Something the monitor did: raised an alert, escalated one, or found a set it could not score.
public enum MonitorEvent: Hashable, Sendable, CustomStringConvertible {
    /// A new alert.
    case raised(EscalationAlert)
    /// An open alert went unacknowledged past its window and moved up the chain, to this recipient.
    case escalated(EscalationAlert, to: String)
    /// A set was incomplete: it was not scored, and aggregate and trend rules were not applied.
    case incompleteSet(RemoteMonitor.PatientID, missing: [NEWS2Parameter])

    /// The event in one line.
    public var description: String {
        switch self {
        case .raised(let alert): return "raised \(alert)"
        case .escalated(let alert, let recipient): return "escalated \(alert) to \(recipient)"
        case .incompleteSet(let patient, let missing):
            return
                "\(patient): incomplete set, not scored (missing \(missing.map(\.description).joined(separator: ", ")))"
        }
    }
}
