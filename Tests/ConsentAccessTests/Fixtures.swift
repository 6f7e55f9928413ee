import CareCore
import ConsentAccess
import Foundation
import Testing

/// Shared people, places and times for the access tests.
enum Fixtures {
    /// 2026-11-25T10:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_795_600_800)
    static let day: TimeInterval = 86_400

    static func code(_ text: String) throws -> ActivityCode { try ActivityCode(parsing: text) }
    static func role(_ text: String) throws -> JobRoleCode { try JobRoleCode(parsing: text) }
    static func ods(_ text: String) throws -> ODSCode { try ODSCode(parsing: text) }
    static func patient(_ text: String) throws -> Access.PatientID { try Access.PatientID(validating: text) }
    static func person(_ text: String) throws -> Access.PersonID { try Access.PersonID(validating: text) }

    /// A session for a profile with explicitly granted activities, expanded with the default catalogue.
    static func session(
        _ name: String,
        organisation: String,
        role: String,
        activities: [String],
        catalogue: ActivityCatalogue = .nhsDefault
    ) throws -> AccessSession {
        let profile = RoleProfile(
            id: try RoleProfile.ID(validating: "urp-\(name)"),
            user: try Access.UserID(validating: "user-\(name)"),
            organisation: try ods(organisation),
            jobRole: try self.role(role),
            grantedActivities: Set(try activities.map(code))
        )
        return AccessSession(profile: profile, catalogue: catalogue)
    }

    /// A GP at practice A81001 who can read and amend the detailed record.
    static func gp() throws -> AccessSession {
        try session("gp", organisation: "A81001", role: "R8000", activities: ["B0380", "B8029", "B0370", "B0825"])
    }

    /// An ambulance clinician at RYF who can view summaries and use emergency access.
    static func crew() throws -> AccessSession {
        try session("crew", organisation: "RYF", role: "R8003", activities: ["B0370", "B0168"])
    }

    /// A receptionist at the practice who manages appointments and demographics.
    static func receptionist() throws -> AccessSession {
        try session("reception", organisation: "A81001", role: "R8009", activities: ["B0560", "B0820"])
    }

    /// A privacy officer who receives alerts and analyses audit trails.
    static func privacyOfficer() throws -> AccessSession {
        try session("privacy", organisation: "A81001", role: "R0001", activities: ["B0015", "B0016", "B0011"])
    }

    /// A researcher at a trust.
    static func researcher() throws -> AccessSession {
        try session("research", organisation: "REF", role: "R8012", activities: ["B0370"])
    }

    static func relationship(
        _ id: String,
        patient: Access.PatientID,
        organisation: String,
        kind: LegitimateRelationship.Kind = .careTeam,
        from start: Date = now - 30 * day,
        until expiry: Date? = now + 30 * day
    ) throws -> LegitimateRelationship {
        try LegitimateRelationship(
            id: try LegitimateRelationship.ID(validating: id),
            patient: patient,
            party: .organisation(try ods(organisation)),
            kind: kind,
            start: start,
            expiry: expiry
        )
    }

    static func decisionPoint(_ facts: AccessFacts) throws -> PolicyDecisionPoint {
        PolicyDecisionPoint(facts: facts, timeZone: try CivilTimeZone.europeLondon())
    }

    /// Decides with both evaluators and checks that they agree.
    static func decide(
        _ facts: AccessFacts,
        _ request: AccessRequest,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> AccessDecision {
        let zone = try CivilTimeZone.europeLondon()
        let decision = PolicyDecisionPoint(facts: facts, timeZone: zone).decide(request)
        let reference = ReferencePolicyEvaluator(facts: facts, timeZone: zone).decide(request)
        #expect(decision == reference, "the reference evaluator disagrees", sourceLocation: sourceLocation)
        #expect(decision.obligations.first == .audit, "every decision is audited", sourceLocation: sourceLocation)
        return decision
    }

    static func request(
        _ requester: AccessRequest.Requester,
        _ patient: Access.PatientID,
        _ dataClass: DataClass,
        _ action: AccessAction = .read,
        purpose: PurposeOfUse = .directCare,
        at time: Date = now
    ) -> AccessRequest {
        AccessRequest(requester, patient: patient, dataClass: dataClass, action: action, purpose: purpose, time: time)
    }
}
