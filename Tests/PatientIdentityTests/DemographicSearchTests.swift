import CareCore
import PatientIdentity
import Testing

@Suite struct DemographicSearchTests {
    private func index() throws -> PatientIndex {
        var index = PatientIndex()
        try index.insert(contentsOf: [
            record(
                "a",
                given: ["Claire"],
                family: "Trelawny",
                previousFamily: "Pascoe",
                birth: "1958-07-14",
                gender: .female,
                postcode: "TR1 3LJ"
            ),
            record(
                "b",
                given: ["Clare"],
                family: "Trelawney",
                birth: "1958-07-14",
                gender: .female,
                postcode: "TR1 3LT"
            ),
            record(
                "c",
                given: ["William"],
                family: "Pengelly",
                birth: "1944-03-09",
                gender: .male,
                postcode: "PL31 2QN"
            ),
            record(
                "d",
                given: ["Claire"],
                family: "Trelawny",
                birth: "1958-14-07",
                gender: .female,
                postcode: "PL13 2PP"
            ),
        ])
        return index
    }

    @Test func findsExactMatchesOnlyInExactMode() throws {
        let results = try index().search(
            DemographicQuery(familyName: "trelawny", givenName: "CLAIRE", birthDate: FHIRDate(parsing: "1958-07-14"))
        )
        #expect(results.map(\.recordID.rawValue) == ["a"])
        #expect(results.first?.score == 1)
    }

    @Test func searchesHistoryAndWildcards() throws {
        let index = try index()
        #expect(
            try index.search(DemographicQuery(familyName: "Pascoe", birthDate: FHIRDate(parsing: "1958"))).map(
                \.recordID.rawValue
            ) == ["a"]
        )
        #expect(
            try index.search(
                DemographicQuery(familyName: "Pascoe", birthDate: FHIRDate(parsing: "1958"), includesHistory: false)
            ).isEmpty
        )
        #expect(
            try index.search(DemographicQuery(familyName: "TREL*", postcode: "TR1*")).map(\.recordID.rawValue) == [
                "a", "b",
            ]
        )
        #expect(
            try index.search(DemographicQuery(familyName: "Pengelly", gender: .male)).map(\.recordID.rawValue) == ["c"]
        )
    }

    @Test func scoresFuzzyMatchesFromZeroToOne() throws {
        let index = try index()
        let query = DemographicQuery(
            familyName: "Trelawny",
            givenName: "Claire",
            birthDate: try FHIRDate(parsing: "1958-07-14"),
            postcode: "TR1 3LJ",
            mode: .fuzzy
        )
        let results = try index.search(query)
        #expect(results.map(\.recordID.rawValue) == ["a", "b", "d"])
        #expect(results[0].score == 1)
        #expect(results[1].score < 1 && results[1].score > results[2].score)
        #expect(results.allSatisfy { $0.score >= 0.6 && $0.score <= 1 })
        #expect(
            try index.search(DemographicQuery(familyName: "Pengelly", givenName: "Bill", gender: .male, mode: .fuzzy))
                .first?.recordID.rawValue == "c"
        )
    }

    @Test func refusesFishingAndMisplacedWildcards() throws {
        let index = try index()
        #expect(throws: PatientIdentityError.self) { try index.search(DemographicQuery(familyName: "Trelawny")) }
        #expect(throws: PatientIdentityError.self) {
            try index.search(DemographicQuery(birthDate: FHIRDate(parsing: "1958"), gender: .female))
        }
        #expect(throws: PatientIdentityError.self) {
            try index.search(DemographicQuery(familyName: "T*y", gender: .female))
        }
        #expect(throws: PatientIdentityError.self) {
            try index.search(DemographicQuery(familyName: "Tre*", gender: .female, mode: .fuzzy))
        }
    }
}
