/// The byte-level parser behind ``FHIRDate``, ``FHIRDateTime`` and ``Instant``.
///
/// It follows the R4 regular expressions for `date`, `dateTime` and `instant` exactly, and then checks
/// what the expressions cannot: that the day exists in its month ("Dates SHALL be valid dates").
/// FHIREncoding's validator uses the same rules through ``problem(in:allowTime:requireTime:)`` and
/// ``timeProblem(in:)``, so a date is judged the same way everywhere.
package struct DateTimeParser {
    /// The parts found in a date-time text.
    struct Parts {
        var year: Int
        var month: Int?
        var day: Int?
        var time: TimeOfDay?
        var offset: UTCOffset?
    }

    /// Field paths built once, since building one on every parse would cost more than the parse.
    static let dateField = FieldPath("date")
    static let dateTimeField = FieldPath("dateTime")
    static let instantField = FieldPath("instant")

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private let field: FieldPath

    private init(_ bytes: UnsafeBufferPointer<UInt8>, field: FieldPath) {
        self.bytes = bytes
        self.field = field
    }

    /// Parses the whole text as a FHIR `date`, `dateTime` or, with `requireTime`, `instant`.
    static func parse(
        _ text: String,
        field: FieldPath,
        allowTime: Bool,
        requireTime: Bool
    ) throws(CareCoreError) -> Parts {
        var text = text
        let result = text.withUTF8 { bytes -> Result<Parts, CareCoreError> in
            var parser = DateTimeParser(bytes, field: field)
            do throws(CareCoreError) {
                return .success(try parser.parseAll(allowTime: allowTime, requireTime: requireTime))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Why `bytes` is not a FHIR `date` (neither flag), `dateTime` (`allowTime`) or `instant` (both), or
    /// `nil` when it is one. The reason never repeats the text.
    package static func problem(
        in bytes: UnsafeBufferPointer<UInt8>,
        allowTime: Bool,
        requireTime: Bool
    ) -> String? {
        var parser = DateTimeParser(bytes, field: dateField)
        do {
            _ = try parser.parseAll(allowTime: allowTime, requireTime: requireTime)
            return nil
        } catch {
            return error.reason
        }
    }

    /// Why `bytes` is not a FHIR `time` (`hh:mm:ss` with optional fractional seconds and no offset), or
    /// `nil` when it is one.
    package static func timeProblem(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var parser = DateTimeParser(bytes, field: dateTimeField)
        do {
            _ = try parser.readTime()
            return parser.index == bytes.count ? nil : "a time must be hh:mm:ss with nothing after it"
        } catch {
            return error.reason
        }
    }

    private mutating func parseAll(allowTime: Bool, requireTime: Bool) throws(CareCoreError) -> Parts {
        guard !bytes.isEmpty else { throw failure(.empty, "a date must not be empty") }
        guard let year = readDigits(4), year >= 1 else {
            throw failure(.invalidFormat, "the year must be four digits from 0001 to 9999")
        }
        var parts = Parts(year: year)
        if consume(UInt8(ascii: "-")) {
            guard let month = readDigits(2) else { throw failure(.invalidFormat, "the month must be two digits") }
            guard (1...12).contains(month) else { throw failure(.outOfRange, "the month must be from 01 to 12") }
            parts.month = month
            if consume(UInt8(ascii: "-")) {
                guard let day = readDigits(2) else { throw failure(.invalidFormat, "the day must be two digits") }
                guard (1...CivilDate.daysInMonth(month, of: year)).contains(day) else {
                    throw failure(.outOfRange, "that day does not exist in that month")
                }
                parts.day = day
                if allowTime, consume(UInt8(ascii: "T")) {
                    parts.time = try readTime()
                    parts.offset = try readOffset()
                }
            }
        }
        if index < bytes.count {
            if !allowTime, bytes[index] == UInt8(ascii: "T") {
                throw failure(.invalidFormat, "a date must not carry a time")
            }
            throw failure(.invalidFormat, "unexpected characters after the date")
        }
        if requireTime, parts.time == nil {
            throw failure(
                .invalidFormat,
                "an instant must have a full date, a time to the second and an offset, as YYYY-MM-DDThh:mm:ssZ"
            )
        }
        return parts
    }

    private mutating func readTime() throws(CareCoreError) -> TimeOfDay {
        guard let hour = readDigits(2), consume(UInt8(ascii: ":")), let minute = readDigits(2) else {
            throw failure(.invalidFormat, "a time must be written hh:mm:ss")
        }
        guard consume(UInt8(ascii: ":")), let second = readDigits(2) else {
            throw failure(.invalidFormat, "a time must include seconds, as hh:mm:ss")
        }
        guard hour <= 23 else { throw failure(.outOfRange, "the hour must be from 00 to 23") }
        guard minute <= 59 else { throw failure(.outOfRange, "the minute must be from 00 to 59") }
        guard second <= 60 else { throw failure(.outOfRange, "the second must be from 00 to 60") }
        var fraction = ""
        if consume(UInt8(ascii: ".")) {
            let start = index
            while index < bytes.count, bytes[index].isASCIIDigit { index += 1 }
            guard index > start else {
                throw failure(.invalidFormat, "a decimal point in the seconds must be followed by digits")
            }
            fraction = String(decoding: bytes[start..<index], as: UTF8.self)
        }
        return TimeOfDay(uncheckedHour: hour, minute: minute, second: second, fraction: fraction)
    }

    private mutating func readOffset() throws(CareCoreError) -> UTCOffset {
        if consume(UInt8(ascii: "Z")) { return .utc }
        let negative: Bool
        if consume(UInt8(ascii: "+")) {
            negative = false
        } else if consume(UInt8(ascii: "-")) {
            negative = true
        } else {
            throw failure(.invalidFormat, "a time must carry a time-zone offset, Z or +hh:mm or -hh:mm")
        }
        guard let hours = readDigits(2), consume(UInt8(ascii: ":")), let minutes = readDigits(2) else {
            throw failure(.invalidFormat, "an offset must be written +hh:mm or -hh:mm")
        }
        guard minutes <= 59, hours <= 13 || (hours == 14 && minutes == 0) else {
            throw failure(.outOfRange, "an offset must be from -14:00 to +14:00")
        }
        return UTCOffset(numericMinutes: (hours * 60 + minutes) * (negative ? -1 : 1), negativeZero: negative)
    }

    private mutating func readDigits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            let byte = bytes[index + offset]
            guard byte.isASCIIDigit else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += count
        return value
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private func failure(_ code: CareCoreError.Code, _ reason: String) -> CareCoreError {
        CareCoreError(code, field: field, reason: reason)
    }
}
