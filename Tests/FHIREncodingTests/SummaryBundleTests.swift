import CareCore
import FHIREncoding
import PatientIdentity
import Testing
import TriageScoring

@Suite("Shared-care-record summary Bundles")
struct SummaryBundleTests {
    static let now = Result { () throws(CareCoreError) in try Instant(parsing: "2026-11-25T09:00:00Z") }

    /// Claire's record and three NEWS2 scores about her, as the journeys would produce them.
    static func claire() throws -> (PatientRecord, [NEWS2Score], [R4.Resource]) {
        let record = PatientRecord(
            id: try PatientRecord.ID(validating: "claire"),
            nhsNumber: Recorded(
                text: "9434765919",
                value: try NHSNumber(parsing: "9434765919", verificationStatus: .verified)
            ),
            names: [try HumanName(use: .official, given: ["Claire"], family: "Tremayne")],
            birthDate: Recorded(text: "1961-03-14", value: try FHIRDate(parsing: "1961-03-14")),
            registeredPractice: try ODSCode(parsing: "L82001")
        )
        var generator = SeededRandomNumberGenerator(seed: 14)
        var scores: [NEWS2Score] = []
        var resources: [R4.Resource] = [.patient(R4.Patient(record))]
        for index in 0..<3 {
            let score = try NEWS2MappingTests.seededScore(using: &generator)
            scores.append(score)
            resources.append(
                .observation(
                    try R4.Observation(
                        news2: score,
                        subject: R4.Reference(reference: "Patient/claire"),
                        effective: try now.get(),
                        id: "news2-\(index)"
                    )
                )
            )
        }
        return (record, scores, resources)
    }

    static func build(
        _ resources: [R4.Resource],
        kind: SummaryBundle.Kind,
        base: String? = nil,
        seed: UInt64 = 7
    ) throws -> R4.Bundle {
        var builder = SummaryBundle(kind: kind, base: base)
        for resource in resources { try builder.add(resource) }
        var generator = SeededRandomNumberGenerator(seed: seed)
        return try builder.build(timestamp: try now.get(), using: &generator)
    }

    @Test("a collection gives every entry a urn:uuid and points references at it; what went in comes out")
    func collectionResolvesReferences() throws {
        let (record, scores, resources) = try Self.claire()
        let bundle = try Self.build(resources, kind: .collection)
        let bytes = try Emitted.write(bundle, name: "bundle-collection")
        let back = try FHIRDecoder().decode(R4.Bundle.self, from: bytes)
        #expect(back.type.value == "collection")
        #expect(back.meta?.profile.map(\.value) == [R4.UKCoreProfile.bundle.rawValue])
        let urls = back.entry.map { $0.fullUrl?.value ?? "" }
        #expect(urls.allSatisfy { $0.hasPrefix("urn:uuid:") } && Set(urls).count == 4)
        guard case .patient(let patient)? = back.entry[0].resource else {
            Issue.record("no Patient first")
            return
        }
        #expect(try PatientRecord(fhir: patient) == record)
        for (index, score) in scores.enumerated() {
            guard case .observation(let observation)? = back.entry[index + 1].resource else {
                Issue.record("entry \(index + 1) is not an Observation")
                continue
            }
            #expect(observation.subject?.reference?.value == urls[0])
            #expect(try NEWS2Score(fhir: observation) == score)
        }
        #expect(back.entry.allSatisfy { $0.request == nil })
    }

    @Test("the same seed gives the same Bundle; another seed gives other full URLs")
    func deterministic() throws {
        let (_, _, resources) = try Self.claire()
        #expect(try Self.build(resources, kind: .collection) == (try Self.build(resources, kind: .collection)))
        let other = try Self.build(resources, kind: .collection, seed: 8)
        #expect(other.entry[0].fullUrl != (try Self.build(resources, kind: .collection)).entry[0].fullUrl)
    }

    @Test("a transaction with a base PUTs what has an id, POSTs what has none, and keeps relative references")
    func transactionWithBase() throws {
        var (_, _, resources) = try Self.claire()
        guard case .observation(var unnamed) = resources[3] else {
            Issue.record("entry 3 is not an Observation")
            return
        }
        unnamed.id = nil
        resources[3] = .observation(unnamed)
        let bundle = try Self.build(resources, kind: .transaction, base: "https://fhir.example.nhs.uk/R4/")
        try Emitted.write(bundle, name: "bundle-transaction")
        #expect(bundle.type.value == "transaction")
        #expect(bundle.entry[0].fullUrl?.value == "https://fhir.example.nhs.uk/R4/Patient/claire")
        #expect(bundle.entry[0].request?.method.value == "PUT")
        #expect(bundle.entry[0].request?.url.value == "Patient/claire")
        #expect(bundle.entry[3].request?.method.value == "POST")
        #expect(bundle.entry[3].request?.url.value == "Observation")
        #expect(bundle.entry[3].fullUrl?.value?.hasPrefix("urn:uuid:") == true)
        guard case .observation(let observation)? = bundle.entry[1].resource else {
            Issue.record("entry 1 is not an Observation")
            return
        }
        #expect(observation.subject?.reference?.value == "Patient/claire", "resolves against the base")
    }

    @Test("a reference to a resource outside the Bundle is refused where it is, unless allowed")
    func danglingReferences() throws {
        let (_, _, resources) = try Self.claire()
        var builder = SummaryBundle(kind: .collection)
        try builder.add(resources[1])
        var generator = SeededRandomNumberGenerator(seed: 1)
        let now = try Self.now.get()
        let error = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
            _ = try builder.build(timestamp: now, using: &generator)
        }
        #expect(error?.code == .unmappable)
        #expect(error?.field.description == "entry[0].resource.subject.reference")
        #expect(error?.reason.contains("claire") == false)

        var lenient = SummaryBundle(kind: .collection, allowsExternalReferences: true)
        try lenient.add(resources[1])
        let bundle = try lenient.build(timestamp: try Self.now.get(), using: &generator)
        guard case .observation(let observation)? = bundle.entry[0].resource else {
            Issue.record("entry 0 is not an Observation")
            return
        }
        #expect(observation.subject?.reference?.value == "Patient/claire")
    }

    @Test("a resource added twice, or a Bundle inside a Bundle, is refused")
    func duplicatesRefused() throws {
        let (_, _, resources) = try Self.claire()
        var builder = SummaryBundle(kind: .transaction)
        try builder.add(resources[0])
        #expect(throws: FHIREncodingError.self) { try builder.add(resources[0]) }
        let inner = try Self.build(resources, kind: .collection)
        #expect(throws: FHIREncodingError.self) { try builder.add(.bundle(inner)) }
        #expect(builder.resources.count == 1)
    }
}
