import CareCore
import ConsentAccess
import Foundation
import Testing

/// Properties every decision must have, checked over seeded random policies and requests from
/// `SyntheticAccessPolicy`: no permit without a fact that permits it, no break-glass without an audit and an
/// alert, and no withheld item in a patient's or proxy's view or access history.
///
/// Each policy comes from its own fixed seed, and each test draws its requests from a generator seeded from
/// the policy's seed and a stream number; every failure names both, so it reproduces with
/// `SeededRandomNumberGenerator(seed:)`.
@Suite struct AuthorisationPropertyTests {
    /// One random policy and the seed it was generated from.
    struct SeededPolicy: Sendable {
        let seed: UInt64
        let policy: SyntheticAccessPolicy

        /// The generator of one test's requests against this policy.
        func generator(stream: UInt64) -> SeededRandomNumberGenerator {
            SeededRandomNumberGenerator(seed: seed &* 1_000 &+ stream)
        }
    }

    /// The policies, generated once for the whole suite: small, so that the suite stays well under two
    /// seconds in a debug build, and many, so that the rarer rules (proxies, grants, withheld items) come up
    /// hundreds of times.
    static let cases: [SeededPolicy] = (UInt64(1_000)..<1_200).map { seed in
        var generator = SeededRandomNumberGenerator(seed: seed)
        let policy = SyntheticAccessPolicy(
            roles: 8,
            activities: 30,
            directives: 60,
            patients: 20,
            sessions: 8,
            using: &generator
        )
        return SeededPolicy(seed: seed, policy: policy)
    }

    /// Random requests per policy.
    static let requestsPerPolicy = 60
    /// Policies whose every staff and proxy request is tried for one patient stripped of permitting facts.
    static let strippedPolicies = 20
    /// Policies run through an `AccessControl` actor with an audit log.
    static let controlPolicies = 25

    /// Every data class the module knows, and one no rule knows.
    static let dataClasses = DataClass.standard + [DataClass(rawValue: "unconfigured")]
    /// Every purpose the module names, one or more of each kind.
    static let purposes: [PurposeOfUse] = [.directCare, .emergency, .research, .planning, .publicHealth, .selfAccess]

    // MARK: a. With no permitting rule the answer is deny

    @Test func everyPermitCitesAFactThatPermitsIt() throws {
        let zone = try CivilTimeZone.europeLondon()
        var permits = 0
        for testCase in Self.cases {
            let policy = testCase.policy
            let point = PolicyDecisionPoint(facts: policy.facts, timeZone: zone)
            var generator = testCase.generator(stream: 1)
            for index in 0..<Self.requestsPerPolicy {
                let request = policy.randomRequest(using: &generator)
                let decision = point.decide(request)
                guard decision.isPermitted else { continue }
                permits += 1
                let missing = Self.missingPermittingFact(decision, request, point.facts)
                #expect(missing == nil, "seed \(testCase.seed), stream 1, request \(index): \(missing ?? "")")
                if missing != nil { return }
            }
        }
        #expect(permits > 0, "no request was permitted, so the property was not exercised")
    }

    @Test func withEveryPermittingFactRemovedEveryStaffAndProxyRequestIsDenied() throws {
        let zone = try CivilTimeZone.europeLondon()
        for testCase in Self.cases.prefix(Self.strippedPolicies) {
            let policy = testCase.policy
            var generator = testCase.generator(stream: 2)
            let patient = policy.patients.randomElement(using: &generator) ?? policy.patients[0]
            let stripped = Self.withoutPermittingFacts(policy.facts, for: patient)
            let point = PolicyDecisionPoint(facts: stripped, timeZone: zone)
            var requesters = policy.sessions.map { AccessRequest.Requester.staff($0) }
            requesters += policy.proxies.map { AccessRequest.Requester.proxy($0) }
            var permitted: [String] = []
            for requester in requesters {
                let time = Self.moment(around: policy.referenceTime, using: &generator)
                for dataClass in Self.dataClasses {
                    for action in AccessAction.allCases {
                        for purpose in Self.purposes {
                            let request = AccessRequest(
                                requester,
                                patient: patient,
                                dataClass: dataClass,
                                action: action,
                                purpose: purpose,
                                time: time
                            )
                            if point.decide(request).isPermitted {
                                permitted.append("\(action) \(dataClass) for \(purpose)")
                            }
                        }
                    }
                }
            }
            #expect(permitted.isEmpty, "seed \(testCase.seed), stream 2: permitted \(permitted.prefix(5))")
        }
    }

    @Test func withNoFactsAtAllEveryRequestIsDenied() throws {
        let point = try Fixtures.decisionPoint(AccessFacts())
        let sessions = [
            try Fixtures.gp(),
            try Fixtures.crew(),
            try Fixtures.receptionist(),
            try Fixtures.privacyOfficer(),
            try Fixtures.researcher(),
            try Fixtures.session(
                "everything",
                organisation: "RK9",
                role: "R8000",
                activities: [
                    "B0820", "B0825", "B0370", "B0380", "B8029", "B0560", "B8013", "B0020", "B0011", "B0168", "B0082",
                ]
            ),
        ]
        let patients = [try Fixtures.patient("claire"), try Fixtures.patient("lucy")]
        var requesters = sessions.map { AccessRequest.Requester.staff($0) }
        let proxies = [try Fixtures.person("mum"), try Fixtures.person("attorney")]
        requesters += proxies.map { AccessRequest.Requester.proxy($0) }
        // With no date of birth the age rules cannot be applied, so a patient is refused too.
        requesters += patients.map { AccessRequest.Requester.patient($0) }
        var permitted: [String] = []
        for patient in patients {
            for requester in requesters {
                for dataClass in Self.dataClasses {
                    for action in AccessAction.allCases {
                        for purpose in Self.purposes {
                            let decision = point.decide(
                                Fixtures.request(requester, patient, dataClass, action, purpose: purpose)
                            )
                            if decision.isPermitted || decision.obligations != [.audit] {
                                permitted.append("\(requester) \(action) \(dataClass) for \(purpose)")
                            }
                        }
                    }
                }
            }
        }
        #expect(permitted.isEmpty, "permitted: \(permitted.prefix(5))")
    }

    // MARK: b. Break-glass is never returned without an audit obligation

    @Test func aBreakGlassDecisionAlwaysCarriesTheAuditAndTheAlert() throws {
        let zone = try CivilTimeZone.europeLondon()
        var relying = 0
        for testCase in Self.cases {
            let policy = testCase.policy
            let point = PolicyDecisionPoint(facts: policy.facts, timeZone: zone)
            var generator = testCase.generator(stream: 3)
            var requests = (0..<Self.requestsPerPolicy).map { _ in policy.randomRequest(using: &generator) }
            // Aimed at the grants: their holders, in an emergency, while the grant is in force, for every class.
            for grant in policy.facts.grants.values.sorted(by: { $0.id < $1.id }) {
                guard let session = policy.sessions.first(where: { $0.profile.id == grant.profile }) else { continue }
                let start = grant.period.start ?? policy.referenceTime
                for dataClass in Self.dataClasses {
                    let offset = Double(Int.random(in: 0..<max(1, Int(grant.duration)), using: &generator))
                    requests.append(
                        AccessRequest(
                            .staff(session),
                            patient: grant.patient,
                            dataClass: dataClass,
                            purpose: .emergency,
                            time: start + offset
                        )
                    )
                }
            }
            for (index, request) in requests.enumerated() {
                let decision = point.decide(request)
                guard decision.reasons.contains(where: Self.isBreakGlass) else { continue }
                relying += 1
                #expect(
                    decision.obligations.contains(.audit)
                        && decision.obligations.contains(.alertPrivacyOfficer(.breakGlass)),
                    "seed \(testCase.seed), stream 3, request \(index): \(decision.obligations)"
                )
            }
        }
        #expect(relying > 0, "no decision relied on a grant, so the property was not exercised")
    }

    @Test func everyGrantAndEveryDecisionRelyingOnItIsInTheAuditLog() async throws {
        let zone = try CivilTimeZone.europeLondon()
        var relying = 0
        for testCase in Self.cases.prefix(Self.controlPolicies) {
            let policy = testCase.policy
            let clock = ManualWallClock(startingAt: policy.referenceTime)
            let log = try AuditLog(storage: InMemoryAuditLogStorage(), clock: clock)
            let control = AccessControl(
                decisionPoint: PolicyDecisionPoint(facts: policy.facts, timeZone: zone),
                auditLog: log,
                clock: clock
            )
            var generator = testCase.generator(stream: 4)
            let rules = policy.facts.rules
            // The policy's staff who may break the glass, and an ambulance clinician who always may.
            var sessions = policy.sessions.filter { session in
                let activities = policy.facts.catalogue.effectiveActivities(of: session.profile)
                return rules.breakGlassActivities.contains(where: activities.contains)
            }
            sessions.append(try Fixtures.crew())
            // A patient of whom nothing is known, whom only a grant lets staff reach, and one of the policy's.
            let stranger = try Fixtures.patient("no-facts")
            var number = 0
            for session in sessions {
                for patient in [stranger, policy.patients.randomElement(using: &generator) ?? stranger] {
                    number += 1
                    let grant = try await control.breakGlass(
                        session: session,
                        patient: patient,
                        reason: .immediateRiskToLife,
                        justification: Redacted("synthetic emergency"),
                        duration: 3_600,
                        id: try BreakGlassGrant.ID(validating: "grant-\(number)")
                    )
                    let granted = try #require(try log.allEntries().last)
                    #expect(
                        granted.event == .breakGlass && granted.patient == patient
                            && granted.reasons == [.breakGlass(grant.id)],
                        "seed \(testCase.seed), stream 4, grant \(number)"
                    )
                    let grantAlerts = await control.openAlerts
                    #expect(grantAlerts.contains(where: { $0.id == granted.sequence && $0.kind == .breakGlass }))
                    clock.advance(by: .seconds(60))
                    for dataClass in Self.dataClasses {
                        let decision = try await control.decide(
                            .staff(session),
                            patient: patient,
                            dataClass: dataClass,
                            purpose: .emergency
                        )
                        guard decision.reasons.contains(.breakGlass(grant.id)) else { continue }
                        relying += 1
                        let request = AccessRequest(
                            .staff(session),
                            patient: patient,
                            dataClass: dataClass,
                            purpose: .emergency,
                            time: clock.now()
                        )
                        let audited = try #require(try log.allEntries().last)
                        #expect(
                            audited.record == AuditRecord(request, decision),
                            "seed \(testCase.seed), stream 4, grant \(number), \(dataClass)"
                        )
                        #expect(decision.obligations.contains(.alertPrivacyOfficer(.breakGlass)))
                        let alerts = await control.openAlerts
                        #expect(alerts.contains(where: { $0.id == audited.sequence && $0.kind == .breakGlass }))
                    }
                }
            }
        }
        #expect(relying > 0, "no decision relied on a grant, so the property was not exercised")
    }

    // MARK: c. A withheld item never reaches a patient or proxy view

    @Test func aWithheldItemIsHiddenFromEveryPermittedPatientAndProxy() throws {
        let zone = try CivilTimeZone.europeLondon()
        var hidden = 0
        for testCase in Self.cases {
            let policy = testCase.policy
            let facts = policy.facts
            let point = PolicyDecisionPoint(facts: facts, timeZone: zone)
            var generator = testCase.generator(stream: 5)
            var requests = (0..<Self.requestsPerPolicy).map { _ in policy.randomRequest(using: &generator) }
            // Aimed at the items: the patient and each of their proxies reading the item's class.
            let authorities = facts.proxies.values.sorted { $0.id < $1.id }
            for item in facts.items.values.sorted(by: { $0.id < $1.id }) {
                let time = Self.moment(around: policy.referenceTime, using: &generator)
                var requesters: [AccessRequest.Requester] = [.patient(item.patient)]
                for authority in authorities where authority.patient == item.patient {
                    requesters.append(.proxy(authority.proxy))
                }
                for requester in requesters {
                    requests.append(
                        AccessRequest(
                            requester,
                            patient: item.patient,
                            dataClass: item.dataClass,
                            purpose: .selfAccess,
                            time: time
                        )
                    )
                }
            }
            for (index, request) in requests.enumerated() {
                let decision = point.decide(request)
                guard decision.isPermitted else { continue }
                let isWithheld: (ProtectedItem) -> Bool
                switch request.requester {
                case .staff: continue
                case .patient: isWithheld = { $0.isHiddenFromPatient(at: request.time) }
                case .proxy: isWithheld = { $0.isHiddenFromProxies(at: request.time) }
                }
                let withheld = facts.items.values.filter {
                    $0.patient == request.patient && $0.dataClass == request.dataClass && isWithheld($0)
                }
                let shown = withheld.filter { !decision.hiddenItems.contains($0.id) }.map(\.id)
                hidden += withheld.count - shown.count
                #expect(shown.isEmpty, "seed \(testCase.seed), stream 5, request \(index): shows \(shown)")
            }
        }
        #expect(hidden > 0, "no withheld item was in a permitted view, so the property was not exercised")
    }

    @Test func anAccessHistoryNeverNamesAClassWithheldFromThePatientOrProxy() async throws {
        let zone = try CivilTimeZone.europeLondon()
        var described = 0
        var namedToProxies = 0
        for testCase in Self.cases.prefix(Self.controlPolicies) {
            let policy = testCase.policy
            let facts = policy.facts
            let reference = ReferencePolicyEvaluator(facts: facts, timeZone: zone)
            let clock = ManualWallClock(startingAt: policy.referenceTime)
            let log = try AuditLog(storage: InMemoryAuditLogStorage(), clock: clock)
            let control = AccessControl(
                decisionPoint: PolicyDecisionPoint(facts: facts, timeZone: zone),
                auditLog: log,
                clock: clock
            )
            var generator = testCase.generator(stream: 6)
            // Staff ask for every class of a few patients, so the log names every class, withheld ones included.
            let patients = Array(policy.patients.shuffled(using: &generator).prefix(4))
            for patient in patients {
                for dataClass in DataClass.standard {
                    let session = policy.sessions.randomElement(using: &generator) ?? policy.sessions[0]
                    _ = try await control.decide(
                        .staff(session),
                        patient: patient,
                        dataClass: dataClass,
                        purpose: .directCare
                    )
                }
            }
            clock.advance(by: .seconds(3_600))
            let now = clock.now()
            for patient in patients {
                var readers: [AccessRequest.Requester] = [.patient(patient)]
                for authority in facts.proxies.values.sorted(by: { $0.id < $1.id }) where authority.patient == patient {
                    readers.append(.proxy(authority.proxy))
                }
                for reader in readers {
                    guard let history = try await control.accessHistory(of: patient, for: reader) else { continue }
                    let entries = try log.entries(about: patient)
                    #expect(history.count == entries.count, "seed \(testCase.seed), stream 6: an entry was left out")
                    let isWithheld: (ProtectedItem) -> Bool
                    if case .patient = reader {
                        isWithheld = { $0.isHiddenFromPatient(at: now) }
                    } else {
                        isWithheld = { $0.isHiddenFromProxies(at: now) }
                    }
                    var withheld = Set(
                        facts.items.values.filter { $0.patient == patient && isWithheld($0) }.map(\.dataClass)
                    )
                    if case .proxy(let person) = reader, !Self.mayReadSafeguarding(person, patient, facts, at: now) {
                        withheld.insert(.safeguarding)
                    }
                    for (line, entry) in zip(history, entries) {
                        guard entry.event == .decision, let dataClass = entry.dataClass, let action = entry.action
                        else { continue }
                        if withheld.contains(dataClass) {
                            described += 1
                            #expect(
                                line.what == "\(action.rawValue) record",
                                "seed \(testCase.seed), stream 6, entry \(entry.sequence): \(line.what)"
                            )
                        } else if case .patient = reader {
                            // Nothing else is hidden from the patient.
                            #expect(line.what == "\(action.rawValue) \(dataClass.rawValue)")
                        }
                        // Independently of how the history decides: a class named to a proxy is one the reference
                        // evaluator lets that proxy read now.
                        if case .proxy = reader, line.what != "\(action.rawValue) record" {
                            let read = AccessRequest(
                                reader,
                                patient: patient,
                                dataClass: dataClass,
                                purpose: .selfAccess,
                                time: now
                            )
                            #expect(
                                reference.decide(read).isPermitted,
                                "seed \(testCase.seed), stream 6, entry \(entry.sequence): a proxy is told of \(dataClass.rawValue)"
                            )
                            namedToProxies += 1
                        }
                    }
                }
            }
        }
        #expect(described > 0, "no history held a withheld class, so the property was not exercised")
        #expect(namedToProxies > 0, "no history named a class to a proxy, so the proxy check was not exercised")
    }

    @Test func anAccessHistoryDescribesWithheldDataWithoutItsClass() async throws {
        let lucy = try Fixtures.patient("lucy")
        let mum = try Fixtures.person("mum")
        var facts = AccessFacts()
        facts.record(PatientPrivacy(patient: lucy, birthDate: try CivilDate(year: 1990, month: 6, day: 1)))
        facts.record(
            try Fixtures.relationship("rel-gp", patient: lucy, organisation: "A81001", kind: .registeredPractice)
        )
        facts.record(
            ProtectedItem(
                id: try Access.ItemID(validating: "sg-1"),
                patient: lucy,
                dataClass: .safeguarding,
                reason: .safeguarding
            )
        )
        facts.record(
            ProtectedItem(
                id: try Access.ItemID(validating: "result-1"),
                patient: lucy,
                dataClass: .results,
                reason: .awaitingDiscussion,
                withheldUntilDiscussed: true,
                discussed: Fixtures.now + Fixtures.day
            )
        )
        facts.record(
            try ProxyAuthority(
                id: try ProxyAuthority.ID(validating: "authority-mum"),
                patient: lucy,
                proxy: mum,
                basis: .patientConsent,
                period: .always
            )
        )
        let clock = ManualWallClock(startingAt: Fixtures.now)
        let control = AccessControl(
            decisionPoint: try Fixtures.decisionPoint(facts),
            auditLog: try AuditLog(storage: InMemoryAuditLogStorage(), clock: clock),
            clock: clock
        )
        let gp = try Fixtures.gp()
        for dataClass in [DataClass.safeguarding, .results, .carePlan] {
            _ = try await control.decide(.staff(gp), patient: lucy, dataClass: dataClass, purpose: .directCare)
        }
        // The entries stay, so Lucy knows her record was reached, but not that withheld data exists.
        let own = try #require(try await control.accessHistory(of: lucy, for: .patient(lucy)))
        #expect(own.map(\.what) == ["read record", "read record", "read care-plan", "read access-history"])
        #expect(own.prefix(3).map(\.effect) == [.permit, .permit, .permit])
        let proxy = try #require(try await control.accessHistory(of: lucy, for: .proxy(mum)))
        #expect(proxy.prefix(3).map(\.what) == ["read record", "read record", "read care-plan"])
        #expect(proxy.count == 5)
        // Once the result has been discussed with her, Lucy is told it was read; safeguarding stays withheld.
        clock.set(to: Fixtures.now + 2 * Fixtures.day)
        let later = try #require(try await control.accessHistory(of: lucy, for: .patient(lucy)))
        #expect(later.prefix(3).map(\.what) == ["read record", "read results", "read care-plan"])
        // Staff allowed to read the history (B0011) see every class.
        let audit = try #require(
            try await control.accessHistory(of: lucy, for: .staff(Fixtures.privacyOfficer()), purpose: .directCare)
        )
        #expect(audit.prefix(3).map(\.what) == ["read safeguarding", "read results", "read care-plan"])
    }

    @Test func aProxyIsToldOfSafeguardingAccessOnlyWithAuthorityForIt() async throws {
        let lucy = try Fixtures.patient("lucy")
        let mum = try Fixtures.person("mum")
        let dad = try Fixtures.person("dad")
        var facts = AccessFacts()
        facts.record(PatientPrivacy(patient: lucy, birthDate: try CivilDate(year: 2020, month: 6, day: 1)))
        facts.record(
            try Fixtures.relationship("rel-gp", patient: lucy, organisation: "A81001", kind: .registeredPractice)
        )
        let authorities: [(proxy: Access.PersonID, classes: Set<DataClass>)] = [
            (mum, []), (dad, [.safeguarding, .accessHistory]),
        ]
        for (proxy, classes) in authorities {
            facts.record(
                try ProxyAuthority(
                    id: try ProxyAuthority.ID(validating: "authority-\(proxy.rawValue)"),
                    patient: lucy,
                    proxy: proxy,
                    basis: .parentalResponsibility,
                    period: .always,
                    dataClasses: classes
                )
            )
        }
        let clock = ManualWallClock(startingAt: Fixtures.now)
        let control = AccessControl(
            decisionPoint: try Fixtures.decisionPoint(facts),
            auditLog: try AuditLog(storage: InMemoryAuditLogStorage(), clock: clock),
            clock: clock
        )
        _ = try await control.decide(
            .staff(Fixtures.gp()),
            patient: lucy,
            dataClass: .safeguarding,
            purpose: .directCare
        )
        // No item is recorded: the class alone is withheld from a proxy whose authority does not name it.
        let mums = try #require(try await control.accessHistory(of: lucy, for: .proxy(mum)))
        #expect(mums.first?.what == "read record")
        let dads = try #require(try await control.accessHistory(of: lucy, for: .proxy(dad)))
        #expect(dads.first?.what == "read safeguarding")
    }

    // MARK: Break-glass limits and the catalogue

    @Test func breakGlassLastsUpToTheMaximumAndEndsAtItsExpiry() async throws {
        let maximum = AccessRules.nhsDefault.maximumBreakGlassDuration
        #expect(maximum == 4 * 60 * 60)
        let claire = try Fixtures.patient("claire")
        let crew = try Fixtures.crew()
        let clock = ManualWallClock(startingAt: Fixtures.now)
        let storage = InMemoryAuditLogStorage()
        let control = AccessControl(
            decisionPoint: try Fixtures.decisionPoint(AccessFacts()),
            auditLog: try AuditLog(storage: storage, clock: clock),
            clock: clock
        )
        let id = try BreakGlassGrant.ID(validating: "grant-edge")
        let tooLong = try await #require(throws: ConsentAccessError.self) {
            try await control.breakGlass(
                session: crew,
                patient: claire,
                reason: .patientUnconscious,
                justification: Redacted("unresponsive"),
                duration: maximum + 1,
                id: id
            )
        }
        #expect(tooLong.code == .invalidValue)
        #expect(storage.loadEntries().isEmpty)
        let grant = try await control.breakGlass(
            session: crew,
            patient: claire,
            reason: .patientUnconscious,
            justification: Redacted("unresponsive"),
            duration: maximum,
            id: id
        )
        #expect(grant.duration == maximum)
        #expect(grant.expiry == Fixtures.now + maximum)
        // A grant is in force from its start up to but not including its expiry (`ValidityPeriod`).
        clock.set(to: grant.expiry - 1)
        let lastSecond = try await control.decide(
            .staff(crew),
            patient: claire,
            dataClass: .emergencySummary,
            purpose: .emergency
        )
        #expect(lastSecond.isPermitted)
        #expect(lastSecond.reasons.contains(.breakGlass(grant.id)))
        #expect(lastSecond.expiry == grant.expiry)
        clock.set(to: grant.expiry)
        let atExpiry = try await control.decide(
            .staff(crew),
            patient: claire,
            dataClass: .emergencySummary,
            purpose: .emergency
        )
        #expect(!atExpiry.isPermitted)
        #expect(!atExpiry.reasons.contains(.breakGlass(grant.id)))
        #expect(atExpiry.reasons.last == .noRelationship)
    }

    @Test func aGrantLongerThanTheMaximumIsIgnoredByDecisions() throws {
        let maximum = AccessRules.nhsDefault.maximumBreakGlassDuration
        let claire = try Fixtures.patient("claire")
        let crew = try Fixtures.crew()
        for (duration, honoured) in [(maximum, true), (maximum + 1, false)] {
            var facts = AccessFacts()
            let grant = try BreakGlassGrant(
                id: try BreakGlassGrant.ID(validating: "grant-recorded"),
                user: crew.user,
                profile: crew.profile.id,
                patient: claire,
                reason: .unableToCommunicate,
                justification: Redacted("collapsed in the street"),
                start: Fixtures.now,
                expiry: Fixtures.now + duration
            )
            facts.record(grant)
            let decision = try Fixtures.decide(
                facts,
                Fixtures.request(.staff(crew), claire, .emergencySummary, purpose: .emergency, at: Fixtures.now + 60)
            )
            #expect(decision.reasons.contains(.breakGlass(grant.id)) == honoured, "a grant of \(duration) s")
        }
    }

    /// Break-glass counts a profile's activities with the decision point's catalogue, as decisions do: a
    /// session opened with a catalogue that grants more is refused, and one opened with a catalogue that
    /// grants less is granted and its grant honoured.
    @Test func breakGlassCountsActivitiesWithTheDecisionPointsCatalogue() async throws {
        let claire = try Fixtures.patient("claire")
        let emergencyAccess = try Fixtures.code("B0168")
        var generous = ActivityCatalogue.nhsDefault
        generous.grant([emergencyAccess], to: try Fixtures.role("R8009"))
        let clock = ManualWallClock(startingAt: Fixtures.now)

        let storage = InMemoryAuditLogStorage()
        let strict = AccessControl(
            decisionPoint: try Fixtures.decisionPoint(AccessFacts()),
            auditLog: try AuditLog(storage: storage, clock: clock),
            clock: clock
        )
        let stale = try Fixtures.session(
            "desk",
            organisation: "A81001",
            role: "R8009",
            activities: ["B0370"],
            catalogue: generous
        )
        #expect(stale.effectiveActivities.contains(emergencyAccess))
        let staleID = try BreakGlassGrant.ID(validating: "grant-stale")
        let refused = try await #require(throws: ConsentAccessError.self) {
            try await strict.breakGlass(
                session: stale,
                patient: claire,
                reason: .patientUnconscious,
                justification: Redacted("collapsed at the desk"),
                duration: 3_600,
                id: staleID
            )
        }
        #expect(refused.code == .notPermitted)
        #expect(storage.loadEntries().isEmpty)
        #expect(await strict.openAlerts.isEmpty)

        let lenient = AccessControl(
            decisionPoint: try Fixtures.decisionPoint(AccessFacts(catalogue: generous)),
            auditLog: try AuditLog(storage: InMemoryAuditLogStorage(), clock: clock),
            clock: clock
        )
        let plain = try Fixtures.session("desk", organisation: "A81001", role: "R8009", activities: ["B0370"])
        #expect(!plain.effectiveActivities.contains(emergencyAccess))
        let grant = try await lenient.breakGlass(
            session: plain,
            patient: claire,
            reason: .patientUnconscious,
            justification: Redacted("collapsed at the desk"),
            duration: 3_600,
            id: try BreakGlassGrant.ID(validating: "grant-plain")
        )
        let decision = try await lenient.decide(
            .staff(plain),
            patient: claire,
            dataClass: .emergencySummary,
            purpose: .emergency
        )
        #expect(decision.isPermitted)
        #expect(decision.reasons.contains(.breakGlass(grant.id)))
    }

    /// Over random policies, sessions opened with the policy's catalogue, with the default one (which grants
    /// less) and with one granting every role break-glass (which grants more): a grant is refused exactly
    /// when decisions would ignore it, and a grant made lets through every emergency request whose activity
    /// the profile holds.
    @Test func aGrantIsMadeOnlyWhenDecisionsWouldHonourIt() async throws {
        let zone = try CivilTimeZone.europeLondon()
        var made = 0
        var refused = 0
        for testCase in Self.cases.prefix(Self.controlPolicies) {
            let policy = testCase.policy
            let point = PolicyDecisionPoint(facts: policy.facts, timeZone: zone)
            let clock = ManualWallClock(startingAt: policy.referenceTime)
            let control = AccessControl(
                decisionPoint: point,
                auditLog: try AuditLog(storage: InMemoryAuditLogStorage(), clock: clock),
                clock: clock
            )
            var generous = policy.facts.catalogue
            for session in policy.sessions {
                generous.grant(policy.facts.rules.breakGlassActivities, to: session.profile.jobRole)
            }
            var sessions = policy.sessions
            sessions += policy.sessions.map { AccessSession(profile: $0.profile, catalogue: .nhsDefault) }
            sessions += policy.sessions.map { AccessSession(profile: $0.profile, catalogue: generous) }
            for (number, session) in sessions.enumerated() {
                // A patient of one's own, so that no other grant can be cited instead.
                let patient = try Fixtures.patient("no-facts-\(number)")
                let id = try BreakGlassGrant.ID(validating: "grant-\(number)")
                let now = clock.now()
                var direct = point
                direct.record(
                    try BreakGlassGrant(
                        id: id,
                        user: session.user,
                        profile: session.profile.id,
                        patient: patient,
                        reason: .other,
                        justification: Redacted("synthetic"),
                        start: now,
                        expiry: now + 3_600
                    )
                )
                let honoured = Self.dataClasses.contains { dataClass in
                    let request = AccessRequest(
                        .staff(session),
                        patient: patient,
                        dataClass: dataClass,
                        purpose: .emergency,
                        time: now
                    )
                    return direct.decide(request).reasons.contains(.breakGlass(id))
                }
                var granted = true
                do throws(ConsentAccessError) {
                    _ = try await control.breakGlass(
                        session: session,
                        patient: patient,
                        reason: .other,
                        justification: Redacted("synthetic"),
                        duration: 3_600,
                        id: id
                    )
                } catch {
                    #expect(error.code == .notPermitted, "seed \(testCase.seed), session \(number): \(error)")
                    granted = false
                }
                guard granted else {
                    refused += 1
                    #expect(!honoured, "seed \(testCase.seed), session \(number): refused a grant decisions honour")
                    continue
                }
                made += 1
                for dataClass in Self.dataClasses {
                    let decision = try await control.decide(
                        .staff(session),
                        patient: patient,
                        dataClass: dataClass,
                        purpose: .emergency
                    )
                    guard let first = decision.reasons.first, case .activityHeld = first else { continue }
                    #expect(
                        decision.reasons.contains(.breakGlass(id)),
                        "seed \(testCase.seed), session \(number), \(dataClass): granted, then ignored"
                    )
                }
            }
        }
        #expect(made > 0)
        #expect(refused > 0)
    }

    // MARK: Helpers

    /// A random instant within 200 days of a reference.
    static func moment(around reference: Date, using generator: inout some RandomNumberGenerator) -> Date {
        reference.addingTimeInterval(Double(Int.random(in: -200 * 86_400...200 * 86_400, using: &generator)))
    }

    static func isBreakGlass(_ reason: DecisionReason) -> Bool {
        if case .breakGlass = reason { return true }
        return false
    }

    /// Why a permit does not rest on a fact that permits it, or `nil` when it does: staff need the activity
    /// the request needs, and a relationship, a consent provision naming them or a break-glass grant for
    /// direct care and emergencies, or a data sharing agreement for secondary use; a patient their own
    /// record; a proxy an authority in force that covers the request. Every such fact a permit cites must
    /// exist and apply to the request.
    static func missingPermittingFact(
        _ decision: AccessDecision,
        _ request: AccessRequest,
        _ facts: AccessFacts
    ) -> String? {
        let time = request.time
        let category = request.purpose.category
        switch request.requester {
        case .staff(let session):
            let profile = session.profile
            let activities = facts.catalogue.effectiveActivities(of: profile)
            guard let first = decision.reasons.first, case .activityHeld(let activity) = first,
                facts.rules.activities(for: request.dataClass, request.action).contains(activity),
                activities.contains(activity)
            else { return "no activity the request needs is held: \(decision.reasons)" }
            var cited: [DecisionReason] = []
            for reason in decision.reasons.dropFirst() {
                let applies: Bool
                switch reason {
                case .relationship(let id, let kind):
                    guard let relationship = facts.relationships[id] else { return "\(reason) is not a fact" }
                    applies =
                        relationship.patient == request.patient && relationship.kind == kind
                        && relationship.covers(profile, at: time)
                case .consentPermits(let id, let path):
                    guard let directive = facts.directives[id],
                        let provision = Self.provision(at: path, in: directive.provision)
                    else { return "\(reason) is not a fact" }
                    applies =
                        directive.patient == request.patient && directive.status == .active
                        && (directive.scope == .patientPrivacy || directive.scope == .research)
                        && provision.type == .permit && Self.matches(provision, request, profile)
                        && (category == .secondaryUse ? !provision.purposes.isEmpty : !provision.actors.isEmpty)
                case .breakGlass(let id):
                    guard let grant = facts.grants[id] else { return "\(reason) is not a fact" }
                    applies =
                        category == .emergency && grant.patient == request.patient && grant.user == profile.user
                        && grant.profile == profile.id && grant.period.contains(time)
                        && grant.duration <= facts.rules.maximumBreakGlassDuration
                        && facts.rules.breakGlassActivities.contains(where: activities.contains)
                case .agreement(let id):
                    guard let agreement = facts.agreements[id] else { return "\(reason) is not a fact" }
                    applies =
                        category == .secondaryUse && agreement.organisations.contains(profile.organisation)
                        && agreement.purposes.contains(request.purpose.code)
                        && (agreement.dataClasses.isEmpty || agreement.dataClasses.contains(request.dataClass))
                        && agreement.period.contains(time)
                default:
                    continue
                }
                guard applies else { return "\(reason) does not apply to the request" }
                cited.append(reason)
            }
            switch category {
            case .secondaryUse:
                let agreed = cited.contains {
                    if case .agreement = $0 { return true }
                    return false
                }
                return agreed ? nil : "secondary use without a data sharing agreement: \(decision.reasons)"
            case .directCare, .emergency:
                return cited.isEmpty ? "no relationship, consent or grant: \(decision.reasons)" : nil
            case .selfAccess:
                return "staff were permitted self access"
            }
        case .patient(let patient):
            guard decision.reasons.first == .ownRecord, patient == request.patient, category == .selfAccess,
                facts.privacy[patient]?.birthDate != nil,
                request.action == .read || facts.rules.patientUpdatableClasses.contains(request.dataClass)
            else { return "a patient's permit does not rest on their own record: \(decision.reasons)" }
            return nil
        case .proxy(let person):
            guard let first = decision.reasons.first, case .proxyAuthority(let id, let basis) = first,
                let authority = facts.proxies[id]
            else { return "a proxy's permit cites no authority: \(decision.reasons)" }
            let inScope =
                authority.dataClasses.isEmpty
                ? request.dataClass != .safeguarding : authority.dataClasses.contains(request.dataClass)
            guard authority.proxy == person, authority.patient == request.patient, authority.basis == basis,
                authority.period.contains(time), authority.actions.contains(request.action), inScope,
                category == .selfAccess
            else { return "\(id) does not cover the request" }
            return nil
        }
    }

    /// The provision at a path in a directive's tree.
    static func provision(at path: ProvisionPath, in root: ConsentProvision) -> ConsentProvision? {
        var provision = root
        for index in path.indices {
            guard provision.provisions.indices.contains(index) else { return nil }
            provision = provision.provisions[index]
        }
        return provision
    }

    /// Whether a provision's own conditions match a staff request.
    static func matches(_ provision: ConsentProvision, _ request: AccessRequest, _ profile: RoleProfile) -> Bool {
        let actorMatches =
            provision.actors.isEmpty
            || provision.actors.contains { actor in
                switch actor {
                case .user(let user): return user == profile.user
                case .organisation(let organisation): return organisation == profile.organisation
                case .jobRole(let role): return role == profile.jobRole
                case .proxy: return false
                }
            }
        return actorMatches && (provision.actions.isEmpty || provision.actions.contains(request.action))
            && (provision.dataClasses.isEmpty || provision.dataClasses.contains(request.dataClass))
            && (provision.purposes.isEmpty || provision.purposes.contains(request.purpose.code))
            && provision.period.contains(request.time)
    }

    /// The facts with every fact that could permit a request about one patient taken away: no relationships,
    /// grants or proxy authorities for them, every provision of their directives turned to deny, and no data
    /// sharing agreements at all. Their privacy facts, items and assessments stay.
    static func withoutPermittingFacts(_ facts: AccessFacts, for patient: Access.PatientID) -> AccessFacts {
        var kept = AccessFacts(catalogue: facts.catalogue, rules: facts.rules)
        for relationship in facts.relationships.values where relationship.patient != patient {
            kept.record(relationship)
        }
        for var directive in facts.directives.values {
            if directive.patient == patient { directive.provision = Self.denying(directive.provision) }
            kept.record(directive)
        }
        for privacy in facts.privacy.values { kept.record(privacy) }
        for item in facts.items.values { kept.record(item) }
        for authority in facts.proxies.values where authority.patient != patient { kept.record(authority) }
        for assessment in facts.assessments { kept.record(assessment) }
        for grant in facts.grants.values where grant.patient != patient { kept.record(grant) }
        return kept
    }

    /// A provision tree of the same shape with every provision a deny.
    static func denying(_ provision: ConsentProvision) -> ConsentProvision {
        var turned = provision
        turned.type = .deny
        turned.provisions = provision.provisions.map { Self.denying($0) }
        return turned
    }

    /// Whether a proxy holds an authority in force that names the safeguarding class.
    static func mayReadSafeguarding(
        _ person: Access.PersonID,
        _ patient: Access.PatientID,
        _ facts: AccessFacts,
        at time: Date
    ) -> Bool {
        facts.proxies.values.contains {
            $0.proxy == person && $0.patient == patient && $0.period.contains(time)
                && $0.dataClasses.contains(.safeguarding)
        }
    }
}
