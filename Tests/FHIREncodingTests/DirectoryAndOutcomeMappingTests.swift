import Appointments
import CareCore
import CarePlans
import ConsentAccess
import FHIREncoding
import Foundation
import Testing
import TriageScoring

@Suite("Organisations, staff and outcomes and UK Core Organization, Practitioner and OperationOutcome")
struct DirectoryAndOutcomeMappingTests {
    static let organizationExample = "uk-core/UKCore-Organization-LeedsTeachingHospital-Example.json"
    static let practitionerExample = "uk-core/UKCore-Practitioner-ConsultantSandraGose-Example.json"

    static func decode<Resource: R4.ResourceModel>(_ type: Resource.Type, _ path: String) throws -> Resource {
        try FHIRDecoder().decode(type, from: try Corpus.bytes(path))
    }

    static func throughJSON<Resource: R4.ResourceModel>(_ resource: Resource, name: String) throws -> Resource {
        try FHIRDecoder().decode(Resource.self, from: try Emitted.write(resource, name: name))
    }

    // MARK: Organization

    @Test("the UK Core Organization example gives its ODS code, and a write-back keeps the rest")
    func ukCoreOrganization() throws {
        let example = try Self.decode(R4.Organization.self, Self.organizationExample)
        let code = try ODSCode(fhir: example)
        #expect(code.rawValue == "RR8")
        let written = try Self.throughJSON(R4.Organization(code, keeping: example), name: "organization-uk-core")
        var expected = example
        expected.meta = R4.Meta(profile: [R4.Primitive(R4.UKCoreProfile.organization.rawValue)])
        #expect(written == expected)
        // A name given replaces the original's; nothing else changes.
        let renamed = try R4.Organization(code, name: "Leeds Teaching Hospitals", keeping: example)
        #expect(renamed.name?.value == "Leeds Teaching Hospitals")
        #expect(renamed.telecom == example.telecom && renamed.address == example.address)
        // Another organisation's code is not written over this one.
        let other = #expect(throws: FHIREncodingError.self) {
            try R4.Organization(try ODSCode(parsing: "A81001"), keeping: example)
        }
        #expect(other?.field.description == "identifier")
        // An original whose code cannot be read is refused too, never overwritten.
        var unreadable = example
        unreadable.implicitRules = "https://example.org/rules"
        #expect(throws: FHIREncodingError.self) { try R4.Organization(code, keeping: unreadable) }
        var twoCodes = example
        twoCodes.identifier.append(R4.Identifier(system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "X26"))
        #expect(throws: FHIREncodingError.self) { try R4.Organization(try ODSCode(parsing: "X26"), keeping: twoCodes) }
        var noCode = example
        noCode.identifier = []
        #expect(throws: FHIREncodingError.self) { try R4.Organization(code, keeping: noCode) }
    }

    @Test("seeded organisations round-trip through strictly validated JSON with their profile and identifier")
    func seededOrganisations() throws {
        var generator = SeededRandomNumberGenerator(seed: 2_611)
        let letters = Array("ABCDEFGHJKLMNPQRSTVWXY")
        for index in 0..<100 {
            let text =
                String(letters[Int.random(in: 0..<letters.count, using: &generator)])
                + String(Int.random(in: 10_000...99_999, using: &generator))
            let code = try ODSCode(parsing: text)
            let name = Bool.random(using: &generator) ? "Practice \(index)" : nil
            let written = try Self.throughJSON(R4.Organization(code, name: name), name: "organization-\(index)")
            #expect(try ODSCode(fhir: written) == code)
            #expect(written.name?.value == name)
            #expect(written.identifier.first?.use?.value == "official")
            #expect(written.meta?.profile.map(\.value) == [R4.UKCoreProfile.organization.rawValue])
        }
    }

    @Test("an Organization with no ODS code, two that disagree or one that is not an ODS code is refused")
    func organisationRefusals() throws {
        let example = try Self.decode(R4.Organization.self, Self.organizationExample)
        var none = example
        none.identifier[0].system = "https://example.org/local"
        #expect(#expect(throws: FHIREncodingError.self) { try ODSCode(fhir: none) }?.field.description == "identifier")

        var two = example
        two.identifier.append(R4.Identifier(system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "RR9"))
        let disagreeing = #expect(throws: FHIREncodingError.self) { try ODSCode(fhir: two) }
        #expect(disagreeing?.field.description == "identifier[1].value")

        var agreeing = example
        agreeing.identifier.append(R4.Identifier(system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "RR8"))
        #expect(try ODSCode(fhir: agreeing).rawValue == "RR8")
        // Written back, the repeat goes and the first keeps its use.
        let written = try R4.Organization(try ODSCode(parsing: "RR8"), keeping: agreeing)
        #expect(written.identifier == example.identifier)

        // Letter case does not make two codes, and an old code is set aside, read or written.
        var lowerCase = example
        lowerCase.identifier.append(R4.Identifier(system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "rr8"))
        #expect(try ODSCode(fhir: lowerCase).rawValue == "RR8")
        var renamed = example
        renamed.identifier.append(
            R4.Identifier(use: "old", system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "RR9")
        )
        #expect(try ODSCode(fhir: renamed).rawValue == "RR8")
        #expect(try R4.Organization(try ODSCode(parsing: "RR8"), keeping: renamed).identifier == renamed.identifier)
        var onlyOld = example
        onlyOld.identifier[0].use = "old"
        #expect(
            #expect(throws: FHIREncodingError.self) { try ODSCode(fhir: onlyOld) }?.field.description == "identifier"
        )

        var bad = example
        bad.identifier[0].value = "not a code!"
        let refused = #expect(throws: FHIREncodingError.self) { try ODSCode(fhir: bad) }
        #expect(refused?.field.description == "identifier[0].value")
        #expect(refused.map { !String(describing: $0).contains("not a code!") } == true)

        var modified = example
        modified.modifierExtension = [R4.Extension(url: "https://example.org/closed", value: .boolean(true))]
        #expect(
            #expect(throws: FHIREncodingError.self) { try ODSCode(fhir: modified) }?.field.description
                == "modifierExtension[0]"
        )
    }

    // MARK: Practitioner

    @Test("the UK Core Practitioner example gives its SDS user id, and a write-back keeps the rest")
    func ukCorePractitioner() throws {
        let example = try Self.decode(R4.Practitioner.self, Self.practitionerExample)
        let user = try Access.UserID(fhir: example)
        #expect(user.rawValue == "C12345678")
        let written = try Self.throughJSON(R4.Practitioner(user, keeping: example), name: "practitioner-uk-core")
        var expected = example
        expected.meta = R4.Meta(profile: [R4.Primitive(R4.UKCoreProfile.practitioner.rawValue)])
        #expect(written == expected)

        // A name given replaces the name with the same use and keeps the others.
        var twoNames = example
        twoNames.name.append(R4.HumanName(use: "maiden", family: "Smith"))
        let name = try HumanName(prefixes: ["Dr"], given: ["Sandra"], family: "Gose")
        let renamed = try R4.Practitioner(user, name: name, keeping: twoNames)
        #expect(renamed.name.count == 2)
        #expect(renamed.name[0].prefix.map(\.value) == ["Dr"])
        #expect(renamed.name[1].use?.value == "maiden")
        // The same name again keeps the original element whole, in its place.
        let same = try HumanName(fhir: example.name[0])
        var withExtension = twoNames
        withExtension.name[0].id = "name-1"
        let kept = try R4.Practitioner(user, name: same, keeping: withExtension)
        #expect(kept.name == withExtension.name)

        let other = #expect(throws: FHIREncodingError.self) {
            try R4.Practitioner(Access.UserID(unchecked: "999999999999"), keeping: example)
        }
        #expect(other?.field.description == "identifier")

        var none = example
        none.identifier = []
        #expect(
            #expect(throws: FHIREncodingError.self) { try Access.UserID(fhir: none) }?.field.description
                == "identifier"
        )
        let fresh = try Self.throughJSON(R4.Practitioner(user, name: name), name: "practitioner-new")
        #expect(try Access.UserID(fhir: fresh) == user)
        #expect(try HumanName(fhir: fresh.name[0]) == name)
    }

    // MARK: OperationOutcome

    @Test("a mapping error becomes a business-rule issue at a FHIRPath expression, without the refused value")
    func mappingErrorOutcome() throws {
        var organization = try Self.decode(R4.Organization.self, Self.organizationExample)
        organization.identifier[0].value = "TRELAWNY-9434765919"
        let error = #expect(throws: FHIREncodingError.self) { try ODSCode(fhir: organization) }
        let outcome = try Self.throughJSON(
            R4.OperationOutcome(try #require(error), in: "Organization"),
            name: "operationoutcome-mapping"
        )
        #expect(outcome.issue.count == 1)
        #expect(outcome.issue[0].severity.value == "error")
        #expect(outcome.issue[0].code.value == "business-rule")
        #expect(outcome.issue[0].expression.map(\.value) == ["Organization.identifier[0].value"])
        let json = String(decoding: try FHIREncoder().encode(outcome), as: UTF8.self)
        #expect(!json.contains("TRELAWNY") && !json.contains("9434765919"))

        // Without a resource type the path goes into the diagnostics.
        let untyped = R4.OperationOutcome(try #require(error))
        #expect(untyped.issue[0].expression.isEmpty)
        #expect(untyped.issue[0].diagnostics?.value?.hasPrefix("identifier[0].value: ") == true)
        // A type that is not a resource type name is not written as one.
        #expect(R4.OperationOutcome(try #require(error), in: "Organization.name").issue[0].expression.isEmpty)
        // Nor is a type whose elements the path does not walk.
        #expect(R4.OperationOutcome(try #require(error), in: "Binary").issue[0].expression.isEmpty)
    }

    @Test(
        "only a path that walks the resource's elements becomes an expression, a primitive's extension by its element",
        arguments: [
            ("Patient", "_birthDate.extension[0].valueCode", "Patient.birthDate.extension[0].value"),
            ("Patient", "name[1].given[0]", "Patient.name[1].given[0]"),
            ("Patient", "deceasedBoolean", "Patient.deceased"),
            ("Patient", "contact[0].telecom[2].value", "Patient.contact[0].telecom[2].value"),
            ("CarePlan", "contained[0].target[0].detailString", nil),
            ("Patient", "birthDate.extension", nil),
            ("CarePlan", "", "CarePlan"),
            ("CarePlan", "proposals[1].extension", nil),
            ("CarePlan", "fhirVersions[0].meta.versionId", nil),
            ("Patient", "identifier[0].nhsNumber", nil),
            ("Patient.name", "given", nil),
        ] as [(String, String, String?)]
    )
    func expressions(type: String, field: String, expected: String?) throws {
        var components: [FieldPath.Component] = []
        for part in field.split(separator: ".") {
            if let open = part.firstIndex(of: "[") {
                components.append(.field(String(part[..<open])))
                components.append(.index(Int(part[part.index(after: open)..<part.index(before: part.endIndex)])!))
            } else {
                components.append(.field(String(part)))
            }
        }
        let error = FHIREncodingError(.unmappable, field: FieldPath(components: components), reason: "a fixed reason")
        let outcome = R4.OperationOutcome(error, in: type)
        #expect(outcome.issue[0].expression.map(\.value) == (expected.map { [$0] } ?? []))
        if expected == nil {
            #expect(outcome.issue[0].diagnostics?.value == (field.isEmpty ? "" : "\(field): ") + "a fixed reason")
        }
    }

    @Test("invalid JSON is a fatal structure issue with its byte offset; an invalid resource one issue per finding")
    func readErrorOutcomes() throws {
        let syntax = #expect(throws: FHIREncodingError.self) {
            try JSONReader().read(Array(#"{"name": [1, }"#.utf8))
        }
        let fatal = try Self.throughJSON(
            R4.OperationOutcome(try #require(syntax), in: "Patient"),
            name: "operationoutcome-json"
        )
        #expect(fatal.issue[0].severity.value == "fatal")
        #expect(fatal.issue[0].code.value == "invalid")
        // The same as a validation report of the same bytes.
        let report = FHIRDecoder().validate(Array(#"{"name": [1, }"#.utf8))
        #expect(R4.OperationOutcome(report).issue.map(\.code.value) == ["invalid"])
        #expect(fatal.issue[0].expression.isEmpty)
        #expect(fatal.issue[0].diagnostics?.value?.contains("byte 13") == true)

        let invalid = #expect(throws: FHIREncodingError.self) {
            try FHIRDecoder().decode(
                R4.Patient.self,
                from: Array(#"{"resourceType":"Patient","gender":"F","birthDate":"1970-13-01"}"#.utf8)
            )
        }
        let findings = try Self.throughJSON(
            R4.OperationOutcome(try #require(invalid), in: "Patient"),
            name: "operationoutcome-invalid"
        )
        #expect(findings.issue.count == invalid?.issues.count)
        #expect(findings.issue.count == 2)
        #expect(Set(findings.issue.flatMap { $0.expression.map(\.value) }) == ["Patient.gender", "Patient.birthDate"])

        // A clean report says so, and the typed and JSON forms agree.
        let clean = FHIRValidationReport(issues: [], resource: nil)
        #expect(R4.OperationOutcome(clean).issue.map(\.code.value) == ["informational"])
        let gender = FHIRIssue(
            severity: .error,
            code: .codeInvalid,
            location: "Patient.gender",
            diagnostics: "not in the value set"
        )
        let typed = R4.OperationOutcome(FHIRValidationReport(issues: [gender], resource: nil))
        #expect(
            String(decoding: try FHIREncoder().encode(typed), as: UTF8.self)
                == #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"code-invalid","diagnostics":"not in the value set","expression":["Patient.gender"]}]}"#
        )
    }

    @Test("a domain error becomes an issue of the type its code means, naming its field in the diagnostics")
    func domainErrorOutcome() throws {
        let (plan, _) = try CarePlanMappingTests.simple()
        let conflict = #expect(throws: CarePlansError.self) {
            try plan.revised(expectedVersion: 7, change: try ProposalMappingTests.byTheGP(5)) { $0.title = "x" }
        }
        let outcome = try Self.throughJSON(
            R4.OperationOutcome(domain: try #require(conflict)),
            name: "operationoutcome-domain"
        )
        #expect(conflict?.codeText == "version-conflict")
        #expect(outcome.issue[0].code.value == "conflict")
        #expect(outcome.issue[0].severity.value == "error")
        #expect(outcome.issue[0].expression.isEmpty)
        let diagnostics = outcome.issue[0].diagnostics?.value ?? ""
        #expect(diagnostics.hasSuffix(conflict?.reason ?? "?"))
        #expect(
            conflict?.field.components.isEmpty == true
                || diagnostics.hasPrefix("\(conflict?.field.description ?? "?"): ")
        )

        let missing = #expect(throws: CarePlansError.self) { try plan.version(9) }
        let cases: [(any CareError, String)] = [
            (try #require(missing), "not-found"),
            (CarePlansError(.notPermitted, field: .root, reason: "r"), "forbidden"),
            (CarePlansError(.invalidTransition, field: .root, reason: "r"), "business-rule"),
            (AppointmentsError(.slotUnavailable, field: .root, reason: "r"), "conflict"),
            (CareCoreError(.invalidFormat, field: .root, reason: "r"), "invalid"),
            (CareCoreError(.limitExceeded, field: .root, reason: "r"), "too-long"),
            (ConsentAccessError(.invalidCode, field: .root, reason: "r"), "code-invalid"),
            (ConsentAccessError(.storageFailure, field: .root, reason: "r"), "exception"),
            (TriageScoringError(.duplicate, field: .root, reason: "r"), "duplicate"),
        ]
        for (error, code) in cases {
            #expect(R4.OperationOutcome(domain: error).issue[0].code.value == code, "\(error.codeText)")
        }
    }
}
