import FHIREncoding
import Testing

@Suite("The FHIR corpus")
struct CorpusTests {
    /// Files that pass HL7's R4 JSON Schema but break a rule the schema cannot express, with the issue each
    /// must get in strict mode. In lenient mode each is only a warning.
    static let strictRejections: [String: (code: FHIRIssue.Code, location: String)] = [
        // An empty search result written as "entry": []; FHIR JSON has no empty arrays.
        "nhs-bars/document_reference/GET-success-empty.json": (.structure, "Bundle.entry"),
        // NHS numbers in published examples whose Modulus 11 check digit is wrong.
        "nhs-bars/process_message/request/ValidationRequest (POST) .json":
            (.businessRule, "Bundle.entry[5].resource.identifier[0].value"),
        "nhs-bars/process_message/request/ValidationResponse (POST) .json":
            (.businessRule, "Bundle.entry[6].resource.identifier[0].value"),
        "nhs-bars/process_message/response/ValidationRequest (HTTP Response) .json":
            (.businessRule, "Bundle.entry[3].resource.identifier[0].value"),
        "uk-core/UKCore-Patient-BabyPatient-Example.json": (.businessRule, "Patient.identifier[0].value"),
    ]

    /// Each known-invalid file with the issue `known-invalid/INDEX.md` gives as the reason it fails the schema.
    static let invalidReasons: [String: (code: FHIRIssue.Code, location: String)] = [
        "known-invalid/nhs-bars/OperationOutcome/REC/500-REC_SERVER_ERROR-too costly.json":
            (.codeInvalid, "OperationOutcome.issue[0].code"),
        "known-invalid/nhs-bars/appointment/PATCH-body.json": (.required, "Appointment.participant"),
        "known-invalid/nhs-bars/invalid-base64.json": (.codeInvalid, "OperationOutcome.issue[0].code"),
        "known-invalid/nhs-bars/message_definition/MessageDefinition_ServiceRequest-request_CaseTransfer.json":
            (.structure, "Bundle.entry[0].resource.useContext[0].code"),
        "known-invalid/nhs-bars/process_message/POST-success.json": (.structure, "Bundle.entry[3].resource.Schedule"),
        "known-invalid/nhs-bars/service_request/GET-success.json": (.structure, "Bundle.entry[0].PatientInstruction"),
        "known-invalid/nhs-bars/service_request/POST-success.json": (.structure, "ServiceRequest.PatientInstruction"),
        "known-invalid/nhs-bars/unavailable.json": (.codeInvalid, "OperationOutcome.issue[0].code"),
    ]

    @Test("the corpus is present and complete")
    func corpusIsPresent() {
        #expect(Corpus.validFiles.count == 304, "expected ../shared/fhir-corpus beside the repository")
        #expect(Corpus.invalidFiles.count == 8)
        #expect(Set(Self.strictRejections.keys).isSubset(of: Corpus.validFiles))
        #expect(Set(Self.invalidReasons.keys) == Set(Corpus.invalidFiles))
    }

    @Test(
        "every valid file validates strictly, apart from the five with a documented fault",
        arguments: Corpus.validFiles
    )
    func validFileValidates(path: String) throws {
        let report = FHIRDecoder().validate(try Corpus.bytes(path))
        if let expected = Self.strictRejections[path] {
            #expect(report.issues.count == 1)
            #expect(report.firstFailure?.code == expected.code)
            #expect(report.firstFailure?.location == expected.location)
        } else {
            #expect(report.issues == [], "\(path)")
            #expect(report.resource != nil)
        }
    }

    @Test("every valid file is valid in lenient mode and round-trips losslessly", arguments: Corpus.validFiles)
    func validFileRoundTrips(path: String) throws {
        let bytes = try Corpus.bytes(path)
        let original = try JSONReader().read(bytes)
        let report = FHIRDecoder(mode: .lenient).validate(bytes)
        #expect(report.isValid)
        #expect(report.issues.count == (Self.strictRejections[path] == nil ? 0 : 1))
        let resource = try #require(report.resource)
        for style in [JSONWriter.Style.compact, .pretty] {
            let encoded = FHIREncoder(style: style).encode(resource)
            let reread = try JSONReader().read(encoded)
            #expect(reread.isEquivalent(to: original), "\(path) \(style)")
            #expect(FHIRDecoder(mode: .lenient).validate(encoded).isValid)
        }
    }

    @Test("every known-invalid file is rejected, for the reason its index gives", arguments: Corpus.invalidFiles)
    func invalidFileIsRejected(path: String) throws {
        let bytes = try Corpus.bytes(path)
        let report = FHIRDecoder().validate(bytes)
        #expect(!report.isValid)
        #expect(report.resource == nil)
        let expected = try #require(Self.invalidReasons[path])
        #expect(
            report.issues.contains { $0.isFailure && $0.code == expected.code && $0.location == expected.location },
            "\(report.issues)"
        )
        #expect(throws: FHIREncodingError.self) { try FHIRDecoder().decode(bytes) }
    }

    @Test("a Bundle's entry resources come out in order, each valid on its own")
    func bundleEntriesStandAlone() throws {
        var bundles = 0
        for path in Corpus.validFiles {
            let resource = try FHIRDecoder(mode: .lenient).decode(try Corpus.bytes(path))
            guard resource.resourceType == "Bundle" else {
                #expect(resource.bundleEntryResources.isEmpty)
                continue
            }
            bundles += 1
            let entries = resource.json["entry"]?.array ?? []
            let expected = entries.compactMap { $0["resource"]?.object }
            #expect(resource.bundleEntryResources.map(\.json) == expected, "\(path)")
            for inner in resource.bundleEntryResources {
                #expect(FHIRValidator(mode: .lenient).validate(inner.jsonValue).allSatisfy { !$0.isFailure }, "\(path)")
            }
        }
        #expect(bundles == 33)
    }
}
