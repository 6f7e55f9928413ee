import CareCore

/// A strict reader of one flat JSON object (RFC 8259): string keys mapped to strings, numbers, booleans or
/// null, with no nesting. Numbers keep their text. It exists so that an event line is read exactly, with
/// unknown and duplicate keys refused, and without the allocations of a general JSON parser.
struct FlatJSONObject {
    /// A value in the object.
    enum Value: Equatable {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
    }

    /// The members, in the order written.
    private(set) var members: [(key: String, value: Value)] = []

    /// The most bytes a line may hold; longer lines are refused so memory stays bounded.
    static let maximumBytes = 64 * 1024

    /// Parses one object from UTF-8 bytes.
    init(parsing bytes: some Collection<UInt8>) throws(TriageScoringError) {
        guard bytes.count <= Self.maximumBytes else {
            throw Self.error(reason: "an event line may hold at most 65,536 bytes")
        }
        var parser = Parser(bytes: Array(bytes))
        parser.skipWhitespace()
        try parser.expect(UInt8(ascii: "{"), "an event is a JSON object")
        parser.skipWhitespace()
        var seen = Set<String>()
        if parser.peek() == UInt8(ascii: "}") {
            parser.index += 1
        } else {
            while true {
                parser.skipWhitespace()
                let key = try parser.string()
                guard seen.insert(key).inserted else { throw Self.error(reason: "a key appears twice") }
                parser.skipWhitespace()
                try parser.expect(UInt8(ascii: ":"), "a key must be followed by a colon")
                parser.skipWhitespace()
                members.append((key, try parser.value()))
                parser.skipWhitespace()
                if parser.peek() == UInt8(ascii: ",") {
                    parser.index += 1
                    continue
                }
                try parser.expect(UInt8(ascii: "}"), "members must be separated by commas and the object closed")
                break
            }
        }
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else {
            throw Self.error(reason: "nothing may follow the object on its line")
        }
    }

    /// The value of a key, if present.
    subscript(_ key: String) -> Value? {
        members.first { $0.key == key }?.value
    }

    static func error(reason: String) -> TriageScoringError {
        TriageScoringError(.malformedEvent, field: .root, reason: reason)
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func expect(_ byte: UInt8, _ reason: String) throws(TriageScoringError) {
            guard peek() == byte else { throw FlatJSONObject.error(reason: reason) }
            index += 1
        }

        mutating func value() throws(TriageScoringError) -> Value {
            switch peek() {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                throw FlatJSONObject.error(
                    reason: "an event's values are strings, numbers, booleans or null, not nested"
                )
            default: return .number(try number())
            }
        }

        mutating func literal(_ text: String, _ value: Value) throws(TriageScoringError) -> Value {
            for byte in text.utf8 {
                guard peek() == byte else { throw FlatJSONObject.error(reason: "not a JSON value") }
                index += 1
            }
            return value
        }

        /// A number per RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as text.
        mutating func number() throws(TriageScoringError) -> String {
            let begin = index
            if peek() == UInt8(ascii: "-") { index += 1 }
            if peek() == UInt8(ascii: "0") {
                index += 1
            } else {
                guard digits() > 0 else { throw FlatJSONObject.error(reason: "not a JSON value") }
            }
            if peek() == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw FlatJSONObject.error(reason: "a decimal point needs digits after it") }
            }
            if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
                index += 1
                if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw FlatJSONObject.error(reason: "an exponent needs digits") }
            }
            return String(decoding: bytes[begin..<index], as: UTF8.self)
        }

        mutating func digits() -> Int {
            let begin = index
            while let byte = peek(), byte.isASCIIDigit { index += 1 }
            return index - begin
        }

        mutating func string() throws(TriageScoringError) -> String {
            try expect(UInt8(ascii: "\""), "keys and text values are JSON strings")
            var buffer: [UInt8] = []
            while true {
                guard let byte = peek() else { throw FlatJSONObject.error(reason: "a string is not closed") }
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard let text = String(validating: buffer, as: UTF8.self) else {
                        throw FlatJSONObject.error(reason: "a string is not valid UTF-8")
                    }
                    return text
                case UInt8(ascii: "\\"):
                    buffer.append(contentsOf: UTF8.encode(try escape()).map(Array.init) ?? [])
                case 0..<0x20:
                    throw FlatJSONObject.error(reason: "a control character must be escaped")
                default:
                    buffer.append(byte)
                }
            }
        }

        mutating func escape() throws(TriageScoringError) -> Unicode.Scalar {
            guard let byte = peek() else { throw FlatJSONObject.error(reason: "a string is not closed") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                let first = try hex4()
                if (0xD800...0xDBFF).contains(first) {
                    guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
                    else { throw FlatJSONObject.error(reason: "a high surrogate must be followed by a low one") }
                    index += 2
                    let second = try hex4()
                    guard (0xDC00...0xDFFF).contains(second) else {
                        throw FlatJSONObject.error(reason: "a high surrogate must be followed by a low one")
                    }
                    let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    guard let scalar = Unicode.Scalar(combined) else {
                        throw FlatJSONObject.error(reason: "not a Unicode scalar")
                    }
                    return scalar
                }
                guard let scalar = Unicode.Scalar(first) else {
                    throw FlatJSONObject.error(reason: "a lone low surrogate is not a character")
                }
                return scalar
            default:
                throw FlatJSONObject.error(reason: "not a JSON escape")
            }
        }

        mutating func hex4() throws(TriageScoringError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = peek() else {
                    throw FlatJSONObject.error(reason: "a \\u escape needs four hex digits")
                }
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw FlatJSONObject.error(reason: "a \\u escape needs four hex digits")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }
    }
}
