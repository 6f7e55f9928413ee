/// The status of a care plan: FHIR R4's `request-status` (`http://hl7.org/fhir/request-status`) without
/// `unknown`, which is for legacy data, with the lifecycle the library enforces.
///
/// FHIR defines what each status means but not which changes are allowed; the library enforces this table
/// (from the request-status definitions: on-hold is a pause expected to resume, revoked ends a plan before
/// it is complete, entered-in-error means it should never have existed):
///
/// | From \ To | active | on-hold | completed | revoked | entered-in-error |
/// | --- | --- | --- | --- | --- | --- |
/// | draft | yes | no | no | yes (an abandoned draft) | yes |
/// | active | — | yes | yes | yes | yes |
/// | on-hold | yes (resume) | — | no (resume first) | yes | yes |
/// | completed | no | no | — | no | yes |
/// | revoked | no | no | no | — | yes |
/// | entered-in-error | no | no | no | no | — |
///
/// Nothing returns to `draft`. A completed or revoked plan is final: a new plan replaces it.
public enum PlanStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Being written; not yet in force.
    case draft
    /// In force.
    case active
    /// Paused, expected to resume.
    case onHold = "on-hold"
    /// Ended before it was complete.
    case revoked
    /// Carried out in full.
    case completed
    /// Should never have existed.
    case enteredInError = "entered-in-error"

    /// The FHIR code system.
    public static let system = "http://hl7.org/fhir/request-status"

    /// Whether the plan's content can still change: draft, active and on-hold plans.
    public var isEditable: Bool {
        switch self {
        case .draft, .active, .onHold: return true
        case .revoked, .completed, .enteredInError: return false
        }
    }

    /// Whether the lifecycle allows moving from this status to another.
    ///
    /// - Parameter next: The proposed status.
    /// - Returns: `true` when the table allows it.
    public func canMove(to next: PlanStatus) -> Bool {
        switch (self, next) {
        case (.enteredInError, _): return false
        case (_, .enteredInError): return true
        case (.draft, .active), (.draft, .revoked),
            (.active, .onHold), (.active, .completed), (.active, .revoked),
            (.onHold, .active), (.onHold, .revoked):
            return true
        default:
            return false
        }
    }
}
