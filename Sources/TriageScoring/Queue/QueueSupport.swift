public import Foundation

/// How a patient came to the department.
public enum ArrivalMode: String, Hashable, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Brought by ambulance.
    case ambulance
    /// Walked in or was brought by someone else.
    case walkIn = "walk-in"
    /// Referred in by a GP, NHS 111 or another service.
    case referred

    /// The mode's stable text, such as `walk-in`.
    public var description: String { rawValue }
}

/// A clinician's decision to change a patient's category, the only way a category is lowered.
public struct ClinicianDecision: Hashable, Sendable {
    /// Who decided: a clinician's role or staff identifier.
    public let clinician: String
    /// Why, in the clinician's words; required when the category is lowered.
    public let reason: String?

    /// Records a decision.
    ///
    /// - Parameters:
    ///   - clinician: Who decided.
    ///   - reason: Why; required to lower a category.
    public init(clinician: String, reason: String? = nil) {
        self.clinician = clinician
        self.reason = reason
    }
}

extension ClinicianDecision: CustomStringConvertible, CustomReflectable {
    /// Who decided, with the reason hidden, such as
    /// `ClinicianDecision(clinician: ed-consultant, reason: <redacted>)`: the reason is free text about the
    /// patient.
    public var description: String {
        let reasonText = reason == nil ? "" : ", reason: <redacted>"
        return "ClinicianDecision(clinician: \(clinician)\(reasonText))"
    }

    /// A mirror that shows who decided and whether there is a reason only.
    public var customMirror: Mirror {
        Mirror(self, children: ["clinician": clinician, "hasReason": reason != nil], displayStyle: .struct)
    }
}

/// Why a patient's category changed.
public enum CategoryChangeCause: Hashable, Sendable, CustomStringConvertible, CustomReflectable {
    /// The first triage on arrival.
    case triage(assessedBy: String)
    /// A NEWS2 score whose response has a more urgent floor.
    case news2(total: Int, response: NEWS2Response)
    /// An incomplete set whose observed parameters already reach a response with a more urgent floor.
    case incompleteNEWS2(atLeast: Int, response: NEWS2Response)
    /// A clinician re-triaged the patient.
    case clinician(ClinicianDecision)

    /// The cause in words, such as `re-triaged by ed-consultant (reason recorded)`: a clinician's reason is free
    /// text about the patient, so it is never part of the words; read it from the ``ClinicianDecision``.
    public var description: String {
        switch self {
        case .triage(let by): return "triaged by \(by)"
        case .news2(let total, let response): return "raised by NEWS2 \(total) (\(response) response)"
        case .incompleteNEWS2(let total, let response):
            return "raised by an incomplete set already scoring \(total) (at least a \(response) response)"
        case .clinician(let decision):
            let reasonText = decision.reason == nil ? "" : " (reason recorded)"
            return "re-triaged by \(decision.clinician)\(reasonText)"
        }
    }

    /// A mirror with no children, so `dump` and debuggers show the words of ``description`` only.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .enum) }
}

/// One change of a patient's category.
public struct CategoryChange: Hashable, Sendable {
    /// The category before, or `nil` for the first triage.
    public let from: TriageCategory?
    /// The category after.
    public let to: TriageCategory
    /// When.
    public let at: Date
    /// Why.
    public let cause: CategoryChangeCause
}

/// Whether a patient on the board is waiting or being seen.
public enum BoardState: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Waiting to be seen: in the queue.
    case waiting
    /// In a cubicle or bed, being seen: holding capacity, out of the queue.
    case inTreatment = "in-treatment"

    /// The state's stable text.
    public var description: String { rawValue }
}

/// Something that changed on the board and that the department should hear about.
public enum BoardNotice: Hashable, Sendable, CustomStringConvertible {
    /// A patient's category was raised by a NEWS2 score.
    case categoryRaised(TriageQueue.PatientID, from: TriageCategory, to: TriageCategory, news2: Int)
    /// A patient's category was raised by an incomplete set whose observed parameters already score this much.
    case categoryRaisedByIncompleteSet(TriageQueue.PatientID, from: TriageCategory, to: TriageCategory, atLeast: Int)
    /// The capacity escalation level changed.
    case capacityLevelChanged(from: CapacityLevel, to: CapacityLevel)
    /// No cubicle is free: ambulances should be warned.
    case ambulanceWarningRaised(waiting: Int)
    /// A cubicle is free again.
    case ambulanceWarningCleared

    /// The notice in one line.
    public var description: String {
        switch self {
        case .categoryRaised(let patient, let from, let to, let news2):
            return "\(patient): raised from \(from) to \(to) by NEWS2 \(news2)"
        case .categoryRaisedByIncompleteSet(let patient, let from, let to, let atLeast):
            return "\(patient): raised from \(from) to \(to) by an incomplete set already scoring \(atLeast)"
        case .capacityLevelChanged(let from, let to):
            return "capacity level \(from.rawValue) → \(to.rawValue) (\(to))"
        case .ambulanceWarningRaised(let waiting):
            return "AMBULANCE WARNING: no cubicle free, \(waiting) waiting"
        case .ambulanceWarningCleared:
            return "ambulance warning cleared: a cubicle is free"
        }
    }
}
