public import CareCore

/// One of a user's NHS role profiles: an organisation, a job role and any activities granted locally.
///
/// A smartcard user registers one or more role profiles and picks one for each session; decisions use the
/// selected profile only, never the union of a user's profiles (NHS England, "User-restricted RESTful APIs –
/// NHS CIS2 separate authentication and authorisation"). The profile's identifier is the User Role Profile
/// ID (URPID, CIS2 `person_roleid`).
public struct RoleProfile: Hashable, Sendable, Codable, Identifiable {
    /// The tag of role profile ids.
    public enum Tag: Sendable {}
    /// The identifier type of role profiles: the URPID.
    public typealias ID = EntityID<Tag>

    /// The URPID.
    public let id: ID
    /// The user who holds the profile.
    public let user: Access.UserID
    /// The organisation the profile works for (an ODS code).
    public let organisation: ODSCode
    /// The job role.
    public let jobRole: JobRoleCode
    /// Activities granted explicitly, locally or by the identity provider, before expansion.
    public let grantedActivities: Set<ActivityCode>
    /// The role's printable name, such as `"Clinical":"Clinical Provision":"Nurse Access Role"`, if known.
    public let roleName: String?

    /// Creates a role profile.
    ///
    /// - Parameters:
    ///   - id: The URPID.
    ///   - user: The user who holds it.
    ///   - organisation: The organisation.
    ///   - jobRole: The job role.
    ///   - grantedActivities: Activities granted explicitly.
    ///   - roleName: The role's printable name.
    public init(
        id: ID,
        user: Access.UserID,
        organisation: ODSCode,
        jobRole: JobRoleCode,
        grantedActivities: Set<ActivityCode> = [],
        roleName: String? = nil
    ) {
        self.id = id
        self.user = user
        self.organisation = organisation
        self.jobRole = jobRole
        self.grantedActivities = grantedActivities
        self.roleName = roleName
    }
}

/// A user's session acting under one selected role profile, with its effective activities worked out once.
///
/// Make a session with ``init(profile:catalogue:)`` when the user picks a profile; every decision of the
/// session then reads the expanded activity set instead of walking the includes graph again.
public struct AccessSession: Hashable, Sendable {
    /// The selected role profile.
    public let profile: RoleProfile
    /// The profile's activities: the job role's baseline, the granted activities and everything they include.
    public let effectiveActivities: Set<ActivityCode>
    /// A fingerprint of the catalogue the activities were expanded with, so that a decision point with a
    /// different catalogue expands them again.
    public let catalogueFingerprint: Int

    /// Opens a session under a role profile.
    ///
    /// - Parameters:
    ///   - profile: The profile the user selected.
    ///   - catalogue: The RBAC reference data, used to expand the profile's activities.
    public init(profile: RoleProfile, catalogue: ActivityCatalogue) {
        self.profile = profile
        self.effectiveActivities = catalogue.effectiveActivities(of: profile)
        self.catalogueFingerprint = catalogue.hashValue
    }

    /// The user acting.
    public var user: Access.UserID { profile.user }
}
