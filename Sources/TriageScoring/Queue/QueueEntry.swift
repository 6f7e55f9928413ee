public import CareCore
public import Foundation

/// One patient as the board shows them.
public struct QueueEntry: Hashable, Sendable {
    /// The patient's attendance identifier.
    public let patient: TriageQueue.PatientID
    /// The one-based place in the queue, or `nil` for a patient being seen.
    public let position: Int?
    /// The category.
    public let category: TriageCategory
    /// When they arrived.
    public let arrival: Date
    /// How they came.
    public let mode: ArrivalMode
    /// The category's target, in minutes from arrival.
    public let target: Int
    /// When the target is breached: arrival plus target.
    public let breachAt: Date
    /// Waiting or being seen.
    public let state: BoardState
    /// The latest NEWS2 assessment, complete or not.
    public let latestNEWS2: NEWS2Assessment?
    /// When the latest observations were taken.
    public let latestNEWS2At: Date?

    /// How long the patient has been in the department at a moment, in whole minutes.
    ///
    /// - Parameter now: The moment.
    /// - Returns: Minutes since arrival.
    public func minutesWaited(at now: Date) -> Int {
        wholeUnits(now.timeIntervalSince(arrival), of: 60)
    }

    /// Minutes left before the target is breached at a moment; negative once it has been.
    ///
    /// - Parameter now: The moment.
    /// - Returns: Whole minutes to breach, rounded towards the breach.
    public func minutesToBreach(at now: Date) -> Int {
        wholeUnits(breachAt.timeIntervalSince(now), of: 60)
    }
}

/// The whole board at a moment.
public struct Board: Hashable, Sendable, CustomStringConvertible {
    /// The moment the board was read.
    public let at: Date
    /// Waiting patients, most urgent first.
    public let waiting: [QueueEntry]
    /// Patients being seen, by when they were taken in.
    public let inTreatment: [QueueEntry]
    /// The capacity status.
    public let capacity: CapacityStatus
    /// The category targets in use.
    public let targets: CategoryTargets

    /// The board as a fixed-width table, one line per patient, with the capacity line first.
    public var description: String {
        var lines = ["capacity: \(capacity)"]
        lines.append("waiting (\(waiting.count)):")
        for entry in waiting {
            lines.append("  " + Self.line(entry, at: at))
        }
        lines.append("in treatment (\(inTreatment.count)):")
        for entry in inTreatment {
            lines.append("  " + Self.line(entry, at: at))
        }
        return lines.joined(separator: "\n")
    }

    private static func line(_ entry: QueueEntry, at now: Date) -> String {
        let position = entry.position.map { String($0).leftPadded(to: 3) + "." } ?? "   -"
        let category = entry.category.description.padded(to: 7)
        let minutes = entry.minutesWaited(at: now)
        let prefix = "\(position) \(entry.patient.rawValue.padded(to: 10)) \(category)"
        var text =
            entry.state == .waiting ? "\(prefix) waited \(minutes) min" : "\(prefix) in department \(minutes) min"
        if entry.state == .waiting {
            let toBreach = entry.minutesToBreach(at: now)
            text += toBreach < 0 ? ", BREACHED by \(-toBreach) min" : ", \(toBreach) min to target"
        }
        switch entry.latestNEWS2 {
        case .complete(let score): text += ", NEWS2 \(score.total) \(score.response)"
        case .incomplete: text += ", NEWS2 incomplete"
        case nil: break
        }
        if entry.mode == .ambulance { text += ", ambulance" }
        return text
    }
}

/// A waiting patient whose target is breached, or soon will be.
public struct BreachWarning: Hashable, Sendable, CustomStringConvertible {
    /// The patient.
    public let patient: TriageQueue.PatientID
    /// Their category.
    public let category: TriageCategory
    /// The category's target in minutes.
    public let target: Int
    /// Seconds left before the breach; negative once breached.
    public let secondsToBreach: Int

    /// Whether the target has already been breached.
    public var isBreached: Bool { secondsToBreach < 0 }

    /// The warning in one line.
    public var description: String {
        if isBreached {
            return "\(patient) (\(category), target \(target) min): breached by \((-secondsToBreach + 59) / 60) min"
        }
        return "\(patient) (\(category), target \(target) min): breach in \(secondsToBreach / 60) min"
    }
}

/// Whole units (minutes for 60) in a number of seconds, rounded down, clamped so that no date can trap.
func wholeUnits(_ seconds: Double, of unit: Double) -> Int {
    let units = (seconds / unit).rounded(.down)
    guard units.isFinite else { return 0 }
    return Int(max(min(units, 1e15), -1e15))
}

extension String {
    /// The string padded with spaces on the right to a width.
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The string padded with spaces on the left to a width.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
