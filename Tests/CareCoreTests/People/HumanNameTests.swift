import Foundation
import Testing

@testable import CareCore

@Suite struct HumanNameTests {
    @Test func formatsForPeopleAndForTheNHSBanner() throws {
        let name = try HumanName(use: .official, prefixes: ["Mrs"], given: ["Claire", "Anne"], family: "O'Neill")
        #expect(name.displayName == "Mrs Claire Anne O'Neill")
        #expect(name.bannerName == "O'NEILL, Claire Anne (Mrs)")
        let mononym = try HumanName(given: ["Sting"])
        #expect(mononym.bannerName == "Sting")
        let familyOnly = try HumanName(family: "Pengelly")
        #expect(familyOnly.bannerName == "PENGELLY")
    }

    @Test func needsAGivenOrFamilyName() {
        expectCareCoreError(.empty) { try HumanName(prefixes: ["Mr"]) }
    }

    @Test func namesThePartThatIsWrong() throws {
        do {
            _ = try HumanName(given: ["Claire", " Anne"], family: "Trelawny")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidFormat)
            #expect(error.field.description == "name.given[1]")
            #expect(!error.description.contains("Anne"))
        }
        expectCareCoreError(.empty) { try HumanName(given: [""], family: "Trelawny") }
        expectCareCoreError(.invalidFormat) { try HumanName(family: "Tre\u{0007}lawny") }
    }

    struct NormalisationCase: Sendable, CustomTestStringConvertible {
        let input: String
        let standard: String
        let compact: String
        var testDescription: String { input }
    }

    @Test(arguments: [
        NormalisationCase(input: "O'Brien", standard: "OBRIEN", compact: "OBRIEN"),
        NormalisationCase(input: "O’Brien", standard: "OBRIEN", compact: "OBRIEN"),
        NormalisationCase(input: "D`Arcy", standard: "DARCY", compact: "DARCY"),
        NormalisationCase(input: "Smith-Jones", standard: "SMITH JONES", compact: "SMITHJONES"),
        NormalisationCase(input: "Smith – Jones", standard: "SMITH JONES", compact: "SMITHJONES"),
        NormalisationCase(input: "van der Berg", standard: "VAN DER BERG", compact: "VANDERBERG"),
        NormalisationCase(input: "Zoë", standard: "ZOE", compact: "ZOE"),
        NormalisationCase(input: "Siân", standard: "SIAN", compact: "SIAN"),
        NormalisationCase(input: "Ñúñez", standard: "NUNEZ", compact: "NUNEZ"),
        NormalisationCase(input: "Strauß", standard: "STRAUSS", compact: "STRAUSS"),
        NormalisationCase(input: "Søren", standard: "SOREN", compact: "SOREN"),
        NormalisationCase(input: "Ærø", standard: "AERO", compact: "AERO"),
        NormalisationCase(input: "Łukasz", standard: "LUKASZ", compact: "LUKASZ"),
        NormalisationCase(input: "Ｊｏｅ", standard: "JOE", compact: "JOE"),
        NormalisationCase(input: "  St. John  ", standard: "ST JOHN", compact: "STJOHN"),
        NormalisationCase(input: "Mary-Jane O'Neill", standard: "MARY JANE ONEILL", compact: "MARYJANEONEILL"),
        NormalisationCase(input: "D\u{00B4}Arcy", standard: "DARCY", compact: "DARCY"),
        NormalisationCase(input: "Smith\u{00AD}son", standard: "SMITHSON", compact: "SMITHSON"),
        NormalisationCase(input: "123", standard: "", compact: ""),
        NormalisationCase(input: "", standard: "", compact: ""),
    ])
    func normalisesNamesForMatching(_ testCase: NormalisationCase) {
        #expect(HumanName.normalisedForMatching(testCase.input) == testCase.standard)
        #expect(HumanName.normalisedForMatching(testCase.input, options: .compact) == testCase.compact)
    }

    @Test func hyphensCanBeRemovedWhileSpacesAreKept() {
        let options = NameNormalisationOptions(hyphens: .removed, spaces: .kept)
        #expect(HumanName.normalisedForMatching("Smith-Jones van Dyke", options: options) == "SMITHJONES VAN DYKE")
    }

    @Test func normalisesItsOwnParts() throws {
        let name = try HumanName(given: ["Zoë", "Mary-Jane"], family: "O'Neill")
        #expect(name.normalisedFamily() == "ONEILL")
        #expect(name.normalisedGiven() == ["ZOE", "MARY JANE"])
        #expect(try HumanName(given: ["Zoë"]).normalisedFamily() == nil)
    }

    @Test func hidesItselfFromDescriptionsAndDumps() throws {
        let name = try HumanName(prefixes: ["Mrs"], given: ["Claire"], family: "Trelawny")
        #expect("\(name)" == "HumanName(<redacted>)")
        var dumped = ""
        dump(name, to: &dumped)
        #expect(!dumped.contains("Claire") && !dumped.contains("Trelawny"))
    }

    @Test func decodingRunsTheSameChecks() throws {
        let name = try HumanName(
            use: .maiden,
            given: ["Claire"],
            family: "Pascoe",
            period: Period(end: FHIRDateTime(parsing: "1998"))
        )
        let json = try JSONEncoder().encode(name)
        #expect(try JSONDecoder().decode(HumanName.self, from: json) == name)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(HumanName.self, from: Data(#"{"given":[]}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(HumanName.self, from: Data(#"{"given":[" Claire"]}"#.utf8))
        }
    }
}

@Suite struct NameNormalisationPathTests {
    /// The ASCII fast path must give exactly what the general Unicode path gives.
    @Test func asciiFastPathAgreesWithTheUnicodePath() {
        var generator = SeededRandomNumberGenerator(seed: 1)
        let alphabet = Array("aZ '`-.,0 \t")
        let allOptions: [NameNormalisationOptions] = [
            .standard, .compact, NameNormalisationOptions(hyphens: .removed, spaces: .kept),
            NameNormalisationOptions(hyphens: .asSpace, spaces: .removed),
        ]
        for _ in 0..<2_000 {
            let text = String(
                (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator) ?? "a"
                }
            )
            for options in allOptions {
                #expect(
                    HumanName.normalisedASCII(text, options: options)
                        == HumanName.normalisedUnicode(text, options: options),
                    "\(text.debugDescription)"
                )
            }
        }
    }
}
