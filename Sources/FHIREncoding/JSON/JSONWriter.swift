/// Writes JSON values as UTF-8, compact or pretty, with members in the order they are held.
///
/// Strings are written as UTF-8 with only what RFC 8259 requires escaped (`"`, `\` and control
/// characters), so `/` and non-ASCII text come out as written. Numbers are written as their text.
///
/// ```swift
/// let value = JSONValue.object(JSONObject([JSONMember(key: "value", value: .number(JSONNumber(2)))]))
/// String(decoding: JSONWriter().write(value), as: UTF8.self)  // {"value":2}
/// ```
public struct JSONWriter: Sendable {
    /// How the output is laid out.
    public enum Style: Hashable, Sendable {
        /// No whitespace at all: the smallest output, for the wire and for NDJSON lines.
        case compact
        /// One member or element per line, indented by two spaces, with a space after each colon.
        case pretty
    }

    /// How the output is laid out.
    public var style: Style

    /// Creates a writer.
    ///
    /// - Parameter style: The layout; compact unless given.
    public init(style: Style = .compact) {
        self.style = style
    }

    /// Writes a value.
    ///
    /// - Parameter value: The value.
    /// - Returns: Its UTF-8 bytes.
    public func write(_ value: JSONValue) -> [UInt8] {
        var output = JSONOutput(pretty: style == .pretty)
        output.value(value)
        return output.bytes
    }
}

/// The byte-level output shared by ``JSONWriter`` and ``FHIREncoder``: tokens, escapes and layout.
struct JSONOutput {
    var bytes: [UInt8] = []
    let pretty: Bool
    private var level = 0

    init(pretty: Bool, capacity: Int = 4096) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    /// Writes any value with its members in the order held.
    mutating func value(_ value: JSONValue) {
        switch value {
        case .object(let object):
            openObject()
            for (position, member) in object.members.enumerated() {
                key(member.key, first: position == 0)
                self.value(member.value)
            }
            closeObject(empty: object.isEmpty)
        case .array(let elements):
            openArray()
            for (position, element) in elements.enumerated() {
                elementPrefix(first: position == 0)
                self.value(element)
            }
            closeArray(empty: elements.isEmpty)
        default:
            scalar(value)
        }
    }

    /// Writes a value that is neither an array nor an object.
    mutating func scalar(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .number(let number): raw(number.text)
        case .string(let text): string(text)
        case .array, .object: self.value(value)
        }
    }

    mutating func openObject() {
        bytes.append(UInt8(ascii: "{"))
        level += 1
    }

    mutating func closeObject(empty: Bool) {
        level -= 1
        if pretty, !empty { newline() }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func openArray() {
        bytes.append(UInt8(ascii: "["))
        level += 1
    }

    mutating func closeArray(empty: Bool) {
        level -= 1
        if pretty, !empty { newline() }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes a member's key and colon, after a comma unless it is the first member.
    mutating func key(_ key: String, first: Bool) {
        elementPrefix(first: first)
        string(key)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
    }

    /// Writes the separator before an array element or member.
    mutating func elementPrefix(first: Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        if pretty { newline() }
    }

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        for _ in 0..<level {
            bytes.append(UInt8(ascii: " "))
            bytes.append(UInt8(ascii: " "))
        }
    }

    private mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends text that needs no escaping.
    mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Writes a string in quotes, escaping only what RFC 8259 requires.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for position in 0..<utf8.count {
                let byte = utf8[position]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position]))
                escape(byte)
                runStart = position + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0x0F)])
        }
    }
}
