public import CareCore

/// One rule of a consent directive: permit or deny, for the requests it matches, with nested exceptions.
///
/// Modelled on FHIR R4 `Consent.provision` (http://hl7.org/fhir/R4/consent.html): a provision has a `type`
/// (`deny` or `permit`), a `period`, `actor`s, `action`s, `purpose`s and data `class`es, and nested
/// `provision`s. An empty condition matches everything; a provision matches a request when every condition
/// does. The root's type is the directive's base decision and nested provisions are exceptions to their
/// parent, so the deepest matching provision decides; where matching siblings disagree, deny wins.
public struct ConsentProvision: Hashable, Sendable, Codable {
    /// Whether a provision permits or denies: FHIR `consent-provision-type`.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Deny the requests the provision matches.
        case deny
        /// Permit the requests the provision matches.
        case permit
    }

    /// Someone a provision names: FHIR `Consent.provision.actor.reference`, widened to job roles.
    public enum Actor: Hashable, Sendable, Codable {
        /// One member of staff.
        case user(Access.UserID)
        /// Anyone acting under a profile of an organisation.
        case organisation(ODSCode)
        /// Anyone acting under a profile with a job role.
        case jobRole(JobRoleCode)
        /// A proxy acting for the patient.
        case proxy(Access.PersonID)
    }

    /// Permit or deny.
    public var type: Kind
    /// When the provision applies to requests.
    public var period: ValidityPeriod
    /// Who it applies to; empty for everyone.
    public var actors: Set<Actor>
    /// The purposes it applies to, by `ActReason` code; empty for every purpose.
    public var purposes: Set<String>
    /// The data classes it applies to; empty for every class.
    public var dataClasses: Set<DataClass>
    /// The actions it applies to; empty for every action.
    public var actions: Set<AccessAction>
    /// Exceptions to this provision.
    public var provisions: [ConsentProvision]

    /// Creates a provision.
    ///
    /// - Parameters:
    ///   - type: Permit or deny.
    ///   - period: When it applies.
    ///   - actors: Who it applies to; empty for everyone.
    ///   - purposes: The purposes it applies to; empty for all.
    ///   - dataClasses: The data classes it applies to; empty for all.
    ///   - actions: The actions it applies to; empty for all.
    ///   - provisions: Nested exceptions.
    public init(
        _ type: Kind,
        period: ValidityPeriod = .always,
        actors: Set<Actor> = [],
        purposes: Set<PurposeOfUse> = [],
        dataClasses: Set<DataClass> = [],
        actions: Set<AccessAction> = [],
        provisions: [ConsentProvision] = []
    ) {
        self.type = type
        self.period = period
        self.actors = actors
        self.purposes = Set(purposes.map(\.code))
        self.dataClasses = dataClasses
        self.actions = actions
        self.provisions = provisions
    }

    /// The depth of the deepest nested provision, counting this one as 1.
    public var depth: Int {
        1 + (provisions.map(\.depth).max() ?? 0)
    }
}

/// Where a provision sits in its directive's tree: the indices from the root's children down, empty for the
/// root itself.
public struct ProvisionPath: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The child indices from the root down.
    public let indices: [Int]

    /// Creates a path.
    ///
    /// - Parameter indices: The child indices from the root down.
    public init(_ indices: [Int]) {
        self.indices = indices
    }

    /// The path in FHIR element form, such as `provision.provision[1].provision[0]`.
    public var description: String {
        indices.reduce("provision") { "\($0).provision[\($1)]" }
    }

    /// Orders paths lexicographically by index.
    ///
    /// - Parameters:
    ///   - lhs: A path.
    ///   - rhs: Another path.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: ProvisionPath, rhs: ProvisionPath) -> Bool {
        lhs.indices.lexicographicallyPrecedes(rhs.indices)
    }
}
