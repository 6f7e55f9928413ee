import CareCore

/// An Emergency Severity Index (ESI) level reached by the version 4 decision flow over a triage clinician's
/// answers.
///
/// Source: Gilboy N, Tanabe P, Travers D, Rosenau AM, *Emergency Severity Index (ESI): A Triage Tool for
/// Emergency Department Care, Version 4. Implementation Handbook, 2012 Edition*, Agency for Healthcare Research
/// and Quality (AHRQ). ESI is now owned by the Emergency Nurses Association, which publishes version 5. This type
/// implements only the published version 4 algorithm's flow, over answers a clinician gives; it carries no
/// proprietary content (no training material, no resource-counting rules, no case examples).
///
/// The flow, in order:
/// - **A** — does the patient need an immediate life-saving intervention? Yes → ESI 1.
/// - **B** — a high-risk situation, confused, lethargic or disoriented, or in severe pain or distress? Any yes
///   → ESI 2.
/// - **C** — how many different resources are expected? None → ESI 5; one → ESI 4; two or more → D.
/// - **D** — are the vital signs in the danger zone for the patient's age? If so, the clinician *considers*
///   ESI 2; otherwise ESI 3.
///
/// Danger-zone vital signs, by age in completed months. The handbook's bands are read as 0–2 months ("under
/// 3 months"), 3–35 months ("3 months to 3 years"), 36–95 months ("3 to 8 years") and 96 months on ("over 8
/// years"). The handbook leaves the eighth year's edge open; reading a child who has turned 8 as "over 8 years"
/// applies the lower, more cautious limits.
///
/// | Age (months) | Heart rate above | Respiratory rate above |
/// |---|---|---|
/// | 0–2 | 180 | 50 |
/// | 3–35 | 160 | 40 |
/// | 36–95 | 140 | 30 |
/// | 96 on | 100 | 20 |
///
/// At any age an oxygen saturation below 92% is in the danger zone.
///
/// D is the clinician's decision, recorded in ``Answers/dangerZoneDecision``. **Library choice:** when D is
/// reached with a vital sign in the danger zone, or with a vital sign not recorded, and no decision has been
/// recorded, the level is ESI 2 with ``isAwaitingClinicianDecision`` set: the safer level stands until a
/// clinician decides. A recorded decision is followed: "up-triage" gives ESI 2 and "keep" gives ESI 3.
///
/// The handbook's fever criteria for children under 3 are **not** encoded, because they were not verified for
/// this library; a clinician applies them through the answer at B. Answers A and B and the resource count are
/// nursing judgements the library cannot compute.
///
/// ```swift
/// let answers = EmergencySeverityIndex.Answers(expectedResources: 2, ageInMonths: 480, heartRate: 118,
///                                               respiratoryRate: 18, oxygenSaturation: 97)
/// let esi = try EmergencySeverityIndex(answers)
/// print(esi.level, esi.isAwaitingClinicianDecision)  // ESI 2 true
/// ```
public struct EmergencySeverityIndex: Hashable, Sendable, CustomStringConvertible {
    /// An ESI level, 1 (most urgent) to 5 (least).
    public enum Level: Int, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
        /// ESI 1: needs an immediate life-saving intervention.
        case one = 1
        /// ESI 2: high risk, altered, or in severe pain or distress; or danger-zone vitals.
        case two
        /// ESI 3: two or more resources expected.
        case three
        /// ESI 4: one resource expected.
        case four
        /// ESI 5: no resources expected.
        case five

        /// Orders levels from most to least urgent: ESI 1 comes first.
        ///
        /// - Parameters:
        ///   - lhs: A level.
        ///   - rhs: Another level.
        /// - Returns: Whether `lhs` is more urgent.
        public static func < (lhs: Level, rhs: Level) -> Bool {
            lhs.rawValue < rhs.rawValue
        }

        /// The level as `ESI 1` to `ESI 5`.
        public var description: String { "ESI \(rawValue)" }
    }

    /// A decision point of the ESI algorithm.
    public enum DecisionPoint: Int, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
        /// A: immediate life-saving intervention.
        case a
        /// B: high risk, altered mentation, or severe pain or distress.
        case b
        /// C: expected resources.
        case c
        /// D: danger-zone vital signs.
        case d

        /// Orders decision points as the algorithm passes them.
        ///
        /// - Parameters:
        ///   - lhs: A decision point.
        ///   - rhs: Another decision point.
        /// - Returns: Whether `lhs` comes first.
        public static func < (lhs: DecisionPoint, rhs: DecisionPoint) -> Bool {
            lhs.rawValue < rhs.rawValue
        }

        /// The point's letter, `A` to `D`.
        public var description: String {
            switch self {
            case .a: return "A"
            case .b: return "B"
            case .c: return "C"
            case .d: return "D"
            }
        }
    }

    /// A reason for ESI 2 at decision point B.
    public enum HighRiskReason: Int, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
        /// A high-risk situation.
        case highRiskSituation
        /// Confused, lethargic or disoriented.
        case confusedLethargicOrDisoriented
        /// Severe pain or distress.
        case severePainOrDistress

        /// Orders reasons as the algorithm lists them.
        ///
        /// - Parameters:
        ///   - lhs: A reason.
        ///   - rhs: Another reason.
        /// - Returns: Whether `lhs` comes first.
        public static func < (lhs: HighRiskReason, rhs: HighRiskReason) -> Bool {
            lhs.rawValue < rhs.rawValue
        }

        /// The reason in words.
        public var description: String {
            switch self {
            case .highRiskSituation: return "high-risk situation"
            case .confusedLethargicOrDisoriented: return "confused, lethargic or disoriented"
            case .severePainOrDistress: return "severe pain or distress"
            }
        }
    }

    /// A vital sign decision point D looks at.
    public enum VitalSign: Int, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
        /// Heart rate, beats a minute.
        case heartRate
        /// Respiratory rate, breaths a minute.
        case respiratoryRate
        /// Oxygen saturation, percent.
        case oxygenSaturation

        /// The vital sign's field name, such as `heartRate`.
        public var fieldName: String {
            switch self {
            case .heartRate: return "heartRate"
            case .respiratoryRate: return "respiratoryRate"
            case .oxygenSaturation: return "oxygenSaturation"
            }
        }

        /// Orders vital signs as the handbook lists them.
        ///
        /// - Parameters:
        ///   - lhs: A vital sign.
        ///   - rhs: Another vital sign.
        /// - Returns: Whether `lhs` comes first.
        public static func < (lhs: VitalSign, rhs: VitalSign) -> Bool {
            lhs.rawValue < rhs.rawValue
        }

        /// The vital sign in words.
        public var description: String {
            switch self {
            case .heartRate: return "heart rate"
            case .respiratoryRate: return "respiratory rate"
            case .oxygenSaturation: return "oxygen saturation"
            }
        }
    }

    /// The clinician's decision at D when the vital signs are in the danger zone.
    public enum DangerZoneDecision: Hashable, Sendable, CustomStringConvertible {
        /// Up-triage to ESI 2.
        case upTriageToLevel2
        /// Keep ESI 3.
        case keepLevel3

        /// The decision in words.
        public var description: String {
            switch self {
            case .upTriageToLevel2: return "up-triage to ESI 2"
            case .keepLevel3: return "keep ESI 3"
            }
        }
    }

    /// The danger-zone limits for one age.
    public struct DangerZoneLimits: Hashable, Sendable {
        /// A heart rate above this is in the danger zone.
        public let heartRateAbove: Double
        /// A respiratory rate above this is in the danger zone.
        public let respiratoryRateAbove: Double
        /// An oxygen saturation below this is in the danger zone: 92% at every age.
        public let oxygenSaturationBelow: Double

        /// The limits for an age, read as the type's documentation describes.
        ///
        /// - Parameter ageInMonths: Age in completed months, 0 or more.
        /// - Returns: The limits of the age's band.
        public static func forAge(months ageInMonths: Int) -> DangerZoneLimits {
            switch ageInMonths {
            case ..<3: return DangerZoneLimits(heartRateAbove: 180, respiratoryRateAbove: 50)
            case ..<36: return DangerZoneLimits(heartRateAbove: 160, respiratoryRateAbove: 40)
            case ..<96: return DangerZoneLimits(heartRateAbove: 140, respiratoryRateAbove: 30)
            default: return DangerZoneLimits(heartRateAbove: 100, respiratoryRateAbove: 20)
            }
        }

        private init(heartRateAbove: Double, respiratoryRateAbove: Double) {
            self.heartRateAbove = heartRateAbove
            self.respiratoryRateAbove = respiratoryRateAbove
            self.oxygenSaturationBelow = 92
        }

        /// The limit of one vital sign.
        ///
        /// - Parameter vitalSign: The vital sign.
        /// - Returns: Its limit.
        public func limit(of vitalSign: VitalSign) -> Double {
            switch vitalSign {
            case .heartRate: return heartRateAbove
            case .respiratoryRate: return respiratoryRateAbove
            case .oxygenSaturation: return oxygenSaturationBelow
            }
        }

        /// Whether a value of a vital sign is in the danger zone.
        ///
        /// - Parameters:
        ///   - value: The value.
        ///   - vitalSign: The vital sign.
        /// - Returns: Whether it passes the limit.
        public func isInDangerZone(_ value: Double, _ vitalSign: VitalSign) -> Bool {
            switch vitalSign {
            case .heartRate: return value > heartRateAbove
            case .respiratoryRate: return value > respiratoryRateAbove
            case .oxygenSaturation: return value < oxygenSaturationBelow
            }
        }
    }

    /// A vital sign found in the danger zone, with the limit it passed (not its value).
    public struct DangerZoneFinding: Hashable, Sendable, CustomStringConvertible {
        /// The vital sign.
        public let vitalSign: VitalSign
        /// The limit it passed: above it for rates, below it for oxygen saturation.
        public let limit: Double

        /// The finding in words, such as `heart rate above 100/min`.
        public var description: String {
            let limitText = TriageScoringError.plain(limit)
            switch vitalSign {
            case .heartRate: return "heart rate above \(limitText)/min"
            case .respiratoryRate: return "respiratory rate above \(limitText)/min"
            case .oxygenSaturation: return "oxygen saturation below \(limitText)%"
            }
        }
    }

    /// The triage clinician's answers that the flow runs over.
    public struct Answers: Hashable, Sendable {
        /// A: whether the patient needs an immediate life-saving intervention.
        public var needsImmediateLifeSavingIntervention: Bool
        /// B: whether this is a high-risk situation.
        public var isHighRiskSituation: Bool
        /// B: whether the patient is confused, lethargic or disoriented (newly so).
        public var isConfusedLethargicOrDisoriented: Bool
        /// B: whether the patient is in severe pain or distress.
        public var hasSeverePainOrDistress: Bool
        /// C: how many different resources the clinician expects the patient to need, 0 or more.
        public var expectedResources: Int
        /// Age in completed months, for the danger-zone limits.
        public var ageInMonths: Int
        /// D: heart rate, beats a minute, if recorded.
        public var heartRate: Double?
        /// D: respiratory rate, breaths a minute, if recorded.
        public var respiratoryRate: Double?
        /// D: oxygen saturation, percent, if recorded.
        public var oxygenSaturation: Double?
        /// D: the clinician's decision, if one has been recorded; read only when the flow reaches D.
        public var dangerZoneDecision: DangerZoneDecision?

        /// Creates the answers.
        ///
        /// - Parameters:
        ///   - needsImmediateLifeSavingIntervention: A: an immediate life-saving intervention is needed.
        ///   - isHighRiskSituation: B: a high-risk situation.
        ///   - isConfusedLethargicOrDisoriented: B: confused, lethargic or disoriented.
        ///   - hasSeverePainOrDistress: B: severe pain or distress.
        ///   - expectedResources: C: the number of different resources expected, 0 or more.
        ///   - ageInMonths: Age in completed months.
        ///   - heartRate: Beats a minute.
        ///   - respiratoryRate: Breaths a minute.
        ///   - oxygenSaturation: Percent.
        ///   - dangerZoneDecision: The clinician's decision at D, if recorded.
        public init(
            needsImmediateLifeSavingIntervention: Bool = false,
            isHighRiskSituation: Bool = false,
            isConfusedLethargicOrDisoriented: Bool = false,
            hasSeverePainOrDistress: Bool = false,
            expectedResources: Int,
            ageInMonths: Int,
            heartRate: Double? = nil,
            respiratoryRate: Double? = nil,
            oxygenSaturation: Double? = nil,
            dangerZoneDecision: DangerZoneDecision? = nil
        ) {
            self.needsImmediateLifeSavingIntervention = needsImmediateLifeSavingIntervention
            self.isHighRiskSituation = isHighRiskSituation
            self.isConfusedLethargicOrDisoriented = isConfusedLethargicOrDisoriented
            self.hasSeverePainOrDistress = hasSeverePainOrDistress
            self.expectedResources = expectedResources
            self.ageInMonths = ageInMonths
            self.heartRate = heartRate
            self.respiratoryRate = respiratoryRate
            self.oxygenSaturation = oxygenSaturation
            self.dangerZoneDecision = dangerZoneDecision
        }

        /// The recorded value of a vital sign.
        ///
        /// - Parameter vitalSign: The vital sign.
        /// - Returns: Its value, or `nil` when not recorded.
        public func value(of vitalSign: VitalSign) -> Double? {
            switch vitalSign {
            case .heartRate: return heartRate
            case .respiratoryRate: return respiratoryRate
            case .oxygenSaturation: return oxygenSaturation
            }
        }
    }

    /// The possible range of an age, in months (0 to 150 years).
    public static let possibleAgeInMonths: ClosedRange<Int> = 0...1800

    /// The level the flow reached.
    public let level: Level
    /// The decision points the flow passed through, in order.
    public let decisionPoints: [DecisionPoint]
    /// The reasons for ESI 2 at B, in order; empty unless the flow stopped at B.
    public let highRiskReasons: [HighRiskReason]
    /// The vital signs found in the danger zone at D, in order; empty unless the flow reached D.
    public let dangerZoneFindings: [DangerZoneFinding]
    /// The vital signs not recorded when the flow reached D, in order; empty unless the flow reached D.
    public let missingVitalSigns: [VitalSign]
    /// Whether the level is ESI 2 only because D needs a clinician's decision that has not been recorded.
    public let isAwaitingClinicianDecision: Bool
    /// How the level was reached, one sentence per decision point passed.
    public let explanation: String

    /// Runs the ESI version 4 flow over the clinician's answers.
    ///
    /// - Parameter answers: The answers.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/invalidValue`` and field
    ///   `expectedResources` for a negative resource count; with code
    ///   ``TriageScoringError/Code/impossibleValue`` and field `ageInMonths`, `heartRate`, `respiratoryRate` or
    ///   `oxygenSaturation` when a value is not a number or physically impossible (the ranges of
    ///   ``NEWS2Observations/possibleRange(of:)``, and 0–1,800 months for age). Every answer is checked, even
    ///   those the flow does not reach.
    /// - Complexity: O(1).
    public init(_ answers: Answers) throws(TriageScoringError) {
        try Self.validate(answers)
        var lines: [String] = []
        var points: [DecisionPoint] = [.a]
        var reasons: [HighRiskReason] = []
        var findings: [DangerZoneFinding] = []
        var missing: [VitalSign] = []
        var awaiting = false
        let level: Level

        if answers.needsImmediateLifeSavingIntervention {
            lines.append("A: needs an immediate life-saving intervention, so ESI 1.")
            level = .one
        } else {
            lines.append("A: no immediate life-saving intervention.")
            points.append(.b)
            if answers.isHighRiskSituation { reasons.append(.highRiskSituation) }
            if answers.isConfusedLethargicOrDisoriented { reasons.append(.confusedLethargicOrDisoriented) }
            if answers.hasSeverePainOrDistress { reasons.append(.severePainOrDistress) }
            if !reasons.isEmpty {
                lines.append("B: \(reasons.map(\.description).joined(separator: "; ")), so ESI 2.")
                level = .two
            } else {
                lines.append("B: not high risk, not confused, lethargic or disoriented, no severe pain or distress.")
                points.append(.c)
                switch answers.expectedResources {
                case 0:
                    lines.append("C: no resources expected, so ESI 5.")
                    level = .five
                case 1:
                    lines.append("C: one resource expected, so ESI 4.")
                    level = .four
                default:
                    lines.append("C: two or more resources expected, so decision point D.")
                    points.append(.d)
                    let limits = DangerZoneLimits.forAge(months: answers.ageInMonths)
                    for vitalSign in VitalSign.allCases {
                        guard let value = answers.value(of: vitalSign) else {
                            missing.append(vitalSign)
                            continue
                        }
                        if limits.isInDangerZone(value, vitalSign) {
                            findings.append(DangerZoneFinding(vitalSign: vitalSign, limit: limits.limit(of: vitalSign)))
                        }
                    }
                    let band = Self.ageBandText(months: answers.ageInMonths)
                    var finding: String
                    if findings.isEmpty {
                        finding = "D: no vital sign in the danger zone for age \(band)"
                    } else {
                        let text = findings.map(\.description).joined(separator: "; ")
                        finding = "D: \(text) (danger zone for age \(band))"
                    }
                    if !missing.isEmpty {
                        finding += "; not recorded: \(missing.map(\.description).joined(separator: ", "))"
                    }
                    let needsDecision = !findings.isEmpty || !missing.isEmpty
                    switch answers.dangerZoneDecision {
                    case .upTriageToLevel2?:
                        lines.append("\(finding); the clinician up-triaged to ESI 2.")
                        level = .two
                    case .keepLevel3?:
                        lines.append("\(finding); the clinician kept ESI 3.")
                        level = .three
                    case nil where needsDecision:
                        lines.append("\(finding); ESI 2 until a clinician decides between ESI 2 and ESI 3.")
                        level = .two
                        awaiting = true
                    case nil:
                        lines.append("\(finding), so ESI 3.")
                        level = .three
                    }
                }
            }
        }
        self.level = level
        self.decisionPoints = points
        self.highRiskReasons = reasons
        self.dangerZoneFindings = findings
        self.missingVitalSigns = missing
        self.isAwaitingClinicianDecision = awaiting
        self.explanation = lines.joined(separator: " ")
    }

    /// The level in one line, such as `ESI 2 (awaiting clinician's decision at D)`.
    public var description: String {
        let path = decisionPoints.map(\.description).joined(separator: "→")
        return isAwaitingClinicianDecision
            ? "\(level) (\(path); awaiting clinician's decision at D)" : "\(level) (\(path))"
    }

    private static func ageBandText(months: Int) -> String {
        switch months {
        case ..<3: return "0–2 months"
        case ..<36: return "3–35 months"
        case ..<96: return "36–95 months"
        default: return "96 months or more"
        }
    }

    private static func validate(_ answers: Answers) throws(TriageScoringError) {
        guard answers.expectedResources >= 0 else {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath("expectedResources"),
                reason: "the expected resource count must be 0 or more"
            )
        }
        try TriageScoringError.checkPossible(
            answers.ageInMonths,
            in: possibleAgeInMonths,
            field: FieldPath("ageInMonths"),
            name: "age in months"
        )
        let ranges: [(VitalSign, NEWS2Parameter, String)] = [
            (.heartRate, .pulse, "heart rate"),
            (.respiratoryRate, .respirationRate, "respiratory rate"),
            (.oxygenSaturation, .oxygenSaturation, "oxygen saturation"),
        ]
        for (vitalSign, parameter, name) in ranges {
            guard let value = answers.value(of: vitalSign), let range = NEWS2Observations.possibleRange(of: parameter)
            else { continue }
            try TriageScoringError.checkPossible(value, in: range, field: FieldPath(vitalSign.fieldName), name: name)
        }
    }
}
