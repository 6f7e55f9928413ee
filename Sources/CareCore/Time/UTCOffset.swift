/// The offset of a local time from UTC, as written in a FHIR `dateTime` or `instant`.
///
/// `Z` and `+00:00` mean the same offset but are different text; both are kept as written so that a
/// value read and written again is unchanged. ``minutes`` gives the offset as a number for arithmetic.
public struct UTCOffset: Hashable, Sendable, CustomStringConvertible {
    /// The offset east of UTC in minutes: 60 for British Summer Time, 0 for GMT.
    public let minutes: Int
    /// Whether the offset was written as `Z`.
    public let isZulu: Bool
    /// Whether a zero offset was written `-00:00`, which RFC 3339 uses for "UTC, local offset unknown".
    let negativeZero: Bool

    /// UTC written as `Z`.
    public static let utc = UTCOffset(minutes: 0, isZulu: true, negativeZero: false)

    /// Creates an offset from minutes east of UTC, written in the numeric form `+hh:mm`.
    ///
    /// - Parameter minutes: Minutes east of UTC, from -840 (-14:00) to 840 (+14:00), FHIR's range.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/outOfRange`` outside FHIR's range.
    public init(minutes: Int) throws(CareCoreError) {
        guard (-840...840).contains(minutes) else {
            throw CareCoreError(
                .outOfRange,
                field: FieldPath("offset"),
                reason: "an offset must be from -14:00 to +14:00"
            )
        }
        self.init(minutes: minutes, isZulu: false, negativeZero: false)
    }

    init(numericMinutes minutes: Int, negativeZero: Bool) {
        self.init(minutes: minutes, isZulu: false, negativeZero: negativeZero && minutes == 0)
    }

    private init(minutes: Int, isZulu: Bool, negativeZero: Bool) {
        self.minutes = minutes
        self.isZulu = isZulu
        self.negativeZero = negativeZero
    }

    /// The offset in seconds east of UTC.
    public var seconds: Int { minutes * 60 }

    /// The offset as written: `Z`, or `+hh:mm` / `-hh:mm`.
    public var description: String {
        if isZulu { return "Z" }
        let sign = minutes < 0 || negativeZero ? "-" : "+"
        let magnitude = abs(minutes)
        return sign + CivilDate.pad(magnitude / 60, 2) + ":" + CivilDate.pad(magnitude % 60, 2)
    }
}
