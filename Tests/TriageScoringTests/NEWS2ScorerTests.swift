import CareCore
import Foundation
import Testing

@testable import TriageScoring

/// A set that scores 0 on every parameter, to vary one parameter at a time.
let normalSet = NEWS2Observations(
    respirationRate: 16,
    oxygenSaturation: 97,
    airOrOxygen: .air,
    systolicBloodPressure: 120,
    pulse: 70,
    consciousness: .alert,
    temperature: 37.0
)

/// One band edge: a value and the points the RCP chart gives it.
struct BandEdge: Sendable, CustomTestStringConvertible {
    let value: Double
    let points: Int
    var testDescription: String { "\(value) → \(points)" }
}

func edges(_ pairs: [(Double, Int)]) -> [BandEdge] { pairs.map { BandEdge(value: $0.0, points: $0.1) } }

func score(_ set: NEWS2Observations, sourceLocation: SourceLocation = #_sourceLocation) throws -> NEWS2Score {
    try #require(try NEWS2Scorer().assess(set).score, sourceLocation: sourceLocation)
}

let scale2Prescription = Result { () throws(TriageScoringError) in
    try Scale2Prescription(prescribedBy: "resp-consultant", recordedAt: Date(timeIntervalSince1970: 1_790_000_000))
}

@Suite("NEWS2 bands (RCP 2017 Chart 1)")
struct NEWS2BandTests {
    @Test("the normal set scores 0 with a response of none and 12-hourly monitoring")
    func normalSetScoresZero() throws {
        let result = try score(normalSet)
        #expect(result.total == 0)
        #expect(result.response == .none)
        #expect(result.minimumMonitoring == .every(.seconds(12 * 3600)))
        #expect(!result.hasRedScore)
    }

    @Test(
        "respiration rate",
        arguments: edges([
            (0, 3), (8, 3), (8.4, 3), (8.5, 1), (9, 1), (11, 1), (11.5, 0), (12, 0), (20, 0), (20.5, 2), (21, 2),
            (24, 2),
            (24.5, 3), (25, 3), (60, 3),
        ])
    )
    func respirationRate(edge: BandEdge) throws {
        var set = normalSet
        set.respirationRate = edge.value
        let result = try score(set)
        #expect(result.subScores[.respirationRate] == edge.points)
        #expect(result.total == edge.points)
    }

    @Test(
        "SpO2 on Scale 1",
        arguments: edges([
            (50, 3), (91, 3), (91.4, 3), (91.5, 2), (92, 2), (93, 2), (94, 1), (95, 1), (95.5, 0), (96, 0), (100, 0),
        ])
    )
    func saturationScale1(edge: BandEdge) throws {
        for oxygen in AirOrOxygen.allCases {
            var set = normalSet
            set.oxygenSaturation = edge.value
            set.airOrOxygen = oxygen
            let result = try score(set)
            #expect(result.subScores[.oxygenSaturation] == edge.points)
            #expect(result.total == edge.points + (oxygen == .oxygen ? 2 : 0))
        }
    }

    @Test(
        "systolic blood pressure",
        arguments: edges([
            (0, 3), (90, 3), (90.4, 3), (90.5, 2), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (180, 0), (200, 0),
            (219, 0), (219.5, 3), (220, 3), (300, 3),
        ])
    )
    func systolicBloodPressure(edge: BandEdge) throws {
        var set = normalSet
        set.systolicBloodPressure = edge.value
        #expect(try score(set).subScores[.systolicBloodPressure] == edge.points)
    }

    @Test(
        "pulse",
        arguments: edges([
            (20, 3), (40, 3), (40.4, 3), (40.5, 1), (41, 1), (50, 1), (51, 0), (90, 0), (91, 1), (110, 1), (111, 2),
            (130, 2), (130.4, 2), (130.5, 3), (131, 3),
            (200, 3),
        ])
    )
    func pulse(edge: BandEdge) throws {
        var set = normalSet
        set.pulse = edge.value
        #expect(try score(set).subScores[.pulse] == edge.points)
    }

    @Test(
        "temperature",
        arguments: edges([
            (30, 3), (35.0, 3), (35.04, 3), (35.05, 1), (35.1, 1), (36.0, 1), (36.1, 0), (38.0, 0), (38.04, 0),
            (38.05, 1), (38.1, 1), (39.0, 1),
            (39.1, 2), (42, 2),
        ])
    )
    func temperature(edge: BandEdge) throws {
        var set = normalSet
        set.temperature = edge.value
        #expect(try score(set).subScores[.temperature] == edge.points)
    }

    @Test(
        "consciousness: alert scores 0; new confusion, voice, pain and unresponsive score 3",
        arguments: ACVPU.allCases
    )
    func consciousness(level: ACVPU) throws {
        var set = normalSet
        set.consciousness = level
        let result = try score(set)
        #expect(result.subScores[.consciousness] == (level == .alert ? 0 : 3))
        #expect(result.hasRedScore == (level != .alert))
    }

    @Test("oxygen scores 2 on either scale; air scores 0")
    func airOrOxygen() throws {
        var set = normalSet
        set.airOrOxygen = .oxygen
        #expect(try score(set).subScores[.airOrOxygen] == 2)
        set.scale = .scale2(try scale2Prescription.get())
        set.oxygenSaturation = 90
        let onScale2 = try score(set)
        #expect(onScale2.subScores[.airOrOxygen] == 2)
        #expect(onScale2.total == 2)
    }
}

/// One Scale 2 case: a saturation, air or oxygen, and the SpO2 points.
struct Scale2Case: Sendable, CustomTestStringConvertible {
    let saturation: Double
    let oxygen: AirOrOxygen
    let points: Int
    var testDescription: String { "\(saturation)% on \(oxygen) → \(points)" }
}

@Suite("NEWS2 SpO2 Scale 2")
struct NEWS2Scale2Tests {
    static let cases: [Scale2Case] = {
        // The chart's Scale 2 row: ≤83 → 3, 84–85 → 2, 86–87 → 1, 88–92 → 0, and from 93 on air 0, on oxygen
        // 93–94 → 1, 95–96 → 2, ≥97 → 3.
        let air: [(Double, Int)] = [
            (80, 3), (83, 3), (84, 2), (85, 2), (86, 1), (87, 1), (88, 0), (90, 0), (92, 0), (93, 0), (94, 0), (95, 0),
            (96, 0), (97, 0), (98, 0), (100, 0),
        ]
        let oxygen: [(Double, Int)] = [
            (80, 3), (83, 3), (84, 2), (85, 2), (86, 1), (87, 1), (88, 0), (90, 0), (92, 0), (92.5, 1), (93, 1),
            (94, 1), (95, 2), (96, 2), (97, 3), (98, 3), (100, 3),
        ]
        return air.map { Scale2Case(saturation: $0.0, oxygen: .air, points: $0.1) }
            + oxygen.map { Scale2Case(saturation: $0.0, oxygen: .oxygen, points: $0.1) }
    }()

    @Test("every band on air and on oxygen", arguments: cases)
    func band(_ scale2Case: Scale2Case) throws {
        var set = normalSet
        set.scale = .scale2(try scale2Prescription.get())
        set.oxygenSaturation = scale2Case.saturation
        set.airOrOxygen = scale2Case.oxygen
        let result = try score(set)
        #expect(result.subScores[.oxygenSaturation] == scale2Case.points)
        #expect(result.total == scale2Case.points + (scale2Case.oxygen == .oxygen ? 2 : 0))
        #expect(result.scale.isScale2)
    }

    @Test("97% on oxygen on Scale 2 is 5 points from oxygenation alone: a medium response")
    func ninetySevenOnOxygen() throws {
        var set = normalSet
        set.scale = .scale2(try scale2Prescription.get())
        set.oxygenSaturation = 97
        set.airOrOxygen = .oxygen
        let result = try score(set)
        #expect(result.total == 5)
        #expect(result.response == .medium)
    }

    @Test("90% scores 3 on Scale 1 but 0 on Scale 2")
    func ninetyOnBothScales() throws {
        var set = normalSet
        set.oxygenSaturation = 90
        #expect(try score(set).subScores[.oxygenSaturation] == 3)
        set.scale = .scale2(try scale2Prescription.get())
        #expect(try score(set).subScores[.oxygenSaturation] == 0)
    }

    @Test("a Scale 2 saturation of 93 or more cannot be scored without air or oxygen")
    func scale2NeedsAirOrOxygen() throws {
        var set = normalSet
        set.scale = .scale2(try scale2Prescription.get())
        set.oxygenSaturation = 95
        set.airOrOxygen = nil
        let assessment = try NEWS2Scorer().assess(set)
        guard case .incomplete(let missing, let partial) = assessment else {
            Issue.record("expected an incomplete set, got \(assessment)")
            return
        }
        #expect(missing == [.airOrOxygen])
        #expect(partial[.oxygenSaturation] == nil)
        set.oxygenSaturation = 85
        guard case .incomplete(_, let partialLow) = try NEWS2Scorer().assess(set) else {
            Issue.record("expected an incomplete set")
            return
        }
        #expect(partialLow[.oxygenSaturation] == 2)
    }

    @Test("Scale 2 needs a named decision-maker")
    func prescriptionNeedsPrescriber() throws {
        let error = try #require(throws: TriageScoringError.self) {
            try Scale2Prescription(prescribedBy: "  ", recordedAt: Date(timeIntervalSince1970: 0))
        }
        #expect(error.code == .invalidValue)
        #expect(error.field == FieldPath("scale2Prescription.prescribedBy"))
    }
}

/// One aggregate case: the set, its expected total and response.
struct ResponseCase: Sendable, CustomTestStringConvertible {
    let name: String
    let set: NEWS2Observations
    let total: Int
    let response: NEWS2Response
    var testDescription: String { name }
}

func varied(_ change: (inout NEWS2Observations) -> Void) -> NEWS2Observations {
    var set = normalSet
    change(&set)
    return set
}

@Suite("NEWS2 response and monitoring (RCP 2017 Charts 3 and 4)")
struct NEWS2ResponseTests {
    static let cases: [ResponseCase] = [
        ResponseCase(name: "0 → none", set: normalSet, total: 0, response: .none),
        ResponseCase(name: "1 → low", set: varied { $0.pulse = 95 }, total: 1, response: .low),
        ResponseCase(
            name: "4 without a 3 → low",
            set: varied {
                $0.pulse = 115
                $0.respirationRate = 22
            },
            total: 4,
            response: .low
        ),
        ResponseCase(
            name: "a single 3, total 3 → low-medium",
            set: varied { $0.consciousness = .newConfusion },
            total: 3,
            response: .lowMedium
        ),
        ResponseCase(
            name: "a single 3, total 4 → low-medium",
            set: varied {
                $0.consciousness = .voice
                $0.pulse = 100
            },
            total: 4,
            response: .lowMedium
        ),
        ResponseCase(
            name: "5 without a 3 → medium",
            set: varied {
                $0.pulse = 115
                $0.respirationRate = 22
                $0.temperature = 38.5
            },
            total: 5,
            response: .medium
        ),
        ResponseCase(
            name: "6 with a 3 → medium",
            set: varied {
                $0.systolicBloodPressure = 85
                $0.pulse = 115
                $0.temperature = 38.5
            },
            total: 6,
            response: .medium
        ),
        ResponseCase(
            name: "7 → high",
            set: varied {
                $0.systolicBloodPressure = 85
                $0.pulse = 115
                $0.airOrOxygen = .oxygen
            },
            total: 7,
            response: .high
        ),
        ResponseCase(
            name: "20, the maximum on Scale 1",
            set: NEWS2Observations(
                respirationRate: 30,
                oxygenSaturation: 85,
                airOrOxygen: .oxygen,
                systolicBloodPressure: 80,
                pulse: 140,
                consciousness: .unresponsive,
                temperature: 34
            ),
            total: 20,
            response: .high
        ),
    ]

    @Test("each response level", arguments: cases)
    func response(_ responseCase: ResponseCase) throws {
        let result = try score(responseCase.set)
        #expect(result.total == responseCase.total)
        #expect(result.response == responseCase.response)
    }

    @Test("the maximum of 20 is also reached on Scale 2")
    func maximumOnScale2() throws {
        let set = NEWS2Observations(
            respirationRate: 5,
            oxygenSaturation: 99,
            scale: .scale2(try scale2Prescription.get()),
            airOrOxygen: .oxygen,
            systolicBloodPressure: 230,
            pulse: 35,
            consciousness: .newConfusion,
            temperature: 35
        )
        #expect(try score(set).total == 20)
    }

    @Test("the minimum monitoring of each response")
    func monitoring() {
        #expect(NEWS2Response.none.minimumMonitoring == .every(.seconds(12 * 3600)))
        #expect(NEWS2Response.low.minimumMonitoring == .everyBetween(.seconds(4 * 3600), .seconds(6 * 3600)))
        #expect(NEWS2Response.lowMedium.minimumMonitoring == .every(.seconds(3600)))
        #expect(NEWS2Response.medium.minimumMonitoring == .every(.seconds(3600)))
        #expect(NEWS2Response.high.minimumMonitoring == .continuous)
        #expect(NEWS2Response.none.riskLabel == "Low")
        #expect(NEWS2Response.lowMedium.riskLabel == "Low–medium")
    }

    @Test("the local policy that treats a red score as medium")
    func redScoreAsMedium() throws {
        var set = normalSet
        set.consciousness = .pain
        let local = NEWS2Scorer(redScorePolicy: .treatAsMedium)
        #expect(try local.assess(set).score?.response == .medium)
        #expect(try NEWS2Scorer().assess(set).score?.response == .lowMedium)
        #expect(local.response(total: 2, redScore: false) == .low)
    }

    @Test("every aggregate 0–20 with and without a red score maps as Chart 3 says")
    func everyAggregate() {
        // Chart 3, written out: index = aggregate.
        let withoutRed: [NEWS2Response] =
            [.none, .low, .low, .low, .low, .medium, .medium] + Array(repeating: .high, count: 14)
        let withRed: [NEWS2Response] =
            [.lowMedium, .lowMedium, .medium, .medium] + Array(repeating: .high, count: 14)
        let scorer = NEWS2Scorer()
        for total in 0...20 {
            #expect(scorer.response(total: total, redScore: false) == withoutRed[total], "total \(total)")
        }
        for total in 3...20 {
            #expect(scorer.response(total: total, redScore: true) == withRed[total - 3], "total \(total), red")
        }
    }
}

/// One impossible value and the parameter it must be reported against.
struct ImpossibleValue: Sendable, CustomTestStringConvertible {
    let parameter: NEWS2Parameter
    let value: Double
    var testDescription: String { "\(parameter) \(value)" }
}

func setting(_ parameter: NEWS2Parameter, to value: Double?, in set: NEWS2Observations) -> NEWS2Observations {
    var set = set
    switch parameter {
    case .respirationRate: set.respirationRate = value
    case .oxygenSaturation: set.oxygenSaturation = value
    case .systolicBloodPressure: set.systolicBloodPressure = value
    case .pulse: set.pulse = value
    case .temperature: set.temperature = value
    case .airOrOxygen: set.airOrOxygen = value == nil ? nil : .air
    case .consciousness: set.consciousness = value == nil ? nil : .alert
    }
    return set
}

@Suite("NEWS2 incomplete and impossible sets")
struct NEWS2InputTests {
    @Test("a set missing a parameter is reported incomplete, never scored as 0", arguments: NEWS2Parameter.allCases)
    func missingParameter(parameter: NEWS2Parameter) throws {
        let assessment = try NEWS2Scorer().assess(setting(parameter, to: nil, in: normalSet))
        #expect(assessment.score == nil)
        guard case .incomplete(let missing, let partial) = assessment else {
            Issue.record("expected an incomplete set")
            return
        }
        #expect(missing == [parameter])
        #expect(partial[parameter] == nil)
        #expect(partial.observed.count == 6)
        #expect(assessment.description.contains("incomplete"))
    }

    @Test("an incomplete set keeps a red score among what was observed")
    func incompleteRedScore() throws {
        let assessment = try NEWS2Scorer().assess(NEWS2Observations(respirationRate: 30, pulse: 80))
        #expect(assessment.hasRedScore)
        guard case .incomplete(let missing, _) = assessment else {
            Issue.record("expected an incomplete set")
            return
        }
        #expect(missing == [.oxygenSaturation, .airOrOxygen, .systolicBloodPressure, .consciousness, .temperature])
    }

    @Test(
        "impossible values are typed errors naming the parameter",
        arguments: [
            ImpossibleValue(parameter: .oxygenSaturation, value: 100.1),
            ImpossibleValue(parameter: .oxygenSaturation, value: -1),
            ImpossibleValue(parameter: .respirationRate, value: -1),
            ImpossibleValue(parameter: .respirationRate, value: .nan),
            ImpossibleValue(parameter: .pulse, value: -5),
            ImpossibleValue(parameter: .pulse, value: .infinity),
            ImpossibleValue(parameter: .systolicBloodPressure, value: -10),
            ImpossibleValue(parameter: .systolicBloodPressure, value: 401),
            ImpossibleValue(parameter: .temperature, value: 371),
            ImpossibleValue(parameter: .temperature, value: 9.9),
        ]
    )
    func impossible(_ impossible: ImpossibleValue) throws {
        let set = setting(impossible.parameter, to: impossible.value, in: normalSet)
        let error = try #require(throws: TriageScoringError.self) { try NEWS2Scorer().assess(set) }
        #expect(error.code == .impossibleValue)
        #expect(error.field == FieldPath(impossible.parameter.fieldName))
        #expect(!error.description.contains(String(impossible.value)))
    }

    @Test("the limits of the possible ranges are accepted")
    func rangeLimits() throws {
        let set = NEWS2Observations(
            respirationRate: 0,
            oxygenSaturation: 100,
            airOrOxygen: .air,
            systolicBloodPressure: 400,
            pulse: 0,
            consciousness: .alert,
            temperature: 10
        )
        #expect(try score(set).total == 12)
    }

    @Test("descriptions name the response and the red-score parameters")
    func descriptions() throws {
        #expect(
            try score(varied { $0.respirationRate = 26 }).description == "NEWS2 3 (low-medium; 3 in respiration rate)"
        )
        #expect(ACVPU.newConfusion.coding.code == "130987000")
        #expect(ACVPU.unresponsive.coding.code == "422768004")
    }
}
