public import Foundation

/// A time zone's rules for turning moments into wall-clock times and back, with every clock-change case
/// made explicit. The suite's zone is Europe/London: use ``europeLondon()``.
///
/// Foundation quietly resolves a wall-clock time that does not exist (01:30 on 29 March 2026 in London)
/// forward to 02:30 BST, and one that happens twice (01:30 on 25 October 2026) to the first occurrence.
/// Either choice can be wrong for a clinic: a slot at 01:30 should not be created on the March day at all,
/// and a medication given at "01:30" in October needs the caller to say which 01:30. This type therefore
/// never guesses: ``resolve(_:)`` reports a time as unique, skipped or repeated, and
/// ``date(for:policy:)`` applies a ``LocalTimePolicy`` that the caller chooses and writes down.
///
/// The rules come from the system's time-zone database through Foundation's `TimeZone`. If the database
/// has no rules for the zone, ``europeLondon()`` throws rather than falling back to GMT, which would get
/// every summer date wrong by an hour.
///
/// ```swift
/// let london = try CivilTimeZone.europeLondon()
/// let local = try LocalDateTime(date: CivilDate(year: 2026, month: 3, day: 29), hour: 1, minute: 30)
/// london.resolve(local)                          // .skipped(...)
/// try london.date(for: local, policy: .strict)   // throws nonexistentLocalTime
/// ```
public struct CivilTimeZone: Sendable, Hashable, CustomStringConvertible {
    /// The zone's rules, from the system's time-zone database.
    public let timeZone: TimeZone

    /// The IANA identifier of the suite's home zone, `Europe/London`.
    public static let europeLondonIdentifier = "Europe/London"

    /// Loads the rules of a zone by its IANA identifier.
    ///
    /// - Parameter identifier: An IANA zone name, such as `Europe/London`.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/timeZoneUnavailable`` when the system has no
    ///   rules for it.
    public init(identifier: String) throws(CareCoreError) {
        guard let zone = TimeZone(identifier: identifier), zone.identifier == identifier else {
            throw CareCoreError(
                .timeZoneUnavailable,
                field: FieldPath("timeZone"),
                reason: "the system time-zone database has no rules for the requested zone"
            )
        }
        self.timeZone = zone
    }

    /// Loads Europe/London and checks that its rules include British Summer Time.
    ///
    /// A system without the time-zone database can hand back a zone named Europe/London that stays on GMT all
    /// year; this factory checks that 1 July is at +01:00 and 1 January at +00:00, and throws if not.
    ///
    /// - Returns: The Europe/London zone.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/timeZoneUnavailable``.
    public static func europeLondon() throws(CareCoreError) -> CivilTimeZone {
        let zone = try CivilTimeZone(identifier: europeLondonIdentifier)
        let midsummer = Date(timeIntervalSince1970: 1_782_864_000)  // 2026-07-01T00:00:00Z
        let midwinter = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        guard zone.timeZone.secondsFromGMT(for: midsummer) == 3600,
            zone.timeZone.secondsFromGMT(for: midwinter) == 0
        else {
            throw CareCoreError(
                .timeZoneUnavailable,
                field: FieldPath("timeZone"),
                reason: "the system time-zone database does not have the British Summer Time rules"
            )
        }
        return zone
    }

    /// The zone's IANA identifier.
    public var identifier: String { timeZone.identifier }

    /// The zone's IANA identifier.
    public var description: String { identifier }

    // MARK: - From moments to wall-clock times

    /// The zone's offset from UTC at a moment.
    ///
    /// - Parameter date: The moment.
    /// - Returns: The offset in the numeric form (`+01:00` in British Summer Time, `+00:00` otherwise).
    public func offset(at date: Date) -> UTCOffset {
        UTCOffset(numericMinutes: timeZone.secondsFromGMT(for: date) / 60, negativeZero: false)
    }

    /// The wall-clock time in this zone at a moment, to the whole second: the fraction is dropped, so the
    /// time shown is the second that has begun.
    ///
    /// - Parameter date: The moment.
    /// - Returns: The local date and time.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/outOfRange`` when the moment is not a number
    ///   or its local date falls outside the years 1 to 9999.
    public func localDateTime(at date: Date) throws(CareCoreError) -> LocalDateTime {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, abs(interval) < 3.0e11 else {
            throw CareCoreError(
                .outOfRange,
                field: FieldPath("date"),
                reason: "the moment is outside the years 1 to 9999"
            )
        }
        let utcSeconds = Int64(interval.rounded(.down))
        let localSeconds = utcSeconds + Int64(timeZone.secondsFromGMT(for: date))
        let days = Int(localSeconds >= 0 ? localSeconds / 86_400 : -((-localSeconds + 86_399) / 86_400))
        guard CivilDate.supportedDays.contains(days) else {
            throw CareCoreError(
                .outOfRange,
                field: FieldPath("date"),
                reason: "the moment is outside the years 1 to 9999"
            )
        }
        let secondOfDay = Int(localSeconds - Int64(days) * 86_400)
        return LocalDateTime(
            uncheckedDate: CivilDate.fromDays(days),
            hour: secondOfDay / 3600,
            minute: secondOfDay % 3600 / 60,
            second: secondOfDay % 60
        )
    }

    /// The civil date in this zone at a moment: the date a person in the zone would write down.
    ///
    /// - Parameter date: The moment.
    /// - Returns: The local calendar date.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/outOfRange`` when the moment is not a number
    ///   or its local date falls outside the years 1 to 9999.
    public func civilDate(at date: Date) throws(CareCoreError) -> CivilDate {
        try localDateTime(at: date).date
    }

    /// The moment written as an ``Instant`` in this zone's offset.
    ///
    /// The moment is rounded to the chosen precision first and the offset is that of the rounded moment, so
    /// the result never shows a local time the zone skips.
    ///
    /// - Parameters:
    ///   - date: The moment.
    ///   - fractionDigits: Digits after the decimal point of the seconds, 0 to 9.
    /// - Returns: The instant, such as `2026-07-01T10:00:00.000+01:00`.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/outOfRange`` outside years 1 to 9999.
    public func instant(at date: Date, fractionDigits: Int = 3) throws(CareCoreError) -> Instant {
        let rounded = try Instant(date, fractionDigits: fractionDigits)
        return try Instant(rounded.date, offset: offset(at: rounded.date), fractionDigits: fractionDigits)
    }

    // MARK: - From wall-clock times to moments

    /// Finds the moments a wall-clock time names in this zone: one, none (skipped) or two (repeated).
    ///
    /// - Parameter local: The wall-clock time.
    /// - Returns: The resolution, with the moments involved.
    /// - Complexity: Four look-ups in the zone's rules, and one search for the transition when the time is
    ///   skipped.
    public func resolve(_ local: LocalDateTime) -> LocalTimeResolution {
        let asIfUTC = local.secondsSinceEpochAsIfUTC
        // Within a day either side there is at most one change of offset in any real zone, so the offsets a
        // day before and a day after are the only candidates.
        let before = offsetSeconds(atEpochSeconds: asIfUTC - 86_400)
        let after = offsetSeconds(atEpochSeconds: asIfUTC + 86_400)
        var moments: [Int64] = []
        for candidateOffset in Set([before, after]) {
            let moment = asIfUTC - candidateOffset
            if offsetSeconds(atEpochSeconds: moment) == candidateOffset { moments.append(moment) }
        }
        moments.sort()
        switch moments.count {
        case 1:
            return .unique(Date(timeIntervalSince1970: Double(moments[0])))
        case 2:
            return .repeated(
                earlier: Date(timeIntervalSince1970: Double(moments[0])),
                later: Date(timeIntervalSince1970: Double(moments[1]))
            )
        default:
            // In a gap the clock jumped forward from `before` to `after` (after > before).
            let gap = Int(after - before)
            let searchFrom = Date(timeIntervalSince1970: Double(asIfUTC - after))
            let transition =
                timeZone.nextDaylightSavingTimeTransition(after: searchFrom)
                ?? Date(timeIntervalSince1970: Double(asIfUTC - before))
            return .skipped(transition: transition, gapSeconds: gap)
        }
    }

    /// The moment a wall-clock time names, deciding skipped and repeated times by an explicit policy.
    ///
    /// - Parameters:
    ///   - local: The wall-clock time.
    ///   - policy: What to do with a time that does not exist or that happens twice.
    /// - Returns: The moment.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/nonexistentLocalTime`` or
    ///   ``CareCoreError/Code/ambiguousLocalTime`` when the policy says to reject that case.
    public func date(for local: LocalDateTime, policy: LocalTimePolicy) throws(CareCoreError) -> Date {
        switch resolve(local) {
        case .unique(let date):
            return date
        case .repeated(let earlier, let later):
            switch policy.repeated {
            case .reject:
                throw CareCoreError(
                    .ambiguousLocalTime,
                    field: FieldPath("time"),
                    reason: "that local time happens twice when the clocks go back; say which is meant"
                )
            case .earlier: return earlier
            case .later: return later
            }
        case .skipped(let transition, _):
            switch policy.skipped {
            case .reject:
                throw CareCoreError(
                    .nonexistentLocalTime,
                    field: FieldPath("time"),
                    reason: "that local time does not exist because the clocks go forward"
                )
            case .moveToTransition:
                return transition
            case .shiftForward:
                let asIfUTC = local.secondsSinceEpochAsIfUTC
                let offsetBefore = offsetSeconds(atEpochSeconds: Int64(transition.timeIntervalSince1970) - 1)
                return Date(timeIntervalSince1970: Double(asIfUTC - offsetBefore))
            }
        }
    }

    /// The first moment of a civil date in this zone.
    ///
    /// In Europe/London the clocks change at 01:00 UTC, so midnight always exists and happens once. In a zone
    /// whose change skips midnight, the day starts at the transition.
    ///
    /// - Parameter date: The civil date.
    /// - Returns: The moment the date begins.
    public func startOfDay(_ date: CivilDate) -> Date {
        let midnight = LocalDateTime(uncheckedDate: date, hour: 0, minute: 0, second: 0)
        switch resolve(midnight) {
        case .unique(let moment): return moment
        case .repeated(let earlier, _): return earlier
        case .skipped(let transition, _): return transition
        }
    }

    /// The moments a civil date spans in this zone: 24 hours on most days, 23 on the day the clocks go
    /// forward and 25 on the day they go back.
    ///
    /// - Parameter date: The civil date.
    /// - Returns: The interval from the date's first moment to the next date's first moment.
    public func interval(of date: CivilDate) -> DateInterval {
        let start = startOfDay(date)
        let end = startOfDay(date.adding(days: 1))
        return DateInterval(start: start, end: end)
    }

    /// The same wall-clock time a number of days later or earlier, as a moment.
    ///
    /// This is "the same time on another day" (a day-before reminder at the appointment's clock time), not
    /// "24 hours earlier": across a clock change the two differ by an hour. If the wall-clock time does not
    /// exist or repeats on the target day, `policy` decides.
    ///
    /// - Parameters:
    ///   - days: Days to move; negative for earlier.
    ///   - date: The starting moment.
    ///   - policy: What to do with a skipped or repeated time on the target day.
    /// - Returns: The moment on the target day.
    /// - Throws: ``CareCoreError`` when the policy rejects the case that arises, or with code
    ///   ``CareCoreError/Code/outOfRange`` when the target day is outside the years 1 to 9999.
    public func sameLocalTime(
        addingDays days: Int,
        to date: Date,
        policy: LocalTimePolicy
    ) throws(CareCoreError)
        -> Date
    {
        let local = try localDateTime(at: date)
        let (target, overflow) = local.date.daysSinceUnixEpoch.addingReportingOverflow(days)
        guard !overflow, CivilDate.supportedDays.contains(target) else {
            throw CareCoreError(
                .outOfRange,
                field: FieldPath("days"),
                reason: "the target day is outside the years 1 to 9999"
            )
        }
        return try self.date(for: local.adding(days: days), policy: policy)
    }

    /// The moments in a range at which this zone's offset changes, in order.
    ///
    /// - Parameter interval: The range to search.
    /// - Returns: The transitions within it; for Europe/London, two a year.
    public func transitions(in interval: DateInterval) -> [Date] {
        var found: [Date] = []
        var cursor = interval.start
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next < interval.end {
            found.append(next)
            cursor = next
        }
        return found
    }

    private func offsetSeconds(atEpochSeconds seconds: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
    }
}

/// What a wall-clock time names in a zone.
public enum LocalTimeResolution: Hashable, Sendable {
    /// The time happens exactly once, at this moment.
    case unique(Date)
    /// The time happens twice because the clocks went back: first in summer time, then in standard time.
    case repeated(earlier: Date, later: Date)
    /// The time never happens because the clocks went forward; `transition` is the moment they did and
    /// `gapSeconds` how far they jumped.
    case skipped(transition: Date, gapSeconds: Int)
}

/// How to turn a wall-clock time that is skipped or repeated by a clock change into a moment.
///
/// There is no default: every caller picks one, so that the choice is visible in the code and can be
/// reviewed. ``strict`` rejects both cases.
public struct LocalTimePolicy: Hashable, Sendable {
    /// What to do with a time the clocks skip when they go forward.
    public enum Skipped: Hashable, Sendable {
        /// Throw ``CareCoreError/Code/nonexistentLocalTime``.
        case reject
        /// Move the time forward by the length of the gap: 01:30 becomes 02:30 BST. This is what Foundation's
        /// `Calendar` does silently.
        case shiftForward
        /// Use the moment of the change itself: 01:30 becomes 02:00 BST.
        case moveToTransition
    }

    /// What to do with a time that happens twice when the clocks go back.
    public enum Repeated: Hashable, Sendable {
        /// Throw ``CareCoreError/Code/ambiguousLocalTime``.
        case reject
        /// Use the first occurrence, still in summer time.
        case earlier
        /// Use the second occurrence, after the clocks have gone back.
        case later
    }

    /// The rule for skipped times.
    public var skipped: Skipped
    /// The rule for repeated times.
    public var repeated: Repeated

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - skipped: The rule for skipped times.
    ///   - repeated: The rule for repeated times.
    public init(skipped: Skipped, repeated: Repeated) {
        self.skipped = skipped
        self.repeated = repeated
    }

    /// Reject both skipped and repeated times.
    public static let strict = LocalTimePolicy(skipped: .reject, repeated: .reject)
}
