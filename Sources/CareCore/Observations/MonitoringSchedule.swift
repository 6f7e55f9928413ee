public import Foundation

/// How often an observation must be taken.
///
/// NEWS2 states its minimum monitoring frequencies as "continuous", "minimum 1-hourly", "minimum 4–6
/// hourly" and "minimum 12-hourly"; a range is kept as a range, and ``maximumInterval`` gives the interval
/// that must not be exceeded: the *shorter* end of a range, so that a schedule never waits longer than the
/// most cautious reading allows.
public enum MonitoringFrequency: Hashable, Sendable, CustomStringConvertible {
    /// Continuous monitoring, as by a bedside monitor or a wearable.
    case continuous
    /// At least once in every interval of this length.
    case every(Duration)
    /// At least once in every interval somewhere between these lengths, as in "4–6 hourly".
    case everyBetween(Duration, Duration)

    /// The longest time allowed between two observations, or `nil` for continuous monitoring.
    public var maximumInterval: Duration? {
        switch self {
        case .continuous: return nil
        case .every(let interval): return interval
        case .everyBetween(let first, let second): return min(first, second)
        }
    }

    /// The frequency in words, such as `every 4h–6h`.
    public var description: String {
        switch self {
        case .continuous: return "continuous"
        case .every(let interval): return "every \(Self.words(interval))"
        case .everyBetween(let first, let second):
            return "every \(Self.words(min(first, second)))–\(Self.words(max(first, second)))"
        }
    }

    private static func words(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)min" }
        return "\(seconds)s"
    }
}

/// One line of a monitoring schedule: an observation and how often to take it.
public struct MonitoringRequirement: Hashable, Sendable {
    /// What to observe.
    public let kind: ObservationKind
    /// How often.
    public let frequency: MonitoringFrequency

    /// Creates a requirement.
    ///
    /// - Parameters:
    ///   - kind: What to observe.
    ///   - frequency: How often.
    public init(kind: ObservationKind, frequency: MonitoringFrequency) {
        self.kind = kind
        self.frequency = frequency
    }
}

/// Which observations to take and how often: shared by care plans (a virtual-ward plan) and triage
/// (the minimum frequency a NEWS2 score calls for).
///
/// ```swift
/// let plan = try MonitoringSchedule([
///     MonitoringRequirement(kind: .oxygenSaturation, frequency: .everyBetween(.seconds(4 * 3600), .seconds(6 * 3600))),
///     MonitoringRequirement(kind: .heartRate, frequency: .every(.seconds(4 * 3600))),
/// ])
/// let clock = FixedWallClock(Date(timeIntervalSince1970: 1_774_605_600))
/// let lastPulse = clock.now().addingTimeInterval(-5 * 3600)
/// let overdue = plan.overdue(lastTaken: [.heartRate: lastPulse], at: clock.now())
/// // [.oxygenSaturation, .heartRate]: saturation never taken, pulse five hours ago
/// ```
public struct MonitoringSchedule: Hashable, Sendable {
    /// The requirements, sorted by observation kind; one per kind.
    public let requirements: [MonitoringRequirement]

    /// Creates a schedule.
    ///
    /// - Parameter requirements: One requirement per observation kind, in any order.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/inconsistent`` when a kind appears twice, or
    ///   ``CareCoreError/Code/outOfRange`` when an interval is not positive.
    public init(_ requirements: [MonitoringRequirement]) throws(CareCoreError) {
        var seen = Set<ObservationKind>()
        for (index, requirement) in requirements.enumerated() {
            let field = FieldPath("schedule").appending(index: index)
            guard seen.insert(requirement.kind).inserted else {
                throw CareCoreError(.inconsistent, field: field, reason: "an observation kind appears twice")
            }
            switch requirement.frequency {
            case .continuous: break
            case .every(let interval):
                guard interval > .zero else {
                    throw CareCoreError(.outOfRange, field: field, reason: "an interval must be longer than zero")
                }
            case .everyBetween(let first, let second):
                guard first > .zero, second > .zero else {
                    throw CareCoreError(.outOfRange, field: field, reason: "an interval must be longer than zero")
                }
            }
        }
        self.requirements = requirements.sorted { $0.kind < $1.kind }
    }

    /// The requirement for a kind, if the schedule has one.
    ///
    /// - Parameter kind: The observation kind.
    /// - Returns: Its requirement.
    public func requirement(for kind: ObservationKind) -> MonitoringRequirement? {
        requirements.first { $0.kind == kind }
    }

    /// When each scheduled observation is next due, given when each was last taken.
    ///
    /// Continuous kinds are left out: a lapse in continuous monitoring is a gap in a device's data, which
    /// remote-monitoring escalation handles. A kind that has never been taken is due at once and has no due
    /// moment (`nil`).
    ///
    /// - Parameter lastTaken: When each kind was last observed.
    /// - Returns: Each kind with its due moment: never-taken kinds first, then earliest due first, ties by kind.
    public func dueTimes(lastTaken: [ObservationKind: Date]) -> [(kind: ObservationKind, due: Date?)] {
        requirements.compactMap { requirement -> (kind: ObservationKind, due: Date?)? in
            guard let interval = requirement.frequency.maximumInterval else { return nil }
            guard let last = lastTaken[requirement.kind] else { return (requirement.kind, nil) }
            let (seconds, attoseconds) = interval.components
            return (requirement.kind, last.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18))
        }
        .sorted { lhs, rhs in
            switch (lhs.due, rhs.due) {
            case (nil, nil): return lhs.kind < rhs.kind
            case (nil, _): return true
            case (_, nil): return false
            case (let left?, let right?): return (left, lhs.kind) < (right, rhs.kind)
            }
        }
    }

    /// The scheduled observations that are overdue at a moment: never taken, or due strictly before it.
    ///
    /// - Parameters:
    ///   - lastTaken: When each kind was last observed.
    ///   - now: The current moment, from the caller's ``WallClock``.
    /// - Returns: The overdue kinds, never-taken first, then most overdue first.
    public func overdue(lastTaken: [ObservationKind: Date], at now: Date) -> [ObservationKind] {
        dueTimes(lastTaken: lastTaken).filter { $0.due.map { $0 < now } ?? true }.map(\.kind)
    }
}
