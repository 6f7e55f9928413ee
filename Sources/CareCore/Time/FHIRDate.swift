/// A date that may be partial: a year (`1950`), a year and month (`1950-03`) or a full date (`1950-03-14`).
///
/// Dates of birth from old records, family histories and patient-reported events are often known only to
/// the month or the year. A `FHIRDate` keeps exactly what was recorded: it never fills in a missing month
/// or day. Asking for a ``civilDate`` of a partial date gives `nil`, and a comparison that a partial date
/// cannot answer is answered as a range (``earliestDay`` to ``latestDay``, ``possibleAges(on:)``), so a
/// caller cannot treat "some time in 1950" as "1 January 1950" without writing it down.
///
/// The text form follows the FHIR R4 `date` type.
///
/// ```swift
/// let birth = try FHIRDate(parsing: "1950-03")
/// birth.precision                       // .month
/// birth.civilDate                       // nil: the day is not known
/// birth.possibleAges(on: try CivilDate(parsing: "2026-03-15"))  // 75...76
/// ```
public struct FHIRDate: Hashable, Sendable, CustomStringConvertible {
    /// How much of a date is known.
    public enum Precision: Int, Hashable, Comparable, Sendable, Codable, CaseIterable {
        /// Only the year.
        case year
        /// The year and month.
        case month
        /// The full date.
        case day

        /// Orders precisions from coarsest to finest.
        ///
        /// - Parameters:
        ///   - lhs: A precision.
        ///   - rhs: Another precision.
        /// - Returns: Whether `lhs` is coarser.
        public static func < (lhs: Precision, rhs: Precision) -> Bool {
            lhs.rawValue < rhs.rawValue
        }
    }

    /// The year, 1 to 9999.
    public let year: Int
    /// The month, 1 to 12, when known.
    public let month: Int?
    /// The day of the month, when known.
    public let day: Int?

    /// Parses a FHIR `date`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    ///
    /// - Parameter text: The date text.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/invalidFormat`` when the text is not of those
    ///   forms (a time, a two-digit year, a slash), or ``CareCoreError/Code/outOfRange`` for a month or day
    ///   that does not exist (`2026-02-29`).
    public init(parsing text: String) throws(CareCoreError) {
        let parts = try DateTimeParser.parse(
            text,
            field: DateTimeParser.dateField,
            allowTime: false,
            requireTime: false
        )
        self.init(year: parts.year, month: parts.month, day: parts.day)
    }

    /// Creates a year-only date.
    ///
    /// - Parameter year: The year, 1 to 9999.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/outOfRange``.
    public init(year: Int) throws(CareCoreError) {
        guard (1...9999).contains(year) else {
            throw CareCoreError(.outOfRange, field: FieldPath("year"), reason: "the year must be from 1 to 9999")
        }
        self.init(year: year, month: nil, day: nil)
    }

    /// Creates a year-and-month date.
    ///
    /// - Parameters:
    ///   - year: The year, 1 to 9999.
    ///   - month: The month, 1 to 12.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/outOfRange``.
    public init(year: Int, month: Int) throws(CareCoreError) {
        _ = try CivilDate(year: year, month: month, day: 1)
        self.init(year: year, month: month, day: nil)
    }

    /// Creates a full date.
    ///
    /// - Parameter date: The date.
    public init(_ date: CivilDate) {
        self.init(year: date.year, month: date.month, day: date.day)
    }

    private init(year: Int, month: Int?, day: Int?) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// How much of the date is known.
    public var precision: Precision {
        if day != nil { return .day }
        if month != nil { return .month }
        return .year
    }

    /// The full date, or `nil` when the month or day is not known.
    ///
    /// There is deliberately no way to get a `CivilDate` from a partial date without choosing a bound:
    /// use ``earliestDay`` or ``latestDay`` and say which in the code.
    public var civilDate: CivilDate? {
        guard let month, let day else { return nil }
        return CivilDate(uncheckedYear: year, month: month, day: day)
    }

    /// The first day the date could be: the date itself, or the first day of its month or year.
    public var earliestDay: CivilDate {
        CivilDate(uncheckedYear: year, month: month ?? 1, day: day ?? 1)
    }

    /// The last day the date could be: the date itself, or the last day of its month or year.
    public var latestDay: CivilDate {
        let lastMonth = month ?? 12
        return CivilDate(
            uncheckedYear: year,
            month: lastMonth,
            day: day ?? CivilDate.daysInMonth(lastMonth, of: year)
        )
    }

    /// Whether a full date is one the partial date could be.
    ///
    /// - Parameter date: The full date to test.
    /// - Returns: `true` when `date` lies between ``earliestDay`` and ``latestDay`` inclusive.
    public func contains(_ date: CivilDate) -> Bool {
        earliestDay <= date && date <= latestDay
    }

    /// Whether two dates, partial or full, could be the same day.
    ///
    /// `1950` and `1950-03-14` could be; `1950-03` and `1950-04-01` could not.
    ///
    /// - Parameter other: The other date.
    /// - Returns: `true` when the ranges of days the two dates allow overlap.
    public func couldBeSameDay(as other: FHIRDate) -> Bool {
        earliestDay <= other.latestDay && other.earliestDay <= latestDay
    }

    /// The ages in completed years that a person with this date of birth could be on a given day.
    ///
    /// For a full date the range has one value. For a partial one it spans the ages of someone born on the
    /// latest and on the earliest day the date allows.
    ///
    /// - Parameter date: The day on which to state the age.
    /// - Returns: The smallest to the largest possible age.
    public func possibleAges(on date: CivilDate) -> ClosedRange<Int> {
        latestDay.age(on: date)...earliestDay.age(on: date)
    }

    /// The date as written: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    public var description: String {
        var text = CivilDate.pad(year, 4)
        if let month { text += "-" + CivilDate.pad(month, 2) }
        if let day { text += "-" + CivilDate.pad(day, 2) }
        return text
    }
}

extension FHIRDate: Codable {
    /// Decodes a date from its FHIR text form.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the text is not a valid FHIR `date`.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidatedText { text throws(CareCoreError) in try Self(parsing: text) }
    }

    /// Encodes the date in its FHIR text form.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeText(description)
    }
}
