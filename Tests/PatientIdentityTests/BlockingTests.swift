import CareCore
import Foundation
import Testing

@testable import PatientIdentity

@Suite struct OneEditTests {
    /// The linear one-edit check must agree with the full unrestricted Damerau-Levenshtein distance, which
    /// has its own reference values, on every pair of short strings over a small alphabet.
    @Test func agreesWithTheFullDistance() {
        var generator = SeededRandomNumberGenerator(seed: 11)
        let alphabet = Array("ABC".unicodeScalars)
        for _ in 0..<20_000 {
            let left = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
            let right = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
            let distance = StringSimilarity.damerauLevenshtein(left, right)
            #expect(
                StringSimilarity.isWithinOneEdit(left, right) == (distance <= 1),
                "\(String(String.UnicodeScalarView(left))) \(String(String.UnicodeScalarView(right)))"
            )
        }
    }

    @Test func knowsEachKindOfEdit() {
        func check(_ a: String, _ b: String) -> Bool {
            StringSimilarity.isWithinOneEdit(Array(a.unicodeScalars), Array(b.unicodeScalars))
        }
        #expect(check("MARTHA", "MARTHA"))
        #expect(check("MARTHA", "MARHTA"))  // transposition
        #expect(check("MARTHA", "MARTA"))  // deletion
        #expect(check("MARTA", "MARTHA"))  // insertion
        #expect(check("MARTHA", "MARXHA"))  // substitution
        #expect(!check("MARTHA", "MRAHTA"))
        #expect(!check("MARTHA", "MART"))
        #expect(check("", "A"))
        #expect(!check("", "AB"))
    }

    @Test func packsLevelsFourBitsAField() {
        var pattern = LevelPattern()
        for field in 0..<LevelPattern.fieldCount { #expect(pattern[field] == nil) }
        pattern[0] = 1
        pattern[2] = 7
        pattern[5] = 0
        #expect(pattern[0] == 1 && pattern[1] == nil && pattern[2] == 7 && pattern[5] == 0)
        pattern[2] = nil
        #expect(pattern[2] == nil && pattern[0] == 1)
    }
}

@Suite struct BlockingTests {
    /// Records inserted one at a time (through the table of recent insertions and its merges) and all at once
    /// must give the same matches and pairs.
    @Test func oneAtATimeAndAllAtOnceAgree() throws {
        let (population, bulk) = try syntheticIndex(seed: 21, count: 1_500)
        var single = PatientIndex()
        for record in population.records { try single.insert(record) }
        #expect(bulk.deduplicate() == single.deduplicate())
        for probe in population.records.prefix(50) { #expect(bulk.match(probe) == single.match(probe)) }
    }

    @Test func findsAPairWhoseOnlyCommonGroundIsAMistypedNHSNumber() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("a", nhs: "9434765919", given: ["Claire"], family: "Trelawny", birth: "1958-07-14"),
            // One digit mistyped, a new surname, a slip in the year: no other rule puts these two together.
            record("b", nhs: "9434766919", given: ["Clare"], family: "Pascoe", birth: "1968-07-15"),
        ])
        var everything = index.thresholds
        everything.minimum = 0
        let pairs = index.deduplicate(thresholds: everything)
        #expect(pairs.map { [$0.left.rawValue, $0.right.rawValue] } == [["a", "b"]])
    }

    @Test func aMisspeltNameStillMatchesItsNickname() throws {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record("a", given: ["Peggy"], family: "Blackstone", birth: "1974-05-31", postcode: "PL34 0GQ"),
            record("b", given: ["Magraret"], family: "Blackstone", birth: "1974-05-31", postcode: "PL34 0GQ"),
            record("c", given: ["Margaret"], family: "Blackstone", birth: "1974-05-31", postcode: "PL34 0GQ"),
        ])
        #expect(try index.explain(id("a"), id("b")).contributions[2].level?.name == "nickname")
        #expect(try !index.explain(id("a"), id("b")).isVetoed)
        // A plain misspelling of the same name stays a fuzzy match, not a nickname.
        #expect(try index.explain(id("b"), id("c")).contributions[2].level?.name == "fuzzy")
    }
}

@Suite struct SyntheticNameTests {
    /// The synthetic surnames have a long tail, so that a large population is not made of a few hundred
    /// families: the commonest is near the 1.3 % Smith has in England and Wales, not several times it.
    @Test func surnamesHaveALongTail() {
        let surnames = SyntheticNames.surnameDistribution
        #expect(Set(surnames.names).count >= 1_000)
        #expect(surnames.share(at: 0) < 0.025)
        for distribution in [SyntheticNames.femaleGivenDistribution, SyntheticNames.maleGivenDistribution] {
            #expect(distribution.share(at: 0) < 0.06)
            #expect(abs((distribution.cumulative.last ?? 0) - 1) < 1e-9)
        }
    }
}

@Suite struct WeightBoundTests {
    /// Skipping pairs by their weight bound must never change what deduplication reports, at the default
    /// threshold and at a low one, with the standard model and with a trained one.
    @Test func boundedAndFullDeduplicationAgree() throws {
        var index = try syntheticIndex(seed: 31, count: 3_000).index
        var low = index.thresholds
        low.minimum = 0.01
        for thresholds in [index.thresholds, low] {
            #expect(
                index.deduplicate(thresholds: thresholds, bounded: true)
                    == index.deduplicate(thresholds: thresholds, bounded: false)
            )
        }
        var training = SeededRandomNumberGenerator(seed: 5)
        index.train(randomPairs: 100_000, using: &training)
        #expect(
            index.deduplicate(thresholds: index.thresholds, bounded: true)
                == index.deduplicate(thresholds: index.thresholds, bounded: false)
        )
    }

    /// The packed birth-date level must be the comparator's level for every kind of difference.
    @Test func packedBirthDateLevelsAreTheComparatorsLevels() throws {
        let dates = [
            "1958-07-14", "1958-07-14", "1958-14-07", "1958-07-15", "1958-70-14", "1985-07-14", "1958-07-41",
            "1958-08-14", "1958-12-31", "1959-01-12", "1958-11-07", "1958-07-11", "1968-07-14", "1958-01-01",
            "2001-02-03",
        ]
        let comparator = FieldComparator(options: MatchOptions(treatsFirstOfJanuaryAsYearOnly: false))
        for left in dates {
            for right in dates {
                let a = MatchProfile(try record("a", birth: left), options: comparator.options)
                let b = MatchProfile(try record("b", birth: right), options: comparator.options)
                guard let first = a.birth, let second = b.birth, first.isFullDate, second.isFullDate else { continue }
                #expect(
                    Scorer.fullBirthDateLevel(PairBoundProfile(a).birth, PairBoundProfile(b).birth)
                        == comparator.birthDate(a, b),
                    "\(left) \(right)"
                )
            }
        }
    }
}
