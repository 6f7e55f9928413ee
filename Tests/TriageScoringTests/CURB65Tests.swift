import Testing
import TriageScoring

@Suite("CURB-65 and CRB-65")
struct CURB65Tests {
    /// Inputs that meet no criterion unless a case changes them.
    struct Inputs: Sendable, CustomTestStringConvertible {
        var confusion = false
        var urea = 5.0
        var respiratoryRate = 16.0
        var systolic = 120.0
        var diastolic = 80.0
        var age = 40
        var name = "baseline"
        var testDescription: String { name }

        func curb65() throws -> CURB65 {
            try CURB65(
                confusion: confusion,
                urea: Urea(millimolesPerLitre: urea),
                respiratoryRate: respiratoryRate,
                systolicBloodPressure: systolic,
                diastolicBloodPressure: diastolic,
                ageInYears: age
            )
        }

        func crb65() throws -> CRB65 {
            try CRB65(
                confusion: confusion,
                respiratoryRate: respiratoryRate,
                systolicBloodPressure: systolic,
                diastolicBloodPressure: diastolic,
                ageInYears: age
            )
        }
    }

    struct Edge: Sendable, CustomTestStringConvertible {
        let inputs: Inputs
        let met: [PneumoniaSeverityCriterion]
        var testDescription: String { inputs.name }
    }

    static let edges: [Edge] = [
        Edge(inputs: Inputs(), met: []),
        Edge(inputs: Inputs(confusion: true, name: "confused"), met: [.confusion]),
        Edge(inputs: Inputs(urea: 7.0, name: "urea 7.0"), met: []),
        Edge(inputs: Inputs(urea: 7.01, name: "urea 7.01"), met: [.urea]),
        Edge(inputs: Inputs(urea: 7.1, name: "urea 7.1"), met: [.urea]),
        Edge(inputs: Inputs(respiratoryRate: 29, name: "RR 29"), met: []),
        Edge(inputs: Inputs(respiratoryRate: 29.9, name: "RR 29.9"), met: []),
        Edge(inputs: Inputs(respiratoryRate: 30, name: "RR 30"), met: [.respiratoryRate]),
        Edge(inputs: Inputs(systolic: 89, name: "SBP 89"), met: [.bloodPressure]),
        Edge(inputs: Inputs(systolic: 89.9, name: "SBP 89.9"), met: [.bloodPressure]),
        Edge(inputs: Inputs(systolic: 90, name: "SBP 90"), met: []),
        Edge(inputs: Inputs(diastolic: 60, name: "DBP 60"), met: [.bloodPressure]),
        Edge(inputs: Inputs(diastolic: 60.1, name: "DBP 60.1"), met: []),
        Edge(inputs: Inputs(diastolic: 61, name: "DBP 61"), met: []),
        Edge(inputs: Inputs(systolic: 85, diastolic: 55, name: "SBP 85 and DBP 55 count once"), met: [.bloodPressure]),
        Edge(inputs: Inputs(age: 64, name: "age 64"), met: []),
        Edge(inputs: Inputs(age: 65, name: "age 65"), met: [.age]),
    ]

    @Test(arguments: edges)
    func eachCriterionEdge(edge: Edge) throws {
        let curb = try edge.inputs.curb65()
        #expect(curb.criteriaMet == edge.met)
        #expect(curb.total == edge.met.count)
        let crb = try edge.inputs.crb65()
        #expect(crb.criteriaMet == edge.met.filter { $0 != .urea })
    }

    struct Band: Sendable, CustomTestStringConvertible {
        let inputs: Inputs
        let total: Int
        let risk: PneumoniaMortalityRisk
        let mortality: String
        var testDescription: String { "\(total) → \(risk)" }
    }

    @Test(arguments: [
        Band(inputs: Inputs(), total: 0, risk: .low, mortality: "<3%"),
        Band(inputs: Inputs(age: 70), total: 1, risk: .low, mortality: "<3%"),
        Band(inputs: Inputs(urea: 9, age: 70), total: 2, risk: .intermediate, mortality: "3–15%"),
        Band(inputs: Inputs(urea: 9, respiratoryRate: 31, age: 70), total: 3, risk: .high, mortality: ">15%"),
        Band(
            inputs: Inputs(urea: 9, respiratoryRate: 31, systolic: 80, age: 70),
            total: 4,
            risk: .high,
            mortality: ">15%"
        ),
        Band(
            inputs: Inputs(confusion: true, urea: 9, respiratoryRate: 31, systolic: 80, age: 70),
            total: 5,
            risk: .high,
            mortality: ">15%"
        ),
    ])
    func curb65Bands(band: Band) throws {
        let score = try band.inputs.curb65()
        #expect(score.total == band.total)
        #expect(score.risk == band.risk)
        #expect(score.thirtyDayMortality == band.mortality)
        #expect(score.description == "CURB-65 \(band.total) (\(band.risk) risk, 30-day mortality \(band.mortality))")
    }

    @Test(arguments: [
        Band(inputs: Inputs(urea: 20), total: 0, risk: .low, mortality: "<1%"),
        Band(inputs: Inputs(urea: 20, age: 70), total: 1, risk: .intermediate, mortality: "1–10%"),
        Band(inputs: Inputs(respiratoryRate: 31, age: 70), total: 2, risk: .intermediate, mortality: "1–10%"),
        Band(inputs: Inputs(respiratoryRate: 31, systolic: 80, age: 70), total: 3, risk: .high, mortality: ">10%"),
        Band(
            inputs: Inputs(confusion: true, respiratoryRate: 31, systolic: 80, age: 70),
            total: 4,
            risk: .high,
            mortality: ">10%"
        ),
    ])
    func crb65Bands(band: Band) throws {
        let score = try band.inputs.crb65()
        #expect(score.total == band.total)
        #expect(score.risk == band.risk)
        #expect(score.thirtyDayMortality == band.mortality)
        #expect(!score.criteriaMet.contains(.urea))
    }

    @Test func riskBandsByTotal() {
        #expect((0...5).map(CURB65.risk(total:)) == [.low, .low, .intermediate, .high, .high, .high])
        #expect((0...4).map(CRB65.risk(total:)) == [.low, .intermediate, .intermediate, .high, .high])
    }

    @Test(arguments: [-0.1, -7, Double.nan, Double.infinity, -Double.infinity])
    func impossibleUreaIsRefused(value: Double) {
        expectTriageError(.impossibleValue, at: "urea") { () throws(TriageScoringError) in
            try Urea(millimolesPerLitre: value)
        }
    }

    @Test func ureaOfZeroIsPossible() throws {
        #expect(try Urea(millimolesPerLitre: 0).millimolesPerLitre == 0)
    }

    struct Impossible: Sendable, CustomTestStringConvertible {
        let inputs: Inputs
        let field: String
        var testDescription: String { inputs.name }
    }

    @Test(arguments: [
        Impossible(inputs: Inputs(respiratoryRate: -1, name: "RR -1"), field: "respiratoryRate"),
        Impossible(inputs: Inputs(respiratoryRate: .nan, name: "RR NaN"), field: "respiratoryRate"),
        Impossible(inputs: Inputs(systolic: -1, name: "SBP -1"), field: "systolicBloodPressure"),
        Impossible(inputs: Inputs(systolic: .nan, name: "SBP NaN"), field: "systolicBloodPressure"),
        Impossible(inputs: Inputs(diastolic: -1, name: "DBP -1"), field: "diastolicBloodPressure"),
        Impossible(inputs: Inputs(diastolic: .nan, name: "DBP NaN"), field: "diastolicBloodPressure"),
        Impossible(inputs: Inputs(age: -1, name: "age -1"), field: "ageInYears"),
        Impossible(inputs: Inputs(age: 151, name: "age 151"), field: "ageInYears"),
    ])
    func impossibleValuesAreRefusedByBothScores(row: Impossible) {
        expectTriageError(.impossibleValue, at: row.field) { () throws(TriageScoringError) in
            try CURB65(
                confusion: row.inputs.confusion,
                urea: Urea(millimolesPerLitre: row.inputs.urea),
                respiratoryRate: row.inputs.respiratoryRate,
                systolicBloodPressure: row.inputs.systolic,
                diastolicBloodPressure: row.inputs.diastolic,
                ageInYears: row.inputs.age
            )
        }
        expectTriageError(.impossibleValue, at: row.field) { () throws(TriageScoringError) in
            try CRB65(
                confusion: row.inputs.confusion,
                respiratoryRate: row.inputs.respiratoryRate,
                systolicBloodPressure: row.inputs.systolic,
                diastolicBloodPressure: row.inputs.diastolic,
                ageInYears: row.inputs.age
            )
        }
    }

    @Test func errorsNeverRepeatTheValue() {
        expectTriageError(.impossibleValue, at: "urea", withheld: "-12.5") { () throws(TriageScoringError) in
            try Urea(millimolesPerLitre: -12.5)
        }
    }
}
