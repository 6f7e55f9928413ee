import CareCore
import Foundation
import Testing
import TriageScoring

/// A seeded set of observations across the chart's ranges, on Scale 1 or Scale 2.
func randomSet(using generator: inout SeededRandomNumberGenerator) throws -> NEWS2Observations {
    let scale2 = Int.random(in: 0..<4, using: &generator) == 0
    return NEWS2Observations(
        respirationRate: Double(Int.random(in: 4...40, using: &generator)),
        oxygenSaturation: Double(Int.random(in: 80...100, using: &generator)),
        scale: scale2 ? .scale2(try scale2Prescription.get()) : .scale1,
        airOrOxygen: Bool.random(using: &generator) ? .oxygen : .air,
        systolicBloodPressure: Double(Int.random(in: 70...240, using: &generator)),
        pulse: Double(Int.random(in: 30...160, using: &generator)),
        consciousness: ACVPU.allCases.randomElement(using: &generator),
        temperature: Double(Int.random(in: 340...410, using: &generator)) / 10
    )
}

@Suite("NEWS2 scores rebuilt from recorded sub-scores")
struct NEWS2RecordedScoreTests {
    @Test("rebuilding a score from its sub-scores gives the scorer's own score, under either red-score policy")
    func rebuiltScoresMatch() throws {
        var generator = SeededRandomNumberGenerator(seed: 2_017)
        for policy in [NEWS2Scorer.RedScorePolicy.rcpLowMedium, .treatAsMedium] {
            let scorer = NEWS2Scorer(redScorePolicy: policy)
            for _ in 0..<2_000 {
                let set = try randomSet(using: &generator)
                let scored = try #require(try scorer.assess(set).score)
                var points: [NEWS2Parameter: Int] = [:]
                for (parameter, value) in scored.subScores.observed { points[parameter] = value }
                let rebuilt = try scorer.score(NEWS2SubScores(points: points), scale: set.scale)
                #expect(rebuilt == scored)
            }
        }
    }

    @Test("the points each parameter can take are exactly those the scorer gives across the chart")
    func possiblePointsMatchTheScorer() throws {
        var seen: [NEWS2Parameter: Set<Int>] = [:]
        var generator = SeededRandomNumberGenerator(seed: 35)
        for _ in 0..<20_000 {
            let scored = try #require(try NEWS2Scorer().assess(try randomSet(using: &generator)).score)
            for (parameter, value) in scored.subScores.observed { seen[parameter, default: []].insert(value) }
        }
        for parameter in NEWS2Parameter.allCases {
            #expect(seen[parameter] == NEWS2SubScores.possiblePoints(of: parameter), "\(parameter)")
        }
    }

    @Test(
        "points the chart cannot give are refused, naming the parameter",
        arguments: [
            (NEWS2Parameter.airOrOxygen, 1), (.consciousness, 2), (.respirationRate, 4), (.temperature, -1),
            (.pulse, 7),
        ]
    )
    func impossiblePointsRefused(parameter: NEWS2Parameter, points: Int) {
        do {
            _ = try NEWS2SubScores(points: [parameter: points])
            Issue.record("\(points) points for \(parameter) were taken")
        } catch {
            #expect(error.code == .impossibleValue)
            #expect(error.field == FieldPath(parameter.fieldName))
        }
    }

    @Test("a score needs all seven sub-scores")
    func missingSubScoreRefused() throws {
        var points = Dictionary(uniqueKeysWithValues: NEWS2Parameter.allCases.map { ($0, 0) })
        points[.temperature] = nil
        do {
            _ = try NEWS2Scorer().score(NEWS2SubScores(points: points), scale: .scale1)
            Issue.record("a score without temperature was built")
        } catch {
            #expect(error.field == FieldPath("temperature"))
        }
    }
}
