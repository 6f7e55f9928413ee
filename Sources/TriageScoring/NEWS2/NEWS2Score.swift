public import CareCore

/// A NEWS2 score from a complete set of observations: the points of each parameter, the aggregate, the
/// red-score flag, and the clinical response and monitoring frequency they call for.
public struct NEWS2Score: Hashable, Sendable, CustomStringConvertible {
    /// The points of each parameter; all seven are present.
    public let subScores: NEWS2SubScores
    /// The aggregate score, 0–20.
    public let total: Int
    /// The clinical response, after the scorer's red-score policy.
    public let response: NEWS2Response
    /// The SpO2 scale the saturation was scored on.
    public let scale: SpO2Scale

    init(subScores: NEWS2SubScores, total: Int, response: NEWS2Response, scale: SpO2Scale) {
        self.subScores = subScores
        self.total = total
        self.response = response
        self.scale = scale
    }

    /// Whether any single parameter scored 3.
    public var hasRedScore: Bool { subScores.hasRedScore }

    /// The minimum frequency of monitoring the response calls for.
    public var minimumMonitoring: MonitoringFrequency { response.minimumMonitoring }

    /// The score in one line, such as `NEWS2 7 (high; red score: respiration rate)`.
    public var description: String {
        var text = "NEWS2 \(total) (\(response)"
        let reds = subScores.redScoreParameters
        if !reds.isEmpty { text += "; 3 in \(reds.map(\.description).joined(separator: ", "))" }
        if scale.isScale2 { text += "; SpO2 Scale 2" }
        return text + ")"
    }
}

/// What scoring a set of observations gives: a score, or the finding that the set is incomplete.
///
/// An incomplete set is never scored as if its missing parameters were normal. Its partial sub-scores are
/// kept, because a 3 among the parameters that were observed is a red score whatever the rest would show.
public enum NEWS2Assessment: Hashable, Sendable, CustomStringConvertible {
    /// Every parameter was observed.
    case complete(NEWS2Score)
    /// Some parameters were not observed: they are listed in chart order, with the points of the others.
    case incomplete(missing: [NEWS2Parameter], partial: NEWS2SubScores)

    /// The score, when the set was complete.
    public var score: NEWS2Score? {
        if case .complete(let score) = self { return score }
        return nil
    }

    /// The aggregate, or for an incomplete set the sum of what was observed: a floor, since points only add.
    public var minimumTotal: Int {
        switch self {
        case .complete(let score): return score.total
        case .incomplete(_, let partial): return partial.sum
        }
    }

    /// Whether every parameter was observed.
    public var isComplete: Bool { score != nil }

    /// Whether any observed parameter scored 3, complete or not.
    public var hasRedScore: Bool {
        switch self {
        case .complete(let score): return score.hasRedScore
        case .incomplete(_, let partial): return partial.hasRedScore
        }
    }

    /// The assessment in one line.
    public var description: String {
        switch self {
        case .complete(let score):
            return score.description
        case .incomplete(let missing, let partial):
            var text = "NEWS2 incomplete: missing \(missing.map(\.description).joined(separator: ", "))"
            if partial.hasRedScore {
                text += "; 3 in \(partial.redScoreParameters.map(\.description).joined(separator: ", "))"
            }
            return text
        }
    }
}
