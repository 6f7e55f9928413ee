import CareCore
import FHIREncoding
import Foundation
import Testing
import TriageScoring

@Suite("NEWS2 and ACVPU Observations")
struct NEWS2MappingTests {
    static let subject = R4.Reference(reference: "Patient/claire")
    static let effective = Result { () throws(CareCoreError) in try Instant(parsing: "2026-11-25T03:12:00Z") }

    /// The score of a set whose every other parameter scores 0.
    static func usualScore(consciousness: ACVPU) throws -> NEWS2Score {
        let set = NEWS2Observations(
            respirationRate: 16,
            oxygenSaturation: 97,
            airOrOxygen: .air,
            systolicBloodPressure: 120,
            pulse: 70,
            consciousness: consciousness,
            temperature: 37.0
        )
        return try #require(try NEWS2Scorer().assess(set).score)
    }

    /// Scores a seeded set of vital signs; about one in four is on Scale 2.
    static func seededScore(using generator: inout SeededRandomNumberGenerator) throws -> NEWS2Score {
        let scale: SpO2Scale =
            Int.random(in: 0..<4, using: &generator) == 0
            ? .scale2(
                try Scale2Prescription(
                    prescribedBy: "resp-consultant",
                    recordedAt: Date(timeIntervalSince1970: 1_795_000_000)
                )
            )
            : .scale1
        let set = NEWS2Observations(
            respirationRate: Double(Int.random(in: 5...35, using: &generator)),
            oxygenSaturation: Double(Int.random(in: 82...100, using: &generator)),
            scale: scale,
            airOrOxygen: Bool.random(using: &generator) ? .air : .oxygen,
            systolicBloodPressure: Double(Int.random(in: 75...230, using: &generator)),
            pulse: Double(Int.random(in: 35...150, using: &generator)),
            consciousness: ACVPU.allCases.randomElement(using: &generator),
            temperature: Double(Int.random(in: 345...405, using: &generator)) / 10
        )
        return try #require(try NEWS2Scorer().assess(set).score)
    }

    @Test("seeded scores survive score to Observation to score, on both SpO2 scales")
    func seededScoresRoundTrip() throws {
        var generator = SeededRandomNumberGenerator(seed: 2_017_12)
        var scale2 = 0
        for index in 0..<400 {
            let score = try Self.seededScore(using: &generator)
            let observation = try R4.Observation(
                news2: score,
                subject: Self.subject,
                effective: try Self.effective.get(),
                id: "news2-\(index)"
            )
            let bytes = try Emitted.write(observation, name: "observation-news2-\(index)")
            let back = try NEWS2Score(fhir: try FHIRDecoder().decode(R4.Observation.self, from: bytes))
            #expect(back == score)
            if score.scale.isScale2 { scale2 += 1 }
        }
        #expect(scale2 > 50 && scale2 < 350)
    }

    @Test("the Observation carries UK Core's NEWS2 codes, the total and the sub-scores in chart order")
    func observationShape() throws {
        let set = NEWS2Observations(
            respirationRate: 26,
            oxygenSaturation: 95,
            airOrOxygen: .oxygen,
            systolicBloodPressure: 105,
            pulse: 95,
            consciousness: .alert,
            temperature: 38.4
        )
        let score = try #require(try NEWS2Scorer().assess(set).score)
        let observation = try R4.Observation(news2: score, subject: Self.subject, effective: try Self.effective.get())
        #expect(
            observation.meta?.profile.map(\.value) == ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation"]
        )
        #expect(observation.status.value == "final")
        #expect(observation.category.first?.coding.first?.code?.value == "survey")
        #expect(observation.code.coding.first?.code?.value == "1104051000000101")
        guard case .quantity(let total)? = observation.value else {
            Issue.record("no total")
            return
        }
        // RR 26 → 3, SpO2 95 → 1, oxygen → 2, SBP 105 → 1, pulse 95 → 1, alert → 0, 38.4 °C → 1.
        #expect(total.value?.value?.intValue == 9)
        let codes = observation.component.map { $0.code.coding.first?.code?.value ?? "" }
        #expect(
            codes == [
                "1104301000000104", "1104311000000102", "1104331000000105", "1104341000000101", "1104351000000103",
                "1104361000000100", "1104371000000107",
            ]
        )
        let points = observation.component.map { component -> Int? in
            guard case .quantity(let quantity)? = component.value else { return nil }
            return quantity.value?.value?.intValue
        }
        #expect(points == [3, 1, 2, 1, 1, 0, 1])
        #expect(observation.effective == .dateTime("2026-11-25T03:12:00Z"))
    }

    @Test("a score is rebuilt, never trusted: each way an Observation can be wrong is refused where it is wrong")
    func refusals() throws {
        let score = try Self.usualScore(consciousness: .alert)
        let good = try R4.Observation(news2: score, subject: Self.subject, effective: try Self.effective.get())
        func quantity(_ value: Int, comparator: String? = nil) -> R4.Quantity {
            var quantity = R4.Quantity(value: R4.Primitive(JSONNumber(value)))
            quantity.comparator = comparator.map { R4.Primitive($0) }
            return quantity
        }
        let cases: [(String, (inout R4.Observation) -> Void, String)] = [
            ("wrong total", { $0.value = .quantity(quantity(3)) }, "valueQuantity.value"),
            (
                "comparator on the total", { $0.value = .quantity(quantity(0, comparator: "<")) },
                "valueQuantity.comparator"
            ),
            (
                "comparator on a sub-score", { $0.component[4].value = .quantity(quantity(0, comparator: ">=")) },
                "component[4].valueQuantity.comparator"
            ),
            ("oxygen scored 1", { $0.component[2].value = .quantity(quantity(1)) }, "component[2]"),
            (
                "a component coded as two sub-scores",
                {
                    $0.component[1].code.coding.append(
                        R4.Coding(system: "http://snomed.info/sct", code: "1104321000000108")
                    )
                },
                "component[1].code"
            ),
            ("the total as an integer that is not the sum", { $0.value = .integer(5) }, "valueInteger"),
            ("temperature missing", { $0.component.removeLast() }, "component"),
            ("sub-score repeated", { $0.component.append($0.component[0]) }, "component[7]"),
            ("entered in error", { $0.status = "entered-in-error" }, "status"),
            ("not NEWS2", { $0.code.coding[0].code = "1104441000000107" }, "code"),
            (
                "Scale 2 without its prescription",
                { $0.component[1].code.coding[0].code = "1104321000000108" }, "component"
            ),
            (
                "a modifier extension",
                { $0.modifierExtension = [R4.Extension(url: "http://example.org/m", value: .boolean(true))] },
                "modifierExtension[0]"
            ),
        ]
        #expect(throws: Never.self) { try NEWS2Score(fhir: good) }
        for (name, change, field) in cases {
            var observation = good
            change(&observation)
            let error = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
                _ = try NEWS2Score(fhir: observation)
            }
            #expect(error?.code == .unmappable, "\(name)")
            #expect(error?.field.description == field, "\(name): \(String(describing: error))")
        }
    }

    @Test("the reader's red-score policy sets the response")
    func readerPolicySetsResponse() throws {
        let score = try Self.usualScore(consciousness: .voice)
        #expect(score.response == .lowMedium)
        let observation = try R4.Observation(news2: score, subject: Self.subject, effective: try Self.effective.get())
        let local = try NEWS2Score(fhir: observation, scorer: NEWS2Scorer(redScorePolicy: .treatAsMedium))
        #expect(local.response == .medium)
        #expect(local.total == 3)
    }

    @Test("each ACVPU level survives level to Observation to level", arguments: ACVPU.allCases)
    func acvpuRoundTrip(level: ACVPU) throws {
        let observation = R4.Observation(
            consciousness: level,
            subject: Self.subject,
            effective: try Self.effective.get()
        )
        let bytes = try Emitted.write(observation, name: "observation-acvpu-\(level.rawValue)")
        #expect(try ACVPU(fhir: try FHIRDecoder().decode(R4.Observation.self, from: bytes)) == level)
        var unknown = observation
        unknown.value = .codeableConcept(
            R4.CodeableConcept(coding: [R4.Coding(system: "http://snomed.info/sct", code: "1")])
        )
        let error = DatatypeMappingTests.failure { () throws(FHIREncodingError) in _ = try ACVPU(fhir: unknown) }
        #expect(error?.field.description == "valueCodeableConcept")
        // Codings that disagree are refused, never read as the least severe level they name.
        var contradictory = observation
        let other = level == .alert ? ACVPU.unresponsive : .alert
        contradictory.value = .codeableConcept(
            R4.CodeableConcept(try CodeableConcept(codings: [other.coding, level.coding]))
        )
        let contradiction = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
            _ = try ACVPU(fhir: contradictory)
        }
        #expect(contradiction?.reason == "the value's codings name different levels")
    }
}
