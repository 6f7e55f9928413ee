/// A time of day to the second, with the fraction of a second kept as written.
///
/// FHIR allows any number of fractional digits; they are kept as text so that `10:00:00.500` is written
/// back as `10:00:00.500` and not as `10:00:00.5`. A second of 60 is allowed, as FHIR allows, for a leap
/// second.
public struct TimeOfDay: Hashable, Sendable, CustomStringConvertible {
    /// The hour, 0 to 23.
    public let hour: Int
    /// The minute, 0 to 59.
    public let minute: Int
    /// The second, 0 to 60 (60 only for a leap second).
    public let second: Int
    /// The digits after the decimal point of the seconds, exactly as written; empty when there were none.
    public let fraction: String

    /// Creates a time of day, checking its range.
    ///
    /// - Parameters:
    ///   - hour: The hour, 0 to 23.
    ///   - minute: The minute, 0 to 59.
    ///   - second: The second, 0 to 60.
    ///   - fraction: Decimal digits of the second, or an empty string.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/outOfRange`` or
    ///   ``CareCoreError/Code/invalidFormat`` (a fraction that is not all ASCII digits).
    public init(hour: Int, minute: Int, second: Int = 0, fraction: String = "") throws(CareCoreError) {
        try ClockTimeRules.validate(hour: hour, minute: minute, second: second, allowsLeapSecond: true)
        guard fraction.utf8.allSatisfy(\.isASCIIDigit) else {
            throw CareCoreError(
                .invalidFormat,
                field: ClockTimeRules.field,
                reason: "fractional seconds must be decimal digits"
            )
        }
        self.init(uncheckedHour: hour, minute: minute, second: second, fraction: fraction)
    }

    init(uncheckedHour hour: Int, minute: Int, second: Int, fraction: String) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.fraction = fraction
    }

    /// Seconds from midnight to this time, ignoring the fraction.
    public var secondsSinceMidnight: Int { hour * 3600 + minute * 60 + second }

    /// The fraction of a second as a number, 0 to just under 1.
    var fractionValue: Double {
        guard !fraction.isEmpty else { return 0 }
        return Double("0." + fraction) ?? 0
    }

    /// The time as `hh:mm:ss`, followed by the fraction if there is one.
    public var description: String {
        var text = CivilDate.pad(hour, 2) + ":" + CivilDate.pad(minute, 2) + ":" + CivilDate.pad(second, 2)
        if !fraction.isEmpty { text += "." + fraction }
        return text
    }
}

/// The range checks shared by ``TimeOfDay`` and ``LocalDateTime``.
enum ClockTimeRules {
    static let field = FieldPath("time")

    /// Checks hour 0–23, minute 0–59 and second 0–59, or 0–60 where a leap second may be written.
    static func validate(hour: Int, minute: Int, second: Int, allowsLeapSecond: Bool) throws(CareCoreError) {
        guard (0...23).contains(hour) else {
            throw CareCoreError(.outOfRange, field: field, reason: "the hour must be from 0 to 23")
        }
        guard (0...59).contains(minute) else {
            throw CareCoreError(.outOfRange, field: field, reason: "the minute must be from 0 to 59")
        }
        let lastSecond = allowsLeapSecond ? 60 : 59
        guard (0...lastSecond).contains(second) else {
            throw CareCoreError(.outOfRange, field: field, reason: "the second must be from 0 to \(lastSecond)")
        }
    }
}
