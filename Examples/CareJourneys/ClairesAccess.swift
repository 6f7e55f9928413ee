import CareCore
import CareStore
import ConsentAccess
import Foundation

/// Who may reach Claire's record: her practice by registration, the ambulance crew by attending her, the
/// community nursing team once the hospital discharges her to them, a safeguarding note her plan holds that
/// the crew's role must not see, and an audit log Claire can read.
struct ClairesAccess {
    let control: AccessControl
    let log: AuditLog
    let store: JourneyStore
    let clock: ManualWallClock
    let claire: Access.PatientID
    let crew: AccessSession
    let communityNurse: AccessSession
    let communityTrust: ODSCode
    let safeguardingNote: Access.ItemID

    /// Sets up the facts as they stand when the 999 call comes in at `callTime`.
    init(patient: String, callTime: Date, store: JourneyStore) throws {
        self.store = store
        clock = ManualWallClock(startingAt: callTime)
        claire = try Access.PatientID(validating: patient)
        let practice = try ODSCode(parsing: Journey.practice)
        var facts = AccessFacts()
        facts.record(
            PatientPrivacy(
                patient: claire,
                registeredPractice: practice,
                birthDate: try CivilDate(year: 1958, month: 7, day: 14)
            )
        )
        facts.record(
            try LegitimateRelationship(
                id: LegitimateRelationship.ID(validating: "claire-registered"),
                patient: claire,
                party: .organisation(practice),
                kind: .registeredPractice,
                start: callTime.addingTimeInterval(-5 * 365 * 86_400),
                expiry: nil
            )
        )
        // The ambulance trust's attendance starts with the 999 call and lasts twelve hours.
        let ambulanceTrust = try ODSCode(parsing: Journey.ambulanceTrust)
        facts.record(
            try LegitimateRelationship(
                id: LegitimateRelationship.ID(validating: "claire-999-attendance"),
                patient: claire,
                party: .organisation(ambulanceTrust),
                kind: .emergencyAttendance,
                start: callTime,
                expiry: callTime.addingTimeInterval(12 * 3_600)
            )
        )
        safeguardingNote = try Access.ItemID(validating: "claire-safeguarding-note")
        facts.record(
            ProtectedItem(
                id: safeguardingNote,
                patient: claire,
                dataClass: .emergencySummary,
                reason: .safeguarding,
                hiddenFromRoles: [try JobRoleCode(parsing: "R8003")],
                hiddenFromProxies: true
            )
        )
        crew = AccessSession(
            profile: RoleProfile(
                id: try RoleProfile.ID(validating: "555254240100"),
                user: try Access.UserID(validating: "910000000001"),
                organisation: ambulanceTrust,
                jobRole: try JobRoleCode(parsing: "R8003"),
                grantedActivities: [try ActivityCode(parsing: "B0370"), try ActivityCode(parsing: "B0168")]
            ),
            catalogue: facts.catalogue
        )
        communityTrust = try ODSCode(parsing: Journey.communityTrust)
        communityNurse = AccessSession(
            profile: RoleProfile(
                id: try RoleProfile.ID(validating: "555254240200"),
                user: try Access.UserID(validating: "910000000002"),
                organisation: communityTrust,
                jobRole: try JobRoleCode(parsing: "R8001"),
                grantedActivities: [try ActivityCode(parsing: "B0380")]
            ),
            catalogue: facts.catalogue
        )
        log = try AuditLog(storage: store.audit, clock: clock)
        control = AccessControl(
            decisionPoint: PolicyDecisionPoint(facts: facts, timeZone: try CivilTimeZone.europeLondon()),
            auditLog: log,
            clock: clock
        )
    }

    /// The crew's request to read the emergency summary, decided and audited.
    func crewReadsSummary() async throws -> AccessDecision {
        // The crew asks on the way, ten minutes after the call.
        clock.advance(by: .seconds(600))
        return try await control.decide(
            .staff(crew),
            patient: claire,
            dataClass: .emergencySummary,
            purpose: .emergency
        )
    }

    /// The community nurse's request to read Claire's care plan for her direct care, at a moment.
    func communityNurseReadsPlan(at moment: Date) async throws -> AccessDecision {
        clock.set(to: moment)
        return try await control.decide(
            .staff(communityNurse),
            patient: claire,
            dataClass: .carePlan,
            purpose: .directCare
        )
    }

    /// The hospital discharges Claire to the community nursing team: from `moment`, for 90 days, the team is
    /// part of her care.
    func discharge(toCommunityTeamAt moment: Date) async throws {
        await control.record(
            try LegitimateRelationship(
                id: LegitimateRelationship.ID(validating: "claire-community-care-team"),
                patient: claire,
                party: .organisation(communityTrust),
                kind: .careTeam,
                start: moment,
                expiry: moment.addingTimeInterval(90 * 86_400)
            )
        )
    }

    /// Claire's own view of who reached her record, a checkpoint, and the log's verification.
    func claireChecksHerRecord(
        at moment: Date
    ) async throws -> (
        history: [AccessHistoryEntry], verification: AuditVerification
    ) {
        clock.set(to: moment)
        let history = try await control.accessHistory(of: claire, for: .patient(claire)) ?? []
        try log.checkpoint(key: store.auditKey)
        let verification = AuditLog.verify(
            entries: try store.audit.loadEntries(),
            checkpoints: try store.audit.loadCheckpoints(),
            key: store.auditKey
        )
        return (history, verification)
    }
}
