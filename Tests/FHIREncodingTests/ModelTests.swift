import CareCore
import FHIREncoding
import Foundation
import Synchronization
import Testing

@Suite("Typed R4 models")
struct ModelTests {
    /// The resource types with typed models.
    static let typedTypes: Set<String> = [
        "Appointment", "AuditEvent", "Bundle", "CarePlan", "CareTeam", "Communication", "Consent", "Encounter",
        "Flag", "Goal", "Observation", "OperationOutcome", "Organization", "Patient", "Practitioner",
        "PractitionerRole", "RiskAssessment", "Schedule", "Slot",
    ]

    /// Counts the typed and untyped resources in a resource, its contained resources and its Bundle entries.
    static func census(_ resource: R4.Resource, into counts: inout [String: Int]) {
        counts[resource.resourceType, default: 0] += 1
        switch resource {
        case .bundle(let bundle):
            for entry in bundle.entry { if let inner = entry.resource { census(inner, into: &counts) } }
        case .other(let untyped):
            #expect(!typedTypes.contains(untyped.resourceType), "a typed resource was left untyped")
        default:
            break
        }
    }

    @Test("every valid corpus file builds a typed model that writes the same JSON back", arguments: Corpus.validFiles)
    func corpusFileRoundTrips(path: String) throws {
        let bytes = try Corpus.bytes(path)
        let original = try JSONReader().read(bytes)
        var expected = original
        if path == "nhs-bars/document_reference/GET-success-empty.json" {
            // Lenient mode lets "entry": [] through with a warning; an empty array carries nothing, so the
            // model has no entries and writes none.
            expected = .object(JSONObject(try #require(original.object).filter { $0.key != "entry" }))
        }
        let model = try FHIRDecoder(mode: .lenient).decode(R4.Resource.self, from: bytes)
        #expect(JSONValue.object(model.json).isEquivalent(to: expected), "\(path)")
        let untyped = try FHIRResource(model, mode: .lenient)
        #expect(untyped.jsonValue.isEquivalent(to: expected))
        if CorpusTests.strictRejections[path] == nil {
            let written = try FHIREncoder().encode(model)
            #expect(try JSONReader().read(written).isEquivalent(to: original))
            let again = try FHIRDecoder().decode(R4.Resource.self, from: written)
            #expect(JSONValue.object(again.json).isEquivalent(to: original))
        }
    }

    @Test("the corpus exercises every typed resource, inside Bundles too")
    func corpusCoversTypedResources() throws {
        var counts: [String: Int] = [:]
        for path in Corpus.validFiles {
            Self.census(
                try FHIRDecoder(mode: .lenient).decode(R4.Resource.self, from: try Corpus.bytes(path)),
                into: &counts
            )
        }
        let missing = Self.typedTypes.filter { counts[$0, default: 0] == 0 }
        #expect(missing.isEmpty, "\(missing.sorted())")
        #expect(counts["Claim", default: 0] > 0, "untyped resources are carried too")
    }

    @Test("a Patient's elements read as typed values: primitives, choices, backbone elements, extensions")
    func patientReadsTyped() throws {
        let text = #"""
            {"resourceType":"Patient","id":"p1","active":true,
             "name":[{"family":"Chalmers","given":["Peter",null,"Jim"],
                      "_given":[null,{"extension":[{"url":"http://example.org/absent","valueCode":"unknown"}]},null]}],
             "birthDate":"1974-12-25","_birthDate":{"id":"b1"},
             "deceasedBoolean":false,"multipleBirthInteger":2,
             "contact":[{"relationship":[{"text":"sister"}],"gender":"female"}],
             "extension":[{"url":"http://example.org/weight","valueQuantity":{"value":1.50,"unit":"kg"}}]}
            """#
        let patient = try FHIRDecoder().decode(R4.Patient.self, from: Array(text.utf8))
        #expect(patient.id == "p1")
        #expect(patient.active?.value == true)
        let name = try #require(patient.name.first)
        #expect(name.family == "Chalmers")
        #expect(name.given.map(\.value) == ["Peter", nil, "Jim"])
        #expect(name.given[1].extension.first?.url == "http://example.org/absent")
        #expect(name.given[1].extension.first?.value == .code("unknown"))
        #expect(patient.birthDate == R4.Primitive("1974-12-25", id: "b1"))
        #expect(patient.deceased == .boolean(false))
        #expect(patient.multipleBirth == .integer(2))
        #expect(patient.contact.first?.gender?.value == "female")
        guard case .quantity(let weight)? = patient.extension.first?.value else {
            Issue.record("the extension's value should be a Quantity")
            return
        }
        #expect(weight.value?.value?.text == "1.50")
        let written = try JSONReader().read(try FHIREncoder().encode(patient))
        #expect(written.isEquivalent(to: try JSONReader().read(Array(text.utf8))))
    }

    @Test("a model built in code is written in the specification's order")
    func builtModelIsOrdered() throws {
        let flag = R4.Flag(
            status: "active",
            code: R4.CodeableConcept(text: "Safeguarding concern"),
            subject: R4.Reference(reference: "Patient/p1"),
            id: "f1"
        )
        let text = String(decoding: try FHIREncoder().encode(flag), as: UTF8.self)
        #expect(
            text
                == #"{"resourceType":"Flag","id":"f1","status":"active","code":{"text":"Safeguarding concern"},"#
                + #""subject":{"reference":"Patient/p1"}}"#
        )
    }

    @Test("a model holding what R4 forbids is not written, and the error says where")
    func invalidModelIsRefused() {
        var flag = R4.Flag(status: "open", code: R4.CodeableConcept(text: "x"), subject: R4.Reference(display: "x"))
        flag.period = R4.Period(start: "2026-02-30")
        do {
            _ = try FHIREncoder().encode(flag)
            Issue.record("a code outside the value set and an impossible date must be refused")
        } catch {
            let locations = Set(error.issues.filter(\.isFailure).map(\.location))
            #expect(locations == ["Flag.status", "Flag.period.start"])
        }
    }

    @Test("lenient decoding keeps unknown elements, and writes them last")
    func unknownElementsAreKept() throws {
        let text =
            #"{"resourceType":"Slot","status":"free","start":"2026-11-25T09:00:00Z","localNote":"x","#
            + #""schedule":{"reference":"Schedule/s1","localFlag":true},"end":"2026-11-25T09:10:00Z"}"#
        #expect(throws: FHIREncodingError.self) { try FHIRDecoder().decode(R4.Slot.self, from: Array(text.utf8)) }
        let slot = try FHIRDecoder(mode: .lenient).decode(R4.Slot.self, from: Array(text.utf8))
        #expect(slot.unknownElements["localNote"] == .string("x"))
        #expect(slot.schedule.unknownElements["localFlag"] == .bool(true))
        let written = String(decoding: FHIREncoder(style: .compact).encode(json: .object(slot.json)), as: UTF8.self)
        #expect(written.hasSuffix(#""localNote":"x"}"#))
    }

    @Test("a lenient resource missing a required element cannot be typed, and the error names it")
    func missingRequiredElementIsNamed() throws {
        let text =
            #"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Flag","#
            + #""code":{"text":"x"},"subject":{"display":"x"}}}]}"#
        let untyped = try FHIRDecoder(mode: .lenient).decode(Array(text.utf8))
        do {
            _ = try R4.Resource(untyped)
            Issue.record("Flag.status is required")
        } catch {
            #expect(error.code == .invalidResource)
            #expect(error.field.description == "entry[0].resource.status")
        }
    }

    @Test("JSON of the wrong kind given as validated is refused with its path, never trusted")
    func wrongKindsAreRefused() throws {
        let cases: [(String, FieldPath)] = [
            (#"{"resourceType":"Patient","name":[{"given":["a",7]}]}"#, FieldPath("name[0].given[1]")),
            (#"{"resourceType":"Patient","name":{"family":"a"}}"#, FieldPath("name")),
            (#"{"resourceType":"Patient","_birthDate":{"note":"x"}}"#, FieldPath("_birthDate")),
            (#"{"resourceType":"Patient","deceasedBoolean":true,"deceasedDateTime":"2020"}"#, FieldPath("deceased[x]")),
            (#"{"resourceType":"Observation","status":"final"}"#, FieldPath("code")),
            (#"{"resourceType":"Flag","status":"active"}"#, FieldPath("code")),
            (
                #"{"resourceType":"Slot","status":"free","schedule":{"identifier":{"assigner":[]}}}"#,
                FieldPath("schedule.identifier.assigner")
            ),
        ]
        for (text, field) in cases {
            let json = try #require(try JSONReader().read(Array(text.utf8)).object)
            do {
                _ = try R4.Resource(validatedJSON: json)
                Issue.record("\(text) should be refused")
            } catch {
                #expect(error.field.description == field.description, "\(text): \(error)")
            }
        }
    }

    @Test("a datatype validates and reads on its own")
    func datatypeDecodes() throws {
        let name = try FHIRDecoder().decode(R4.HumanName.self, from: Array(#"{"use":"official","family":"Ng"}"#.utf8))
        #expect(name.use?.value == "official")
        #expect(throws: FHIREncodingError.self) {
            try FHIRDecoder().decode(R4.HumanName.self, from: Array(#"{"use":"formal"}"#.utf8))
        }
        #expect(throws: FHIREncodingError.self) {
            try FHIRDecoder().decode(R4.Patient.self, from: Array(#"{"resourceType":"Flag"}"#.utf8))
        }
    }

    @Test("contained resources and Bundle entries are typed where the suite models them")
    func containedResourcesAreTyped() throws {
        let text =
            ##"{"resourceType":"CarePlan","status":"active","intent":"plan","subject":{"reference":"#p"},"##
            + #""contained":[{"resourceType":"Patient","id":"p"},{"resourceType":"Claim","id":"c","status":"active"}]}"#
        let plan = try FHIRDecoder(mode: .lenient).decode(R4.CarePlan.self, from: Array(text.utf8))
        #expect(plan.contained.map(\.resourceType) == ["Patient", "Claim"])
        guard case .patient(let patient) = plan.contained[0], case .other(let claim) = plan.contained[1] else {
            Issue.record("contained resources should be typed where modelled")
            return
        }
        #expect(patient.id == "p")
        #expect(claim.id == "c")
    }

    @Test("a repeating primitive whose values are all absent is written as its '_' array alone")
    func allNullValuesAreLeftOut() throws {
        let text =
            #"{"resourceType":"Patient","name":[{"given":[null],"#
            + #""_given":[{"extension":[{"url":"http://example.org/absent","valueCode":"unknown"}]}]}]}"#
        #expect(FHIRDecoder().validate(Array(text.utf8)).isValid)
        let patient = try FHIRDecoder().decode(R4.Patient.self, from: Array(text.utf8))
        #expect(patient.name[0].given.map(\.value) == [nil])
        let written = try JSONReader().read(try FHIREncoder().encode(patient))
        #expect(written["name"]?.array?.first?["given"] == nil)
        #expect(written["name"]?.array?.first?["_given"] != nil)
        #expect(FHIRDecoder().validate(try FHIREncoder().encode(patient)).isValid)
    }

    @Test("a primitive choice variant given only by its '_' form, and an integer written -0")
    func primitiveEdgeCases() throws {
        let text =
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"#
            + #""_valueString":{"extension":[{"url":"http://example.org/absent","valueCode":"masked"}]},"#
            + #""component":[{"code":{"text":"y"},"valueInteger":-0}]}"#
        let observation = try FHIRDecoder().decode(R4.Observation.self, from: Array(text.utf8))
        guard case .string(let masked)? = observation.value, case .integer(let zero)? = observation.component[0].value
        else {
            Issue.record("the variants should be read")
            return
        }
        #expect(masked.value == nil)
        #expect(masked.extension.count == 1)
        #expect(zero.value == 0)
        let written = try JSONReader().read(try FHIREncoder().encode(observation))
        #expect(written["_valueString"] != nil)
        #expect(written["valueString"] == nil)
        #expect(written["component"]?.array?.first?["valueInteger"]?.number?.text == "0")
    }

    @Test("Extension.url has no '_' form")
    func extensionURLHasNoElementForm() throws {
        let text =
            #"{"resourceType":"Patient","extension":[{"url":"http://example.org/x","_url":{"id":"u"},"#
            + #""valueBoolean":true}]}"#
        let report = FHIRDecoder().validate(Array(text.utf8))
        #expect(report.firstFailure?.location == "Patient.extension[0]._url")
    }

    @Test("an untyped resource is never trusted unvalidated")
    func untypedResourcesAreValidated() throws {
        let bad = try #require(try JSONReader().read(Array(#"{"resourceType":"Claim","status":7}"#.utf8)).object)
        #expect(throws: FHIREncodingError.self) { try R4.Resource(validatedJSON: bad) }
        let lenientOnly = #"{"resourceType":"Claim","id":"c","status":"active","localNote":"x"}"#
        let read = try FHIRDecoder(mode: .lenient).decode(R4.Resource.self, from: Array(lenientOnly.utf8))
        #expect(throws: FHIREncodingError.self) { try FHIRResource(read, mode: .strict) }
        #expect(try FHIRResource(read, mode: .lenient).id == "c")
        #expect(throws: FHIREncodingError.self) { try FHIREncoder().encode(read) }
        #expect(try FHIREncoder().encode(read, mode: .lenient).count > 0)
    }

    @Test("an empty or null '_' form carries nothing and cannot stand in for a required element")
    func emptyElementFormsCarryNothing() throws {
        let missing = #"{"resourceType":"Flag","_status":{},"code":{"text":"x"},"subject":{"display":"x"}}"#
        do {
            _ = try FHIRDecoder(mode: .lenient).decode(R4.Flag.self, from: Array(missing.utf8))
            Issue.record("an empty _status must not count as a status")
        } catch {
            #expect(error.field.description == "status")
        }
        let nullID =
            #"{"resourceType":"Flag","status":"active","_status":{"id":null},"code":{"text":"x"},"#
            + #""subject":{"display":"x"}}"#
        let flag = try FHIRDecoder(mode: .lenient).decode(R4.Flag.self, from: Array(nullID.utf8))
        #expect(flag.status == "active")
    }

    /// 512 KiB is the stack of a secondary thread on Apple platforms. An optimised build needs about 3 KB a
    /// level here; an unoptimised one gives every temporary of a large `switch` its own slot (about 30 KB
    /// for `Extension`), so a debug run checks the same depth on a 4 MiB stack. Run
    /// `swift test -c release --filter deepExtensionsFitASmallStack` for the 512 KiB check.
    static let smallStack = {
        #if DEBUG
        4 * 1024 * 1024
        #else
        512 * 1024
        #endif
    }()

    @Test("extensions nested to the reader's depth limit build on a thread with a small stack")
    func deepExtensionsFitASmallStack() throws {
        var text = #"{"url":"http://example.org/leaf","valueBoolean":true}"#
        for _ in 0..<60 { text = #"{"url":"http://example.org/n","extension":["# + text + "]}" }
        text = #"{"resourceType":"Patient","extension":["# + text + "]}"
        let bytes = Array(text.utf8)
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let result = Result { () throws(FHIREncodingError) in try FHIRDecoder().decode(R4.Patient.self, from: bytes)
            }
            outcome.result.withLock { $0 = result }
            done.signal()
        }
        thread.stackSize = Self.smallStack
        thread.start()
        done.wait()
        let patient = try #require(try outcome.result.withLock { $0 }?.get())
        var depth = 0
        var current = patient.extension.first
        while let next = current?.extension.first {
            depth += 1
            current = next
        }
        #expect(depth == 60)
    }
}

/// The result of work done on another thread.
final class Outcome: Sendable {
    let result = Mutex<Result<R4.Patient, FHIREncodingError>?>(nil)
}
