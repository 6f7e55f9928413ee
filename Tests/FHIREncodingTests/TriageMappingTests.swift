import CareCore
import FHIREncoding
import Foundation
import Testing
import TriageScoring

@Suite("Triage categories, NEWS2 risk and vital signs and UK Core")
struct TriageMappingTests {
    static let subject = R4.Reference(reference: "Patient/claire")
    static let arrival = Date(timeIntervalSince1970: 1_795_600_800)

    static func throughJSON<Resource: R4.ResourceModel>(_ resource: Resource, name: String) throws -> Resource {
        try FHIRDecoder().decode(Resource.self, from: try Emitted.write(resource, name: name))
    }

    // MARK: Encounter priority

    @Test(
        "every triage category survives the Encounter's priority, with ActPriority beside it",
        arguments: TriageCategory.allCases
    )
    func categoryRoundTrips(category: TriageCategory) throws {
        let assignment = CategoryAssignment(
            category,
            assessedBy: "triage-nurse-4",
            at: Self.arrival.addingTimeInterval(6 * 60 + 0.25),
            flowchart: category == .red ? nil : "chest-pain",
            discriminator: category == .red ? nil : "cardiac-pain"
        )
        let written = try R4.Encounter(triage: assignment, subject: Self.subject)
        #expect(written.status.value == "triaged" && written.class.code?.value == "EMER")
        let codes = written.priority?.coding.compactMap(\.code?.value) ?? []
        let expected = ["red": "S", "orange": "EM", "yellow": "UR", "green": "R", "blue": "EL"]
        #expect(codes == [category.description, expected[category.description] ?? ""])
        let read = try CategoryAssignment(fhirEncounter: try Self.throughJSON(written, name: "encounter-\(category)"))
        #expect(read == assignment)
    }

    @Test("a category written over an attendance keeps the rest of the Encounter, and a re-triage replaces it")
    func encounterWriteBack() throws {
        let original = try FHIRDecoder().decode(
            R4.Encounter.self,
            from: try Corpus.bytes("uk-core/UKCore-Encounter-InpatientEncounter-Example.json")
        )
        let first = CategoryAssignment(.yellow, assessedBy: "triage-nurse-4", at: Self.arrival)
        let triaged = try R4.Encounter(triage: first, subject: Self.subject, keeping: original)
        var rest = triaged
        rest.priority = nil
        rest.meta = nil
        #expect(rest == original, "only the priority and the profile claim change")
        let worse = CategoryAssignment(.orange, assessedBy: "ed-registrar", at: Self.arrival.addingTimeInterval(1_800))
        let retriaged = try R4.Encounter(triage: worse, subject: Self.subject, keeping: triaged)
        #expect(try CategoryAssignment(fhirEncounter: retriaged) == worse)
        #expect(try R4.Encounter(triage: worse, subject: Self.subject, keeping: retriaged) == retriaged)
        try Emitted.write(retriaged, name: "encounter-ukcore-retriaged")
    }

    @Test("ActPriority alone, two categories or no assessment is refused at the priority")
    func encounterRefusals() throws {
        let written = try R4.Encounter(
            triage: CategoryAssignment(.red, assessedBy: "triage-nurse-4", at: Self.arrival),
            subject: Self.subject
        )
        func field(_ change: (inout R4.Encounter) -> Void) throws -> String {
            var encounter = written
            change(&encounter)
            return try #require(throws: FHIREncodingError.self) { try CategoryAssignment(fhirEncounter: encounter) }
                .field.description
        }
        #expect(try field { $0.priority?.coding.removeFirst() } == "priority")
        #expect(try field { $0.priority?.coding[0].code = "crimson" } == "priority")
        #expect(
            try field {
                $0.priority?.coding.append(
                    R4.Coding(system: R4.Primitive(R4.SuiteCodeSystem.triageCategory.rawValue), code: "blue")
                )
            } == "priority"
        )
        #expect(try field { $0.priority?.extension = [] } == "priority.extension")
        #expect(try field { $0.priority?.extension[0].extension.removeFirst() } == "priority.extension[0].extension")
        #expect(try field { $0.priority = nil } == "priority")
    }

    // MARK: RiskAssessment

    @Test("the NEWS2 clinical risk of seeded scores survives a RiskAssessment")
    func riskRoundTrips() throws {
        var generator = SeededRandomNumberGenerator(seed: 26_11)
        var seen: Set<NEWS2Response> = []
        for index in 0..<300 {
            // The first is a score of 0, whose response is none; seeded scores rarely give it.
            let score =
                index == 0
                ? try NEWS2MappingTests.usualScore(consciousness: .alert)
                : try NEWS2MappingTests.seededScore(using: &generator)
            let written = R4.RiskAssessment(
                news2: score,
                subject: Self.subject,
                occurrence: try Instant(parsing: "2026-11-26T03:12:00Z"),
                basis: R4.Reference(reference: R4.Primitive("Observation/news2-\(index)")),
                id: "risk-\(index)"
            )
            let name = index < 25 ? "riskassessment-\(index)" : "unemitted"
            let read = try NEWS2Response(
                fhir: name == "unemitted" ? written : try Self.throughJSON(written, name: name)
            )
            #expect(read == score.response)
            seen.insert(read)
        }
        #expect(seen == Set(NEWS2Response.allCases))
    }

    @Test("a RiskAssessment that is not NEWS2, not final or only in risk-probability is refused")
    func riskRefusals() throws {
        var generator = SeededRandomNumberGenerator(seed: 1)
        let written = R4.RiskAssessment(
            news2: try NEWS2MappingTests.seededScore(using: &generator),
            subject: Self.subject,
            occurrence: try Instant(parsing: "2026-11-26T03:12:00Z")
        )
        func field(_ change: (inout R4.RiskAssessment) -> Void) throws -> String {
            var assessment = written
            change(&assessment)
            return try #require(throws: FHIREncodingError.self) { try NEWS2Response(fhir: assessment) }.field
                .description
        }
        #expect(try field { $0.status = "preliminary" } == "status")
        #expect(try field { $0.method = nil } == "method")
        #expect(try field { $0.prediction[0].qualitativeRisk?.coding.removeFirst() } == "prediction[0].qualitativeRisk")
        #expect(try field { $0.prediction.append($0.prediction[0]) } == "prediction")
        let hl7 = try FHIRDecoder().decode(
            R4.RiskAssessment.self,
            from: try Corpus.bytes("hl7-r4/RiskAssessment-prognosis.json")
        )
        #expect(
            (try #require(throws: FHIREncodingError.self) { try NEWS2Response(fhir: hl7) }).field.description
                == "method"
        )
    }

    // MARK: Vital signs

    /// A seeded set with every parameter sometimes missing and measurements at chart precision or finer.
    static func seededSet(_ generator: inout SeededRandomNumberGenerator) throws -> NEWS2Observations {
        func maybe(_ value: Double) -> Double? { Int.random(in: 0..<6, using: &generator) == 0 ? nil : value }
        return NEWS2Observations(
            respirationRate: maybe(Double(Int.random(in: 4...40, using: &generator))),
            oxygenSaturation: maybe(Double(Int.random(in: 800...1_000, using: &generator)) / 10),
            scale: Bool.random(using: &generator)
                ? .scale1
                : .scale2(try Scale2Prescription(prescribedBy: "resp-consultant", recordedAt: arrival)),
            airOrOxygen: Int.random(in: 0..<6, using: &generator) == 0
                ? nil : AirOrOxygen.allCases.randomElement(using: &generator),
            systolicBloodPressure: maybe(Double(Int.random(in: 60...240, using: &generator))),
            pulse: maybe(Double(Int.random(in: 30...160, using: &generator))),
            consciousness: Int.random(in: 0..<6, using: &generator) == 0
                ? nil : ACVPU.allCases.randomElement(using: &generator),
            temperature: maybe(Double(Int.random(in: 3_400...4_100, using: &generator)) / 100)
        )
    }

    @Test("seeded vital signs survive domain to Observations to domain, and score the same")
    func vitalsRoundTrip() throws {
        var generator = SeededRandomNumberGenerator(seed: 2_611)
        let effective = try Instant(parsing: "2026-11-26T03:12:00Z")
        var incomplete = 0
        for index in 0..<200 {
            var set = try Self.seededSet(&generator)
            if set.oxygenSaturation == nil { set.scale = .scale1 }
            let written = try R4.Observation.vitalSigns(set, subject: Self.subject, effective: effective)
            #expect(written.count == NEWS2Parameter.allCases.count - set.missing.count)
            let read = try NEWS2Observations(
                fhir: try written.enumerated().map { (position, observation) in
                    index < 10 ? try Self.throughJSON(observation, name: "vitals-\(index)-\(position)") : observation
                }
            )
            #expect(read == set, "set \(index)")
            #expect(try NEWS2Scorer().assess(read) == NEWS2Scorer().assess(set))
            if !set.missing.isEmpty { incomplete += 1 }
        }
        #expect(incomplete > 0)
    }

    @Test("UK Core's vital-sign examples read as one set, with oxygen by flow")
    func ukCoreVitals() throws {
        let files = [
            "UKCore-Observation-VitalSigns-BloodPressure-Example.json",
            "UKCore-Observation-VitalSigns-OxygenSaturation-Example.json",
            "UKCore-Observation-VitalSigns-BodyTemperature-Example.json",
            "UKCore-Observation-OxygenTherapy-Example.json",
            "UKCore-Observation-PipeSmoker-Example.json",
        ]
        let observations = try files.map { file in
            try FHIRDecoder().decode(R4.Observation.self, from: try Corpus.bytes("uk-core/\(file)"))
        }
        let set = try NEWS2Observations(fhir: observations)
        #expect(set.systolicBloodPressure == 142 && set.oxygenSaturation == 96 && set.temperature == 36.5)
        #expect(set.airOrOxygen == .oxygen && set.scale == .scale1)
        #expect(set.missing == [.respirationRate, .pulse, .consciousness])
    }

    @Test("a comparator, another unit, a repeat, another subject or an unusable status is refused where it is")
    func vitalsRefusals() throws {
        let set = NEWS2Observations(
            respirationRate: 18,
            oxygenSaturation: 95,
            airOrOxygen: .air,
            systolicBloodPressure: 128,
            pulse: 88,
            consciousness: .alert,
            temperature: 37.2
        )
        let written = try R4.Observation.vitalSigns(
            set,
            subject: Self.subject,
            effective: try Instant(parsing: "2026-11-26T03:12:00Z")
        )
        func field(_ change: (inout [R4.Observation]) -> Void) throws -> String {
            var observations = written
            change(&observations)
            return try #require(throws: FHIREncodingError.self) { try NEWS2Observations(fhir: observations) }.field
                .description
        }
        func withQuantity(_ observation: inout R4.Observation, _ change: (inout R4.Quantity) -> Void) {
            guard case .quantity(var quantity)? = observation.value else { return }
            change(&quantity)
            observation.value = .quantity(quantity)
        }
        #expect(try field { withQuantity(&$0[0]) { $0.comparator = "<" } } == "[0].valueQuantity.comparator")
        #expect(try field { withQuantity(&$0[6]) { $0.code = "[degF]" } } == "[6].valueQuantity.code")
        #expect(try field { $0.append($0[0]) } == "[7]")
        #expect(try field { $0[3].subject = R4.Reference(reference: "Patient/someone-else") } == "[3].subject")
        #expect(try field { $0[4].status = "preliminary" } == "[4].status")
        #expect(try field { $0[2].value = .string("yes") } == "[2].value")
        #expect(
            try field {
                guard case .quantity(var quantity)? = $0[3].component[0].value else { return }
                quantity.comparator = ">"
                $0[3].component[0].value = .quantity(quantity)
            } == "[3].component[0].valueQuantity.comparator"
        )
        // A value recorded as absent leaves the parameter missing.
        var absent = written
        absent[0].value = nil
        absent[0].dataAbsentReason = R4.CodeableConcept(text: "Patient asleep")
        #expect(try NEWS2Observations(fhir: absent).missing == [.respirationRate])
    }
}
