import FHIREncoding
import Foundation
import Testing

@Suite("R4Definitions")
struct DefinitionsTests {
    let definitions = R4Definitions.shared

    /// A definition the test needs.
    func definition(_ name: String) throws -> FHIRTypeDefinition {
        try #require(definitions.definition(named: name), "\(name)")
    }

    /// An element the test needs.
    func element(_ name: String, of type: String) throws -> FHIRElementDefinition {
        let owner = try definition(type)
        return try #require(owner.element(named: name), "\(type).\(name)")
    }

    @Test("R4 has 146 resource types, sorted")
    func resourceTypes() {
        #expect(definitions.resourceTypeNames.count == 146)
        #expect(definitions.resourceTypeNames == definitions.resourceTypeNames.sorted())
        #expect(Set(definitions.resourceTypeNames).count == 146)
        #expect(definitions.resourceTypeNames.first == "Account")
        #expect(definitions.resourceTypeNames.contains("Patient"))
        #expect(definitions.definitions.filter { $0.kind == .resource }.count == 146)
    }

    @Test("only resource types are resource types")
    func isResourceType() {
        #expect(definitions.isResourceType("Claim"))
        #expect(definitions.isResourceType("Patient"))
        #expect(definitions.isResourceType("OperationOutcome"))
        #expect(!definitions.isResourceType("HumanName"))
        #expect(!definitions.isResourceType("Patient_Contact"))
        #expect(!definitions.isResourceType("patient"))
        #expect(!definitions.isResourceType("Resource"))
        #expect(!definitions.isResourceType(""))
        #expect(definitions.definition(named: "NoSuchType") == nil)
    }

    @Test("definitions know what they describe")
    func kinds() throws {
        #expect(try definition("Patient").kind == .resource)
        #expect(try definition("HumanName").kind == .complexType)
        #expect(try definition("Patient_Contact").kind == .backboneElement)
        #expect(try definition("Bundle_Entry").kind == .backboneElement)
    }

    @Test("Patient's elements are in the specification's order")
    func patientOrder() throws {
        let names = try definition("Patient").elements.map(\.name)
        #expect(
            Array(names.prefix(11)) == [
                "id", "meta", "implicitRules", "language", "text", "contained", "extension", "modifierExtension",
                "identifier", "active", "name",
            ]
        )
        #expect(Array(names.suffix(3)) == ["generalPractitioner", "managingOrganization", "link"])
        let birthDate = try #require(names.firstIndex(of: "birthDate"))
        #expect(names[birthDate + 1] == "deceasedBoolean")
        #expect(names[birthDate + 2] == "deceasedDateTime")
    }

    @Test("HumanName's elements are in the specification's order")
    func humanNameOrder() throws {
        #expect(
            try definition("HumanName").elements.map(\.name)
                == ["id", "extension", "use", "text", "family", "given", "prefix", "suffix", "period"]
        )
    }

    @Test("choice variants name their base")
    func choices() throws {
        #expect(try element("deceasedBoolean", of: "Patient").choiceBase == "deceased")
        #expect(try element("deceasedDateTime", of: "Patient").choiceBase == "deceased")
        #expect(try element("multipleBirthInteger", of: "Patient").choiceBase == "multipleBirth")
        #expect(try element("birthDate", of: "Patient").choiceBase == nil)
        #expect(try definition("Patient").element(named: "deceased") == nil)
        #expect(try definition("Patient").element(named: "deceased[x]") == nil)
        #expect(try definition("UsageContext").requiredChoices == ["value"])
        #expect(try definition("Patient").requiredChoices == [])
        #expect(try definition("Extension").requiredChoices == [])
    }

    @Test("types, cardinality and required elements")
    func elementFacts() throws {
        let birthDate = try element("birthDate", of: "Patient")
        #expect(birthDate.typeName == "date")
        #expect(birthDate.primitiveType == .date)
        #expect(!birthDate.isArray)
        #expect(!birthDate.isRequired)
        let name = try element("name", of: "Patient")
        #expect(name.isArray)
        #expect(name.typeName == "HumanName")
        #expect(name.primitiveType == nil)
        #expect(try element("contained", of: "Patient").typeName == "Resource")
        #expect(try element("type", of: "Bundle").isRequired)
        #expect(try element("url", of: "Extension").isRequired)
        #expect(try element("code", of: "Observation").isRequired)
        #expect(try element("issue", of: "OperationOutcome").isRequired)
        #expect(try element("issue", of: "OperationOutcome").isArray)
        #expect(try !element("gender", of: "Patient").isRequired)
    }

    @Test("codes bound with required strength")
    func requiredCodes() throws {
        let status = try element("status", of: "Observation")
        #expect(status.isRequired)
        #expect(status.requiredCodes?.contains("final") == true)
        #expect(status.requiredCodes?.contains("Final") == false)
        #expect(try element("gender", of: "Patient").requiredCodes == ["male", "female", "other", "unknown"])
        #expect(try element("language", of: "Patient").requiredCodes == nil)
        #expect(try element("family", of: "HumanName").requiredCodes == nil)
    }

    @Test("every element's type is a primitive, Resource or a definition that exists")
    func everyTypeResolves() throws {
        // Read the committed data as text, independently of R4Definitions (which traps on an unresolved
        // type while loading), so a bad regeneration fails here with the names at fault.
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Sources/FHIREncoding/Definitions/R4Definitions+Data.swift")
        let text = try String(contentsOf: source, encoding: .utf8)
        let body = try #require(text.components(separatedBy: "#\"\"\"\n").dropFirst().first)
        let literal = try #require(body.components(separatedBy: "\n\"\"\"#").first)
        let lines = literal.split(separator: "\n").filter { !$0.hasPrefix("=") }
        let defined = Set(lines.filter { !$0.hasPrefix(" ") }.map { String($0.split(separator: " ")[1]) })
        #expect(defined.count == definitions.definitions.count)
        var unresolved: [String] = []
        var misprimitive: [String] = []
        for line in lines where line.hasPrefix(" ") {
            let type = String(line.split(separator: " ")[1])
            if FHIRPrimitiveType(rawValue: type) == nil, type != "Resource", !defined.contains(type) {
                unresolved.append(type)
            }
        }
        for definition in definitions.definitions {
            for element in definition.elements
            where element.primitiveType != FHIRPrimitiveType(rawValue: element.typeName) {
                misprimitive.append("\(definition.name).\(element.name)")
            }
        }
        #expect(unresolved == [])
        #expect(misprimitive == [])
    }

    @Test("element names are unique within each definition, and every element can be found by name")
    func uniqueNames() {
        var faults: [String] = []
        for definition in definitions.definitions {
            let names = definition.elements.map(\.name)
            if Set(names).count != names.count { faults.append(definition.name) }
            for element in definition.elements where definition.element(named: element.name) != element {
                faults.append("\(definition.name).\(element.name)")
            }
        }
        #expect(faults == [])
        #expect(Set(definitions.definitions.map(\.name)).count == definitions.definitions.count)
    }

    @Test("choice variants start with their base, and each required choice has variants")
    func choiceConsistency() {
        var faults: [String] = []
        for definition in definitions.definitions {
            for element in definition.elements {
                if let base = element.choiceBase, !element.name.hasPrefix(base) || element.name == base {
                    faults.append("\(definition.name).\(element.name)")
                }
            }
            let bases = Set(definition.elements.compactMap(\.choiceBase))
            for base in definition.requiredChoices where !bases.contains(base) {
                faults.append("\(definition.name).\(base)[x]")
            }
        }
        #expect(faults == [])
    }

    @Test("required codes are only on elements of type code")
    func requiredCodesOnCodes() {
        let misplaced = definitions.definitions.flatMap { definition in
            definition.elements.filter { $0.requiredCodes != nil && $0.typeName != "code" }
                .map { "\(definition.name).\($0.name)" }
        }
        #expect(misplaced == [])
        let empty = definitions.definitions.flatMap { definition in
            definition.elements.filter { $0.requiredCodes?.isEmpty == true }.map { "\(definition.name).\($0.name)" }
        }
        #expect(empty == [])
    }
}
