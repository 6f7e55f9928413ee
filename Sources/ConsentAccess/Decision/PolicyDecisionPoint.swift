public import CareCore
import Foundation

/// The policy decision point: every request gets a total, deterministic decision with its reasons and
/// obligations. Default deny.
///
/// ## The rules, in order
///
/// **Staff** acting under a selected role profile (``AccessSession``):
/// 1. The kind of request (data class and action) must have activities configured in ``AccessRules``, and
///    the profile must hold one of them, counting included activities (NHS RBAC), expanded with this
///    decision point's catalogue. Break-glass never adds an activity.
/// 2. Staff may not claim the self-access purpose.
/// 3. **Secondary use** (research, planning): a consent provision that denies it refuses it. A permitting
///    provision that names the purpose is explicit consent and sets the opt-outs aside; otherwise unknown
///    privacy facts, the national data opt-out and the type 1 opt-out refuse it. Either way a data sharing
///    agreement must cover the organisation, purpose and class.
/// 4. **Direct care and emergencies**: a consent provision that denies the request refuses it, unless the
///    purpose is an emergency and a break-glass grant for this user, profile and patient is in force (the
///    profile must still hold a break-glass activity, and a grant longer than the rules allow is ignored).
///    Else a legitimate relationship in force for the user or the profile's organisation allows it; else a
///    permitting consent provision that names its actors; else an emergency under a break-glass grant;
///    else deny. Only `patient-privacy` and `research` directives take part. The
///    national data opt-out and type 1 opt-out never apply to direct care.
/// 5. A permit carries: audit; the location fields to remove when the record is restricted (S-flag) or its
///    privacy facts are unknown;
///    the items of this class hidden from the profile's job role; a privacy-officer alert for break-glass
///    or a self-claimed relationship; and the earliest end of the relationship, grant or agreement relied on.
///
/// **Patients** reach only their own record, for the self-access purpose, changing only the classes
/// ``AccessRules/patientUpdatableClasses`` lists. From 16 they have access; from 11 to 15 only with a Gillick
/// competence assessment in their favour; under 11, none. A permit hides items withheld from the patient
/// (hidden, or waiting to be discussed).
///
/// **Proxies** act for the self-access purpose under a ``ProxyAuthority`` in force, checked against the
/// patient's age at the time of the request (see ``ProxyAuthority`` for the rules per basis; a lasting power
/// of attorney from 18); safeguarding data only when the authority names the class; authorities
/// are tried in identifier order and the first that covers the request decides. A consent provision naming
/// the proxy can still deny. A permit redacts a restricted record's location fields and hides items
/// withheld from proxies or from the patient.
///
/// Where several facts could be cited, the one with the smallest identifier is, and consent directives are
/// read in identifier order, a deny overriding a permit. ``ReferencePolicyEvaluator`` implements the same
/// rules without indexes, and tests compare the two on seeded random policies.
public struct PolicyDecisionPoint: Sendable {
    /// The facts the decisions read.
    public private(set) var facts: AccessFacts
    /// The zone whose calendar dates give patients' ages (Europe/London).
    public let timeZone: CivilTimeZone

    private var patients: [Access.PatientID: PatientIndex] = [:]
    private var catalogueFingerprint: Int
    private var agreementsByOrganisation: [ODSCode: [DataSharingAgreement]] = [:]

    /// Builds a decision point over facts.
    ///
    /// - Parameters:
    ///   - facts: The facts.
    ///   - timeZone: The zone of civil dates.
    /// - Complexity: O(*n* log *n*) in the number of facts.
    public init(facts: AccessFacts, timeZone: CivilTimeZone) {
        self.facts = facts
        self.timeZone = timeZone
        catalogueFingerprint = facts.catalogue.hashValue
        for relationship in facts.relationships.values {
            patients[relationship.patient, default: .init()].add(relationship)
        }
        for directive in facts.directives.values { patients[directive.patient, default: .init()].add(directive) }
        for privacy in facts.privacy.values { patients[privacy.patient, default: .init()].privacy = privacy }
        for item in facts.items.values { patients[item.patient, default: .init()].add(item) }
        for authority in facts.proxies.values { patients[authority.patient, default: .init()].add(authority) }
        for assessment in facts.assessments { patients[assessment.patient, default: .init()].add(assessment) }
        for grant in facts.grants.values { patients[grant.patient, default: .init()].add(grant) }
        for agreement in facts.agreements.values { index(agreement) }
    }

    // MARK: Recording facts

    /// Records a legitimate relationship, replacing one with the same identifier.
    ///
    /// - Parameter relationship: The relationship.
    public mutating func record(_ relationship: LegitimateRelationship) {
        if let old = facts.relationships[relationship.id] { patients[old.patient]?.remove(old) }
        facts.record(relationship)
        patients[relationship.patient, default: .init()].add(relationship)
    }

    /// Records a consent directive, replacing one with the same identifier.
    ///
    /// - Parameter directive: The directive.
    public mutating func record(_ directive: ConsentDirective) {
        if let old = facts.directives[directive.id] { patients[old.patient]?.remove(old) }
        facts.record(directive)
        patients[directive.patient, default: .init()].add(directive)
    }

    /// Records a patient's privacy facts, replacing earlier ones.
    ///
    /// - Parameter privacy: The facts.
    public mutating func record(_ privacy: PatientPrivacy) {
        facts.record(privacy)
        patients[privacy.patient, default: .init()].privacy = privacy
    }

    /// Records a protected item, replacing one with the same identifier.
    ///
    /// - Parameter item: The item.
    public mutating func record(_ item: ProtectedItem) {
        if let old = facts.items[item.id] { patients[old.patient]?.remove(old) }
        facts.record(item)
        patients[item.patient, default: .init()].add(item)
    }

    /// Records a proxy authority, replacing one with the same identifier.
    ///
    /// - Parameter authority: The authority.
    public mutating func record(_ authority: ProxyAuthority) {
        if let old = facts.proxies[authority.id] { patients[old.patient]?.remove(old) }
        facts.record(authority)
        patients[authority.patient, default: .init()].add(authority)
    }

    /// Records a competence assessment.
    ///
    /// - Parameter assessment: The assessment.
    public mutating func record(_ assessment: CompetenceAssessment) {
        facts.record(assessment)
        patients[assessment.patient, default: .init()].add(assessment)
    }

    /// Records a break-glass grant, replacing one with the same identifier.
    ///
    /// - Parameter grant: The grant.
    public mutating func record(_ grant: BreakGlassGrant) {
        if let old = facts.grants[grant.id] { patients[old.patient]?.remove(old) }
        facts.record(grant)
        patients[grant.patient, default: .init()].add(grant)
    }

    /// Records a data sharing agreement, replacing one with the same identifier.
    ///
    /// - Parameter agreement: The agreement.
    public mutating func record(_ agreement: DataSharingAgreement) {
        if let old = facts.agreements[agreement.id] {
            for organisation in old.organisations {
                agreementsByOrganisation[organisation]?.removeAll { $0.id == old.id }
            }
        }
        facts.record(agreement)
        index(agreement)
    }

    private mutating func index(_ agreement: DataSharingAgreement) {
        for organisation in agreement.organisations {
            agreementsByOrganisation[organisation, default: []].insertSorted(agreement)
        }
    }

    // MARK: Deciding

    /// Decides a request.
    ///
    /// - Parameter request: The request.
    /// - Returns: The decision, with its reasons and obligations.
    /// - Complexity: O(*k*) in the facts held about the request's patient, plus the depth of their consent
    ///   trees; independent of the number of patients.
    public func decide(_ request: AccessRequest) -> AccessDecision {
        let patient = patients[request.patient]
        switch request.requester {
        case .staff(let session): return decideStaff(session, request, patient)
        case .patient(let id): return decidePatient(id, request, patient)
        case .proxy(let person): return decideProxy(person, request, patient)
        }
    }

    private func decideStaff(
        _ session: AccessSession,
        _ request: AccessRequest,
        _ patient: PatientIndex?
    ) -> AccessDecision {
        let profile = session.profile
        let required = facts.rules.activities(for: request.dataClass, request.action)
        guard !required.isEmpty else { return .denied(.noActivityDefined(request.dataClass, request.action)) }
        let activities = activities(of: session)
        guard let activity = required.first(where: activities.contains) else {
            return .denied(.activityMissing(required: required, jobRole: profile.jobRole))
        }
        let held = DecisionReason.activityHeld(activity)
        let category = request.purpose.category
        if category == .selfAccess { return .denied(held, .purposeNotAllowed(.selfAccess)) }
        let consent = patient?.consent(request) { actor in
            switch actor {
            case .user(let user): return user == profile.user
            case .organisation(let organisation): return organisation == profile.organisation
            case .jobRole(let role): return role == profile.jobRole
            case .proxy: return false
            }
        }
        var permit = PermitBuilder(held)
        if category == .secondaryUse {
            if let consent, consent.type == .deny {
                return .denied(held, .consentDenies(consent.directive, consent.path))
            }
            if let consent, consent.namesPurpose {
                // Explicit consent to this use sets the opt-outs aside; an agreement is still needed.
                permit.reasons.append(.consentPermits(consent.directive, consent.path))
            } else {
                guard let privacy = patient?.privacy else { return .denied(held, .privacyUnknown) }
                if privacy.nationalDataOptOut { return .denied(held, .nationalDataOptOut) }
                if privacy.type1OptOut { return .denied(held, .type1OptOut) }
            }
            let agreement = agreementsByOrganisation[profile.organisation]?.first {
                $0.purposes.contains(request.purpose.code)
                    && ($0.dataClasses.isEmpty || $0.dataClasses.contains(request.dataClass))
                    && $0.period.contains(request.time)
            }
            guard let agreement else { return .denied(held, .noAgreement) }
            permit.reasons.append(.agreement(agreement.id))
            permit.end(agreement.period.end)
        } else {
            let breakGlassAllowed = facts.rules.breakGlassActivities.contains(where: activities.contains)
            let grant =
                category == .emergency && breakGlassAllowed
                ? patient?.grants.first {
                    $0.user == profile.user && $0.profile == profile.id && $0.period.contains(request.time)
                        && $0.duration <= facts.rules.maximumBreakGlassDuration
                } : nil
            if let consent, consent.type == .deny {
                guard let grant else { return .denied(held, .consentDenies(consent.directive, consent.path)) }
                permit.reasons += [.consentDenialOverridden(consent.directive, consent.path), .breakGlass(grant.id)]
                permit.end(grant.period.end)
                permit.alerts.append(.breakGlass)
            } else if let relationship = patient?.relationships.first(where: { $0.covers(profile, at: request.time) }) {
                permit.reasons.append(.relationship(relationship.id, relationship.kind))
                permit.end(relationship.period.end)
                if relationship.kind == .selfClaimed { permit.alerts.append(.selfClaimedRelationship) }
            } else if let consent, consent.namesActor {
                permit.reasons.append(.consentPermits(consent.directive, consent.path))
            } else if let grant {
                permit.reasons.append(.breakGlass(grant.id))
                permit.end(grant.period.end)
                permit.alerts.append(.breakGlass)
            } else {
                return .denied(held, .noRelationship)
            }
        }
        if let items = patient?.items[request.dataClass] {
            for item in items where item.hiddenFromRoles.contains(profile.jobRole) { permit.hidden.append(item.id) }
        }
        return permit.decision(restricted: patient?.privacy?.restricted != false)
    }

    /// The activities a session's profile holds under this decision point's catalogue: the session's own
    /// expansion when it was made with the same catalogue, else expanded again, so that a session opened
    /// before a catalogue change cannot keep an activity the change removed.
    ///
    /// - Parameter session: The session.
    /// - Returns: The effective activities.
    public func activities(of session: AccessSession) -> Set<ActivityCode> {
        session.catalogueFingerprint == catalogueFingerprint
            ? session.effectiveActivities : facts.catalogue.effectiveActivities(of: session.profile)
    }

    /// The protected items held about a patient, by data class, each class's items in identifier order, for
    /// ``AccessControl`` to keep withheld classes out of an access history.
    ///
    /// - Parameter patient: The patient.
    /// - Returns: The items, or an empty dictionary for a patient with none.
    func items(of patient: Access.PatientID) -> [DataClass: [ProtectedItem]] {
        patients[patient]?.items ?? [:]
    }

    private func decidePatient(
        _ id: Access.PatientID,
        _ request: AccessRequest,
        _ patient: PatientIndex?
    ) -> AccessDecision {
        guard id == request.patient else { return .denied(.notOwnRecord) }
        guard request.purpose.category == .selfAccess else {
            return .denied(.purposeNotAllowed(request.purpose.category))
        }
        if request.action == .update && !facts.rules.patientUpdatableClasses.contains(request.dataClass) {
            return .denied(.actionNotAllowed)
        }
        guard let age = age(patient, at: request.time) else { return .denied(.ageUnknown) }
        var permit = PermitBuilder(.ownRecord)
        if age < facts.rules.competenceAssessmentAge { return .denied(.tooYoungForSelfAccess) }
        if age < facts.rules.selfAccessAge {
            guard patient?.assessment(at: request.time)?.competent == true else {
                return .denied(.competenceNotEstablished)
            }
            permit.reasons.append(.gillickCompetent)
        }
        if let items = patient?.items[request.dataClass] {
            for item in items where item.isHiddenFromPatient(at: request.time) { permit.hidden.append(item.id) }
        }
        return permit.decision(restricted: false)
    }

    private func decideProxy(
        _ person: Access.PersonID,
        _ request: AccessRequest,
        _ patient: PatientIndex?
    ) -> AccessDecision {
        guard request.purpose.category == .selfAccess else {
            return .denied(.purposeNotAllowed(request.purpose.category))
        }
        guard let patient, patient.proxies.contains(where: { $0.proxy == person && $0.period.contains(request.time) })
        else { return .denied(.noProxyAuthority) }
        guard let age = age(patient, at: request.time) else { return .denied(.ageUnknown) }
        let rules = facts.rules
        let assessment = patient.assessment(at: request.time)
        let child = age < rules.selfAccessAge
        let assessable = age >= rules.competenceAssessmentAge
        var firstFailure: DecisionReason?
        for authority in patient.proxies where authority.proxy == person && authority.period.contains(request.time) {
            var permit = PermitBuilder(.proxyAuthority(authority.id, authority.basis))
            var administrativeOnly = false
            var failure: DecisionReason?
            switch authority.basis {
            case .parentalResponsibility:
                if !child {
                    failure = .basisNotValidAtAge(authority.id, authority.basis)
                } else if assessable, let assessment, assessment.competent {
                    if assessment.consentsToProxyAccess {
                        permit.reasons.append(.gillickCompetent)
                    } else {
                        failure = .refusedByCompetentChild(authority.id)
                    }
                } else if assessable && assessment == nil {
                    permit.reasons.append(.administrativeAccessOnly)
                    administrativeOnly = true
                }
            case .patientConsent:
                if child {
                    if assessable, let assessment, assessment.competent && assessment.consentsToProxyAccess {
                        permit.reasons.append(.gillickCompetent)
                    } else {
                        failure = .basisNotValidAtAge(authority.id, authority.basis)
                    }
                }
            case .lastingPowerOfAttorney:
                if age < rules.lastingPowerOfAttorneyAge {
                    failure = .basisNotValidAtAge(authority.id, authority.basis)
                }
            case .courtAppointedDeputy, .bestInterests:
                if child { failure = .basisNotValidAtAge(authority.id, authority.basis) }
            }
            if failure == nil {
                let inScope =
                    (authority.dataClasses.isEmpty
                        ? request.dataClass != .safeguarding
                        : authority.dataClasses.contains(request.dataClass))
                    && (!administrativeOnly || rules.administrativeClasses.contains(request.dataClass))
                    && authority.actions.contains(request.action)
                    && (request.action == .read || rules.patientUpdatableClasses.contains(request.dataClass))
                if !inScope { failure = .outsideProxyScope(authority.id) }
            }
            if let failure {
                if firstFailure == nil { firstFailure = failure }
                continue
            }
            let consent = patient.consent(request) { actor in
                if case .proxy(let named) = actor { return named == person }
                return false
            }
            if let consent, consent.type == .deny {
                permit.reasons.append(.consentDenies(consent.directive, consent.path))
                return AccessDecision(effect: .deny, reasons: permit.reasons, obligations: [.audit])
            }
            if let items = patient.items[request.dataClass] {
                for item in items where item.isHiddenFromProxies(at: request.time) { permit.hidden.append(item.id) }
            }
            permit.end(authority.period.end)
            return permit.decision(restricted: patient.privacy?.restricted != false)
        }
        return .denied(firstFailure ?? .noProxyAuthority)
    }

    private func age(_ patient: PatientIndex?, at time: Date) -> Int? {
        guard let birthDate = patient?.privacy?.birthDate, let today = try? timeZone.civilDate(at: time) else {
            return nil
        }
        return birthDate.age(on: today)
    }
}

/// Collects a permit's reasons and obligations in the documented order.
private struct PermitBuilder {
    var reasons: [DecisionReason]
    var hidden: [Access.ItemID] = []
    var alerts: [PrivacyAlert.Kind] = []
    var expiry: Date?

    init(_ first: DecisionReason) {
        reasons = [first]
        reasons.reserveCapacity(3)
    }

    mutating func end(_ date: Date?) {
        guard let date else { return }
        expiry = min(expiry ?? date, date)
    }

    func decision(restricted: Bool) -> AccessDecision {
        var obligations: [Obligation] = [.audit]
        if restricted { obligations.append(.redact(RedactedField.location)) }
        if !hidden.isEmpty { obligations.append(.hideItems(hidden)) }
        for alert in alerts { obligations.append(.alertPrivacyOfficer(alert)) }
        if let expiry { obligations.append(.expiresAt(expiry)) }
        return AccessDecision(effect: .permit, reasons: reasons, obligations: obligations)
    }
}

extension AccessDecision {
    fileprivate static func denied(_ reasons: DecisionReason...) -> AccessDecision {
        AccessDecision(effect: .deny, reasons: reasons, obligations: [.audit])
    }
}
