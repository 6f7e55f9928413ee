public import CareCore
import Foundation

/// A deliberately simple evaluator of the same policy as ``PolicyDecisionPoint``, kept to check it.
///
/// It recomputes every activity closure from the catalogue, scans every fact for every request and walks
/// consent trees recursively, with no index and no cache, so that it can be read against the rules line by
/// line. Tests and the `Benchmarks` executable compare it with the decision point on seeded random policies
/// and requests (differential testing in the style of the Cedar authoriser's), and a team that changes the
/// policy can do the same. It is far too slow for production use.
public struct ReferencePolicyEvaluator: Sendable {
    /// The facts it reads.
    public let facts: AccessFacts
    /// The zone whose calendar dates give patients' ages.
    public let timeZone: CivilTimeZone

    /// Creates an evaluator.
    ///
    /// - Parameters:
    ///   - facts: The facts.
    ///   - timeZone: The zone of civil dates.
    public init(facts: AccessFacts, timeZone: CivilTimeZone) {
        self.facts = facts
        self.timeZone = timeZone
    }

    /// Decides a request.
    ///
    /// - Parameter request: The request.
    /// - Returns: The decision, equal to the decision point's for the same facts.
    public func decide(_ request: AccessRequest) -> AccessDecision {
        switch request.requester {
        case .staff(let session): return decideStaff(session.profile, request)
        case .patient(let patient): return decidePatient(patient, request)
        case .proxy(let person): return decideProxy(person, request)
        }
    }

    // MARK: Staff

    private func decideStaff(_ profile: RoleProfile, _ request: AccessRequest) -> AccessDecision {
        let required = facts.rules.requirements[AccessRules.Requirement(request.dataClass, request.action)] ?? []
        if required.isEmpty {
            return deny([.noActivityDefined(request.dataClass, request.action)])
        }
        let held = closure(of: profile)
        guard let activity = required.first(where: { held.contains($0) }) else {
            return deny([.activityMissing(required: required, jobRole: profile.jobRole)])
        }
        let heldReason = DecisionReason.activityHeld(activity)
        let consent = consentOutcome(request) { actor in
            switch actor {
            case .user(let user): return user == profile.user
            case .organisation(let organisation): return organisation == profile.organisation
            case .jobRole(let role): return role == profile.jobRole
            case .proxy: return false
            }
        }
        var reasons: [DecisionReason] = [heldReason]
        var ends: [Date?] = []
        var alerts: [PrivacyAlert.Kind] = []
        switch request.purpose.category {
        case .selfAccess:
            return deny([heldReason, .purposeNotAllowed(.selfAccess)])
        case .secondaryUse:
            if let consent, consent.type == .deny {
                return deny([heldReason, .consentDenies(consent.directive, consent.path)])
            }
            if let consent, consent.type == .permit, !consent.provision.purposes.isEmpty {
                reasons.append(.consentPermits(consent.directive, consent.path))
            } else {
                guard let privacy = facts.privacy[request.patient] else { return deny([heldReason, .privacyUnknown]) }
                if privacy.nationalDataOptOut { return deny([heldReason, .nationalDataOptOut]) }
                if privacy.type1OptOut { return deny([heldReason, .type1OptOut]) }
            }
            do {
                let agreement = facts.agreements.values.filter {
                    $0.organisations.contains(profile.organisation) && $0.purposes.contains(request.purpose.code)
                        && ($0.dataClasses.isEmpty || $0.dataClasses.contains(request.dataClass))
                        && $0.period.contains(request.time)
                }.min { $0.id < $1.id }
                guard let agreement else { return deny([heldReason, .noAgreement]) }
                reasons.append(.agreement(agreement.id))
                ends.append(agreement.period.end)
            }
        case .directCare, .emergency:
            let mayBreakGlass = facts.rules.breakGlassActivities.contains { held.contains($0) }
            let grant =
                request.purpose.category == .emergency && mayBreakGlass
                ? facts.grants.values.filter {
                    $0.user == profile.user && $0.profile == profile.id && $0.patient == request.patient
                        && $0.period.contains(request.time)
                        && ($0.period.end ?? .distantFuture).timeIntervalSince($0.period.start ?? .distantPast)
                            <= facts.rules.maximumBreakGlassDuration
                }.min { $0.id < $1.id } : nil
            let relationship = facts.relationships.values.filter {
                $0.patient == request.patient && $0.covers(profile, at: request.time)
            }.min { $0.id < $1.id }
            if let consent, consent.type == .deny {
                guard let grant else { return deny([heldReason, .consentDenies(consent.directive, consent.path)]) }
                reasons += [.consentDenialOverridden(consent.directive, consent.path), .breakGlass(grant.id)]
                ends.append(grant.period.end)
                alerts.append(.breakGlass)
            } else if let relationship {
                reasons.append(.relationship(relationship.id, relationship.kind))
                ends.append(relationship.period.end)
                if relationship.kind == .selfClaimed { alerts.append(.selfClaimedRelationship) }
            } else if let consent, consent.type == .permit, !consent.provision.actors.isEmpty {
                reasons.append(.consentPermits(consent.directive, consent.path))
            } else if let grant {
                reasons.append(.breakGlass(grant.id))
                ends.append(grant.period.end)
                alerts.append(.breakGlass)
            } else {
                return deny([heldReason, .noRelationship])
            }
        }
        let hidden = facts.items.values.filter {
            $0.patient == request.patient && $0.dataClass == request.dataClass
                && $0.hiddenFromRoles.contains(profile.jobRole)
        }.map(\.id)
        return permit(reasons, request: request, hidden: hidden, alerts: alerts, ends: ends)
    }

    // MARK: Patient

    private func decidePatient(_ patient: Access.PatientID, _ request: AccessRequest) -> AccessDecision {
        guard patient == request.patient else { return deny([.notOwnRecord]) }
        guard request.purpose.category == .selfAccess else {
            return deny([.purposeNotAllowed(request.purpose.category)])
        }
        if request.action == .update && !facts.rules.patientUpdatableClasses.contains(request.dataClass) {
            return deny([.actionNotAllowed])
        }
        guard let age = age(of: request.patient, at: request.time) else { return deny([.ageUnknown]) }
        var reasons: [DecisionReason] = [.ownRecord]
        if age < facts.rules.competenceAssessmentAge {
            return deny([.tooYoungForSelfAccess])
        } else if age < facts.rules.selfAccessAge {
            guard assessment(of: request.patient, at: request.time)?.competent == true else {
                return deny([.competenceNotEstablished])
            }
            reasons.append(.gillickCompetent)
        }
        let hidden = facts.items.values.filter {
            $0.patient == request.patient && $0.dataClass == request.dataClass
                && $0.isHiddenFromPatient(at: request.time)
        }.map(\.id)
        return permit(reasons, request: request, hidden: hidden, alerts: [], ends: [], redactLocation: false)
    }

    // MARK: Proxy

    private func decideProxy(_ person: Access.PersonID, _ request: AccessRequest) -> AccessDecision {
        guard request.purpose.category == .selfAccess else {
            return deny([.purposeNotAllowed(request.purpose.category)])
        }
        let authorities = facts.proxies.values.filter {
            $0.patient == request.patient && $0.proxy == person && $0.period.contains(request.time)
        }.sorted { $0.id < $1.id }
        guard !authorities.isEmpty else { return deny([.noProxyAuthority]) }
        guard let age = age(of: request.patient, at: request.time) else { return deny([.ageUnknown]) }
        let assessment = assessment(of: request.patient, at: request.time)
        var firstFailure: DecisionReason?
        for authority in authorities {
            var reasons: [DecisionReason] = [.proxyAuthority(authority.id, authority.basis)]
            var classes: Set<DataClass>? = authority.dataClasses.isEmpty ? nil : authority.dataClasses
            var failure: DecisionReason?
            let child = age < facts.rules.selfAccessAge
            let assessable = age >= facts.rules.competenceAssessmentAge
            switch authority.basis {
            case .parentalResponsibility:
                if !child {
                    failure = .basisNotValidAtAge(authority.id, authority.basis)
                } else if assessable, let assessment, assessment.competent {
                    if assessment.consentsToProxyAccess {
                        reasons.append(.gillickCompetent)
                    } else {
                        failure = .refusedByCompetentChild(authority.id)
                    }
                } else if assessable, assessment == nil {
                    reasons.append(.administrativeAccessOnly)
                    classes = (classes ?? facts.rules.administrativeClasses).intersection(
                        facts.rules.administrativeClasses
                    )
                }
            case .patientConsent:
                if child {
                    if assessable, let assessment, assessment.competent, assessment.consentsToProxyAccess {
                        reasons.append(.gillickCompetent)
                    } else {
                        failure = .basisNotValidAtAge(authority.id, authority.basis)
                    }
                }
            case .lastingPowerOfAttorney:
                if age < facts.rules.lastingPowerOfAttorneyAge {
                    failure = .basisNotValidAtAge(authority.id, authority.basis)
                }
            case .courtAppointedDeputy, .bestInterests:
                if child { failure = .basisNotValidAtAge(authority.id, authority.basis) }
            }
            if failure == nil {
                // Safeguarding data reaches a proxy only when the authority names it.
                let classAllowed =
                    classes.map { $0.contains(request.dataClass) } ?? (request.dataClass != .safeguarding)
                let actionAllowed =
                    authority.actions.contains(request.action)
                    && (request.action == .read || facts.rules.patientUpdatableClasses.contains(request.dataClass))
                if !classAllowed || !actionAllowed { failure = .outsideProxyScope(authority.id) }
            }
            if let failure {
                if firstFailure == nil { firstFailure = failure }
                continue
            }
            let consent = consentOutcome(request) { actor in
                if case .proxy(let named) = actor { return named == person }
                return false
            }
            if let consent, consent.type == .deny {
                reasons.append(.consentDenies(consent.directive, consent.path))
                return deny(reasons)
            }
            let hidden = facts.items.values.filter {
                $0.patient == request.patient && $0.dataClass == request.dataClass
                    && $0.isHiddenFromProxies(at: request.time)
            }.map(\.id)
            return permit(reasons, request: request, hidden: hidden, alerts: [], ends: [authority.period.end])
        }
        return deny([firstFailure ?? .noProxyAuthority])
    }

    // MARK: Pieces

    private func closure(of profile: RoleProfile) -> Set<ActivityCode> {
        var held = Set<ActivityCode>()
        func visit(_ code: ActivityCode) {
            guard held.insert(code).inserted else { return }
            for included in facts.catalogue.includes[code] ?? [] { visit(included) }
        }
        for code in (facts.catalogue.baseline[profile.jobRole] ?? []).union(profile.grantedActivities) {
            visit(code)
        }
        return held
    }

    private struct ConsentOutcome {
        let type: ConsentProvision.Kind
        let directive: ConsentDirective.ID
        let path: ProvisionPath
        let provision: ConsentProvision
    }

    private func consentOutcome(
        _ request: AccessRequest,
        actorMatches: (ConsentProvision.Actor) -> Bool
    ) -> ConsentOutcome? {
        func evaluate(_ provision: ConsentProvision, _ path: [Int]) -> (ConsentProvision, [Int])? {
            guard provision.period.contains(request.time),
                provision.actors.isEmpty || provision.actors.contains(where: actorMatches),
                provision.purposes.isEmpty || provision.purposes.contains(request.purpose.code),
                provision.dataClasses.isEmpty || provision.dataClasses.contains(request.dataClass),
                provision.actions.isEmpty || provision.actions.contains(request.action)
            else { return nil }
            let children = provision.provisions.enumerated().compactMap { index, child in
                evaluate(child, path + [index])
            }
            return children.first { $0.0.type == .deny } ?? children.first ?? (provision, path)
        }
        let outcomes = facts.directives.values
            .filter {
                $0.patient == request.patient && $0.status == .active
                    && ($0.scope == .patientPrivacy || $0.scope == .research)
            }
            .sorted { $0.id < $1.id }
            .compactMap { directive in
                evaluate(directive.provision, []).map {
                    ConsentOutcome(type: $0.0.type, directive: directive.id, path: ProvisionPath($0.1), provision: $0.0)
                }
            }
        return outcomes.first { $0.type == .deny } ?? outcomes.first
    }

    private func age(of patient: Access.PatientID, at time: Date) -> Int? {
        guard let birthDate = facts.privacy[patient]?.birthDate, let today = try? timeZone.civilDate(at: time) else {
            return nil
        }
        return birthDate.age(on: today)
    }

    private func assessment(of patient: Access.PatientID, at time: Date) -> CompetenceAssessment? {
        facts.assessments.filter { $0.patient == patient && $0.assessed <= time }.max {
            ($0.assessed, $0.competent ? 0 : 1, $0.consentsToProxyAccess ? 0 : 1)
                < ($1.assessed, $1.competent ? 0 : 1, $1.consentsToProxyAccess ? 0 : 1)
        }
    }

    private func deny(_ reasons: [DecisionReason]) -> AccessDecision {
        AccessDecision(effect: .deny, reasons: reasons, obligations: [.audit])
    }

    private func permit(
        _ reasons: [DecisionReason],
        request: AccessRequest,
        hidden: [Access.ItemID],
        alerts: [PrivacyAlert.Kind],
        ends: [Date?],
        redactLocation: Bool = true
    ) -> AccessDecision {
        var obligations: [Obligation] = [.audit]
        if redactLocation && facts.privacy[request.patient]?.restricted != false {
            obligations.append(.redact(RedactedField.location))
        }
        if !hidden.isEmpty { obligations.append(.hideItems(hidden.sorted())) }
        obligations += alerts.map { .alertPrivacyOfficer($0) }
        if let end = ends.compactMap({ $0 }).min() { obligations.append(.expiresAt(end)) }
        return AccessDecision(effect: .permit, reasons: reasons, obligations: obligations)
    }
}
