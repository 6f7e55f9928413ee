/// A kind of observation a clinician or a device records: a vital sign, a measurement, a score.
///
/// Care plans say which observations to take and how often, and triage scores them; both use these kinds
/// so that a virtual-ward plan's "oxygen saturation four-hourly" and NEWS2's SpO2 parameter are the same
/// thing. Each kind has its standard code (LOINC for measurements, as in the FHIR R4 vital-signs profiles
/// and UK Core examples; SNOMED CT where NHS England codes the observation that way) and its canonical
/// UCUM unit.
///
/// The vocabulary is open: a team can define its own kind with ``init(key:display:code:unit:)``.
/// Kinds are equal when their ``key`` is equal.
public struct ObservationKind: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// A stable key for the kind, such as `respiratory-rate`.
    public let key: String
    /// A plain-English name, such as "Respiratory rate".
    public let display: String
    /// The standard code for the observation.
    public let code: Coding
    /// The canonical unit, or `nil` for an observation with no unit (a coded finding such as ACVPU).
    public let unit: UCUMUnit?

    /// Defines a kind.
    ///
    /// - Parameters:
    ///   - key: A stable key, unique among the kinds in use.
    ///   - display: A plain-English name.
    ///   - code: The standard code.
    ///   - unit: The canonical unit, if the observation has one.
    public init(key: String, display: String, code: Coding, unit: UCUMUnit?) {
        self.key = key
        self.display = display
        self.code = code
        self.unit = unit
    }

    /// Respiratory rate, LOINC 9279-1, per minute.
    public static let respiratoryRate = ObservationKind(
        key: "respiratory-rate",
        display: "Respiratory rate",
        code: Coding(unchecked: .loinc, "9279-1", "Respiratory rate"),
        unit: .perMinute
    )
    /// Oxygen saturation in arterial blood (pulse oximetry), LOINC 2708-6, percent.
    public static let oxygenSaturation = ObservationKind(
        key: "oxygen-saturation",
        display: "Oxygen saturation",
        code: Coding(unchecked: .loinc, "2708-6", "Oxygen saturation in Arterial blood"),
        unit: .percent
    )
    /// Systolic blood pressure, LOINC 8480-6, mm[Hg].
    public static let systolicBloodPressure = ObservationKind(
        key: "systolic-blood-pressure",
        display: "Systolic blood pressure",
        code: Coding(unchecked: .loinc, "8480-6", "Systolic blood pressure"),
        unit: .millimetresOfMercury
    )
    /// Diastolic blood pressure, LOINC 8462-4, mm[Hg].
    public static let diastolicBloodPressure = ObservationKind(
        key: "diastolic-blood-pressure",
        display: "Diastolic blood pressure",
        code: Coding(unchecked: .loinc, "8462-4", "Diastolic blood pressure"),
        unit: .millimetresOfMercury
    )
    /// Heart rate (pulse), LOINC 8867-4, per minute.
    public static let heartRate = ObservationKind(
        key: "heart-rate",
        display: "Heart rate",
        code: Coding(unchecked: .loinc, "8867-4", "Heart rate"),
        unit: .perMinute
    )
    /// Body temperature, LOINC 8310-5, degrees Celsius.
    public static let bodyTemperature = ObservationKind(
        key: "body-temperature",
        display: "Body temperature",
        code: Coding(unchecked: .loinc, "8310-5", "Body temperature"),
        unit: .degreesCelsius
    )
    /// Level of consciousness on the ACVPU scale, SNOMED CT 1104441000000107; a coded finding with no unit.
    public static let consciousness = ObservationKind(
        key: "consciousness-acvpu",
        display: "Level of consciousness (ACVPU)",
        code: Coding(
            unchecked: .snomedCT,
            "1104441000000107",
            "ACVPU (Alert Confusion Voice Pain Unresponsive) scale score"
        ),
        unit: nil
    )
    /// Whether the patient is on supplemental oxygen, SNOMED CT 371825009 "Patient on oxygen"; flow in L/min.
    public static let supplementalOxygen = ObservationKind(
        key: "supplemental-oxygen",
        display: "Supplemental oxygen",
        code: Coding(unchecked: .snomedCT, "371825009", "Patient on oxygen"),
        unit: .litresPerMinute
    )
    /// Body weight, LOINC 29463-7, kilograms.
    public static let bodyWeight = ObservationKind(
        key: "body-weight",
        display: "Body weight",
        code: Coding(unchecked: .loinc, "29463-7", "Body weight"),
        unit: .kilograms
    )
    /// Body height, LOINC 8302-2, centimetres.
    public static let bodyHeight = ObservationKind(
        key: "body-height",
        display: "Body height",
        code: Coding(unchecked: .loinc, "8302-2", "Body height"),
        unit: .centimetres
    )
    /// Glucose in blood, LOINC 15074-8, mmol/L.
    public static let bloodGlucose = ObservationKind(
        key: "blood-glucose",
        display: "Blood glucose",
        code: Coding(unchecked: .loinc, "15074-8", "Glucose [Moles/volume] in Blood"),
        unit: .millimolesPerLitre
    )
    /// The NEWS2 aggregate score, SNOMED CT 1104051000000101 "Royal College of Physicians NEWS2 total score".
    public static let news2Score = ObservationKind(
        key: "news2-total-score",
        display: "NEWS2 total score",
        code: Coding(unchecked: .snomedCT, "1104051000000101", "Royal College of Physicians NEWS2 total score"),
        unit: .score
    )

    /// The vital signs that NEWS2 scores, in the order of the RCP chart.
    public static let news2Parameters: [ObservationKind] = [
        .respiratoryRate, .oxygenSaturation, .supplementalOxygen, .systolicBloodPressure, .heartRate,
        .consciousness, .bodyTemperature,
    ]

    /// Kinds are the same kind when their keys match.
    ///
    /// - Parameters:
    ///   - lhs: A kind.
    ///   - rhs: Another kind.
    /// - Returns: Whether the keys are equal.
    public static func == (lhs: ObservationKind, rhs: ObservationKind) -> Bool {
        lhs.key == rhs.key
    }

    /// Hashes the key.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
    }

    /// Orders kinds by key, for stable output.
    ///
    /// - Parameters:
    ///   - lhs: A kind.
    ///   - rhs: Another kind.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: ObservationKind, rhs: ObservationKind) -> Bool {
        lhs.key < rhs.key
    }

    /// The kind's key.
    public var description: String { key }
}
