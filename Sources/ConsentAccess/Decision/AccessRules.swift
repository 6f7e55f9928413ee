public import Foundation

/// The configurable part of the policy: which activities each kind of request needs, who may use break-glass
/// and for how long, and the age rules of self and proxy access.
///
/// ``nhsDefault`` is a starting point for a deploying organisation's information governance team to review,
/// not a national standard: the NHS RBAC database names activities, but which activity a given screen needs
/// is each system's choice.
public struct AccessRules: Hashable, Sendable {
    /// A kind of request: a data class and an action.
    public struct Requirement: Hashable, Sendable {
        /// The data class.
        public let dataClass: DataClass
        /// The action.
        public let action: AccessAction

        /// Creates a requirement key.
        ///
        /// - Parameters:
        ///   - dataClass: The data class.
        ///   - action: The action.
        public init(_ dataClass: DataClass, _ action: AccessAction) {
            self.dataClass = dataClass
            self.action = action
        }
    }

    /// For each kind of request, the activities that allow it, any one of which is enough, in the order a
    /// decision cites them. A kind of request with no entry is denied to staff.
    public var requirements: [Requirement: [ActivityCode]]
    /// The activities that allow a user to break the glass.
    public var breakGlassActivities: [ActivityCode]
    /// The longest a break-glass grant may last.
    public var maximumBreakGlassDuration: TimeInterval
    /// The age from which a patient reads their own record without an assessment (16).
    public var selfAccessAge: Int
    /// The age from which a child is assessed case by case for Gillick competence (11).
    public var competenceAssessmentAge: Int
    /// The age from which a lasting power of attorney can act (18: the donor must be an adult when it is
    /// made, Mental Capacity Act 2005 section 9).
    public var lastingPowerOfAttorneyAge: Int = 18
    /// The data classes a patient, or a proxy allowed to update, may change.
    public var patientUpdatableClasses: Set<DataClass>
    /// The classes a parent keeps for a child of 11 or over who has not been assessed.
    public var administrativeClasses: Set<DataClass>

    /// Creates rules.
    ///
    /// - Parameters:
    ///   - requirements: Activities per kind of request.
    ///   - breakGlassActivities: Activities that allow break-glass.
    ///   - maximumBreakGlassDuration: The longest grant, in seconds.
    ///   - selfAccessAge: The age of presumed self access.
    ///   - competenceAssessmentAge: The age from which competence is assessed.
    ///   - patientUpdatableClasses: Classes a patient may change.
    ///   - administrativeClasses: Classes a parent keeps before an assessment.
    public init(
        requirements: [Requirement: [ActivityCode]],
        breakGlassActivities: [ActivityCode],
        maximumBreakGlassDuration: TimeInterval,
        selfAccessAge: Int,
        competenceAssessmentAge: Int,
        patientUpdatableClasses: Set<DataClass>,
        administrativeClasses: Set<DataClass>
    ) {
        self.requirements = requirements
        self.breakGlassActivities = breakGlassActivities
        self.maximumBreakGlassDuration = maximumBreakGlassDuration
        self.selfAccessAge = selfAccessAge
        self.competenceAssessmentAge = competenceAssessmentAge
        self.patientUpdatableClasses = patientUpdatableClasses
        self.administrativeClasses = administrativeClasses
    }

    /// The activities that allow a kind of request, or an empty list when none does.
    ///
    /// - Parameters:
    ///   - dataClass: The data class.
    ///   - action: The action.
    /// - Returns: The activities, any one of which is enough.
    public func activities(for dataClass: DataClass, _ action: AccessAction) -> [ActivityCode] {
        requirements[Requirement(dataClass, action)] ?? []
    }

    /// A default to review: demographics need B0820 to read and B0825 to amend; summaries B0370; the detailed
    /// record, care plans, results and the sensitive classes B0380 to read and B8029 to change; appointments
    /// B0560 or B8013; consent B0020 to change; the access history B0011. Break-glass needs B0168 (emergency
    /// access) or B0082 (legal override) and lasts at most four hours. Self access from 16, competence assessed
    /// from 11; a patient may change appointments, their care plan contributions and their consent; a parent
    /// keeps demographics, contact details and appointments before an assessment.
    public static let nhsDefault: AccessRules = {
        func codes(_ texts: String...) -> [ActivityCode] { texts.compactMap { ActivityCode($0) } }
        var requirements: [Requirement: [ActivityCode]] = [:]
        requirements[Requirement(.demographics, .read)] = codes("B0820")
        requirements[Requirement(.demographics, .update)] = codes("B0825")
        requirements[Requirement(.contactDetails, .read)] = codes("B0820")
        requirements[Requirement(.contactDetails, .update)] = codes("B0825")
        requirements[Requirement(.summary, .read)] = codes("B0370", "B0380")
        requirements[Requirement(.emergencySummary, .read)] = codes("B0370", "B0380")
        requirements[Requirement(.appointments, .read)] = codes("B0560", "B8013", "B0380")
        requirements[Requirement(.appointments, .update)] = codes("B0560", "B8013")
        requirements[Requirement(.consent, .read)] = codes("B0020", "B0380")
        requirements[Requirement(.consent, .update)] = codes("B0020")
        requirements[Requirement(.accessHistory, .read)] = codes("B0011")
        let clinical: [DataClass] = [.detailedRecord, .carePlan, .results, .observations] + DataClass.sensitive
        for dataClass in clinical.sorted() {
            requirements[Requirement(dataClass, .read)] = codes("B0380")
            requirements[Requirement(dataClass, .update)] = codes("B8029")
        }
        return AccessRules(
            requirements: requirements,
            breakGlassActivities: codes("B0168", "B0082"),
            maximumBreakGlassDuration: 4 * 60 * 60,
            selfAccessAge: 16,
            competenceAssessmentAge: 11,
            patientUpdatableClasses: [.appointments, .carePlan, .consent],
            administrativeClasses: [.demographics, .contactDetails, .appointments]
        )
    }()
}
