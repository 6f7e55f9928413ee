import CareCore
import FHIREncoding
import PatientIdentity
import Testing

@Suite("Datatype mappings")
struct DatatypeMappingTests {
    /// Writes an R4 element as JSON, validated strictly against its definition, reads it back and maps it
    /// to the domain again.
    static func throughJSON<Element: R4.Model, Domain>(
        _ element: Element,
        read: (Element) throws(FHIREncodingError) -> Domain
    ) throws -> Domain {
        let bytes = try FHIREncoder().encode(element)
        return try read(try FHIRDecoder().decode(Element.self, from: bytes))
    }

    @Test(
        "names, addresses, contacts and identifiers of a seeded synthetic population survive domain to FHIR to domain"
    )
    func syntheticRecordsRoundTrip() throws {
        var generator = SeededRandomNumberGenerator(seed: 9_009)
        let population = SyntheticPopulation.generate(recordCount: 300, using: &generator)
        var counts = (names: 0, addresses: 0, contacts: 0, identifiers: 0)
        for record in population.records {
            for name in record.names {
                #expect(
                    try Self.throughJSON(R4.HumanName(name)) { (fhir) throws(FHIREncodingError) in
                        try HumanName(fhir: fhir)
                    } == name
                )
                counts.names += 1
            }
            for address in record.addresses {
                #expect(
                    try Self.throughJSON(R4.Address(address)) { (fhir) throws(FHIREncodingError) in
                        try Address(fhir: fhir)
                    } == address
                )
                counts.addresses += 1
            }
            // The synthetic population carries no contact details, so each record gets a seeded telephone
            // number and email address with a random use, rank and period.
            let digits = (0..<7).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            let start = try FHIRDateTime(parsing: "20\(Int.random(in: 10...25, using: &generator))")
            let seeded = [
                try ContactPoint(
                    system: .phone,
                    value: "0117 " + digits,
                    use: ContactPoint.Use.allCases.randomElement(using: &generator),
                    rank: Int.random(in: 1...3, using: &generator),
                    period: try Period(start: start)
                ),
                try ContactPoint(system: .email, value: "person\(digits)@example.org", use: .home),
            ]
            for contact in record.telecom + seeded {
                #expect(
                    try Self.throughJSON(R4.ContactPoint(contact)) { (fhir) throws(FHIREncodingError) in
                        try ContactPoint(fhir: fhir)
                    } == contact
                )
                counts.contacts += 1
            }
            for identifier in record.identifiers + [record.nhsNumber?.value?.identifier].compactMap({ $0 }) {
                #expect(
                    try Self.throughJSON(R4.Identifier(identifier)) { (fhir) throws(FHIREncodingError) in
                        try Identifier(fhir: fhir)
                    } == identifier
                )
                counts.identifiers += 1
            }
        }
        #expect(
            counts.names > 300 && counts.addresses > 300 && counts.contacts > 100 && counts.identifiers > 200,
            "\(counts)"
        )
    }

    @Test("periods, assigners and codings map both ways")
    func detailedValuesRoundTrip() throws {
        let period = try Period(
            start: FHIRDateTime(parsing: "2020-03"),
            end: FHIRDateTime(parsing: "2024-01-31T10:00:00+00:00")
        )
        let name = try HumanName(
            use: .maiden,
            prefixes: ["Dr"],
            given: ["Ada", "May"],
            family: "Byron",
            period: period
        )
        #expect(try HumanName(fhir: R4.HumanName(name)) == name)
        let identifier = try Identifier(
            system: IdentifierSystem(rawValue: "https://fhir.example.org/Id/hospital-number"),
            value: "RBZ123",
            assigner: ODSCode(parsing: "RBZ"),
            use: .usual
        )
        let written = R4.Identifier(identifier)
        #expect(written.assigner?.identifier?.system?.value == IdentifierSystem.odsOrganisationCode.rawValue)
        #expect(try Identifier(fhir: written) == identifier)
        let concept = try CodeableConcept(
            codings: [Coding(system: .snomedCT, code: "1104051000000101", display: "NEWS2 total score")],
            text: "NEWS2"
        )
        #expect(try CodeableConcept(fhir: R4.CodeableConcept(concept)) == concept)
    }

    @Test("what the domain refuses is named by its R4 element, without its value")
    func refusalsNameTheElement() throws {
        let cases: [(FHIREncodingError?, String)] = [
            (
                Self.failure { () throws(FHIREncodingError) in
                    // A start given only by extensions (say a data-absent reason) is not an open start.
                    let absent = R4.Extension(
                        url: "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                        value: .code("unknown")
                    )
                    _ = try Period(fhir: R4.Period(start: R4.Primitive(nil, extension: [absent])))
                }, "start"
            ),
            (
                Self.failure { () throws(FHIREncodingError) in
                    _ = try ContactPoint(fhir: R4.ContactPoint(system: "phone", value: "call Ada 0117"))
                }, "value"
            ),
            (
                Self.failure { () throws(FHIREncodingError) in
                    _ = try ContactPoint(fhir: R4.ContactPoint(value: "01171234567"))
                }, "system"
            ),
            (
                Self.failure { () throws(FHIREncodingError) in
                    _ = try ContactPoint(fhir: R4.ContactPoint(system: "phone", value: "01171234567", rank: 0))
                }, "rank"
            ),
            (
                Self.failure { () throws(FHIREncodingError) in
                    _ = try Address(fhir: R4.Address(postalCode: "NOT A CODE"))
                }, "postalCode"
            ),
            (
                Self.failure { () throws(FHIREncodingError) in
                    _ = try HumanName(fhir: R4.HumanName(use: "formal", family: "Byron"))
                }, "use"
            ),
            (
                Self.failure { () throws(FHIREncodingError) in
                    _ = try HumanName(
                        fhir: R4.HumanName(given: [
                            "Ada", R4.Primitive(nil, extension: [R4.Extension(url: "http://example.org/absent")]),
                        ])
                    )
                }, "given[1]"
            ),
            (
                Self.failure { () throws(FHIREncodingError) in
                    _ = try HumanName(fhir: R4.HumanName(period: R4.Period(start: "2024", end: "2020")))
                }, "period.end"
            ),
            (
                Self.failure { () throws(FHIREncodingError) in
                    _ = try Identifier(
                        fhir: R4.Identifier(
                            system: "urn:x",
                            value: "1",
                            assigner: R4.Reference(display: "Ada's practice")
                        )
                    )
                }, "assigner"
            ),
        ]
        for (error, field) in cases {
            let error = try #require(error, "\(field) should be refused")
            #expect(error.code == .unmappable)
            #expect(error.field.description == field)
            for secret in ["Ada", "0117", "NOT A CODE", "Byron"] { #expect(!error.description.contains(secret)) }
        }
    }

    @Test("writing back an unchanged value keeps the R4 element whole; a changed one is written fresh")
    func writingBackKeepsWhatTheDomainDidNotChange() throws {
        let text =
            #"{"use":"official","family":"Chalmers","given":["Peter"],"_family":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/humanname-own-prefix","valueString":"van"}]},"text":"Peter Chalmers"}"#
        let original = try FHIRDecoder().decode(R4.HumanName.self, from: Array(text.utf8))
        let name = try HumanName(fhir: original)
        #expect(R4.HumanName(name, keeping: original) == original)
        let renamed = try HumanName(use: .official, given: ["Pete"], family: "Chalmers")
        let rewritten = R4.HumanName(renamed, keeping: original)
        #expect(rewritten.given.map(\.value) == ["Pete"])
        #expect(rewritten.text == nil)
    }

    static func failure(_ work: () throws(FHIREncodingError) -> Void) -> FHIREncodingError? {
        do {
            try work()
            return nil
        } catch {
            return error
        }
    }
}

@Suite("Datatype mappings over UK Core examples")
struct UKCoreDatatypeMappingTests {
    static let identifiersWithoutSystem = [
        "uk-core/UKCore-Extension-NHSNumberVerificationStatus-Example.json identifier[0].system"
    ]

    @Test("every name, address, contact point and identifier of the UK Core Patients and Practitioners maps both ways")
    func ukCoreExamplesMap() throws {
        var mapped = 0
        var refused: [String] = []
        for path in Corpus.validFiles where path.hasPrefix("uk-core/") {
            let resource = try FHIRDecoder(mode: .lenient).decode(R4.Resource.self, from: try Corpus.bytes(path))
            let (names, addresses, telecom, identifiers):
                ([R4.HumanName], [R4.Address], [R4.ContactPoint], [R4.Identifier])
            switch resource {
            case .patient(let patient):
                (names, addresses, telecom, identifiers) = (
                    patient.name, patient.address, patient.telecom, patient.identifier
                )
            case .practitioner(let practitioner):
                (names, addresses, telecom, identifiers) = (
                    practitioner.name, practitioner.address, practitioner.telecom, practitioner.identifier
                )
            default: continue
            }
            for name in names {
                let domain = try HumanName(fhir: name)
                #expect(try HumanName(fhir: R4.HumanName(domain)) == domain, "\(path)")
                mapped += 1
            }
            for address in addresses {
                let domain = try Address(fhir: address)
                #expect(try Address(fhir: R4.Address(domain)) == domain, "\(path)")
                mapped += 1
            }
            for contact in telecom {
                let domain = try ContactPoint(fhir: contact)
                #expect(try ContactPoint(fhir: R4.ContactPoint(domain)) == domain, "\(path)")
                mapped += 1
            }
            for (index, identifier) in identifiers.enumerated() {
                do {
                    let domain = try Identifier(fhir: identifier)
                    #expect(try Identifier(fhir: R4.Identifier(domain)) == domain, "\(path)")
                    mapped += 1
                } catch {
                    refused.append("\(path) identifier[\(index)].\(error.field)")
                }
            }
        }
        #expect(mapped >= 13, "\(mapped)")
        // A domain identifier needs a system; these examples give a bare value.
        #expect(refused == Self.identifiersWithoutSystem, "\(refused)")
    }
}
