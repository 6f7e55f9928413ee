import CareCore
import Foundation
import Testing

@Suite struct CodingTests {
    @Test func comparesConceptsBySystemAndCode() throws {
        let a = try Coding(system: .loinc, code: "8867-4", display: "Heart rate")
        let b = try Coding(system: .loinc, version: "2.77", code: "8867-4", display: "Pulse")
        let c = try Coding(system: .snomedCT, code: "8867-4")
        #expect(a.isSameConcept(as: b))
        #expect(!a.isSameConcept(as: c))
        #expect(a != b)
        #expect(a.description == "http://loinc.org|8867-4")
    }

    @Test(arguments: ["", " 123", "123 ", "12  3", "12\t\t3", "1\n\n2", "1\u{0007}2"])
    func rejectsCodesFHIRDoesNotAllow(_ code: String) {
        let expected: CareCoreError.Code = code.isEmpty ? .empty : .invalidFormat
        expectCareCoreError(expected) { try Coding(system: .snomedCT, code: code) }
    }

    @Test(arguments: ["1104051000000101", "mm[Hg]", "a b", "a\tb", "a\nb"])
    func acceptsCodesWithSingleInnerWhiteSpace(_ code: String) throws {
        #expect(try Coding(system: .snomedCT, code: code).code == code)
    }

    @Test func usesTheCanonicalSystemURIs() {
        #expect(CodeSystem.snomedCT.rawValue == "http://snomed.info/sct")
        #expect(CodeSystem.loinc.rawValue == "http://loinc.org")
        #expect(CodeSystem.ucum.rawValue == "http://unitsofmeasure.org")
        #expect(CodeSystem.dmd.rawValue == "https://dmd.nhs.uk")
        #expect(
            CodeSystem.nhsNumberVerificationStatus.rawValue
                == "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"
        )
    }

    @Test func conceptNeedsACodingOrText() throws {
        expectCareCoreError(.empty) { try CodeableConcept(codings: []) }
        expectCareCoreError(.empty) { try CodeableConcept(codings: [], text: "") }
        expectCareCoreError(.empty) { try CodeableConcept(codings: [], text: " \t ") }
        let textOnly = try CodeableConcept(codings: [], text: "Feeling low")
        #expect(textOnly.codings.isEmpty)
        let coded = try CodeableConcept(
            codings: [Coding(system: .snomedCT, code: "38341003"), Coding(system: .loinc, code: "85354-9")],
            text: "Hypertension"
        )
        #expect(coded.coding(in: .loinc)?.code == "85354-9")
        #expect(coded.coding(in: .ucum) == nil)
        #expect(coded.contains(try Coding(system: .snomedCT, code: "38341003", display: "other display")))
    }

    @Test func decodingRunsTheSameChecks() throws {
        let concept = CodeableConcept(try Coding(system: .snomedCT, code: "38341003"))
        #expect(try JSONDecoder().decode(CodeableConcept.self, from: JSONEncoder().encode(concept)) == concept)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CodeableConcept.self, from: Data("{}".utf8)) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Coding.self, from: Data(#"{"system":"http://loinc.org","code":" x"}"#.utf8))
        }
    }
}

@Suite struct QuantityTests {
    @Test func keepsDecimalValuesExact() throws {
        let temperature = try Quantity(try #require(Decimal(string: "37.8")), .degreesCelsius)
        #expect(temperature.value == Decimal(string: "37.80"))
        #expect(temperature.description == "37.8 Cel")
        #expect(temperature.isExact)
    }

    @Test func keepsABoundDistinctFromAMeasurement() throws {
        let bound = try Quantity(try #require(Decimal(string: "0.5")), .millimolesPerLitre, comparator: .lessThan)
        let measured = try Quantity(try #require(Decimal(string: "0.5")), .millimolesPerLitre)
        #expect(bound != measured)
        #expect(!bound.isExact)
        #expect(bound.description == "<0.5 mmol/L")
    }

    @Test func rejectsNotANumber() {
        expectCareCoreError(.invalidFormat) { try Quantity(Decimal.nan, .percent) }
    }

    @Test func unitCodesAreCaseSensitivePrintableASCII() throws {
        #expect(try UCUMUnit(code: "Cel") != (try UCUMUnit(code: "CEL")))
        #expect(UCUMUnit.millimetresOfMercury.code == "mm[Hg]")
        expectCareCoreError(.empty) { try UCUMUnit(code: "") }
        expectCareCoreError(.invalidFormat) { try UCUMUnit(code: "beats per minute") }
        expectCareCoreError(.invalidFormat) { try UCUMUnit(code: "µg") }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([UCUMUnit].self, from: Data(#"["m m"]"#.utf8)) }
    }

    @Test func decodingRunsTheSameChecks() throws {
        let quantity = try Quantity(Decimal(96), .percent, comparator: .greaterThanOrEqual)
        #expect(try JSONDecoder().decode(Quantity.self, from: JSONEncoder().encode(quantity)) == quantity)
    }
}
