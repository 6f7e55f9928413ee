import CareCore
import Foundation
import PatientIdentity
import Testing

@Suite struct PatientIndexTests {
    private func claireIndex() throws -> PatientIndex {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record(
                "gp-1",
                nhs: "9434765919",
                given: ["Claire"],
                family: "Trelawny",
                birth: "1958-07-14",
                gender: .female,
                postcode: "TR1 3LJ"
            ),
            record(
                "gp-2",
                nhs: "4001588137",
                given: ["John"],
                family: "Penhaligon",
                birth: "1961-11-02",
                gender: .male,
                postcode: "PL31 2QN"
            ),
            record(
                "gp-3",
                given: ["Phil"],
                family: "Trevithick",
                birth: "1944-03-09",
                gender: .male,
                postcode: "TR21 0PW"
            ),
        ])
        return index
    }

    @Test func refusesADuplicateIdAndLeavesTheIndexUnchanged() throws {
        var index = try claireIndex()
        #expect(throws: PatientIdentityError.self) {
            try index.insert(try record("gp-1", given: ["Other"], family: "Person"))
        }
        #expect(throws: PatientIdentityError.self) {
            try index.insert(contentsOf: [try record("new-1", family: "A"), try record("new-1", family: "B")])
        }
        #expect(index.count == 3)
        #expect(index.record(try id("new-1")) == nil)
    }

    @Test func findsAPersonFromAnotherOrganisationsRecord() throws {
        let index = try claireIndex()
        // The hospital has her without an NHS number, with a nickname-free typo and a new postcode sector.
        let arriving = try record(
            "ed-77",
            given: ["Clare"],
            family: "Trelawny",
            birth: "1958-07-14",
            gender: .female,
            postcode: "TR1 3LT"
        )
        let candidates = index.match(arriving)
        let best = try #require(candidates.first)
        #expect(best.recordID == (try id("gp-1")))
        #expect(best.probability > 0.9)
        let levels = best.explanation.contributions.map { $0.level?.name ?? "missing" }
        #expect(levels == ["missing", "exact", "fuzzy", "exact", "sector", "agree"])
        #expect(abs(best.explanation.matchWeight - best.matchWeight) < 1e-9)
        #expect(candidates.allSatisfy { $0.recordID != arriving.id })
    }

    @Test func gradesCandidatesAndFlagsTheReviewBand() throws {
        let index = try claireIndex()
        let exact = try record(
            "x",
            nhs: "9434765919",
            given: ["Claire"],
            family: "Trelawny",
            birth: "1958-07-14",
            gender: .female,
            postcode: "TR1 3LJ"
        )
        let best = try #require(index.match(exact).first)
        #expect(best.grade == .certain && !best.needsReview)
        let thresholds = MatchThresholds()
        #expect(
            thresholds.grade(0.995) == .certain && thresholds.grade(0.95) == .probable
                && thresholds.grade(0.6) == .possible
        )
    }

    @Test func readsADateThatIsNotACalendarDateAsEvidence() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("a", given: ["Margaret"], family: "Pengelly", birth: "1956-04-13", postcode: "TR1 3LJ"),
            record("b", given: ["Margaret"], family: "Pengelly", birth: "19561304", postcode: "TR1 3LJ"),
            record("c", given: ["Margaret"], family: "Pengelly", birth: "1931-02-31", postcode: "TR1 3LJ"),
            record("d", given: ["Margaret"], family: "Pengelly", birth: "1931-02-13", postcode: "TR1 3LJ"),
        ])
        #expect(try index.explain(id("a"), id("b")).contributions[3].level?.name == "day-month-swapped")
        #expect(try index.explain(id("c"), id("d")).contributions[3].level?.name == "one-edit")
    }

    @Test func reportsAnInvalidNHSNumberOneEditFromAValidOne() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("a", nhs: "9434765919", given: ["Ann"], family: "Opie", birth: "1970-05-05"),
            record("b", nhs: "9434765918", given: ["Ann"], family: "Opie", birth: "1970-05-05"),
        ])
        let explanation = try index.explain(id("a"), id("b"))
        #expect(explanation.contributions[0].level == nil)  // not used as evidence
        #expect(explanation.notes.contains(.nhsNumbersDifferByOneEdit))
    }

    @Test func neverMatchesTwins() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record(
                "t1",
                given: ["Tamsin"],
                family: "Curnow",
                birth: "2001-06-12",
                gender: .female,
                postcode: "TR15 3QE"
            ),
            record(
                "t2",
                given: ["Jenna"],
                family: "Curnow",
                birth: "2001-06-12",
                gender: .female,
                postcode: "TR15 3QE"
            ),
            record("t3", given: ["Piran"], family: "Curnow", birth: "2001-06-12", gender: .male, postcode: "TR15 3QE"),
        ])
        #expect(index.deduplicate().isEmpty)
        #expect(
            index.match(
                try record("probe", given: ["Jenna"], family: "Curnow", birth: "2001-06-12", postcode: "TR15 3QE")
            )
            .map(\.recordID) == [try id("t2")]
        )
        let explanation = try index.explain(id("t1"), id("t2"))
        #expect(explanation.isVetoed && explanation.probability == 0 && explanation.notes.contains(.possibleTwins))
    }

    @Test func readsOneTwinsFirstNameAsTheOthersMiddleNameAsTwins() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("a", given: ["Linda", "Amy"], family: "Jones", birth: "1989-08-16", postcode: "TR16 7RS"),
            record("b", nhs: "9434765919", given: ["Amy"], family: "Jones", birth: "1989-08-16", postcode: "TR16 7RS"),
        ])
        let explanation = try index.explain(id("a"), id("b"))
        #expect(explanation.contributions[2].level?.name == "swapped")
        #expect(explanation.isVetoed && explanation.notes.contains(.possibleTwins))
        #expect(index.deduplicate().isEmpty)
    }

    @Test func readsANicknameAsTwinsWhenTheGendersOrValidNHSNumbersDiffer() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            // Kit stands for Katherine and for Christopher: a brother and sister born the same day.
            record("kit", given: ["Kit"], family: "Jones", birth: "1948-11-30", gender: .female, postcode: "BS1 0XP"),
            record(
                "chris",
                given: ["Christopher"],
                family: "Jones",
                birth: "1948-11-30",
                gender: .male,
                postcode: "BS1 0XP"
            ),
            record(
                "sam",
                nhs: "9434765919",
                given: ["Sam"],
                family: "Pemham",
                birth: "1940-01-04",
                postcode: "TR22 4QW"
            ),
            record(
                "samantha",
                nhs: "4001588137",
                given: ["Samantha"],
                family: "Pemham",
                birth: "1940-01-04",
                postcode: "TR22 4QW"
            ),
        ])
        for (first, second) in [("kit", "chris"), ("sam", "samantha")] {
            let explanation = try index.explain(id(first), id(second))
            #expect(explanation.contributions[2].level?.name == "nickname")
            #expect(explanation.isVetoed && explanation.notes.contains(.possibleTwins), "\(first) \(second)")
        }
        #expect(index.deduplicate().isEmpty)
    }

    @Test func doesNotTakeTwinsForOnePersonWhenTheSecondNameAgrees() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("a", given: ["Jck", "Jago"], family: "Wright", birth: "1927-04-12", postcode: "PL15 0JH"),
            record("b", given: ["Jon", "Jago"], family: "Wright", birth: "1927-04-12", postcode: "PL15 0JH"),
        ])
        #expect(try !index.explain(id("a"), id("b")).isVetoed)
    }

    @Test func neverOverridesDifferentVerifiedNHSNumbers() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record(
                "a",
                nhs: "9434765919",
                verified: true,
                given: ["Ann"],
                family: "Opie",
                birth: "1970-05-05",
                postcode: "TR1 3LJ"
            ),
            record(
                "b",
                nhs: "4001588137",
                verified: true,
                given: ["Ann"],
                family: "Opie",
                birth: "1970-05-05",
                postcode: "TR1 3LJ"
            ),
        ])
        let explanation = try index.explain(id("a"), id("b"))
        #expect(explanation.isVetoed)
        #expect(explanation.notes.contains(.differentVerifiedNHSNumbers))
        #expect(index.deduplicate().isEmpty)
    }

    @Test func ignoresPlaceholderNames() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("a", given: ["Baby", "Boy"], family: "Unknown", birth: "2026-11-20", postcode: "TR1 3LJ"),
            record("b", given: ["Baby"], family: "Unknown", birth: "2026-11-20", postcode: "TR1 3LJ"),
        ])
        let explanation = try index.explain(id("a"), id("b"))
        #expect(explanation.contributions[1].level == nil && explanation.contributions[2].level == nil)
    }

    @Test func treatsTheFirstOfJanuaryAsAYearOnly() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("a", given: ["Ann"], family: "Opie", birth: "1950-01-01"),
            record("b", given: ["Ann"], family: "Opie", birth: "1950-01-01"),
            record("c", given: ["Ann"], family: "Opie", birth: "1950-06-30"),
        ])
        #expect(try index.explain(id("a"), id("b")).contributions[3].level?.name == "partial")
        #expect(try index.explain(id("a"), id("c")).contributions[3].level?.name == "partial")
    }

    @Test func skipsOversizedBlocksButStillFindsPairsThroughOtherRules() throws {
        var index = PatientIndex(options: MatchOptions(maximumBlockSize: 3))
        var records: [PatientRecord] = []
        for number in 0..<10 {
            records.append(
                try record(
                    "s\(number)",
                    given: ["John"],
                    family: "Smith",
                    birth: "1950-05-\(10 + number)",
                    postcode: "TR1 \(number)LJ"
                )
            )
        }
        records.append(
            try record("twin-free", given: ["John"], family: "Smith", birth: "1950-05-10", postcode: "TR1 0LJ")
        )
        try index.insert(contentsOf: records)
        let pairs = index.deduplicate()
        #expect(pairs.map { [$0.left.rawValue, $0.right.rawValue] } == [["s0", "twin-free"]])
    }

    @Test func linksTwoSourcesWithoutComparingWithinEither() throws {
        let hospital = try [
            record("h1", given: ["Claire"], family: "Trelawny", birth: "1958-07-14", postcode: "TR1 3LJ"),
            record("h2", given: ["Claire"], family: "Trelawny", birth: "1958-07-14", postcode: "TR1 3LJ"),
        ]
        let council = try [
            record("c1", given: ["Claire"], family: "Trelawny", birth: "1958-07-14", postcode: "TR1 3LJ")
        ]
        let pairs = try PatientIndex.link(hospital, council)
        #expect(pairs.map { "\($0.left)-\($0.right)" } == ["h1-c1", "h2-c1"])
        #expect(throws: PatientIdentityError.self) { try PatientIndex.link(hospital, hospital) }
    }

    @Test func explainsOnlyRecordsItHolds() throws {
        let index = try claireIndex()
        #expect(throws: PatientIdentityError.self) { try index.explain(id("gp-1"), id("nobody")) }
    }
}

@Suite struct ClusteringTests {
    @Test func aChainOfLinksDoesNotJoinTwoPeopleWithDifferentNHSNumbers() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("a", nhs: "9434765919", given: ["Ann"], family: "Opie", birth: "1970-05-05", postcode: "TR1 3LJ"),
            record("b", given: ["Ann"], family: "Opie", birth: "1970-05-05", postcode: "TR1 3LJ"),
            record("c", nhs: "4001588137", given: ["Ann"], family: "Opie", birth: "1970-05-05", postcode: "TR1 3LJ"),
        ])
        let pairs = index.deduplicate()
        #expect(pairs.contains { $0.left.rawValue == "a" && $0.right.rawValue == "b" })
        #expect(pairs.contains { $0.left.rawValue == "b" && $0.right.rawValue == "c" })
        let clusters = index.clusters(from: pairs, threshold: 0.5)
        let a = try id("a")
        let together = try #require(clusters.first { $0.records.contains(a) })
        #expect(!together.records.contains(try id("c")))
        #expect(clusters.map(\.records.count).reduce(0, +) == 3)
        #expect(clusters.map(\.personID.rawValue).sorted() == clusters.map(\.personID.rawValue))
    }
}
