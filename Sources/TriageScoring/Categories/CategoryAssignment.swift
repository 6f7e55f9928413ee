public import Foundation

/// A triage category given to a patient, with who gave it and, when a licensed triage system was used, the
/// identifiers of its flowchart and discriminator.
///
/// The library stores the identifiers as the licensed system supplies them and never interprets them: the
/// flowcharts and discriminators themselves are proprietary and not part of the library.
public struct CategoryAssignment: Hashable, Sendable {
    /// The category given.
    public let category: TriageCategory
    /// Who gave it: a clinician's role or staff identifier.
    public let assessedBy: String
    /// When it was given.
    public let at: Date
    /// The licensed system's presenting-complaint flowchart identifier, if one was used.
    public let flowchart: String?
    /// The licensed system's discriminator identifier, if one was used.
    public let discriminator: String?

    /// Records an assignment.
    ///
    /// - Parameters:
    ///   - category: The category given.
    ///   - assessedBy: Who gave it.
    ///   - at: When.
    ///   - flowchart: The licensed system's flowchart identifier.
    ///   - discriminator: The licensed system's discriminator identifier.
    public init(
        _ category: TriageCategory,
        assessedBy: String,
        at: Date,
        flowchart: String? = nil,
        discriminator: String? = nil
    ) {
        self.category = category
        self.assessedBy = assessedBy
        self.at = at
        self.flowchart = flowchart
        self.discriminator = discriminator
    }
}
