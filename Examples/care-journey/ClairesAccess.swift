import CareCore
import ConsentAccess
import Foundation

/// Who may reach Claire's record: her practice by registration, the ambulance crew by attending her, a
/// safeguarding note her plan holds that the crew's role must not see, and an audit log Claire can read.
struct ClairesAccess {
    let control: AccessControl
    let log: AuditLog
    let storage: any AuditLogStorage
    let clock: ManualWallClock
    let claire: Access.PatientID
    let crew: AccessSession
    let key: AuditCheckpointKey
    let safeguardingNote: Access.ItemID

    /// Sets up the facts as they stand when the 999 call comes in at `callTime`.
    init(patient: String, practice: ODSCode, callTime: Date, seed: UInt64, storage: any AuditLogStorage) throws {
        self.storage = storage
        clock = ManualWallClock(startingAt: callTime)
        claire = try Access.PatientID(validating: patient)
        var facts = AccessFacts()
        facts.record(
            PatientPrivacy(
                patient: claire,
                registeredPractice: practice,
                birthDate: try CivilDate(year: 1958, month: 4, day: 9)
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
        // The ambulance trust's attendance starts at dispatch and lasts twelve hours.
        let ambulanceTrust = try ODSCode(parsing: "RYF")
        facts.record(
            try LegitimateRelationship(
                id: LegitimateRelationship.ID(validating: "claire-999-attendance"),
                patient: claire,
                party: .organisation(ambulanceTrust),
                kind: .emergencyAttendance,
                start: callTime.addingTimeInterval(-600),
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
        let profile = RoleProfile(
            id: try RoleProfile.ID(validating: "555254240100"),
            user: try Access.UserID(validating: "910000000001"),
            organisation: ambulanceTrust,
            jobRole: try JobRoleCode(parsing: "R8003"),
            grantedActivities: [try ActivityCode(parsing: "B0370"), try ActivityCode(parsing: "B0168")]
        )
        crew = AccessSession(profile: profile, catalogue: facts.catalogue)
        log = try AuditLog(storage: storage, clock: clock)
        control = AccessControl(
            decisionPoint: PolicyDecisionPoint(facts: facts, timeZone: try CivilTimeZone.europeLondon()),
            auditLog: log,
            clock: clock
        )
        var generator = SeededRandomNumberGenerator(seed: seed)
        key = AuditCheckpointKey.random(using: &generator)
    }

    /// The crew's request to read the emergency summary, decided and audited.
    func crewReadsSummary() async throws -> AccessDecision {
        try await control.decide(.staff(crew), patient: claire, dataClass: .emergencySummary, purpose: .emergency)
    }

    /// Claire's own view of who reached her record, a checkpoint, and the log's verification.
    func claireChecksHerRecord() async throws -> (history: [AccessHistoryEntry], verification: AuditVerification) {
        clock.advance(by: .seconds(3 * 86_400))
        let history = try await control.accessHistory(of: claire, for: .patient(claire)) ?? []
        try log.checkpoint(key: key)
        let verification = AuditLog.verify(
            entries: try storage.loadEntries(),
            checkpoints: try storage.loadCheckpoints(),
            key: key
        )
        return (history, verification)
    }
}
