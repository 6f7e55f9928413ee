public import Foundation

/// A span of time with an optional start and an optional end: when a name, an address or a role applied.
///
/// Either end may be open (a current address has no end) and either may be partial (a previous surname
/// "until 1998"). A period whose end is known to come before its start cannot be created.
///
/// Dates with no time are civil dates: when a period is tested against a moment, a date-only start means
/// the start of that day and a date-only end means the end of that day, in the ``CivilTimeZone`` the
/// caller gives (Europe/London for the suite).
public struct Period: Hashable, Sendable, Codable {
    /// When the period began, if known.
    public let start: FHIRDateTime?
    /// When the period ended, if it has.
    public let end: FHIRDateTime?

    /// Creates a period, checking that it does not end before it starts.
    ///
    /// When both ends are full instants they are compared as moments; otherwise they are compared as days,
    /// and the period is rejected only when the latest day the end could be is before the earliest day the
    /// start could be. An instant could be any civil day its moment touches somewhere on Earth, so it is
    /// compared generously.
    ///
    /// - Parameters:
    ///   - start: The start, or `nil` if not known.
    ///   - end: The end, or `nil` if the period is ongoing.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/inconsistent`` when the end precedes the start.
    public init(start: FHIRDateTime? = nil, end: FHIRDateTime? = nil) throws(CareCoreError) {
        if let start, let end {
            let endsBeforeStart: Bool
            if let startInstant = start.instant, let endInstant = end.instant {
                endsBeforeStart = endInstant < startInstant && !endInstant.isSameMoment(as: startInstant)
            } else {
                endsBeforeStart = Self.latestPossibleDay(of: end) < Self.earliestPossibleDay(of: start)
            }
            if endsBeforeStart {
                throw CareCoreError(
                    .inconsistent,
                    field: FieldPath("period.end"),
                    reason: "a period must not end before it starts"
                )
            }
        }
        self.start = start
        self.end = end
    }

    /// The latest civil day a value could fall on anywhere: for an instant, its day at UTC+14:00.
    private static func latestPossibleDay(of value: FHIRDateTime) -> CivilDate {
        guard let instant = value.instant else { return value.date.latestDay }
        return CivilDate.fromDays(Int((instant.secondsSinceUnixEpoch + 14 * 3600).flooredDivision(by: 86_400)))
    }

    /// The earliest civil day a value could fall on anywhere: for an instant, its day at UTC−12:00.
    private static func earliestPossibleDay(of value: FHIRDateTime) -> CivilDate {
        guard let instant = value.instant else { return value.date.earliestDay }
        return CivilDate.fromDays(Int((instant.secondsSinceUnixEpoch - 12 * 3600).flooredDivision(by: 86_400)))
    }

    /// Whether the period has no end.
    public var isOngoing: Bool { end == nil }

    /// Whether a moment falls within the period, both ends included.
    ///
    /// An open start or end is unbounded. A date-only or partial end includes the whole of its last possible
    /// day in `zone`; a date-only or partial start begins at the first moment of its first possible day.
    ///
    /// - Parameters:
    ///   - moment: The moment to test.
    ///   - zone: The zone in which date-only ends are civil days.
    /// - Returns: `true` when the moment is within the period.
    public func contains(_ moment: Date, in zone: CivilTimeZone) -> Bool {
        if let start {
            let lower = start.instant?.date ?? zone.startOfDay(start.date.earliestDay)
            if moment < lower { return false }
        }
        if let end {
            if let instant = end.instant {
                if moment > instant.date { return false }
            } else if moment >= zone.startOfDay(end.date.latestDay.adding(days: 1)) {
                return false
            }
        }
        return true
    }
}

extension Period {
    /// Decodes a period and checks that it does not end before it starts.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a key is of the wrong type or the period ends before it starts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let start = try container.decodeIfPresent(FHIRDateTime.self, forKey: .start)
        let end = try container.decodeIfPresent(FHIRDateTime.self, forKey: .end)
        self = try decoder.validated { () throws(CareCoreError) in try Period(start: start, end: end) }
    }
}
