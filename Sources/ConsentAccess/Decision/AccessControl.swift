public import CareCore
public import Foundation

/// Access control for a running service: decides every request with the clock's time, audits it before
/// answering, grants and audits break-glass, keeps privacy-officer alerts, and tells patients who reached
/// their record.
///
/// An access that cannot be audited does not go ahead: when the audit log's storage fails, the call throws
/// and no decision is returned.
///
/// ```swift
/// let control = AccessControl(decisionPoint: pdp, auditLog: log, clock: clock)
/// let decision = try await control.decide(.staff(crew), patient: claire, dataClass: .emergencySummary,
///                                         purpose: .emergency)
/// if decision.isPermitted { show(summary, hiding: decision.hiddenItems) }
/// ```
public actor AccessControl {
    /// The decision point, with every fact recorded so far.
    public private(set) var decisionPoint: PolicyDecisionPoint
    /// The audit log.
    public let auditLog: AuditLog
    private let clock: any WallClock
    private var alerts: [UInt64: PrivacyAlert] = [:]
    /// Where access control reports decisions (debug), emergency access (notice) and audit failures (error);
    /// the patient is always a redacted field.
    public let logger: CareLogger

    /// Creates access control.
    ///
    /// - Parameters:
    ///   - decisionPoint: The decision point and its facts.
    ///   - auditLog: Where decisions are recorded.
    ///   - clock: The source of request times.
    ///   - logger: Where to report; disabled unless given.
    public init(
        decisionPoint: PolicyDecisionPoint,
        auditLog: AuditLog,
        clock: any WallClock,
        logger: CareLogger = .disabled
    ) {
        self.decisionPoint = decisionPoint
        self.auditLog = auditLog
        self.clock = clock
        self.logger = logger
    }

    // MARK: Facts

    /// Records a legitimate relationship.
    ///
    /// - Parameter relationship: The relationship.
    public func record(_ relationship: LegitimateRelationship) { decisionPoint.record(relationship) }

    /// Records a consent directive.
    ///
    /// - Parameter directive: The directive.
    public func record(_ directive: ConsentDirective) { decisionPoint.record(directive) }

    /// Records a patient's privacy facts.
    ///
    /// - Parameter privacy: The facts.
    public func record(_ privacy: PatientPrivacy) { decisionPoint.record(privacy) }

    /// Records a protected item.
    ///
    /// - Parameter item: The item.
    public func record(_ item: ProtectedItem) { decisionPoint.record(item) }

    /// Records a proxy authority.
    ///
    /// - Parameter authority: The authority.
    public func record(_ authority: ProxyAuthority) { decisionPoint.record(authority) }

    /// Records a competence assessment.
    ///
    /// - Parameter assessment: The assessment.
    public func record(_ assessment: CompetenceAssessment) { decisionPoint.record(assessment) }

    /// Records a data sharing agreement.
    ///
    /// - Parameter agreement: The agreement.
    public func record(_ agreement: DataSharingAgreement) { decisionPoint.record(agreement) }

    // MARK: Deciding

    /// Decides a request made now, audits it, and raises any alert it calls for.
    ///
    /// - Parameters:
    ///   - requester: Who is asking.
    ///   - patient: Whose record.
    ///   - dataClass: Which data.
    ///   - action: Read or change.
    ///   - purpose: Why.
    /// - Returns: The decision.
    /// - Throws: ``ConsentAccessError`` with code `storageFailure` when the decision cannot be audited.
    public func decide(
        _ requester: AccessRequest.Requester,
        patient: Access.PatientID,
        dataClass: DataClass,
        action: AccessAction = .read,
        purpose: PurposeOfUse
    ) throws(ConsentAccessError) -> AccessDecision {
        let request = AccessRequest(
            requester,
            patient: patient,
            dataClass: dataClass,
            action: action,
            purpose: purpose,
            time: clock.now()
        )
        return try decide(request)
    }

    /// Decides a request built with the clock's time, so that no caller can date a request back into a
    /// grant or relationship that has since ended.
    private func decide(_ request: AccessRequest) throws(ConsentAccessError) -> AccessDecision {
        let decision = decisionPoint.decide(request)
        let entry = try audited(AuditRecord(request, decision))
        logger.log(
            .debug,
            module: "ConsentAccess",
            "access decided",
            [
                .init("effect", .text(decision.effect.rawValue)), .init("dataClass", .text(request.dataClass.rawValue)),
                .init("purpose", .text(request.purpose.code)), .init("patient", .patient(request.patient.description)),
                .init("audit", .integer(Int(entry.sequence))),
            ]
        )
        if case .staff(let session) = request.requester {
            for case .alertPrivacyOfficer(let kind) in decision.obligations {
                raise(kind, entry: entry, profile: session.profile)
            }
        }
        return decision
    }

    // MARK: Break-glass

    /// Grants emergency access to one patient's record, audits the grant and alerts the privacy officer.
    ///
    /// The profile's activities are counted as decisions count them, with the decision point's catalogue
    /// (``PolicyDecisionPoint/activities(of:)``), so a grant is made only to a profile whose emergency requests
    /// can rely on it: a session opened with another catalogue is expanded again first.
    ///
    /// - Parameters:
    ///   - session: The user's session; its profile must hold a break-glass activity (B0168 or B0082 by
    ///     default) under the decision point's catalogue.
    ///   - patient: The patient.
    ///   - reason: Why.
    ///   - justification: The user's own words.
    ///   - duration: How long, in seconds; at most ``AccessRules/maximumBreakGlassDuration``.
    ///   - id: The grant's identifier.
    /// - Returns: The grant.
    /// - Throws: ``ConsentAccessError`` with code `notPermitted` when the profile holds no break-glass
    ///   activity, `invalidValue` for a blank justification or a duration that is not positive or too long,
    ///   or `storageFailure` when the grant cannot be audited (it is then not granted).
    public func breakGlass(
        session: AccessSession,
        patient: Access.PatientID,
        reason: BreakGlassGrant.Reason,
        justification: Redacted<String>,
        duration: TimeInterval,
        id: BreakGlassGrant.ID
    ) throws(ConsentAccessError) -> BreakGlassGrant {
        let rules = decisionPoint.facts.rules
        // The decision point's own expansion, never the session's: the two differ for a session opened with
        // another catalogue, and a grant the decisions would ignore must not be audited and alerted.
        let activities = decisionPoint.activities(of: session)
        guard rules.breakGlassActivities.contains(where: activities.contains) else {
            throw ConsentAccessError(
                .notPermitted,
                field: FieldPath("profile"),
                reason: "the selected profile holds no emergency-access activity"
            )
        }
        guard duration > 0, duration <= rules.maximumBreakGlassDuration else {
            throw ConsentAccessError(
                .invalidValue,
                field: FieldPath("duration"),
                reason: "emergency access must last more than zero and at most the configured maximum"
            )
        }
        let now = clock.now()
        let grant = try BreakGlassGrant(
            id: id,
            user: session.user,
            profile: session.profile.id,
            patient: patient,
            reason: reason,
            justification: justification,
            start: now,
            expiry: now.addingTimeInterval(duration)
        )
        let profile = session.profile
        let entry = try audited(
            AuditRecord(
                event: .breakGlass,
                actor: .staff(profile.user, profile.id, profile.organisation, profile.jobRole),
                patient: patient,
                purpose: PurposeOfUse.emergency.code,
                reasons: [.breakGlass(grant.id)]
            )
        )
        decisionPoint.record(grant)
        raise(.breakGlass, entry: entry, profile: profile)
        logger.log(
            .notice,
            module: "ConsentAccess",
            "emergency access granted",
            [
                .init("grant", .text(grant.id.description)), .init("profile", .text(profile.id.description)),
                .init("seconds", .number(duration)), .init("patient", .patient(patient.description)),
                .init("audit", .integer(Int(entry.sequence))),
            ]
        )
        return grant
    }

    /// Appends to the audit log, reporting a failure before it is thrown.
    @discardableResult
    private func audited(_ record: AuditRecord) throws(ConsentAccessError) -> AuditEntry {
        do {
            return try auditLog.append(record)
        } catch {
            logger.log(
                .error,
                module: "ConsentAccess",
                "an access could not be audited and did not go ahead",
                [.init("event", .text(record.event.rawValue)), .init("code", .text(error.code.rawValue))]
            )
            throw error
        }
    }

    // MARK: Alerts

    /// The alerts waiting for a privacy officer, oldest first.
    public var openAlerts: [PrivacyAlert] {
        alerts.values.sorted { $0.id < $1.id }
    }

    /// Marks an alert reviewed, by a privacy officer, and audits the review.
    ///
    /// - Parameters:
    ///   - alert: The alert's identifier.
    ///   - session: The reviewer's session; its profile must hold B0015 or B0016.
    /// - Throws: ``ConsentAccessError`` with code `notFound` for an unknown or already reviewed alert,
    ///   `notPermitted` when the profile cannot receive alerts or the alert is about the reviewer's own access, or `storageFailure` when the review cannot be
    ///   audited.
    public func review(alert: UInt64, by session: AccessSession) throws(ConsentAccessError) {
        guard let open = alerts[alert] else {
            throw ConsentAccessError(.notFound, field: FieldPath("alert"), reason: "no open alert has this number")
        }
        let receiving = ["B0015", "B0016"].compactMap { ActivityCode($0) }
        guard receiving.contains(where: decisionPoint.activities(of: session).contains) else {
            throw ConsentAccessError(
                .notPermitted,
                field: FieldPath("profile"),
                reason: "the selected profile cannot receive privacy alerts"
            )
        }
        guard session.user != open.user else {
            throw ConsentAccessError(
                .notPermitted,
                field: FieldPath("profile"),
                reason: "an alert about a user's own access is reviewed by someone else"
            )
        }
        let profile = session.profile
        try audited(
            AuditRecord(
                event: .alertReviewed,
                actor: .staff(profile.user, profile.id, profile.organisation, profile.jobRole),
                patient: open.patient
            )
        )
        alerts[alert] = nil
    }

    // MARK: The patient's view

    /// Who reached a patient's record, when and why, for the patient or someone allowed to see it.
    ///
    /// The request is itself decided (data class ``DataClass/accessHistory``) and audited.
    ///
    /// Every entry about the patient is listed, but the history does not tell a patient or a proxy which data
    /// an entry was about when that would show them something withheld from them. At the time of asking, an
    /// entry about a data class that holds a ``ProtectedItem`` withheld from the requester (see
    /// ``ProtectedItem/isHiddenFromPatient(at:)`` and ``ProtectedItem/isHiddenFromProxies(at:)``), or, for a
    /// proxy, about any class the proxy may not read then (safeguarding unless their authority names it), says
    /// `read record` instead of, say, `read safeguarding`. Staff allowed to read the history (B0011 by default) see every class.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - requester: Who is asking: the patient, a proxy, or staff with B0011.
    ///   - purpose: Why; ``PurposeOfUse/selfAccess`` for the patient or a proxy.
    /// - Returns: The history, oldest first, or `nil` when the request is denied.
    /// - Throws: ``ConsentAccessError`` with code `storageFailure` when the request cannot be audited or the
    ///   log cannot be read.
    public func accessHistory(
        of patient: Access.PatientID,
        for requester: AccessRequest.Requester,
        purpose: PurposeOfUse = .selfAccess
    ) throws(ConsentAccessError) -> [AccessHistoryEntry]? {
        let request = AccessRequest(
            requester,
            patient: patient,
            dataClass: .accessHistory,
            purpose: purpose,
            time: clock.now()
        )
        let decision = try decide(request)
        guard decision.isPermitted else { return nil }
        let catalogue = decisionPoint.facts.catalogue
        let entries = try auditLog.entries(about: patient)
        let mentioned = Set(entries.compactMap(\.dataClass))
        let withheld = classesWithheld(from: requester, about: patient, at: request.time, mentioned: mentioned)
        return entries.map { AccessHistoryEntry($0, catalogue: catalogue, withholding: withheld) }
    }

    /// The data classes whose names an access history must not show a requester at an instant: for the
    /// patient, each class holding an item withheld from the patient; for a proxy, each class holding an item
    /// withheld from proxies, and each class the history mentions (and safeguarding) that the proxy may not
    /// read then; for staff, none.
    private func classesWithheld(
        from requester: AccessRequest.Requester,
        about patient: Access.PatientID,
        at time: Date,
        mentioned: Set<DataClass>
    ) -> Set<DataClass> {
        let isWithheld: (ProtectedItem) -> Bool
        switch requester {
        case .staff: return []
        case .patient: isWithheld = { $0.isHiddenFromPatient(at: time) }
        case .proxy: isWithheld = { $0.isHiddenFromProxies(at: time) }
        }
        var withheld = Set<DataClass>()
        for (dataClass, items) in decisionPoint.items(of: patient) where items.contains(where: isWithheld) {
            withheld.insert(dataClass)
        }
        if case .proxy = requester {
            for dataClass in mentioned.union([.safeguarding]) where !withheld.contains(dataClass) {
                let read = AccessRequest(
                    requester,
                    patient: patient,
                    dataClass: dataClass,
                    purpose: .selfAccess,
                    time: time
                )
                // Asked of the decision point without auditing it: nothing is read and the answer is never shown.
                if !decisionPoint.decide(read).isPermitted { withheld.insert(dataClass) }
            }
        }
        return withheld
    }

    private func raise(_ kind: PrivacyAlert.Kind, entry: AuditEntry, profile: RoleProfile) {
        alerts[entry.sequence] = PrivacyAlert(
            id: entry.sequence,
            kind: kind,
            user: profile.user,
            profile: profile.id,
            patient: entry.patient,
            raised: entry.recorded
        )
    }
}

/// One line of a patient's access history: who, when, what, why and the outcome, in words a patient reads.
public struct AccessHistoryEntry: Hashable, Sendable {
    /// When.
    public let time: Date
    /// Who, as a role and organisation (`Nurse Access Role at RK9`), `You` or `Someone acting for you`.
    public let who: String
    /// What happened: `read care-plan`, `read record` when the data class is withheld from the reader,
    /// `emergency access granted`, `privacy officer review`.
    public let what: String
    /// Why, by `ActReason` code, if recorded.
    public let purpose: String?
    /// Whether it was allowed, for a decision.
    public let effect: AccessDecision.Effect?
    /// Whether it relied on emergency access.
    public let emergency: Bool

    /// Describes an audit entry.
    ///
    /// An entry about a data class in `withheld` is described without the class (`read record`), so that the
    /// reader learns that an access happened but not that withheld data exists or was reached.
    ///
    /// - Parameters:
    ///   - entry: The entry.
    ///   - catalogue: The RBAC reference data, for role names.
    ///   - withheld: The data classes the reader must not be told about; by default, none.
    public init(_ entry: AuditEntry, catalogue: ActivityCatalogue, withholding withheld: Set<DataClass> = []) {
        time = entry.recorded
        switch entry.actor {
        case .staff(_, _, let organisation, let role): who = "\(catalogue.name(of: role)) at \(organisation)"
        case .patient: who = "You"
        case .proxy: who = "Someone acting for you"
        }
        switch entry.event {
        case .decision:
            var shown = entry.dataClass
            if let dataClass = shown, withheld.contains(dataClass) { shown = nil }
            what = "\(entry.action?.rawValue ?? "reach") \(shown?.rawValue ?? "record")"
        case .breakGlass: what = "emergency access granted"
        case .alertReviewed: what = "privacy officer review"
        }
        purpose = entry.purpose
        effect = entry.effect
        emergency = entry.reasons.contains {
            if case .breakGlass = $0 { return true }
            return false
        }
    }
}
