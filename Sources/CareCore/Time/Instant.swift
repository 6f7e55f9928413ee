public import Foundation

/// A moment in time to the second or finer, with the UTC offset it was written in: a FHIR `instant`.
///
/// Audit entries, observation times, appointment starts and reminder times are instants. An `Instant`
/// keeps its text exactly (`2026-03-29T02:30:00+01:00` stays in that form, fractional digits and all) and
/// also knows the moment it names, so two instants written in different offsets can be compared.
///
/// Equality is equality of the written form; ``isSameMoment(as:)`` compares moments. Ordering is by moment,
/// and instants at the same moment written differently are then ordered by their text, so sorting is
/// always stable.
///
/// ```swift
/// let start = try Instant(parsing: "2026-10-25T01:30:00+01:00")
/// let again = try Instant(parsing: "2026-10-25T00:30:00Z")
/// start == again               // false: written differently
/// start.isSameMoment(as: again)  // true
/// ```
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The calendar date as written, in the instant's own offset.
    public let localDate: CivilDate
    /// The time of day as written, in the instant's own offset.
    public let time: TimeOfDay
    /// The UTC offset the instant is written in.
    public let offset: UTCOffset
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceUnixEpoch: Int64

    /// Parses a FHIR `instant`: `YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)`.
    ///
    /// - Parameter text: The instant text.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/invalidFormat`` when a part is missing or
    ///   malformed (an instant needs seconds and an offset), or ``CareCoreError/Code/outOfRange`` when a part
    ///   does not exist (`2026-02-29`, hour 24).
    public init(parsing text: String) throws(CareCoreError) {
        let parts = try DateTimeParser.parse(
            text,
            field: DateTimeParser.instantField,
            allowTime: true,
            requireTime: true
        )
        guard let month = parts.month, let day = parts.day, let time = parts.time, let offset = parts.offset else {
            throw CareCoreError(.invalidFormat, field: FieldPath("instant"), reason: "an instant must be complete")
        }
        self.init(
            localDate: CivilDate(uncheckedYear: parts.year, month: month, day: day),
            time: time,
            offset: offset
        )
    }

    /// Creates an instant from its written parts.
    ///
    /// - Parameters:
    ///   - localDate: The date in the given offset.
    ///   - time: The time of day in the given offset.
    ///   - offset: The offset from UTC.
    public init(localDate: CivilDate, time: TimeOfDay, offset: UTCOffset) {
        self.localDate = localDate
        self.time = time
        self.offset = offset
        let localSeconds = Int64(localDate.daysSinceUnixEpoch) * 86_400 + Int64(time.secondsSinceMidnight)
        self.secondsSinceUnixEpoch = localSeconds - Int64(offset.seconds)
    }

    /// Creates the instant of a `Date`, written in UTC (`Z`) with a chosen number of fractional digits.
    ///
    /// The `Date` is rounded to the nearest unit of the chosen precision.
    ///
    /// - Parameters:
    ///   - date: The moment.
    ///   - fractionDigits: Digits after the decimal point of the seconds, 0 to 9; 3 (milliseconds) by default.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/outOfRange`` when the moment falls outside
    ///   the years 1 to 9999 or `fractionDigits` outside 0 to 9.
    public init(_ date: Date, fractionDigits: Int = 3) throws(CareCoreError) {
        try self.init(date, offset: .utc, fractionDigits: fractionDigits)
    }

    /// Creates the instant of a `Date`, written in a given offset.
    ///
    /// - Parameters:
    ///   - date: The moment.
    ///   - offset: The offset to write it in.
    ///   - fractionDigits: Digits after the decimal point of the seconds, 0 to 9.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/outOfRange`` when the moment falls outside
    ///   the years 1 to 9999 or `fractionDigits` outside 0 to 9.
    public init(_ date: Date, offset: UTCOffset, fractionDigits: Int = 3) throws(CareCoreError) {
        let field = FieldPath("instant")
        guard (0...9).contains(fractionDigits) else {
            throw CareCoreError(.outOfRange, field: field, reason: "fractional digits must be from 0 to 9")
        }
        var unitsPerSecond: Int64 = 1
        for _ in 0..<fractionDigits { unitsPerSecond *= 10 }
        // A `Date` holds seconds since 2001-01-01 (Foundation's reference date); working from that value
        // rather than from `timeIntervalSince1970`, which rounds again, keeps the fraction exact, so nine
        // digits always read back as the same `Date` (see ``date``).
        let interval = date.timeIntervalSinceReferenceDate
        // Years 1 to 9999 span about ±2.6e11 seconds around 1970; anything beyond cannot be written. The
        // check comes before any conversion to an integer, so no input can overflow.
        guard interval.isFinite, abs(interval) < 3.0e11 else {
            throw CareCoreError(.outOfRange, field: field, reason: "the moment is outside the years 1 to 9999")
        }
        // Whole seconds (rounded down) and the fraction in units, rounded to the nearest unit, ties upward
        // in time on both sides of 1970.
        let whole = interval.rounded(.down)
        var utcSeconds = Int64(whole) + Self.referenceDateSeconds
        var fractionUnits = Int64(((interval - whole) * Double(unitsPerSecond)).rounded(.down))
        let remainder = (interval - whole) * Double(unitsPerSecond) - Double(fractionUnits)
        if remainder >= 0.5 { fractionUnits += 1 }
        if fractionUnits >= unitsPerSecond {
            utcSeconds += 1
            fractionUnits -= unitsPerSecond
        }
        let localSeconds = utcSeconds + Int64(offset.seconds)
        let days = Int(localSeconds >= 0 ? localSeconds / 86_400 : -((-localSeconds + 86_399) / 86_400))
        let secondOfDay = Int(localSeconds - Int64(days) * 86_400)
        let civil = CivilDate.fromDays(days)
        guard (1...9999).contains(civil.year) else {
            throw CareCoreError(.outOfRange, field: field, reason: "the moment is outside the years 1 to 9999")
        }
        let fraction = fractionDigits == 0 ? "" : CivilDate.pad(Int(fractionUnits), fractionDigits)
        self.init(
            localDate: civil,
            time: TimeOfDay(
                uncheckedHour: secondOfDay / 3600,
                minute: secondOfDay % 3600 / 60,
                second: secondOfDay % 60,
                fraction: fraction
            ),
            offset: offset
        )
    }

    /// The moment as a `Date`: the nearest one, built from seconds since Foundation's reference date with one
    /// rounding, so that an instant written from a `Date` with nine fractional digits reads back as it
    /// (except within about three months of 2001-01-01, where a `Date` is finer than a nanosecond).
    public var date: Date {
        Date(
            timeIntervalSinceReferenceDate: Double(secondsSinceUnixEpoch - Self.referenceDateSeconds)
                + time.fractionValue
        )
    }

    /// Seconds from 1970-01-01 to Foundation's reference date, 2001-01-01, both UTC.
    private static let referenceDateSeconds: Int64 = 978_307_200

    /// Whether another instant names the same moment, however each is written.
    ///
    /// - Parameter other: The other instant.
    /// - Returns: `true` when both name the same moment to the precision of the finer one.
    public func isSameMoment(as other: Instant) -> Bool {
        compareMoments(self, other) == 0
    }

    /// Orders instants by moment, then by written form for instants at the same moment.
    ///
    /// - Parameters:
    ///   - lhs: An instant.
    ///   - rhs: Another instant.
    /// - Returns: Whether `lhs` comes first.
    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        let moments = compareMoments(lhs, rhs)
        if moments != 0 { return moments < 0 }
        return lhs.description < rhs.description
    }

    /// The instant as written, such as `2026-03-29T02:30:00+01:00`.
    public var description: String {
        localDate.description + "T" + time.description + offset.description
    }
}

/// Compares the moments of two instants exactly: whole seconds first, then the fraction digit by digit.
private func compareMoments(_ lhs: Instant, _ rhs: Instant) -> Int {
    if lhs.secondsSinceUnixEpoch != rhs.secondsSinceUnixEpoch {
        return lhs.secondsSinceUnixEpoch < rhs.secondsSinceUnixEpoch ? -1 : 1
    }
    let left = Array(lhs.time.fraction.utf8)
    let right = Array(rhs.time.fraction.utf8)
    for position in 0..<max(left.count, right.count) {
        let l = position < left.count ? left[position] : UInt8(ascii: "0")
        let r = position < right.count ? right[position] : UInt8(ascii: "0")
        if l != r { return l < r ? -1 : 1 }
    }
    return 0
}

extension Instant: Codable {
    /// Decodes an instant from its FHIR text form.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the text is not a valid FHIR `instant`.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidatedText { text throws(CareCoreError) in try Self(parsing: text) }
    }

    /// Encodes the instant in its FHIR text form, exactly as written.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeText(description)
    }
}
