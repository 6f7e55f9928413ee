import CareCore
import ConsentAccess
import FHIREncoding
import Foundation
import Testing

@Suite("Consent directives, role profiles, flags and audit entries and UK Core")
struct AccessMappingTests {
    /// A seeded synthetic policy: directives with nested provisions, role profiles, grants and items.
    static func policy() -> SyntheticAccessPolicy {
        var generator = SeededRandomNumberGenerator(seed: 20_261_126)
        return SyntheticAccessPolicy(
            roles: 20,
            activities: 40,
            directives: 120,
            patients: 60,
            sessions: 30,
            using: &generator
        )
    }

    /// Writes a resource through strictly validated JSON and decodes it again.
    static func throughJSON<Resource: R4.ResourceModel>(_ resource: Resource, name: String) throws -> Resource {
        try FHIRDecoder().decode(Resource.self, from: try Emitted.write(resource, name: name))
    }

    static func decode<Resource: R4.ResourceModel>(_ type: Resource.Type, _ path: String) throws -> Resource {
        try FHIRDecoder().decode(type, from: try Corpus.bytes(path))
    }

    // MARK: Consent

    @Test("seeded directives with nested provisions survive domain to FHIR JSON to domain")
    func seededDirectivesRoundTrip() throws {
        let directives = Self.policy().facts.directives.values.sorted { $0.id.rawValue < $1.id.rawValue }
        #expect(directives.count >= 100)
        var deepest = 0
        var sawJobRole = false
        for (index, directive) in directives.enumerated() {
            let written = try R4.Consent(directive)
            let back = try ConsentDirective(fhir: try Self.throughJSON(written, name: "consent-synthetic-\(index)"))
            #expect(back == directive, "directive \(directive.id)")
            deepest = max(deepest, directive.provision.depth)
            sawJobRole = sawJobRole || !(written.provision?.modifierExtension.isEmpty ?? true)
            // Written again over itself, nothing changes.
            #expect(try R4.Consent(directive, keeping: written) == written)
        }
        #expect(deepest >= 3, "nested provisions were exercised")
        #expect(sawJobRole)
    }

    /// A directive naming every kind of actor, with a nested exception.
    static func directive() throws -> ConsentDirective {
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        return ConsentDirective(
            id: ConsentDirective.ID(unchecked: "consent-claire"),
            patient: Access.PatientID(unchecked: "patient-claire"),
            recorded: start,
            provision: ConsentProvision(
                .permit,
                actors: [.organisation(try ODSCode(parsing: "A81001"))],
                purposes: [.directCare],
                provisions: [
                    ConsentProvision(
                        .deny,
                        period: try ValidityPeriod(from: start, until: start.addingTimeInterval(86_400 * 30)),
                        actors: [
                            .user(Access.UserID(unchecked: "user-locum")),
                            .proxy(Access.PersonID(unchecked: "person-ex-partner")),
                            .jobRole(try JobRoleCode(parsing: "R8003")),
                        ],
                        dataClasses: [.mentalHealth, .sexualHealth],
                        actions: [.read, .update]
                    )
                ]
            )
        )
    }

    @Test("a directive is written with recipient actors, a job-role modifier extension and the suite's policy")
    func consentShape() throws {
        let written = try R4.Consent(try Self.directive())
        #expect(written.meta?.profile.first?.value == R4.UKCoreProfile.consent.rawValue)
        #expect(written.scope.coding.first?.code?.value == "patient-privacy")
        #expect(written.category.first?.coding.first?.code?.value == "INFA")
        #expect(written.policyRule == nil)
        #expect(
            written.policy.map(\.uri?.value) == ["https://integratedcarekit.example/fhir/policy/consent-provision-tree"]
        )
        #expect(written.patient?.reference?.value == "Patient/patient-claire")
        let root = try #require(written.provision)
        #expect(root.type?.value == "permit")
        #expect(root.actor.first?.reference.identifier?.value?.value == "A81001")
        #expect(root.purpose.map(\.code?.value) == ["TREAT"])
        let exception = try #require(root.provision.first)
        #expect(exception.type?.value == "deny")
        #expect(
            exception.actor.map { $0.reference.reference?.value ?? $0.reference.identifier?.value?.value } == [
                "user-locum", "RelatedPerson/person-ex-partner",
            ]
        )
        #expect(exception.actor[0].reference.identifier?.system?.value == "https://fhir.nhs.uk/Id/sds-user-id")
        #expect(exception.actor.allSatisfy { $0.role.coding.first?.code?.value == "IRCP" })
        #expect(exception.modifierExtension.map(\.url) == [R4.SuiteExtension.consentActorJobRole.rawValue])
        #expect(exception.action.map { $0.coding.first?.code?.value } == ["access", "correct"])
        #expect(exception.class.map(\.code?.value) == ["mental-health", "sexual-health"])
        #expect(exception.period?.start?.value == "2026-09-21T14:13:20Z")

        // An opt-out rule kept from another system goes once the root is no longer an unconditional deny.
        var optingOut = written
        optingOut.policy = []
        optingOut.policyRule = R4.CodeableConcept(coding: [
            R4.Coding(system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "OPTOUT")
        ])
        let rewritten = try R4.Consent(try Self.directive(), keeping: optingOut)
        #expect(rewritten.policyRule == nil && rewritten.policy.count == 1)
        // Beside an unconditional root deny, an opt-out says the same and is read.
        var everything = try Self.directive()
        everything.provision = ConsentProvision(.deny, provisions: everything.provision.provisions)
        optingOut.provision = try R4.Consent(everything).provision
        #expect(try ConsentDirective(fhir: optingOut).provision == everything.provision)
    }

    /// Reads a changed copy of the written directive and returns the refusal's element.
    static func refusal(_ change: (inout R4.Consent) -> Void) throws -> String {
        var consent = try R4.Consent(try directive())
        change(&consent)
        let error = try #require(throws: FHIREncodingError.self) { try ConsentDirective(fhir: consent) }
        #expect(error.code == .unmappable)
        return error.field.description
    }

    @Test("what would change a decision if dropped is refused at its element")
    func consentRefusals() throws {
        #expect(try Self.refusal { $0.provision?.type = nil } == "provision.type")
        #expect(try Self.refusal { $0.provision?.provision[0].type = nil } == "provision.provision[0].type")
        #expect(try Self.refusal { $0.provision = nil } == "provision")
        #expect(
            try Self.refusal {
                $0.provision?.provision[0].securityLabel = [R4.Coding(system: "http://x.example", code: "N")]
            } == "provision.provision[0].securityLabel"
        )
        #expect(
            try Self.refusal { $0.provision?.dataPeriod = R4.Period(start: "2020-01-01") } == "provision.dataPeriod"
        )
        #expect(
            try Self.refusal {
                $0.provision?.provision[0].action[0] = R4.CodeableConcept(coding: [
                    R4.Coding(system: "http://terminology.hl7.org/CodeSystem/consentaction", code: "disclose")
                ])
            } == "provision.provision[0].action[0]"
        )
        #expect(
            try Self.refusal {
                $0.provision?.provision[0].actor[0].role = R4.CodeableConcept(coding: [
                    R4.Coding(system: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", code: "CST")
                ])
            } == "provision.provision[0].actor[0].role"
        )
        #expect(
            try Self.refusal {
                $0.provision?.provision[0].actor[0].reference = R4.Reference(reference: "Patient/patient-claire")
            } == "provision.provision[0].actor[0].reference"
        )
        #expect(
            try Self.refusal {
                $0.provision?.purpose = [R4.Coding(system: "http://local.example/purpose", code: "TREAT")]
            } == "provision.purpose[0]"
        )
        #expect(
            try Self.refusal {
                $0.provision?.provision[0].class[0] = R4.Coding(
                    system: "http://hl7.org/fhir/resource-types",
                    code: "Observation"
                )
            } == "provision.provision[0].class[0]"
        )
        #expect(
            try Self.refusal {
                $0.provision?.provision[0].modifierExtension.append(
                    R4.Extension(url: "http://x.example/modifier", value: .boolean(true))
                )
            } == "provision.provision[0].modifierExtension[1]"
        )
        #expect(
            try Self.refusal {
                $0.provision?.provision[0].modifierExtension[0].value = .code("B0825")
            } == "provision.provision[0].modifierExtension[0]"
        )
        #expect(
            try Self.refusal {
                $0.policyRule = R4.CodeableConcept(coding: [
                    R4.Coding(system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "OPTOUT")
                ])
            } == "policyRule"
        )
        #expect(try Self.refusal { $0.dateTime = "2026" } == "dateTime")
        #expect(try Self.refusal { $0.dateTime = nil } == "dateTime")
        #expect(try Self.refusal { $0.status = "withdrawn" } == "status")
        #expect(
            try Self.refusal { $0.provision?.provision[0].period?.end = "2020-01" }
                == "provision.provision[0].period.end"
        )
        #expect(
            try Self.refusal { $0.provision?.provision[0].period?.end = "2020-01-01T00:00:00Z" }
                == "provision.provision[0].period.end"
        )
    }

    @Test("a day alone covers that whole day in Europe/London, summer time included")
    func dayBounds() throws {
        var consent = try R4.Consent(try Self.directive())
        consent.dateTime = "2026-07-01"
        consent.provision?.provision[0].period = R4.Period(start: "2026-07-01", end: "2026-07-01")
        let read = try ConsentDirective(fhir: consent)
        // 2026-07-01 is in British Summer Time: the day runs from 23:00 UTC on 30 June to 23:00 UTC on 1 July.
        let start = try Instant(parsing: "2026-06-30T23:00:00Z").date
        #expect(read.recorded == start)
        #expect(read.provision.provisions[0].period.start == start)
        #expect(read.provision.provisions[0].period.end == start.addingTimeInterval(86_400))
        #expect(read.provision.provisions[0].period.contains(start.addingTimeInterval(86_399)))
        #expect(!read.provision.provisions[0].period.contains(start.addingTimeInterval(86_400)))
        // Written back unchanged, the days stay days.
        let back = try R4.Consent(read, keeping: consent)
        #expect(back.dateTime?.value == "2026-07-01")
        #expect(back.provision?.provision[0].period?.end?.value == "2026-07-01")
        // In winter the day is the UTC day.
        consent.dateTime = "2026-01-15"
        #expect(try ConsentDirective(fhir: consent).recorded == (try Instant(parsing: "2026-01-15T00:00:00Z").date))
    }

    @Test("a changed directive keeps what it does not model, and unchanged provisions whole")
    func consentWriteBack() throws {
        var original = try R4.Consent(try Self.directive())
        original.identifier = [R4.Identifier(system: "https://trust.example/consent", value: "C-1")]
        original.performer = [R4.Reference(reference: "Patient/patient-claire")]
        original.provision?.id = "root"
        original.provision?.provision[0].id = "withhold"
        original.provision?.provision[0].extension = [
            R4.Extension(url: "https://later.example/x", value: .string("kept"))
        ]
        original.text = R4.Narrative(
            status: "generated",
            div: "<div xmlns=\"http://www.w3.org/1999/xhtml\">Claire</div>"
        )
        original.verification = [R4.Consent.Verification(verified: true)]
        var directive = try ConsentDirective(fhir: original)
        #expect(try R4.Consent(directive, keeping: original) == original)

        directive.provision.provisions[0].actions = [.read]
        directive.provision.provisions.append(ConsentProvision(.deny, dataClasses: [.hiv]))
        let changed = try R4.Consent(directive, keeping: original)
        #expect(changed.identifier == original.identifier && changed.performer == original.performer)
        #expect(changed.text == nil, "a stale narrative is dropped")
        #expect(changed.verification.isEmpty, "a verification of the old rules does not speak for the new")
        #expect(changed.provision?.id == "root")
        #expect(changed.provision?.provision[0].id == "withhold")
        #expect(changed.provision?.provision[0].extension == original.provision?.provision[0].extension)
        #expect(changed.provision?.provision[0].actor == original.provision?.provision[0].actor)
        #expect(changed.provision?.provision.count == 2)
        #expect(try ConsentDirective(fhir: try Self.throughJSON(changed, name: "consent-changed")) == directive)

        let other = ConsentDirective(
            id: ConsentDirective.ID(unchecked: "consent-other"),
            patient: directive.patient,
            recorded: directive.recorded,
            provision: directive.provision
        )
        #expect(throws: FHIREncodingError.self) { try R4.Consent(other, keeping: original) }
    }

    @Test("UK Core's Consent example maps once its root provision says permit, and keeps the rest on write-back")
    func ukCoreConsent() throws {
        let original = try Self.decode(R4.Consent.self, "uk-core/UKCore-Consent-ForInformationAccess-Example.json")
        let typeless = try #require(throws: FHIREncodingError.self) { try ConsentDirective(fhir: original) }
        #expect(typeless.field.description == "provision.type")
        var permitting = original
        permitting.provision?.type = "permit"
        let directive = try ConsentDirective(fhir: permitting)
        #expect(directive.status == .active && directive.scope == .patientPrivacy)
        #expect(directive.patient.rawValue == "UKCore-Patient-RichardSmith-Example")
        #expect(directive.recorded == (try Instant(parsing: "2019-12-10T11:15:00Z").date))
        #expect(directive.provision.type == .permit && directive.provision.purposes == ["GOV"])
        #expect(directive.provision.actors.isEmpty && directive.provision.provisions.isEmpty)

        let back = try R4.Consent(directive, keeping: permitting)
        #expect(back.category == original.category && back.performer == original.performer)
        #expect(back.organization == original.organization && back.policy == original.policy)
        #expect(back.policyRule == nil, "the Consent names its own policy")
        #expect(back.provision == permitting.provision)
        try Emitted.write(back, name: "consent-ukcore")
    }

    @Test("HL7's Consent examples are refused at the element the access module cannot apply")
    func hl7Consents() throws {
        let emergency = try Self.decode(R4.Consent.self, "hl7-r4/Consent-consent-example-Emergency.json")
        #expect(
            (try #require(throws: FHIREncodingError.self) { try ConsentDirective(fhir: emergency) }).field.description
                == "provision.type"
        )
        var typed = emergency
        typed.provision?.type = "permit"
        #expect(
            (try #require(throws: FHIREncodingError.self) { try ConsentDirective(fhir: typed) }).field.description
                == "provision.actor[0].role"
        )
    }

    // MARK: PractitionerRole

    @Test("seeded role profiles survive domain to FHIR JSON to domain")
    func seededProfilesRoundTrip() throws {
        for (index, session) in Self.policy().sessions.enumerated() {
            var profile = session.profile
            if index.isMultiple(of: 3) {
                profile = RoleProfile(
                    id: profile.id,
                    user: profile.user,
                    organisation: profile.organisation,
                    jobRole: profile.jobRole,
                    grantedActivities: profile.grantedActivities,
                    roleName: "\"Clinical\":\"Clinical Provision\":\"Nurse Access Role\""
                )
            }
            let written = try R4.PractitionerRole(profile)
            let read = try RoleProfile(fhir: try Self.throughJSON(written, name: "practitionerrole-synthetic-\(index)"))
            #expect(read == profile)
            #expect(try R4.PractitionerRole(profile, keeping: written) == written)
        }
    }

    @Test("UK Core's PractitionerRole example needs an ODS organisation and an RBAC job role, and keeps the rest")
    func ukCorePractitionerRole() throws {
        let original = try Self.decode(
            R4.PractitionerRole.self,
            "uk-core/UKCore-PractitionerRole-GeneralPractitioner-Example.json"
        )
        // A Practitioner's logical id is not the id the user signs in with.
        let byLogicalID = try #require(throws: FHIREncodingError.self) { try RoleProfile(fhir: original) }
        #expect(byLogicalID.field.description == "practitioner")
        var role = original
        role.practitioner = R4.Reference(
            type: "Practitioner",
            identifier: R4.Identifier(system: "https://fhir.nhs.uk/Id/sds-user-id", value: "123456789012")
        )
        let literal = try #require(throws: FHIREncodingError.self) { try RoleProfile(fhir: role) }
        #expect(literal.field.description == "organization")
        role.organization = R4.Reference(organisation: try ODSCode(parsing: "B82617"))
        let codeless = try #require(throws: FHIREncodingError.self) { try RoleProfile(fhir: role) }
        #expect(codeless.field.description == "code")
        role.code.append(
            R4.CodeableConcept(coding: [
                R4.Coding(
                    system: "https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode",
                    code: "S8000:G8000:R8000"
                )
            ])
        )
        let profile = try RoleProfile(fhir: role)
        #expect(profile.id.rawValue == "100334993514")
        #expect(profile.user.rawValue == "123456789012")
        #expect(profile.jobRole.rawValue == "R8000" && profile.organisation.rawValue == "B82617")
        var unchanged = try R4.PractitionerRole(profile, keeping: role)
        #expect(unchanged.meta?.profile.map(\.value) == [R4.UKCoreProfile.practitionerRole.rawValue])
        unchanged.meta = nil
        #expect(unchanged == role, "only the profile claim is added")

        let granted = RoleProfile(
            id: profile.id,
            user: profile.user,
            organisation: profile.organisation,
            jobRole: try JobRoleCode(parsing: "R8003"),
            grantedActivities: [try ActivityCode(parsing: "B0825")]
        )
        let changed = try R4.PractitionerRole(granted, keeping: role)
        #expect(changed.specialty == original.specialty && changed.telecom == original.telecom)
        #expect(changed.code.first == original.code.first, "the SNOMED CT concept stays")
        #expect(changed.code.count == 2)
        #expect(try RoleProfile(fhir: try Self.throughJSON(changed, name: "practitionerrole-ukcore")) == granted)
    }

    @Test("an inactive role, a second URPID or a malformed granted activity is refused")
    func practitionerRoleRefusals() throws {
        let profile = try #require(Self.policy().sessions.first?.profile)
        var written = try R4.PractitionerRole(profile)
        written.active = false
        #expect(
            (try #require(throws: FHIREncodingError.self) { try RoleProfile(fhir: written) }).field.description
                == "active"
        )
        written = try R4.PractitionerRole(profile)
        written.period = R4.Period(start: "2025-01-01", end: "2026-01-01")
        #expect(
            (try #require(throws: FHIREncodingError.self) { try RoleProfile(fhir: written) }).field.description
                == "period.end"
        )
        written = try R4.PractitionerRole(profile)
        written.identifier.append(R4.Identifier(system: "https://fhir.nhs.uk/Id/sds-role-profile-id", value: "999"))
        #expect(
            (try #require(throws: FHIREncodingError.self) { try RoleProfile(fhir: written) }).field.description
                == "identifier[1]"
        )
        written = try R4.PractitionerRole(profile)
        written.extension.append(R4.Extension(url: R4.SuiteExtension.grantedActivity.rawValue, value: .code("R8000")))
        #expect(
            (try #require(throws: FHIREncodingError.self) { try RoleProfile(fhir: written) }).field.description
                == "extension[\(written.extension.count - 1)]"
        )
    }

    // MARK: Flags

    @Test("seeded break-glass grants and protected items survive domain to FHIR JSON to domain")
    func seededFlagsRoundTrip() throws {
        let facts = Self.policy().facts
        let grants = facts.grants.values.sorted { $0.id.rawValue < $1.id.rawValue }
        let items = facts.items.values.sorted { $0.id.rawValue < $1.id.rawValue }
        #expect(!grants.isEmpty && items.count >= 10)
        for (index, grant) in grants.enumerated() {
            let written = try R4.Flag(breakGlass: grant)
            #expect(try BreakGlassGrant(fhir: try Self.throughJSON(written, name: "flag-breakglass-\(index)")) == grant)
        }
        var sawNOPAT = false
        for (index, item) in items.enumerated() {
            let written = try R4.Flag(protecting: item, id: "flag-\(item.id.rawValue)")
            #expect(try ProtectedItem(fhir: try Self.throughJSON(written, name: "flag-protected-\(index)")) == item)
            let labels = written.meta?.security.compactMap(\.code?.value) ?? []
            #expect(labels.contains("R"))
            #expect(
                labels.contains("NOPAT")
                    == (item.hiddenFromPatient || item.withheldUntilDiscussed || item.hiddenFromProxies)
            )
            sawNOPAT = sawNOPAT || labels.contains("NOPAT")
            #expect(try R4.Flag(protecting: item, keeping: written) == written)
        }
        #expect(sawNOPAT)
    }

    @Test("a safeguarding item hidden from a proxy only is labelled NOPAT, which covers family and caregivers")
    func proxyOnlySafeguarding() throws {
        let item = ProtectedItem(
            id: Access.ItemID(unchecked: "item-lucy-1"),
            patient: Access.PatientID(unchecked: "patient-lucy"),
            dataClass: .safeguarding,
            reason: .safeguarding,
            hiddenFromPatient: false,
            hiddenFromProxies: true
        )
        var written = try R4.Flag(protecting: item)
        #expect(written.meta?.security.compactMap(\.code?.value) == ["R", "NOPAT"])
        #expect(written.category.first?.coding.first?.code?.value == "safety")
        #expect(try ProtectedItem(fhir: written) == item)

        var discussed = item
        discussed.hiddenFromPatient = true
        discussed.discussed = Date(timeIntervalSince1970: 1_790_000_000.5)
        let rewritten = try R4.Flag(protecting: discussed, keeping: written)
        #expect(rewritten.meta?.security.compactMap(\.code?.value) == ["R", "NOPAT"])
        #expect(try ProtectedItem(fhir: rewritten) == discussed)
        // A very restricted label from another system is stricter than restricted, and stays.
        written.meta?.security = [
            R4.Coding(system: "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", code: "V")
        ]
        #expect(
            try R4.Flag(protecting: item, keeping: written).meta?.security.compactMap(\.code?.value) == ["V", "NOPAT"]
        )
    }

    @Test("flags that are not active, not coded as the suite writes them or without their extension are refused")
    func flagRefusals() throws {
        let grant = try BreakGlassGrant(
            id: BreakGlassGrant.ID(unchecked: "grant-1"),
            user: Access.UserID(unchecked: "user-crew"),
            profile: RoleProfile.ID(unchecked: "555123456789"),
            patient: Access.PatientID(unchecked: "patient-claire"),
            reason: .patientUnconscious,
            justification: Redacted("Unresponsive at scene, history needed"),
            start: Date(timeIntervalSince1970: 1_790_000_000),
            expiry: Date(timeIntervalSince1970: 1_790_000_000 + 4 * 3_600)
        )
        let written = try R4.Flag(breakGlass: grant)
        #expect(written.code.coding.first?.code?.value == "BTG")
        #expect(written.author?.identifier?.value?.value == "user-crew" && written.author?.reference == nil)
        func field(_ change: (inout R4.Flag) -> Void) throws -> String {
            var flag = written
            change(&flag)
            return try #require(throws: FHIREncodingError.self) { try BreakGlassGrant(fhir: flag) }.field.description
        }
        #expect(try field { $0.status = "inactive" } == "status")
        #expect(try field { $0.code = R4.CodeableConcept(text: "Emergency") } == "code")
        #expect(try field { $0.period?.end = nil } == "period")
        #expect(try field { $0.period = R4.Period(start: $0.period?.start, end: $0.period?.start) } == "period.end")
        #expect(try field { $0.extension = [] } == "extension")
        #expect(try field { $0.extension[0].extension[2].value = .string(" ") } == "extension[0].extension[2]")

        let allergy = try Self.decode(R4.Flag.self, "uk-core/UKCore-Flag-FoodAllergy-Example.json")
        #expect(
            (try #require(throws: FHIREncodingError.self) { try BreakGlassGrant(fhir: allergy) }).field.description
                == "code"
        )
        #expect(
            (try #require(throws: FHIREncodingError.self) { try ProtectedItem(fhir: allergy) }).field.description
                == "extension"
        )
    }

    // MARK: AuditEvent

    @Test("seeded audit entries survive domain to FHIR JSON to domain and still match their chain")
    func seededAuditRoundTrip() throws {
        let policy = Self.policy()
        let storage = InMemoryAuditLogStorage()
        let clock = ManualWallClock(startingAt: policy.referenceTime)
        let log = try AuditLog(storage: storage, clock: clock)
        let decisionPoint = PolicyDecisionPoint(facts: policy.facts, timeZone: try CivilTimeZone.europeLondon())
        var generator = SeededRandomNumberGenerator(seed: 9)
        for _ in 0..<150 {
            let request = policy.randomRequest(using: &generator)
            try log.append(AuditRecord(request, decisionPoint.decide(request)))
            clock.advance(by: .milliseconds(Int.random(in: 1...5_000, using: &generator)))
        }
        try log.append(
            AuditRecord(
                event: .breakGlass,
                actor: .patient(Access.PatientID(unchecked: "patient-1")),
                patient: Access.PatientID(unchecked: "patient-1"),
                reasons: [.breakGlass(BreakGlassGrant.ID(unchecked: "grant-9"))]
            )
        )
        try log.append(
            AuditRecord(
                event: .alertReviewed,
                actor: .proxy(Access.PersonID(unchecked: "person-2")),
                patient: Access.PatientID(unchecked: "patient-1")
            )
        )
        let entries = try log.allEntries()
        var kinds: Set<String> = []
        var subtypes: Set<String> = []
        for (index, entry) in entries.enumerated() {
            let written = try R4.AuditEvent(entry, observer: R4.Reference(reference: "Device/access-decision-point"))
            let name = index < 40 || index >= entries.count - 2 ? "auditevent-synthetic-\(index)" : "unemitted"
            let bytes = try FHIREncoder().encode(written)
            let back = try AuditEntry(
                fhir: name == "unemitted"
                    ? try FHIRDecoder().decode(R4.AuditEvent.self, from: bytes)
                    : try Self.throughJSON(written, name: name)
            )
            #expect(back == entry, "entry \(entry.sequence)")
            kinds.formUnion(entry.reasons.map { "\($0)".prefix { $0 != "(" }.description })
            subtypes.formUnion(written.subtype.compactMap(\.code?.value))
        }
        #expect(AuditLog.verify(entries: entries, checkpoints: [], key: nil).isIntact)
        #expect(subtypes == ["AuthZ-Consent", "AuthZ-Role", "break-glass", "alert-reviewed"])
        #expect(kinds.count >= 10, "many kinds of reason were exercised")
    }

    @Test("every kind of decision reason survives the round trip")
    func everyReason() throws {
        let authority = ProxyAuthority.ID(unchecked: "authority-1")
        let reasons: [DecisionReason] = [
            .noActivityDefined(DataClass(rawValue: "team defined class"), .update),
            .activityMissing(
                required: [try ActivityCode(parsing: "B0825"), try ActivityCode(parsing: "B0820")],
                jobRole: try JobRoleCode(parsing: "R8000")
            ),
            .activityMissing(required: [], jobRole: try JobRoleCode(parsing: "R8000")),
            .activityHeld(try ActivityCode(parsing: "B0370")),
            .purposeNotAllowed(.selfAccess), .nationalDataOptOut, .type1OptOut, .noAgreement, .privacyUnknown,
            .agreement(DataSharingAgreement.ID(unchecked: "dsa-1")),
            .relationship(LegitimateRelationship.ID(unchecked: "rel-1"), .careTeam), .noRelationship,
            .consentPermits(ConsentDirective.ID(unchecked: "c-1"), ProvisionPath([])),
            .consentDenies(ConsentDirective.ID(unchecked: "c-1"), ProvisionPath([1, 0, 12])),
            .consentDenialOverridden(ConsentDirective.ID(unchecked: "c-2"), ProvisionPath([3])),
            .breakGlass(BreakGlassGrant.ID(unchecked: "grant-1")), .ownRecord, .notOwnRecord, .actionNotAllowed,
            .ageUnknown, .tooYoungForSelfAccess, .competenceNotEstablished, .gillickCompetent, .noProxyAuthority,
            .proxyAuthority(authority, .parentalResponsibility), .administrativeAccessOnly,
            .refusedByCompetentChild(authority), .basisNotValidAtAge(authority, .parentalResponsibility),
            .outsideProxyScope(authority),
        ]
        let log = try AuditLog(
            storage: InMemoryAuditLogStorage(),
            clock: FixedWallClock(Date(timeIntervalSince1970: 1_790_000_000))
        )
        let entry = try log.append(
            AuditRecord(
                event: .decision,
                actor: .staff(
                    Access.UserID(unchecked: "user-1"),
                    RoleProfile.ID(unchecked: "555123456789"),
                    try ODSCode(parsing: "RK9"),
                    try JobRoleCode(parsing: "R8000")
                ),
                patient: Access.PatientID(unchecked: "patient-1"),
                dataClass: .carePlan,
                action: .read,
                purpose: "TREAT",
                effect: .deny,
                reasons: reasons
            )
        )
        let written = try R4.AuditEvent(entry, observer: R4.Reference(reference: "Device/pdp"), id: "audit-0")
        #expect(written.outcome?.value == "8" && written.action?.value == "E")
        #expect(written.agent.count == 2 && written.agent[1].who?.identifier?.value?.value == "RK9")
        #expect(written.entity.first?.what?.reference?.value == "Patient/patient-1")
        #expect(try AuditEntry(fhir: try Self.throughJSON(written, name: "auditevent-every-reason")) == entry)
    }

    @Test("an AuditEvent changed after it was written, or one the suite did not write, is refused")
    func auditRefusals() throws {
        let log = try AuditLog(
            storage: InMemoryAuditLogStorage(),
            clock: FixedWallClock(Date(timeIntervalSince1970: 1_790_000_000))
        )
        let entry = try log.append(
            AuditRecord(
                event: .decision,
                actor: .patient(Access.PatientID(unchecked: "patient-1")),
                patient: Access.PatientID(unchecked: "patient-1"),
                dataClass: .results,
                action: .read,
                purpose: "PATRQT",
                effect: .permit,
                reasons: [.ownRecord]
            )
        )
        let written = try R4.AuditEvent(entry, observer: R4.Reference(reference: "Device/pdp"))
        func field(_ change: (inout R4.AuditEvent) -> Void) throws -> String {
            var event = written
            change(&event)
            return try #require(throws: FHIREncodingError.self) { try AuditEntry(fhir: event) }.field.description
        }
        // A permit rewritten as a denial or dropped, or the entry moved to another patient, no longer matches
        // its hash.
        #expect(try field { $0.outcome = "8" } == "extension[0].extension[2]")
        #expect(try field { $0.outcome = nil } == "extension[0].extension[2]")
        #expect(
            try field { $0.entity[0].what = R4.Reference(reference: "Patient/patient-2") }
                == "extension[0].extension[2]"
        )
        #expect(try field { $0.recorded = "2026-09-21T14:13:21Z" } == "extension[0].extension[2]")
        #expect(try field { $0.outcome = "4" } == "outcome")
        #expect(try field { $0.agent[0].requestor = false } == "agent")
        #expect(try field { $0.entity = [] } == "entity")
        #expect(try field { $0.subtype = [] } == "subtype")
        #expect(try field { $0.extension = [] } == "extension")
        #expect(try field { $0.extension[0].extension[0].value = .string("-1") } == "extension[0].extension[0]")

        let query = try Self.decode(R4.AuditEvent.self, "uk-core/UKCore-AuditEvent-Query-Example.json")
        #expect(
            (try #require(throws: FHIREncodingError.self) { try AuditEntry(fhir: query) }).field.description == "type"
        )
    }
}
