import Testing
import TriageScoring

@Suite("Emergency Severity Index v4")
struct EmergencySeverityIndexTests {
    typealias ESI = EmergencySeverityIndex

    /// An adult needing two resources, with vital signs outside every danger zone.
    static func adult(
        heartRate: Double? = 80,
        respiratoryRate: Double? = 16,
        oxygenSaturation: Double? = 98,
        decision: ESI.DangerZoneDecision? = nil
    ) -> ESI.Answers {
        ESI.Answers(
            expectedResources: 2,
            ageInMonths: 480,
            heartRate: heartRate,
            respiratoryRate: respiratoryRate,
            oxygenSaturation: oxygenSaturation,
            dangerZoneDecision: decision
        )
    }

    @Test func lifeSavingInterventionIsLevel1() throws {
        let answers = ESI.Answers(
            needsImmediateLifeSavingIntervention: true,
            isHighRiskSituation: true,
            expectedResources: 0,
            ageInMonths: 480
        )
        let esi = try ESI(answers)
        #expect(esi.level == .one)
        #expect(esi.decisionPoints == [.a])
        #expect(esi.highRiskReasons.isEmpty)
        #expect(!esi.isAwaitingClinicianDecision)
        #expect(esi.explanation.hasPrefix("A: needs an immediate life-saving intervention"))
    }

    struct HighRisk: Sendable, CustomTestStringConvertible {
        let situation: Bool
        let altered: Bool
        let pain: Bool
        let reasons: [ESI.HighRiskReason]
        var testDescription: String { "\(reasons)" }
    }

    @Test(arguments: [
        HighRisk(situation: true, altered: false, pain: false, reasons: [.highRiskSituation]),
        HighRisk(situation: false, altered: true, pain: false, reasons: [.confusedLethargicOrDisoriented]),
        HighRisk(situation: false, altered: false, pain: true, reasons: [.severePainOrDistress]),
        HighRisk(
            situation: true,
            altered: true,
            pain: true,
            reasons: [.highRiskSituation, .confusedLethargicOrDisoriented, .severePainOrDistress]
        ),
    ])
    func anyBAnswerIsLevel2(row: HighRisk) throws {
        let answers = ESI.Answers(
            isHighRiskSituation: row.situation,
            isConfusedLethargicOrDisoriented: row.altered,
            hasSeverePainOrDistress: row.pain,
            expectedResources: 0,
            ageInMonths: 480,
            heartRate: 150
        )
        let esi = try ESI(answers)
        #expect(esi.level == .two)
        #expect(esi.decisionPoints == [.a, .b])
        #expect(esi.highRiskReasons == row.reasons)
        #expect(esi.dangerZoneFindings.isEmpty)
        #expect(!esi.isAwaitingClinicianDecision)
    }

    struct Resources: Sendable, CustomTestStringConvertible {
        let count: Int
        let level: ESI.Level
        let points: [ESI.DecisionPoint]
        var testDescription: String { "\(count) resources" }
    }

    @Test(arguments: [
        Resources(count: 0, level: .five, points: [.a, .b, .c]),
        Resources(count: 1, level: .four, points: [.a, .b, .c]),
        Resources(count: 2, level: .three, points: [.a, .b, .c, .d]),
        Resources(count: 7, level: .three, points: [.a, .b, .c, .d]),
    ])
    func expectedResourcesDecideC(row: Resources) throws {
        var answers = Self.adult()
        answers.expectedResources = row.count
        let esi = try ESI(answers)
        #expect(esi.level == row.level)
        #expect(esi.decisionPoints == row.points)
        #expect(!esi.isAwaitingClinicianDecision)
    }

    @Test func aDecisionIsReadOnlyAtD() throws {
        var answers = Self.adult(heartRate: 150, decision: .upTriageToLevel2)
        answers.expectedResources = 1
        let esi = try ESI(answers)
        #expect(esi.level == .four)
        #expect(esi.dangerZoneFindings.isEmpty)
    }

    /// One age band's limits, written out from the ESI v4 handbook's table.
    struct AgeBand: Sendable, CustomTestStringConvertible {
        let months: Int
        let heartRateLimit: Double
        let respiratoryRateLimit: Double
        var testDescription: String { "\(months) months" }
    }

    static let ageBands: [AgeBand] = [
        AgeBand(months: 0, heartRateLimit: 180, respiratoryRateLimit: 50),
        AgeBand(months: 2, heartRateLimit: 180, respiratoryRateLimit: 50),
        AgeBand(months: 3, heartRateLimit: 160, respiratoryRateLimit: 40),
        AgeBand(months: 35, heartRateLimit: 160, respiratoryRateLimit: 40),
        AgeBand(months: 36, heartRateLimit: 140, respiratoryRateLimit: 30),
        AgeBand(months: 95, heartRateLimit: 140, respiratoryRateLimit: 30),
        AgeBand(months: 96, heartRateLimit: 100, respiratoryRateLimit: 20),
        AgeBand(months: 1200, heartRateLimit: 100, respiratoryRateLimit: 20),
    ]

    static func answers(
        _ band: AgeBand,
        heartRate: Double? = nil,
        respiratoryRate: Double? = nil,
        oxygenSaturation: Double = 98
    ) -> ESI.Answers {
        ESI.Answers(
            expectedResources: 3,
            ageInMonths: band.months,
            heartRate: heartRate ?? band.heartRateLimit - 20,
            respiratoryRate: respiratoryRate ?? band.respiratoryRateLimit - 5,
            oxygenSaturation: oxygenSaturation
        )
    }

    @Test(arguments: ageBands)
    func heartRateDangerZoneByAge(band: AgeBand) throws {
        let atLimit = try ESI(Self.answers(band, heartRate: band.heartRateLimit))
        #expect(atLimit.level == .three)
        #expect(atLimit.dangerZoneFindings.isEmpty)
        #expect(!atLimit.isAwaitingClinicianDecision)

        let above = try ESI(Self.answers(band, heartRate: band.heartRateLimit + 1))
        #expect(above.level == .two)
        #expect(above.isAwaitingClinicianDecision)
        #expect(above.decisionPoints == [.a, .b, .c, .d])
        #expect(above.dangerZoneFindings.map(\.vitalSign) == [.heartRate])
        #expect(above.dangerZoneFindings.map(\.limit) == [band.heartRateLimit])

        let justAbove = try ESI(Self.answers(band, heartRate: band.heartRateLimit + 0.5))
        #expect(justAbove.dangerZoneFindings.map(\.vitalSign) == [.heartRate])
    }

    @Test(arguments: ageBands)
    func respiratoryRateDangerZoneByAge(band: AgeBand) throws {
        let atLimit = try ESI(Self.answers(band, respiratoryRate: band.respiratoryRateLimit))
        #expect(atLimit.level == .three)
        #expect(atLimit.dangerZoneFindings.isEmpty)

        let above = try ESI(Self.answers(band, respiratoryRate: band.respiratoryRateLimit + 1))
        #expect(above.level == .two)
        #expect(above.isAwaitingClinicianDecision)
        #expect(above.dangerZoneFindings.map(\.vitalSign) == [.respiratoryRate])
        #expect(above.dangerZoneFindings.map(\.limit) == [band.respiratoryRateLimit])
    }

    @Test(arguments: ageBands)
    func oxygenSaturationBelow92AtEveryAge(band: AgeBand) throws {
        let at92 = try ESI(Self.answers(band, oxygenSaturation: 92))
        #expect(at92.level == .three)
        #expect(at92.dangerZoneFindings.isEmpty)

        let at91 = try ESI(Self.answers(band, oxygenSaturation: 91.9))
        #expect(at91.level == .two)
        #expect(at91.dangerZoneFindings.map(\.vitalSign) == [.oxygenSaturation])
        #expect(at91.dangerZoneFindings.map(\.limit) == [92])
    }

    @Test func limitsForAgeMatchTheHandbook() {
        for band in Self.ageBands {
            let limits = ESI.DangerZoneLimits.forAge(months: band.months)
            #expect(limits.heartRateAbove == band.heartRateLimit, "\(band.months) months")
            #expect(limits.respiratoryRateAbove == band.respiratoryRateLimit, "\(band.months) months")
            #expect(limits.oxygenSaturationBelow == 92)
        }
    }

    @Test func findingsAreListedInOrder() throws {
        let esi = try ESI(Self.adult(heartRate: 130, respiratoryRate: 28, oxygenSaturation: 88))
        #expect(esi.dangerZoneFindings.map(\.vitalSign) == [.heartRate, .respiratoryRate, .oxygenSaturation])
        #expect(
            esi.dangerZoneFindings.map(\.description) == [
                "heart rate above 100/min", "respiratory rate above 20/min", "oxygen saturation below 92%",
            ]
        )
        #expect(esi.explanation.contains("D: heart rate above 100/min"))
        #expect(esi.explanation.contains("until a clinician decides"))
    }

    struct Decision: Sendable, CustomTestStringConvertible {
        let dangerZone: Bool
        let decision: ESI.DangerZoneDecision?
        let level: ESI.Level
        let awaiting: Bool
        var testDescription: String { "danger zone \(dangerZone), \(String(describing: decision))" }
    }

    @Test(arguments: [
        Decision(dangerZone: true, decision: nil, level: .two, awaiting: true),
        Decision(dangerZone: true, decision: .upTriageToLevel2, level: .two, awaiting: false),
        Decision(dangerZone: true, decision: .keepLevel3, level: .three, awaiting: false),
        Decision(dangerZone: false, decision: nil, level: .three, awaiting: false),
        Decision(dangerZone: false, decision: .upTriageToLevel2, level: .two, awaiting: false),
        Decision(dangerZone: false, decision: .keepLevel3, level: .three, awaiting: false),
    ])
    func theClinicianDecidesAtD(row: Decision) throws {
        let esi = try ESI(Self.adult(heartRate: row.dangerZone ? 101 : 100, decision: row.decision))
        #expect(esi.level == row.level)
        #expect(esi.isAwaitingClinicianDecision == row.awaiting)
        #expect(esi.dangerZoneFindings.isEmpty == !row.dangerZone)
        #expect(esi.decisionPoints == [.a, .b, .c, .d])
    }

    @Test func missingVitalSignsAtDAwaitTheClinician() throws {
        let esi = try ESI(Self.adult(heartRate: nil, oxygenSaturation: nil))
        #expect(esi.level == .two)
        #expect(esi.isAwaitingClinicianDecision)
        #expect(esi.missingVitalSigns == [.heartRate, .oxygenSaturation])
        #expect(esi.dangerZoneFindings.isEmpty)
        #expect(esi.explanation.contains("not recorded: heart rate, oxygen saturation"))

        let kept = try ESI(Self.adult(heartRate: nil, oxygenSaturation: nil, decision: .keepLevel3))
        #expect(kept.level == .three)
        #expect(!kept.isAwaitingClinicianDecision)
    }

    @Test func missingVitalSignsBeforeDDoNotMatter() throws {
        var answers = Self.adult(heartRate: nil, respiratoryRate: nil, oxygenSaturation: nil)
        answers.expectedResources = 0
        let esi = try ESI(answers)
        #expect(esi.level == .five)
        #expect(esi.missingVitalSigns.isEmpty)
    }

    @Test func negativeResourceCountIsRefused() {
        var answers = Self.adult()
        answers.expectedResources = -1
        expectTriageError(.invalidValue, at: "expectedResources") { () throws(TriageScoringError) in
            try ESI(answers)
        }
    }

    struct Impossible: Sendable, CustomTestStringConvertible {
        let answers: ESI.Answers
        let field: String
        var testDescription: String { field }
    }

    @Test(arguments: [
        Impossible(answers: ESI.Answers(expectedResources: 0, ageInMonths: -1), field: "ageInMonths"),
        Impossible(answers: ESI.Answers(expectedResources: 0, ageInMonths: 1801), field: "ageInMonths"),
        Impossible(answers: adult(heartRate: -1), field: "heartRate"),
        Impossible(answers: adult(heartRate: .nan), field: "heartRate"),
        Impossible(answers: adult(respiratoryRate: -3), field: "respiratoryRate"),
        Impossible(answers: adult(oxygenSaturation: 101), field: "oxygenSaturation"),
        Impossible(answers: adult(oxygenSaturation: -1), field: "oxygenSaturation"),
    ])
    func impossibleValuesAreRefused(row: Impossible) {
        expectTriageError(.impossibleValue, at: row.field) { () throws(TriageScoringError) in
            try ESI(row.answers)
        }
    }

    @Test func impossibleValuesAreRefusedEvenWhenTheFlowStopsEarly() {
        var answers = Self.adult(heartRate: -5)
        answers.needsImmediateLifeSavingIntervention = true
        expectTriageError(.impossibleValue, at: "heartRate") { () throws(TriageScoringError) in
            try ESI(answers)
        }
    }

    @Test func levelsOrderFromMostUrgent() {
        #expect(ESI.Level.allCases.map(\.rawValue) == [1, 2, 3, 4, 5])
        #expect(ESI.Level.one < ESI.Level.five)
        #expect(ESI.Level.two.description == "ESI 2")
    }

    @Test func explanationWalksEveryPoint() throws {
        let esi = try ESI(Self.adult())
        #expect(
            esi.explanation
                == "A: no immediate life-saving intervention. "
                + "B: not high risk, not confused, lethargic or disoriented, no severe pain or distress. "
                + "C: two or more resources expected, so decision point D. "
                + "D: no vital sign in the danger zone for age 96 months or more, so ESI 3."
        )
        #expect(esi.description == "ESI 3 (A→B→C→D)")
    }
}
