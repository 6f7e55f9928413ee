import CareCore
import Foundation
import PatientIdentity
import Testing

@Suite struct SyntheticPopulationTests {
    @Test func theSameSeedGivesTheSamePopulation() {
        var first = SeededRandomNumberGenerator(seed: 5)
        var second = SeededRandomNumberGenerator(seed: 5)
        let a = SyntheticPopulation.generate(recordCount: 500, using: &first)
        let b = SyntheticPopulation.generate(recordCount: 500, using: &second)
        #expect(a.records == b.records)
        #expect(a.personOfRecord == b.personOfRecord)
    }

    /// The error rates the issue asks for, measured on 20,000 records.
    @Test func isAtLeastAsHarshAsRequired() {
        var generator = SeededRandomNumberGenerator(seed: 20_000)
        let population = SyntheticPopulation.generate(recordCount: 20_000, using: &generator)
        #expect(population.records.count == 20_000)
        let duplicates = Double(population.duplicateRecordCount)
        let counts = population.perturbationCounts
        let perturbations = counts.filter { $0.key != .missingNHSNumber }.values.reduce(0, +)
        #expect(Double(perturbations) / duplicates >= 2.0)
        let withoutNumber = population.records.filter { $0.nhsNumber == nil }.count
        #expect(Double(withoutNumber) / 20_000 >= 0.10)
        #expect(Double(counts[.dayMonthSwapped] ?? 0) / duplicates >= 0.05)
        #expect(Double(counts[.movedHouse] ?? 0) / duplicates >= 0.10)
        #expect(Double(counts[.familyNameChange] ?? 0) / duplicates >= 0.05)
        #expect((counts[.givenNameTypo] ?? 0) > 0 && (counts[.nickname] ?? 0) > 0 && (counts[.familyNameTypo] ?? 0) > 0)
        let people = Set(population.personOfRecord.values).count
        #expect(Double(population.twinCount) / Double(people) >= 0.02)
        #expect(population.truePairs.count > 0)
    }

    @Test func everyRecordIsOfAUKForm() {
        var generator = SeededRandomNumberGenerator(seed: 8)
        let population = SyntheticPopulation.generate(recordCount: 2_000, using: &generator)
        for record in population.records {
            #expect(!record.names.isEmpty)
            #expect(record.birthDate != nil)
            #expect(!record.addresses.isEmpty || record.receivedPostcode != nil)
        }
    }
}

@Suite struct LinkageEvaluationTests {
    @Test func countsPairwisePrecisionRecallAndF1() throws {
        let truth: [PatientRecord.ID: String] = try [
            id("a"): "p1", id("b"): "p1", id("c"): "p1", id("d"): "p2", id("e"): "p3",
        ]
        // Three true pairs (a-b, a-c, b-c); predicted a-b (true), b-a again (ignored), d-e (false).
        let evaluation = LinkageEvaluation(
            predicted: try [(id("a"), id("b")), (id("b"), id("a")), (id("d"), id("e"))],
            personOfRecord: truth
        )
        #expect(evaluation.truePositives == 1 && evaluation.falsePositives == 1 && evaluation.falseNegatives == 2)
        #expect(evaluation.precision == 0.5)
        #expect(abs(evaluation.recall - 1.0 / 3.0) < 1e-12)
        #expect(abs(evaluation.f1 - 0.4) < 1e-12)
    }
}

@Suite struct MatchingQualityTests {
    /// Training on its own records and deduplicating a harsh synthetic population: the figure for 100,000
    /// records is measured by the benchmark; this keeps a floor under a smaller run so a regression fails.
    @Test func trainsAndDeduplicatesASyntheticPopulation() throws {
        var (population, index) = try syntheticIndex(seed: 3, count: 5_000)
        var training = SeededRandomNumberGenerator(seed: 99)
        let report = index.train(randomPairs: 200_000, using: &training)
        #expect(report.prior > 0 && report.prior < 0.001)
        #expect(report.sessionPairCounts.values.allSatisfy { $0 > 0 })
        let pairs = index.deduplicate()
        let evaluation = LinkageEvaluation(
            predicted: pairs.map { ($0.left, $0.right) },
            personOfRecord: population.personOfRecord
        )
        #expect(evaluation.precision >= 0.99, "\(evaluation)")
        #expect(evaluation.f1 >= 0.96, "\(evaluation)")
        // No pair joins a person with their twin.
        for pair in pairs {
            let left = population.personOfRecord[pair.left]
            let right = population.personOfRecord[pair.right]
            #expect(left == right || population.twinOfPerson[left ?? ""] != right)
        }
    }

    @Test func trainingIsRepeatableAndTheModelCodes() throws {
        var generator = SeededRandomNumberGenerator(seed: 4)
        let population = SyntheticPopulation.generate(recordCount: 1_500, using: &generator)
        var first = PatientIndex()
        var second = PatientIndex()
        try first.insert(contentsOf: population.records)
        try second.insert(contentsOf: population.records)
        var seedA = SeededRandomNumberGenerator(seed: 1)
        var seedB = SeededRandomNumberGenerator(seed: 1)
        first.train(randomPairs: 50_000, using: &seedA)
        second.train(randomPairs: 50_000, using: &seedB)
        #expect(first.model == second.model)
        let json = try JSONEncoder().encode(first.model)
        #expect(try JSONDecoder().decode(MatchModel.self, from: json) == first.model)
    }

    @Test func refusesAnIncompleteOrImpossibleModel() throws {
        let complete = MatchModel.standard.parameters
        #expect(throws: PatientIdentityError.self) { try MatchModel(prior: 0, parameters: complete) }
        #expect(throws: PatientIdentityError.self) {
            try MatchModel(prior: 0.1, parameters: Array(complete.dropLast()))
        }
        var impossible = complete
        impossible[0].m = 0
        #expect(throws: PatientIdentityError.self) { try MatchModel(prior: 0.1, parameters: impossible) }
        #expect(throws: PatientIdentityError.self) { try MatchModel(prior: 0.1, parameters: complete + [complete[0]]) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(MatchModel.self, from: Data(#"{"prior":0.5,"parameters":[]}"#.utf8))
        }
    }
}
