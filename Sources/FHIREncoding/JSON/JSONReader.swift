import CareCore

/// A strict JSON reader (RFC 8259) over UTF-8 bytes, written for FHIR: numbers keep their text, every
/// string is checked as UTF-8, repeated keys are refused, and limits bound the work a hostile input can
/// cause.
///
/// Errors say what is wrong, the byte offset where it was found and the JSON path to it, and never quote
/// the input. A leading UTF-8 byte order mark is skipped, as RFC 8259 section 8.1 allows; nothing but
/// whitespace may follow the value.
///
/// ```swift
/// let reader = JSONReader()
/// let value = try reader.read(Array(#"{"resourceType": "Patient", "id": "example"}"#.utf8))
/// value["id"]?.string  // "example"
/// ```
public struct JSONReader: Sendable {
    /// Bounds on what one input may hold. An input past any of them is refused with
    /// ``FHIREncodingError/Code-swift.struct/limitExceeded`` before it can exhaust memory or the stack.
    public struct Limits: Hashable, Sendable {
        /// The most bytes one input may hold.
        public var maximumBytes: Int
        /// The deepest nesting of arrays and objects. Real FHIR resources reach about 20. The reader, the
        /// validator and the writer recurse once per level, so a value above ``depthCeiling`` counts as the
        /// ceiling: no setting can let a hostile input exhaust the stack.
        public var maximumDepth: Int
        /// The most UTF-8 bytes one string may hold, escapes counted as written.
        public var maximumStringBytes: Int
        /// The most characters one number may be written with.
        public var maximumNumberLength: Int

        /// Creates limits.
        ///
        /// - Parameters:
        ///   - maximumBytes: The most bytes one input may hold; 256 MiB unless given.
        ///   - maximumDepth: The deepest nesting; 128 unless given, and never more than ``depthCeiling``.
        ///   - maximumStringBytes: The most bytes in one string; 64 MiB unless given.
        ///   - maximumNumberLength: The most characters in one number; 256 unless given.
        public init(
            maximumBytes: Int = 256 * 1024 * 1024,
            maximumDepth: Int = 128,
            maximumStringBytes: Int = 64 * 1024 * 1024,
            maximumNumberLength: Int = 256
        ) {
            self.maximumBytes = maximumBytes
            self.maximumDepth = maximumDepth
            self.maximumStringBytes = maximumStringBytes
            self.maximumNumberLength = maximumNumberLength
        }

        /// The deepest nesting any reader allows, whatever ``maximumDepth`` says: 256 levels, the depth the
        /// validator also stops at. The reader and the writer descend that far within 1 MiB of thread stack even
        /// in a debug build. The validator and the typed decoder use more stack a level: in a debug build a
        /// resource nested 241 levels needs up to 4 MiB (tests pin both), so decode untrusted input on a thread
        /// with a stack that size, or keep ``maximumDepth`` low.
        public static let depthCeiling = 256
    }

    /// The limits this reader applies.
    public var limits: Limits

    /// Creates a reader.
    ///
    /// - Parameter limits: The bounds to apply; the defaults suit any real FHIR resource.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Reads one JSON value from UTF-8 bytes.
    ///
    /// - Parameter bytes: The whole input.
    /// - Returns: The value.
    /// - Throws: ``FHIREncodingError`` with ``FHIREncodingError/Code-swift.struct/invalidJSON`` or
    ///   ``FHIREncodingError/Code-swift.struct/limitExceeded``, its path and byte offset.
    public func read(_ bytes: some Collection<UInt8>) throws(FHIREncodingError) -> JSONValue {
        let limits = self.limits
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(FHIREncodingError) in try JSONReader.read(buffer, limits: limits) }
        }
        if let contiguous { return try contiguous.get() }
        guard bytes.count <= limits.maximumBytes else {
            throw FHIREncodingError(
                .limitExceeded,
                field: .root,
                reason: "the input holds more than \(limits.maximumBytes) bytes"
            )
        }
        return try Array(bytes).withUnsafeBufferPointer { buffer in
            Result { () throws(FHIREncodingError) in try JSONReader.read(buffer, limits: limits) }
        }.get()
    }

    /// Reads one JSON value from a buffer of UTF-8 bytes.
    static func read(
        _ buffer: UnsafeBufferPointer<UInt8>,
        limits: Limits
    ) throws(FHIREncodingError) -> JSONValue {
        guard buffer.count <= limits.maximumBytes else {
            throw FHIREncodingError(
                .limitExceeded,
                field: .root,
                reason: "the input holds more than \(limits.maximumBytes) bytes"
            )
        }
        var parser = JSONParser(bytes: buffer, limits: limits)
        do {
            return try parser.document()
        } catch {
            throw error.error
        }
    }
}

/// A syntax fault on its way out of the recursive parser, gathering its path as it goes.
struct JSONSyntaxFailure: Error {
    var code: FHIREncodingError.Code
    var reason: String
    var offset: Int
    /// The path, innermost step first: each level of the parser adds its own step as the fault passes.
    var reversedPath: [FieldPath.Component] = []

    /// The same fault, one level further out.
    func inside(_ component: FieldPath.Component) -> JSONSyntaxFailure {
        var copy = self
        copy.reversedPath.append(component)
        return copy
    }

    /// The public error.
    var error: FHIREncodingError {
        FHIREncodingError(
            code,
            field: FieldPath(components: reversedPath.reversed()),
            reason: reason,
            byteOffset: offset
        )
    }
}

extension FieldPath.Component {
    /// A path step for an object key, shown only when it looks like an element name, so an error never
    /// repeats arbitrary text from the input.
    static func key(_ key: String) -> FieldPath.Component {
        .field(JSONKeys.isDisplayable(key) ? key : "(key)")
    }
}

extension FieldPath {
    /// The path one object key further down, the key shown only when it looks like an element name.
    ///
    /// - Parameter key: The object key, as read from the input.
    /// - Returns: The longer path.
    func appending(key: String) -> FieldPath {
        FieldPath(components: components + [.key(key)])
    }
}

/// Rules for showing JSON keys in paths and messages.
enum JSONKeys {
    /// Whether a key may be shown: up to 64 ASCII letters, digits or underscores beginning with a letter
    /// (or an underscore and a letter, for a primitive extension), the shape of every FHIR element name.
    /// Anything else, such as a key made of digits that could be an NHS number, is shown as `(key)`.
    static func isDisplayable(_ key: String) -> Bool {
        let utf8 = Array(key.utf8)
        guard let first = utf8.first, utf8.count <= 64 else { return false }
        let lead = first == UInt8(ascii: "_") && utf8.count > 1 ? utf8[1] : first
        guard lead.isASCIILetter else { return false }
        return utf8.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == UInt8(ascii: "_") }
    }
}

/// The recursive-descent parser behind ``JSONReader``.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONReader.Limits
    var index = 0
    var depth = 0
    /// Reused for strings with escapes.
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONReader.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Reads the one value of the input, after an optional byte order mark.
    mutating func document() throws(JSONSyntaxFailure) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        let value = try self.value()
        skipWhitespace()
        guard index == bytes.count else { throw failure("nothing but whitespace may follow the value") }
        return value
    }

    func failure(_ reason: String, code: FHIREncodingError.Code = .invalidJSON) -> JSONSyntaxFailure {
        JSONSyntaxFailure(code: code, reason: reason, offset: index)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func value() throws(JSONSyntaxFailure) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw failure("the input ended where a value was expected") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try object())
        case UInt8(ascii: "["): return .array(try array())
        case UInt8(ascii: "\""):
            index += 1
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        default:
            throw failure("expected a value")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxFailure) {
        let length = word.utf8CodeUnitCount
        guard bytes.count - index >= length else { throw failure("expected a value") }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: length)
        for offset in 0..<length where bytes[index + offset] != expected[offset] {
            throw failure("expected a value")
        }
        index += length
    }

    mutating func enter() throws(JSONSyntaxFailure) {
        depth += 1
        let deepest = min(limits.maximumDepth, JSONReader.Limits.depthCeiling)
        guard depth <= deepest else {
            throw failure("arrays and objects nest deeper than \(deepest)", code: .limitExceeded)
        }
    }

    mutating func object() throws(JSONSyntaxFailure) -> JSONObject {
        try enter()
        index += 1
        var members: [JSONMember] = []
        var seen: Set<String>?
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return JSONObject(uniqueMembers: members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure("expected a member name in double quotes")
            }
            let keyStart = index
            index += 1
            let key = try string()
            if Self.isRepeated(key, in: members, seen: &seen) {
                index = keyStart
                throw failure("a member name appears twice in one object").inside(.key(key))
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw failure("expected ':' after a member name").inside(.key(key))
            }
            index += 1
            let value: JSONValue
            do {
                value = try self.value()
            } catch {
                throw error.inside(.key(key))
            }
            members.append(JSONMember(key: key, value: value))
            skipWhitespace()
            guard index < bytes.count else {
                throw failure("the input ended inside an object; expected ',' or '}'").inside(.key(key))
            }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else {
                throw failure("expected ',' or '}' after a member").inside(.key(key))
            }
            index += 1
            break
        }
        depth -= 1
        return JSONObject(uniqueMembers: members)
    }

    /// Whether `key` is already among the members: a linear scan for small objects, a set once an object
    /// passes 16 members.
    static func isRepeated(_ key: String, in members: [JSONMember], seen: inout Set<String>?) -> Bool {
        if members.count < 16 { return members.contains { $0.key == key } }
        if seen == nil { seen = Set(members.map(\.key)) }
        return seen?.insert(key).inserted == false
    }

    mutating func array() throws(JSONSyntaxFailure) -> [JSONValue] {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return elements
        }
        while true {
            do {
                elements.append(try value())
            } catch {
                throw error.inside(.index(elements.count))
            }
            skipWhitespace()
            guard index < bytes.count else {
                throw failure("the input ended inside an array; expected ',' or ']'").inside(.index(elements.count - 1))
            }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else {
                throw failure("expected ',' or ']' after an array element").inside(.index(elements.count - 1))
            }
            index += 1
            break
        }
        depth -= 1
        return elements
    }

    mutating func number() throws(JSONSyntaxFailure) -> JSONNumber {
        let length = JSONNumber.grammarLength(bytes, from: index)
        guard length > 0 else { throw failure("a number is malformed") }
        let next = index + length
        if next < bytes.count {
            let byte = bytes[next]
            if byte.isASCIIDigit || byte == UInt8(ascii: ".") || byte | 0x20 == UInt8(ascii: "e") || byte.isASCIILetter
            {
                throw failure("a number is malformed")
            }
        }
        guard length <= limits.maximumNumberLength else {
            throw failure("a number is longer than \(limits.maximumNumberLength) characters", code: .limitExceeded)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<next]), as: UTF8.self)
        index = next
        return JSONNumber(unchecked: text)
    }

    /// Reads a string whose opening quote has been consumed.
    mutating func string() throws(JSONSyntaxFailure) -> String {
        let start = index
        var cursor = index
        let end = bytes.count
        while cursor < end {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\"") {
                guard cursor - start <= limits.maximumStringBytes else { throw stringTooLong(at: start) }
                index = cursor + 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                return try escapedString(from: start, at: cursor)
            }
            if byte < 0x20 {
                index = cursor
                throw failure("a control character must be escaped inside a string")
            }
            if byte < 0x80 {
                cursor += 1
            } else {
                cursor = try endOfScalar(at: cursor)
            }
        }
        index = end
        throw failure("the input ended inside a string")
    }

    func stringTooLong(at start: Int) -> JSONSyntaxFailure {
        JSONSyntaxFailure(
            code: .limitExceeded,
            reason: "a string is longer than \(limits.maximumStringBytes) bytes",
            offset: start
        )
    }

    /// Reads the rest of a string that holds an escape, decoding into the scratch buffer.
    mutating func escapedString(from start: Int, at firstEscape: Int) throws(JSONSyntaxFailure) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<firstEscape]))
        var cursor = firstEscape
        let end = bytes.count
        while cursor < end {
            let byte = bytes[cursor]
            if cursor - start > limits.maximumStringBytes { throw stringTooLong(at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                index = cursor + 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                cursor = try escape(at: cursor)
            case 0..<0x20:
                index = cursor
                throw failure("a control character must be escaped inside a string")
            case 0x80...:
                let next = try endOfScalar(at: cursor)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor..<next]))
                cursor = next
            default:
                scratch.append(byte)
                cursor += 1
            }
        }
        index = end
        throw failure("the input ended inside a string")
    }

    /// Decodes the escape at `cursor` into the scratch buffer and returns the position after it.
    mutating func escape(at cursor: Int) throws(JSONSyntaxFailure) -> Int {
        guard cursor + 1 < bytes.count else {
            index = cursor
            throw failure("the input ended inside a string")
        }
        let decoded: UInt8
        switch bytes[cursor + 1] {
        case UInt8(ascii: "\""): decoded = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): decoded = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): decoded = UInt8(ascii: "/")
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"): return try unicodeEscape(at: cursor)
        default:
            index = cursor
            throw failure("a string holds an escape JSON does not define")
        }
        scratch.append(decoded)
        return cursor + 2
    }

    /// Decodes `\uXXXX`, or a surrogate pair `\uD83D\uDE00`, and returns the position after it.
    mutating func unicodeEscape(at cursor: Int) throws(JSONSyntaxFailure) -> Int {
        guard let first = hexQuad(at: cursor + 2) else {
            index = cursor
            throw failure("\\u must be followed by four hexadecimal digits")
        }
        var scalarValue = UInt32(first)
        var next = cursor + 6
        switch first {
        case 0xD800...0xDBFF:
            guard next + 1 < bytes.count, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u"),
                let second = hexQuad(at: next + 2), (0xDC00...0xDFFF).contains(second)
            else {
                index = cursor
                throw failure("a high surrogate escape must be followed by a low surrogate escape")
            }
            scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
            next += 6
        case 0xDC00...0xDFFF:
            index = cursor
            throw failure("a low surrogate escape must follow a high surrogate escape")
        default:
            break
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            index = cursor
            throw failure("an escape does not name a Unicode scalar")
        }
        scratch.append(contentsOf: scalar.utf8)
        return next
    }

    /// The value of four hexadecimal digits at `position`, if they are there.
    func hexQuad(at position: Int) -> UInt16? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// Checks the multi-byte UTF-8 sequence starting at `cursor` (RFC 3629: no overlong forms, no
    /// surrogates, nothing past U+10FFFF) and returns the position after it.
    mutating func endOfScalar(at cursor: Int) throws(JSONSyntaxFailure) -> Int {
        let lead = bytes[cursor]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default:
            index = cursor
            throw failure("the input is not valid UTF-8")
        }
        guard cursor + length <= bytes.count, secondRange.contains(bytes[cursor + 1]) else {
            index = cursor
            throw failure("the input is not valid UTF-8")
        }
        for offset in 2..<length where bytes[cursor + offset] & 0xC0 != 0x80 {
            index = cursor
            throw failure("the input is not valid UTF-8")
        }
        return cursor + length
    }
}
