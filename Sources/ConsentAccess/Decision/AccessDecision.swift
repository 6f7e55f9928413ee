public import Foundation

/// The answer to an ``AccessRequest``: permit or deny, the rules that decided it, and what the caller must do.
///
/// Decisions are total and deterministic: the same facts and request always give the same decision, reasons
/// and obligations, in the same order. Every decision, permit or deny, carries ``Obligation/audit``.
public struct AccessDecision: Hashable, Sendable {
    /// Permit or deny.
    public enum Effect: String, Hashable, Sendable, Codable, CaseIterable {
        /// The request may go ahead, subject to the obligations.
        case permit
        /// The request must be refused.
        case deny
    }

    /// Permit or deny.
    public let effect: Effect
    /// The rules that decided, in the order they were applied.
    public let reasons: [DecisionReason]
    /// What the caller must do with a permitted result, or record for a denied one.
    public let obligations: [Obligation]

    /// Creates a decision.
    ///
    /// - Parameters:
    ///   - effect: Permit or deny.
    ///   - reasons: The rules that decided.
    ///   - obligations: What the caller must do.
    public init(effect: Effect, reasons: [DecisionReason], obligations: [Obligation]) {
        self.effect = effect
        self.reasons = reasons
        self.obligations = obligations
    }

    /// Whether the request may go ahead.
    public var isPermitted: Bool { effect == .permit }

    /// The fields to remove before showing the data.
    public var redactedFields: [RedactedField] {
        for case .redact(let fields) in obligations { return fields }
        return []
    }

    /// The items to leave out before showing the data.
    public var hiddenItems: [Access.ItemID] {
        for case .hideItems(let items) in obligations { return items }
        return []
    }

    /// When the permission lapses, if it rests on something with an end.
    public var expiry: Date? {
        for case .expiresAt(let date) in obligations { return date }
        return nil
    }

    /// The decision in plain English for an information governance officer, one sentence per rule.
    ///
    /// The text names codes, identifiers and rules, never patient data.
    ///
    /// - Parameter catalogue: The RBAC reference data, for activity and role names.
    /// - Returns: The explanation.
    public func explanation(catalogue: ActivityCatalogue = .nhsDefault) -> String {
        var lines = [effect == .permit ? "Permitted." : "Denied."]
        lines += reasons.map { "- " + $0.explanation(catalogue: catalogue) }
        lines += obligations.map { "- Obligation: " + $0.explanation }
        return lines.joined(separator: "\n")
    }
}

/// A rule that took part in a decision, with what it matched.
public enum DecisionReason: Hashable, Sendable {
    /// No activity is configured for this kind of request, so staff are denied by default.
    case noActivityDefined(DataClass, AccessAction)
    /// The selected profile holds none of the activities the request needs.
    case activityMissing(required: [ActivityCode], jobRole: JobRoleCode)
    /// The selected profile holds this activity, which the request needs.
    case activityHeld(ActivityCode)
    /// This kind of requester may not use this purpose (staff claiming self access, a patient claiming
    /// direct care).
    case purposeNotAllowed(PurposeOfUse.Category)
    /// The patient's national data opt-out refuses secondary use.
    case nationalDataOptOut
    /// The patient's type 1 opt-out refuses secondary use.
    case type1OptOut
    /// No data sharing agreement covers this organisation, purpose and data class.
    case noAgreement
    /// The patient's privacy facts (opt-outs, restriction) are not known, so secondary use is refused.
    case privacyUnknown
    /// A data sharing agreement covers this secondary use.
    case agreement(DataSharingAgreement.ID)
    /// A legitimate relationship is in force.
    case relationship(LegitimateRelationship.ID, LegitimateRelationship.Kind)
    /// No legitimate relationship, consent or break-glass grant covers the request.
    case noRelationship
    /// A consent provision permits the request.
    case consentPermits(ConsentDirective.ID, ProvisionPath)
    /// A consent provision denies the request.
    case consentDenies(ConsentDirective.ID, ProvisionPath)
    /// A consent provision denies the request, but emergency access overrides it.
    case consentDenialOverridden(ConsentDirective.ID, ProvisionPath)
    /// A break-glass grant is in force for this user, profile and patient.
    case breakGlass(BreakGlassGrant.ID)
    /// The patient is reaching their own record.
    case ownRecord
    /// A patient asked for someone else's record.
    case notOwnRecord
    /// The patient may not make this change themselves.
    case actionNotAllowed
    /// The patient's date of birth is not known, so the age rules cannot be applied.
    case ageUnknown
    /// The patient is younger than the age at which competence is assessed.
    case tooYoungForSelfAccess
    /// The child has not been assessed as Gillick competent.
    case competenceNotEstablished
    /// The child has been assessed as Gillick competent.
    case gillickCompetent
    /// No proxy authority for this person and patient is in force.
    case noProxyAuthority
    /// A proxy authority is in force and covers the request.
    case proxyAuthority(ProxyAuthority.ID, ProxyAuthority.Basis)
    /// The child is 11 or over and has not been assessed, so a parent keeps only administrative classes.
    case administrativeAccessOnly
    /// A competent child refused proxy access.
    case refusedByCompetentChild(ProxyAuthority.ID)
    /// The authority's basis does not apply at the patient's age.
    case basisNotValidAtAge(ProxyAuthority.ID, ProxyAuthority.Basis)
    /// The authority does not cover this data class or action.
    case outsideProxyScope(ProxyAuthority.ID)

    /// The reason as one plain-English sentence.
    ///
    /// - Parameter catalogue: The RBAC reference data, for names.
    /// - Returns: The sentence.
    public func explanation(catalogue: ActivityCatalogue) -> String {
        func activity(_ code: ActivityCode) -> String { "\(code) \(catalogue.name(of: code))" }
        switch self {
        case .noActivityDefined(let dataClass, let action):
            return "No activity is configured to \(action.rawValue) \(dataClass); staff are denied by default."
        case .activityMissing(let required, let role):
            let list = required.map(activity).joined(separator: ", ")
            return "The selected profile (\(role) \(catalogue.name(of: role))) holds none of: \(list)."
        case .activityHeld(let code):
            return "The selected profile holds \(activity(code)), including through included activities."
        case .purposeNotAllowed(let category):
            return "This requester may not act for the purpose \(category.rawValue)."
        case .nationalDataOptOut:
            return "The patient's national data opt-out refuses research and planning use."
        case .type1OptOut:
            return "The patient's type 1 opt-out refuses use beyond their own care."
        case .noAgreement:
            return "No data sharing agreement covers this organisation, purpose and data class."
        case .privacyUnknown:
            return "The patient's opt-outs are not known, so use beyond their care is refused."
        case .agreement(let id):
            return "Data sharing agreement \(id) covers this use."
        case .relationship(let id, let kind):
            return "Legitimate relationship \(id) (\(kind.rawValue)) is in force."
        case .noRelationship:
            return "No legitimate relationship, consent or emergency access covers this request."
        case .consentPermits(let id, let path):
            return "Consent directive \(id) permits this at \(path)."
        case .consentDenies(let id, let path):
            return "Consent directive \(id) denies this at \(path)."
        case .consentDenialOverridden(let id, let path):
            return "Consent directive \(id) denies this at \(path), overridden by emergency access."
        case .breakGlass(let id):
            return "Emergency (break-glass) access \(id) is in force; it is audited and reviewed."
        case .ownRecord:
            return "The patient is reading their own record."
        case .notOwnRecord:
            return "A patient may reach only their own record."
        case .actionNotAllowed:
            return "A patient or proxy may not make this change."
        case .ageUnknown:
            return "The patient's date of birth is not recorded, so the age rules cannot be applied."
        case .tooYoungForSelfAccess:
            return "The patient is younger than the age at which competence is assessed."
        case .competenceNotEstablished:
            return "The child has not been assessed as Gillick competent."
        case .gillickCompetent:
            return "The child was assessed as Gillick competent."
        case .noProxyAuthority:
            return "No proxy authority for this person and patient is in force."
        case .proxyAuthority(let id, let basis):
            return "Proxy authority \(id) (\(basis.rawValue)) is in force."
        case .administrativeAccessOnly:
            return
                "The child is old enough for a competence assessment and has none; a parent keeps administrative access only."
        case .refusedByCompetentChild(let id):
            return "A Gillick-competent child refused proxy access under authority \(id)."
        case .basisNotValidAtAge(let id, let basis):
            return "Authority \(id) rests on \(basis.rawValue), which does not apply at the patient's age."
        case .outsideProxyScope(let id):
            return "Authority \(id) does not cover this data class or action."
        }
    }
}

/// Something the caller must do with a decision.
public enum Obligation: Hashable, Sendable {
    /// Record the decision in the audit log. Every decision carries it.
    case audit
    /// Remove these fields before showing the data.
    case redact([RedactedField])
    /// Leave these items out before showing the data.
    case hideItems([Access.ItemID])
    /// Raise an alert for privacy-officer review.
    case alertPrivacyOfficer(PrivacyAlert.Kind)
    /// The permission lapses at this instant; decide again after it.
    case expiresAt(Date)

    /// The obligation in plain English.
    public var explanation: String {
        switch self {
        case .audit: return "record the access in the audit log."
        case .redact(let fields): return "remove \(fields.map(\.rawValue).joined(separator: ", "))."
        case .hideItems(let items): return "leave out \(items.count) protected item(s)."
        case .alertPrivacyOfficer(let kind): return "alert the privacy officer (\(kind.rawValue))."
        case .expiresAt(let date): return "the permission lapses at \(date.formatted(.iso8601))."
        }
    }
}

/// An alert for a privacy officer to review: an emergency access or a self-claimed relationship.
///
/// Privacy officers review these in NHS practice (the Spine alert viewer; RBAC activities B0015 "Receive Legal
/// Override and Emergency View Alerts" and B0016 "Receive Self Claimed LR Alerts").
public struct PrivacyAlert: Hashable, Sendable, Identifiable {
    /// What raised the alert.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A break-glass grant or an access under one.
        case breakGlass = "break-glass"
        /// An access through a self-claimed legitimate relationship.
        case selfClaimedRelationship = "self-claimed-relationship"
    }

    /// The alert's position in the audit log: the sequence number of the entry that raised it.
    public let id: UInt64
    /// What raised it.
    public let kind: Kind
    /// The user whose access raised it.
    public let user: Access.UserID
    /// The profile they acted under.
    public let profile: RoleProfile.ID
    /// The patient whose record was reached.
    public let patient: Access.PatientID
    /// When.
    public let raised: Date

    /// Creates an alert.
    ///
    /// - Parameters:
    ///   - id: The sequence number of the audit entry that raised it.
    ///   - kind: What raised it.
    ///   - user: The user.
    ///   - profile: The profile.
    ///   - patient: The patient.
    ///   - raised: When.
    public init(
        id: UInt64,
        kind: Kind,
        user: Access.UserID,
        profile: RoleProfile.ID,
        patient: Access.PatientID,
        raised: Date
    ) {
        self.id = id
        self.kind = kind
        self.user = user
        self.profile = profile
        self.patient = patient
        self.raised = raised
    }
}
