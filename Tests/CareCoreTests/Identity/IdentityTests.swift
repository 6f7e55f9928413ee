import CareCore
import Foundation
import Testing

private enum Appointment {}
private enum CarePlan {}

@Suite struct EntityIDTests {
    @Test(arguments: ["a", "appointment-1", "A.b-9", String(repeating: "x", count: 64)])
    func acceptsFHIRIds(_ text: String) throws {
        #expect(try EntityID<Appointment>(validating: text).rawValue == text)
        #expect(EntityID<Appointment>(text) != nil)
    }

    @Test func rejectsWhatFHIRRejects() {
        expectCareCoreError(.empty) { try EntityID<Appointment>(validating: "") }
        expectCareCoreError(.limitExceeded) { try EntityID<Appointment>(validating: String(repeating: "x", count: 65)) }
        expectCareCoreError(.invalidFormat) { try EntityID<Appointment>(validating: "a_b") }
        expectCareCoreError(.invalidFormat) { try EntityID<Appointment>(validating: "a b") }
        expectCareCoreError(.invalidFormat) { try EntityID<Appointment>(validating: "é") }
        #expect(EntityID<Appointment>("a/b") == nil)
    }

    @Test func generatesVersion4UUIDsFromTheInjectedGenerator() throws {
        var first = SeededRandomNumberGenerator(seed: 2026)
        var second = SeededRandomNumberGenerator(seed: 2026)
        let ids = (0..<100).map { _ in EntityID<CarePlan>.random(using: &first) }
        let again = (0..<100).map { _ in EntityID<CarePlan>.random(using: &second) }
        #expect(ids == again)
        #expect(Set(ids).count == 100)
        for id in ids {
            let parts = id.rawValue.split(separator: "-").map(String.init)
            #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
            #expect(parts[2].first == "4")
            #expect("89ab".contains(try #require(parts[3].first)))
            #expect(id.rawValue == id.rawValue.lowercased())
            #expect(try EntityID<CarePlan>(validating: id.rawValue) == id)
        }
    }

    @Test func codesAsABareStringAndValidatesOnTheWayIn() throws {
        let id = try EntityID<Appointment>(validating: "appt-42")
        let json = try JSONEncoder().encode([id])
        #expect(String(decoding: json, as: UTF8.self) == #"["appt-42"]"#)
        #expect(try JSONDecoder().decode([EntityID<Appointment>].self, from: json) == [id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([EntityID<Appointment>].self, from: Data(#"["a b"]"#.utf8))
        }
    }

    @Test func sortsByText() throws {
        let ids = try ["b", "a", "c"].map { try EntityID<Appointment>(validating: $0) }
        #expect(ids.sorted().map(\.rawValue) == ["a", "b", "c"])
    }
}

@Suite struct IdentifierTests {
    @Test func carriesSystemValueAndAssigner() throws {
        let mrn = try Identifier(
            system: IdentifierSystem(rawValue: "https://fhir.example-trust.nhs.uk/Id/mrn"),
            value: "K1234567",
            assigner: ODSCode(parsing: "ref"),
            use: .usual
        )
        #expect(mrn.assigner?.rawValue == "REF")
        #expect(
            mrn.description
                == "Identifier(system: https://fhir.example-trust.nhs.uk/Id/mrn, value: <redacted>, assigner: REF)"
        )
        var dumped = ""
        dump(mrn, to: &dumped)
        #expect(!dumped.contains("K1234567"))
    }

    @Test func rejectsUnusableValues() {
        expectCareCoreError(.empty) { try Identifier(system: .nhsNumber, value: "") }
        expectCareCoreError(.invalidFormat) { try Identifier(system: .nhsNumber, value: " 9434765919") }
        expectCareCoreError(.invalidFormat) { try Identifier(system: .nhsNumber, value: "9434765919\n") }
        expectCareCoreError(.invalidFormat) { try Identifier(system: .nhsNumber, value: "\u{00A0}9434765919") }
        expectCareCoreError(.invalidFormat) { try Identifier(system: .nhsNumber, value: "943\u{202E}4765919") }
    }

    @Test func identifiesTheSameThingBySystemValueAndAssigner() throws {
        let system = IdentifierSystem(rawValue: "urn:example:mrn")
        let a = try Identifier(system: system, value: "1", assigner: ODSCode(parsing: "REF"))
        let b = try Identifier(system: system, value: "1", use: .old)
        let c = try Identifier(system: system, value: "1", assigner: ODSCode(parsing: "RK9"))
        #expect(a.identifiesSameThing(as: b))
        #expect(!a.identifiesSameThing(as: c))
        #expect(!a.identifiesSameThing(as: try Identifier(system: .nhsNumber, value: "1")))
    }

    @Test func usesTheNHSEnglandSystemURIs() {
        #expect(IdentifierSystem.nhsNumber.rawValue == "https://fhir.nhs.uk/Id/nhs-number")
        #expect(IdentifierSystem.odsOrganisationCode.rawValue == "https://fhir.nhs.uk/Id/ods-organization-code")
        #expect(IdentifierSystem.odsSiteCode.rawValue == "https://fhir.nhs.uk/Id/ods-site-code")
        #expect(IdentifierSystem.sdsUserID.rawValue == "https://fhir.nhs.uk/Id/sds-user-id")
        #expect(IdentifierSystem.sdsRoleProfileID.rawValue == "https://fhir.nhs.uk/Id/sds-role-profile-id")
    }

    @Test func decodingRunsTheSameChecks() throws {
        let id = try Identifier(system: .nhsNumber, value: "9434765919")
        #expect(try JSONDecoder().decode(Identifier.self, from: JSONEncoder().encode(id)) == id)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(
                Identifier.self,
                from: Data(#"{"system":"https://fhir.nhs.uk/Id/nhs-number","value":""}"#.utf8)
            )
        }
    }
}

@Suite struct ODSCodeTests {
    @Test(arguments: [("REF", "REF"), ("a81001", "A81001"), (" rk9 ", "RK9"), ("REF12", "REF12"), ("Y00001", "Y00001")])
    func normalisesCaseAndSpace(_ input: String, _ expected: String) throws {
        #expect(try ODSCode(parsing: input).rawValue == expected)
    }

    @Test func rejectsMalformedCodes() {
        expectCareCoreError(.empty) { try ODSCode(parsing: " ") }
        expectCareCoreError(.invalidFormat) { try ODSCode(parsing: "RE") }
        expectCareCoreError(.invalidFormat) { try ODSCode(parsing: "A8100123456") }
        expectCareCoreError(.invalidFormat) { try ODSCode(parsing: "A81-001") }
        #expect(ODSCode("R E F") == nil)
    }
}

@Suite struct ReferenceTests {
    @Test func pointsByIdOrByIdentifier() throws {
        let byID = Reference<CarePlan>.id(try EntityID(validating: "plan-1"))
        let byIdentifier = Reference<CarePlan>.identifier(try Identifier(system: .nhsNumber, value: "9434765919"))
        #expect(byID.entityID?.rawValue == "plan-1" && byID.businessIdentifier == nil)
        #expect(byIdentifier.entityID == nil && byIdentifier.businessIdentifier?.system == .nhsNumber)
        #expect(!byIdentifier.description.contains("9434765919"))
        for reference in [byID, byIdentifier] {
            #expect(
                try JSONDecoder().decode(Reference<CarePlan>.self, from: JSONEncoder().encode(reference)) == reference
            )
        }
    }

    @Test func rejectsAnAmbiguousOrEmptyReference() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Reference<CarePlan>.self, from: Data("{}".utf8))
        }
        let both = #"{"id":"a","identifier":{"system":"urn:x","value":"1"}}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Reference<CarePlan>.self, from: Data(both.utf8))
        }
    }
}
