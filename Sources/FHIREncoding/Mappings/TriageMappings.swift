public import CareCore
import Foundation
public import TriageScoring

// Triage outcomes and vital signs <-> UK Core Encounter, RiskAssessment and Observation (issue #9).
//
// - A triage category <-> `Encounter.priority`: a coding in the suite's triage-category code system (`red` to
//   `blue`), which the reader requires, beside HL7 v3 ActPriority for receivers that know only that (red
//   `S` stat, orange `EM` emergency, yellow `UR` urgent, green `R` routine, blue `EL` elective). ActPriority
//   alone is refused: it does not say which of five categories, and guessing could under-triage. Who gave
//   the category, when, and the licensed system's flowchart and discriminator ride in the suite's
//   `triage-assessment` extension on `priority`.
// - A NEWS2 clinical risk <-> a RiskAssessment whose `method` is the NEWS2 total code and whose prediction's
//   `qualitativeRisk` carries the risk in the suite's news2-clinical-risk code system (`none`, `low`,
//   `low-medium`, `medium`, `high`), beside HL7's risk-probability (`low`, `moderate`, `high`); `basis` names
//   the score's Observation.
// - A set of NEWS2 observations <-> vital-sign Observations by LOINC code: respiratory rate 9279-1 (`/min`),
//   heart rate 8867-4 (`/min`), oxygen saturation 2708-6 or 59408-5 (`%`, with the Scale 2 prescription in
//   the suite's `spo2-scale2-prescription` extension), body temperature 8310-5 (`Cel`), systolic blood
//   pressure 8480-6 (`mm[Hg]`, alone or as a component of the 85354-9 panel), air or oxygen by SNOMED CT
//   371825009 "Patient on oxygen" (a boolean, or a flow in `L/min` where 0 is air) or LOINC 3151-8 (inhaled
//   oxygen flow rate), and consciousness as a UK Core ACVPU Observation. A value with a comparator ("<5") is
//   refused, as for scores (HAZ-010): it is not a measurement.

/// The codes the triage mappings read and write.
enum TriageCodes {
    /// HL7 v3 ActPriority.
    static let actPriority = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
    /// HL7's risk-probability.
    static let riskProbability = "http://terminology.hl7.org/CodeSystem/risk-probability"
    /// HL7's observation-category.
    static let observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
    /// HL7 v3 ActCode, for the emergency encounter class.
    static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    /// SNOMED CT "Patient on oxygen", as UK Core's oxygen therapy example codes it.
    static let patientOnOxygen = "371825009"
    /// LOINC inhaled oxygen flow rate.
    static let oxygenFlow = "3151-8"
    /// LOINC blood pressure panel.
    static let bloodPressurePanel = "85354-9"

    /// The ActPriority code written beside each category.
    static func actPriority(_ category: TriageCategory) -> (code: String, display: String) {
        switch category {
        case .red: ("S", "stat")
        case .orange: ("EM", "emergency")
        case .yellow: ("UR", "urgent")
        case .green: ("R", "routine")
        case .blue: ("EL", "elective")
        }
    }

    /// The LOINC codes a parameter is read from, the first one written, with the UCUM unit its value must
    /// have.
    static func vital(_ parameter: NEWS2Parameter) -> (codes: [String], unit: String, display: String)? {
        switch parameter {
        case .respirationRate: (["9279-1"], "/min", "Respiratory rate")
        case .pulse: (["8867-4"], "/min", "Heart rate")
        case .oxygenSaturation: (["2708-6", "59408-5"], "%", "Oxygen saturation in Arterial blood")
        case .temperature: (["8310-5"], "Cel", "Body temperature")
        case .systolicBloodPressure: (["8480-6"], "mm[Hg]", "Systolic blood pressure")
        case .airOrOxygen, .consciousness: nil
        }
    }
}

// MARK: - Encounter priority

extension CategoryAssignment {
    /// Reads the triage category of an Encounter from its `priority`.
    ///
    /// - Parameter encounter: The R4 Encounter.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a modifier
    ///   extension or `implicitRules`, no `priority`, no coding in the suite's triage-category code system or
    ///   codings naming different categories, or a missing or malformed `triage-assessment` extension.
    public init(fhirEncounter encounter: R4.Encounter) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(encounter.modifierExtension, implicitRules: encounter.implicitRules)
        guard let priority = encounter.priority else {
            throw .unmappable(FieldPath("priority"), "the Encounter has no priority")
        }
        let place = FieldPath("priority")
        let colours = priority.coding.filter { $0.system?.value == R4.SuiteCodeSystem.triageCategory.rawValue }
            .map { $0.code?.value.flatMap(TriageCategory.init(colour:)) }
        guard let first = colours.first, let category = first, colours.allSatisfy({ $0 == category }) else {
            throw .unmappable(
                place,
                "the category needs one coding in the suite's triage-category code system; ActPriority alone does not say which of five"
            )
        }
        guard
            let parts = try ExtensionParts.single(
                .triageAssessment,
                in: priority.extension,
                at: place,
                noun: "triage assessment"
            )
        else {
            throw .unmappable(place.appending("extension"), "the priority does not carry who gave it and when")
        }
        self.init(
            category,
            assessedBy: try parts.string("assessedBy"),
            at: try parts.moment("at"),
            flowchart: try parts.optionalString("flowchart"),
            discriminator: try parts.optionalString("discriminator")
        )
    }
}

extension R4.Encounter {
    /// Writes a triage category as an Encounter's `priority`, over the Encounter it belongs to when there is
    /// one (an arrived Encounter becomes triaged); otherwise as a new emergency Encounter, triaged.
    ///
    /// - Parameters:
    ///   - triage: The category given.
    ///   - subject: The patient, for a new Encounter.
    ///   - original: The Encounter of the attendance, if any; everything but its priority is kept.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` when who gave the category is empty, or the
    ///   time cannot be written as an R4 dateTime (a year outside 0001–9999).
    public init(
        triage: CategoryAssignment,
        subject: R4.Reference,
        keeping original: R4.Encounter? = nil
    ) throws(FHIREncodingError) {
        self =
            original
            ?? R4.Encounter(
                status: "triaged",
                class: R4.Coding(system: R4.Primitive(TriageCodes.actCode), code: "EMER", display: "emergency"),
                subject: subject
            )
        if status.value == "arrived" { status = "triaged" }
        meta = Mapping.meta(original?.meta, claiming: .encounter)
        if (try? CategoryAssignment(fhirEncounter: self)) == triage { return }
        var parts = ExtensionBuilder(at: FieldPath("priority.extension"), noun: "triage assessment")
        try parts.string("assessedBy", triage.assessedBy)
        try parts.moment("at", triage.at)
        try parts.string("flowchart", triage.flowchart)
        try parts.string("discriminator", triage.discriminator)
        let (code, display) = TriageCodes.actPriority(triage.category)
        priority = R4.CodeableConcept(
            extension: parts.build(.triageAssessment).map { [$0] } ?? [],
            coding: [
                R4.Coding(
                    system: R4.Primitive(R4.SuiteCodeSystem.triageCategory.rawValue),
                    code: R4.Primitive(triage.category.description),
                    display: R4.Primitive(triage.category.name)
                ),
                R4.Coding(
                    system: R4.Primitive(TriageCodes.actPriority),
                    code: R4.Primitive(code),
                    display: R4.Primitive(display)
                ),
            ]
        )
        Mapping.dropStaleNarrative(&self, original: original, profile: .encounter, text: \.text, meta: \.meta)
    }
}

// MARK: - RiskAssessment

extension NEWS2Response {
    /// The code of the response in the suite's news2-clinical-risk code system.
    var code: String {
        switch self {
        case .none: "none"
        case .low: "low"
        case .lowMedium: "low-medium"
        case .medium: "medium"
        case .high: "high"
        }
    }

    /// Reads the NEWS2 clinical risk of a RiskAssessment.
    ///
    /// - Parameter assessment: The R4 RiskAssessment.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a modifier
    ///   extension or `implicitRules`, a status other than final, amended or corrected, a method that is not
    ///   NEWS2, or not exactly one prediction whose qualitative risk has one coding in the suite's
    ///   news2-clinical-risk code system.
    public init(fhir assessment: R4.RiskAssessment) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(assessment.modifierExtension, implicitRules: assessment.implicitRules)
        guard ["final", "amended", "corrected"].contains(assessment.status.value ?? "") else {
            throw .unmappable(FieldPath("status"), "only a final, amended or corrected assessment is read")
        }
        guard let method = assessment.method, Mapping.hasSNOMED(method, NEWS2Codes.total) else {
            throw .unmappable(FieldPath("method"), "the assessment's method is not NEWS2")
        }
        guard assessment.prediction.count == 1, let risk = assessment.prediction[0].qualitativeRisk else {
            throw .unmappable(FieldPath("prediction"), "a NEWS2 assessment has one prediction with a qualitative risk")
        }
        let place = FieldPath("prediction").appending(index: 0).appending("qualitativeRisk")
        let levels = risk.coding.filter { $0.system?.value == R4.SuiteCodeSystem.news2ClinicalRisk.rawValue }
            .map { coding in Self.allCases.first { $0.code == coding.code?.value } }
        guard let first = levels.first, let level = first, levels.allSatisfy({ $0 == level }) else {
            throw .unmappable(place, "the risk needs one coding in the suite's news2-clinical-risk code system")
        }
        self = level
    }
}

extension R4.RiskAssessment {
    /// Writes the clinical risk of a NEWS2 score as a RiskAssessment.
    ///
    /// - Parameters:
    ///   - score: The score.
    ///   - subject: The patient.
    ///   - occurrence: When the observations were taken.
    ///   - basis: The score's Observation, if it has been written.
    ///   - id: The RiskAssessment's id, if it has one yet.
    public init(
        news2 score: NEWS2Score,
        subject: R4.Reference,
        occurrence: Instant,
        basis: R4.Reference? = nil,
        id: String? = nil
    ) {
        let probability: (String, String) =
            switch score.response {
            case .none, .low: ("low", "Low likelihood")
            case .lowMedium, .medium: ("moderate", "Moderate likelihood")
            case .high: ("high", "High likelihood")
            }
        self.init(
            status: "final",
            subject: subject,
            id: id,
            method: R4.CodeableConcept(coding: [
                R4.Coding(
                    system: R4.Primitive(CodeSystem.snomedCT.rawValue),
                    code: R4.Primitive(NEWS2Codes.total),
                    display: "Royal College of Physicians NEWS2 (National Early Warning Score 2) total score"
                )
            ]),
            occurrence: .dateTime(R4.Primitive(occurrence.description)),
            basis: basis.map { [$0] } ?? [],
            prediction: [
                R4.RiskAssessment.Prediction(
                    qualitativeRisk: R4.CodeableConcept(
                        coding: [
                            R4.Coding(
                                system: R4.Primitive(R4.SuiteCodeSystem.news2ClinicalRisk.rawValue),
                                code: R4.Primitive(score.response.code),
                                display: R4.Primitive(score.response.riskLabel)
                            ),
                            R4.Coding(
                                system: R4.Primitive(TriageCodes.riskProbability),
                                code: R4.Primitive(probability.0),
                                display: R4.Primitive(probability.1)
                            ),
                        ],
                        text: R4.Primitive("NEWS2 clinical risk: \(score.response.riskLabel)")
                    )
                )
            ]
        )
    }
}

// MARK: - Vital signs

extension NEWS2Observations {
    /// Reads a set of vital-sign Observations taken together into the observations NEWS2 scores.
    ///
    /// Observations with codes the set does not use are skipped; a recognised one with `dataAbsentReason`
    /// and no value leaves its parameter missing, so the set is incomplete rather than scored as normal.
    /// Errors are placed under the Observation's position, such as `[2].valueQuantity.comparator`.
    ///
    /// - Parameter observations: The Observations.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a modifier
    ///   extension, a status other than final, amended or corrected, Observations about different subjects,
    ///   a parameter given twice, a value with a comparator, in another unit or not a number, or a malformed
    ///   Scale 2 prescription or ACVPU level.
    public init(fhir observations: [R4.Observation]) throws(FHIREncodingError) {
        self.init()
        var subject: String?
        var given: Set<NEWS2Parameter> = []
        for (index, observation) in observations.enumerated() {
            do throws(FHIREncodingError) {
                let found = try Self.read(observation)
                guard !found.isEmpty else { continue }
                let reference = observation.subject?.reference?.value
                if let subject, subject != reference {
                    throw FHIREncodingError.unmappable(
                        FieldPath("subject"),
                        "the observations are about different subjects"
                    )
                }
                subject = reference
                for (parameter, apply) in found {
                    guard given.insert(parameter).inserted else {
                        throw FHIREncodingError.unmappable(.root, "the \(parameter.description) is given twice")
                    }
                    apply(&self)
                }
            } catch {
                throw error.nested(under: FieldPath.root.appending(index: index))
            }
        }
    }

    private typealias Reading = (NEWS2Parameter, (inout NEWS2Observations) -> Void)

    private static func read(_ observation: R4.Observation) throws(FHIREncodingError) -> [Reading] {
        if Mapping.hasSNOMED(observation.code, NEWS2Codes.acvpu) {
            let level = try ACVPU(fhir: observation)
            return [(.consciousness, { $0.consciousness = level })]
        }
        let loinc = observation.code.coding.filter { $0.system?.value == CodeSystem.loinc.rawValue }.compactMap(
            \.code?.value
        )
        let isOxygen =
            Mapping.hasSNOMED(observation.code, TriageCodes.patientOnOxygen) || loinc.contains(TriageCodes.oxygenFlow)
        let parameters = [
            NEWS2Parameter.respirationRate, .pulse, .oxygenSaturation, .temperature, .systolicBloodPressure,
        ]
        .filter { parameter in TriageCodes.vital(parameter)?.codes.contains { loinc.contains($0) } ?? false }
        let isPanel = loinc.contains(TriageCodes.bloodPressurePanel)
        guard isOxygen || isPanel || !parameters.isEmpty else { return [] }
        try Mapping.refuseModifierExtensions(observation.modifierExtension, at: .root)
        try Mapping.usableStatus(observation)
        guard parameters.count + (isOxygen ? 1 : 0) <= 1 else {
            throw .unmappable(FieldPath("code"), "the Observation's codings name different vital signs")
        }
        if observation.value == nil, observation.dataAbsentReason != nil { return [] }
        if isOxygen {
            let onOxygen: Bool
            switch observation.value {
            case .boolean(let flag)?:
                guard let value = flag.value else {
                    throw .unmappable(FieldPath("valueBoolean"), "the value is missing")
                }
                onOxygen = value
            case .quantity(let quantity)?:
                onOxygen =
                    try Mapping.measurement(
                        quantity,
                        unit: "L/min",
                        at: FieldPath("valueQuantity"),
                        alsoAccepting: "l/min"
                    ) > 0
            default:
                throw .unmappable(FieldPath("value"), "supplemental oxygen needs a valueBoolean or a flow in L/min")
            }
            let choice: AirOrOxygen = onOxygen ? .oxygen : .air
            return [(.airOrOxygen, { $0.airOrOxygen = choice })]
        }
        if let parameter = parameters.first, parameter != .systolicBloodPressure || !isPanel {
            guard case .quantity(let quantity)? = observation.value, let unit = TriageCodes.vital(parameter)?.unit
            else {
                throw .unmappable(FieldPath("value"), "the \(parameter.description) needs a valueQuantity")
            }
            let value = try Mapping.measurement(quantity, unit: unit, at: FieldPath("valueQuantity"))
            switch parameter {
            case .respirationRate: return [(parameter, { $0.respirationRate = value })]
            case .pulse: return [(parameter, { $0.pulse = value })]
            case .temperature: return [(parameter, { $0.temperature = value })]
            case .systolicBloodPressure: return [(parameter, { $0.systolicBloodPressure = value })]
            default:
                let scale = try Mapping.scale2Prescription(in: observation.extension).map(SpO2Scale.scale2) ?? .scale1
                return [
                    (
                        parameter,
                        {
                            $0.oxygenSaturation = value
                            $0.scale = scale
                        }
                    )
                ]
            }
        }
        // The blood pressure panel: the systolic component, if any.
        var readings: [Reading] = []
        for (index, component) in observation.component.enumerated() {
            guard
                component.code.coding.contains(where: {
                    $0.system?.value == CodeSystem.loinc.rawValue && $0.code?.value == "8480-6"
                })
            else { continue }
            let place = FieldPath("component").appending(index: index)
            try Mapping.refuseModifierExtensions(component.modifierExtension, at: place)
            guard readings.isEmpty else { throw .unmappable(place, "the systolic blood pressure is given twice") }
            if component.value == nil, component.dataAbsentReason != nil { continue }
            guard case .quantity(let quantity)? = component.value else {
                throw .unmappable(place.appending("value"), "the systolic blood pressure needs a valueQuantity")
            }
            let value = try Mapping.measurement(quantity, unit: "mm[Hg]", at: place.appending("valueQuantity"))
            readings.append((.systolicBloodPressure, { $0.systolicBloodPressure = value }))
        }
        return readings
    }
}

extension Mapping {
    /// A measurement from a Quantity in a UCUM unit, refusing a comparator (HAZ-010), another unit or a value
    /// that is not a number.
    static func measurement(
        _ quantity: R4.Quantity,
        unit: String,
        at field: FieldPath,
        alsoAccepting alternative: String? = nil
    ) throws(FHIREncodingError) -> Double {
        guard quantity.comparator == nil else {
            throw .unmappable(field.appending("comparator"), "a value with a comparator is not a measurement")
        }
        let code = quantity.code?.value
        guard quantity.system?.value == CodeSystem.ucum.rawValue,
            code == unit || (alternative != nil && code == alternative)
        else {
            throw .unmappable(field.appending("code"), "the value must be in UCUM \(unit)")
        }
        guard let value = quantity.value?.value?.doubleValue, value.isFinite else {
            throw .unmappable(field.appending("value"), "the value is missing or not a number")
        }
        return value
    }
}

extension R4.Observation {
    /// Writes a set of NEWS2 observations as vital-sign Observations, one per parameter observed, in chart
    /// order: respiration rate, oxygen saturation (with its Scale 2 prescription), air or oxygen, systolic
    /// blood pressure (as the blood pressure panel), pulse, consciousness (as a UK Core ACVPU Observation)
    /// and temperature.
    ///
    /// - Parameters:
    ///   - observations: The set.
    ///   - subject: The patient observed.
    ///   - effective: When the observations were taken.
    /// - Returns: The Observations, without ids.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` at the parameter's name for a value that is not
    ///   a finite number, or when the Scale 2 prescription's time cannot be written.
    public static func vitalSigns(
        _ observations: NEWS2Observations,
        subject: R4.Reference,
        effective: Instant
    ) throws(FHIREncodingError) -> [R4.Observation] {
        var result: [R4.Observation] = []
        let category = [
            R4.CodeableConcept(coding: [
                R4.Coding(
                    system: R4.Primitive(TriageCodes.observationCategory),
                    code: "vital-signs",
                    display: "Vital Signs"
                )
            ])
        ]
        func observation(_ code: R4.CodeableConcept, value: R4.Observation.Value? = nil) -> R4.Observation {
            R4.Observation(
                status: "final",
                code: code,
                meta: Mapping.meta(nil, claiming: .observation),
                category: category,
                subject: subject,
                effective: .dateTime(R4.Primitive(effective.description)),
                value: value
            )
        }
        func loinc(_ parameter: NEWS2Parameter) -> R4.CodeableConcept {
            let codes = TriageCodes.vital(parameter)?.codes ?? []
            let display = TriageCodes.vital(parameter)?.display
            return R4.CodeableConcept(
                coding: codes.map { code in
                    R4.Coding(
                        system: R4.Primitive(CodeSystem.loinc.rawValue),
                        code: R4.Primitive(code),
                        display: code == codes.first ? display.map { R4.Primitive($0) } : nil
                    )
                }
            )
        }
        func quantity(_ value: Double, _ parameter: NEWS2Parameter) throws(FHIREncodingError) -> R4.Quantity {
            guard value.isFinite, let number = JSONNumber("\(value)") else {
                throw .unmappable(FieldPath(parameter.fieldName), "the value is not a finite number")
            }
            let unit = TriageCodes.vital(parameter)?.unit ?? ""
            return R4.Quantity(
                value: R4.Primitive(number),
                unit: R4.Primitive(unit),
                system: R4.Primitive(CodeSystem.ucum.rawValue),
                code: R4.Primitive(unit)
            )
        }
        for parameter in NEWS2Parameter.allCases {
            switch parameter {
            case .respirationRate, .pulse, .temperature, .oxygenSaturation:
                let value: Double? =
                    switch parameter {
                    case .respirationRate: observations.respirationRate
                    case .pulse: observations.pulse
                    case .temperature: observations.temperature
                    default: observations.oxygenSaturation
                    }
                guard let value else { continue }
                var written = observation(loinc(parameter), value: .quantity(try quantity(value, parameter)))
                if parameter == .oxygenSaturation, case .scale2(let prescription) = observations.scale {
                    written.extension = [try Mapping.scale2Extension(prescription)]
                }
                result.append(written)
            case .airOrOxygen:
                guard let choice = observations.airOrOxygen else { continue }
                result.append(
                    observation(
                        R4.CodeableConcept(coding: [
                            R4.Coding(
                                system: R4.Primitive(CodeSystem.snomedCT.rawValue),
                                code: R4.Primitive(TriageCodes.patientOnOxygen),
                                display: "Patient on oxygen"
                            )
                        ]),
                        value: .boolean(R4.Primitive(choice == .oxygen))
                    )
                )
            case .systolicBloodPressure:
                guard let value = observations.systolicBloodPressure else { continue }
                var panel = observation(
                    R4.CodeableConcept(coding: [
                        R4.Coding(
                            system: R4.Primitive(CodeSystem.loinc.rawValue),
                            code: R4.Primitive(TriageCodes.bloodPressurePanel),
                            display: "Blood pressure panel with all children optional"
                        )
                    ])
                )
                panel.component = [
                    R4.Observation.Component(code: loinc(parameter), value: .quantity(try quantity(value, parameter)))
                ]
                result.append(panel)
            case .consciousness:
                guard let level = observations.consciousness else { continue }
                result.append(R4.Observation(consciousness: level, subject: subject, effective: effective))
            }
        }
        return result
    }
}
