import CareCore

/// The text and JSON rules of FHIR R4's primitive datatypes
/// (<https://hl7.org/fhir/R4/datatypes.html#primitive> and the patterns of HL7's R4 JSON Schema), written
/// out by hand so they run without regular expressions. Each check returns why a value fails, without
/// repeating it, or `nil` when it passes.
enum PrimitiveFormat {
    static func problem(with value: JSONValue, as type: FHIRPrimitiveType) -> String? {
        switch type {
        case .boolean:
            guard case .bool = value else { return "a boolean must be JSON true or false" }
            return nil
        case .decimal:
            guard case .number = value else { return "a decimal must be a JSON number" }
            return nil
        case .integer, .positiveInt, .unsignedInt:
            guard case .number(let number) = value else { return "an integer must be a JSON number" }
            return integerProblem(number, type)
        default:
            guard case .string(let text) = value else { return "a \(type.rawValue) must be a JSON string" }
            var copy = text
            return copy.withUTF8 { textProblem(in: $0, as: type) }
        }
    }

    static func integerProblem(_ number: JSONNumber, _ type: FHIRPrimitiveType) -> String? {
        guard number.isInteger else { return "an integer must be written without a fraction or exponent" }
        if type != .integer, number.text.utf8.first == UInt8(ascii: "-") {
            return "a \(type.rawValue) must be written without a sign"
        }
        guard let value = Int(number.text) else {
            return
                "an integer must be from \(type == .integer ? "-2147483648" : type == .positiveInt ? "1" : "0") to 2147483647"
        }
        switch type {
        case .positiveInt where value < 1 || value > Int(Int32.max):
            return "a positiveInt must be from 1 to 2147483647"
        case .unsignedInt where value < 0 || value > Int(Int32.max):
            return "an unsignedInt must be from 0 to 2147483647"
        case .integer where value < Int(Int32.min) || value > Int(Int32.max):
            return "an integer must be from -2147483648 to 2147483647"
        default:
            return nil
        }
    }

    static func textProblem(in text: UnsafeBufferPointer<UInt8>, as type: FHIRPrimitiveType) -> String? {
        guard !text.isEmpty else { return "a \(type.rawValue) must not be empty" }
        switch type {
        case .string, .markdown, .xhtml:
            return freeTextProblem(text, type)
        case .code:
            return codeProblem(text)
        case .id:
            guard text.count <= 64, text.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == 0x2D || $0 == 0x2E })
            else { return "an id must be 1 to 64 letters, digits, '-' or '.'" }
            return nil
        case .uri, .url, .canonical:
            guard !text.contains(where: isWhitespace) else { return "a \(type.rawValue) must not contain whitespace" }
            return nil
        case .oid:
            return oidProblem(text)
        case .uuid:
            return uuidProblem(text)
        case .base64Binary:
            return base64Problem(text)
        case .date:
            return DateTimeParser.problem(in: text, allowTime: false, requireTime: false)
        case .dateTime:
            return DateTimeParser.problem(in: text, allowTime: true, requireTime: false)
        case .instant:
            return DateTimeParser.problem(in: text, allowTime: true, requireTime: true)
        case .time:
            return DateTimeParser.timeProblem(in: text)
        case .boolean, .decimal, .integer, .positiveInt, .unsignedInt:
            return nil
        }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    /// R4: "strings SHALL NOT exceed 1MB (1024*1024 characters)".
    static let maximumCharacters = 1024 * 1024

    static func freeTextProblem(_ text: UnsafeBufferPointer<UInt8>, _ type: FHIRPrimitiveType) -> String? {
        if type != .xhtml, text.count > maximumCharacters,
            String(decoding: text, as: UTF8.self).unicodeScalars.count > maximumCharacters
        {
            return "a \(type.rawValue) must not exceed 1,048,576 characters"
        }
        // One pass that only accumulates, so the loop has no early exit to check on each byte.
        var controls = false
        for byte in text { controls = controls || (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) }
        if controls {
            return "a \(type.rawValue) must not contain control characters other than tab, CR and LF"
        }
        guard text.contains(where: { !isWhitespace($0) }) else {
            return "a \(type.rawValue) must contain something other than whitespace"
        }
        if type == .xhtml {
            let prefix = Array("<div".utf8)
            guard text.count >= prefix.count, zip(text, prefix).allSatisfy({ $0 == $1 }) else {
                return "narrative must be an XHTML <div> element"
            }
        }
        return nil
    }

    /// `^[^\s]+(\s[^\s]+)*$`: no leading or trailing whitespace and no run of two.
    static func codeProblem(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        var previousWasSpace = true
        for byte in text {
            let space = isWhitespace(byte)
            if space, previousWasSpace { return "a code must not have leading or doubled whitespace" }
            previousWasSpace = space
        }
        return previousWasSpace ? "a code must not end with whitespace" : nil
    }

    static func hasPrefix(_ text: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        return text.count >= expected.count && zip(text, expected).allSatisfy { $0 == $1 }
    }

    /// `^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$`.
    static func oidProblem(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        let message = "an oid must be urn:oid: followed by dotted numbers starting 0, 1 or 2"
        guard hasPrefix(text, "urn:oid:") else { return message }
        let arcs = text.dropFirst(8).split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard arcs.count >= 2, arcs[0].count == 1, let first = arcs[0].first, (0x30...0x32).contains(first) else {
            return message
        }
        for arc in arcs.dropFirst() {
            guard !arc.isEmpty, arc.allSatisfy(\.isASCIIDigit), arc.count == 1 || arc.first != 0x30 else {
                return message
            }
        }
        return nil
    }

    /// `^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`.
    static func uuidProblem(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        let message = "a uuid must be urn:uuid: followed by a lowercase 8-4-4-4-12 UUID"
        guard hasPrefix(text, "urn:uuid:"), text.count == 45 else { return message }
        for (offset, byte) in text.dropFirst(9).enumerated() {
            if [8, 13, 18, 23].contains(offset) {
                guard byte == UInt8(ascii: "-") else { return message }
            } else {
                guard byte.isASCIIDigit || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) else {
                    return message
                }
            }
        }
        return nil
    }

    /// Base64 (RFC 4648 section 4): the alphabet, whitespace between groups, and padding only at the end.
    static func base64Problem(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        var count = 0
        var padding = 0
        for byte in text {
            if isWhitespace(byte) { continue }
            if byte == UInt8(ascii: "=") {
                padding += 1
            } else {
                guard padding == 0, byte.isASCIILetter || byte.isASCIIDigit || byte == 0x2B || byte == 0x2F else {
                    return "base64Binary must hold only the base64 alphabet, with padding at the end"
                }
            }
            count += 1
        }
        guard count > 0, count % 4 == 0, padding <= 2 else {
            return "base64Binary must be whole groups of four characters"
        }
        return nil
    }
}
