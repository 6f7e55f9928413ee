import CareCore

/// A JSON number kept as the exact text that was written, so no precision is lost or invented.
///
/// FHIR decimals carry their precision in their text: `1.50` is a measurement to two places and must not
/// become `1.5`. Conversions to `Int` and `Double` are offered for callers that want them; the text stays
/// the source of truth.
///
/// ```swift
/// let number = JSONNumber("1.50")
/// number?.text         // "1.50"
/// number?.isInteger    // false
/// JSONNumber("01")     // nil: a leading zero is not JSON
/// ```
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number's text, in RFC 8259 grammar.
    public let text: String

    /// Creates a number from text, or returns `nil` when the text is not an RFC 8259 number.
    ///
    /// - Parameter text: Text such as `"-12"`, `"1.50"` or `"1E+245"`.
    public init?(_ text: String) {
        var text = text
        let valid = text.withUTF8 { bytes in JSONNumber.grammarLength(bytes, from: 0) == bytes.count }
        guard valid, !text.isEmpty else { return nil }
        self.text = text
    }

    /// Creates a number from an integer.
    ///
    /// - Parameter value: The integer.
    public init(_ value: Int) {
        self.text = String(value)
    }

    /// Creates a number from text the reader has already checked.
    init(unchecked text: String) {
        self.text = text
    }

    /// Whether the text has neither a fraction nor an exponent, as FHIR's `integer` types require.
    public var isInteger: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value as an `Int`, when the text is an integer that fits.
    public var intValue: Int? {
        isInteger ? Int(text) : nil
    }

    /// The value as the nearest `Double`; precision beyond a `Double`'s may be lost and huge exponents
    /// become infinity.
    public var doubleValue: Double? {
        Double(text)
    }

    /// The number's text.
    public var description: String { text }

    /// The length of the RFC 8259 number that starts at `start`, or 0 when none does.
    ///
    /// The grammar is `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func grammarLength(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let end = bytes.count
        if index < end, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end else { return 0 }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if bytes[index].isASCIIDigit {
            while index < end, bytes[index].isASCIIDigit { index += 1 }
        } else {
            return 0
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < end, bytes[index].isASCIIDigit else { return 0 }
            while index < end, bytes[index].isASCIIDigit { index += 1 }
        }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < end, bytes[index].isASCIIDigit else { return 0 }
            while index < end, bytes[index].isASCIIDigit { index += 1 }
        }
        return index - start
    }
}
