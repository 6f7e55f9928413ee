/// The points each NEWS2 parameter scored; a parameter that was not observed has no points.
public struct NEWS2SubScores: Hashable, Sendable, CustomStringConvertible {
    // One byte per parameter in chart order; -1 marks a parameter that was not observed.
    private var points: (Int8, Int8, Int8, Int8, Int8, Int8, Int8) = (-1, -1, -1, -1, -1, -1, -1)

    /// Creates sub-scores with every parameter unobserved.
    public init() {}

    /// The points a parameter scored, 0–3, or `nil` when it was not observed; only the scorer sets them.
    ///
    /// - Parameter parameter: The parameter.
    public internal(set) subscript(_ parameter: NEWS2Parameter) -> Int? {
        get {
            let value: Int8
            switch parameter {
            case .respirationRate: value = points.0
            case .oxygenSaturation: value = points.1
            case .airOrOxygen: value = points.2
            case .systolicBloodPressure: value = points.3
            case .pulse: value = points.4
            case .consciousness: value = points.5
            case .temperature: value = points.6
            }
            return value < 0 ? nil : Int(value)
        }
        set {
            let value = Int8(clamping: newValue ?? -1)
            switch parameter {
            case .respirationRate: points.0 = value
            case .oxygenSaturation: points.1 = value
            case .airOrOxygen: points.2 = value
            case .systolicBloodPressure: points.3 = value
            case .pulse: points.4 = value
            case .consciousness: points.5 = value
            case .temperature: points.6 = value
            }
        }
    }

    /// The sum of the points of the observed parameters.
    public var sum: Int {
        Int(max(points.0, 0)) + Int(max(points.1, 0)) + Int(max(points.2, 0)) + Int(max(points.3, 0))
            + Int(max(points.4, 0)) + Int(max(points.5, 0)) + Int(max(points.6, 0))
    }

    /// Whether any observed parameter scored 3: the RCP's "red score".
    public var hasRedScore: Bool {
        points.0 == 3 || points.1 == 3 || points.3 == 3 || points.4 == 3 || points.5 == 3 || points.6 == 3
    }

    /// The parameters that scored 3, in chart order.
    public var redScoreParameters: [NEWS2Parameter] {
        NEWS2Parameter.allCases.filter { self[$0] == 3 }
    }

    /// Every observed parameter with its points, in chart order.
    public var observed: [(parameter: NEWS2Parameter, points: Int)] {
        NEWS2Parameter.allCases.compactMap { parameter in self[parameter].map { (parameter, $0) } }
    }

    /// Compares the points parameter by parameter.
    ///
    /// - Parameters:
    ///   - lhs: Some sub-scores.
    ///   - rhs: Other sub-scores.
    /// - Returns: Whether every parameter has the same points, or is unobserved in both.
    public static func == (lhs: NEWS2SubScores, rhs: NEWS2SubScores) -> Bool {
        NEWS2Parameter.allCases.allSatisfy { lhs[$0] == rhs[$0] }
    }

    /// Hashes the points.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        for parameter in NEWS2Parameter.allCases { hasher.combine(self[parameter]) }
    }

    /// The sub-scores as `respiration rate 3, SpO2 0, …`, leaving out unobserved parameters.
    public var description: String {
        observed.map { "\($0.parameter) \($0.points)" }.joined(separator: ", ")
    }
}
