public import CareCore
public import Foundation

/// Remote monitoring for a virtual ward: each patient's stream of observations, the escalation alerts it
/// raises, their acknowledgement, and the escalation of alerts nobody acknowledges.
///
/// Each recorded set is scored with NEWS2 on the patient's own SpO2 scale and checked against the
/// ``EscalationRules``. A complete set feeds the aggregate and rise-over-baseline rules; an incomplete one is
/// reported as ``MonitorEvent/incompleteSet(_:missing:)`` and never scored as 0, while the single-parameter
/// and saturation rules still apply to what was observed. ``check(at:)`` raises alerts for overdue
/// observations and escalates open alerts whose acknowledgement window has passed; call it on a timer.
///
/// One open alert is kept per patient, rule and severity: the rule firing again while it is open counts an
/// occurrence instead of raising a duplicate, and a worse severity raises a new alert.
///
/// ```swift
/// var ward = try RemoteMonitor(rules: .standard)
/// try ward.enrol("VW-7", scale: .scale1, schedule: schedule, baseline: 1, at: now)
/// let events = try ward.record("VW-7", observations, at: now.addingTimeInterval(3600))
/// let later = try ward.check(at: now.addingTimeInterval(5400))   // escalations, overdue observations
/// try ward.acknowledge(alertID, by: "vw-nurse", at: now.addingTimeInterval(5500))
/// ```
public struct RemoteMonitor: Sendable {
    /// The tag of a patient's identifier on the ward.
    public enum Patient: Sendable {}
    /// A patient's identifier on the ward: a local identifier, not an NHS number.
    public typealias PatientID = EntityID<Patient>

    struct Stay {
        var scale: SpO2Scale
        var schedule: MonitoringSchedule
        var baseline: Int?
        var enrolledAt: Date
        var lastTaken: [ObservationKind: Date]
        var latestScore: NEWS2Score?
        /// When each kind was last alerted as overdue, so an acknowledged overdue alert is raised again only
        /// after another interval.
        var overdueAlertedAt: [ObservationKind: Date] = [:]
    }

    /// The rules.
    public let rules: EscalationRules
    /// How NEWS2 is scored.
    public let scorer: NEWS2Scorer
    /// The latest moment the monitor has seen.
    public private(set) var now: Date?

    private var stays: [PatientID: Stay] = [:]
    private var alerts: [EscalationAlert] = []
    private var alertIndex: [Int: Int] = [:]
    private var openKeys: [String: Int] = [:]

    /// Creates a monitor with no patients.
    ///
    /// - Parameters:
    ///   - rules: The escalation rules.
    ///   - scorer: The NEWS2 scorer; the RCP's red-score wording unless given.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/invalidValue`` for rules with an
    ///   acknowledgement window under a minute or nobody to escalate to.
    public init(rules: EscalationRules = .standard, scorer: NEWS2Scorer = NEWS2Scorer()) throws(TriageScoringError) {
        try rules.validate()
        self.rules = rules
        self.scorer = scorer
    }

    /// The patients on the ward, in identifier order.
    public var patients: [PatientID] { stays.keys.sorted() }

    /// Every alert, oldest first.
    public var allAlerts: [EscalationAlert] { alerts }

    /// The alerts nobody has acknowledged, most severe first, then oldest first.
    public var openAlerts: [EscalationAlert] {
        alerts.filter(\.isOpen).sorted { ($1.severity, $0.id) < ($0.severity, $1.id) }
    }

    /// The latest complete NEWS2 score of a patient.
    ///
    /// - Parameter patient: The patient.
    /// - Returns: The score, or `nil` before the first complete set.
    public func latestScore(of patient: PatientID) -> NEWS2Score? { stays[patient]?.latestScore }

    /// Puts a patient on the ward.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - scale: Their SpO2 scale; Scale 2 only with its recorded prescription.
    ///   - schedule: The observations to take and how often, from their care plan.
    ///   - baseline: Their baseline NEWS2, if the team has set one; otherwise the first complete set's score.
    ///   - at: When they came on to the ward; observations never taken are due from here.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/duplicate`` for a patient already on
    ///   the ward, ``TriageScoringError/Code/invalidValue`` for a baseline outside 0–20 or an identifier with
    ///   the shape of an NHS number (ten digits), or
    ///   ``TriageScoringError/Code/outOfOrder`` for a moment earlier than one already seen.
    public mutating func enrol(
        _ patient: PatientID,
        scale: SpO2Scale = .scale1,
        schedule: MonitoringSchedule,
        baseline: Int? = nil,
        at: Date
    ) throws(TriageScoringError) {
        try TriageQueue.refuseNHSNumberShape(patient.rawValue)
        guard stays[patient] == nil else {
            throw TriageScoringError(
                .duplicate,
                field: FieldPath("patient"),
                reason: "the patient is already on the ward"
            )
        }
        if let baseline, !(0...20).contains(baseline) {
            throw TriageScoringError(.invalidValue, field: FieldPath("baseline"), reason: "a NEWS2 baseline is 0 to 20")
        }
        try advance(to: at)
        stays[patient] = Stay(
            scale: scale,
            schedule: schedule,
            baseline: baseline,
            enrolledAt: at,
            lastTaken: [:],
            latestScore: nil
        )
    }

    /// Takes a patient off the ward; their open alerts are closed as acknowledged by the discharge.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - by: Who discharged them.
    ///   - at: When.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/notFound`` for a patient not on the
    ///   ward, or ``TriageScoringError/Code/outOfOrder`` for a moment earlier than one already seen.
    public mutating func discharge(_ patient: PatientID, by: String, at: Date) throws(TriageScoringError) {
        guard stays[patient] != nil else { throw Self.unknownPatient }
        try advance(to: at)
        stays[patient] = nil
        for index in alerts.indices where alerts[index].patient == patient && alerts[index].isOpen {
            close(index, by: "\(by) (discharge)", at: at)
        }
    }

    /// Records a set of observations and applies the rules.
    ///
    /// The set is scored on the patient's own SpO2 scale, whatever scale it carries.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - observations: The set; any parameter may be missing.
    ///   - at: When it was taken.
    /// - Returns: Alerts raised, and a note when the set was incomplete.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/notFound`` for a patient not on the
    ///   ward, ``TriageScoringError/Code/impossibleValue`` for an impossible value (nothing is recorded), or
    ///   ``TriageScoringError/Code/outOfOrder`` for a moment earlier than one already seen.
    public mutating func record(
        _ patient: PatientID,
        _ observations: NEWS2Observations,
        at: Date
    ) throws(TriageScoringError) -> [MonitorEvent] {
        guard var stay = stays[patient] else { throw Self.unknownPatient }
        var observations = observations
        observations.scale = stay.scale
        let assessment = try scorer.assess(observations)
        try advance(to: at)
        for parameter in NEWS2Parameter.allCases where observations.has(parameter) {
            stay.lastTaken[parameter.observationKind] = at
        }
        var events: [MonitorEvent] = []
        var triggered: [(EscalationReason, AlertSeverity)] = []
        // For an incomplete set the observed sum is a floor (points only add): it can escalate, never reassure.
        let total = assessment.minimumTotal
        let complete = assessment.isComplete
        if case .incomplete(let missing, _) = assessment { events.append(.incompleteSet(patient, missing: missing)) }
        if let threshold = rules.emergencyAggregate, total >= threshold {
            triggered.append((.news2Aggregate(total: total, complete: complete), .emergency))
        } else if let threshold = rules.urgentAggregate, total >= threshold {
            triggered.append((.news2Aggregate(total: total, complete: complete), .urgent))
        }
        if let rise = rules.riseOverBaseline, let baseline = stay.baseline, total - baseline >= rise {
            triggered.append((.riseOverBaseline(baseline: baseline, total: total, complete: complete), .review))
        }
        if let score = assessment.score {
            stay.latestScore = score
            if stay.baseline == nil { stay.baseline = score.total }
        }
        let observed = assessment.score?.subScores ?? Self.partial(assessment)
        if rules.anySingleThree {
            for parameter in observed.redScoreParameters {
                triggered.append((.singleParameterThree([parameter]), .urgent))
            }
        }
        if let saturation = observations.oxygenSaturation,
            let severity = saturationSeverity(saturation, scale: stay.scale)
        {
            triggered.append((.saturationBelowTarget(scale2: stay.scale.isScale2), severity))
        }
        stays[patient] = stay
        for (reason, severity) in triggered {
            if let alert = raise(reason, severity: severity, for: patient, at: at) { events.append(.raised(alert)) }
        }
        return events
    }

    /// Notes that observations outside NEWS2 were taken (a weight, a blood glucose), so that the schedule's
    /// other kinds are not reported overdue.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - kinds: The kinds taken.
    ///   - at: When.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/notFound`` for a patient not on the
    ///   ward, or ``TriageScoringError/Code/outOfOrder`` for a moment earlier than one already seen.
    public mutating func recordTaken(
        _ patient: PatientID,
        _ kinds: [ObservationKind],
        at: Date
    ) throws(TriageScoringError) {
        guard stays[patient] != nil else { throw Self.unknownPatient }
        try advance(to: at)
        for kind in kinds { stays[patient]?.lastTaken[kind] = at }
    }

    /// Raises alerts for overdue observations and escalates open alerts whose window has passed.
    ///
    /// An overdue alert that was acknowledged is raised again only after another of the kind's intervals
    /// without a reading.
    ///
    /// - Parameter now: The moment, from the caller's clock.
    /// - Returns: The new overdue alerts, patients in identifier order and kinds in key order, then the
    ///   escalations, oldest alert first.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/outOfOrder`` for a moment earlier
    ///   than one already seen.
    public mutating func check(at now: Date) throws(TriageScoringError) -> [MonitorEvent] {
        try advance(to: now)
        var events: [MonitorEvent] = []
        if rules.overdueObservations {
            for patient in patients {
                guard let stay = stays[patient] else { continue }
                for (kind, interval) in overdueKinds(stay, at: now) {
                    if let alerted = stay.overdueAlertedAt[kind],
                        now <= alerted.addingTimeInterval(Double(interval.components.seconds))
                    {
                        continue
                    }
                    if let alert = raise(.overdue(kind), severity: .review, for: patient, at: now) {
                        events.append(.raised(alert))
                        stays[patient]?.overdueAlertedAt[kind] = now
                    }
                }
            }
        }
        for index in alerts.indices where alerts[index].isOpen {
            let window = rules.acknowledgementWindow(for: alerts[index].severity)
            let due = alerts[index].lastEscalatedAt.addingTimeInterval(Double(window.components.seconds))
            guard now >= due else { continue }
            alerts[index].level += 1
            alerts[index].lastEscalatedAt = now
            let recipient = rules.escalationChain[min(alerts[index].level, rules.escalationChain.count - 1)]
            events.append(.escalated(alerts[index], to: recipient))
        }
        return events
    }

    /// Acknowledges an open alert: it stops escalating.
    ///
    /// - Parameters:
    ///   - id: The alert's number.
    ///   - by: Who acknowledged it: a clinician's role or staff identifier.
    ///   - at: When.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/notFound`` for an unknown alert,
    ///   ``TriageScoringError/Code/notPermitted`` for one already acknowledged or for nobody named, or
    ///   ``TriageScoringError/Code/outOfOrder`` for a moment earlier than one already seen.
    public mutating func acknowledge(_ id: Int, by: String, at: Date) throws(TriageScoringError) {
        guard let index = alertIndex[id] else {
            throw TriageScoringError(.notFound, field: FieldPath("alert"), reason: "no alert has this number")
        }
        guard alerts[index].isOpen, !by.allSatisfy(\.isWhitespace) else {
            throw TriageScoringError(
                .notPermitted,
                field: FieldPath("alert"),
                reason: "only an open alert can be acknowledged, by a named clinician"
            )
        }
        try advance(to: at)
        close(index, by: by, at: at)
    }

    /// The alert with a number.
    ///
    /// - Parameter id: The alert's number.
    /// - Returns: The alert, or `nil` if there is none.
    public func alert(_ id: Int) -> EscalationAlert? { alertIndex[id].map { alerts[$0] } }

    // MARK: Internals

    private static let unknownPatient = TriageScoringError(
        .notFound,
        field: FieldPath("patient"),
        reason: "the patient is not on the ward"
    )

    private static let news2Kinds = Set(NEWS2Parameter.allCases.map(\.observationKind))

    private static func partial(_ assessment: NEWS2Assessment) -> NEWS2SubScores {
        if case .incomplete(_, let partial) = assessment { return partial }
        return NEWS2SubScores()
    }

    private mutating func advance(to moment: Date) throws(TriageScoringError) {
        try TriageScoringError.advance(&now, to: moment, holder: "monitor")
    }

    private func saturationSeverity(_ saturation: Double, scale: SpO2Scale) -> AlertSeverity? {
        if scale.isScale2 {
            guard let threshold = rules.scale2UrgentBelow, saturation < threshold else { return nil }
            return .urgent
        }
        if let threshold = rules.scale1UrgentAtOrBelow, saturation <= threshold { return .urgent }
        if let threshold = rules.scale1ReviewAtOrBelow, saturation <= threshold { return .review }
        return nil
    }

    /// The scheduled kinds past due, measured from their last reading or, if never taken, from enrolment.
    ///
    /// A continuously monitored kind is due once its data has a gap longer than the rules allow; a NEWS2
    /// response that calls for closer monitoring shortens the NEWS2 kinds' intervals.
    private func overdueKinds(_ stay: Stay, at now: Date) -> [(ObservationKind, Duration)] {
        let gap = rules.continuousGapMinutes.map { Duration.seconds($0 * 60) }
        var news2Interval: Duration?
        if rules.tightenScheduleToNEWS2, let score = stay.latestScore {
            news2Interval = score.minimumMonitoring.maximumInterval ?? gap
        }
        return stay.schedule.requirements.compactMap { requirement -> (ObservationKind, Duration)? in
            guard var interval = requirement.frequency.maximumInterval ?? gap else { return nil }
            if Self.news2Kinds.contains(requirement.kind), let news2Interval { interval = min(interval, news2Interval) }
            let last = stay.lastTaken[requirement.kind] ?? stay.enrolledAt
            let due = last.addingTimeInterval(Double(interval.components.seconds))
            return now > due ? (requirement.kind, interval) : nil
        }
    }

    /// Raises an alert unless one for the same patient, rule and severity is open; then counts an occurrence.
    private mutating func raise(
        _ reason: EscalationReason,
        severity: AlertSeverity,
        for patient: PatientID,
        at: Date
    ) -> EscalationAlert? {
        let key = "\(patient.rawValue)|\(reason.ruleKey)|\(severity.rawValue)"
        if let open = openKeys[key], let index = alertIndex[open] {
            alerts[index].occurrences += 1
            alerts[index].lastTriggeredAt = at
            alerts[index].reason = reason
            return nil
        }
        let alert = EscalationAlert(
            id: alerts.count + 1,
            patient: patient,
            reason: reason,
            severity: severity,
            raisedAt: at,
            lastTriggeredAt: at,
            occurrences: 1,
            level: 0,
            lastEscalatedAt: at,
            acknowledgement: nil
        )
        alertIndex[alert.id] = alerts.count
        alerts.append(alert)
        openKeys[key] = alert.id
        return alert
    }

    private mutating func close(_ index: Int, by: String, at: Date) {
        alerts[index].acknowledgement = EscalationAlert.Acknowledgement(by: by, at: at)
        let alert = alerts[index]
        openKeys["\(alert.patient.rawValue)|\(alert.reason.ruleKey)|\(alert.severity.rawValue)"] = nil
    }
}
