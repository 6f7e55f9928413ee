import Testing
import TriageScoring

@Suite("Early warning chart")
struct EarlyWarningChartTests {
    typealias Chart = EarlyWarningChart

    // TEST ONLY — not a clinical chart. Every number below is invented so that band edges are easy to see;
    // none comes from PEWS, SPOT or any other published chart, and none may be used with a patient.
    static let testChartCSV = """
        kind,age_from_months,age_to_months,parameter,value,points,note
        name,,,,TEST ONLY — not a clinical chart,,
        source,,,,"Invented numbers for unit tests, version 0",,
        numeric,0,11,heart-rate,11.5,0,invented
        numeric,0,11,heart-rate,22.5,1,
        numeric,0,11,heart-rate,open,2,
        numeric,0,11,oxygen-saturation,33,3,
        numeric,0,11,oxygen-saturation,open,0,
        coded,0,11,consciousness,code-a,0,
        coded,0,11,consciousness,code-b,4,
        numeric,12,59,heart-rate,44,0,
        numeric,12,59,heart-rate,55,1,
        numeric,12,59,heart-rate,open,2,
        numeric,12,59,oxygen-saturation,66,3,
        numeric,12,59,oxygen-saturation,open,0,
        coded,12,59,consciousness,code-a,0,
        coded,12,59,consciousness,code-b,4,
        numeric, 60 ,215,heart-rate, 77 ,0,spaces are trimmed
        numeric,60,215,heart-rate,88,1,
        numeric,60,215,heart-rate,open,2,
        numeric,60,215,oxygen-saturation,99,3,
        numeric,60,215,oxygen-saturation,open,0,
        coded,60,215,consciousness,code-a,0,
        coded,60,215,consciousness,code-b,4,
        coded,60,215,consciousness,code-c,7,
        minimum,,,oxygen-saturation,0,,
        maximum,,,oxygen-saturation,100,,
        tier,,,,tier-low,1,
        tier,,,,tier-mid,3,
        tier,,,,tier-high,6,
        trigger,,,parent-concern,tier-high,,
        trigger,,,nurse-concern,tier-mid,,

        """

    static func testChart() throws -> Chart {
        try Chart(csv: testChartCSV)
    }

    static func values(
        heartRate: Double? = nil,
        oxygenSaturation: Double? = nil,
        consciousness: String? = nil
    ) -> [String: Chart.ParameterValue] {
        var values: [String: Chart.ParameterValue] = [:]
        if let heartRate { values["heart-rate"] = .number(heartRate) }
        if let oxygenSaturation { values["oxygen-saturation"] = .number(oxygenSaturation) }
        if let consciousness { values["consciousness"] = .code(consciousness) }
        return values
    }

    // MARK: Loading

    @Test func loadsTheTestChart() throws {
        let chart = try Self.testChart()
        #expect(chart.name == "TEST ONLY — not a clinical chart")
        #expect(chart.source == "Invented numbers for unit tests, version 0")
        #expect(chart.ageBands.map(\.fromMonths) == [0, 12, 60])
        #expect(chart.ageBands.map(\.toMonths) == [11, 59, 215])
        #expect(chart.numericParameters == ["heart-rate", "oxygen-saturation"])
        #expect(chart.codedParameters == ["consciousness"])
        #expect(chart.parameters == ["consciousness", "heart-rate", "oxygen-saturation"])
        #expect(chart.escalationTiers.map(\.name) == ["tier-low", "tier-mid", "tier-high"])
        #expect(chart.escalationTiers.map(\.minimumTotal) == [1, 3, 6])
        #expect(chart.mandatoryTriggers.map(\.concern) == ["nurse-concern", "parent-concern"])
        #expect(chart.possibleRanges == ["oxygen-saturation": 0...100])
        #expect(
            chart.ageBands[2].numericParameters["heart-rate"] == [
                Chart.NumericBand(upTo: 77, points: 0), Chart.NumericBand(upTo: 88, points: 1),
                Chart.NumericBand(upTo: nil, points: 2),
            ]
        )
    }

    // MARK: Band edges

    struct NumericEdge: Sendable, CustomTestStringConvertible {
        let age: Int
        let parameter: String
        let value: Double
        let points: Int
        var testDescription: String { "\(age) months, \(parameter) \(value) → \(points)" }
    }

    @Test(arguments: [
        NumericEdge(age: 0, parameter: "heart-rate", value: 0, points: 0),
        NumericEdge(age: 0, parameter: "heart-rate", value: 11.5, points: 0),
        NumericEdge(age: 0, parameter: "heart-rate", value: 11.51, points: 1),
        NumericEdge(age: 0, parameter: "heart-rate", value: 22.5, points: 1),
        NumericEdge(age: 0, parameter: "heart-rate", value: 22.6, points: 2),
        NumericEdge(age: 0, parameter: "heart-rate", value: 100_000, points: 2),
        NumericEdge(age: 12, parameter: "heart-rate", value: 44, points: 0),
        NumericEdge(age: 12, parameter: "heart-rate", value: 44.1, points: 1),
        NumericEdge(age: 12, parameter: "heart-rate", value: 55, points: 1),
        NumericEdge(age: 12, parameter: "heart-rate", value: 55.5, points: 2),
        NumericEdge(age: 60, parameter: "heart-rate", value: 77, points: 0),
        NumericEdge(age: 60, parameter: "heart-rate", value: 78, points: 1),
        NumericEdge(age: 60, parameter: "heart-rate", value: 88, points: 1),
        NumericEdge(age: 60, parameter: "heart-rate", value: 89, points: 2),
        NumericEdge(age: 0, parameter: "oxygen-saturation", value: 33, points: 3),
        NumericEdge(age: 0, parameter: "oxygen-saturation", value: 33.1, points: 0),
        NumericEdge(age: 12, parameter: "oxygen-saturation", value: 66, points: 3),
        NumericEdge(age: 12, parameter: "oxygen-saturation", value: 67, points: 0),
        NumericEdge(age: 60, parameter: "oxygen-saturation", value: 99, points: 3),
        NumericEdge(age: 60, parameter: "oxygen-saturation", value: 99.5, points: 0),
        NumericEdge(age: 60, parameter: "oxygen-saturation", value: 100, points: 0),
        NumericEdge(age: 60, parameter: "oxygen-saturation", value: 0, points: 3),
    ])
    func numericBandEdges(edge: NumericEdge) throws {
        let assessment = try Self.testChart().assess(
            ageInMonths: edge.age,
            values: [edge.parameter: .number(edge.value)]
        )
        #expect(assessment.subScores == [Chart.SubScore(parameter: edge.parameter, points: edge.points)])
    }

    struct AgeEdge: Sendable, CustomTestStringConvertible {
        let age: Int
        let points: Int
        var testDescription: String { "\(age) months" }
    }

    // A heart rate of 50 scores 2, 1 and 0 in the three invented age bands.
    @Test(arguments: [
        AgeEdge(age: 0, points: 2), AgeEdge(age: 11, points: 2), AgeEdge(age: 12, points: 1),
        AgeEdge(age: 59, points: 1), AgeEdge(age: 60, points: 0), AgeEdge(age: 215, points: 0),
    ])
    func ageBandEdges(edge: AgeEdge) throws {
        let assessment = try Self.testChart().assess(ageInMonths: edge.age, values: Self.values(heartRate: 50))
        #expect(assessment.subScores.map(\.points) == [edge.points])
    }

    @Test(arguments: [("code-a", 0), ("code-b", 4)])
    func codedParameters(code: String, points: Int) throws {
        let assessment = try Self.testChart().assess(ageInMonths: 30, values: Self.values(consciousness: code))
        #expect(assessment.subScores == [Chart.SubScore(parameter: "consciousness", points: points)])
    }

    // MARK: Totals and tiers

    struct Total: Sendable, CustomTestStringConvertible {
        let heartRate: Double
        let oxygenSaturation: Double
        let consciousness: String
        let total: Int
        let tier: String?
        var testDescription: String { "total \(total) → \(tier ?? "no tier")" }
    }

    @Test(arguments: [
        Total(heartRate: 50, oxygenSaturation: 100, consciousness: "code-a", total: 0, tier: nil),
        Total(heartRate: 80, oxygenSaturation: 100, consciousness: "code-a", total: 1, tier: "tier-low"),
        Total(heartRate: 90, oxygenSaturation: 100, consciousness: "code-a", total: 2, tier: "tier-low"),
        Total(heartRate: 50, oxygenSaturation: 99, consciousness: "code-a", total: 3, tier: "tier-mid"),
        Total(heartRate: 90, oxygenSaturation: 99, consciousness: "code-a", total: 5, tier: "tier-mid"),
        Total(heartRate: 90, oxygenSaturation: 100, consciousness: "code-b", total: 6, tier: "tier-high"),
        Total(heartRate: 90, oxygenSaturation: 99, consciousness: "code-c", total: 12, tier: "tier-high"),
    ])
    func tierEdges(row: Total) throws {
        let assessment = try Self.testChart().assess(
            ageInMonths: 100,
            values: Self.values(
                heartRate: row.heartRate,
                oxygenSaturation: row.oxygenSaturation,
                consciousness: row.consciousness
            )
        )
        #expect(assessment.isComplete)
        #expect(assessment.missingParameters.isEmpty)
        #expect(assessment.total == row.total)
        #expect(assessment.partialTotal == row.total)
        #expect(assessment.tierFromTotal?.name == row.tier)
        #expect(assessment.tierAfterTriggers?.name == row.tier)
        #expect(assessment.subScores.map(\.parameter) == ["consciousness", "heart-rate", "oxygen-saturation"])
        #expect(assessment.chartName == "TEST ONLY — not a clinical chart")
    }

    struct Trigger: Sendable, CustomTestStringConvertible {
        let heartRate: Double
        let concerns: Set<String>
        let fromTotal: String?
        let after: String?
        var testDescription: String { "\(concerns.sorted()) with \(fromTotal ?? "no tier")" }
    }

    @Test(arguments: [
        Trigger(heartRate: 50, concerns: [], fromTotal: nil, after: nil),
        Trigger(heartRate: 50, concerns: ["nurse-concern"], fromTotal: nil, after: "tier-mid"),
        Trigger(heartRate: 50, concerns: ["parent-concern"], fromTotal: nil, after: "tier-high"),
        Trigger(heartRate: 50, concerns: ["nurse-concern", "parent-concern"], fromTotal: nil, after: "tier-high"),
        Trigger(heartRate: 80, concerns: ["nurse-concern"], fromTotal: "tier-low", after: "tier-mid"),
    ])
    func triggersEscalateWhateverTheTotal(row: Trigger) throws {
        let assessment = try Self.testChart().assess(
            ageInMonths: 100,
            values: Self.values(heartRate: row.heartRate, oxygenSaturation: 100, consciousness: "code-a"),
            concerns: row.concerns
        )
        #expect(assessment.tierFromTotal?.name == row.fromTotal)
        #expect(assessment.tierAfterTriggers?.name == row.after)
        #expect(assessment.raisedTriggers.map(\.concern) == row.concerns.sorted())
        #expect(assessment.total == (row.heartRate == 80 ? 1 : 0))
    }

    @Test func aTriggerNeverLowersTheTier() throws {
        let assessment = try Self.testChart().assess(
            ageInMonths: 100,
            values: Self.values(heartRate: 90, oxygenSaturation: 100, consciousness: "code-b"),
            concerns: ["nurse-concern"]
        )
        #expect(assessment.tierFromTotal?.name == "tier-high")
        #expect(assessment.tierAfterTriggers?.name == "tier-high")
    }

    // MARK: Incomplete sets

    @Test func missingParametersAreReportedNeverScoredAsZero() throws {
        let assessment = try Self.testChart().assess(ageInMonths: 100, values: Self.values(heartRate: 90))
        #expect(!assessment.isComplete)
        #expect(assessment.missingParameters == ["consciousness", "oxygen-saturation"])
        #expect(assessment.total == nil)
        #expect(assessment.partialTotal == 2)
        #expect(assessment.tierFromTotal?.name == "tier-low")
        #expect(assessment.description.contains("incomplete"))
    }

    @Test func aPartialTotalStillEscalates() throws {
        let assessment = try Self.testChart().assess(
            ageInMonths: 100,
            values: Self.values(heartRate: 90, consciousness: "code-b")
        )
        #expect(assessment.total == nil)
        #expect(assessment.partialTotal == 6)
        #expect(assessment.missingParameters == ["oxygen-saturation"])
        #expect(assessment.tierAfterTriggers?.name == "tier-high")
    }

    @Test func anEmptySetStillHonoursTriggers() throws {
        let assessment = try Self.testChart().assess(ageInMonths: 100, values: [:], concerns: ["parent-concern"])
        #expect(assessment.missingParameters == ["consciousness", "heart-rate", "oxygen-saturation"])
        #expect(assessment.subScores.isEmpty)
        #expect(assessment.tierFromTotal == nil)
        #expect(assessment.tierAfterTriggers?.name == "tier-high")
    }

    // MARK: Scoring errors

    struct ScoringError: Sendable, CustomTestStringConvertible {
        let name: String
        let age: Int
        let values: [String: Chart.ParameterValue]
        var concerns: Set<String> = []
        let code: TriageScoringError.Code
        let field: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        ScoringError(name: "negative age", age: -1, values: [:], code: .impossibleValue, field: "ageInMonths"),
        ScoringError(name: "age past every band", age: 216, values: [:], code: .invalidValue, field: "ageInMonths"),
        ScoringError(
            name: "unknown parameter",
            age: 5,
            values: ["blood-glucose": .number(5)],
            code: .invalidValue,
            field: "values.blood-glucose"
        ),
        ScoringError(
            name: "number for a coded parameter",
            age: 5,
            values: ["consciousness": .number(1)],
            code: .invalidValue,
            field: "values.consciousness"
        ),
        ScoringError(
            name: "code for a numeric parameter",
            age: 5,
            values: ["heart-rate": .code("code-a")],
            code: .invalidValue,
            field: "values.heart-rate"
        ),
        ScoringError(
            name: "code not in this age band",
            age: 5,
            values: ["consciousness": .code("code-c")],
            code: .invalidValue,
            field: "values.consciousness"
        ),
        ScoringError(
            name: "NaN",
            age: 5,
            values: ["heart-rate": .number(.nan)],
            code: .impossibleValue,
            field: "values.heart-rate"
        ),
        ScoringError(
            name: "infinity",
            age: 5,
            values: ["heart-rate": .number(.infinity)],
            code: .impossibleValue,
            field: "values.heart-rate"
        ),
        ScoringError(
            name: "negative with no declared range",
            age: 5,
            values: ["heart-rate": .number(-1)],
            code: .impossibleValue,
            field: "values.heart-rate"
        ),
        ScoringError(
            name: "above the declared range",
            age: 5,
            values: ["oxygen-saturation": .number(100.5)],
            code: .impossibleValue,
            field: "values.oxygen-saturation"
        ),
        ScoringError(
            name: "below the declared range",
            age: 5,
            values: ["oxygen-saturation": .number(-0.1)],
            code: .impossibleValue,
            field: "values.oxygen-saturation"
        ),
        ScoringError(
            name: "unknown concern",
            age: 5,
            values: [:],
            concerns: ["doctor-concern"],
            code: .invalidValue,
            field: "concerns.doctor-concern"
        ),
    ])
    func scoringErrors(row: ScoringError) throws {
        let chart = try Self.testChart()
        expectTriageError(row.code, at: row.field) { () throws(TriageScoringError) in
            try chart.assess(ageInMonths: row.age, values: row.values, concerns: row.concerns)
        }
    }

    // MARK: Malformed CSV

    static let header = "kind,age_from_months,age_to_months,parameter,value,points"

    /// A small valid chart; row `i` is on line `i + 2`.
    static let minimal = [
        "name,,,,TEST ONLY — not a clinical chart,",
        "source,,,,invented,",
        "numeric,0,11,heart-rate,11.5,0",
        "numeric,0,11,heart-rate,open,1",
        "coded,0,11,consciousness,code-a,0",
        "numeric,12,open,heart-rate,22.5,0",
        "numeric,12,open,heart-rate,open,1",
        "coded,12,open,consciousness,code-a,0",
        "tier,,,,tier-low,1",
        "trigger,,,parent-concern,tier-low,",
    ]

    static func csv(_ rows: [String]) -> String {
        ([header] + rows).joined(separator: "\n") + "\n"
    }

    static func replacing(_ replacements: [Int: String]) -> [String] {
        var rows = minimal
        for (index, row) in replacements { rows[index] = row }
        return rows
    }

    static func inserting(_ inserted: String..., at index: Int) -> [String] {
        var rows = minimal
        rows.insert(contentsOf: inserted, at: index)
        return rows
    }

    static func removing(_ indexes: [Int]) -> [String] {
        var rows = minimal
        for index in indexes.sorted(by: >) { rows.remove(at: index) }
        return rows
    }

    @Test func theMinimalChartLoadsWithAnOpenLastAgeBand() throws {
        let chart = try Chart(csv: Self.csv(Self.minimal))
        #expect(chart.ageBands.map(\.toMonths) == [11, nil])
        let assessment = try chart.assess(ageInMonths: 1_000, values: ["heart-rate": .number(23)])
        #expect(assessment.subScores == [Chart.SubScore(parameter: "heart-rate", points: 1)])
        #expect(assessment.missingParameters == ["consciousness"])
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let name: String
        let rows: [String]
        let field: String
        let line: Int?
        var testDescription: String { name }
    }

    static let malformed: [Malformed] = [
        Malformed(
            name: "bands not ascending",
            rows: inserting("numeric,0,11,heart-rate,10,0", at: 3),
            field: "ageBands[0].numeric.heart-rate[1].upperBound",
            line: 5
        ),
        Malformed(
            name: "final band not open",
            rows: replacing([3: "numeric,0,11,heart-rate,20,1"]),
            field: "ageBands[0].numeric.heart-rate[1].upperBound",
            line: 5
        ),
        Malformed(
            name: "open band not final",
            rows: inserting("numeric,0,11,heart-rate,30,2", at: 4),
            field: "ageBands[0].numeric.heart-rate[1].upperBound",
            line: 5
        ),
        Malformed(
            name: "negative band points",
            rows: replacing([2: "numeric,0,11,heart-rate,11.5,-2"]),
            field: "ageBands[0].numeric.heart-rate[0].points",
            line: 4
        ),
        Malformed(
            name: "negative code points",
            rows: replacing([4: "coded,0,11,consciousness,code-a,-1"]),
            field: "ageBands[0].coded.consciousness.code-a",
            line: 6
        ),
        Malformed(
            name: "age band without a parameter",
            rows: removing([7]),
            field: "ageBands[1].coded.consciousness",
            line: 7
        ),
        Malformed(
            name: "gap between age bands",
            rows: replacing([
                5: "numeric,13,open,heart-rate,22.5,0", 6: "numeric,13,open,heart-rate,open,1",
                7: "coded,13,open,consciousness,code-a,0",
            ]),
            field: "ageBands[1].fromMonths",
            line: 7
        ),
        Malformed(
            name: "overlapping age bands",
            rows: replacing([
                5: "numeric,11,open,heart-rate,22.5,0", 6: "numeric,11,open,heart-rate,open,1",
                7: "coded,11,open,consciousness,code-a,0",
            ]),
            field: "ageBands[1].fromMonths",
            line: 7
        ),
        Malformed(
            name: "open age band not last",
            rows: replacing([
                2: "numeric,0,open,heart-rate,11.5,0", 3: "numeric,0,open,heart-rate,open,1",
                4: "coded,0,open,consciousness,code-a,0",
            ]),
            field: "ageBands[0].toMonths",
            line: 4
        ),
        Malformed(
            name: "age band ending before it starts",
            rows: replacing([
                2: "numeric,5,2,heart-rate,11.5,0", 3: "numeric,5,2,heart-rate,open,1",
                4: "coded,5,2,consciousness,code-a,0",
            ]),
            field: "ageBands[0].toMonths",
            line: 4
        ),
        Malformed(
            name: "tiers not ascending",
            rows: inserting("tier,,,,tier-two,1", at: 9),
            field: "escalationTiers[1].minimumTotal",
            line: 11
        ),
        Malformed(
            name: "tier named twice",
            rows: inserting("tier,,,,tier-low,5", at: 9),
            field: "escalationTiers[1].name",
            line: 11
        ),
        Malformed(
            name: "trigger to an unknown tier",
            rows: replacing([9: "trigger,,,parent-concern,tier-nope,"]),
            field: "mandatoryTriggers[0].tier",
            line: 11
        ),
        Malformed(
            name: "concern with two triggers",
            rows: inserting("trigger,,,parent-concern,tier-low,", at: 10),
            field: "mandatoryTriggers[1].concern",
            line: 12
        ),
        Malformed(
            name: "no escalation tiers",
            rows: removing([8, 9]),
            field: "escalationTiers",
            line: nil
        ),
        Malformed(
            name: "numeric in one band, coded in another",
            rows: replacing([7: "numeric,12,open,consciousness,open,0"]),
            field: "parameters.consciousness",
            line: 6
        ),
        Malformed(
            name: "range for a coded parameter",
            rows: inserting("minimum,,,consciousness,0,", "maximum,,,consciousness,1,", at: 8),
            field: "possibleRanges.consciousness",
            line: 10
        ),
        Malformed(
            name: "minimum without maximum",
            rows: inserting("minimum,,,heart-rate,0,", at: 8),
            field: "possibleRanges.heart-rate",
            line: 10
        ),
        Malformed(
            name: "minimum above maximum",
            rows: inserting("minimum,,,heart-rate,10,", "maximum,,,heart-rate,5,", at: 8),
            field: "possibleRanges.heart-rate",
            line: 11
        ),
        Malformed(name: "no name", rows: removing([0]), field: "name", line: nil),
        Malformed(name: "two names", rows: inserting("name,,,,another,", at: 1), field: "csv.kind", line: 3),
        Malformed(name: "blank source", rows: replacing([1: "source,,,,   ,"]), field: "csv.value", line: 3),
        Malformed(name: "unknown kind", rows: replacing([8: "level,,,,tier-low,1"]), field: "csv.kind", line: 10),
        Malformed(
            name: "column that must be empty",
            rows: replacing([8: "tier,0,,,tier-low,1"]),
            field: "csv.age_from_months",
            line: 10
        ),
        Malformed(
            name: "exponent",
            rows: replacing([2: "numeric,0,11,heart-rate,1e3,0"]),
            field: "csv.value",
            line: 4
        ),
        Malformed(name: "nan", rows: replacing([2: "numeric,0,11,heart-rate,nan,0"]), field: "csv.value", line: 4),
        Malformed(name: "word", rows: replacing([2: "numeric,0,11,heart-rate,abc,0"]), field: "csv.value", line: 4),
        Malformed(
            name: "bare point",
            rows: replacing([2: "numeric,0,11,heart-rate,.5,0"]),
            field: "csv.value",
            line: 4
        ),
        Malformed(name: "empty bound", rows: replacing([2: "numeric,0,11,heart-rate,,0"]), field: "csv.value", line: 4),
        Malformed(
            name: "fractional points",
            rows: replacing([8: "tier,,,,tier-low,1.5"]),
            field: "csv.points",
            line: 10
        ),
        Malformed(
            name: "negative age",
            rows: replacing([2: "numeric,-1,11,heart-rate,11.5,0"]),
            field: "csv.age_from_months",
            line: 4
        ),
        Malformed(
            name: "code given twice",
            rows: inserting("coded,0,11,consciousness,code-a,2", at: 5),
            field: "csv.value",
            line: 7
        ),
        Malformed(
            name: "malformed key",
            rows: replacing([2: "numeric,0,11,Heart Rate,11.5,0"]),
            field: "csv.parameter",
            line: 4
        ),
        Malformed(name: "unterminated quote", rows: replacing([1: "source,,,,\"invented,"]), field: "csv", line: 3),
        Malformed(name: "short record", rows: replacing([8: "tier,,,,tier-low"]), field: "csv", line: 10),
    ]

    @Test(arguments: malformed)
    func malformedChartsNameTheFieldAndLine(row: Malformed) {
        expectTriageError(.malformedChart, at: row.field, line: row.line) { () throws(TriageScoringError) in
            try Chart(csv: Self.csv(row.rows))
        }
    }

    @Test func hugeAgesAndPointsAreRefusedRatherThanOverflowing() throws {
        let hugeAge = Self.replacing([
            2: "numeric,0,9223372036854775807,heart-rate,11.5,0", 3: "numeric,0,9223372036854775807,heart-rate,open,1",
            4: "coded,0,9223372036854775807,consciousness,code-a,0",
        ])
        let ageError = try #require(throws: TriageScoringError.self) { try Chart(csv: Self.csv(hugeAge)) }
        #expect(ageError.code == .malformedChart)
        let hugePoints = Self.replacing([3: "numeric,0,11,heart-rate,open,9223372036854775807"])
        let pointsError = try #require(throws: TriageScoringError.self) { try Chart(csv: Self.csv(hugePoints)) }
        #expect(pointsError.code == .malformedChart)
    }

    @Test func aMissingColumnIsReportedOnTheHeader() {
        let text = (["kind,age_from_months,age_to_months,parameter,value,pts"] + Self.minimal).joined(separator: "\n")
        expectTriageError(.malformedChart, at: "csv.header.points", line: 1) { () throws(TriageScoringError) in
            try Chart(csv: text)
        }
    }

    @Test func anEmptyFileIsMalformed() {
        expectTriageError(.malformedChart, at: "csv") { () throws(TriageScoringError) in
            try Chart(csv: "")
        }
    }

    // MARK: Building in Swift

    static func band(
        from: Int = 0,
        to: Int? = nil,
        numeric: [String: [Chart.NumericBand]] = [
            "heart-rate": [.init(upTo: 1, points: 0), .init(upTo: nil, points: 1)]
        ],
        coded: [String: [String: Int]] = [:]
    ) -> Chart.AgeBand {
        Chart.AgeBand(fromMonths: from, toMonths: to, numericParameters: numeric, codedParameters: coded)
    }

    struct Built: Sendable, CustomTestStringConvertible {
        let name: String
        var chartName = "TEST ONLY — not a clinical chart"
        var bands: [Chart.AgeBand] = [EarlyWarningChartTests.band()]
        var tiers = [Chart.EscalationTier(name: "tier-low", minimumTotal: 1)]
        var triggers: [Chart.MandatoryTrigger] = []
        var ranges: [String: ClosedRange<Double>] = [:]
        let field: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Built(name: "empty name", chartName: " ", field: "name"),
        Built(name: "no age bands", bands: [], field: "ageBands"),
        Built(name: "no parameters", bands: [band(numeric: [:])], field: "parameters"),
        Built(name: "negative first month", bands: [band(from: -1)], field: "ageBands[0].fromMonths"),
        Built(
            name: "parameter with no bands",
            bands: [band(numeric: ["heart-rate": []])],
            field: "ageBands[0].numeric.heart-rate"
        ),
        Built(
            name: "infinite bound",
            bands: [band(numeric: ["heart-rate": [.init(upTo: .infinity, points: 0), .init(upTo: nil, points: 1)]])],
            field: "ageBands[0].numeric.heart-rate[0].upperBound"
        ),
        Built(
            name: "malformed key",
            bands: [band(numeric: ["HR": [.init(upTo: nil, points: 1)]])],
            field: "ageBands[0].numeric.HR"
        ),
        Built(
            name: "coded parameter with no codes",
            bands: [band(coded: ["consciousness": [:]])],
            field: "ageBands[0].coded.consciousness"
        ),
        Built(
            name: "negative tier",
            tiers: [.init(name: "tier-low", minimumTotal: -1)],
            field: "escalationTiers[0].minimumTotal"
        ),
        Built(name: "unnamed tier", tiers: [.init(name: "", minimumTotal: 1)], field: "escalationTiers[0].name"),
        Built(
            name: "bad concern key",
            triggers: [.init(concern: "Parent", tier: "tier-low")],
            field: "mandatoryTriggers[0].concern"
        ),
        Built(
            name: "range of an unknown parameter",
            ranges: ["temperature": 0...50],
            field: "possibleRanges.temperature"
        ),
        Built(name: "infinite range", ranges: ["heart-rate": 0...Double.infinity], field: "possibleRanges.heart-rate"),
    ])
    func chartsBuiltInSwiftAreChecked(row: Built) {
        expectTriageError(.malformedChart, at: row.field) { () throws(TriageScoringError) in
            try Chart(
                name: row.chartName,
                source: "invented",
                ageBands: row.bands,
                escalationTiers: row.tiers,
                mandatoryTriggers: row.triggers,
                possibleRanges: row.ranges
            )
        }
    }
}
