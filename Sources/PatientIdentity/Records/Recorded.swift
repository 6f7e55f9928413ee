/// A value as it was received, kept next to its parsed form when it could be parsed.
///
/// Real records are dirty, and in identity matching a bad value is evidence, not an error: a date of birth
/// keyed as `19561304` is not a calendar date, yet against `19560413` it is plainly the same date with day
/// and month swapped. `Recorded` keeps the text so that such a value still takes part in comparison, and
/// the parsed value (when there is one) for everything else.
///
/// The text is patient data: the description hides both.
public struct Recorded<Value: Hashable & Sendable>: Hashable, Sendable, CustomStringConvertible, CustomReflectable {
    /// The value exactly as received.
    public let text: String
    /// The parsed value, or `nil` when the text could not be parsed.
    public let value: Value?

    /// Keeps a received value with its parsed form.
    ///
    /// - Parameters:
    ///   - text: The value as received.
    ///   - value: The parsed value, or `nil` if parsing failed.
    public init(text: String, value: Value?) {
        self.text = text
        self.value = value
    }

    /// Whether the text was parsed.
    public var isParsed: Bool { value != nil }

    /// `Recorded(<redacted>, parsed: true)` or `… false)`: whether it parsed, never the value.
    public var description: String { "Recorded(<redacted>, parsed: \(isParsed))" }

    /// A mirror that shows only whether the value was parsed.
    public var customMirror: Mirror { Mirror(self, children: ["isParsed": isParsed], displayStyle: .struct) }
}

extension Recorded: Codable where Value: Codable {}
