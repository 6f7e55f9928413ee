import CareCore

/// How urgent an escalation alert is.
public enum AlertSeverity: Int, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    /// A clinical review by the virtual-ward team.
    case review
    /// An urgent assessment.
    case urgent
    /// An emergency response.
    case emergency

    /// Orders severities from least to most urgent.
    ///
    /// - Parameters:
    ///   - lhs: A severity.
    ///   - rhs: Another severity.
    /// - Returns: Whether `lhs` is less urgent.
    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The severity's name.
    public var description: String {
        switch self {
        case .review: return "review"
        case .urgent: return "urgent"
        case .emergency: return "emergency"
        }
    }
}

/// The rules that turn a virtual-ward patient's observations into escalation alerts, and how unacknowledged
/// alerts escalate.
///
/// The defaults combine the RCP NEWS2 thresholds (Charts 3 and 4) with the oximetry thresholds of NHS
/// England's *COVID Oximetry @home* standard operating procedure; the rise-over-baseline rule and the
/// acknowledgement windows are local virtual-ward practice, not a national standard, and every value is
/// configuration for the ward's clinical safety officer to agree:
///
/// | Rule | Default | Severity |
/// |---|---|---|
/// | NEWS2 aggregate | ≥ 7 / ≥ 5 | emergency / urgent |
/// | any single parameter scoring 3 | on | urgent |
/// | rise over the patient's baseline NEWS2 | ≥ 2 | review |
/// | SpO2 on Scale 1 | ≤ 92% / 93–94% | urgent / review |
/// | SpO2 on Scale 2 (target 88–92%) | below 88% | urgent |
/// | an observation overdue against the schedule | on | review |
/// | a gap in continuously monitored data | 15 minutes | review |
///
/// An alert nobody acknowledges escalates one step along ``escalationChain`` each time its severity's
/// window passes: 5 minutes for emergency, 15 for urgent and 60 for review by default.
public struct EscalationRules: Hashable, Sendable {
    /// The aggregate from which an alert is an emergency; `nil` to turn the rule off.
    public var emergencyAggregate: Int?
    /// The aggregate from which an alert is urgent; `nil` to turn the rule off.
    public var urgentAggregate: Int?
    /// Whether a 3 in any single parameter raises an urgent alert, in complete and incomplete sets alike.
    public var anySingleThree: Bool
    /// The rise over the patient's baseline NEWS2 that raises a review alert; `nil` to turn the rule off.
    public var riseOverBaseline: Int?
    /// On SpO2 Scale 1, a saturation at or below this is urgent.
    public var scale1UrgentAtOrBelow: Double?
    /// On SpO2 Scale 1, a saturation at or below this (and above the urgent threshold) needs review.
    public var scale1ReviewAtOrBelow: Double?
    /// On SpO2 Scale 2, a saturation below this is urgent: the bottom of the prescribed 88–92% range.
    public var scale2UrgentBelow: Double?
    /// Whether an observation overdue against the patient's schedule raises a review alert.
    public var overdueObservations: Bool
    /// Whether a NEWS2 response that calls for more frequent monitoring than the schedule shortens the
    /// interval of the NEWS2 observations (1-hourly after a medium response, for example; a high response
    /// calls for continuous monitoring, held to ``continuousGapMinutes``).
    public var tightenScheduleToNEWS2: Bool
    /// For an observation monitored continuously, the longest gap in its data, in minutes, before it counts
    /// as overdue; `nil` to leave continuous observations unchecked.
    public var continuousGapMinutes: Int?
    /// How long an alert of each severity may wait for acknowledgement before it escalates, in minutes,
    /// indexed by the severity's raw value (review, urgent, emergency).
    public private(set) var acknowledgementMinutes: [Int]
    /// Who an unacknowledged alert goes to at each level: the first entry is where every alert starts.
    public var escalationChain: [String]

    /// The defaults in the table above.
    public static let standard = EscalationRules()

    /// Creates rules; every argument has the default in the table above.
    ///
    /// - Parameters:
    ///   - emergencyAggregate: The emergency threshold; 7.
    ///   - urgentAggregate: The urgent threshold; 5.
    ///   - anySingleThree: Whether a single 3 is urgent; on.
    ///   - riseOverBaseline: The rise that needs review; 2.
    ///   - scale1UrgentAtOrBelow: Scale 1 urgent saturation; 92.
    ///   - scale1ReviewAtOrBelow: Scale 1 review saturation; 94.
    ///   - scale2UrgentBelow: Scale 2 urgent saturation; 88.
    ///   - overdueObservations: Whether overdue observations raise alerts; on.
    ///   - tightenScheduleToNEWS2: Whether the NEWS2 response shortens the schedule; on.
    ///   - continuousGapMinutes: The longest gap in continuous data; 15 minutes.
    ///   - acknowledgementMinutes: Minutes to acknowledge review, urgent and emergency alerts; 60, 15 and 5.
    ///   - escalationChain: Who alerts go to, level by level.
    public init(
        emergencyAggregate: Int? = 7,
        urgentAggregate: Int? = 5,
        anySingleThree: Bool = true,
        riseOverBaseline: Int? = 2,
        scale1UrgentAtOrBelow: Double? = 92,
        scale1ReviewAtOrBelow: Double? = 94,
        scale2UrgentBelow: Double? = 88,
        overdueObservations: Bool = true,
        tightenScheduleToNEWS2: Bool = true,
        continuousGapMinutes: Int? = 15,
        acknowledgementMinutes: (review: Int, urgent: Int, emergency: Int) = (60, 15, 5),
        escalationChain: [String] = ["virtual-ward nurse", "virtual-ward clinician", "on-call consultant"]
    ) {
        self.emergencyAggregate = emergencyAggregate
        self.urgentAggregate = urgentAggregate
        self.anySingleThree = anySingleThree
        self.riseOverBaseline = riseOverBaseline
        self.scale1UrgentAtOrBelow = scale1UrgentAtOrBelow
        self.scale1ReviewAtOrBelow = scale1ReviewAtOrBelow
        self.scale2UrgentBelow = scale2UrgentBelow
        self.overdueObservations = overdueObservations
        self.tightenScheduleToNEWS2 = tightenScheduleToNEWS2
        self.continuousGapMinutes = continuousGapMinutes
        self.acknowledgementMinutes = [
            acknowledgementMinutes.review, acknowledgementMinutes.urgent, acknowledgementMinutes.emergency,
        ]
        self.escalationChain = escalationChain
    }

    /// Checks that the rules can work: aggregates within 1–20 with the urgent one no higher than the
    /// emergency one, saturations within 0–100 with review above urgent, windows and gaps of a minute to a
    /// week, and someone to send alerts to.
    func validate() throws(TriageScoringError) {
        let week = 7 * 24 * 60
        guard acknowledgementMinutes.allSatisfy({ (1...week).contains($0) }) else {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath("rules.acknowledgementMinutes"),
                reason: "every severity needs an acknowledgement window of a minute to a week"
            )
        }
        for (name, aggregate) in [("emergencyAggregate", emergencyAggregate), ("urgentAggregate", urgentAggregate)] {
            if let aggregate, !(1...20).contains(aggregate) {
                throw TriageScoringError(.invalidValue, field: FieldPath("rules.\(name)"), reason: "NEWS2 runs 1 to 20")
            }
        }
        if let urgent = urgentAggregate, let emergency = emergencyAggregate, urgent > emergency {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath("rules.urgentAggregate"),
                reason: "the urgent aggregate cannot be above the emergency one"
            )
        }
        if let rise = riseOverBaseline, !(1...20).contains(rise) {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath("rules.riseOverBaseline"),
                reason: "a rise is 1 to 20"
            )
        }
        let saturations = [
            ("scale1UrgentAtOrBelow", scale1UrgentAtOrBelow), ("scale1ReviewAtOrBelow", scale1ReviewAtOrBelow),
            ("scale2UrgentBelow", scale2UrgentBelow),
        ]
        for (name, threshold) in saturations {
            if let threshold, !(0...100).contains(threshold) {
                throw TriageScoringError(
                    .invalidValue,
                    field: FieldPath("rules.\(name)"),
                    reason: "a saturation threshold is a number from 0 to 100"
                )
            }
        }
        if let urgent = scale1UrgentAtOrBelow, let review = scale1ReviewAtOrBelow, review < urgent {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath("rules.scale1ReviewAtOrBelow"),
                reason: "the review threshold cannot be below the urgent one"
            )
        }
        if let gap = continuousGapMinutes, !(1...week).contains(gap) {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath("rules.continuousGapMinutes"),
                reason: "a gap in continuous data must be a minute to a week"
            )
        }
        guard !escalationChain.isEmpty, escalationChain.allSatisfy({ !$0.allSatisfy(\.isWhitespace) }) else {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath("rules.escalationChain"),
                reason: "alerts need at least one named recipient"
            )
        }
    }

    /// The acknowledgement window of a severity.
    ///
    /// - Parameter severity: The severity.
    /// - Returns: How long an alert may wait before it escalates.
    public func acknowledgementWindow(for severity: AlertSeverity) -> Duration {
        .seconds(acknowledgementMinutes[severity.rawValue] * 60)
    }
}
