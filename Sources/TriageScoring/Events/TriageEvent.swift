public import Foundation

/// One event on an emergency department's board, as read from a line of an event stream.
public struct TriageEvent: Hashable, Sendable {
    /// What happened.
    public enum Action: Hashable, Sendable {
        /// The patient arrived and was triaged.
        case arrival(CategoryAssignment, ArrivalMode)
        /// A set of observations was taken.
        case observations(NEWS2Observations)
        /// A clinician re-triaged the patient.
        case retriage(TriageCategory, ClinicianDecision)
        /// The patient was taken into a cubicle.
        case treatment
        /// The patient left the department.
        case departure
    }

    /// The one-based line of the stream the event came from.
    public let line: Int
    /// When it happened: the board's clock.
    public let time: Date
    /// The patient's attendance identifier.
    public let patient: TriageQueue.PatientID
    /// What happened.
    public let action: Action

    /// Creates an event.
    ///
    /// - Parameters:
    ///   - line: The one-based line it came from, or 0 for an event made in code.
    ///   - time: When it happened.
    ///   - patient: The patient.
    ///   - action: What happened.
    public init(line: Int, time: Date, patient: TriageQueue.PatientID, action: Action) {
        self.line = line
        self.time = time
        self.patient = patient
        self.action = action
    }
}

extension TriageQueue {
    /// Applies an event to the board at the event's own time.
    ///
    /// - Parameter event: The event.
    /// - Returns: The notices the change produced.
    /// - Throws: ``TriageScoringError`` from the change, placed on the event's line.
    @discardableResult
    public mutating func apply(_ event: TriageEvent) throws(TriageScoringError) -> [BoardNotice] {
        do {
            switch event.action {
            case .arrival(let triage, let mode):
                return try arrive(event.patient, triage: triage, mode: mode, at: event.time)
            case .observations(let observations):
                return try rescore(event.patient, with: observations, at: event.time)
            case .retriage(let category, let decision):
                try retriage(event.patient, to: category, by: decision, at: event.time)
                return []
            case .treatment:
                return try startTreatment(event.patient, at: event.time)
            case .departure:
                return try depart(event.patient, at: event.time)
            }
        } catch {
            throw event.line > 0 ? error.onLine(event.line) : error
        }
    }
}
