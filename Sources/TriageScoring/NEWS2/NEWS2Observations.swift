import CareCore

/// One set of observations to score with NEWS2; any parameter may be missing.
///
/// Measurements are `Double` so that a device's reading can be passed as it came. They are scored with
/// the chart's precision (rounded half up: whole numbers, and tenths of a degree for temperature) with
/// upper-bound comparisons, so every value falls in exactly one band: 91.4% scores as 91, 35.05 °C as 35.1. Missing parameters make the set incomplete, and an incomplete set is reported as such by
/// ``NEWS2Scorer/assess(_:)``, never scored as if the missing parameter were normal.
///
/// ```swift
/// let set = NEWS2Observations(
///     respirationRate: 22, oxygenSaturation: 95, airOrOxygen: .air, systolicBloodPressure: 105,
///     pulse: 112, consciousness: .alert, temperature: 38.4
/// )
/// ```
public struct NEWS2Observations: Hashable, Sendable {
    /// Respiration rate, breaths per minute.
    public var respirationRate: Double?
    /// Oxygen saturation, percent.
    public var oxygenSaturation: Double?
    /// Which SpO2 scale applies; Scale 1 unless Scale 2 has been prescribed.
    public var scale: SpO2Scale
    /// Room air or supplemental oxygen.
    public var airOrOxygen: AirOrOxygen?
    /// Systolic blood pressure, mmHg.
    public var systolicBloodPressure: Double?
    /// Pulse, beats per minute.
    public var pulse: Double?
    /// Level of consciousness.
    public var consciousness: ACVPU?
    /// Temperature, degrees Celsius.
    public var temperature: Double?

    /// Creates a set of observations.
    ///
    /// - Parameters:
    ///   - respirationRate: Breaths per minute.
    ///   - oxygenSaturation: Percent.
    ///   - scale: The SpO2 scale; Scale 1 by default.
    ///   - airOrOxygen: Air or oxygen.
    ///   - systolicBloodPressure: mmHg.
    ///   - pulse: Beats per minute.
    ///   - consciousness: ACVPU.
    ///   - temperature: Degrees Celsius.
    public init(
        respirationRate: Double? = nil,
        oxygenSaturation: Double? = nil,
        scale: SpO2Scale = .scale1,
        airOrOxygen: AirOrOxygen? = nil,
        systolicBloodPressure: Double? = nil,
        pulse: Double? = nil,
        consciousness: ACVPU? = nil,
        temperature: Double? = nil
    ) {
        self.respirationRate = respirationRate
        self.oxygenSaturation = oxygenSaturation
        self.scale = scale
        self.airOrOxygen = airOrOxygen
        self.systolicBloodPressure = systolicBloodPressure
        self.pulse = pulse
        self.consciousness = consciousness
        self.temperature = temperature
    }

    /// The parameters that have no value, in chart order.
    public var missing: [NEWS2Parameter] {
        NEWS2Parameter.allCases.filter { !has($0) }
    }

    /// Whether a parameter has a value.
    ///
    /// - Parameter parameter: The parameter.
    /// - Returns: Whether it was observed.
    public func has(_ parameter: NEWS2Parameter) -> Bool {
        switch parameter {
        case .respirationRate: return respirationRate != nil
        case .oxygenSaturation: return oxygenSaturation != nil
        case .airOrOxygen: return airOrOxygen != nil
        case .systolicBloodPressure: return systolicBloodPressure != nil
        case .pulse: return pulse != nil
        case .consciousness: return consciousness != nil
        case .temperature: return temperature != nil
        }
    }

    /// The range outside which a measurement is physically impossible, and refused with a typed error; `nil`
    /// for the coded parameters.
    ///
    /// These are not clinical thresholds: they only catch values no living patient or working device can
    /// give (a saturation above 100%, a negative rate), such as a unit mix-up or a transposed field. Extreme
    /// but possible values are scored. Respiration rate 0–200 a minute, SpO2 0–100%, systolic blood pressure
    /// 0–400 mmHg, pulse 0–400 a minute, temperature 10–50 °C.
    ///
    /// - Parameter parameter: The parameter.
    /// - Returns: Its possible range.
    public static func possibleRange(of parameter: NEWS2Parameter) -> ClosedRange<Double>? {
        switch parameter {
        case .respirationRate: return 0...200
        case .oxygenSaturation: return 0...100
        case .systolicBloodPressure: return 0...400
        case .pulse: return 0...400
        case .temperature: return 10...50
        case .airOrOxygen, .consciousness: return nil
        }
    }

    /// Checks that every present measurement is a finite number inside its possible range.
    func validate() throws(TriageScoringError) {
        try Self.check(respirationRate, .respirationRate)
        try Self.check(oxygenSaturation, .oxygenSaturation)
        try Self.check(systolicBloodPressure, .systolicBloodPressure)
        try Self.check(pulse, .pulse)
        try Self.check(temperature, .temperature)
    }

    @inline(__always)
    private static func check(_ value: Double?, _ parameter: NEWS2Parameter) throws(TriageScoringError) {
        guard let value, let range = possibleRange(of: parameter) else { return }
        // The common case stays free of allocation: the error's path is built only when the value is refused.
        guard !range.contains(value) else { return }
        try TriageScoringError.checkPossible(
            value,
            in: range,
            field: FieldPath(parameter.fieldName),
            name: parameter.description
        )
    }
}
