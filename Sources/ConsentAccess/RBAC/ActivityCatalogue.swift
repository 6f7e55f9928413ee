import CareCore

/// The RBAC reference data a decision needs: job roles, activities, which activities include which, and the
/// baseline policy that gives each job role its activities.
///
/// NHS England's National RBAC Database has three parts (NHS England, "National role-based access control
/// (RBAC) for developers"): job roles (`R` codes), activities (`B` codes) and the baseline policy mapping
/// roles to activities. An activity can include others, and a check must consider them: a profile holding
/// B0825 Amend Patient Demographics may also do B0820 View Patient Demographics. ``expanding(_:)`` takes the
/// transitive closure, and cycles in loaded data do no harm.
///
/// The names and the baseline are reference data from the National RBAC Database spreadsheet, not constants:
/// ``nhsDefault`` ships the codes this library's research could verify, and a team loads the current
/// spreadsheet's content with ``init(csv:)`` and ``merging(_:)``.
public struct ActivityCatalogue: Hashable, Sendable {
    /// The job roles, by code, with their names.
    public private(set) var roles: [JobRoleCode: String]
    /// The activities, by code, with their names.
    public private(set) var activities: [ActivityCode: String]
    /// The activities each activity directly includes.
    public private(set) var includes: [ActivityCode: Set<ActivityCode>]
    /// The activities each job role carries in the baseline policy.
    public private(set) var baseline: [JobRoleCode: Set<ActivityCode>]

    /// Creates an empty catalogue.
    public init() {
        roles = [:]
        activities = [:]
        includes = [:]
        baseline = [:]
    }

    /// Adds or renames a job role.
    ///
    /// - Parameters:
    ///   - role: The role's code.
    ///   - name: The role's name.
    public mutating func add(role: JobRoleCode, name: String) {
        roles[role] = name
    }

    /// Adds or renames an activity.
    ///
    /// - Parameters:
    ///   - activity: The activity's code.
    ///   - name: The activity's name.
    public mutating func add(activity: ActivityCode, name: String) {
        activities[activity] = name
    }

    /// Records that one activity includes another.
    ///
    /// - Parameters:
    ///   - activity: The including activity.
    ///   - included: The activity it includes.
    public mutating func add(_ activity: ActivityCode, includes included: ActivityCode) {
        includes[activity, default: []].insert(included)
    }

    /// Gives a job role activities in the baseline policy.
    ///
    /// - Parameters:
    ///   - activities: The activities.
    ///   - role: The job role.
    public mutating func grant(_ activities: some Sequence<ActivityCode>, to role: JobRoleCode) {
        baseline[role, default: []].formUnion(activities)
    }

    /// This catalogue with another's entries added; where both name a code, the other's name wins.
    ///
    /// - Parameter other: The catalogue to add.
    /// - Returns: The combined catalogue.
    public func merging(_ other: ActivityCatalogue) -> ActivityCatalogue {
        var merged = self
        merged.roles.merge(other.roles) { _, new in new }
        merged.activities.merge(other.activities) { _, new in new }
        merged.includes.merge(other.includes) { old, new in old.union(new) }
        merged.baseline.merge(other.baseline) { old, new in old.union(new) }
        return merged
    }

    /// The activities given, with every activity they include, directly or through others.
    ///
    /// - Parameter granted: The activities held explicitly.
    /// - Returns: The transitive closure under ``includes``.
    /// - Complexity: O(*a* + *e*) for the *a* activities and *e* include edges reached.
    public func expanding(_ granted: some Sequence<ActivityCode>) -> Set<ActivityCode> {
        var reached = Set<ActivityCode>()
        var pending = Array(granted)
        while let next = pending.popLast() {
            guard reached.insert(next).inserted else { continue }
            if let included = includes[next] {
                pending.append(contentsOf: included)
            }
        }
        return reached
    }

    /// Every activity a role profile may perform: its job role's baseline plus its local grants, expanded.
    ///
    /// - Parameter profile: The role profile.
    /// - Returns: The effective activities.
    public func effectiveActivities(of profile: RoleProfile) -> Set<ActivityCode> {
        expanding((baseline[profile.jobRole] ?? []).union(profile.grantedActivities))
    }

    /// The name of a role, or its code when the catalogue does not know it.
    ///
    /// - Parameter role: The role.
    /// - Returns: A printable name.
    public func name(of role: JobRoleCode) -> String {
        roles[role] ?? role.rawValue
    }

    /// The name of an activity, or its code when the catalogue does not know it.
    ///
    /// - Parameter activity: The activity.
    /// - Returns: A printable name.
    public func name(of activity: ActivityCode) -> String {
        activities[activity] ?? activity.rawValue
    }
}
