import CareCore

extension NEWS2SubScores {
    /// The points a parameter can score on the RCP NEWS2 chart (RCP NEWS2, 2017, Chart 1): 0–3 for
    /// respiration rate, SpO2 (either scale), systolic blood pressure, pulse and temperature; 0 or 2 for air
    /// or oxygen; 0 or 3 for consciousness.
    ///
    /// - Parameter parameter: The parameter.
    /// - Returns: The points the chart can give it.
    public static func possiblePoints(of parameter: NEWS2Parameter) -> Set<Int> {
        switch parameter {
        case .airOrOxygen: return [0, 2]
        case .consciousness: return [0, 3]
        case .respirationRate, .oxygenSaturation, .systolicBloodPressure, .pulse, .temperature: return [0, 1, 2, 3]
        }
    }

    /// Sub-scores recorded elsewhere, such as the components of a NEWS2 Observation, checked against the
    /// chart.
    ///
    /// - Parameter points: The points of each observed parameter.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/impossibleValue`` naming the first
    ///   parameter, in chart order, whose points the chart cannot give.
    public init(points: [NEWS2Parameter: Int]) throws(TriageScoringError) {
        self.init()
        for parameter in NEWS2Parameter.allCases {
            guard let value = points[parameter] else { continue }
            guard Self.possiblePoints(of: parameter).contains(value) else {
                throw TriageScoringError(
                    .impossibleValue,
                    field: FieldPath(parameter.fieldName),
                    reason: "the NEWS2 chart gives \(parameter) no such number of points"
                )
            }
            self[parameter] = value
        }
    }
}

extension NEWS2Scorer {
    /// A score from sub-scores recorded elsewhere: the aggregate is their sum and the response follows this
    /// scorer's red-score policy, exactly as for a set scored here.
    ///
    /// A score read from another system is rebuilt this way rather than trusted: its aggregate is checked by
    /// the caller against the sum, and its response is this scorer's.
    ///
    /// - Parameters:
    ///   - subScores: The points of every parameter.
    ///   - scale: The SpO2 scale the saturation was scored on.
    /// - Returns: The score.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/invalidValue`` when a parameter has
    ///   no points: a NEWS2 score needs all seven.
    public func score(_ subScores: NEWS2SubScores, scale: SpO2Scale) throws(TriageScoringError) -> NEWS2Score {
        if let missing = NEWS2Parameter.allCases.first(where: { subScores[$0] == nil }) {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath(missing.fieldName),
                reason: "a NEWS2 score needs the points of all seven parameters"
            )
        }
        let total = subScores.sum
        return NEWS2Score(
            subScores: subScores,
            total: total,
            response: response(total: total, redScore: subScores.hasRedScore),
            scale: scale
        )
    }
}
