/// A kind of observation a clinician or a device records: a vital sign, a measurement, a score.
///
/// Care plans say which observations to take and how often, and triage scores them; both use these kinds
/// so that a virtual-ward plan's "oxygen saturation four-hourly" and NEWS2's SpO2 parameter are the same
/// thing. Each kind has its standard code (LOINC for measurements, as in the FHIR R4 vital-signs profiles
/// and UK Core examples; SNOMED CT where NHS England codes the observation that way) and its canonical
/// UCUM unit.
///
/// The vocabulary is open: a team can define its own kind with ``init(key:display:code:unit:)``.
/// Kinds are equal when their ``key`` is equal, so a built-in key cannot be given another code or unit:
/// triage relies on `oxygen-saturation` being LOINC 2708-6 in percent.
public struct ObservationKind: Hashable, Comparable, Sendable, CustomStringConvertible {
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
    ///   - key: A stable key, unique among the kinds in use: lower-case letters, digits and hyphens.
    ///   - display: A plain-English name.
    ///   - code: The standard code.
    ///   - unit: The canonical unit, if the observation has one.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/invalidFormat`` for an empty or malformed key,
    ///   or ``CareCoreError/Code/inconsistent`` when the key is a built-in kind's but the code or unit differs.
    public init(key: String, display: String, code: Coding, unit: UCUMUnit?) throws(CareCoreError) {
        guard !key.isEmpty,
            key.utf8.allSatisfy({
                $0.isASCIIDigit || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: "-")
            })
        else {
            throw CareCoreError(
                .invalidFormat,
                field: FieldPath("observationKind.key"),
                reason: "a kind's key must be lower-case letters, digits and hyphens"
            )
        }
        if let builtIn = Self.builtIn.first(where: { $0.key == key }),
            !builtIn.code.isSameConcept(as: code) || builtIn.unit != unit
        {
            throw CareCoreError(
                .inconsistent,
                field: FieldPath("observationKind.key"),
                reason: "a built-in kind's key cannot be given another code or unit"
            )
        }
        self.init(builtInKey: key, display: display, code: code, unit: unit)
    }

    private init(builtInKey key: String, display: String, code: Coding, unit: UCUMUnit?) {
        self.key = key
        self.display = display
        self.code = code
        self.unit = unit
    }

    /// Respiratory rate, LOINC 9279-1, per minute.
    public static let respiratoryRate = ObservationKind(
        builtInKey: "respiratory-rate",
        display: "Respiratory rate",
        code: Coding(unchecked: .loinc, "9279-1", "Respiratory rate"),
        unit: .perMinute
    )
    /// Oxygen saturation in arterial blood (pulse oximetry), LOINC 2708-6, percent.
    public static let oxygenSaturation = ObservationKind(
        builtInKey: "oxygen-saturation",
        display: "Oxygen saturation",
        code: Coding(unchecked: .loinc, "2708-6", "Oxygen saturation in Arterial blood"),
        unit: .percent
    )
    /// Systolic blood pressure, LOINC 8480-6, mm[Hg].
    public static let systolicBloodPressure = ObservationKind(
        builtInKey: "systolic-blood-pressure",
        display: "Systolic blood pressure",
        code: Coding(unchecked: .loinc, "8480-6", "Systolic blood pressure"),
        unit: .millimetresOfMercury
    )
    /// Diastolic blood pressure, LOINC 8462-4, mm[Hg].
    public static let diastolicBloodPressure = ObservationKind(
        builtInKey: "diastolic-blood-pressure",
        display: "Diastolic blood pressure",
        code: Coding(unchecked: .loinc, "8462-4", "Diastolic blood pressure"),
        unit: .millimetresOfMercury
    )
    /// Heart rate (pulse), LOINC 8867-4, per minute.
    public static let heartRate = ObservationKind(
        builtInKey: "heart-rate",
        display: "Heart rate",
        code: Coding(unchecked: .loinc, "8867-4", "Heart rate"),
        unit: .perMinute
    )
    /// Body temperature, LOINC 8310-5, degrees Celsius.
    public static let bodyTemperature = ObservationKind(
        builtInKey: "body-temperature",
        display: "Body temperature",
        code: Coding(unchecked: .loinc, "8310-5", "Body temperature"),
        unit: .degreesCelsius
    )
    /// Level of consciousness on the ACVPU scale, SNOMED CT 1104441000000107; a coded finding with no unit.
    public static let consciousness = ObservationKind(
        builtInKey: "consciousness-acvpu",
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
        builtInKey: "supplemental-oxygen",
        display: "Supplemental oxygen",
        code: Coding(unchecked: .snomedCT, "371825009", "Patient on oxygen"),
        unit: .litresPerMinute
    )
    /// Body weight, LOINC 29463-7, kilograms.
    public static let bodyWeight = ObservationKind(
        builtInKey: "body-weight",
        display: "Body weight",
        code: Coding(unchecked: .loinc, "29463-7", "Body weight"),
        unit: .kilograms
    )
    /// Body height, LOINC 8302-2, centimetres.
    public static let bodyHeight = ObservationKind(
        builtInKey: "body-height",
        display: "Body height",
        code: Coding(unchecked: .loinc, "8302-2", "Body height"),
        unit: .centimetres
    )
    /// Glucose in blood, LOINC 15074-8, mmol/L.
    public static let bloodGlucose = ObservationKind(
        builtInKey: "blood-glucose",
        display: "Blood glucose",
        code: Coding(unchecked: .loinc, "15074-8", "Glucose [Moles/volume] in Blood"),
        unit: .millimolesPerLitre
    )
    /// The NEWS2 aggregate score, SNOMED CT 1104051000000101 "Royal College of Physicians NEWS2 total score".
    public static let news2Score = ObservationKind(
        builtInKey: "news2-total-score",
        display: "NEWS2 total score",
        code: Coding(unchecked: .snomedCT, "1104051000000101", "Royal College of Physicians NEWS2 total score"),
        unit: .score
    )

    /// Every kind the suite defines.
    public static let builtIn: [ObservationKind] = [
        .respiratoryRate, .oxygenSaturation, .systolicBloodPressure, .diastolicBloodPressure, .heartRate,
        .bodyTemperature, .consciousness, .supplementalOxygen, .bodyWeight, .bodyHeight, .bloodGlucose, .news2Score,
    ]

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

extension ObservationKind: Codable {
    private enum CodingKeys: String, CodingKey {
        case key
        case display
        case code
        case unit
    }

    /// Decodes a kind with the same checks as ``init(key:display:code:unit:)``.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a key is missing, or the kind is malformed or redefines a built-in kind.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let key = try container.decode(String.self, forKey: .key)
        let display = try container.decode(String.self, forKey: .display)
        let code = try container.decode(Coding.self, forKey: .code)
        let unit = try container.decodeIfPresent(UCUMUnit.self, forKey: .unit)
        self = try decoder.validated { () throws(CareCoreError) in
            try ObservationKind(key: key, display: display, code: code, unit: unit)
        }
    }

    /// Encodes the kind's key, display, code and unit.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(display, forKey: .display)
        try container.encode(code, forKey: .code)
        try container.encodeIfPresent(unit, forKey: .unit)
    }
}
