public import CareCore
public import Foundation

/// A person's stay on a virtual ward: the criteria for coming on and going off it, and the observations to
/// take at home, as a CareCore `MonitoringSchedule` that escalation rules elsewhere (TriageScoring, composed
/// in the host application) read without either module importing the other.
///
/// ```swift
/// var stay = try VirtualWardEnrolment(
///     id: stayID, patient: claire, plan: plan.id, ward: "Heart failure virtual ward",
///     entryCriteria: ["Heart failure exacerbation confirmed", "Able to use the monitoring kit"],
///     exitCriteria: ["Weight stable for 3 days", "Breathlessness back to usual"],
///     monitoring: try MonitoringSchedule([...])
/// )
/// try stay.record(.entry, 0, met: true)
/// try stay.record(.entry, 1, met: true)
/// try stay.enrol(at: now)
/// ```
public struct VirtualWardEnrolment: Hashable, Sendable, Identifiable {
    /// The identifier type of enrolments.
    public typealias ID = EntityID<VirtualWardEnrolment>

    /// Where the stay stands.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// Referred; criteria being checked.
        case referred
        /// On the ward.
        case enrolled
        /// Off the ward.
        case discharged
    }

    /// Why a stay ended.
    public enum DischargeReason: Hashable, Sendable {
        /// Every exit criterion was met.
        case exitCriteriaMet
        /// Admitted to hospital.
        case admittedToHospital
        /// The person chose to leave.
        case patientChoice
        /// Another reason, in a few non-clinical words.
        case other(String)
    }

    /// Which list of criteria.
    public enum CriteriaList: Hashable, Sendable {
        /// For coming on to the ward.
        case entry
        /// For going off it.
        case exit
    }

    /// One criterion and whether it has been judged met.
    public struct Criterion: Hashable, Sendable {
        /// The criterion, as the ward's protocol words it.
        public let text: String
        /// Whether it is met; `nil` until someone has judged it.
        public internal(set) var met: Bool?
    }

    /// The stay's id.
    public let id: ID
    /// Who is on the ward.
    public let patient: CarePlan.PatientID
    /// The care plan the stay belongs to.
    public let plan: CarePlan.ID?
    /// The ward's name.
    public let ward: String
    /// What must be true to come on to the ward.
    public private(set) var entryCriteria: [Criterion]
    /// What must be true to go off it.
    public private(set) var exitCriteria: [Criterion]
    /// The observations to take, and how often.
    public var monitoring: MonitoringSchedule
    /// Where the stay stands.
    public private(set) var status: Status
    /// When the person came on to the ward.
    public private(set) var enrolledAt: Date?
    /// When they went off it, and why.
    public private(set) var discharge: (at: Date, reason: DischargeReason)?

    /// Creates a referral.
    ///
    /// - Parameters:
    ///   - id: Its id.
    ///   - patient: Who is referred.
    ///   - plan: The care plan it belongs to.
    ///   - ward: The ward's name.
    ///   - entryCriteria: What must be true to come on; at least one.
    ///   - exitCriteria: What must be true to go off; at least one.
    ///   - monitoring: The observations to take.
    /// - Throws: ``CarePlansError`` with code `invalidValue` for an empty ward name or criteria list.
    public init(
        id: ID,
        patient: CarePlan.PatientID,
        plan: CarePlan.ID?,
        ward: String,
        entryCriteria: [String],
        exitCriteria: [String],
        monitoring: MonitoringSchedule
    ) throws(CarePlansError) {
        guard !ward.isBlank, !entryCriteria.isEmpty, !exitCriteria.isEmpty,
            (entryCriteria + exitCriteria).allSatisfy({ !$0.isBlank })
        else {
            throw CarePlansError(
                .invalidValue,
                field: FieldPath("virtualWard"),
                reason: "a virtual-ward stay needs a ward and at least one entry and one exit criterion"
            )
        }
        self.id = id
        self.patient = patient
        self.plan = plan
        self.ward = ward
        self.entryCriteria = entryCriteria.map { Criterion(text: $0, met: nil) }
        self.exitCriteria = exitCriteria.map { Criterion(text: $0, met: nil) }
        self.monitoring = monitoring
        self.status = .referred
    }

    /// Records whether a criterion is met.
    ///
    /// - Parameters:
    ///   - list: Entry or exit.
    ///   - index: The criterion's place in its list.
    ///   - met: Whether it is met.
    /// - Throws: ``CarePlansError``: `notFound` for an index outside the list; `invalidTransition` after
    ///   discharge.
    public mutating func record(_ list: CriteriaList, _ index: Int, met: Bool) throws(CarePlansError) {
        guard status != .discharged else {
            throw CarePlansError(
                .invalidTransition,
                field: FieldPath("virtualWard.status"),
                reason: "the stay has ended"
            )
        }
        let count = list == .entry ? entryCriteria.count : exitCriteria.count
        guard (0..<count).contains(index) else {
            throw CarePlansError(
                .notFound,
                field: FieldPath("virtualWard.criteria"),
                reason: "no criterion has this index"
            )
        }
        if list == .entry { entryCriteria[index].met = met } else { exitCriteria[index].met = met }
    }

    /// Brings the person on to the ward.
    ///
    /// - Parameter moment: When.
    /// - Throws: ``CarePlansError`` with code `invalidTransition` unless referred with every entry criterion
    ///   judged met; the field names the first criterion that is not.
    public mutating func enrol(at moment: Date) throws(CarePlansError) {
        guard status == .referred else {
            throw CarePlansError(
                .invalidTransition,
                field: FieldPath("virtualWard.status"),
                reason: "only a referral can be enrolled"
            )
        }
        if let index = entryCriteria.firstIndex(where: { $0.met != true }) {
            throw CarePlansError(
                .invalidTransition,
                field: FieldPath("virtualWard.entryCriteria").appending(index: index),
                reason: "every entry criterion must be judged met before enrolment"
            )
        }
        status = .enrolled
        enrolledAt = moment
    }

    /// Takes the person off the ward.
    ///
    /// - Parameters:
    ///   - moment: When.
    ///   - reason: Why; ``DischargeReason/exitCriteriaMet`` needs every exit criterion judged met.
    /// - Throws: ``CarePlansError`` with code `invalidTransition` when the person is not on the ward or the
    ///   exit criteria are not all met for that reason.
    public mutating func discharge(at moment: Date, reason: DischargeReason) throws(CarePlansError) {
        guard status == .enrolled else {
            throw CarePlansError(
                .invalidTransition,
                field: FieldPath("virtualWard.status"),
                reason: "only someone enrolled can be discharged"
            )
        }
        if reason == .exitCriteriaMet, let index = exitCriteria.firstIndex(where: { $0.met != true }) {
            throw CarePlansError(
                .invalidTransition,
                field: FieldPath("virtualWard.exitCriteria").appending(index: index),
                reason: "every exit criterion must be judged met for this discharge reason"
            )
        }
        status = .discharged
        discharge = (moment, reason)
    }

    /// The observations overdue at a moment, while the person is on the ward; none otherwise.
    ///
    /// - Parameters:
    ///   - lastTaken: When each kind was last taken.
    ///   - now: The moment.
    /// - Returns: The overdue kinds, from the monitoring schedule.
    public func overdueObservations(lastTaken: [ObservationKind: Date], at now: Date) -> [ObservationKind] {
        status == .enrolled ? monitoring.overdue(lastTaken: lastTaken, at: now) : []
    }

    /// Whether two stays are the same.
    ///
    /// - Parameters:
    ///   - lhs: One stay.
    ///   - rhs: Another.
    /// - Returns: `true` when every field is the same.
    public static func == (lhs: VirtualWardEnrolment, rhs: VirtualWardEnrolment) -> Bool {
        lhs.id == rhs.id && lhs.patient == rhs.patient && lhs.plan == rhs.plan && lhs.ward == rhs.ward
            && lhs.entryCriteria == rhs.entryCriteria && lhs.exitCriteria == rhs.exitCriteria
            && lhs.monitoring == rhs.monitoring && lhs.status == rhs.status && lhs.enrolledAt == rhs.enrolledAt
            && lhs.discharge?.at == rhs.discharge?.at && lhs.discharge?.reason == rhs.discharge?.reason
    }

    /// Hashes the stay.
    ///
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(status)
    }
}
