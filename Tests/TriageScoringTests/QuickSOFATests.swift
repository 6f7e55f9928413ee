import Testing
import TriageScoring

@Suite("qSOFA")
struct QuickSOFATests {
    struct Edge: Sendable, CustomTestStringConvertible {
        let value: Double
        let met: Bool
        var testDescription: String { "\(value) → \(met ? "met" : "not met")" }
    }

    @Test(arguments: [
        Edge(value: 0, met: false), Edge(value: 21, met: false), Edge(value: 21.9, met: false),
        Edge(value: 22, met: true), Edge(value: 22.1, met: true), Edge(value: 60, met: true),
    ])
    func respiratoryRateIsMetFrom22(edge: Edge) throws {
        let assessment = try QuickSOFA(respiratoryRate: edge.value, systolicBloodPressure: 120, alteredMentation: false)
            .assess()
        #expect(assessment.criteriaMet == (edge.met ? [.respiratoryRate] : []))
        #expect(assessment.score == (edge.met ? 1 : 0))
    }

    @Test(arguments: [
        Edge(value: 60, met: true), Edge(value: 99.9, met: true), Edge(value: 100, met: true),
        Edge(value: 100.1, met: false), Edge(value: 101, met: false), Edge(value: 180, met: false),
    ])
    func systolicBloodPressureIsMetUpTo100(edge: Edge) throws {
        let assessment = try QuickSOFA(respiratoryRate: 16, systolicBloodPressure: edge.value, alteredMentation: false)
            .assess()
        #expect(assessment.criteriaMet == (edge.met ? [.systolicBloodPressure] : []))
        #expect(assessment.score == (edge.met ? 1 : 0))
    }

    struct Complete: Sendable, CustomTestStringConvertible {
        let respiratoryRate: Double
        let systolic: Double
        let altered: Bool
        let score: Int
        let meets: Bool
        var testDescription: String { "RR \(respiratoryRate), SBP \(systolic), altered \(altered) → \(score)" }
    }

    @Test(arguments: [
        Complete(respiratoryRate: 16, systolic: 120, altered: false, score: 0, meets: false),
        Complete(respiratoryRate: 22, systolic: 120, altered: false, score: 1, meets: false),
        Complete(respiratoryRate: 16, systolic: 100, altered: false, score: 1, meets: false),
        Complete(respiratoryRate: 16, systolic: 120, altered: true, score: 1, meets: false),
        Complete(respiratoryRate: 22, systolic: 100, altered: false, score: 2, meets: true),
        Complete(respiratoryRate: 22, systolic: 120, altered: true, score: 2, meets: true),
        Complete(respiratoryRate: 16, systolic: 100, altered: true, score: 2, meets: true),
        Complete(respiratoryRate: 30, systolic: 80, altered: true, score: 3, meets: true),
    ])
    func completeScoresAndThreshold(row: Complete) throws {
        let assessment = try QuickSOFA(
            respiratoryRate: row.respiratoryRate,
            systolicBloodPressure: row.systolic,
            alteredMentation: row.altered
        )
        .assess()
        #expect(assessment.isComplete)
        #expect(assessment.missing.isEmpty)
        #expect(assessment.score == row.score)
        #expect(assessment.meetsThreshold == row.meets)
    }

    struct Incomplete: Sendable, CustomTestStringConvertible {
        let respiratoryRate: Double?
        let systolic: Double?
        let altered: Bool?
        let missing: [QuickSOFA.Criterion]
        let met: [QuickSOFA.Criterion]
        let meets: Bool?
        var testDescription: String { "missing \(missing), met \(met) → \(String(describing: meets))" }
    }

    @Test(arguments: [
        Incomplete(
            respiratoryRate: nil,
            systolic: nil,
            altered: nil,
            missing: [.respiratoryRate, .systolicBloodPressure, .alteredMentation],
            met: [],
            meets: nil
        ),
        Incomplete(
            respiratoryRate: 24,
            systolic: 95,
            altered: nil,
            missing: [.alteredMentation],
            met: [.respiratoryRate, .systolicBloodPressure],
            meets: true
        ),
        Incomplete(
            respiratoryRate: nil,
            systolic: 95,
            altered: true,
            missing: [.respiratoryRate],
            met: [.systolicBloodPressure, .alteredMentation],
            meets: true
        ),
        Incomplete(
            respiratoryRate: 24,
            systolic: nil,
            altered: false,
            missing: [.systolicBloodPressure],
            met: [.respiratoryRate],
            meets: nil
        ),
        Incomplete(
            respiratoryRate: 16,
            systolic: nil,
            altered: false,
            missing: [.systolicBloodPressure],
            met: [],
            meets: false
        ),
        Incomplete(
            respiratoryRate: 16,
            systolic: nil,
            altered: nil,
            missing: [.systolicBloodPressure, .alteredMentation],
            met: [],
            meets: nil
        ),
    ])
    func missingInputsAreReportedNeverScoredAsZero(row: Incomplete) throws {
        let assessment = try QuickSOFA(
            respiratoryRate: row.respiratoryRate,
            systolicBloodPressure: row.systolic,
            alteredMentation: row.altered
        )
        .assess()
        #expect(!assessment.isComplete)
        #expect(assessment.score == nil)
        #expect(assessment.missing == row.missing)
        #expect(assessment.criteriaMet == row.met)
        #expect(assessment.meetsThreshold == row.meets)
        #expect(assessment == .incomplete(missing: row.missing, criteriaMet: row.met))
        #expect(assessment.description.hasPrefix("qSOFA incomplete: missing"))
    }

    @Test func thresholdIsTwo() {
        #expect(QuickSOFA.threshold == 2)
    }

    struct Impossible: Sendable, CustomTestStringConvertible {
        let respiratoryRate: Double?
        let systolic: Double?
        let field: String
        var testDescription: String { "\(field): \(String(describing: respiratoryRate ?? systolic))" }
    }

    @Test(arguments: [
        Impossible(respiratoryRate: -1, systolic: 120, field: "respiratoryRate"),
        Impossible(respiratoryRate: .nan, systolic: 120, field: "respiratoryRate"),
        Impossible(respiratoryRate: 201, systolic: 120, field: "respiratoryRate"),
        Impossible(respiratoryRate: 16, systolic: -0.5, field: "systolicBloodPressure"),
        Impossible(respiratoryRate: 16, systolic: .infinity, field: "systolicBloodPressure"),
        Impossible(respiratoryRate: nil, systolic: 401, field: "systolicBloodPressure"),
    ])
    func impossibleMeasurementsAreRefused(row: Impossible) {
        expectTriageError(.impossibleValue, at: row.field) {
            () throws(TriageScoringError) in
            try QuickSOFA(respiratoryRate: row.respiratoryRate, systolicBloodPressure: row.systolic).assess()
        }
    }

    struct Mentation: Sendable, CustomTestStringConvertible {
        let eye: Int?
        let verbal: Int?
        let consciousness: ACVPU?
        let altered: Bool?
        var testDescription: String {
            "E\(String(describing: eye)) V\(String(describing: verbal)) \(String(describing: consciousness))"
        }
    }

    @Test(arguments: [
        Mentation(eye: 4, verbal: 5, consciousness: nil, altered: false),
        Mentation(eye: 4, verbal: 4, consciousness: nil, altered: true),
        Mentation(eye: 4, verbal: 5, consciousness: .alert, altered: false),
        Mentation(eye: 4, verbal: 5, consciousness: .newConfusion, altered: true),
        Mentation(eye: nil, verbal: nil, consciousness: .alert, altered: false),
        Mentation(eye: nil, verbal: nil, consciousness: .voice, altered: true),
        Mentation(eye: nil, verbal: nil, consciousness: nil, altered: nil),
        Mentation(eye: 4, verbal: nil, consciousness: nil, altered: nil),
        Mentation(eye: 3, verbal: nil, consciousness: nil, altered: true),
        Mentation(eye: 4, verbal: nil, consciousness: .alert, altered: false),
    ])
    func alteredMentationComesFromGCSAndACVPU(row: Mentation) throws {
        // A nil eye means no GCS; a nil verbal means the verbal response is not testable.
        let gcs = try row.eye.map { eye throws(TriageScoringError) in
            try GlasgowComaScale(
                eye: .score(eye),
                verbal: row.verbal.map { .score($0) } ?? .notTestable,
                motor: .score(6)
            )
        }
        #expect(QuickSOFA.alteredMentation(glasgowComaScale: gcs, consciousness: row.consciousness) == row.altered)
        let qSOFA = QuickSOFA(
            respiratoryRate: 16,
            systolicBloodPressure: 120,
            glasgowComaScale: gcs,
            consciousness: row.consciousness
        )
        #expect(qSOFA.alteredMentation == row.altered)
    }

    @Test func twoCriteriaWithMentationMissingStillMeetTheThreshold() throws {
        let assessment = try QuickSOFA(respiratoryRate: 22, systolicBloodPressure: 100).assess()
        #expect(assessment.meetsThreshold == true)
        #expect(assessment.score == nil)
        #expect(assessment.description.contains("meets threshold"))
    }
}
