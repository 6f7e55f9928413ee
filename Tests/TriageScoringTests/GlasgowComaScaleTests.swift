import Testing
import TriageScoring

@Suite("Glasgow Coma Scale")
struct GlasgowComaScaleTests {
    struct Scored: Sendable, CustomTestStringConvertible {
        let eye: Int
        let verbal: Int
        let motor: Int
        let total: Int
        let notation: String
        let below15: Bool
        var testDescription: String { notation }
    }

    @Test(arguments: [
        Scored(eye: 4, verbal: 5, motor: 6, total: 15, notation: "E4 V5 M6", below15: false),
        Scored(eye: 3, verbal: 5, motor: 6, total: 14, notation: "E3 V5 M6", below15: true),
        Scored(eye: 4, verbal: 4, motor: 6, total: 14, notation: "E4 V4 M6", below15: true),
        Scored(eye: 4, verbal: 5, motor: 5, total: 14, notation: "E4 V5 M5", below15: true),
        Scored(eye: 3, verbal: 4, motor: 6, total: 13, notation: "E3 V4 M6", below15: true),
        Scored(eye: 1, verbal: 1, motor: 1, total: 3, notation: "E1 V1 M1", below15: true),
    ])
    func scoredAssessments(row: Scored) throws {
        let gcs = try GlasgowComaScale(eye: row.eye, verbal: row.verbal, motor: row.motor)
        #expect(gcs.total == row.total)
        #expect(gcs.notation == row.notation)
        #expect(gcs.isBelow15 == row.below15)
        #expect(!gcs.hasNotTestableComponent)
        #expect(gcs.description == "GCS \(row.total) (\(row.notation))")
    }

    struct NotTestable: Sendable, CustomTestStringConvertible {
        let eye: GlasgowComaScale.Response
        let verbal: GlasgowComaScale.Response
        let motor: GlasgowComaScale.Response
        let notation: String
        let below15: Bool?
        var testDescription: String { notation }
    }

    @Test(arguments: [
        NotTestable(eye: .score(3), verbal: .notTestable, motor: .score(6), notation: "E3 VNT M6", below15: true),
        NotTestable(eye: .score(4), verbal: .notTestable, motor: .score(6), notation: "E4 VNT M6", below15: nil),
        NotTestable(eye: .notTestable, verbal: .score(5), motor: .score(6), notation: "ENT V5 M6", below15: nil),
        NotTestable(eye: .notTestable, verbal: .score(2), motor: .score(6), notation: "ENT V2 M6", below15: true),
        NotTestable(eye: .score(4), verbal: .score(5), motor: .notTestable, notation: "E4 V5 MNT", below15: nil),
        NotTestable(
            eye: .notTestable,
            verbal: .notTestable,
            motor: .notTestable,
            notation: "ENT VNT MNT",
            below15: nil
        ),
    ])
    func notTestableComponentsHaveNoTotal(row: NotTestable) throws {
        let gcs = try GlasgowComaScale(eye: row.eye, verbal: row.verbal, motor: row.motor)
        #expect(gcs.total == nil)
        #expect(gcs.hasNotTestableComponent)
        #expect(gcs.notation == row.notation)
        #expect(gcs.isBelow15 == row.below15)
        #expect(gcs.description == "GCS \(row.notation) (no total)")
    }

    struct OutOfRange: Sendable, CustomTestStringConvertible {
        let eye: Int
        let verbal: Int
        let motor: Int
        let field: String
        var testDescription: String { "E\(eye) V\(verbal) M\(motor)" }
    }

    @Test(arguments: [
        OutOfRange(eye: 0, verbal: 5, motor: 6, field: "eye"),
        OutOfRange(eye: 5, verbal: 5, motor: 6, field: "eye"),
        OutOfRange(eye: 4, verbal: 0, motor: 6, field: "verbal"),
        OutOfRange(eye: 4, verbal: 6, motor: 6, field: "verbal"),
        OutOfRange(eye: 4, verbal: 5, motor: 0, field: "motor"),
        OutOfRange(eye: 4, verbal: 5, motor: 7, field: "motor"),
        OutOfRange(eye: -1, verbal: 5, motor: 6, field: "eye"),
    ])
    func componentsOutsideTheirRangeAreRefused(row: OutOfRange) {
        expectTriageError(.impossibleValue, at: row.field) { () throws(TriageScoringError) in
            try GlasgowComaScale(eye: row.eye, verbal: row.verbal, motor: row.motor)
        }
    }

    @Test func outOfRangeIsRefusedBesideANotTestableComponent() {
        expectTriageError(.impossibleValue, at: "motor") { () throws(TriageScoringError) in
            try GlasgowComaScale(eye: .notTestable, verbal: .score(5), motor: .score(9))
        }
    }

    @Test func componentRanges() {
        #expect(GlasgowComaScale.eyeRange == 1...4)
        #expect(GlasgowComaScale.verbalRange == 1...5)
        #expect(GlasgowComaScale.motorRange == 1...6)
    }

    @Test func responseValue() {
        #expect(GlasgowComaScale.Response.score(3).value == 3)
        #expect(GlasgowComaScale.Response.notTestable.value == nil)
    }
}
