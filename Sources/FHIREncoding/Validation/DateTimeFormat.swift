import CareCore

/// FHIR R4's date, dateTime, instant and time formats, checked by hand: the JSON Schema's patterns plus
/// the specification's rule that dates are real calendar dates (no 30 February).
enum DateTimeFormat {
    enum Shape {
        case date, dateTime, instant
    }

    static func problem(_ text: UnsafeBufferPointer<UInt8>, shape: Shape) -> String? {
        let message: String =
            switch shape {
            case .date: "a date must be YYYY, YYYY-MM or YYYY-MM-DD and a real date"
            case .dateTime:
                "a dateTime must be YYYY, YYYY-MM, YYYY-MM-DD or a full date and time with seconds and a time zone"
            case .instant: "an instant must be a full date and time with seconds and a time zone"
            }
        var cursor = 0
        guard let year = number(text, &cursor, digits: 4), year >= 1 else { return message }
        if cursor == text.count { return shape == .instant ? message : nil }
        guard take(text, &cursor, "-"), let month = number(text, &cursor, digits: 2), (1...12).contains(month) else {
            return message
        }
        if cursor == text.count { return shape == .instant ? message : nil }
        guard take(text, &cursor, "-"), let day = number(text, &cursor, digits: 2),
            (1...daysIn(month: month, year: year)).contains(day)
        else { return message }
        if cursor == text.count { return shape == .instant ? message : nil }
        guard shape != .date, take(text, &cursor, "T"), timeOfDay(text, &cursor), timeZone(text, &cursor),
            cursor == text.count
        else { return message }
        return nil
    }

    /// `hh:mm:ss(.f+)?` with no time zone.
    static func timeProblem(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        var cursor = 0
        guard timeOfDay(text, &cursor), cursor == text.count else {
            return "a time must be hh:mm:ss with optional fractional seconds"
        }
        return nil
    }

    static func timeOfDay(_ text: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) -> Bool {
        guard let hour = number(text, &cursor, digits: 2), hour <= 23, take(text, &cursor, ":"),
            let minute = number(text, &cursor, digits: 2), minute <= 59, take(text, &cursor, ":"),
            let second = number(text, &cursor, digits: 2), second <= 60
        else { return false }
        if cursor < text.count, text[cursor] == UInt8(ascii: ".") {
            cursor += 1
            let start = cursor
            while cursor < text.count, text[cursor].isASCIIDigit { cursor += 1 }
            guard cursor > start else { return false }
        }
        return true
    }

    /// `Z` or `±hh:mm` from -14:00 to +14:00 (hours 00 to 13 with any minutes, or exactly 14:00).
    static func timeZone(_ text: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) -> Bool {
        if take(text, &cursor, "Z") { return true }
        guard cursor < text.count, text[cursor] == UInt8(ascii: "+") || text[cursor] == UInt8(ascii: "-") else {
            return false
        }
        cursor += 1
        guard let hours = number(text, &cursor, digits: 2), take(text, &cursor, ":"),
            let minutes = number(text, &cursor, digits: 2), minutes <= 59
        else { return false }
        return hours <= 13 || (hours == 14 && minutes == 0)
    }

    static func number(_ text: UnsafeBufferPointer<UInt8>, _ cursor: inout Int, digits: Int) -> Int? {
        guard cursor + digits <= text.count else { return nil }
        var value = 0
        for offset in 0..<digits {
            let byte = text[cursor + offset]
            guard byte.isASCIIDigit else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        cursor += digits
        return value
    }

    static func take(_ text: UnsafeBufferPointer<UInt8>, _ cursor: inout Int, _ character: Unicode.Scalar) -> Bool {
        guard cursor < text.count, text[cursor] == UInt8(ascii: character) else { return false }
        cursor += 1
        return true
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
