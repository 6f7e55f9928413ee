/// A Manchester-style triage category: five colours, each with a name and a target time to first
/// assessment.
///
/// The categories and their colours follow the five-level scales used in UK emergency departments (the
/// Manchester Triage System's red, orange, yellow, green and blue). The library holds only this shell: the
/// presenting-complaint flowcharts and discriminators of the Manchester Triage System are the Manchester
/// Triage Group's copyright and are not included. A licensed system supplies them, and ``CategoryAssignment``
/// keeps their identifiers with the category it gave.
///
/// Categories sort most urgent first: `.red < .orange`.
public enum TriageCategory: Int, Hashable, Comparable, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Immediate.
    case red
    /// Very urgent.
    case orange
    /// Urgent.
    case yellow
    /// Standard.
    case green
    /// Non-urgent.
    case blue

    /// The category's name, such as `Very urgent`.
    public var name: String {
        switch self {
        case .red: return "Immediate"
        case .orange: return "Very urgent"
        case .yellow: return "Urgent"
        case .green: return "Standard"
        case .blue: return "Non-urgent"
        }
    }

    /// Creates a category from its colour's name, such as `orange`, in any letter case.
    ///
    /// - Parameter colour: The colour.
    public init?(colour: String) {
        guard let category = Self.allCases.first(where: { $0.description == colour.lowercased() }) else {
            return nil
        }
        self = category
    }

    /// Whether this category is more urgent than another.
    ///
    /// - Parameter other: Another category.
    /// - Returns: Whether this one is seen first.
    public func isMoreUrgent(than other: TriageCategory) -> Bool { self < other }

    /// The more urgent of two categories.
    ///
    /// - Parameters:
    ///   - first: A category.
    ///   - second: Another category.
    /// - Returns: Whichever is seen first.
    public static func mostUrgent(_ first: TriageCategory, _ second: TriageCategory) -> TriageCategory {
        min(first, second)
    }

    /// Orders categories most urgent first.
    ///
    /// - Parameters:
    ///   - lhs: A category.
    ///   - rhs: Another category.
    /// - Returns: Whether `lhs` is more urgent.
    public static func < (lhs: TriageCategory, rhs: TriageCategory) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The colour in lower case, such as `orange`.
    public var description: String {
        switch self {
        case .red: return "red"
        case .orange: return "orange"
        case .yellow: return "yellow"
        case .green: return "green"
        case .blue: return "blue"
        }
    }
}
