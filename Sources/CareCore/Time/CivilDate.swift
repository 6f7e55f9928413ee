/// A calendar date with no time and no time zone: a date of birth, a clinic day, a bank holiday.
///
/// Dates that belong to people are civil dates: 14 March 1950 is a person's birthday wherever they are,
/// and it must never move because a time zone or a clock change was applied to it. A `CivilDate` is
/// therefore just year, month and day in the proleptic Gregorian calendar, with arithmetic done on the
/// day count rather than through `Calendar`, so the result is exact and does not depend on the machine's
/// time zone.
///
/// Years run from 1 to 9999, the range FHIR allows.
///
/// ```swift
/// let clinic = try CivilDate(year: 2026, month: 3, day: 29)
/// clinic.weekday            // .sunday
/// clinic.adding(days: 1)    // 2026-03-30
/// ```
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, 1 to 9999.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to 31 (no more than the month has).
    public let day: Int

    /// Creates a date, checking that it exists.
    ///
    /// - Parameters:
    ///   - year: The year, 1 to 9999.
    ///   - month: The month, 1 to 12.
    ///   - day: The day, 1 to the length of that month (29 February only in leap years).
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/outOfRange`` naming the part at fault.
    public init(year: Int, month: Int, day: Int) throws(CareCoreError) {
        guard (1...9999).contains(year) else {
            throw CareCoreError(.outOfRange, field: FieldPath("year"), reason: "the year must be from 1 to 9999")
        }
        guard (1...12).contains(month) else {
            throw CareCoreError(.outOfRange, field: FieldPath("month"), reason: "the month must be from 1 to 12")
        }
        guard (1...Self.daysInMonth(month, of: year)).contains(day) else {
            throw CareCoreError(.outOfRange, field: FieldPath("day"), reason: "that day does not exist in that month")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Creates a date from parts already known to be valid.
    init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses a full date in the ISO 8601 / FHIR form `YYYY-MM-DD`.
    ///
    /// - Parameter text: The date, such as `2026-03-29`.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/invalidFormat`` when the text is not of that
    ///   form, or ``CareCoreError/Code/outOfRange`` when the date does not exist.
    public init(parsing text: String) throws(CareCoreError) {
        let date = try FHIRDate(parsing: text)
        guard let civil = date.civilDate else {
            throw CareCoreError(
                .invalidFormat,
                field: FieldPath("date"),
                reason: "a full date must have year, month and day as YYYY-MM-DD"
            )
        }
        self = civil
    }

    /// The date as `YYYY-MM-DD`.
    public var description: String {
        Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
    }

    /// Orders dates chronologically.
    ///
    /// - Parameters:
    ///   - lhs: A date.
    ///   - rhs: Another date.
    /// - Returns: Whether `lhs` is earlier.
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    // MARK: - Calendar facts

    /// Whether a year is a leap year in the Gregorian calendar.
    ///
    /// - Parameter year: The year.
    /// - Returns: `true` for years divisible by 4, except centuries not divisible by 400.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month.
    ///
    /// - Parameters:
    ///   - month: The month, 1 to 12.
    ///   - year: The year, which decides February.
    /// - Returns: 28 to 31, or 0 for a month outside 1 to 12.
    public static func daysInMonth(_ month: Int, of year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    // MARK: - Arithmetic

    /// The number of days from 1970-01-01 to this date (negative before it).
    ///
    /// The conversion is Howard Hinnant's `days_from_civil`, exact over the whole proleptic Gregorian calendar.
    public var daysSinceUnixEpoch: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let monthFromMarch = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Creates the date a number of days after 1970-01-01.
    ///
    /// - Parameter days: Days since 1970-01-01; negative for earlier dates.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/outOfRange`` if the result falls outside years
    ///   1 to 9999.
    public init(daysSinceUnixEpoch days: Int) throws(CareCoreError) {
        guard Self.supportedDays.contains(days) else {
            throw CareCoreError(.outOfRange, field: FieldPath("year"), reason: "the year must be from 1 to 9999")
        }
        self = Self.fromDays(days)
    }

    /// Days since 1970-01-01 of 0001-01-01 and 9999-12-31, the supported range.
    static let supportedDays = -719_162...2_932_896

    /// Hinnant's `civil_from_days`, with no range check.
    package static func fromDays(_ days: Int) -> CivilDate {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return CivilDate(uncheckedYear: year, month: month, day: day)
    }

    /// Returns the date a number of days later (or earlier, for a negative count).
    ///
    /// The result is clamped to the supported range: adding past 9999-12-31 gives 9999-12-31, and
    /// subtracting before 0001-01-01 gives 0001-01-01.
    ///
    /// - Parameter days: The number of days to add.
    /// - Returns: The new date.
    public func adding(days: Int) -> CivilDate {
        let (sum, overflow) = daysSinceUnixEpoch.addingReportingOverflow(days)
        let target = overflow ? (days > 0 ? Self.supportedDays.upperBound : Self.supportedDays.lowerBound) : sum
        return Self.fromDays(min(max(target, Self.supportedDays.lowerBound), Self.supportedDays.upperBound))
    }

    /// The number of days from this date to another (negative if the other is earlier).
    ///
    /// - Parameter other: The other date.
    /// - Returns: `other` minus `self`, in days.
    public func days(until other: CivilDate) -> Int {
        other.daysSinceUnixEpoch - daysSinceUnixEpoch
    }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday; ISO numbering has Monday = 1.
        let index = ((daysSinceUnixEpoch % 7) + 7 + 3) % 7  // 0 = Monday
        return Weekday.allCases[index]
    }

    /// A person's age in completed years on a given date, if this is their date of birth.
    ///
    /// Someone born on 29 February reaches each new age on 1 March in years that have no 29 February, as in
    /// English law. A date before the birth gives a negative age.
    ///
    /// - Parameter date: The date on which to state the age.
    /// - Returns: Completed years from this date to `date`.
    public func age(on date: CivilDate) -> Int {
        let years = date.year - year
        let birthdayReached = (date.month, date.day) >= (month, day)
        return birthdayReached ? years : years - 1
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension CivilDate: Codable {
    /// Decodes a date from a `YYYY-MM-DD` string.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` if the string is not a valid full date.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidatedText { text throws(CareCoreError) in try Self(parsing: text) }
    }

    /// Encodes the date as a `YYYY-MM-DD` string.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeText(description)
    }
}

/// A day of the week, Monday first as in ISO 8601 and in UK usage.
public enum Weekday: Int, Hashable, Comparable, Sendable, Codable, CaseIterable {
    /// Monday, ISO day 1.
    case monday = 1
    /// Tuesday, ISO day 2.
    case tuesday
    /// Wednesday, ISO day 3.
    case wednesday
    /// Thursday, ISO day 4.
    case thursday
    /// Friday, ISO day 5.
    case friday
    /// Saturday, ISO day 6.
    case saturday
    /// Sunday, ISO day 7.
    case sunday

    /// The day's English name, such as `Monday`.
    public var name: String {
        switch self {
        case .monday: return "Monday"
        case .tuesday: return "Tuesday"
        case .wednesday: return "Wednesday"
        case .thursday: return "Thursday"
        case .friday: return "Friday"
        case .saturday: return "Saturday"
        case .sunday: return "Sunday"
        }
    }

    /// Whether the day is Saturday or Sunday.
    public var isWeekend: Bool { self == .saturday || self == .sunday }

    /// Orders days Monday first.
    ///
    /// - Parameters:
    ///   - lhs: A day.
    ///   - rhs: Another day.
    /// - Returns: Whether `lhs` comes earlier in the ISO week.
    public static func < (lhs: Weekday, rhs: Weekday) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
