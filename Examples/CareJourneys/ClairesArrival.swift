import CareCore
import Foundation
import TriageScoring

/// Claire reaches the emergency department by ambulance: the crew's observations are scored with NEWS2, the
/// triage nurse's category is raised by the score, and she takes her place on a board that already holds four
/// patients.
struct ClairesArrival {
    /// Claire's attendance number on the board: a local identifier, never her NHS number.
    static let attendance = "ED-2207"

    /// What the step produced, for the journey to print and check.
    struct Outcome {
        let score: NEWS2Score
        let raise: BoardNotice?
        let top: [QueueEntry]
        let explanation: QueueExplanation
        /// When the crew's set was scored.
        let scoredAt: Date
        /// Her category once the score had raised it, as the board holds it.
        let triage: CategoryAssignment
    }

    /// Runs the arrival at a moment after the 999 call.
    ///
    /// - Parameter arrival: When the ambulance hands Claire over.
    /// - Returns: What happened.
    /// - Throws: `TriageScoringError` if the board refuses a change, which would be a defect in the journey.
    func run(arrival: Date) throws -> Outcome {
        guard let claire = TriageQueue.PatientID(Self.attendance) else {
            throw TriageScoringError(.invalidValue, field: .root, reason: "the attendance number is not an identifier")
        }
        var board = TriageQueue(capacity: try CapacityPolicy(cubicles: 6))
        let minutesBefore = { (minutes: Double) in arrival.addingTimeInterval(-minutes * 60) }
        let waiting: [(String, TriageCategory, Double, ArrivalMode)] = [
            ("ED-2201", .green, 95, .walkIn),
            ("ED-2203", .yellow, 50, .walkIn),
            ("ED-2204", .blue, 40, .walkIn),
            ("ED-2206", .orange, 6, .ambulance),
        ]
        for (id, category, minutes, mode) in waiting {
            guard let patient = TriageQueue.PatientID(id) else { continue }
            let at = minutesBefore(minutes)
            try board.arrive(
                patient,
                triage: CategoryAssignment(category, assessedBy: "triage-rn", at: at),
                mode: mode,
                at: at
            )
        }
        try board.arrive(
            claire,
            triage: CategoryAssignment(.yellow, assessedBy: "triage-rn", at: arrival),
            mode: .ambulance,
            at: arrival
        )
        // The crew's last set, taken in the ambulance bay and handed over with her.
        let observations = NEWS2Observations(
            respirationRate: 24,
            oxygenSaturation: 93,
            airOrOxygen: .air,
            systolicBloodPressure: 100,
            pulse: 112,
            consciousness: .alert,
            temperature: 38.2
        )
        let scoredAt = arrival.addingTimeInterval(120)
        let notices = try board.rescore(claire, with: observations, at: scoredAt)
        let explanation = try board.explain(claire, at: scoredAt)
        guard let score = explanation.entry.latestNEWS2?.score else {
            throw TriageScoringError(.invalidValue, field: .root, reason: "the crew's set should be complete")
        }
        return Outcome(
            score: score,
            raise: notices.first,
            top: board.top(5),
            explanation: explanation,
            scoredAt: scoredAt,
            triage: CategoryAssignment(
                explanation.entry.category,
                assessedBy: "triage-rn",
                at: scoredAt,
                discriminator: "raised by NEWS2"
            )
        )
    }
}
