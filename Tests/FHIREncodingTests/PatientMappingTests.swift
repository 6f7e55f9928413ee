import CareCore
import FHIREncoding
import PatientIdentity
import Testing

@Suite("PatientRecord and UK Core Patient")
struct PatientMappingTests {
    /// Writes a record as a Patient, encodes it with strict validation, reads it back and maps it again.
    static func throughJSON(_ record: PatientRecord, name: String) throws -> PatientRecord {
        let bytes = try Emitted.write(R4.Patient(record), name: name)
        return try PatientRecord(fhir: try FHIRDecoder().decode(R4.Patient.self, from: bytes))
    }

    /// A synthetic record filled out with every element the record has, drawn from the generator.
    static func enriched(
        _ record: PatientRecord,
        using generator: inout SeededRandomNumberGenerator
    ) throws -> PatientRecord {
        var record = record
        let digits = (0..<6).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
        record.telecom = [
            try ContactPoint(system: .phone, value: "01872 " + digits, use: .home, rank: 1),
            try ContactPoint(system: .email, value: "p\(digits)@example.org"),
        ]
        let hospital = try ODSCode(parsing: ["REF", "RK9", "RH8"].randomElement(using: &generator) ?? "REF")
        record.identifiers = [
            try Identifier(
                system: IdentifierSystem(rawValue: "https://fhir.example.nhs.uk/Id/local-patient-number"),
                value: "L" + digits,
                assigner: hospital,
                use: .secondary
            )
        ]
        if let number = record.nhsNumber, let parsed = number.value {
            let status = NHSNumberVerificationStatus.allCases.randomElement(using: &generator)
            record.nhsNumber = Recorded(text: number.text, value: parsed.withVerificationStatus(status))
        }
        record.registeredPractice = try ODSCode(parsing: "A8\(Int.random(in: 1000...9999, using: &generator))")
        record.sourceOrganisation = hospital
        record.isRestricted = Int.random(in: 0..<10, using: &generator) == 0
        record.lastUpdated = try Instant(parsing: "2026-11-\(Int.random(in: 10...24, using: &generator))T09:30:00Z")
        if record.receivedPostcode == nil, Int.random(in: 0..<10, using: &generator) == 0 {
            // A postcode keyed with its inward part cut short, as a source system might send it.
            record.receivedPostcode = Recorded(text: "TR1 \(Int.random(in: 0...9, using: &generator))", value: nil)
        }
        if Int.random(in: 0..<20, using: &generator) == 0 {
            record.deceased = try FHIRDateTime(parsing: "2026-10-02T14:05:00+01:00")
        }
        switch Int.random(in: 0..<4, using: &generator) {
        case 0:
            record.communication = try CommunicationPreferences(preferredChannels: [.phone, .letter], noDigital: true)
        case 1:
            record.communication = try CommunicationPreferences(
                preferredChannels: [.sms, CommunicationChannel(rawValue: "carer-visit", isDigital: false)],
                needs: [.largePrint, .britishSignLanguageInterpreter],
                preferredLanguage: try LanguageTag(parsing: "pl"),
                interpreterRequired: true
            )
        case 2:
            record.communication = try CommunicationPreferences(preferredLanguage: .welsh)
        default:
            break
        }
        return record
    }

    @Test("a seeded synthetic population, every element filled, survives record to Patient to record")
    func syntheticRecordsRoundTrip() throws {
        var generator = SeededRandomNumberGenerator(seed: 9_109)
        let population = SyntheticPopulation.generate(recordCount: 300, using: &generator)
        var unparsedBirthDates = 0
        var unparsedNHSNumbers = 0
        var receivedPostcodes = 0
        for (index, plain) in population.records.enumerated() {
            let record = try Self.enriched(plain, using: &generator)
            let back = try Self.throughJSON(record, name: "patient-synthetic-\(index)")
            #expect(back == record, "record \(index)")
            if record.birthDate?.value == nil { unparsedBirthDates += 1 }
            if record.nhsNumber != nil, record.nhsNumber?.value == nil { unparsedNHSNumbers += 1 }
            if record.receivedPostcode != nil { receivedPostcodes += 1 }
        }
        // The population's corruptions reach each of the paths for values that did not parse.
        #expect(unparsedBirthDates > 0 && unparsedNHSNumbers > 0 && receivedPostcodes > 0)
    }

    @Test("the Patient claims UK Core and carries the NHS number with its verification status")
    func writtenPatientFollowsUKCore() throws {
        let number = try NHSNumber(parsing: "943 476 5919", verificationStatus: .verified)
        let record = PatientRecord(
            id: try PatientRecord.ID(validating: "claire"),
            nhsNumber: Recorded(text: "943 476 5919", value: number),
            birthDate: Recorded(text: "1956-13-04", value: nil),
            registeredPractice: try ODSCode(parsing: "A81001"),
            isRestricted: true
        )
        let patient = R4.Patient(record)
        #expect(patient.meta?.profile.map(\.value) == [R4.UKCoreProfile.patient.rawValue])
        #expect(patient.meta?.security.map(\.code?.value) == ["R"])
        #expect(patient.identifier.first?.value?.value == "9434765919")
        #expect(patient.identifier.first?.system?.value == "https://fhir.nhs.uk/Id/nhs-number")
        guard case .codeableConcept(let status)? = patient.identifier.first?.extension.first?.value else {
            Issue.record("no verification status")
            return
        }
        #expect(status.coding.first?.code?.value == "01")
        #expect(patient.birthDate?.value == nil)
        #expect(patient.birthDate?.extension.first?.url == R4.SuiteExtension.receivedBirthDate.rawValue)
        #expect(patient.generalPractitioner.first?.identifier?.value?.value == "A81001")
        try Emitted.write(patient, name: "patient-claire")
        // The spaced text reads back as the ten digits it was written as.
        let back = try PatientRecord(fhir: patient)
        #expect(back.nhsNumber?.text == "9434765919")
        #expect(back.nhsNumber?.value == number)
        #expect(back.birthDate == record.birthDate)
    }

    @Test("what the record cannot take is refused, naming the element and never the value")
    func refusalsNameTheElement() throws {
        let nhs = #"{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}"#
        let cases: [(json: String, field: String)] = [
            (#"{"resourceType":"Patient"}"#, "id"),
            (#"{"resourceType":"Patient","id":"p","identifier":[\#(nhs),\#(nhs)]}"#, "identifier[1]"),
            (
                #"{"resourceType":"Patient","id":"p","modifierExtension":[{"url":"http://example.org/x","valueBoolean":true}]}"#,
                "modifierExtension[0]"
            ),
            (#"{"resourceType":"Patient","id":"p","deceasedBoolean":true}"#, "deceasedBoolean"),
            (
                #"{"resourceType":"Patient","id":"p","identifier":[{"extension":[{"url":"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus","valueCodeableConcept":{"coding":[{"system":"https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland","code":"09"}]}}],"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}]}"#,
                "identifier[0].extension[0].valueCodeableConcept.coding"
            ),
            (
                #"{"resourceType":"Patient","id":"p","generalPractitioner":[{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A81001"}},{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A81002"}}]}"#,
                "generalPractitioner[1]"
            ),
            (
                #"{"resourceType":"Patient","id":"p","communication":[{"language":{"coding":[{"system":"http://example.org/languages","code":"pl"}]},"preferred":true}]}"#,
                "communication[0].language"
            ),
            (
                #"{"resourceType":"Patient","id":"p","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired","valueBoolean":true}]}"#,
                "communication"
            ),
            (
                #"{"resourceType":"Patient","id":"p","name":[{"use":"official","text":"Claire Tremayne"}]}"#,
                "name[0]"
            ),
            (
                #"{"resourceType":"Patient","id":"p","address":[{"postalCode":"TR1 ZZZ9"}]}"#,
                "address[0].postalCode"
            ),
        ]
        for (json, field) in cases {
            let patient = try FHIRDecoder().decode(R4.Patient.self, from: Array(json.utf8))
            let error = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
                _ = try PatientRecord(fhir: patient)
            }
            #expect(error?.code == .unmappable, "\(json)")
            #expect(error?.field.description == field, "\(json): \(String(describing: error))")
            for secret in ["9434765919", "A81002", "Tremayne", "TR1 ZZZ9", "09"] {
                #expect(error?.reason.contains(secret) != true, "\(secret) in \(String(describing: error))")
            }
        }
    }

    @Test("a read, change and write keeps every element the change did not touch")
    func writingBackKeepsTheRest() throws {
        let path = "uk-core/UKCore-Patient-BabyPatient-Example.json"
        // The example's NHS number fails the Modulus 11 check, so it reads only leniently; this test gives it
        // a valid one, keeping its verification status, so that what is written back validates strictly.
        var original = try FHIRDecoder(mode: .lenient).decode(R4.Patient.self, from: try Corpus.bytes(path))
        original.identifier[0].value = "9434765919"
        original.text = R4.Narrative(
            status: "generated",
            div: "<div xmlns=\"http://www.w3.org/1999/xhtml\">Melanie JONES</div>"
        )
        var record = try PatientRecord(fhir: original)
        #expect(R4.Patient(record, keeping: original) == withProfile(original))

        record.telecom.append(try ContactPoint(system: .email, value: "melanie@example.org"))
        record.isRestricted = true
        let changed = R4.Patient(record, keeping: original)
        #expect(changed.extension == original.extension)
        #expect(changed.birthDate == original.birthDate, "the birth time extension is kept")
        #expect(changed.identifier == original.identifier)
        #expect(changed.telecom.count == 2)
        #expect(changed.meta?.security.map(\.code?.value) == ["R"])
        #expect(changed.text == nil, "a narrative that may show what changed is dropped")
        try Emitted.write(changed, name: "patient-baby-changed")

        record.isRestricted = false
        record.birthDate = Recorded(text: "2021-02-12", value: try FHIRDate(parsing: "2021-02-12"))
        let corrected = R4.Patient(record, keeping: changed)
        #expect(corrected.meta?.security.isEmpty == true)
        #expect(corrected.birthDate == R4.Primitive("2021-02-12"), "a changed date drops the old birth time")
        #expect(try PatientRecord(fhir: corrected) == record)
    }

    @Test("restricting replaces any other confidentiality code, such as PDS's U for unrestricted")
    func restrictionReplacesOtherConfidentialityCodes() throws {
        let json = #"""
            {"resourceType":"Patient","id":"p","meta":{"security":[
              {"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"U"},
              {"system":"http://example.org/other","code":"x"}]}}
            """#
        let original = try FHIRDecoder().decode(R4.Patient.self, from: Array(json.utf8))
        var record = try PatientRecord(fhir: original)
        #expect(!record.isRestricted)
        record.isRestricted = true
        let restricted = R4.Patient(record, keeping: original)
        #expect(restricted.meta?.security.map(\.code?.value) == ["x", "R"])
        record.isRestricted = false
        #expect(R4.Patient(record, keeping: restricted).meta?.security.map(\.code?.value) == ["x"])
    }

    @Test(
        "a Patient that is inactive, replaced, under implicit rules or with a modified language entry is refused",
        arguments: [
            (#""active":false"#, "active"),
            (#""link":[{"other":{"reference":"Patient/q"},"type":"replaced-by"}]"#, "link[0]"),
            (#""implicitRules":"http://example.org/rules""#, "implicitRules"),
            (
                #""communication":[{"language":{"text":"Polish"},"modifierExtension":[{"url":"http://example.org/m","valueBoolean":true}]}]"#,
                "communication[0].modifierExtension[0]"
            ),
        ]
    )
    func modifierElementsRefused(member: String, field: String) throws {
        let json = #"{"resourceType":"Patient","id":"p","# + member + "}"
        let patient = try FHIRDecoder().decode(R4.Patient.self, from: Array(json.utf8))
        let error = DatatypeMappingTests.failure { () throws(FHIREncodingError) in _ = try PatientRecord(fhir: patient)
        }
        #expect(error?.field.description == field)
    }

    @Test("a single language marked not preferred is not the preferred language, and no language is written twice")
    func languageEntries() throws {
        let json = #"""
            {"resourceType":"Patient","id":"p","_birthDate":{"extension":[
               {"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"asked-unknown"}]},
             "communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"en"}]},"preferred":false}]}
            """#
        let original = try FHIRDecoder().decode(R4.Patient.self, from: Array(json.utf8))
        var record = try PatientRecord(fhir: original)
        #expect(record.communication == nil)
        #expect(record.birthDate == nil)
        record.communication = try CommunicationPreferences(preferredLanguage: .english)
        let written = R4.Patient(record, keeping: original)
        #expect(written.communication.count == 1)
        #expect(written.communication[0].preferred?.value == true)
        #expect(written.birthDate == original.birthDate, "the data-absent reason is kept")
        try Emitted.write(written, name: "patient-language-entries")
    }

    @Test("the preferred language and interpreter flag replace only what they were read from")
    func communicationWriteBack() throws {
        let json = #"""
            {"resourceType":"Patient","id":"p",
             "extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired","valueBoolean":false}],
             "communication":[
               {"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"en"}]}},
               {"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"pl"}],"text":"Polish"},"preferred":true}]}
            """#
        let original = try FHIRDecoder().decode(R4.Patient.self, from: Array(json.utf8))
        var record = try PatientRecord(fhir: original)
        #expect(record.communication?.preferredLanguage == (try LanguageTag(parsing: "pl")))
        #expect(record.communication?.interpreterRequired == false)
        #expect(R4.Patient(record, keeping: original).communication == original.communication)

        record.communication = try CommunicationPreferences(preferredLanguage: .welsh, interpreterRequired: true)
        let changed = R4.Patient(record, keeping: original)
        #expect(changed.communication.count == 2)
        #expect(changed.communication[0] == original.communication[0])
        #expect(changed.communication[1].language.coding.first?.code?.value == "cy")
        #expect(try PatientRecord(fhir: changed).communication == record.communication)
    }

    @Test("every UK Core Patient example maps, or is refused for a named reason, and writes back unchanged")
    func ukCorePatientsMap() throws {
        var mapped: [String] = []
        var refused: [String] = []
        for path in Corpus.validFiles where path.hasPrefix("uk-core/") {
            guard
                case .patient(let patient) = try FHIRDecoder(mode: .lenient).decode(
                    R4.Resource.self,
                    from: try Corpus.bytes(path)
                )
            else { continue }
            let record: PatientRecord
            do {
                record = try PatientRecord(fhir: patient)
            } catch {
                refused.append("\(path) \(error.field)")
                continue
            }
            var expected = withProfile(patient)
            if let number = record.nhsNumber, number.value == nil {
                // A number failing the check moves from the NHS number system to the suite's extension.
                expected.identifier.removeAll { $0.system?.value == "https://fhir.nhs.uk/Id/nhs-number" }
                expected.extension.append(
                    R4.Extension(
                        url: R4.SuiteExtension.receivedNHSNumber.rawValue,
                        value: .string(R4.Primitive(number.text))
                    )
                )
            }
            let written = R4.Patient(record, keeping: patient)
            #expect(written == expected, "\(path)")
            try Emitted.write(written, name: "patient-uk-core-\(mapped.count)")
            #expect(try PatientRecord(fhir: R4.Patient(record)) == record, "\(path)")
            mapped.append(path)
        }
        #expect(mapped.count == 11, "\(mapped)")
        #expect(
            refused == [
                // An interpreter is required but no language is given, which CommunicationPreferences refuses.
                "uk-core/UKCore-Extension-InterpreterRequired-Example.json communication",
                // An identifier with only a verification status and no system or number holds nothing a record can.
                "uk-core/UKCore-Extension-NHSNumberVerificationStatus-Example.json identifier[0].system",
            ]
        )
    }

    @Test("the UK Core baby example reads into the record's own values")
    func babyPatientValues() throws {
        let path = "uk-core/UKCore-Patient-BabyPatient-Example.json"
        let patient = try FHIRDecoder(mode: .lenient).decode(R4.Patient.self, from: try Corpus.bytes(path))
        let record = try PatientRecord(fhir: patient)
        #expect(record.id.rawValue == "UKCore-Patient-BabyPatient-Example")
        // The example's number fails the Modulus 11 check: it is kept as received, not as a valid number, and
        // a Patient written afresh carries it in the suite's extension, never under the NHS number system.
        #expect(record.nhsNumber == Recorded(text: "9912003890", value: nil))
        let fresh = R4.Patient(record)
        #expect(!fresh.identifier.contains { $0.system?.value == "https://fhir.nhs.uk/Id/nhs-number" })
        #expect(fresh.extension.contains { $0.url == R4.SuiteExtension.receivedNHSNumber.rawValue })
        try Emitted.write(fresh, name: "patient-baby-fresh")
        #expect(record.names.first?.family == "JONES")
        #expect(record.birthDate?.value == (try FHIRDate(parsing: "2021-02-11")))
        #expect(record.gender == .female)
        #expect(record.addresses.first?.postcode?.formatted == "LS8 3DR")
        #expect(record.telecom.first?.system == .phone)
        #expect(record.communication == nil)
    }

    /// The Patient as a write-back gives it: the UK Core profile claimed.
    func withProfile(_ patient: R4.Patient) -> R4.Patient {
        var patient = patient
        var meta = patient.meta ?? R4.Meta()
        if !meta.profile.contains(where: { $0.value == R4.UKCoreProfile.patient.rawValue }) {
            meta.profile.append(R4.Primitive(R4.UKCoreProfile.patient.rawValue))
        }
        patient.meta = meta
        return patient
    }
}
