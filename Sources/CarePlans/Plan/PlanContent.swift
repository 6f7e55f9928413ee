public import CareCore

/// What a personalised care and support plan says, in the sections of the PRSB Personalised Care and Support
/// Plan standard (DAPB4022): about me, goals and progress, actions with owners, support and named contacts,
/// the care team across organisations, advance care planning, mental health and wellbeing, communication,
/// contingency and review.
///
/// The content is a value: a plan's history is a list of these, one per version, and two of them can be
/// compared field by field with ``CarePlan/diff(from:to:)``.
public struct PlanContent: Hashable, Sendable, Codable {
    /// The plan's title, such as "My diabetes and heart failure plan".
    public var title: String
    /// The person's own words about themselves.
    public var aboutMe: AboutMe
    /// Goals, in the person's words where they are the person's.
    public var goals: [Goal]
    /// Who does what, and by when.
    public var actions: [PlanAction]
    /// Family, carers and other named contacts, including safeguarding contacts.
    public var contacts: [NamedContact]
    /// The multidisciplinary team, across organisations.
    public var careTeam: [CareTeamMember]
    /// Advance care planning: ReSPECT, preferred place of care, ADRT and LPA references.
    public var advanceCarePlan: AdvanceCarePlan
    /// Mental health and wellbeing, in the plan's words.
    public var mentalHealthAndWellbeing: String?
    /// How to communicate with the person, from CareCore.
    public var communication: CommunicationPreferences
    /// "If this happens, do that": what to do in a crisis or when things change.
    public var contingency: [String]
    /// When the plan is next reviewed.
    public var reviewDate: CivilDate?
    /// The clinician and organisation responsible for the plan; changed with ``CarePlan/transferred(expectedVersion:to:change:)``.
    public var owner: PlanOwner?

    /// Creates plan content; every section but the title and what matters may start empty.
    ///
    /// - Parameters:
    ///   - title: The plan's title; not empty.
    ///   - aboutMe: The person's own words.
    ///   - goals: Goals.
    ///   - actions: Actions.
    ///   - contacts: Named contacts.
    ///   - careTeam: The care team.
    ///   - advanceCarePlan: Advance care planning.
    ///   - mentalHealthAndWellbeing: Mental health and wellbeing.
    ///   - communication: Communication preferences.
    ///   - contingency: What to do if things change.
    ///   - reviewDate: The next review.
    ///   - owner: Who is responsible for the plan.
    public init(
        title: String,
        aboutMe: AboutMe,
        goals: [Goal] = [],
        actions: [PlanAction] = [],
        contacts: [NamedContact] = [],
        careTeam: [CareTeamMember] = [],
        advanceCarePlan: AdvanceCarePlan = AdvanceCarePlan(),
        mentalHealthAndWellbeing: String? = nil,
        communication: CommunicationPreferences,
        contingency: [String] = [],
        reviewDate: CivilDate? = nil,
        owner: PlanOwner? = nil
    ) {
        self.title = title
        self.aboutMe = aboutMe
        self.goals = goals
        self.actions = actions
        self.contacts = contacts
        self.careTeam = careTeam
        self.advanceCarePlan = advanceCarePlan
        self.mentalHealthAndWellbeing = mentalHealthAndWellbeing
        self.communication = communication
        self.contingency = contingency
        self.reviewDate = reviewDate
        self.owner = owner
    }

    /// Checks the content: a title and what matters to the person, unique ids, and goals, actions and contacts
    /// with something in them.
    ///
    /// - Throws: ``CarePlansError`` with code `invalidValue`, naming the field.
    public func validate() throws(CarePlansError) {
        func require(_ condition: Bool, _ field: String, _ reason: String) throws(CarePlansError) {
            guard condition else { throw CarePlansError(.invalidValue, field: FieldPath(field), reason: reason) }
        }
        try require(!title.isBlank, "title", "a plan needs a title")
        try require(!aboutMe.whatMattersToMe.isBlank, "aboutMe.whatMattersToMe", "a plan records what matters")
        try require(Set(goals.map(\.id)).count == goals.count, "goals", "goal ids must be unique")
        try require(Set(actions.map(\.id)).count == actions.count, "actions", "action ids must be unique")
        try require(Set(contacts.map(\.id)).count == contacts.count, "contacts", "contact ids must be unique")
        for (index, goal) in goals.enumerated() {
            try require(!goal.description.isBlank, "goals[\(index)].description", "a goal needs a description")
        }
        for (index, action) in actions.enumerated() {
            try require(!action.what.isBlank, "actions[\(index)].what", "an action says what is to be done")
            try require(!action.owner.isBlank, "actions[\(index)].owner", "an action has an owner")
        }
        for (index, contact) in contacts.enumerated() {
            try require(!contact.name.isBlank, "contacts[\(index)].name", "a contact needs a name")
        }
    }
}

/// The clinician and organisation responsible for a plan.
public struct PlanOwner: Hashable, Sendable, Codable {
    /// The clinician's name.
    public var name: String
    /// Their role: "consultant psychiatrist", "GP".
    public var role: String
    /// Their organisation.
    public var organisation: ODSCode

    /// Creates an owner.
    ///
    /// - Parameters:
    ///   - name: The clinician's name.
    ///   - role: Their role.
    ///   - organisation: Their organisation.
    public init(name: String, role: String, organisation: ODSCode) {
        self.name = name
        self.role = role
        self.organisation = organisation
    }
}

/// The person's own words about themselves: the PRSB "About me" section.
public struct AboutMe: Hashable, Sendable, Codable {
    /// "Please call me …".
    public var pleaseCallMe: String?
    /// What matters to the person; required.
    public var whatMattersToMe: String
    /// How they communicate, and how to communicate with them, including in pain or distress.
    public var howToCommunicateWithMe: String?
    /// People who are important to them and the roles they play.
    public var peopleImportantToMe: String?
    /// What makes a good day.
    public var aGoodDay: String?

    /// Creates the section.
    ///
    /// - Parameters:
    ///   - pleaseCallMe: How the person wants to be addressed.
    ///   - whatMattersToMe: What matters to them.
    ///   - howToCommunicateWithMe: How to communicate with them.
    ///   - peopleImportantToMe: People important to them.
    ///   - aGoodDay: What makes a good day.
    public init(
        pleaseCallMe: String? = nil,
        whatMattersToMe: String,
        howToCommunicateWithMe: String? = nil,
        peopleImportantToMe: String? = nil,
        aGoodDay: String? = nil
    ) {
        self.pleaseCallMe = pleaseCallMe
        self.whatMattersToMe = whatMattersToMe
        self.howToCommunicateWithMe = howToCommunicateWithMe
        self.peopleImportantToMe = peopleImportantToMe
        self.aGoodDay = aGoodDay
    }
}

/// Who expressed a goal or recorded a progress entry.
public enum Voice: String, Hashable, Sendable, Codable, CaseIterable {
    /// The person.
    case patient
    /// A carer or family member.
    case carer
    /// A professional.
    case professional
}

/// A goal: what the person wants to achieve, how it is measured, by when, and how it is going.
///
/// The lifecycle and achievement codes are FHIR R4 `Goal.lifecycleStatus` and `Goal.achievementStatus`.
public struct Goal: Hashable, Sendable, Codable, Identifiable {
    /// The identifier type of goals.
    public typealias ID = EntityID<Goal>

    /// FHIR `goal-status`.
    public enum Lifecycle: String, Hashable, Sendable, Codable, CaseIterable {
        /// Suggested, not yet agreed.
        case proposed
        /// Agreed to start later.
        case planned
        /// Agreed.
        case accepted
        /// Being worked on.
        case active
        /// Paused.
        case onHold = "on-hold"
        /// Finished.
        case completed
        /// Abandoned.
        case cancelled
        /// Recorded in error.
        case enteredInError = "entered-in-error"
        /// Not agreed.
        case rejected
    }

    /// FHIR `goal-achievement`.
    public enum Achievement: String, Hashable, Sendable, Codable, CaseIterable {
        /// Under way.
        case inProgress = "in-progress"
        /// Getting better.
        case improving
        /// Getting worse.
        case worsening
        /// No change.
        case noChange = "no-change"
        /// Achieved.
        case achieved
        /// Achieved and kept up.
        case sustaining
        /// Not achieved.
        case notAchieved = "not-achieved"
        /// No progress.
        case noProgress = "no-progress"
        /// Cannot be achieved.
        case notAttainable = "not-attainable"
    }

    /// One entry in a goal's progress.
    public struct Progress: Hashable, Sendable, Codable {
        /// The day it was recorded (Europe/London).
        public let date: CivilDate
        /// What was noted.
        public let note: String
        /// How the goal stands now, if the entry says.
        public let achievement: Achievement?
        /// Who recorded it.
        public let recordedBy: Voice

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - date: The day.
        ///   - note: What was noted.
        ///   - achievement: How the goal stands.
        ///   - recordedBy: Who recorded it.
        public init(date: CivilDate, note: String, achievement: Achievement? = nil, recordedBy: Voice) {
            self.date = date
            self.note = note
            self.achievement = achievement
            self.recordedBy = recordedBy
        }
    }

    /// The goal's id.
    public let id: ID
    /// The goal, in the words of whoever expressed it.
    public var description: String
    /// Whose goal it is.
    public var expressedBy: Voice
    /// What is measured, such as "HbA1c" or "walking distance".
    public var measure: String?
    /// The target, such as "below 58 mmol/mol" or "to the shop and back".
    public var target: String?
    /// When it should be reached.
    public var due: CivilDate?
    /// Where it stands in its lifecycle.
    public var lifecycle: Lifecycle
    /// How it is going.
    public var achievement: Achievement?
    /// Progress entries, oldest first.
    public var progress: [Progress]

    /// Creates a goal.
    ///
    /// - Parameters:
    ///   - id: Its id.
    ///   - description: The goal.
    ///   - expressedBy: Whose goal it is.
    ///   - measure: What is measured.
    ///   - target: The target.
    ///   - due: When it should be reached.
    ///   - lifecycle: Where it stands; active by default.
    ///   - achievement: How it is going.
    ///   - progress: Progress entries.
    public init(
        id: ID,
        description: String,
        expressedBy: Voice,
        measure: String? = nil,
        target: String? = nil,
        due: CivilDate? = nil,
        lifecycle: Lifecycle = .active,
        achievement: Achievement? = nil,
        progress: [Progress] = []
    ) {
        self.id = id
        self.description = description
        self.expressedBy = expressedBy
        self.measure = measure
        self.target = target
        self.due = due
        self.lifecycle = lifecycle
        self.achievement = achievement
        self.progress = progress
    }
}

/// An action agreed in the plan: what, who and when. The status codes are FHIR R4 `CarePlan.activity.detail.status`.
public struct PlanAction: Hashable, Sendable, Codable, Identifiable {
    /// The identifier type of actions.
    public typealias ID = EntityID<PlanAction>

    /// FHIR `care-plan-activity-status`.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// Not started.
        case notStarted = "not-started"
        /// Booked.
        case scheduled
        /// Under way.
        case inProgress = "in-progress"
        /// Paused.
        case onHold = "on-hold"
        /// Done.
        case completed
        /// Called off before it started.
        case cancelled
        /// Stopped after it started.
        case stopped
    }

    /// The action's id.
    public let id: ID
    /// What is to be done.
    public var what: String
    /// Who does it: the person, a carer, a named professional or a team.
    public var owner: String
    /// By when.
    public var due: CivilDate?
    /// Where it stands.
    public var status: Status

    /// Creates an action.
    ///
    /// - Parameters:
    ///   - id: Its id.
    ///   - what: What is to be done.
    ///   - owner: Who does it.
    ///   - due: By when.
    ///   - status: Where it stands; not started by default.
    public init(id: ID, what: String, owner: String, due: CivilDate? = nil, status: Status = .notStarted) {
        self.id = id
        self.what = what
        self.owner = owner
        self.due = due
        self.status = status
    }
}

/// A named contact: family, a carer, a friend, or a safeguarding lead to call.
public struct NamedContact: Hashable, Sendable, Codable, Identifiable {
    /// The identifier type of contacts.
    public typealias ID = EntityID<NamedContact>

    /// The contact's id.
    public let id: ID
    /// Their name.
    public var name: String
    /// Who they are to the person, or their role: "daughter", "carer", "safeguarding lead".
    public var relationship: String
    /// How to reach them.
    public var telephone: String?
    /// Whether to call them in an emergency.
    public var isEmergencyContact: Bool
    /// Whether they are a safeguarding named contact.
    public var isSafeguardingContact: Bool

    /// Creates a contact.
    ///
    /// - Parameters:
    ///   - id: Its id.
    ///   - name: Their name.
    ///   - relationship: Who they are to the person.
    ///   - telephone: How to reach them.
    ///   - isEmergencyContact: Whether to call them in an emergency.
    ///   - isSafeguardingContact: Whether they are a safeguarding named contact.
    public init(
        id: ID,
        name: String,
        relationship: String,
        telephone: String? = nil,
        isEmergencyContact: Bool = false,
        isSafeguardingContact: Bool = false
    ) {
        self.id = id
        self.name = name
        self.relationship = relationship
        self.telephone = telephone
        self.isEmergencyContact = isEmergencyContact
        self.isSafeguardingContact = isSafeguardingContact
    }
}

/// A member of the multidisciplinary team.
public struct CareTeamMember: Hashable, Sendable, Codable {
    /// Their name.
    public var name: String
    /// Their role: "GP", "community matron", "consultant cardiologist".
    public var role: String
    /// Their organisation, by ODS code.
    public var organisation: ODSCode?
    /// How to reach them.
    public var telephone: String?
    /// Whether they lead the plan.
    public var isLead: Bool

    /// Creates a member.
    ///
    /// - Parameters:
    ///   - name: Their name.
    ///   - role: Their role.
    ///   - organisation: Their organisation.
    ///   - telephone: How to reach them.
    ///   - isLead: Whether they lead the plan.
    public init(
        name: String,
        role: String,
        organisation: ODSCode? = nil,
        telephone: String? = nil,
        isLead: Bool = false
    ) {
        self.name = name
        self.role = role
        self.organisation = organisation
        self.telephone = telephone
        self.isLead = isLead
    }
}

extension PlanContent: CustomStringConvertible, CustomReflectable {
    /// The size of each list only, such as `PlanContent(goals: 2, actions: 3, contacts: 1, careTeam: 4)`: the
    /// title, the person's words, names, telephone numbers and plans are patient data.
    public var description: String {
        "PlanContent(goals: \(goals.count), actions: \(actions.count), contacts: \(contacts.count), "
            + "careTeam: \(careTeam.count))"
    }

    /// A mirror that shows the size of each list only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "goalCount": goals.count, "actionCount": actions.count, "contactCount": contacts.count,
                "careTeamCount": careTeam.count, "contingencyCount": contingency.count,
            ],
            displayStyle: .struct
        )
    }
}

extension AboutMe: CustomStringConvertible, CustomReflectable {
    /// Always `AboutMe(<redacted>)`: the section is the person's own words about themselves.
    public var description: String { "AboutMe(<redacted>)" }

    /// A mirror with no children, so `dump` and debuggers show nothing of the section.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Goal: CustomDebugStringConvertible, CustomReflectable {
    /// The id, lifecycle, achievement and number of progress entries only, such as
    /// `Goal(id: goal-1, lifecycle: active, achievement: improving, 2 progress entries)`: the goal, its
    /// measure, its target and its progress notes are in the words of the person or their carers.
    ///
    /// A goal has a stored `description`, so it cannot be `CustomStringConvertible`; string interpolation and
    /// `String(describing:)` fall back to this text.
    public var debugDescription: String {
        let achievementText = achievement.map { ", achievement: \($0.rawValue)" } ?? ""
        let progressText = progress.count == 1 ? "1 progress entry" : "\(progress.count) progress entries"
        return "Goal(id: \(id), lifecycle: \(lifecycle.rawValue)\(achievementText), \(progressText))"
    }

    /// A mirror that shows the id, whose goal it is, lifecycle, achievement and progress count only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "id": id, "expressedBy": expressedBy, "lifecycle": lifecycle, "achievement": achievement as Any,
                "progressCount": progress.count,
            ],
            displayStyle: .struct
        )
    }
}

extension Goal.Progress: CustomStringConvertible, CustomReflectable {
    /// Who recorded the entry and the achievement only, such as
    /// `Goal.Progress(recordedBy: patient, achievement: improving)`: the note is free text.
    public var description: String {
        let achievementText = achievement.map { ", achievement: \($0.rawValue)" } ?? ""
        return "Goal.Progress(recordedBy: \(recordedBy.rawValue)\(achievementText))"
    }

    /// A mirror that shows who recorded the entry and the achievement only.
    public var customMirror: Mirror {
        Mirror(self, children: ["recordedBy": recordedBy, "achievement": achievement as Any], displayStyle: .struct)
    }
}

extension PlanAction: CustomStringConvertible, CustomReflectable {
    /// The id and status only, such as `PlanAction(id: action-1, status: not-started)`: what is to be done and
    /// who does it are free text that may name the person or their family.
    public var description: String { "PlanAction(id: \(id), status: \(status.rawValue))" }

    /// A mirror that shows the id and status only.
    public var customMirror: Mirror { Mirror(self, children: ["id": id, "status": status], displayStyle: .struct) }
}

extension NamedContact: CustomStringConvertible, CustomReflectable {
    /// The id and flags only, such as
    /// `NamedContact(id: contact-1, isEmergencyContact: true, isSafeguardingContact: false)`: the name,
    /// relationship and telephone number are personal data.
    public var description: String {
        "NamedContact(id: \(id), isEmergencyContact: \(isEmergencyContact), "
            + "isSafeguardingContact: \(isSafeguardingContact))"
    }

    /// A mirror that shows the id and flags only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "id": id, "isEmergencyContact": isEmergencyContact, "isSafeguardingContact": isSafeguardingContact,
            ],
            displayStyle: .struct
        )
    }
}

extension CareTeamMember: CustomStringConvertible, CustomReflectable {
    /// The organisation and whether they lead only, such as `CareTeamMember(organisation: A81001, isLead: true)`:
    /// a care team, with names and telephone numbers, says who is treating the person and for what.
    public var description: String {
        "CareTeamMember(organisation: \(organisation?.description ?? "none"), isLead: \(isLead))"
    }

    /// A mirror that shows the organisation and whether they lead only.
    public var customMirror: Mirror {
        Mirror(self, children: ["organisation": organisation as Any, "isLead": isLead], displayStyle: .struct)
    }
}

extension String {
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
