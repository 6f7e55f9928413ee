public import CareCore
public import CarePlans
import Foundation
import PatientIdentity

// Personalised care and support plans <-> UK Core CarePlan, with their goals and team contained (issue #9).
//
// One FHIR CarePlan is one version of a plan: `meta.versionId` is the version number, and the suite's
// `plan-change` extension says who made it, for which organisation, when and why. A plan's history is the
// list of its CarePlan versions, oldest first.
//
// Element by element:
// - the status <-> `status` (request-status without `unknown`); `intent` is `plan`; `category` carries
//   SNOMED CT 734163000 |Care plan|; the title <-> `title`; the patient <-> `subject`;
// - goals <-> Goals contained in the plan and named in `goal`; the team <-> a UK Core CareTeam contained as
//   `#care-team` and named in `careTeam`;
// - each action <-> an `activity.detail`: the action's id as the activity's element id, what <->
//   `description`, the owner <-> `performer[0].display`, the status <-> `status`, the due date <->
//   `scheduledPeriod.end`;
// - the owner <-> `author.display` for readers, and structured in the suite's `care-plan-sections`;
// - About me, the other PRSB sections, advance care planning, ReSPECT and communication preferences <->
//   the suite's `about-me`, `care-plan-sections`, `advance-care-plan`, `respect-recommendations` and
//   `communication-preferences` extensions.
// Written over the CarePlan it was read from, what the plan has no place for is kept: identifiers,
// `basedOn`, `partOf`, other categories, `period`, `created`, `addresses`, notes, activities given by
// reference, and what each kept goal, participant and activity holds beyond the plan.

/// SNOMED CT.
private let snomed = "http://snomed.info/sct"
/// SNOMED CT 734163000 |Care plan (record artifact)|.
private let carePlanCode = "734163000"
/// The id of the contained CareTeam.
private let careTeamID = "care-team"

extension PlanContent {
    /// Reads a plan's content from a CarePlan, its goals and team from the resources the CarePlan contains
    /// or from those supplied.
    ///
    /// - Parameters:
    ///   - carePlan: The CarePlan.
    ///   - goals: Goals the CarePlan names by `Goal/id` rather than containing them.
    ///   - careTeams: CareTeams the CarePlan names by `CareTeam/id`; every team's members join the plan's team.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element: a modifier extension or
    ///   `implicitRules`; no title; no suite `about-me` extension with what matters to the person; a goal or
    ///   team that is neither contained nor supplied, or that cannot be read; an activity with no
    ///   description, no single performer, a status the suite has no action status for (`unknown`,
    ///   `entered-in-error`) or `doNotPerform`; or a suite extension part missing, repeated or of the wrong
    ///   type.
    public init(
        fhir carePlan: R4.CarePlan,
        goals: [R4.Goal] = [],
        careTeams: [R4.CareTeam] = []
    ) throws(FHIREncodingError) {
        try CarePlan.refuseModifiers(carePlan)
        let patient: CarePlan.PatientID = try Mapping.entityID(
            carePlan.subject,
            of: "Patient",
            at: FieldPath("subject")
        )
        guard let title = try Mapping.text(carePlan.title, at: FieldPath("title")), !title.allSatisfy(\.isWhitespace)
        else {
            throw .unmappable(FieldPath("title"), "a plan needs a title")
        }
        guard let about = try ExtensionParts.single(.aboutMe, in: carePlan.extension, noun: "plan") else {
            throw .unmappable(
                FieldPath("extension"),
                "a plan records what matters to the person: the suite's about-me extension is missing"
            )
        }
        let sections = try ExtensionParts.single(.carePlanSections, in: carePlan.extension, noun: "plan")
        var contacts: [NamedContact] = []
        for parts in sections?.nested("contact", noun: "contact") ?? [] {
            contacts.append(try NamedContact(parts: parts))
        }
        var owner: PlanOwner?
        if let parts = try sections?.optionalNested("owner", noun: "owner") {
            owner = PlanOwner(
                name: try parts.string("name"),
                role: try parts.string("role"),
                organisation: try parts.organisation("organisation")
            )
        }
        self.init(
            title: title,
            aboutMe: AboutMe(
                pleaseCallMe: try about.optionalString("pleaseCallMe"),
                whatMattersToMe: try about.string("whatMattersToMe"),
                howToCommunicateWithMe: try about.optionalString("howToCommunicateWithMe"),
                peopleImportantToMe: try about.optionalString("peopleImportantToMe"),
                aGoodDay: try about.optionalString("aGoodDay")
            ),
            goals: try Self.goals(carePlan, patient: patient, supplied: goals),
            actions: try Self.actions(carePlan, patient: patient).compactMap(\.action),
            contacts: contacts,
            careTeam: try Self.careTeam(carePlan, patient: patient, supplied: careTeams),
            advanceCarePlan: try AdvanceCarePlan(fhir: carePlan.extension),
            mentalHealthAndWellbeing: try sections?.optionalString("mentalHealthAndWellbeing"),
            communication: try Self.communication(carePlan.extension),
            contingency: try sections?.strings("contingency") ?? [],
            reviewDate: try sections?.optionalDate("reviewDate"),
            owner: owner
        )
        do {
            try validate()
        } catch {
            throw .unmappable(Self.element(of: error.field), error.reason)
        }
    }

    /// The CarePlan element a content field is read from.
    private static func element(of field: FieldPath) -> FieldPath {
        guard case .field(let name)? = field.components.first else { return .root }
        // The content names a list entry as `goals[2]`: the list is what matters here.
        switch name.prefix(while: { $0 != "[" }) {
        case "title": return FieldPath("title")
        case "goals": return FieldPath("goal")
        case "actions": return FieldPath("activity")
        default: return FieldPath("extension")
        }
    }

    private static func goals(
        _ carePlan: R4.CarePlan,
        patient: CarePlan.PatientID,
        supplied: [R4.Goal]
    ) throws(FHIREncodingError) -> [Goal] {
        var result: [Goal] = []
        for (index, reference) in carePlan.goal.enumerated() {
            let (goal, place) = try Mapping.resolve(
                reference,
                at: FieldPath("goal").appending(index: index),
                in: carePlan,
                supplied: supplied,
                type: "Goal",
                extract: { (resource: R4.Resource) -> R4.Goal? in
                    if case .goal(let goal) = resource { return goal }
                    return nil
                },
                id: \.id
            )
            do {
                result.append(try Goal(fhir: goal, patient: patient))
            } catch {
                throw error.nested(under: place)
            }
        }
        return result
    }

    private static func careTeam(
        _ carePlan: R4.CarePlan,
        patient: CarePlan.PatientID,
        supplied: [R4.CareTeam]
    ) throws(FHIREncodingError) -> [CareTeamMember] {
        var result: [CareTeamMember] = []
        for (index, reference) in carePlan.careTeam.enumerated() {
            let (team, place) = try Mapping.resolve(
                reference,
                at: FieldPath("careTeam").appending(index: index),
                in: carePlan,
                supplied: supplied,
                type: "CareTeam",
                extract: { (resource: R4.Resource) -> R4.CareTeam? in
                    if case .careTeam(let team) = resource { return team }
                    return nil
                },
                id: \.id
            )
            do throws(FHIREncodingError) {
                if let subject = team.subject {
                    let id: CarePlan.PatientID = try Mapping.entityID(subject, of: "Patient", at: FieldPath("subject"))
                    guard id == patient else {
                        throw FHIREncodingError.unmappable(
                            FieldPath("subject.reference"),
                            "the team is another patient's than the plan's"
                        )
                    }
                }
                result += try CareTeamMember.members(fhir: team)
            } catch {
                throw error.nested(under: place)
            }
        }
        return result
    }

    /// Each activity with the action it is read as, `nil` for an activity given by reference, which the
    /// plan does not model and a write-back keeps.
    static func actions(
        _ carePlan: R4.CarePlan,
        patient: CarePlan.PatientID
    ) throws(FHIREncodingError) -> [(activity: R4.CarePlan.Activity, action: PlanAction?)] {
        var result: [(R4.CarePlan.Activity, PlanAction?)] = []
        for (index, activity) in carePlan.activity.enumerated() {
            do {
                result.append((activity, try PlanAction(fhir: activity, position: index, patient: patient)))
            } catch {
                throw error.nested(under: FieldPath("activity").appending(index: index))
            }
        }
        return result
    }

    /// Preferences that say nothing.
    private static func noPreferences() throws(FHIREncodingError) -> CommunicationPreferences {
        do {
            return try CommunicationPreferences()
        } catch {
            throw .unmappable(FieldPath("extension"), error)
        }
    }

    private static func communication(
        _ extensions: [R4.Extension]
    ) throws(FHIREncodingError)
        -> CommunicationPreferences
    {
        guard
            let (index, element) = try Mapping.single(
                R4.SuiteExtension.communicationPreferences.rawValue,
                in: extensions,
                at: .root
            )
        else { return try Self.noPreferences() }
        let place = FieldPath("extension").appending(index: index)
        let parts: PatientRecord.SuitePreferences
        do {
            parts = try PatientRecord.suitePreferences(element, onPlan: true)
        } catch {
            throw error.nested(under: place)
        }
        do {
            return try CommunicationPreferences(
                preferredChannels: parts.channels,
                noDigital: parts.noDigital,
                needs: parts.needs,
                preferredLanguage: parts.language,
                interpreterRequired: parts.interpreterRequired
            )
        } catch {
            throw .unmappable(place, error)
        }
    }
}

extension PlanAction {
    /// Reads an action from a CarePlan activity, or gives `nil` for an activity given by reference.
    ///
    /// An activity without an element id is given the id `activity-N`, N its position from 1, so that a
    /// write-back finds it again.
    init?(fhir activity: R4.CarePlan.Activity, position: Int, patient: CarePlan.PatientID) throws(FHIREncodingError) {
        guard let detail = activity.detail else { return nil }
        try Mapping.refuseModifierExtensions(detail.modifierExtension, at: FieldPath("detail"))
        if try Mapping.flag(detail.doNotPerform, at: FieldPath("detail.doNotPerform")) == true {
            throw .unmappable(FieldPath("detail.doNotPerform"), "an activity not to be done is not an action")
        }
        guard let status = Status(rawValue: detail.status.value ?? "") else {
            throw .unmappable(FieldPath("detail.status"), "the suite's actions have no such status")
        }
        var what = try Mapping.text(detail.description, at: FieldPath("detail.description"))
        if what == nil { what = try Mapping.text(detail.code, at: FieldPath("detail.code")) }
        guard let what, !what.allSatisfy(\.isWhitespace) else {
            throw .unmappable(FieldPath("detail.description"), "an action says what is to be done")
        }
        self.init(
            id: try Self.id(activity.id, position: position),
            what: what,
            owner: try Self.owner(detail.performer, patient: patient),
            due: try Self.due(detail.scheduled),
            status: status
        )
    }

    private static func id(_ text: String?, position: Int) throws(FHIREncodingError) -> ID {
        do {
            return try ID(validating: text ?? "activity-\(position + 1)")
        } catch {
            throw .unmappable(FieldPath("id"), error)
        }
    }

    /// The owner: the one performer's display, or "the person" for the plan's Patient.
    private static func owner(
        _ performers: [R4.Reference],
        patient: CarePlan.PatientID
    ) throws(FHIREncodingError)
        -> String
    {
        guard performers.count == 1 else {
            throw .unmappable(FieldPath("detail.performer"), "the suite's actions have one owner in performer")
        }
        let place = FieldPath("detail.performer[0]")
        if let display = try Mapping.text(performers[0].display, at: place.appending("display")),
            !display.allSatisfy(\.isWhitespace)
        {
            return display
        }
        if let target = try Mapping.target(performers[0], at: place), target.type == "Patient",
            target.id == patient.rawValue
        {
            return personOwner
        }
        throw .unmappable(place.appending("display"), "an action's owner needs a name, or a reference to the patient")
    }

    /// What an action owned by the plan's Patient reads as.
    static let personOwner = "the person"

    /// The due date: the end of a scheduled period, as a Europe/London day; other schedules are not due
    /// dates, and a write-back keeps them.
    private static func due(_ scheduled: R4.CarePlan.Detail.Scheduled?) throws(FHIREncodingError) -> CivilDate? {
        guard case .period(let period)? = scheduled, let end = period.end else { return nil }
        let place = FieldPath("detail.scheduledPeriod.end")
        guard let text = try Mapping.text(end, at: place) else { return nil }
        if let day = try? CivilDate(parsing: text) { return day }
        guard let moment = try Mapping.moment(end, at: place) else { return nil }
        do {
            return try CivilTimeZone.europeLondon().civilDate(at: moment)
        } catch {
            throw .unmappable(place, error)
        }
    }
}

extension NamedContact {
    fileprivate init(parts: ExtensionParts) throws(FHIREncodingError) {
        self.init(
            id: try parts.entityID("id"),
            name: try parts.string("name"),
            relationship: try parts.string("relationship"),
            telephone: try parts.optionalString("telephone"),
            isEmergencyContact: try parts.optionalBoolean("emergency") ?? false,
            isSafeguardingContact: try parts.optionalBoolean("safeguarding") ?? false
        )
    }
}

extension AdvanceCarePlan {
    fileprivate init(fhir extensions: [R4.Extension]) throws(FHIREncodingError) {
        let parts = try ExtensionParts.single(.advanceCarePlan, in: extensions, noun: "advance care plan")
        var respect: ReSPECTRecommendations?
        if let form = try ExtensionParts.single(.respectRecommendations, in: extensions, noun: "ReSPECT form") {
            respect = ReSPECTRecommendations(
                cpr: try form.code("cpr"),
                careFocus: try form.code("careFocus"),
                specificRecommendations: try form.strings("recommendation"),
                hospitalAdmissionWanted: try form.optionalBoolean("hospitalAdmissionWanted"),
                recordedBy: try form.string("recordedBy"),
                recordedOn: try form.date("recordedOn"),
                reviewBy: try form.optionalDate("reviewBy")
            )
        }
        self.init(
            respect: respect,
            preferredPlaceOfCare: try parts?.optionalString("preferredPlaceOfCare"),
            advanceDecisionToRefuseTreatment: try LegalDocument(parts?.optionalNested("adrt", noun: "ADRT")),
            lastingPowerOfAttorney: try LegalDocument(parts?.optionalNested("lpa", noun: "LPA"))
        )
    }
}

extension LegalDocument {
    fileprivate init(_ parts: ExtensionParts?) throws(FHIREncodingError) {
        guard let parts else {
            self.init()
            return
        }
        self.init(
            status: try parts.code("status"),
            location: try parts.optionalString("location"),
            holder: try parts.optionalString("holder")
        )
    }
}

extension PlanChange {
    init(parts: ExtensionParts) throws(FHIREncodingError) {
        let author = try parts.string("author")
        let role = try parts.string("role")
        let organisation = try parts.optionalOrganisation("organisation")
        let at = try parts.moment("at")
        let reason = try parts.string("reason")
        do {
            try self.init(author: author, role: role, organisation: organisation, at: at, reason: reason)
        } catch {
            throw .unmappable(parts.place, error.reason)
        }
    }
}

extension ExtensionBuilder {
    /// The parts of a `plan-change` extension, or of a proposal's decision: who, for which organisation,
    /// when and why.
    init(_ change: PlanChange, at place: FieldPath) throws(FHIREncodingError) {
        self.init(at: place, noun: "change")
        try string("author", change.author)
        try string("role", change.role)
        organisation("organisation", change.organisation)
        try moment("at", change.at)
        try string("reason", change.reason)
    }
}

extension PlanVersion {
    /// Reads one version of a plan from a CarePlan the suite wrote.
    ///
    /// - Parameters:
    ///   - carePlan: The CarePlan.
    ///   - goals: Goals the CarePlan names by id rather than containing them.
    ///   - careTeams: CareTeams the CarePlan names by id.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`: what ``PlanContent/init(fhir:goals:careTeams:)``
    ///   refuses; an `intent` other than `plan`; a status of `unknown`; a `meta.versionId` that is not a whole
    ///   number from 1; or no suite `plan-change` extension saying who made the version, when and why.
    public init(
        fhir carePlan: R4.CarePlan,
        goals: [R4.Goal] = [],
        careTeams: [R4.CareTeam] = []
    ) throws(FHIREncodingError) {
        let content = try PlanContent(fhir: carePlan, goals: goals, careTeams: careTeams)
        let status = try CarePlan.status(carePlan)
        guard let parts = try ExtensionParts.single(.planChange, in: carePlan.extension, noun: "change") else {
            throw .unmappable(
                FieldPath("extension"),
                "a plan's version needs the suite's plan-change extension: who made it, when and why"
            )
        }
        self.init(
            number: try Mapping.version(carePlan.meta),
            status: status,
            content: content,
            change: try PlanChange(parts: parts)
        )
    }
}

extension CarePlan {
    /// Restores a plan with its whole history from its CarePlan versions, oldest first, as a FHIR server's
    /// `_history` gives them once reversed, and from the CarePlan proposals made to it.
    ///
    /// - Parameters:
    ///   - fhirVersions: Every version of the CarePlan, oldest first.
    ///   - goals: Goals the versions and proposals name by id rather than containing them.
    ///   - careTeams: CareTeams the versions and proposals name by id.
    ///   - proposals: Every CarePlan with intent `proposal` made to the plan, in any order; they are
    ///     restored in the order of their numbers. One a server marks `entered-in-error` is left out, and
    ///     the numbers of the rest must still run 1, 2, 3 ….
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, under `fhirVersions[i]` or `proposals[i]`: no
    ///   versions; versions of different plans or patients; what ``PlanVersion/init(fhir:goals:careTeams:)``
    ///   or ``Proposal/init(fhir:of:patient:goals:careTeams:)`` refuses; versions or
    ///   proposals not numbered 1, 2, 3 …; a proposal based on a version the plan does not have, or accepted
    ///   against the current version; or a status the plan lifecycle does not allow after the one before.
    public init(
        fhirVersions: [R4.CarePlan],
        goals: [R4.Goal] = [],
        careTeams: [R4.CareTeam] = [],
        proposals: [R4.CarePlan] = []
    ) throws(FHIREncodingError) {
        guard let first = fhirVersions.first else {
            throw .unmappable(FieldPath("fhirVersions"), "a plan has at least one version")
        }
        let id: ID
        let patient: PatientID
        do {
            id = try Mapping.id(nil, of: first.id)
            patient = try Mapping.entityID(first.subject, of: "Patient", at: FieldPath("subject"))
        } catch {
            throw error.nested(under: FieldPath("fhirVersions").appending(index: 0))
        }
        var versions: [PlanVersion] = []
        for (index, carePlan) in fhirVersions.enumerated() {
            do throws(FHIREncodingError) {
                guard carePlan.id == first.id else {
                    throw FHIREncodingError.unmappable(FieldPath("id"), "every version is of the same plan")
                }
                let subject: PatientID = try Mapping.entityID(carePlan.subject, of: "Patient", at: FieldPath("subject"))
                guard subject == patient else {
                    throw FHIREncodingError.unmappable(FieldPath("subject"), "every version is of the same patient")
                }
                versions.append(try PlanVersion(fhir: carePlan, goals: goals, careTeams: careTeams))
            } catch {
                throw error.nested(under: FieldPath("fhirVersions").appending(index: index))
            }
        }
        var restored: [(proposal: Proposal, position: Int)] = []
        for (index, carePlan) in proposals.enumerated() where carePlan.status.value != "entered-in-error" {
            do throws(FHIREncodingError) {
                restored.append(
                    (
                        try Proposal(fhir: carePlan, of: id, patient: patient, goals: goals, careTeams: careTeams),
                        index
                    )
                )
            } catch {
                throw error.nested(under: FieldPath("proposals").appending(index: index))
            }
        }
        restored.sort { ($0.proposal.number, $0.position) < ($1.proposal.number, $1.position) }
        try self.init(
            restoring: id,
            patient: patient,
            versions: versions,
            from: "fhirVersions",
            proposals: restored
        )
    }

    /// Reads a CarePlan from another system as a new plan: its one version has the CarePlan's status and
    /// content, and `change` records who brought it into the suite, when and why.
    ///
    /// - Parameters:
    ///   - carePlan: The CarePlan.
    ///   - goals: Goals the CarePlan names by id rather than containing them.
    ///   - careTeams: CareTeams the CarePlan names by id.
    ///   - change: Who brought it in, when and why.
    ///   - id: The plan's id; by default the CarePlan's `id`.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`: what ``PlanContent/init(fhir:goals:careTeams:)``
    ///   refuses, an `intent` other than `plan`, or a status of `unknown`.
    public init(
        fhir carePlan: R4.CarePlan,
        goals: [R4.Goal] = [],
        careTeams: [R4.CareTeam] = [],
        importedBy change: PlanChange,
        id: ID? = nil
    ) throws(FHIREncodingError) {
        let content = try PlanContent(fhir: carePlan, goals: goals, careTeams: careTeams)
        let version = PlanVersion(number: 1, status: try Self.status(carePlan), content: content, change: change)
        try self.init(
            restoring: try Mapping.id(id, of: carePlan.id),
            patient: try Mapping.entityID(carePlan.subject, of: "Patient", at: FieldPath("subject")),
            versions: [version],
            from: nil
        )
    }

    /// Restores a plan, placing what the plan refuses at the CarePlan element, under `name`, the argument the
    /// versions came from, when there are several.
    private init(
        restoring id: ID,
        patient: PatientID,
        versions: [PlanVersion],
        from name: String?,
        proposals: [(proposal: Proposal, position: Int)] = []
    ) throws(FHIREncodingError) {
        do {
            try self.init(restoring: id, patient: patient, versions: versions, proposals: proposals.map(\.proposal))
        } catch {
            // A proposal is refused at the CarePlan it was read from, sorted by number: its extension holds
            // the version it was based on, its number and the decision.
            if case .field("proposals")? = error.field.components.first,
                case .index(let index)? = error.field.components.dropFirst().first
            {
                throw .unmappable(
                    FieldPath("proposals").appending(index: proposals[index].position).appending("extension"),
                    error.reason
                )
            }
            // The plan names `versions[i].number`, `.status` or `.content.…`; the CarePlan's elements are
            // `meta.versionId`, `status`, and for content the element it was read from.
            var components = Array(error.field.components.dropFirst(2))
            switch components.first {
            case .field("number")?: components = [.field("meta"), .field("versionId")]
            case .field("content")?:
                // Completing a plan with open actions is refused at its status.
                components = error.reason.contains("completed") ? [.field("status")] : [.field("extension")]
            default: break
            }
            let version = error.field.components.dropFirst().first.map { [$0] } ?? []
            throw .unmappable(
                FieldPath(components: (name.map { [.field($0)] + version } ?? []) + components),
                error.reason
            )
        }
    }

    /// The plan's status, refusing an intent other than `plan` and the legacy `unknown`.
    static func status(_ carePlan: R4.CarePlan) throws(FHIREncodingError) -> PlanStatus {
        guard carePlan.intent.value == "plan" else {
            throw .unmappable(FieldPath("intent"), "the suite reads plans in force, not proposals, orders or options")
        }
        guard let status = PlanStatus(rawValue: carePlan.status.value ?? "") else {
            throw .unmappable(FieldPath("status"), "the suite's plans have no such status")
        }
        return status
    }

    static func refuseModifiers(_ carePlan: R4.CarePlan) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(carePlan.modifierExtension, implicitRules: carePlan.implicitRules)
        for (index, activity) in carePlan.activity.enumerated() {
            try Mapping.refuseModifierExtensions(
                activity.modifierExtension,
                at: FieldPath("activity").appending(index: index)
            )
        }
    }
}

extension Mapping {
    /// The resource a reference names: a contained one by `#id`, or one of those supplied by `Type/id`, with
    /// where it was found.
    static func resolve<Resource>(
        _ reference: R4.Reference,
        at place: FieldPath,
        in carePlan: R4.CarePlan,
        supplied: [Resource],
        type: String,
        extract: (R4.Resource) -> Resource?,
        id: (Resource) -> String?
    ) throws(FHIREncodingError) -> (resource: Resource, place: FieldPath) {
        if let literal = try text(reference.reference, at: place.appending("reference")), literal.hasPrefix("#") {
            let wanted = String(literal.dropFirst())
            for (index, resource) in carePlan.contained.enumerated() {
                if let found = extract(resource), id(found) == wanted {
                    return (found, FieldPath("contained").appending(index: index))
                }
            }
            throw .unmappable(place.appending("reference"), "the plan contains no \(type) with this id")
        }
        guard let target = try target(reference, at: place), target.type == type else {
            throw .unmappable(place, "the reference must be to a \(type), contained or by its id")
        }
        guard let found = supplied.first(where: { id($0) == target.id }) else {
            throw .unmappable(place.appending("reference"), "the \(type) is neither contained nor among those supplied")
        }
        return (found, place)
    }
}

extension R4.CarePlan {
    /// Writes one version of a plan as a UK Core CarePlan, with its goals and team contained, over the
    /// CarePlan it was read from when there is one.
    ///
    /// An unchanged version keeps the original whole. Otherwise what the plan has no place for is kept
    /// (identifiers, `basedOn`, `partOf`, other categories, `period`, `created`, `addresses`, notes,
    /// activities given by reference, other contained resources, and what each unchanged goal, participant
    /// and activity holds), and the narrative is dropped. Goals and a team the original named by id are
    /// written contained.
    ///
    /// - Parameters:
    ///   - plan: The plan.
    ///   - number: The version to write; by default the current one.
    ///   - original: The CarePlan it was read from, if any.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`: an original whose intent is not `plan` (a
    ///   proposal is written with ``init(_:proposal:id:keeping:)``), or that is another plan's or another
    ///   patient's; a version the plan does not have; empty text,
    ///   which FHIR cannot carry; a goal whose id is the contained team's (`care-team`) or that of another
    ///   contained resource the original holds; or a moment no FHIR dateTime can hold.
    public init(
        _ plan: CarePlan,
        version number: Int? = nil,
        keeping original: R4.CarePlan? = nil
    ) throws(FHIREncodingError) {
        let version: PlanVersion
        do {
            version = try plan.version(number ?? plan.version)
        } catch {
            throw .unmappable(FieldPath("meta.versionId"), error.reason)
        }
        let subject = R4.Reference("Patient", id: plan.patient.rawValue)
        if let original {
            // Writing over another record would carry its notes, identifiers and references into this one.
            guard original.intent.value == "plan" else {
                throw .unmappable(FieldPath("intent"), "the CarePlan written over is not a plan in force")
            }
            if let id = original.id, id != plan.id.rawValue {
                throw .unmappable(FieldPath("id"), "the CarePlan written over is another plan's")
            }
            if let target = try? Mapping.target(original.subject, at: .root),
                target.type != "Patient" || target.id != plan.patient.rawValue
            {
                throw .unmappable(FieldPath("subject.reference"), "the CarePlan written over is another patient's")
            }
        }
        if var kept = original, kept.id == plan.id.rawValue, (try? PlanVersion(fhir: kept)) == version,
            (try? Mapping.entityID(kept.subject, of: "Patient", at: .root)) == plan.patient
        {
            kept.meta = Mapping.meta(kept.meta, claiming: .carePlan)
            self = kept
            return
        }
        let content = version.content
        self = original ?? R4.CarePlan(status: R4.Primitive(version.status.rawValue), intent: "plan", subject: subject)
        id = plan.id.rawValue
        meta = Mapping.meta(original?.meta, claiming: .carePlan)
        if original == nil || (try? Mapping.version(original?.meta)) != version.number {
            meta?.versionId = R4.Primitive(String(version.number))
        }
        status = R4.Primitive(version.status.rawValue)
        intent = "plan"
        if !category.contains(where: {
            $0.coding.contains { $0.system?.value == snomed && $0.code?.value == carePlanCode }
        }) {
            category.insert(Mapping.concept(snomed, carePlanCode, display: "Care plan"), at: 0)
        }
        title = R4.Primitive(try Mapping.nonEmpty(content.title, at: FieldPath("title")))
        if (try? Mapping.entityID(self.subject, of: "Patient", at: .root)) != plan.patient { self.subject = subject }
        if created == nil { created = try Mapping.moment(plan.versions[0].change.at, at: FieldPath("created")) }
        let previous = original.flatMap { try? PlanContent(fhir: $0) }
        if original == nil || previous?.owner != content.owner {
            author = try content.owner.map { (owner) throws(FHIREncodingError) in
                R4.Reference(display: R4.Primitive(try Mapping.nonEmpty(owner.name, at: FieldPath("author.display"))))
            }
        }
        try writeContained(content, patient: plan.patient)
        activity = try Self.activities(
            content.actions,
            original: original,
            patient: plan.patient,
            goals: Set(content.goals.map(\.id.rawValue))
        )
        try writeExtensions(version, previous: previous)
        Mapping.dropStaleNarrative(&self, original: original, profile: .carePlan, text: \.text, meta: \.meta)
    }

    /// Writes the goals and team as contained resources, over those the CarePlan contained.
    private mutating func writeContained(_ content: PlanContent, patient: CarePlan.PatientID) throws(FHIREncodingError)
    {
        func local(_ references: [R4.Reference]) -> Set<String> {
            Set(
                references.compactMap { $0.reference?.value }.filter { $0.hasPrefix("#") }.map {
                    String($0.dropFirst())
                }
            )
        }
        let goalIDs = local(goal)
        let teamIDs = local(careTeam)
        var originalGoals: [String: R4.Goal] = [:]
        var originalTeam: R4.CareTeam?
        var others: [R4.Resource] = []
        for resource in contained {
            switch resource {
            case .goal(let goal) where goalIDs.contains(goal.id ?? ""): originalGoals[goal.id ?? ""] = goal
            case .careTeam(let team) where teamIDs.contains(team.id ?? ""): originalTeam = originalTeam ?? team
            default: others.append(resource)
            }
        }
        var taken = Set(others.compactMap { $0.json["id"]?.string })
        var goals: [R4.Resource] = []
        for (index, goal) in content.goals.enumerated() {
            guard taken.insert(goal.id.rawValue).inserted,
                content.careTeam.isEmpty || goal.id.rawValue != (originalTeam?.id ?? careTeamID)
            else {
                throw .unmappable(
                    FieldPath("goal").appending(index: index),
                    "the goal's id is another contained resource's; give the goal another id"
                )
            }
            do {
                goals.append(.goal(try R4.Goal(goal, patient: patient, keeping: originalGoals[goal.id.rawValue])))
            } catch {
                throw error.nested(under: FieldPath("contained").appending(index: index))
            }
        }
        var team: [R4.Resource] = []
        // The team keeps the id it had, so that other local references to it still resolve.
        let teamID = originalTeam?.id ?? careTeamID
        if !content.careTeam.isEmpty {
            guard !taken.contains(teamID) else {
                throw .unmappable(FieldPath("contained"), "another contained resource has the team's id")
            }
            do {
                team = [
                    .careTeam(
                        try R4.CareTeam(content.careTeam, patient: patient, id: teamID, keeping: originalTeam)
                    )
                ]
            } catch {
                throw error.nested(under: FieldPath("contained").appending(index: goals.count))
            }
        }
        contained = goals + team + others
        goal = content.goals.map { R4.Reference(reference: R4.Primitive("#\($0.id.rawValue)")) }
        careTeam = team.isEmpty ? [] : [R4.Reference(reference: R4.Primitive("#\(teamID)"))]
    }

    /// The activities: each action over the activity it was read from, then the activities given by
    /// reference.
    private static func activities(
        _ actions: [PlanAction],
        original: R4.CarePlan?,
        patient: CarePlan.PatientID,
        goals: Set<String>
    ) throws(FHIREncodingError) -> [R4.CarePlan.Activity] {
        // An original whose activities cannot be read keeps its activities given by reference all the same.
        let read =
            original.flatMap { try? PlanContent.actions($0, patient: patient) }
            ?? (original?.activity.filter { $0.detail == nil }.map { ($0, nil) } ?? [])
        var written: [R4.CarePlan.Activity] = []
        for (index, action) in actions.enumerated() {
            let place = FieldPath("activity").appending(index: index)
            let match = read.first { $0.action?.id == action.id }
            if var kept = match?.activity, match?.action == action {
                kept.id = action.id.rawValue
                written.append(kept)
                continue
            }
            var activity = match?.activity ?? R4.CarePlan.Activity()
            var detail = activity.detail ?? R4.CarePlan.Detail(status: R4.Primitive(action.status.rawValue))
            activity.id = action.id.rawValue
            if detail.status.value != action.status.rawValue {
                // The reason for the old status no longer applies.
                detail.statusReason = nil
            }
            detail.status = R4.Primitive(action.status.rawValue)
            if match?.action?.what != action.what {
                detail.description = R4.Primitive(
                    try Mapping.nonEmpty(action.what, at: place.appending("detail.description"))
                )
            }
            if match?.action?.owner != action.owner {
                let owner = try Mapping.nonEmpty(action.owner, at: place.appending("detail.performer[0].display"))
                detail.performer = [
                    owner == PlanAction.personOwner
                        ? R4.Reference("Patient", id: patient.rawValue) : R4.Reference(display: R4.Primitive(owner))
                ]
            }
            if match == nil || match?.action?.due != action.due {
                switch detail.scheduled {
                case nil:
                    detail.scheduled = action.due.map { .period(R4.Period(end: R4.Primitive($0.description))) }
                case .period(var period)?:
                    // Only the end is the due date; the start stays.
                    period.end = action.due.map { R4.Primitive($0.description) }
                    detail.scheduled = period.start == nil && period.end == nil ? nil : .period(period)
                default:
                    throw .unmappable(
                        place.appending("detail.scheduled"),
                        "the activity is scheduled by a timing or text, which a due date would overwrite"
                    )
                }
            }
            activity.detail = detail
            written.append(activity)
        }
        // Goals the plan no longer has are no longer named by the activities it keeps.
        for index in written.indices {
            written[index].detail?.goal.removeAll { reference in
                guard let literal = reference.reference?.value, literal.hasPrefix("#") else { return false }
                return !goals.contains(String(literal.dropFirst()))
            }
        }
        return written + read.filter { $0.action == nil }.map(\.activity)
    }

    /// Writes the suite's extensions, keeping those of `previous`, the content read from the original,
    /// whose part of the plan did not change.
    private mutating func writeExtensions(_ version: PlanVersion, previous: PlanContent?) throws(FHIREncodingError) {
        let content = version.content
        let place = FieldPath("extension")

        var about = ExtensionBuilder(at: place, noun: "plan")
        try about.string("pleaseCallMe", content.aboutMe.pleaseCallMe)
        try about.string("whatMattersToMe", content.aboutMe.whatMattersToMe)
        try about.string("howToCommunicateWithMe", content.aboutMe.howToCommunicateWithMe)
        try about.string("peopleImportantToMe", content.aboutMe.peopleImportantToMe)
        try about.string("aGoodDay", content.aboutMe.aGoodDay)

        var sections = ExtensionBuilder(at: place, noun: "plan")
        try sections.string("mentalHealthAndWellbeing", content.mentalHealthAndWellbeing)
        for item in content.contingency { try sections.string("contingency", item) }
        sections.date("reviewDate", content.reviewDate)
        if let owner = content.owner {
            var parts = ExtensionBuilder(at: place, noun: "owner")
            try parts.string("name", owner.name)
            try parts.string("role", owner.role)
            parts.organisation("organisation", owner.organisation)
            sections.nested("owner", parts)
        }
        for contact in content.contacts {
            var parts = ExtensionBuilder(at: place, noun: "contact")
            parts.id("id", contact.id)
            try parts.string("name", contact.name)
            try parts.string("relationship", contact.relationship)
            try parts.string("telephone", contact.telephone)
            parts.boolean("emergency", contact.isEmergencyContact ? true : nil)
            parts.boolean("safeguarding", contact.isSafeguardingContact ? true : nil)
            sections.nested("contact", parts)
        }

        let plan = content.advanceCarePlan
        var advance = ExtensionBuilder(at: place, noun: "advance care plan")
        try advance.string("preferredPlaceOfCare", plan.preferredPlaceOfCare)
        for (name, document) in [("adrt", plan.advanceDecisionToRefuseTreatment), ("lpa", plan.lastingPowerOfAttorney)]
        where document != LegalDocument() {
            var parts = ExtensionBuilder(at: place, noun: name)
            parts.code("status", document.status)
            try parts.string("location", document.location)
            try parts.string("holder", document.holder)
            advance.nested(name, parts)
        }

        var form = ExtensionBuilder(at: place, noun: "ReSPECT form")
        if let respect = plan.respect {
            form.code("cpr", respect.cpr)
            form.code("careFocus", respect.careFocus)
            for item in respect.specificRecommendations { try form.string("recommendation", item) }
            form.boolean("hospitalAdmissionWanted", respect.hospitalAdmissionWanted)
            try form.string("recordedBy", respect.recordedBy)
            form.date("recordedOn", respect.recordedOn)
            form.date("reviewBy", respect.reviewBy)
        }

        let change = try ExtensionBuilder(version.change, at: place)

        // An extension whose part of the plan did not change is kept whole, with any part a later version of
        // the suite added; a changed one keeps those parts beside the new ones. The change is new with every
        // version, so nothing of the previous one is kept.
        let before = previous
        let written: [(R4.SuiteExtension, ExtensionBuilder, Set<String>, Bool)] = [
            (
                .aboutMe, about,
                ["pleaseCallMe", "whatMattersToMe", "howToCommunicateWithMe", "peopleImportantToMe", "aGoodDay"],
                before?.aboutMe == content.aboutMe
            ),
            (
                .carePlanSections, sections,
                ["mentalHealthAndWellbeing", "contingency", "reviewDate", "owner", "contact"],
                before.map {
                    ($0.mentalHealthAndWellbeing, $0.contingency, $0.reviewDate, $0.owner, $0.contacts)
                        == (
                            content.mentalHealthAndWellbeing, content.contingency, content.reviewDate, content.owner,
                            content.contacts
                        )
                } ?? false
            ),
            (
                .advanceCarePlan, advance, ["preferredPlaceOfCare", "adrt", "lpa"],
                before.map {
                    (
                        $0.advanceCarePlan.preferredPlaceOfCare, $0.advanceCarePlan.advanceDecisionToRefuseTreatment,
                        $0.advanceCarePlan.lastingPowerOfAttorney
                    )
                        == (
                            plan.preferredPlaceOfCare, plan.advanceDecisionToRefuseTreatment,
                            plan.lastingPowerOfAttorney
                        )
                } ?? false
            ),
            (
                .respectRecommendations, form,
                [
                    "cpr", "careFocus", "recommendation", "hospitalAdmissionWanted", "recordedBy", "recordedOn",
                    "reviewBy",
                ],
                before?.advanceCarePlan.respect == plan.respect
            ),
        ]
        for (url, builder, known, unchanged) in written where !unchanged {
            self.extension = Mapping.merging((url, builder.build(url)), into: self.extension, known: known)
        }
        self.extension = Mapping.setting(
            R4.SuiteExtension.planChange.rawValue,
            to: change.build(.planChange),
            in: self.extension
        )
        self.extension = Mapping.setting(
            R4.SuiteExtension.communicationPreferences.rawValue,
            to: R4.Patient.suitePreferences(content.communication, onPlan: true),
            in: self.extension
        )
    }
}
