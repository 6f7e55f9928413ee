public import CareCore
public import Foundation

/// A random but repeatable policy with many roles, activities, patients and consent directives, and random
/// requests against it, for differential tests and benchmarks.
///
/// Everything comes from the generator passed in, so a seed gives the same policy every run. The policy
/// uses the default ``AccessRules``; generated activities include the real activities those rules name often
/// enough that requests are permitted as well as denied, and consent trees, proxies, grants and protected
/// items are dense enough that every rule of ``PolicyDecisionPoint`` is exercised.
public struct SyntheticAccessPolicy: Sendable {
    /// The facts.
    public let facts: AccessFacts
    /// Sessions of staff under random role profiles.
    public let sessions: [AccessSession]
    /// The patients.
    public let patients: [Access.PatientID]
    /// People who hold, or lack, proxy authorities.
    public let proxies: [Access.PersonID]
    /// The instant around which every period and request time falls.
    public let referenceTime: Date

    private let authorities: [ProxyAuthority]
    private let grants: [BreakGlassGrant]
    private let sessionsByProfile: [RoleProfile.ID: AccessSession]

    /// Generates a policy.
    ///
    /// - Parameters:
    ///   - roles: How many job roles.
    ///   - activities: How many activities.
    ///   - directives: How many consent directives.
    ///   - patients: How many patients.
    ///   - sessions: How many staff sessions.
    ///   Counts below 1 are taken as 1.
    ///   - generator: The source of randomness; pass a seeded generator for repeatable runs.
    public init(
        roles: Int = 200,
        activities: Int = 1_000,
        directives: Int = 10_000,
        patients: Int = 2_000,
        sessions: Int = 100,
        using generator: inout some RandomNumberGenerator
    ) {
        let (patients, sessions) = (max(1, patients), max(1, sessions))
        let reference = Date(timeIntervalSince1970: 1_790_000_000)
        referenceTime = reference
        let ruleActivities =
            AccessRules.nhsDefault.requirements.values.flatMap { $0 }
            + AccessRules.nhsDefault.breakGlassActivities
        let realActivities = Array(Set(ruleActivities)).sorted()
        var catalogue = ActivityCatalogue.nhsDefault
        let generated = (0..<activities).map { index in Self.activityCode(index) }
        for (index, code) in generated.enumerated() {
            catalogue.add(activity: code, name: "Synthetic activity \(index)")
            for _ in 0..<Int.random(in: 0...2, using: &generator) {
                if Int.random(in: 0..<10, using: &generator) < 3,
                    let real = realActivities.randomElement(using: &generator)
                {
                    catalogue.add(code, includes: real)
                } else if let other = generated.randomElement(using: &generator) {
                    catalogue.add(code, includes: other)
                }
            }
        }
        let roleCodes = (0..<roles).map { Self.roleCode($0) }
        for (index, role) in roleCodes.enumerated() {
            catalogue.add(role: role, name: "Synthetic role \(index)")
            let baseline = (0..<Int.random(in: 0...4, using: &generator)).compactMap { _ in
                generated.randomElement(using: &generator)
            }
            catalogue.grant(baseline, to: role)
        }
        var facts = AccessFacts(catalogue: catalogue, rules: .nhsDefault)

        let organisations = Self.organisations
        var made: [AccessSession] = []
        for index in 0..<sessions {
            let granted = (0..<Int.random(in: 1...4, using: &generator)).compactMap { _ in
                Int.random(in: 0..<10, using: &generator) < 3
                    ? generated.randomElement(using: &generator) : realActivities.randomElement(using: &generator)
            }
            let profile = RoleProfile(
                id: RoleProfile.ID(unchecked: "urp-\(index)"),
                user: Access.UserID(unchecked: "user-\(index % max(1, sessions / 2))"),
                organisation: organisations[index % organisations.count],
                jobRole: roleCodes.randomElement(using: &generator) ?? Self.roleCode(0),
                grantedActivities: Set(granted)
            )
            made.append(AccessSession(profile: profile, catalogue: catalogue))
        }
        self.sessions = made

        let patientIDs = (0..<patients).map { Access.PatientID(unchecked: "patient-\($0)") }
        self.patients = patientIDs
        let people = (0..<max(1, patients / 10)).map { Access.PersonID(unchecked: "person-\($0)") }
        self.proxies = people
        func moment(_ days: ClosedRange<Int>) -> Date {
            Self.moment(days, around: reference, using: &generator)
        }
        func period() -> ValidityPeriod {
            Self.period(around: reference, using: &generator)
        }
        for patient in patientIDs {
            let birth = CivilDate.random(aroundYearsBefore: reference, using: &generator)
            facts.record(
                PatientPrivacy(
                    patient: patient,
                    restricted: Int.random(in: 0..<20, using: &generator) == 0,
                    nationalDataOptOut: Int.random(in: 0..<8, using: &generator) == 0,
                    type1OptOut: Int.random(in: 0..<15, using: &generator) == 0,
                    registeredPractice: organisations.randomElement(using: &generator),
                    birthDate: Int.random(in: 0..<30, using: &generator) == 0 ? nil : birth
                )
            )
            for number in 0..<Int.random(in: 1...4, using: &generator) {
                let kind = LegitimateRelationship.Kind.allCases.randomElement(using: &generator) ?? .careTeam
                let party: LegitimateRelationship.Party =
                    Int.random(in: 0..<10, using: &generator) < 7
                    ? .organisation(organisations.randomElement(using: &generator) ?? organisations[0])
                    : .user(made.randomElement(using: &generator)?.user ?? made[0].user)
                let start = moment(-400...30)
                let expiry: Date? =
                    kind == .registeredPractice && Bool.random(using: &generator) ? nil : moment(-20...400)
                if let relationship = try? LegitimateRelationship(
                    id: .init(unchecked: "rel-\(patient.rawValue)-\(number)"),
                    patient: patient,
                    party: party,
                    kind: kind,
                    start: start,
                    expiry: expiry.map { max($0, start) }
                ) {
                    facts.record(relationship)
                }
            }
            for number in 0..<Int.random(in: 0...2, using: &generator) {
                let hiddenRoles = Set(
                    (0..<Int.random(in: 0...3, using: &generator)).compactMap { _ in
                        made.randomElement(using: &generator)?.profile.jobRole
                    }
                )
                facts.record(
                    ProtectedItem(
                        id: .init(unchecked: "item-\(patient.rawValue)-\(number)"),
                        patient: patient,
                        dataClass: Self.dataClasses.randomElement(using: &generator) ?? .carePlan,
                        reason: ProtectedItem.Reason.allCases.randomElement(using: &generator) ?? .safeguarding,
                        hiddenFromRoles: hiddenRoles,
                        hiddenFromPatient: Int.random(in: 0..<4, using: &generator) == 0,
                        hiddenFromProxies: Int.random(in: 0..<3, using: &generator) == 0,
                        withheldUntilDiscussed: Bool.random(using: &generator),
                        discussed: Bool.random(using: &generator) ? moment(-20...20) : nil
                    )
                )
            }
            if Int.random(in: 0..<3, using: &generator) == 0 {
                for number in 0..<Int.random(in: 1...2, using: &generator) {
                    let basis = ProxyAuthority.Basis.allCases.randomElement(using: &generator) ?? .patientConsent
                    let classes = Set(
                        (0..<Int.random(in: 0...2, using: &generator)).compactMap { _ in
                            Self.dataClasses.randomElement(using: &generator)
                        }
                    )
                    let actions: Set<AccessAction> = Bool.random(using: &generator) ? [.read] : [.read, .update]
                    if let authority = try? ProxyAuthority(
                        id: .init(unchecked: "proxy-\(patient.rawValue)-\(number)"),
                        patient: patient,
                        proxy: people.randomElement(using: &generator) ?? people[0],
                        basis: basis,
                        period: period(),
                        dataClasses: classes,
                        actions: actions
                    ) {
                        facts.record(authority)
                    }
                }
            }
            if Int.random(in: 0..<4, using: &generator) == 0 {
                facts.record(
                    CompetenceAssessment(
                        patient: patient,
                        assessed: moment(-300...30),
                        competent: Bool.random(using: &generator),
                        consentsToProxyAccess: Bool.random(using: &generator)
                    )
                )
            }
            if Int.random(in: 0..<10, using: &generator) == 0, let session = made.randomElement(using: &generator) {
                let start = moment(-2...2)
                if let grant = try? BreakGlassGrant(
                    id: .init(unchecked: "grant-\(patient.rawValue)"),
                    user: session.user,
                    profile: session.profile.id,
                    patient: patient,
                    reason: .patientUnconscious,
                    justification: Redacted("synthetic"),
                    start: start,
                    expiry: start.addingTimeInterval(4 * 3_600)
                ) {
                    facts.record(grant)
                }
            }
        }
        for number in 0..<directives {
            let patient = patientIDs.randomElement(using: &generator) ?? patientIDs[0]
            let status: ConsentDirective.Status = Int.random(in: 0..<8, using: &generator) == 0 ? .inactive : .active
            facts.record(
                ConsentDirective(
                    id: .init(unchecked: "consent-\(number)"),
                    patient: patient,
                    status: status,
                    scope: Bool.random(using: &generator) ? .patientPrivacy : .research,
                    recorded: moment(-400...0),
                    provision: Self.provision(
                        depth: 0,
                        sessions: made,
                        people: people,
                        around: reference,
                        using: &generator
                    )
                )
            )
        }
        for number in 0..<6 {
            facts.record(
                DataSharingAgreement(
                    id: .init(unchecked: "dsa-\(number)"),
                    organisations: Set(organisations.shuffled(using: &generator).prefix(2)),
                    purposes: Set(
                        Self.purposes.filter { $0.category == .secondaryUse }.shuffled(using: &generator).prefix(2)
                    ),
                    dataClasses: Bool.random(using: &generator) ? [] : [.summary, .observations, .carePlan],
                    period: period()
                )
            )
        }
        self.facts = facts
        authorities = facts.proxies.values.sorted { $0.id < $1.id }
        grants = facts.grants.values.sorted { $0.id < $1.id }
        sessionsByProfile = Dictionary(made.map { ($0.profile.id, $0) }) { first, _ in first }
    }

    /// A random request: usually from staff, sometimes from a patient or a proxy, for a random patient, data
    /// class (including one no rule knows), action, purpose and time within a year of ``referenceTime``.
    ///
    /// - Parameter generator: The source of randomness.
    /// - Returns: The request.
    public func randomRequest(using generator: inout some RandomNumberGenerator) -> AccessRequest {
        // One request in five is aimed where the rarer rules live: a proxy with an authority for the patient,
        // or the holder of a break-glass grant in an emergency while it is in force.
        if Int.random(in: 0..<5, using: &generator) == 0 {
            if Bool.random(using: &generator), let authority = authorities.randomElement(using: &generator) {
                return AccessRequest(
                    .proxy(authority.proxy),
                    patient: authority.patient,
                    dataClass: Self.dataClasses.randomElement(using: &generator) ?? .carePlan,
                    action: Int.random(in: 0..<4, using: &generator) == 0 ? .update : .read,
                    purpose: Int.random(in: 0..<8, using: &generator) == 0 ? .directCare : .selfAccess,
                    time: Self.moment(-200...200, around: referenceTime, using: &generator)
                )
            }
            if let grant = grants.randomElement(using: &generator), let session = sessionsByProfile[grant.profile] {
                let start = grant.period.start ?? referenceTime
                return AccessRequest(
                    .staff(session),
                    patient: grant.patient,
                    dataClass: Self.dataClasses.randomElement(using: &generator) ?? .carePlan,
                    action: .read,
                    purpose: Int.random(in: 0..<5, using: &generator) == 0 ? .directCare : .emergency,
                    time: start.addingTimeInterval(Double(Int.random(in: -3_600...18_000, using: &generator)))
                )
            }
        }
        let patient = patients.randomElement(using: &generator) ?? patients[0]
        let requester: AccessRequest.Requester
        switch Int.random(in: 0..<10, using: &generator) {
        case 0..<6: requester = .staff(sessions.randomElement(using: &generator) ?? sessions[0])
        case 6..<8:
            requester = .patient(
                Bool.random(using: &generator) ? patient : patients.randomElement(using: &generator) ?? patient
            )
        default: requester = .proxy(proxies.randomElement(using: &generator) ?? proxies[0])
        }
        let offset = Double(Int.random(in: -365 * 86_400...365 * 86_400, using: &generator))
        return AccessRequest(
            requester,
            patient: patient,
            dataClass: Self.dataClasses.randomElement(using: &generator) ?? .carePlan,
            action: Int.random(in: 0..<4, using: &generator) == 0 ? .update : .read,
            purpose: Self.purposes.randomElement(using: &generator) ?? .directCare,
            time: referenceTime.addingTimeInterval(offset)
        )
    }

    // MARK: Pieces

    private static let organisations: [ODSCode] = ["RK9", "REF", "A81001", "Y05", "RA8", "B82005"].compactMap {
        ODSCode($0)
    }
    private static let dataClasses: [DataClass] = DataClass.standard + [DataClass(rawValue: "unconfigured")]
    private static let purposes: [PurposeOfUse] = [
        .directCare, .directCare, .emergency, .research, .planning, .selfAccess, .selfAccess,
    ]

    private static func moment(
        _ days: ClosedRange<Int>,
        around reference: Date,
        using generator: inout some RandomNumberGenerator
    ) -> Date {
        reference.addingTimeInterval(Double(Int.random(in: days, using: &generator)) * 86_400)
    }

    private static func period(
        around reference: Date,
        using generator: inout some RandomNumberGenerator
    ) -> ValidityPeriod {
        let start: Date? = Bool.random(using: &generator) ? moment(-400...0, around: reference, using: &generator) : nil
        let end: Date? =
            Int.random(in: 0..<3, using: &generator) == 0
            ? nil : moment(-30...400, around: reference, using: &generator)
        if let start, let end, end < start { return (try? ValidityPeriod(from: end, until: start)) ?? .always }
        return (try? ValidityPeriod(from: start, until: end)) ?? .always
    }

    private static func activityCode(_ index: Int) -> ActivityCode {
        ActivityCode(unchecked: "B\(10_000 + index)")
    }

    private static func roleCode(_ index: Int) -> JobRoleCode {
        JobRoleCode(unchecked: "R\(10_000 + index)")
    }

    private static func provision(
        depth: Int,
        sessions: [AccessSession],
        people: [Access.PersonID],
        around reference: Date,
        using generator: inout some RandomNumberGenerator
    ) -> ConsentProvision {
        var actors = Set<ConsentProvision.Actor>()
        if Int.random(in: 0..<3, using: &generator) == 0, let session = sessions.randomElement(using: &generator) {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: actors.insert(.user(session.user))
            case 1: actors.insert(.organisation(session.profile.organisation))
            case 2: actors.insert(.jobRole(session.profile.jobRole))
            default: actors.insert(.proxy(people.randomElement(using: &generator) ?? people[0]))
            }
        }
        let purposes: Set<PurposeOfUse> =
            Int.random(in: 0..<3, using: &generator) == 0
            ? [purposes.randomElement(using: &generator) ?? .research] : []
        let classes: Set<DataClass> =
            Bool.random(using: &generator) ? [dataClasses.randomElement(using: &generator) ?? .carePlan] : []
        let actions: Set<AccessAction> = Int.random(in: 0..<4, using: &generator) == 0 ? [.update] : []
        let children =
            depth < 3
            ? (0..<Int.random(in: 0...2, using: &generator)).map { _ in
                provision(depth: depth + 1, sessions: sessions, people: people, around: reference, using: &generator)
            } : []
        return ConsentProvision(
            Bool.random(using: &generator) ? .permit : .deny,
            period: Int.random(in: 0..<4, using: &generator) == 0
                ? period(around: reference, using: &generator) : .always,
            actors: actors,
            purposes: purposes,
            dataClasses: classes,
            actions: actions,
            provisions: children
        )
    }
}

extension CivilDate {
    /// A random date of birth between 0 and 95 years before an instant, weighted so that children, for whom
    /// the age rules are most detailed, are common.
    fileprivate static func random(
        aroundYearsBefore instant: Date,
        using generator: inout some RandomNumberGenerator
    ) -> CivilDate? {
        let years =
            Bool.random(using: &generator)
            ? Int.random(in: 0...18, using: &generator) : Int.random(in: 0...95, using: &generator)
        let days = years * 365 + Int.random(in: 0..<365, using: &generator)
        let date = instant.addingTimeInterval(-Double(days) * 86_400)
        return try? CivilDate(daysSinceUnixEpoch: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
