public import CareCore

/// The bank holidays of one of the UK's three calendars, worked out from the rules in the Banking and
/// Financial Dealings Act 1971 and the annual proclamations, with the one-off changes since 2020 as data.
///
/// Rules, by calendar:
/// - all three: New Year's Day, Good Friday, the early May bank holiday (first Monday of May), the spring
///   bank holiday (last Monday of May), Christmas Day and Boxing Day;
/// - England and Wales, and Northern Ireland: Easter Monday and the summer bank holiday (last Monday of
///   August);
/// - Scotland: 2 January, the summer bank holiday on the first Monday of August, and St Andrew's Day
///   (30 November);
/// - Northern Ireland: St Patrick's Day (17 March) and the Battle of the Boyne (12 July).
///
/// A fixed-date holiday that falls at a weekend moves to the next weekday that is not already a holiday
/// (so Christmas on a Saturday and Boxing Day on a Sunday give Monday and Tuesday). Known one-off changes
/// are applied: the early May holiday moved to Friday 8 May in 2020; the spring holiday moved to Thursday
/// 2 June with an extra day on Friday 3 June in 2022, and an extra day for the state funeral on Monday
/// 19 September 2022; an extra day for the coronation on Monday 8 May 2023. Future proclamations can change
/// dates: pass changes with ``adding(_:)`` and ``removing(_:)``, and keep the calendar up to date as
/// reference data.
///
/// Checked against the published 2026 dates, for example England and Wales: 1 January, 3 and 6 April,
/// 4 and 25 May, 31 August, 25 and 28 December.
public struct BankHolidayCalendar: Hashable, Sendable {
    /// Which of the UK's calendars.
    public enum Region: String, Hashable, Sendable, CaseIterable, Codable {
        /// England and Wales.
        case englandAndWales = "england-and-wales"
        /// Scotland.
        case scotland
        /// Northern Ireland.
        case northernIreland = "northern-ireland"
    }

    /// The calendar's region.
    public let region: Region
    private var added: Set<CivilDate> = []
    private var removed: Set<CivilDate> = []

    /// The calendar for a region, with the rules and the known one-off changes.
    ///
    /// - Parameter region: The region.
    public init(_ region: Region) {
        self.region = region
    }

    /// A calendar with extra holidays (a new proclamation, a local closure day).
    ///
    /// - Parameter dates: The extra dates.
    /// - Returns: The calendar with them.
    public func adding(_ dates: some Sequence<CivilDate>) -> BankHolidayCalendar {
        var copy = self
        copy.added.formUnion(dates)
        copy.removed.subtract(dates)
        return copy
    }

    /// A calendar without some holidays (a holiday moved by proclamation).
    ///
    /// - Parameter dates: The dates that are no longer holidays.
    /// - Returns: The calendar without them.
    public func removing(_ dates: some Sequence<CivilDate>) -> BankHolidayCalendar {
        var copy = self
        copy.removed.formUnion(dates)
        copy.added.subtract(dates)
        return copy
    }

    /// Whether a date is a bank holiday.
    ///
    /// - Parameter date: The date.
    /// - Returns: `true` for a bank holiday.
    public func isHoliday(_ date: CivilDate) -> Bool {
        holidays(in: date.year).contains(date)
    }

    /// The bank holidays of a year, in order.
    ///
    /// - Parameter year: The year, 1900 to 9999.
    /// - Returns: The dates.
    public func holidays(in year: Int) -> [CivilDate] {
        guard (1900...9999).contains(year) else { return [] }
        var dates = Set(Self.ruleDates(region, year))
        dates.subtract(removed)
        dates.formUnion(added.filter { $0.year == year })
        return dates.sorted()
    }

    private static func date(_ year: Int, _ month: Int, _ day: Int) -> CivilDate {
        // The rules only name real dates in 1900...9999, which the caller has checked.
        (try? CivilDate(year: year, month: month, day: day)) ?? CivilDate.fromDays(0)
    }

    private static func ruleDates(_ region: Region, _ year: Int) -> [CivilDate] {
        let easter = easterSunday(year)
        var weekdayHolidays: [CivilDate] = [easter.adding(days: -2)]
        if region != .scotland { weekdayHolidays.append(easter.adding(days: 1)) }
        weekdayHolidays.append(firstMonday(year, 5))
        weekdayHolidays.append(lastMonday(year, 5))
        weekdayHolidays.append(region == .scotland ? firstMonday(year, 8) : lastMonday(year, 8))

        var fixed: [CivilDate] = [date(year, 1, 1)]
        if region == .scotland { fixed.append(date(year, 1, 2)) }
        if region == .northernIreland {
            fixed.append(date(year, 3, 17))
            fixed.append(date(year, 7, 12))
        }
        if region == .scotland { fixed.append(date(year, 11, 30)) }
        fixed.append(date(year, 12, 25))
        fixed.append(date(year, 12, 26))

        // One-off changes by proclamation, the same in all three calendars.
        switch year {
        case 2020:
            weekdayHolidays.removeAll { $0 == firstMonday(2020, 5) }
            weekdayHolidays.append(date(2020, 5, 8))
        case 2022:
            weekdayHolidays.removeAll { $0 == lastMonday(2022, 5) }
            weekdayHolidays += [date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19)]
        case 2023:
            weekdayHolidays.append(date(2023, 5, 8))
        default:
            break
        }

        // Fixed dates on weekdays keep their day; weekend ones move, in order, to the next free weekday.
        var taken = Set(weekdayHolidays)
        for day in fixed where !day.weekday.isWeekend { taken.insert(day) }
        for day in fixed where day.weekday.isWeekend {
            var substitute = day.adding(days: 1)
            while substitute.weekday.isWeekend || taken.contains(substitute) { substitute = substitute.adding(days: 1) }
            taken.insert(substitute)
        }
        return Array(taken)
    }

    /// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
    static func easterSunday(_ year: Int) -> CivilDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return date(year, month, day)
    }

    private static func firstMonday(_ year: Int, _ month: Int) -> CivilDate {
        var day = date(year, month, 1)
        while day.weekday != .monday { day = day.adding(days: 1) }
        return day
    }

    private static func lastMonday(_ year: Int, _ month: Int) -> CivilDate {
        var day = date(year, month, CivilDate.daysInMonth(month, of: year))
        while day.weekday != .monday { day = day.adding(days: -1) }
        return day
    }
}
