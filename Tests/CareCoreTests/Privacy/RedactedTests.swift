import CareCore
import Foundation
import Testing

@Suite struct RedactedTests {
    @Test func hidesTheValueEverywhereButAnExplicitRead() {
        let secret = Redacted("Trelawny")
        #expect("\(secret)" == "<redacted>")
        #expect(String(describing: secret) == "<redacted>")
        #expect(String(reflecting: secret) == "Redacted(<redacted>)")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("Trelawny"))
        #expect(Mirror(reflecting: secret).children.isEmpty)
        #expect(secret.value == "Trelawny")
    }

    @Test func hidesValuesInsideCollections() {
        let list = [Redacted("9434765919")]
        #expect(!"\(list)".contains("9434765919"))
    }

    @Test func mapsWithoutRevealing() {
        let length = Redacted("Trelawny").map { $0.count }
        #expect(length.value == 8)
        #expect("\(length)" == "<redacted>")
        #expect(Redacted("a") == Redacted("a"))
        #expect(Set([Redacted("a"), Redacted("a")]).count == 1)
    }
}

/// Feeds recognisable patient data through every failing path of CareCore and checks that no error text
/// contains any of it.
@Suite struct PatientDataLeakTests {
    static let surname = "Trelawny"
    static let nhsNumber = "9434765919"
    static let birthDate = "1950-02-30"
    static let postcode = "QQ9 9QQ"

    private func expectNoPatientData(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("expected an error", sourceLocation: sourceLocation)
        } catch {
            let texts = ["\(error)", String(reflecting: error), (error as? any CareError)?.reason ?? ""]
            for text in texts {
                for secret in [Self.surname, Self.nhsNumber, Self.birthDate, "1950", Self.postcode, "QQ9"] {
                    #expect(!text.contains(secret), "error text reveals patient data", sourceLocation: sourceLocation)
                }
            }
        }
    }

    @Test func errorsFromEveryValidatingTypeHoldNoPatientData() throws {
        expectNoPatientData { _ = try Postcode(parsing: Self.postcode) }
        expectNoPatientData { _ = try Postcode(parsing: Self.surname) }
        expectNoPatientData { _ = try FHIRDate(parsing: Self.birthDate) }
        expectNoPatientData { _ = try CivilDate(parsing: Self.birthDate) }
        expectNoPatientData { _ = try FHIRDateTime(parsing: Self.birthDate + "T10:00:00Z") }
        expectNoPatientData { _ = try Instant(parsing: Self.birthDate + "T10:00:00Z") }
        expectNoPatientData { _ = try HumanName(given: [" " + Self.surname]) }
        expectNoPatientData { _ = try HumanName(family: Self.surname + "\n") }
        expectNoPatientData { _ = try Identifier(system: .nhsNumber, value: Self.nhsNumber + " ") }
        expectNoPatientData { _ = try EntityID<Int>(validating: Self.nhsNumber + "_" + Self.surname) }
        expectNoPatientData { _ = try ODSCode(parsing: Self.surname + "-" + Self.nhsNumber) }
        expectNoPatientData { _ = try ContactPoint(system: .phone, value: Self.surname) }
        expectNoPatientData { _ = try ContactPoint(system: .email, value: Self.surname + "@" + Self.nhsNumber) }
        expectNoPatientData { _ = try Address(lines: [Self.surname + "\n"]) }
        expectNoPatientData { _ = try LanguageTag(parsing: Self.surname + "_" + Self.nhsNumber) }
        expectNoPatientData { _ = try Coding(system: .snomedCT, code: " " + Self.nhsNumber) }
        expectNoPatientData { _ = try UCUMUnit(code: Self.surname + " " + Self.nhsNumber) }
        expectNoPatientData {
            var reader = CSVReader(string: "a,b\n\"\(Self.surname)\"\(Self.nhsNumber),\(Self.postcode)\n")
            _ = try reader.readAll()
        }
        expectNoPatientData {
            var reader = CSVReader(string: "a,b\n\(Self.surname)\"\(Self.nhsNumber)\n")
            _ = try reader.readAll()
        }
        expectNoPatientData { _ = try CSVTable(string: "\(Self.surname),\(Self.surname)\n") }
    }

    @Test func decodingErrorsHoldNoPatientData() {
        let inputs = [
            #"{"given":[" \#(Self.surname)"]}"#,
            #"{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"\#(Self.nhsNumber) "}"#,
        ]
        expectNoPatientData { _ = try JSONDecoder().decode(HumanName.self, from: Data(inputs[0].utf8)) }
        expectNoPatientData { _ = try JSONDecoder().decode(Identifier.self, from: Data(inputs[1].utf8)) }
        expectNoPatientData { _ = try JSONDecoder().decode([Postcode].self, from: Data("[\"\(Self.postcode)\"]".utf8)) }
        expectNoPatientData {
            _ = try JSONDecoder().decode([FHIRDate].self, from: Data("[\"\(Self.birthDate)\"]".utf8))
        }
    }

    @Test func patientDataTypesDescribeThemselvesWithoutTheirValues() throws {
        let name = try HumanName(given: ["Claire"], family: Self.surname)
        let identifier = try Identifier(system: .nhsNumber, value: Self.nhsNumber)
        let postcode = try Postcode(parsing: "TR1 3LJ")
        let address = try Address(lines: ["1 \(Self.surname) Row"], postcode: postcode)
        let contact = try ContactPoint(system: .sms, value: "07700 900123")
        let descriptions: [String] = [name, identifier, postcode, address, contact].flatMap { value -> [String] in
            var dumped = ""
            dump(value, to: &dumped)
            return ["\(value)", String(reflecting: value), dumped]
        }
        for text in descriptions {
            for secret in [Self.surname, Self.nhsNumber, "TR1", "3LJ", "900123"] {
                #expect(!text.contains(secret), "a description reveals patient data")
            }
        }
    }
}
