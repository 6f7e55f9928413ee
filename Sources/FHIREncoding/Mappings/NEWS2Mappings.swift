public import CareCore
import Foundation
public import TriageScoring

// NEWS2 scores and ACVPU levels <-> UK Core Observations (issue #9).
//
// The shape follows UK Core's `UKCore-Observation-EarlyWarningTotalScore` (NHS England UK Core staging, 1.0.0):
// status `final`, category `survey`, the SNOMED CT code for the NEWS2 total, a subject and an effective time,
// the total as a Quantity and each sub-score as a `component` with its own SNOMED CT code. STU2 (2.0.0) has
// no such profile, so the Observation claims `UKCore-Observation`. An ACVPU level is an Observation coded
// 1104441000000107 whose value is a concept of the UK Core ACVPU value set.
//
// Reading never trusts the sender's arithmetic: the sub-scores are checked against the chart, the total
// against their sum, and the response is the reading scorer's.

/// The SNOMED CT codes of NEWS2 in UK Core (docs/research/triage-careplan-anchors.md, from NHS England's
/// UK Core staging repository).
enum NEWS2Codes {
    /// Royal College of Physicians NEWS2 total score.
    static let total = "1104051000000101"
    /// The ACVPU scale score, the code of an ACVPU Observation.
    static let acvpu = "1104441000000107"
    /// SpO2 scored on Scale 1.
    static let oxygenSaturationScale1 = "1104311000000102"
    /// SpO2 scored on Scale 2.
    static let oxygenSaturationScale2 = "1104321000000108"

    /// The sub-score code of each parameter; SpO2's depends on the scale.
    static func subScore(_ parameter: NEWS2Parameter, scale2: Bool) -> String {
        switch parameter {
        case .respirationRate: return "1104301000000104"
        case .oxygenSaturation: return scale2 ? oxygenSaturationScale2 : oxygenSaturationScale1
        case .airOrOxygen: return "1104331000000105"
        case .systolicBloodPressure: return "1104341000000101"
        case .pulse: return "1104351000000103"
        case .consciousness: return "1104361000000100"
        case .temperature: return "1104371000000107"
        }
    }

    /// The parameter a sub-score code names, with whether it is SpO2 on Scale 2.
    static func parameter(_ code: String) -> (NEWS2Parameter, scale2: Bool)? {
        if code == oxygenSaturationScale2 { return (.oxygenSaturation, true) }
        return NEWS2Parameter.allCases.first { subScore($0, scale2: false) == code }.map { ($0, false) }
    }
}

/// HL7's Observation category code system.
private let observationCategorySystem = "http://terminology.hl7.org/CodeSystem/observation-category"

extension R4.Observation {
    /// Writes a NEWS2 score as a UK Core early warning score Observation: the total and the seven
    /// sub-scores, with the Scale 2 prescription in the suite's `spo2-scale2-prescription` extension.
    ///
    /// - Parameters:
    ///   - score: The score.
    ///   - subject: The patient the score is about.
    ///   - effective: When the observations were taken.
    ///   - id: The Observation's id, if it has one yet.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` when the Scale 2 prescription's time cannot be
    ///   written as an R4 instant (a year outside 0001–9999). The time is written to the millisecond.
    public init(
        news2 score: NEWS2Score,
        subject: R4.Reference,
        effective: Instant,
        id: String? = nil
    ) throws(FHIREncodingError) {
        let scale2: Scale2Prescription?
        if case .scale2(let prescription) = score.scale { scale2 = prescription } else { scale2 = nil }
        self.init(
            status: "final",
            code: Self.snomed(NEWS2Codes.total),
            id: id,
            meta: Mapping.meta(nil, claiming: .observation),
            category: [
                R4.CodeableConcept(
                    coding: [
                        R4.Coding(system: R4.Primitive(observationCategorySystem), code: "survey", display: "Survey")
                    ]
                )
            ],
            subject: subject,
            effective: .dateTime(R4.Primitive(effective.description)),
            value: .quantity(Self.points(score.total)),
            component: NEWS2Parameter.allCases.compactMap { parameter in
                score.subScores[parameter].map { points in
                    R4.Observation.Component(
                        code: Self.snomed(NEWS2Codes.subScore(parameter, scale2: scale2 != nil)),
                        value: .quantity(Self.points(points))
                    )
                }
            }
        )
        if let scale2 { self.extension = [try Mapping.scale2Extension(scale2)] }
    }

    /// Writes an ACVPU level as a UK Core ACVPU Observation.
    ///
    /// - Parameters:
    ///   - consciousness: The level.
    ///   - subject: The patient observed.
    ///   - effective: When the level was observed.
    ///   - id: The Observation's id, if it has one yet.
    public init(consciousness: ACVPU, subject: R4.Reference, effective: Instant, id: String? = nil) {
        self.init(
            status: "final",
            code: Self.snomed(NEWS2Codes.acvpu),
            id: id,
            meta: Mapping.meta(nil, claiming: .observation),
            subject: subject,
            effective: .dateTime(R4.Primitive(effective.description)),
            value: .codeableConcept(R4.CodeableConcept(CodeableConcept(consciousness.coding)))
        )
    }

    private static func snomed(_ code: String) -> R4.CodeableConcept {
        R4.CodeableConcept(coding: [
            R4.Coding(system: R4.Primitive(CodeSystem.snomedCT.rawValue), code: R4.Primitive(code))
        ])
    }

    private static func points(_ value: Int) -> R4.Quantity {
        R4.Quantity(
            value: R4.Primitive(JSONNumber(value)),
            unit: "score",
            system: R4.Primitive(CodeSystem.ucum.rawValue),
            code: "{score}"
        )
    }
}

extension Mapping {
    /// Whether a concept carries a SNOMED CT coding with the code.
    static func hasSNOMED(_ concept: R4.CodeableConcept, _ code: String) -> Bool {
        concept.coding.contains { $0.system?.value == CodeSystem.snomedCT.rawValue && $0.code?.value == code }
    }

    /// The status of an Observation that may be acted on: final, amended or corrected.
    static func usableStatus(_ observation: R4.Observation) throws(FHIREncodingError) {
        guard ["final", "amended", "corrected"].contains(observation.status.value ?? "") else {
            throw .unmappable(FieldPath("status"), "only a final, amended or corrected observation is read as a score")
        }
    }

    /// A whole number of points from an Observation or component value: a Quantity with no comparator, or
    /// an integer.
    static func points(_ value: R4.Observation.Component.Value?, at field: FieldPath) throws(FHIREncodingError) -> Int {
        switch value {
        case .quantity(let quantity)?:
            return try points(quantity, at: field.appending("valueQuantity"))
        case .integer(let integer)?:
            guard let number = integer.value else {
                throw .unmappable(field.appending("valueInteger"), "the points are missing")
            }
            return Int(number)
        default:
            throw .unmappable(field, "the points must be a valueQuantity or a valueInteger")
        }
    }

    /// A whole number of points from a Quantity, refusing a comparator: "<3" is not a score (HAZ-010).
    static func points(_ quantity: R4.Quantity, at field: FieldPath) throws(FHIREncodingError) -> Int {
        guard quantity.comparator == nil else {
            throw .unmappable(field.appending("comparator"), "a score with a comparator is not a score")
        }
        guard let number = quantity.value?.value?.intValue else {
            throw .unmappable(field.appending("value"), "the points must be a whole number")
        }
        return number
    }
}

extension NEWS2Score {
    /// Reads a NEWS2 Observation, rebuilding the score from its sub-scores.
    ///
    /// - Parameters:
    ///   - observation: The Observation.
    ///   - scorer: The scorer whose red-score policy sets the response.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element: an Observation that is not
    ///   a NEWS2 total, one not final, amended or corrected, a modifier extension, a value or sub-score that
    ///   is not a whole number of points (or has a comparator), a sub-score the chart cannot give, a repeated
    ///   or missing sub-score, a total that is not the sum of the sub-scores, or Scale 2 without its recorded
    ///   prescription.
    public init(fhir observation: R4.Observation, scorer: NEWS2Scorer = NEWS2Scorer()) throws(FHIREncodingError) {
        try Mapping.refuseModifierExtensions(observation.modifierExtension, at: .root)
        guard Mapping.hasSNOMED(observation.code, NEWS2Codes.total) else {
            throw .unmappable(FieldPath("code"), "the Observation is not coded as a NEWS2 total score")
        }
        try Mapping.usableStatus(observation)
        let total: Int
        let totalPlace: FieldPath
        switch observation.value {
        case .quantity(let quantity)?:
            total = try Mapping.points(quantity, at: FieldPath("valueQuantity"))
            totalPlace = FieldPath("valueQuantity.value")
        case .integer(let integer)?:
            totalPlace = FieldPath("valueInteger")
            guard let number = integer.value else {
                throw .unmappable(FieldPath("valueInteger"), "the total is missing")
            }
            total = Int(number)
        default: throw .unmappable(FieldPath("value"), "the total must be a valueQuantity or a valueInteger")
        }
        var points: [NEWS2Parameter: Int] = [:]
        var places: [NEWS2Parameter: FieldPath] = [:]
        var scale2: Bool?
        for (index, component) in observation.component.enumerated() {
            let place = FieldPath("component").appending(index: index)
            try Mapping.refuseModifierExtensions(component.modifierExtension, at: place)
            let named = component.code.coding.compactMap { coding in
                coding.system?.value == CodeSystem.snomedCT.rawValue
                    ? coding.code?.value.flatMap(NEWS2Codes.parameter) : nil
            }
            guard let (parameter, isScale2) = named.first else { continue }
            guard named.allSatisfy({ $0.0 == parameter && $0.scale2 == isScale2 }) else {
                throw .unmappable(place.appending("code"), "the component's codings name different sub-scores")
            }
            guard points[parameter] == nil else {
                throw .unmappable(place, "the sub-score is given twice")
            }
            points[parameter] = try Mapping.points(component.value, at: place)
            places[parameter] = place
            if parameter == .oxygenSaturation { scale2 = isScale2 }
        }
        let subScores: NEWS2SubScores
        do {
            subScores = try NEWS2SubScores(points: points)
        } catch {
            let parameter = NEWS2Parameter.allCases.first { FieldPath($0.fieldName) == error.field }
            throw .unmappable(parameter.flatMap { places[$0] } ?? FieldPath("component"), error.reason)
        }
        guard total == subScores.sum else {
            throw .unmappable(totalPlace, "the total is not the sum of the sub-scores")
        }
        let scale = try Self.scale(observation, isScale2: scale2 ?? false)
        do {
            self = try scorer.score(subScores, scale: scale)
        } catch {
            throw .unmappable(FieldPath("component"), error.reason)
        }
    }

    private static func scale(_ observation: R4.Observation, isScale2: Bool) throws(FHIREncodingError) -> SpO2Scale {
        let found = try Mapping.single(
            R4.SuiteExtension.scale2Prescription.rawValue,
            in: observation.extension,
            at: .root
        )
        guard isScale2 else {
            if let (index, _) = found {
                throw .unmappable(
                    FieldPath("extension").appending(index: index),
                    "a Scale 2 prescription on a Scale 1 score"
                )
            }
            return .scale1
        }
        guard let prescription = try Mapping.scale2Prescription(in: observation.extension) else {
            throw .unmappable(
                FieldPath("component"),
                "SpO2 was scored on Scale 2 but the Observation does not carry the recorded Scale 2 prescription"
            )
        }
        return .scale2(prescription)
    }
}

extension Mapping {
    /// Writes a Scale 2 prescription as the suite's `spo2-scale2-prescription` extension, its time to the
    /// millisecond.
    static func scale2Extension(_ prescription: Scale2Prescription) throws(FHIREncodingError) -> R4.Extension {
        let recordedAt: Instant
        do {
            recordedAt = try Instant(prescription.recordedAt)
        } catch {
            throw .unmappable(FieldPath("extension"), "the Scale 2 prescription's time cannot be written as an instant")
        }
        return R4.Extension(
            url: R4.SuiteExtension.scale2Prescription.rawValue,
            extension: [
                R4.Extension(url: "prescribedBy", value: .string(R4.Primitive(prescription.prescribedBy))),
                R4.Extension(url: "recordedAt", value: .instant(R4.Primitive(recordedAt.description))),
            ]
        )
    }

    /// Reads the suite's `spo2-scale2-prescription` extension, if present.
    static func scale2Prescription(in extensions: [R4.Extension]) throws(FHIREncodingError) -> Scale2Prescription? {
        guard
            let (index, element) = try single(R4.SuiteExtension.scale2Prescription.rawValue, in: extensions, at: .root)
        else { return nil }
        let place = FieldPath("extension").appending(index: index)
        var prescribedBy: String?
        var recordedAt: Instant?
        for part in element.extension {
            switch (part.url, part.value) {
            case ("prescribedBy", .string(let text)?): prescribedBy = text.value
            case ("recordedAt", .instant(let text)?): recordedAt = try Mapping.instant(text, at: place)
            default: throw .unmappable(place, "the Scale 2 prescription has no such part")
            }
        }
        guard let prescribedBy, let recordedAt else {
            throw .unmappable(place, "the Scale 2 prescription needs who prescribed it and when")
        }
        do {
            return try Scale2Prescription(prescribedBy: prescribedBy, recordedAt: recordedAt.date)
        } catch {
            throw .unmappable(place, error.reason)
        }
    }
}

extension ACVPU {
    /// Reads a UK Core ACVPU Observation.
    ///
    /// - Parameter observation: The Observation.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for an Observation that is not coded as ACVPU,
    ///   is not final, amended or corrected, or whose value is not a concept of the UK Core ACVPU value set
    ///   or names two different levels.
    public init(fhir observation: R4.Observation) throws(FHIREncodingError) {
        try Mapping.refuseModifierExtensions(observation.modifierExtension, at: .root)
        guard Mapping.hasSNOMED(observation.code, NEWS2Codes.acvpu) else {
            throw .unmappable(FieldPath("code"), "the Observation is not coded as an ACVPU level")
        }
        try Mapping.usableStatus(observation)
        guard case .codeableConcept(let concept)? = observation.value else {
            throw .unmappable(FieldPath("value"), "the level must be a valueCodeableConcept")
        }
        let levels = ACVPU.allCases.filter { Mapping.hasSNOMED(concept, $0.coding.code) }
        guard let level = levels.first else {
            throw .unmappable(
                FieldPath("valueCodeableConcept"),
                "the value is not a level of the UK Core ACVPU value set"
            )
        }
        guard levels.count == 1 else {
            throw .unmappable(FieldPath("valueCodeableConcept"), "the value's codings name different levels")
        }
        self = level
    }
}
