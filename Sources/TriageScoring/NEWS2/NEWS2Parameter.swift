public import CareCore

/// One of the seven parameters of NEWS2, in the order of the RCP chart.
public enum NEWS2Parameter: Int, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    /// Respiration rate, per minute.
    case respirationRate
    /// Oxygen saturation, percent, on the patient's SpO2 scale.
    case oxygenSaturation
    /// Air or oxygen.
    case airOrOxygen
    /// Systolic blood pressure, mmHg.
    case systolicBloodPressure
    /// Pulse, per minute.
    case pulse
    /// Level of consciousness (ACVPU).
    case consciousness
    /// Temperature, degrees Celsius.
    case temperature

    /// The CareCore observation kind that carries this parameter.
    public var observationKind: ObservationKind {
        switch self {
        case .respirationRate: return .respiratoryRate
        case .oxygenSaturation: return .oxygenSaturation
        case .airOrOxygen: return .supplementalOxygen
        case .systolicBloodPressure: return .systolicBloodPressure
        case .pulse: return .heartRate
        case .consciousness: return .consciousness
        case .temperature: return .bodyTemperature
        }
    }

    /// The field name used in errors and event streams, such as `respirationRate`.
    public var fieldName: String {
        switch self {
        case .respirationRate: return "respirationRate"
        case .oxygenSaturation: return "oxygenSaturation"
        case .airOrOxygen: return "airOrOxygen"
        case .systolicBloodPressure: return "systolicBloodPressure"
        case .pulse: return "pulse"
        case .consciousness: return "consciousness"
        case .temperature: return "temperature"
        }
    }

    /// The parameter in words, as the RCP chart names it.
    public var description: String {
        switch self {
        case .respirationRate: return "respiration rate"
        case .oxygenSaturation: return "SpO2"
        case .airOrOxygen: return "air or oxygen"
        case .systolicBloodPressure: return "systolic blood pressure"
        case .pulse: return "pulse"
        case .consciousness: return "consciousness"
        case .temperature: return "temperature"
        }
    }

    /// Orders parameters as the RCP chart lists them.
    ///
    /// - Parameters:
    ///   - lhs: A parameter.
    ///   - rhs: Another parameter.
    /// - Returns: Whether `lhs` comes first on the chart.
    public static func < (lhs: NEWS2Parameter, rhs: NEWS2Parameter) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
