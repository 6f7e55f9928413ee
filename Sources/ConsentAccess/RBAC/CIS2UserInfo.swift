public import CareCore
public import Foundation

/// The role profiles in an NHS CIS2 userinfo response, read from its `nhsid_nrbac_roles` array.
///
/// Each entry carries `person_roleid` (the URPID), `org_code` (ODS), `role_code` (a triple such as
/// `S8000:G8000:R8001`, staff group : sub-group : job role), `role_name`, and `activity_codes`. CIS2 may list
/// only the activities granted explicitly ("the full set of activities … must be determined by reference to
/// the National RBAC Database"), so the profile keeps them as granted activities and ``AccessSession``
/// expands them with the catalogue's includes and baseline.
public struct CIS2UserInfo: Hashable, Sendable {
    /// The user: the response's `sub`.
    public let user: Access.UserID
    /// The user's role profiles, in the order the response lists them.
    public let profiles: [RoleProfile]

    /// Reads a userinfo response.
    ///
    /// - Parameter json: The response body.
    /// - Throws: ``ConsentAccessError`` with code `malformedDocument` naming the JSON path of a missing or
    ///   mistyped member, or `invalidCode` for a malformed role or activity code.
    public init(json: Data) throws(ConsentAccessError) {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw ConsentAccessError(.malformedDocument, field: .root, reason: "the userinfo response is not JSON")
        }
        guard let object = root as? [String: Any] else {
            throw ConsentAccessError(.malformedDocument, field: .root, reason: "the userinfo response is not an object")
        }
        let subject = try Self.string(object, "sub", at: .root)
        let user = try ConsentAccessError.parsing(at: FieldPath("sub")) { () throws(CareCoreError) in
            try Access.UserID(validating: subject)
        }
        guard let roles = object["nhsid_nrbac_roles"] as? [Any] else {
            throw ConsentAccessError(
                .malformedDocument,
                field: FieldPath("nhsid_nrbac_roles"),
                reason: "the response has no nhsid_nrbac_roles array"
            )
        }
        var profiles: [RoleProfile] = []
        for (index, entry) in roles.enumerated() {
            let path = FieldPath("nhsid_nrbac_roles").appending(index: index)
            guard let role = entry as? [String: Any] else {
                throw ConsentAccessError(.malformedDocument, field: path, reason: "a role entry is not an object")
            }
            profiles.append(try Self.profile(role, user: user, at: path))
        }
        self.user = user
        self.profiles = profiles
    }

    /// The profile with a URPID, the one the user selected for this session.
    ///
    /// - Parameter urpid: The selected URPID (CIS2 `selected_roleid`, or `ssbSessionRoleUid` in SAML).
    /// - Returns: The profile.
    /// - Throws: ``ConsentAccessError`` with code `notFound` when the user holds no such profile.
    public func profile(_ urpid: RoleProfile.ID) throws(ConsentAccessError) -> RoleProfile {
        guard let profile = profiles.first(where: { $0.id == urpid }) else {
            throw ConsentAccessError(
                .notFound,
                field: FieldPath("person_roleid"),
                reason: "the user holds no such role profile"
            )
        }
        return profile
    }

    private static func profile(
        _ role: [String: Any],
        user: Access.UserID,
        at path: FieldPath
    ) throws(ConsentAccessError) -> RoleProfile {
        let urpidText = try string(role, "person_roleid", at: path)
        let urpid = try ConsentAccessError.parsing(at: path.appending("person_roleid")) { () throws(CareCoreError) in
            try RoleProfile.ID(validating: urpidText)
        }
        let odsText = try string(role, "org_code", at: path)
        let organisation = try ConsentAccessError.parsing(at: path.appending("org_code")) { () throws(CareCoreError) in
            try ODSCode(parsing: odsText)
        }
        let triple = try string(role, "role_code", at: path)
        guard let last = triple.split(separator: ":").last else {
            throw ConsentAccessError(.invalidCode, field: path.appending("role_code"), reason: "the role code is empty")
        }
        let jobRole: JobRoleCode
        do {
            jobRole = try JobRoleCode(parsing: String(last))
        } catch {
            throw ConsentAccessError(error.code, field: path.appending("role_code"), reason: error.reason)
        }
        var activities = Set<ActivityCode>()
        if let codes = role["activity_codes"] {
            guard let list = codes as? [Any] else {
                throw ConsentAccessError(
                    .malformedDocument,
                    field: path.appending("activity_codes"),
                    reason: "activity_codes is not an array"
                )
            }
            for (index, item) in list.enumerated() {
                let itemPath = path.appending("activity_codes").appending(index: index)
                guard let text = item as? String, let code = ActivityCode(text) else {
                    throw ConsentAccessError(.invalidCode, field: itemPath, reason: "not an activity code")
                }
                activities.insert(code)
            }
        }
        return RoleProfile(
            id: urpid,
            user: user,
            organisation: organisation,
            jobRole: jobRole,
            grantedActivities: activities,
            roleName: role["role_name"] as? String
        )
    }

    private static func string(
        _ object: [String: Any],
        _ key: String,
        at path: FieldPath
    ) throws(ConsentAccessError) -> String {
        guard let value = object[key] as? String else {
            throw ConsentAccessError(
                .malformedDocument,
                field: path.appending(key),
                reason: "\(key) is missing or not a string"
            )
        }
        return value
    }
}
