import CareCore

/// The longest each category should wait from arrival to first assessment.
///
/// The defaults are the Manchester Triage System's: red 0, orange 10, yellow 60, green 120 and blue 240
/// minutes. Departments and adaptations differ (a German surgical department used 0, 10, 30, 90 and 120), so
/// the times are configuration. A less urgent category never has a shorter target than a more urgent one:
/// otherwise the less urgent patient would breach first.
public struct CategoryTargets: Hashable, Sendable, CustomStringConvertible {
    private var minutes: [Int]

    /// The Manchester defaults: 0, 10, 60, 120 and 240 minutes.
    public static let manchesterDefaults = CategoryTargets(checked: [0, 10, 60, 120, 240])

    /// Creates targets.
    ///
    /// - Parameters:
    ///   - red: Minutes for red.
    ///   - orange: Minutes for orange.
    ///   - yellow: Minutes for yellow.
    ///   - green: Minutes for green.
    ///   - blue: Minutes for blue.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/invalidValue`` for a negative
    ///   target or a less urgent category with a shorter target than a more urgent one.
    public init(red: Int, orange: Int, yellow: Int, green: Int, blue: Int) throws(TriageScoringError) {
        let minutes = [red, orange, yellow, green, blue]
        for (index, value) in minutes.enumerated() {
            let field = FieldPath("targets").appending(TriageCategory.allCases[index].description)
            guard value >= 0, value <= 7 * 24 * 60 else {
                throw TriageScoringError(.invalidValue, field: field, reason: "a target must be 0 to 10,080 minutes")
            }
            guard index == 0 || minutes[index - 1] <= value else {
                throw TriageScoringError(
                    .invalidValue,
                    field: field,
                    reason: "a less urgent category cannot have a shorter target than a more urgent one"
                )
            }
        }
        self.init(checked: minutes)
    }

    private init(checked minutes: [Int]) {
        self.minutes = minutes
    }

    /// The target for a category, in minutes.
    ///
    /// - Parameter category: The category.
    public subscript(_ category: TriageCategory) -> Int { minutes[category.rawValue] }

    /// The target for a category as a duration.
    ///
    /// - Parameter category: The category.
    /// - Returns: The longest wait from arrival.
    public func target(for category: TriageCategory) -> Duration { .seconds(self[category] * 60) }

    /// The targets as `red 0, orange 10, yellow 60, green 120, blue 240 min`.
    public var description: String {
        TriageCategory.allCases.map { "\($0) \(self[$0])" }.joined(separator: ", ") + " min"
    }
}
