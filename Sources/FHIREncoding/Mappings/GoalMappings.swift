public import CareCore
public import CarePlans
import Foundation

// A care plan's goals <-> R4 Goal (UK Core has no Goal profile), and its multidisciplinary team <-> UK Core
// CareTeam (issue #9). Both are written as resources contained in the plan's CarePlan, and read from there
// or from separate resources the caller supplies.
//
// Goal, element by element:
// - the goal <-> `description.text`; its lifecycle <-> `lifecycleStatus`; how it is going <->
//   `achievementStatus` in HL7's goal-achievement;
// - whose goal it is <-> `expressedBy`: the plan's Patient, a RelatedPerson (a carer) or a Practitioner or
//   PractitionerRole (a professional);
// - the measure <-> `target.measure.text`, the target <-> `target.detailString`, the due date <->
//   `target.dueDate`; a target with no measure goes in the suite's `goal-target` extension, because R4
//   allows a target's detail only beside its measure (invariant gol-1);
// - each progress entry <-> a `note`: the text, the day in `time`, who recorded it in `authorReference`, and
//   the goal's standing then in the suite's `progress-achievement` extension.
//
// CareTeam: each member <-> a `participant`: the name in `member.display` (a Practitioner), the role in
// `role.text`, the organisation in `onBehalfOf` by ODS code; the telephone and the lead flag in the suite's
// `care-team-member` extension.

/// HL7's goal-achievement code system.
private let goalAchievementSystem = "http://terminology.hl7.org/CodeSystem/goal-achievement"

extension Voice {
    /// Reads who expressed or recorded something from a reference to them.
    ///
    /// - Parameters:
    ///   - reference: The reference.
    ///   - patient: The plan's patient: a reference to another Patient is refused.
    ///   - field: Where the reference is.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for no reference, one to another patient, or
    ///   one to another kind of resource.
    init(fhir reference: R4.Reference?, patient: CarePlan.PatientID, at field: FieldPath) throws(FHIREncodingError) {
        guard let reference else {
            throw .unmappable(
                field,
                "the mapping needs a reference saying who: the Patient, a RelatedPerson or a Practitioner"
            )
        }
        let target = try Mapping.target(reference, at: field)
        switch target?.type ?? reference.type?.value {
        case "Patient":
            guard let target else {
                throw .unmappable(
                    field.appending("reference"),
                    "a Patient is named by a literal reference, to be checked as the plan's"
                )
            }
            guard target.id == patient.rawValue else {
                throw .unmappable(field.appending("reference"), "the reference is to another patient than the plan's")
            }
            self = .patient
        case "RelatedPerson": self = .carer
        case "Practitioner", "PractitionerRole": self = .professional
        default:
            throw .unmappable(field, "the reference must be to the Patient, a RelatedPerson or a Practitioner")
        }
    }

    /// A reference saying who: the plan's Patient by id, or a RelatedPerson or Practitioner by type alone,
    /// since the plan records the kind of person, not which one.
    func reference(patient: CarePlan.PatientID) -> R4.Reference {
        switch self {
        case .patient: return R4.Reference("Patient", id: patient.rawValue)
        case .carer: return R4.Reference(type: R4.Primitive("RelatedPerson"))
        case .professional: return R4.Reference(type: R4.Primitive("Practitioner"))
        }
    }
}

extension Goal {
    /// Reads a goal from an R4 Goal.
    ///
    /// - Parameters:
    ///   - goal: The R4 Goal, contained in a CarePlan or on its own.
    ///   - patient: The plan's patient, whom the Goal's subject must name.
    ///   - id: The goal's id; by default the Goal's `id`.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element: a modifier extension or
    ///   `implicitRules`; a subject other than the patient; a lifecycle or achievement code R4 does not
    ///   define; no description text; no `expressedBy`, or one naming another kind of person; more than one
    ///   target, a target other than text, or a due date that is not a date; a progress note without its day
    ///   or author reference.
    public init(fhir goal: R4.Goal, patient: CarePlan.PatientID, id: ID? = nil) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(goal.modifierExtension, implicitRules: goal.implicitRules)
        let subject: CarePlan.PatientID = try Mapping.entityID(goal.subject, of: "Patient", at: FieldPath("subject"))
        guard subject == patient else {
            throw .unmappable(FieldPath("subject.reference"), "the goal is another patient's than the plan's")
        }
        guard let lifecycle = Lifecycle(rawValue: goal.lifecycleStatus.value ?? "") else {
            throw .unmappable(FieldPath("lifecycleStatus"), "the lifecycle status is not one R4 defines")
        }
        let description = try Mapping.text(goal.description, at: FieldPath("description"))
        guard let description, !description.allSatisfy(\.isWhitespace) else {
            throw .unmappable(FieldPath("description"), "a goal needs its description as text")
        }
        var achievement: Achievement?
        if let concept = goal.achievementStatus {
            achievement = try Self.achievement(concept, at: FieldPath("achievementStatus"))
        }
        let (measure, target, due) = try Self.target(goal)
        self.init(
            id: try Mapping.id(id, of: goal.id),
            description: description,
            expressedBy: try Voice(fhir: goal.expressedBy, patient: patient, at: FieldPath("expressedBy")),
            measure: measure,
            target: target,
            due: due,
            lifecycle: lifecycle,
            achievement: achievement,
            progress: try Mapping.each(goal.note, at: "note") { (note) throws(FHIREncodingError) in
                try Progress(fhir: note, patient: patient)
            }
        )
    }

    static func achievement(_ concept: R4.CodeableConcept, at field: FieldPath) throws(FHIREncodingError) -> Achievement
    {
        guard let code = try Mapping.code(in: concept, system: CodeSystem(rawValue: goalAchievementSystem), at: field),
            let achievement = Achievement(rawValue: code)
        else {
            throw .unmappable(field, "the achievement needs a code in HL7's goal-achievement")
        }
        return achievement
    }

    private static func target(_ goal: R4.Goal) throws(FHIREncodingError) -> (String?, String?, CivilDate?) {
        guard goal.target.count <= 1 else {
            throw .unmappable(FieldPath("target[1]"), "the suite's goals have one target")
        }
        let place = FieldPath("target[0]")
        let element = goal.target.first
        try Mapping.refuseModifierExtensions(element?.modifierExtension ?? [], at: place)
        let measure = try Mapping.text(element?.measure, at: place.appending("measure"))
        if element?.measure != nil, measure == nil {
            throw .unmappable(
                place.appending("measure"),
                "the suite holds a measure as text: it needs text or a display"
            )
        }
        var target: String?
        switch element?.detail {
        case nil: break
        case .string(let text)?: target = try Mapping.text(text, at: place.appending("detailString"))
        default: throw .unmappable(place.appending("detail"), "a target other than text cannot be mapped")
        }
        guard element?.detail == nil || element?.measure != nil else {
            throw .unmappable(place.appending("measure"), "a target's detail needs its measure (R4 invariant gol-1)")
        }
        if let (index, element) = try Mapping.single(
            R4.SuiteExtension.goalTarget.rawValue,
            in: goal.extension,
            at: .root
        ) {
            let place = FieldPath("extension").appending(index: index)
            guard case .string(let text)? = element.value, let value = text.value, !value.isEmpty else {
                throw .unmappable(place, "the goal's target needs a valueString")
            }
            guard target == nil, measure == nil else {
                throw .unmappable(
                    place,
                    "a target goes here only when it has no measure; otherwise in target.detailString"
                )
            }
            target = value
        }
        var due: CivilDate?
        switch element?.due {
        case nil: break
        case .date(let text)?:
            guard let value = text.value, let date = try? CivilDate(parsing: value) else {
                throw .unmappable(place.appending("dueDate"), "the due date needs a year, month and day")
            }
            due = date
        case .duration?: throw .unmappable(place.appending("dueDuration"), "a due duration cannot be mapped")
        }
        return (measure, target, due)
    }
}

extension Goal.Progress {
    /// Reads a progress entry from a Goal's note.
    init(fhir note: R4.Annotation, patient: CarePlan.PatientID) throws(FHIREncodingError) {
        guard let text = try Mapping.text(note.text, at: FieldPath("text")), !text.isEmpty else {
            throw .unmappable(FieldPath("text"), "a progress entry needs its text")
        }
        guard let time = try Mapping.text(note.time, at: FieldPath("time")) else {
            throw .unmappable(FieldPath("time"), "a progress entry needs its day")
        }
        let date: CivilDate
        if let day = try? CivilDate(parsing: time) {
            date = day
        } else if let moment = try Mapping.moment(note.time, at: FieldPath("time")) {
            do {
                date = try CivilTimeZone.europeLondon().civilDate(at: moment)
            } catch {
                throw .unmappable(FieldPath("time"), error)
            }
        } else {
            throw .unmappable(FieldPath("time"), "a progress entry needs its day")
        }
        guard case .reference(let author)? = note.author else {
            throw .unmappable(FieldPath("authorReference"), "a progress entry needs a reference saying who recorded it")
        }
        var achievement: Goal.Achievement?
        if let (index, element) = try Mapping.single(
            R4.SuiteExtension.progressAchievement.rawValue,
            in: note.extension,
            at: .root
        ) {
            guard case .code(let code)? = element.value, let value = Goal.Achievement(rawValue: code.value ?? "") else {
                throw .unmappable(
                    FieldPath("extension").appending(index: index),
                    "the progress achievement needs a valueCode from HL7's goal-achievement"
                )
            }
            achievement = value
        }
        self.init(
            date: date,
            note: text,
            achievement: achievement,
            recordedBy: try Voice(fhir: author, patient: patient, at: FieldPath("authorReference"))
        )
    }
}

extension R4.Goal {
    /// Writes a goal as an R4 Goal (UK Core has no Goal profile), over the Goal it was read from when there
    /// is one: an unchanged goal keeps the original whole, and a changed one keeps what the goal has no place
    /// for (priority, categories, start, addresses, outcomes, other extensions).
    ///
    /// - Parameters:
    ///   - goal: The goal.
    ///   - patient: The plan's patient.
    ///   - original: The Goal it was read from, if any.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for empty text, which FHIR cannot carry.
    public init(_ goal: Goal, patient: CarePlan.PatientID, keeping original: R4.Goal? = nil) throws(FHIREncodingError) {
        if var kept = original, (try? Goal(fhir: kept, patient: patient, id: goal.id)) == goal {
            kept.id = goal.id.rawValue
            self = kept
            return
        }
        let description = try Mapping.nonEmpty(goal.description, at: FieldPath("description.text"))
        self =
            original
            ?? R4.Goal(
                lifecycleStatus: R4.Primitive(goal.lifecycle.rawValue),
                description: R4.CodeableConcept(text: R4.Primitive(description)),
                subject: R4.Reference("Patient", id: patient.rawValue)
            )
        id = goal.id.rawValue
        text = nil
        if lifecycleStatus.value != goal.lifecycle.rawValue {
            // The date and reason of the old status no longer apply.
            statusDate = nil
            statusReason = nil
        }
        lifecycleStatus = R4.Primitive(goal.lifecycle.rawValue)
        if (try? Mapping.text(self.description, at: .root)) != goal.description {
            self.description = R4.CodeableConcept(text: R4.Primitive(description))
        }
        subject = R4.Reference("Patient", id: patient.rawValue)
        if (try? Goal.achievement(achievementStatus ?? R4.CodeableConcept(), at: .root)) != goal.achievement {
            achievementStatus = goal.achievement.map { Mapping.concept(goalAchievementSystem, $0.rawValue) }
        }
        if (try? Voice(fhir: expressedBy, patient: patient, at: .root)) != goal.expressedBy {
            expressedBy = goal.expressedBy.reference(patient: patient)
        }
        try writeTarget(goal)
        for (index, progress) in goal.progress.enumerated() {
            _ = try Mapping.nonEmpty(progress.note, at: FieldPath("note").appending(index: index).appending("text"))
        }
        // Each original note is used once, so two equal entries by different people keep their own authors.
        note = Mapping.keepingEach(
            goal.progress,
            originals: note,
            read: { (fhir) throws(FHIREncodingError) in try Goal.Progress(fhir: fhir, patient: patient) },
            write: { progress in
                R4.Annotation(
                    text: R4.Primitive(progress.note),
                    extension: progress.achievement.map { achievement in
                        [
                            R4.Extension(
                                url: R4.SuiteExtension.progressAchievement.rawValue,
                                value: .code(R4.Primitive(achievement.rawValue))
                            )
                        ]
                    } ?? [],
                    author: .reference(progress.recordedBy.reference(patient: patient)),
                    time: R4.Primitive(progress.date.description)
                )
            }
        )
    }

    private mutating func writeTarget(_ goal: Goal) throws(FHIREncodingError) {
        let place = FieldPath("target[0]")
        var element = target.first ?? R4.Goal.Target()
        let measure = try goal.measure.map { (text) throws(FHIREncodingError) in
            try Mapping.nonEmpty(text, at: place.appending("measure.text"))
        }
        let detail = try goal.target.map { (text) throws(FHIREncodingError) in
            try Mapping.nonEmpty(
                text,
                at: goal.measure == nil ? FieldPath("extension") : place.appending("detailString")
            )
        }
        let readMeasure = try? Mapping.text(element.measure, at: .root)
        if readMeasure != measure { element.measure = measure.map { R4.CodeableConcept(text: R4.Primitive($0)) } }
        let withMeasure = measure == nil ? nil : detail
        if case .string(let kept)? = element.detail, kept.value == withMeasure {
            // Unchanged.
        } else {
            element.detail = withMeasure.map { .string(R4.Primitive($0)) }
        }
        if case .date(let kept)? = element.due, kept.value == goal.due?.description {
            // Unchanged.
        } else {
            element.due = goal.due.map { .date(R4.Primitive($0.description)) }
        }
        let empty = element.measure == nil && element.detail == nil && element.due == nil && element.extension.isEmpty
        target = empty ? Array(target.dropFirst()) : [element] + target.dropFirst()
        self.extension = Mapping.setting(
            R4.SuiteExtension.goalTarget.rawValue,
            to: measure == nil
                ? detail.map {
                    R4.Extension(url: R4.SuiteExtension.goalTarget.rawValue, value: .string(R4.Primitive($0)))
                }
                : nil,
            in: self.extension
        )
    }
}

extension CareTeamMember {
    /// Reads the members of a care team from a UK Core CareTeam, one per participant.
    ///
    /// - Parameter team: The CareTeam.
    /// - Returns: The members, in the order of the participants.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the participant: a modifier extension,
    ///   a team recorded in error, a member without a name in `member.display`, a participant without a role
    ///   as text, or a malformed suite `care-team-member` extension.
    public static func members(fhir team: R4.CareTeam) throws(FHIREncodingError) -> [CareTeamMember] {
        try Mapping.refuseModifiers(team.modifierExtension, implicitRules: team.implicitRules)
        if team.status?.value == "entered-in-error" {
            throw .unmappable(FieldPath("status"), "a care team recorded in error must not be acted on")
        }
        return try Mapping.each(team.participant, at: "participant") { (participant) throws(FHIREncodingError) in
            try CareTeamMember(fhir: participant)
        }
    }

    init(fhir participant: R4.CareTeam.Participant) throws(FHIREncodingError) {
        try Mapping.refuseModifierExtensions(participant.modifierExtension, at: .root)
        guard let name = try Mapping.text(participant.member?.display, at: FieldPath("member.display")), !name.isEmpty
        else {
            throw .unmappable(FieldPath("member.display"), "a care team member needs their name")
        }
        let role = try Mapping.text(participant.role.first, at: FieldPath("role[0]"))
        guard let role, !role.isEmpty else {
            throw .unmappable(FieldPath("role"), "a care team member needs their role as text")
        }
        let organisation = try participant.onBehalfOf.flatMap { (reference) throws(FHIREncodingError) in
            try Mapping.organisation(reference, at: FieldPath("onBehalfOf"))
        }
        let parts = try ExtensionParts.single(.careTeamMember, in: participant.extension, noun: "care team member")
        self.init(
            name: name,
            role: role,
            organisation: organisation,
            telephone: try parts?.optionalString("telephone"),
            isLead: try parts?.optionalBoolean("lead") ?? false
        )
    }
}

extension R4.CareTeam {
    /// Writes a care plan's team as a UK Core CareTeam, over the CareTeam it was read from when there is one:
    /// an unchanged participant is kept whole, and what the team has no place for (name, categories,
    /// periods, managing organisations, notes) is kept.
    ///
    /// - Parameters:
    ///   - members: The members.
    ///   - patient: The plan's patient.
    ///   - id: The CareTeam's id, if it has one.
    ///   - original: The CareTeam it was read from, if any.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for empty text, which FHIR cannot carry.
    public init(
        _ members: [CareTeamMember],
        patient: CarePlan.PatientID,
        id: String? = nil,
        keeping original: R4.CareTeam? = nil
    ) throws(FHIREncodingError) {
        self = original ?? R4.CareTeam(status: "active")
        self.id = id ?? original?.id
        meta = Mapping.meta(original?.meta, claiming: .careTeam)
        subject = R4.Reference("Patient", id: patient.rawValue)
        // Each original participant is used once: first whole for an unchanged member, then, for a member
        // whose details changed, the one with the same name, updated in place so that its member reference,
        // period and coded roles stay.
        var unused: [(participant: R4.CareTeam.Participant, member: CareTeamMember?)?] = participant.map {
            ($0, try? CareTeamMember(fhir: $0))
        }
        var written: [R4.CareTeam.Participant?] = members.map { member in
            guard let index = unused.firstIndex(where: { $0?.member == member }), let match = unused[index] else {
                return nil
            }
            unused[index] = nil
            return match.participant
        }
        for (index, member) in members.enumerated() where written[index] == nil {
            let place = FieldPath("participant").appending(index: index)
            if let same = unused.firstIndex(where: { $0?.member?.name == member.name }), let match = unused[same] {
                unused[same] = nil
                written[index] = try Self.participant(member, over: match.participant, read: match.member, at: place)
            } else {
                written[index] = try Self.participant(member, over: nil, read: nil, at: place)
            }
        }
        let result = written.compactMap { $0 }
        if result != participant { text = nil }
        participant = result
    }

    /// A participant for a member: written over the participant it was read from, changing only what
    /// changed, or written fresh as a Practitioner by name.
    private static func participant(
        _ member: CareTeamMember,
        over original: R4.CareTeam.Participant?,
        read: CareTeamMember?,
        at place: FieldPath
    ) throws(FHIREncodingError) -> R4.CareTeam.Participant {
        let name = try Mapping.nonEmpty(member.name, at: place.appending("member.display"))
        let role = try Mapping.nonEmpty(member.role, at: place.appending("role"))
        var result =
            original
            ?? R4.CareTeam.Participant(
                member: R4.Reference(type: R4.Primitive("Practitioner"), display: R4.Primitive(name))
            )
        if read?.role != member.role {
            result.role = [R4.CodeableConcept(text: R4.Primitive(role))] + result.role.dropFirst()
        }
        if read?.organisation != member.organisation || original == nil {
            let type =
                (try? Mapping.target(result.member ?? R4.Reference(), at: .root))??.type ?? result.member?.type?.value
            if member.organisation != nil, type != "Practitioner" {
                throw .unmappable(
                    place.appending("onBehalfOf"),
                    "R4 allows onBehalfOf only for a Practitioner member (ctm-1)"
                )
            }
            // ctm-1: onBehalfOf only beside a Practitioner, which a fresh member is.
            result.onBehalfOf = member.organisation.map(R4.Reference.init(organisation:))
        }
        if read?.telephone != member.telephone || read?.isLead != member.isLead || original == nil {
            var parts = ExtensionBuilder(at: place.appending("extension"), noun: "care team member")
            try parts.string("telephone", member.telephone)
            parts.boolean("lead", member.isLead ? true : nil)
            result.extension = Mapping.merging(
                (.careTeamMember, parts.build(.careTeamMember)),
                into: result.extension,
                known: ["telephone", "lead"]
            )
        }
        return result
    }
}

extension Mapping {
    /// The text of a concept: its `text`, or else its first coding's display.
    static func text(_ concept: R4.CodeableConcept?, at field: FieldPath) throws(FHIREncodingError) -> String? {
        guard let concept else { return nil }
        if let text = try text(concept.text, at: field.appending("text")) { return text }
        return try text(concept.coding.first?.display, at: field.appending("coding[0].display"))
    }

    /// Text FHIR can carry: a string element is never empty.
    static func nonEmpty(_ text: String, at field: FieldPath) throws(FHIREncodingError) -> String {
        guard !text.isEmpty else { throw .unmappable(field, "the text is empty, which FHIR cannot carry") }
        return text
    }
}
