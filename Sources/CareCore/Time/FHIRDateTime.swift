/// A date and time that may be partial: a year, a month, a day, or a full instant with its offset.
///
/// This is FHIR R4's `dateTime`: `2026`, `2026-03`, `2026-03-29`, or `2026-03-29T09:00:00+01:00`. When a
/// time is present it has seconds and a UTC offset, as FHIR requires. The value keeps its precision and
/// offset exactly as written; a partial value is never completed behind the caller's back.
///
/// ```swift
/// let onset = try FHIRDateTime(parsing: "2026-03")
/// onset.date.precision   // .month
/// onset.instant          // nil: no time was recorded
/// ```
public struct FHIRDateTime: Hashable, Sendable, CustomStringConvertible {
    /// The date part, which may be partial.
    public let date: FHIRDate
    /// The full instant, present exactly when a time and offset were recorded.
    public let instant: Instant?

    /// Parses a FHIR `dateTime`.
    ///
    /// - Parameter text: The text, such as `2026-03-29T09:00:00Z`.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/invalidFormat`` (a time without seconds or
    ///   without an offset, stray characters) or ``CareCoreError/Code/outOfRange`` (a day or hour that does
    ///   not exist).
    public init(parsing text: String) throws(CareCoreError) {
        let parts = try DateTimeParser.parse(
            text,
            field: DateTimeParser.dateTimeField,
            allowTime: true,
            requireTime: false
        )
        if let month = parts.month, let day = parts.day, let time = parts.time, let offset = parts.offset {
            let instant = Instant(
                localDate: CivilDate(uncheckedYear: parts.year, month: month, day: day),
                time: time,
                offset: offset
            )
            self.init(instant)
        } else if let month = parts.month, let day = parts.day {
            self.init(FHIRDate(CivilDate(uncheckedYear: parts.year, month: month, day: day)))
        } else if let month = parts.month {
            self.init(try FHIRDate(year: parts.year, month: month))
        } else {
            self.init(try FHIRDate(year: parts.year))
        }
    }

    /// Creates a date-time with no time part.
    ///
    /// - Parameter date: The date, possibly partial.
    public init(_ date: FHIRDate) {
        self.date = date
        self.instant = nil
    }

    /// Creates a full date-time from an instant.
    ///
    /// - Parameter instant: The instant.
    public init(_ instant: Instant) {
        self.date = FHIRDate(instant.localDate)
        self.instant = instant
    }

    /// The value as written.
    public var description: String {
        instant?.description ?? date.description
    }
}

extension FHIRDateTime: Codable {
    /// Decodes a date-time from its FHIR text form.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the text is not a valid FHIR `dateTime`.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidatedText { text throws(CareCoreError) in try Self(parsing: text) }
    }

    /// Encodes the date-time in its FHIR text form, exactly as written.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeText(description)
    }
}
