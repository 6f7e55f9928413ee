import CareCore
import CarePlans
import FHIREncoding
import Foundation
import Testing

@Suite("Care plans, goals and care teams and UK Core")
struct CarePlanMappingTests {
    static let patient = CarePlan.PatientID(unchecked: "patient-claire")

    /// A moment a whole number of minutes after 2026-11-30 08:00 UTC.
    static func minutes(_ count: Int) -> Date {
        Date(timeIntervalSince1970: 1_796_025_600 + Double(count) * 60)
    }

    /// A day in 2026 or 2027.
    ///
    /// - Throws: ``CareCoreError`` only for an offset beyond the calendar, a defect.
    static func day(_ offset: Int) throws -> CivilDate {
        try CivilDate(year: 2026, month: 1, day: 1).adding(days: offset)
    }

    /// Picks one of the values.
    static func pick<Value>(_ values: [Value], _ generator: inout SeededRandomNumberGenerator) -> Value {
        values[Int.random(in: 0..<values.count, using: &generator)]
    }

    /// Returns the value or nil, at random.
    static func maybe<Value>(_ value: Value, _ generator: inout SeededRandomNumberGenerator) -> Value? {
        Bool.random(using: &generator) ? value : nil
    }

    /// A seeded change: any author, sometimes an organisation, a moment with or without fractions of a second.
    ///
    /// - Throws: ``CarePlansError`` only if the generator made an empty text, a defect.
    static func change(_ index: Int, _ generator: inout SeededRandomNumberGenerator) throws -> PlanChange {
        let fraction = Bool.random(using: &generator) ? 0 : Double(Int.random(in: 1...999, using: &generator)) / 1000
        return try PlanChange(
            author: pick(["Dr Amara Osei", "Claire Penrose", "Jo Trelawny"], &generator),
            role: pick(["GP", "patient", "community matron"], &generator),
            organisation: maybe(try ODSCode(parsing: pick(["A81001", "RK9", "Y05868"], &generator)), &generator),
            at: minutes(index * 1_000 + Int.random(in: 0..<900, using: &generator)).addingTimeInterval(fraction),
            reason: pick(["first draft", "agreed at review", "ReSPECT added", "moved to GP"], &generator)
        )
    }

    /// Seeded plan content, with every section sometimes empty and sometimes full.
    ///
    /// - Throws: CareCore's errors only if the generator made an invalid value, a defect.
    static func content(_ seed: Int, _ generator: inout SeededRandomNumberGenerator) throws -> PlanContent {
        let voices = Voice.allCases
        let goals = try (0..<Int.random(in: 0...3, using: &generator)).map { index in
            Goal(
                id: Goal.ID(unchecked: "goal-\(seed)-\(index)"),
                description: pick(["Walk to the shop and back", "Keep my HbA1c down", "Sleep through"], &generator),
                expressedBy: pick(voices, &generator),
                measure: maybe("HbA1c", &generator),
                target: maybe(pick(["below 58 mmol/mol", "to the shop and back"], &generator), &generator),
                due: maybe(try day(Int.random(in: 0...700, using: &generator)), &generator),
                lifecycle: pick(Goal.Lifecycle.allCases, &generator),
                achievement: maybe(pick(Goal.Achievement.allCases, &generator), &generator),
                progress: try (0..<Int.random(in: 0...2, using: &generator)).map { entry in
                    Goal.Progress(
                        date: try day(entry * 30 + Int.random(in: 0...29, using: &generator)),
                        note: pick(["Walked halfway", "Better this month", "Set back by a fall"], &generator),
                        achievement: maybe(pick(Goal.Achievement.allCases, &generator), &generator),
                        recordedBy: pick(voices, &generator)
                    )
                }
            )
        }
        let actions = try (0..<Int.random(in: 0...3, using: &generator)).map { index in
            PlanAction(
                id: PlanAction.ID(unchecked: "action-\(seed)-\(index)"),
                what: pick(["Check blood glucose weekly", "Book retinal screening", "Walk daily"], &generator),
                owner: pick(["the person", "Dr Amara Osei", "Community matron team"], &generator),
                due: maybe(try day(Int.random(in: 0...700, using: &generator)), &generator),
                status: pick(PlanAction.Status.allCases, &generator)
            )
        }
        let contacts = (0..<Int.random(in: 0...2, using: &generator)).map { index in
            NamedContact(
                id: NamedContact.ID(unchecked: "contact-\(seed)-\(index)"),
                name: pick(["Morwenna Penrose", "Ben Hocking"], &generator),
                relationship: pick(["daughter", "carer", "safeguarding lead"], &generator),
                telephone: maybe("07700 900123", &generator),
                isEmergencyContact: Bool.random(using: &generator),
                isSafeguardingContact: Bool.random(using: &generator)
            )
        }
        let team = try (0..<Int.random(in: 0...3, using: &generator)).map { _ in
            CareTeamMember(
                name: pick(["Dr Amara Osei", "Jo Trelawny", "Dr Sam Pascoe"], &generator),
                role: pick(["GP", "community matron", "consultant cardiologist"], &generator),
                organisation: maybe(try ODSCode(parsing: pick(["A81001", "RK9"], &generator)), &generator),
                telephone: maybe("01872 250000", &generator),
                isLead: Bool.random(using: &generator)
            )
        }
        let document = {
            (generator: inout SeededRandomNumberGenerator) -> LegalDocument in
            LegalDocument(
                status: pick(LegalDocument.Status.allCases, &generator),
                location: maybe("copy at home, in the kitchen drawer", &generator),
                holder: maybe("Morwenna Penrose", &generator)
            )
        }
        let respect = ReSPECTRecommendations(
            cpr: pick(ReSPECTRecommendations.CPR.allCases, &generator),
            careFocus: pick(ReSPECTRecommendations.CareFocus.allCases, &generator),
            specificRecommendations: Array(
                ["For ward-based care", "Not for intensive care", "For antibiotics"]
                    .prefix(Int.random(in: 0...3, using: &generator))
            ),
            hospitalAdmissionWanted: maybe(Bool.random(using: &generator), &generator),
            recordedBy: "Dr Amara Osei, GP",
            recordedOn: try day(Int.random(in: 0...300, using: &generator)),
            reviewBy: maybe(try day(400), &generator)
        )
        let channels: [CommunicationChannel] = pick(
            [[], [.sms, .email], [.letter], [CommunicationChannel(rawValue: "carer-phone", isDigital: false)]],
            &generator
        )
        let language = maybe(try LanguageTag(parsing: pick(["en-GB", "kw", "pl"], &generator)), &generator)
        return PlanContent(
            title: pick(["My diabetes and heart failure plan", "Keeping well at home"], &generator),
            aboutMe: AboutMe(
                pleaseCallMe: maybe("Claire", &generator),
                whatMattersToMe: pick(["Staying at home with my dog", "Seeing my grandchildren"], &generator),
                howToCommunicateWithMe: maybe("Speak slowly; I lip-read when tired", &generator),
                peopleImportantToMe: maybe("Morwenna, my daughter", &generator),
                aGoodDay: maybe("A walk on the beach", &generator)
            ),
            goals: goals,
            actions: actions,
            contacts: contacts,
            careTeam: team,
            advanceCarePlan: AdvanceCarePlan(
                respect: maybe(respect, &generator),
                preferredPlaceOfCare: maybe("At home", &generator),
                advanceDecisionToRefuseTreatment: document(&generator),
                lastingPowerOfAttorney: document(&generator)
            ),
            mentalHealthAndWellbeing: maybe("Low mood in winter", &generator),
            communication: try CommunicationPreferences(
                preferredChannels: channels,
                noDigital: channels.allSatisfy { !$0.isDigital } && Bool.random(using: &generator),
                needs: Bool.random(using: &generator) ? [.largePrint] : [],
                preferredLanguage: language,
                interpreterRequired: language != nil && Bool.random(using: &generator)
            ),
            contingency: Array(
                ["If my breathing worsens, call 111", "If I fall, call Morwenna"]
                    .prefix(Int.random(in: 0...2, using: &generator))
            ),
            reviewDate: maybe(try day(Int.random(in: 100...500, using: &generator)), &generator),
            owner: maybe(
                PlanOwner(name: "Dr Amara Osei", role: "GP", organisation: try ODSCode(parsing: "A81001")),
                &generator
            )
        )
    }

    /// A seeded plan with a history: a draft, made active, revised, then moved on to any later status.
    ///
    /// - Throws: The domain's errors only if the generator made an invalid plan, a defect.
    static func plan(_ index: Int, _ generator: inout SeededRandomNumberGenerator) throws -> CarePlan {
        var plan = try CarePlan(
            id: CarePlan.ID(unchecked: "plan-\(index)"),
            patient: patient,
            content: try content(index, &generator),
            change: try change(index, &generator)
        )
        plan = try plan.moved(expectedVersion: 1, to: .active, change: try change(index, &generator))
        let revised = try content(index + 10_000, &generator)
        if revised != plan.content {
            plan = try plan.revised(expectedVersion: plan.version, change: try change(index, &generator)) {
                $0 = revised
            }
        }
        switch Int.random(in: 0..<5, using: &generator) {
        case 0: plan = try plan.moved(expectedVersion: plan.version, to: .onHold, change: try change(index, &generator))
        case 1:
            plan = try plan.moved(expectedVersion: plan.version, to: .revoked, change: try change(index, &generator))
        case 2:
            plan = try plan.moved(
                expectedVersion: plan.version,
                to: .enteredInError,
                change: try change(index, &generator)
            )
        case 3 where plan.content.actions.allSatisfy({ [.completed, .cancelled, .stopped].contains($0.status) }):
            plan = try plan.moved(expectedVersion: plan.version, to: .completed, change: try change(index, &generator))
        default: break
        }
        return plan
    }

    /// Writes every version of a plan, checks each strictly as JSON, and reads them back.
    ///
    /// - Throws: The encoder's, decoder's or mapping's errors.
    static func versions(of plan: CarePlan, name: String) throws -> [R4.CarePlan] {
        try plan.versions.map { version in
            let written = try R4.CarePlan(plan, version: version.number)
            let bytes = try Emitted.write(written, name: "\(name)-v\(version.number)")
            return try FHIRDecoder().decode(R4.CarePlan.self, from: bytes)
        }
    }

    @Test("seeded plans with their whole history survive domain to FHIR JSON to domain")
    func seededRoundTrips() throws {
        var generator = SeededRandomNumberGenerator(seed: 20_261_126)
        var statuses: Set<PlanStatus> = []
        var sawRespect = false
        var sawVoices: Set<Voice> = []
        for index in 0..<80 {
            let plan = try Self.plan(index, &generator)
            let fhir = try Self.versions(of: plan, name: "careplan-synthetic-\(index)")
            let back = try CarePlan(fhirVersions: fhir)
            #expect(back == plan, "plan \(index)")
            for version in plan.versions {
                statuses.insert(version.status)
                sawRespect = sawRespect || version.content.advanceCarePlan.respect != nil
                sawVoices.formUnion(version.content.goals.map(\.expressedBy))
            }
            #expect(fhir.allSatisfy { $0.meta?.profile.first?.value == R4.UKCoreProfile.carePlan.rawValue })
        }
        #expect(statuses == Set(PlanStatus.allCases), "every plan status was exercised")
        #expect(sawRespect)
        #expect(sawVoices == Set(Voice.allCases))
    }

    @Test("a version is written with its number, its change and its goals and team contained")
    func versionShape() throws {
        var generator = SeededRandomNumberGenerator(seed: 7)
        var plan = try Self.plan(1, &generator)
        while plan.content.goals.isEmpty || plan.content.careTeam.isEmpty {
            plan = try Self.plan(Int.random(in: 2...10_000, using: &generator), &generator)
        }
        let written = try R4.CarePlan(plan)
        #expect(written.meta?.versionId?.value == String(plan.version))
        #expect(written.intent.value == "plan")
        #expect(written.subject.reference?.value == "Patient/patient-claire")
        #expect(written.category.first?.coding.first?.code?.value == "734163000")
        #expect(written.goal.map { $0.reference?.value } == plan.content.goals.map { "#\($0.id.rawValue)" })
        #expect(written.careTeam.first?.reference?.value == "#care-team")
        #expect(written.contained.count == plan.content.goals.count + 1)
        #expect(written.activity.map(\.id) == plan.content.actions.map(\.id.rawValue))
        // The first version's moment is the plan's creation.
        #expect(try Instant(parsing: written.created?.value ?? "").date == plan.versions[0].change.at)
        // An earlier version reads back as that version.
        let first = try R4.CarePlan(plan, version: 1)
        #expect(try PlanVersion(fhir: first) == plan.versions[0])
        #expect(throws: FHIREncodingError.self) { try R4.CarePlan(plan, version: plan.version + 1) }
    }

    /// A plan with a goal, an action and a team member, written as one CarePlan.
    ///
    /// - Throws: The domain's or mapping's errors, a defect.
    static func simple() throws -> (CarePlan, R4.CarePlan) {
        let content = PlanContent(
            title: "Keeping well at home",
            aboutMe: AboutMe(whatMattersToMe: "Staying at home with my dog"),
            goals: [Goal(id: Goal.ID(unchecked: "walk"), description: "Walk to the shop", expressedBy: .patient)],
            actions: [PlanAction(id: PlanAction.ID(unchecked: "glucose"), what: "Check glucose", owner: "the person")],
            careTeam: [CareTeamMember(name: "Dr Amara Osei", role: "GP")],
            communication: try CommunicationPreferences()
        )
        let plan = try CarePlan(
            id: CarePlan.ID(unchecked: "plan-simple"),
            patient: patient,
            content: content,
            change: try PlanChange(
                author: "Dr Amara Osei",
                role: "GP",
                organisation: nil,
                at: minutes(0),
                reason: "first draft"
            )
        )
        return (plan, try R4.CarePlan(plan))
    }

    /// Decodes an R4 resource of a type from JSON text, leniently, so that the mapping's own checks are reached.
    ///
    /// - Throws: The decoder's error.
    static func decode<Resource: R4.ResourceModel>(_ json: String, as type: Resource.Type) throws -> Resource {
        try FHIRDecoder(mode: .lenient).decode(type, from: Array(json.utf8))
    }

    /// The JSON text of a resource.
    ///
    /// - Throws: The encoder's error.
    static func json<Resource: R4.ResourceModel>(_ resource: Resource) throws -> String {
        String(decoding: try FHIREncoder().encode(resource), as: UTF8.self)
    }

    @Test("what the plan has no place for survives a change and a write-back")
    func writeBackKeepsWhatThePlanDoesNotModel() throws {
        let (plan, written) = try Self.simple()
        var foreign = written
        foreign.identifier = [R4.Identifier(system: "https://trust.example.nhs.uk/careplan", value: "CP-1")]
        foreign.note = [R4.Annotation(text: "Discussed at MDT")]
        foreign.period = R4.Period(start: "2026-11-30")
        foreign.extension.append(R4.Extension(url: "https://trust.example.nhs.uk/ext", value: .string("kept")))
        foreign.extension[0].extension.append(R4.Extension(url: "laterPart", value: .string("from a later suite")))
        foreign.activity.append(R4.CarePlan.Activity(reference: R4.Reference(reference: "Appointment/appt-1")))
        foreign.activity[0].outcomeCodeableConcept = [R4.CodeableConcept(text: "Glucose stable")]
        guard case .goal(var goal) = foreign.contained[0] else {
            Issue.record("the first contained resource is the goal")
            return
        }
        goal.priority = R4.CodeableConcept(text: "high")
        foreign.contained[0] = .goal(goal)
        foreign.text = R4.Narrative(status: "generated", div: "<div xmlns=\"http://www.w3.org/1999/xhtml\">Plan</div>")

        let unchanged = try R4.CarePlan(plan, keeping: foreign)
        #expect(unchanged.text != nil, "an unchanged version keeps its narrative")
        #expect(unchanged.identifier == foreign.identifier)

        let read = try PlanVersion(fhir: foreign)
        #expect(read == plan.current)
        let changed = try plan.revised(
            expectedVersion: 1,
            change: try PlanChange(
                author: "Claire Penrose",
                role: "patient",
                organisation: nil,
                at: Self.minutes(60),
                reason: "my words"
            )
        ) { content in
            content.title = "Keeping well at home with Bramble"
            content.goals[0].achievement = .improving
        }
        let back = try R4.CarePlan(changed, keeping: foreign)
        #expect(back.text == nil, "a changed version drops the narrative")
        #expect(back.identifier == foreign.identifier)
        #expect(back.note == foreign.note)
        #expect(back.period == foreign.period)
        #expect(back.extension.contains { $0.url == "https://trust.example.nhs.uk/ext" })
        #expect(
            back.extension.first { $0.url == R4.SuiteExtension.aboutMe.rawValue }?.extension.contains {
                $0.url == "laterPart"
            } == true
        )
        #expect(back.activity.count == 2)
        #expect(back.activity[0].outcomeCodeableConcept == foreign.activity[0].outcomeCodeableConcept)
        #expect(back.activity[1].reference?.reference?.value == "Appointment/appt-1")
        guard case .goal(let backGoal) = back.contained[0] else {
            Issue.record("the first contained resource is the goal")
            return
        }
        #expect(backGoal.priority?.text?.value == "high")
        #expect(back.meta?.versionId?.value == "2")
        let bytes = try Emitted.write(back, name: "careplan-write-back")
        #expect(try PlanVersion(fhir: try FHIRDecoder().decode(R4.CarePlan.self, from: bytes)) == changed.current)
    }

    @Test(
        "a plan the mapping cannot read is refused at the element at fault",
        arguments: [
            ("\"title\"", "\"titel\"", "title"),
            ("about-me", "about-you", "extension"),
            ("\"intent\":\"plan\"", "\"intent\":\"proposal\"", "intent"),
            ("\"status\":\"draft\"", "\"status\":\"unknown\"", "status"),
            ("\"#walk\"", "\"#run\"", "goal[0].reference"),
            (
                "\"expressedBy\":{\"reference\":\"Patient/patient-claire\"}", "\"priority\":{\"text\":\"high\"}",
                "contained[0].expressedBy"
            ),
            (
                "\"expressedBy\":{\"reference\":\"Patient/patient-claire\"}",
                "\"expressedBy\":{\"reference\":\"Patient/patient-other\"}", "contained[0].expressedBy.reference"
            ),
            (
                "\"status\":\"not-started\"", "\"status\":\"not-started\",\"doNotPerform\":true",
                "activity[0].detail.doNotPerform"
            ),
            ("\"status\":\"not-started\"", "\"status\":\"entered-in-error\"", "activity[0].detail.status"),
            (
                "\"performer\":[{\"reference\":\"Patient/patient-claire\"}]",
                "\"performer\":[{\"display\":\"A\"},{\"display\":\"B\"}]", "activity[0].detail.performer"
            ),
            (
                "\"performer\":[{\"reference\":\"Patient/patient-claire\"}]",
                "\"performer\":[{\"reference\":\"Practitioner/p1\"}]", "activity[0].detail.performer[0].display"
            ),
            (
                "\"member\":{\"type\":\"Practitioner\",\"display\":\"Dr Amara Osei\"}",
                "\"member\":{\"type\":\"Practitioner\"}", "contained[1].participant[0].member.display"
            ),
            (
                "\"resourceType\":\"CarePlan\",",
                "\"resourceType\":\"CarePlan\",\"modifierExtension\":[{\"url\":\"https://x.example/m\",\"valueBoolean\":true}],",
                "modifierExtension[0]"
            ),
            ("plan-change", "plan-changes", "extension"),
            (
                "\"reason\",\"valueString\":\"first draft\"", "\"reason\",\"valueInteger\":1",
                "extension[1].extension[3]"
            ),
        ]
    )
    func refusals(original: String, replacement: String, field: String) throws {
        let (_, written) = try Self.simple()
        let text = try Self.json(written)
        #expect(text.contains(original), "the written plan holds \(original)")
        let changed = try Self.decode(text.replacingOccurrences(of: original, with: replacement), as: R4.CarePlan.self)
        let error = try #require(throws: FHIREncodingError.self) { try PlanVersion(fhir: changed) }
        #expect(error.code == .unmappable)
        #expect(error.field.description == field)
    }

    @Test("versions out of order, of another plan or not allowed by the lifecycle are refused")
    func historyRefusals() throws {
        var generator = SeededRandomNumberGenerator(seed: 11)
        let plan = try Self.plan(3, &generator)
        let fhir = try Self.versions(of: plan, name: "careplan-history-\(3)")
        let swapped = try #require(throws: FHIREncodingError.self) { try CarePlan(fhirVersions: fhir.reversed()) }
        #expect(swapped.field.description.hasPrefix("fhirVersions[0]"))
        var other = fhir
        other[1].id = "plan-other"
        let mixed = try #require(throws: FHIREncodingError.self) { try CarePlan(fhirVersions: other) }
        #expect(mixed.field.description == "fhirVersions[1].id")
        var backwards = fhir
        backwards[1].status = "completed"
        let lifecycle = try #require(throws: FHIREncodingError.self) { try CarePlan(fhirVersions: backwards) }
        #expect(lifecycle.field.description == "fhirVersions[1].status")
        #expect(throws: FHIREncodingError.self) { try CarePlan(fhirVersions: []) }
    }

    @Test("writing refuses text FHIR cannot carry and ids that would clash")
    func writeRefusals() throws {
        let (plan, _) = try Self.simple()
        let change = try PlanChange(
            author: "Dr Amara Osei",
            role: "GP",
            organisation: nil,
            at: Self.minutes(5),
            reason: "edit"
        )
        let emptyContingency = try plan.revised(expectedVersion: 1, change: change) { $0.contingency = [""] }
        let error = try #require(throws: FHIREncodingError.self) { try R4.CarePlan(emptyContingency) }
        #expect(error.field.description == "extension")
        let clash = try plan.revised(expectedVersion: 1, change: change) {
            $0.goals.append(Goal(id: Goal.ID(unchecked: "care-team"), description: "Clash", expressedBy: .carer))
        }
        let clashError = try #require(throws: FHIREncodingError.self) { try R4.CarePlan(clash) }
        #expect(clashError.field.description == "goal[1]")
        let emptyMember = try plan.revised(expectedVersion: 1, change: change) {
            $0.careTeam = [CareTeamMember(name: "", role: "GP")]
        }
        let memberError = try #require(throws: FHIREncodingError.self) { try R4.CarePlan(emptyMember) }
        #expect(memberError.field.description == "contained[1].participant[0].member.display")
    }

    @Test("the UK Core CarePlan example maps once it has what the suite requires, and its write-back keeps the rest")
    func ukCoreCarePlan() throws {
        let original = try FHIRDecoder().decode(
            R4.CarePlan.self,
            from: try Corpus.bytes("uk-core/UKCore-CarePlan-WellnessPlan-Example.json")
        )
        let imported = try PlanChange(
            author: "Integration engine",
            role: "interface",
            organisation: try ODSCode(parsing: "RK9"),
            at: Self.minutes(0),
            reason: "imported from the trust's record"
        )
        let untitled = try #require(throws: FHIREncodingError.self) {
            try CarePlan(fhir: original, importedBy: imported)
        }
        #expect(untitled.field.description == "title")
        var completed = original
        completed.title = "Weight management plan"
        let noAboutMe = try #require(throws: FHIREncodingError.self) {
            try CarePlan(fhir: completed, importedBy: imported)
        }
        #expect(noAboutMe.field.description == "extension")
        completed.extension = [
            R4.Extension(
                url: R4.SuiteExtension.aboutMe.rawValue,
                extension: [R4.Extension(url: "whatMattersToMe", value: .string("Avoiding diabetes"))]
            )
        ]
        let plan = try CarePlan(fhir: completed, importedBy: imported)
        #expect(plan.id.rawValue == "UKCore-CarePlan-WellnessPlan-Example")
        #expect(plan.patient.rawValue == "UKCore-Patient-RichardSmith-Example")
        #expect(plan.status == .active)
        #expect(plan.version == 1)
        #expect(plan.content.title == "Weight management plan")
        #expect(plan.content.goals.isEmpty && plan.content.careTeam.isEmpty)
        let action = try #require(plan.content.actions.first)
        #expect(action.what == "Body weight")
        #expect(action.owner == "the person")
        #expect(action.status == .completed)
        #expect(action.due == nil, "a daily timing is not a due date")
        #expect(action.id.rawValue == "activity-1")

        // Written back, everything the suite does not model is kept.
        let back = try R4.CarePlan(plan, keeping: completed)
        #expect(back.identifier == original.identifier)
        #expect(back.basedOn == original.basedOn && back.partOf == original.partOf)
        #expect(back.description == original.description && back.period == original.period)
        #expect(back.created == original.created && back.author == original.author)
        #expect(back.category.contains(original.category[0]))
        var expectedActivity = original.activity[0]
        expectedActivity.id = "activity-1"
        #expect(back.activity == [expectedActivity])
        let bytes = try Emitted.write(back, name: "careplan-ukcore-write-back")
        #expect(try PlanVersion(fhir: try FHIRDecoder().decode(R4.CarePlan.self, from: bytes)).content == plan.content)
    }

    @Test("the UK Core CareTeam example maps once its member has a name and role, and keeps the rest")
    func ukCoreCareTeam() throws {
        let original = try FHIRDecoder().decode(
            R4.CareTeam.self,
            from: try Corpus.bytes("uk-core/UKCore-CareTeam-WeightManagementTeam-Example.json")
        )
        let nameless = try #require(throws: FHIREncodingError.self) { try CareTeamMember.members(fhir: original) }
        #expect(nameless.field.description == "participant[0].member.display")
        var named = original
        named.participant[0].member?.display = "Dr Paul Rastall"
        let roleless = try #require(throws: FHIREncodingError.self) { try CareTeamMember.members(fhir: named) }
        #expect(roleless.field.description == "participant[0].role")
        named.participant[0].role = [R4.CodeableConcept(text: "GP")]
        let members = try CareTeamMember.members(fhir: named)
        #expect(members == [CareTeamMember(name: "Dr Paul Rastall", role: "GP")])

        let patient = CarePlan.PatientID(unchecked: "UKCore-Patient-RichardSmith-Example")
        let unchanged = try R4.CareTeam(members, patient: patient, keeping: named)
        #expect(unchanged.participant == named.participant)
        #expect(unchanged.identifier == original.identifier && unchanged.name == original.name)
        #expect(unchanged.status == original.status && unchanged.managingOrganization == original.managingOrganization)
        let grown = try R4.CareTeam(
            members + [
                CareTeamMember(
                    name: "Jo Trelawny",
                    role: "dietitian",
                    organisation: try ODSCode(parsing: "RK9"),
                    isLead: true
                )
            ],
            patient: patient,
            keeping: named
        )
        let bytes = try Emitted.write(grown, name: "careteam-ukcore-grown")
        let read = try CareTeamMember.members(fhir: try FHIRDecoder().decode(R4.CareTeam.self, from: bytes))
        #expect(read.count == 2 && read[1].isLead && read[1].organisation?.rawValue == "RK9")
        #expect(grown.participant[0] == named.participant[0])
    }

    @Test("a goal reads from a separate Goal resource the plan names by id")
    func separateGoal() throws {
        let (plan, written) = try Self.simple()
        guard case .goal(var goal) = written.contained[0] else {
            Issue.record("the first contained resource is the goal")
            return
        }
        goal.id = "walk"
        var separate = written
        separate.contained.removeFirst()
        separate.goal = [R4.Reference(reference: "Goal/walk")]
        #expect(try PlanVersion(fhir: separate, goals: [goal]) == plan.current)
        let missing = try #require(throws: FHIREncodingError.self) { try PlanVersion(fhir: separate) }
        #expect(missing.field.description == "goal[0].reference")
        // Written back, the goal is contained.
        let back = try R4.CarePlan(plan, keeping: separate)
        #expect(back.goal.first?.reference?.value == "#walk")
    }

    /// A change by the GP at a minute after 08:00 on 30 November 2026.
    ///
    /// - Throws: ``CarePlansError`` only for an empty text, a defect.
    static func edit(_ minute: Int) throws -> PlanChange {
        try PlanChange(author: "Dr Amara Osei", role: "GP", organisation: nil, at: minutes(minute), reason: "edit")
    }

    /// The contained Goal at a position of a CarePlan.
    static func goal(_ carePlan: R4.CarePlan, _ index: Int) -> R4.Goal? {
        guard case .goal(let goal) = carePlan.contained[index] else { return nil }
        return goal
    }

    @Test("write-back uses each original note and participant once and keeps what a changed one holds")
    func writeBackKeepsAuthorsMembersAndCodes() throws {
        let (plan, written) = try Self.simple()
        var foreign = written
        var goal = try #require(Self.goal(written, 0))
        let day = R4.Primitive("2026-05-01")
        goal.note = [
            R4.Annotation(
                text: "Reviewed",
                author: .reference(R4.Reference(reference: "Practitioner/dr-a")),
                time: day
            ),
            R4.Annotation(
                text: "Reviewed",
                author: .reference(R4.Reference(reference: "Practitioner/dr-b")),
                time: day
            ),
        ]
        goal.description = R4.CodeableConcept(
            coding: [R4.Coding(system: "http://snomed.info/sct", code: "289169006", display: "Walk to the shop")]
        )
        foreign.contained[0] = .goal(goal)
        guard case .careTeam(var team) = foreign.contained[1] else {
            Issue.record("the second contained resource is the team")
            return
        }
        team.id = "mdt"
        team.participant[0].member = R4.Reference(reference: "Practitioner/amara", display: "Dr Amara Osei")
        team.participant[0].period = R4.Period(start: "2026-01-01")
        foreign.contained[1] = .careTeam(team)
        foreign.careTeam = [R4.Reference(reference: "#mdt")]
        let read = try PlanVersion(fhir: foreign)
        #expect(read.content.goals[0].progress.count == 2)

        let changed = try CarePlan(restoring: plan.id, patient: plan.patient, versions: [read]).revised(
            expectedVersion: 1,
            change: try Self.edit(9)
        ) { content in
            content.goals[0].lifecycle = .completed
            content.careTeam[0].telephone = "01872 250000"
        }
        let back = try R4.CarePlan(changed, keeping: foreign)
        let backGoal = try #require(Self.goal(back, 0))
        #expect(backGoal.note == goal.note, "each entry keeps its own author")
        #expect(backGoal.description == goal.description, "the coded description stays")
        guard case .careTeam(let backTeam) = back.contained[1] else {
            Issue.record("the second contained resource is the team")
            return
        }
        #expect(backTeam.id == "mdt" && back.careTeam.first?.reference?.value == "#mdt", "the team keeps its id")
        #expect(backTeam.participant[0].member == team.participant[0].member)
        #expect(backTeam.participant[0].period == team.participant[0].period)
        #expect(try PlanVersion(fhir: back).content == changed.content)
    }

    @Test("a removed ReSPECT form leaves no partial extension, and a new change carries nothing of the last")
    func removedFormAndNewChange() throws {
        let (simple, _) = try Self.simple()
        let respect = ReSPECTRecommendations(
            cpr: .attemptsNotRecommended,
            careFocus: .comfort,
            recordedBy: "Dr Amara Osei, GP",
            recordedOn: try CivilDate(year: 2026, month: 11, day: 2)
        )
        let plan = try simple.revised(expectedVersion: 1, change: try Self.edit(1)) {
            $0.advanceCarePlan.respect = respect
        }
        var foreign = try R4.CarePlan(plan)
        for index in foreign.extension.indices
        where [R4.SuiteExtension.respectRecommendations.rawValue, R4.SuiteExtension.planChange.rawValue]
            .contains(foreign.extension[index].url)
        {
            foreign.extension[index].extension.append(R4.Extension(url: "laterPart", value: .string("later")))
        }
        let unchanged = try plan.revised(expectedVersion: 2, change: try Self.edit(2)) { $0.title = "Renamed" }
        let kept = try R4.CarePlan(unchanged, keeping: foreign)
        let form = kept.extension.first { $0.url == R4.SuiteExtension.respectRecommendations.rawValue }
        #expect(form?.extension.contains { $0.url == "laterPart" } == true, "an unchanged form is kept whole")
        let change = kept.extension.first { $0.url == R4.SuiteExtension.planChange.rawValue }
        #expect(change?.extension.contains { $0.url == "laterPart" } == false, "the new change is new")

        let removed = try plan.revised(expectedVersion: 2, change: try Self.edit(3)) {
            $0.advanceCarePlan.respect = nil
        }
        let back = try R4.CarePlan(removed, keeping: foreign)
        #expect(!back.extension.contains { $0.url == R4.SuiteExtension.respectRecommendations.rawValue })
        #expect(try PlanVersion(fhir: back).content.advanceCarePlan.respect == nil)
    }

    @Test("a due date changes only a period's end, and is refused over a timing")
    func dueDates() throws {
        let (plan, written) = try Self.simple()
        var foreign = written
        foreign.activity[0].detail?.scheduled = .period(R4.Period(start: "2026-12-01"))
        let due = try CivilDate(year: 2027, month: 1, day: 31)
        let read = try PlanVersion(fhir: foreign)
        let restored = try CarePlan(restoring: plan.id, patient: plan.patient, versions: [read])
        let dated = try restored.revised(expectedVersion: 1, change: try Self.edit(4)) { $0.actions[0].due = due }
        let back = try R4.CarePlan(dated, keeping: foreign)
        #expect(back.activity[0].detail?.scheduled == .period(R4.Period(start: "2026-12-01", end: "2027-01-31")))
        foreign.activity[0].detail?.scheduled = .string("every morning")
        let timed = try CarePlan(restoring: plan.id, patient: plan.patient, versions: [try PlanVersion(fhir: foreign)])
            .revised(expectedVersion: 1, change: try Self.edit(5)) { $0.actions[0].due = due }
        let error = try #require(throws: FHIREncodingError.self) { try R4.CarePlan(timed, keeping: foreign) }
        #expect(error.field.description == "activity[0].detail.scheduled")
    }

    @Test("review refusals: blank text, another patient's team or plan, coded measures, lifecycle paths")
    func reviewRefusals() throws {
        let (plan, written) = try Self.simple()
        var blank = written
        var goal = try #require(Self.goal(written, 0))
        goal.description = R4.CodeableConcept(text: " ")
        blank.contained[0] = .goal(goal)
        let blankError = try #require(throws: FHIREncodingError.self) { try PlanVersion(fhir: blank) }
        #expect(blankError.field.description == "contained[0].description")

        var coded = written
        goal = try #require(Self.goal(written, 0))
        goal.target = [
            R4.Goal.Target(
                measure: R4.CodeableConcept(coding: [R4.Coding(system: "http://loinc.org", code: "4548-4")]),
                detail: .string("below 58")
            )
        ]
        coded.contained[0] = .goal(goal)
        let codedError = try #require(throws: FHIREncodingError.self) { try PlanVersion(fhir: coded) }
        #expect(codedError.field.description == "contained[0].target[0].measure")

        guard case .careTeam(var team) = written.contained[1] else {
            Issue.record("the second contained resource is the team")
            return
        }
        team.id = "other-team"
        team.subject = R4.Reference(reference: "Patient/patient-other")
        var separate = written
        separate.contained.remove(at: 1)
        separate.careTeam = [R4.Reference(reference: "CareTeam/other-team")]
        let teamError = try #require(throws: FHIREncodingError.self) {
            try PlanVersion(fhir: separate, careTeams: [team])
        }
        #expect(teamError.field.description == "careTeam[0].subject.reference")

        var otherPatient = written
        otherPatient.subject = R4.Reference(reference: "Patient/patient-other")
        let overError = try #require(throws: FHIREncodingError.self) { try R4.CarePlan(plan, keeping: otherPatient) }
        #expect(overError.field.description == "subject.reference")

        var interpreter = written
        interpreter.extension.append(
            R4.Extension(
                url: R4.SuiteExtension.communicationPreferences.rawValue,
                extension: [
                    R4.Extension(
                        url: "interpreterRequired",
                        value: .boolean(
                            R4.Primitive(
                                nil,
                                extension: [R4.Extension(url: "https://x.example/absent", value: .code("unknown"))]
                            )
                        )
                    )
                ]
            )
        )
        let flagError = try #require(throws: FHIREncodingError.self) { try PlanVersion(fhir: interpreter) }
        #expect(flagError.field.description.hasPrefix("extension[2]"))

        // Versions out of order are refused at meta.versionId; an imported completed plan with an open action
        // at its status.
        var generator = SeededRandomNumberGenerator(seed: 11)
        let history = try Self.versions(of: try Self.plan(3, &generator), name: "careplan-order")
        let order = try #require(throws: FHIREncodingError.self) { try CarePlan(fhirVersions: history.reversed()) }
        #expect(order.field.description == "fhirVersions[0].meta.versionId")
        var completed = written
        completed.status = "completed"
        let imported = try #require(throws: FHIREncodingError.self) {
            try CarePlan(fhir: completed, importedBy: try Self.edit(0))
        }
        #expect(imported.field.description == "status")
    }
}
