/// What a request wants to do with the data: read it, or change it.
///
/// FHIR R4 Consent names actions from `http://terminology.hl7.org/CodeSystem/consentaction` (collect, access,
/// use, disclose, correct); a decision here needs only the split between reading (`access`) and changing
/// (`correct`, which includes creating and amending).
public enum AccessAction: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    /// Read the data: FHIR consent action `access`.
    case read
    /// Create or amend the data: FHIR consent action `correct`.
    case update

    /// Orders `read` before `update`.
    ///
    /// - Parameters:
    ///   - lhs: An action.
    ///   - rhs: Another action.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: AccessAction, rhs: AccessAction) -> Bool {
        lhs == .read && rhs == .update
    }
}
