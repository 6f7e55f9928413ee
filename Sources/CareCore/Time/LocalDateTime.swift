/// A wall-clock date and time with no zone: what a clock on the wall in a clinic shows.
///
/// A `LocalDateTime` becomes a moment only through a ``CivilTimeZone``, and in Europe/London that is not
/// always one-to-one: on the last Sunday of March the local times from 01:00 to 01:59 never happen, and on
/// the last Sunday of October they happen twice. ``CivilTimeZone/resolve(_:)`` says which case applies.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The calendar date.
    public let date: CivilDate
    /// The hour, 0 to 23.
    public let hour: Int
    /// The minute, 0 to 59.
    public let minute: Int
    /// The second, 0 to 59.
    public let second: Int

    /// Creates a wall-clock time, checking its range.
    ///
    /// - Parameters:
    ///   - date: The calendar date.
    ///   - hour: The hour, 0 to 23.
    ///   - minute: The minute, 0 to 59.
    ///   - second: The second, 0 to 59.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/outOfRange``.
    public init(date: CivilDate, hour: Int, minute: Int, second: Int = 0) throws(CareCoreError) {
        try ClockTimeRules.validate(hour: hour, minute: minute, second: second, allowsLeapSecond: false)
        self.init(uncheckedDate: date, hour: hour, minute: minute, second: second)
    }

    init(uncheckedDate date: CivilDate, hour: Int, minute: Int, second: Int) {
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Seconds from midnight of ``date`` to this time.
    public var secondsSinceMidnight: Int { hour * 3600 + minute * 60 + second }

    /// Seconds since 1970-01-01T00:00:00 *as if* this wall time were UTC; the basis for zone arithmetic.
    var secondsSinceEpochAsIfUTC: Int64 {
        Int64(date.daysSinceUnixEpoch) * 86_400 + Int64(secondsSinceMidnight)
    }

    /// Returns the same wall-clock time a number of days later (or earlier, for a negative count).
    ///
    /// - Parameter days: The number of days to add.
    /// - Returns: The same hour, minute and second on the new date.
    public func adding(days: Int) -> LocalDateTime {
        LocalDateTime(uncheckedDate: date.adding(days: days), hour: hour, minute: minute, second: second)
    }

    /// Orders wall-clock times chronologically, as on one calendar with no clock changes.
    ///
    /// - Parameters:
    ///   - lhs: A wall-clock time.
    ///   - rhs: Another wall-clock time.
    /// - Returns: Whether `lhs` is earlier.
    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date, lhs.secondsSinceMidnight) < (rhs.date, rhs.secondsSinceMidnight)
    }

    /// The time as `YYYY-MM-DDThh:mm:ss`.
    public var description: String {
        date.description + "T" + CivilDate.pad(hour, 2) + ":" + CivilDate.pad(minute, 2) + ":"
            + CivilDate.pad(second, 2)
    }
}
