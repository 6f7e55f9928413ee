public import Foundation

/// One item of a patient's record with its own protection: hidden from chosen roles, from the patient or
/// from proxies, or withheld from the patient until it has been discussed.
///
/// Safeguarding coding "limits access where record data may cause a safeguarding issue" (the strategy);
/// third-party information and information likely to cause serious harm are withheld from the patient's own
/// view (Data Protection Act 2018, Schedule 3 Part 2 paragraph 2); and a result may wait for a conversation
/// before the patient sees it. A decision that permits reading the item's data class lists the hidden items
/// in its ``Obligation/hideItems(_:)`` obligation; a proxy never sees what the patient may not.
public struct ProtectedItem: Hashable, Sendable, Identifiable {
    /// Why an item is protected.
    public enum Reason: String, Hashable, Sendable, Codable, CaseIterable {
        /// A safeguarding concern.
        case safeguarding
        /// It holds information about someone else.
        case thirdParty = "third-party"
        /// Showing it to the patient is likely to cause serious harm.
        case seriousHarm = "serious-harm"
        /// It waits for a conversation with a clinician.
        case awaitingDiscussion = "awaiting-discussion"
    }

    /// The item.
    public let id: Access.ItemID
    /// The patient whose record holds it.
    public let patient: Access.PatientID
    /// The data class it belongs to.
    public let dataClass: DataClass
    /// Why it is protected.
    public var reason: Reason
    /// Job roles that must not see it.
    public var hiddenFromRoles: Set<JobRoleCode>
    /// Whether the patient must not see it.
    public var hiddenFromPatient: Bool
    /// Whether proxies must not see it (they never see what the patient may not).
    public var hiddenFromProxies: Bool
    /// Whether the patient sees it only once it has been discussed with them.
    public var withheldUntilDiscussed: Bool
    /// When it was discussed with the patient; while this is `nil` or later than a request, a withheld item
    /// stays hidden from the patient and proxies.
    public var discussed: Date?

    /// Creates a protected item.
    ///
    /// - Parameters:
    ///   - id: The item.
    ///   - patient: The patient.
    ///   - dataClass: Its data class.
    ///   - reason: Why it is protected.
    ///   - hiddenFromRoles: Job roles that must not see it.
    ///   - hiddenFromPatient: Whether the patient must not see it; by default, yes for safeguarding,
    ///     third-party and serious-harm items, no for an item awaiting discussion (which
    ///     `withheldUntilDiscussed` governs).
    ///   - hiddenFromProxies: Whether proxies must not see it; by default, as for the patient.
    ///   - withheldUntilDiscussed: Whether the patient sees it only once it has been discussed.
    ///   - discussed: When it was discussed.
    public init(
        id: Access.ItemID,
        patient: Access.PatientID,
        dataClass: DataClass,
        reason: Reason,
        hiddenFromRoles: Set<JobRoleCode> = [],
        hiddenFromPatient: Bool? = nil,
        hiddenFromProxies: Bool? = nil,
        withheldUntilDiscussed: Bool = false,
        discussed: Date? = nil
    ) {
        self.id = id
        self.patient = patient
        self.dataClass = dataClass
        self.reason = reason
        self.hiddenFromRoles = hiddenFromRoles
        let hiddenByDefault = reason != .awaitingDiscussion
        self.hiddenFromPatient = hiddenFromPatient ?? hiddenByDefault
        self.hiddenFromProxies = hiddenFromProxies ?? hiddenFromPatient ?? hiddenByDefault
        self.withheldUntilDiscussed = withheldUntilDiscussed
        self.discussed = discussed
    }

    /// Whether the patient may not see the item at an instant.
    ///
    /// - Parameter instant: The instant of the request.
    /// - Returns: `true` when it is hidden from the patient or still waiting for its discussion.
    public func isHiddenFromPatient(at instant: Date) -> Bool {
        if hiddenFromPatient { return true }
        guard withheldUntilDiscussed else { return false }
        guard let discussed else { return true }
        return instant < discussed
    }

    /// Whether a proxy may not see the item at an instant.
    ///
    /// - Parameter instant: The instant of the request.
    /// - Returns: `true` when it is hidden from proxies or from the patient.
    public func isHiddenFromProxies(at instant: Date) -> Bool {
        hiddenFromProxies || isHiddenFromPatient(at: instant)
    }
}
