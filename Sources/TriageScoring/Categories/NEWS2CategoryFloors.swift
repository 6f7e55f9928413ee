/// The least urgent category a patient may hold after a NEWS2 score with a given response: a re-score can
/// raise a patient's category to this floor, never lower it.
///
/// The mapping is local policy, not a national standard; the defaults pair the words of RCP Chart 4 with
/// the category names and should be agreed by each department's clinical safety officer:
///
/// | NEWS2 response | At least |
/// |---|---|
/// | high (aggregate ≥ 7): emergency assessment | orange (very urgent) |
/// | medium (5–6): urgent assessment | yellow (urgent) |
/// | low–medium (a single 3): urgent ward-based response | yellow (urgent) |
/// | low (1–4) and none (0) | no floor |
public struct NEWS2CategoryFloors: Hashable, Sendable, CustomStringConvertible {
    private var floors: [TriageCategory?]

    /// The defaults in the table above.
    public static let standard = NEWS2CategoryFloors(high: .orange, medium: .yellow, lowMedium: .yellow)

    /// No floors: NEWS2 re-scores never change a category.
    public static let none = NEWS2CategoryFloors()

    /// Creates a mapping.
    ///
    /// A worse response always gets at least the floor of a better one: with `medium: .orange` and
    /// `high: .yellow`, high's floor is orange.
    ///
    /// - Parameters:
    ///   - high: The floor for a high response.
    ///   - medium: The floor for a medium response.
    ///   - lowMedium: The floor for a low–medium (red score) response.
    ///   - low: The floor for a low response.
    ///   - none: The floor for an aggregate of 0.
    public init(
        high: TriageCategory? = nil,
        medium: TriageCategory? = nil,
        lowMedium: TriageCategory? = nil,
        low: TriageCategory? = nil,
        none: TriageCategory? = nil
    ) {
        // Indexed by NEWS2Response.rawValue: none, low, lowMedium, medium, high. A worse response never gets a
        // less urgent floor than a better one, so each floor is the most urgent of its own and those below it.
        var running: TriageCategory?
        floors = [none, low, lowMedium, medium, high].map { floor in
            if let floor { running = running.map { min($0, floor) } ?? floor }
            return running
        }
    }

    /// The floor for a response, if it has one.
    ///
    /// - Parameter response: The NEWS2 response.
    public subscript(_ response: NEWS2Response) -> TriageCategory? { floors[response.rawValue] }

    /// The mapping as `high → orange, medium → yellow, …`, leaving out responses with no floor.
    public var description: String {
        let pairs = NEWS2Response.allCases.reversed().compactMap { response in
            self[response].map { "\(response) → \($0)" }
        }
        return pairs.isEmpty ? "no floors" : pairs.joined(separator: ", ")
    }
}
