/// A value that is kept but never shown: its description, debug description and reflection hide it.
///
/// Wrap patient data that has to travel through code that may log or print (a name passed into a log
/// line, an NHS number carried in an event). `print`, string interpolation, `dump` and `Mirror` all see
/// `<redacted>`; only an explicit read of ``value`` gives the value back.
///
/// `Redacted` is `Codable` when its value is, and encodes as the value itself, so that a store can keep it:
/// redaction protects printing, logging and reflection, not storage. Never hand a redacted value to an
/// encoder that writes logs.
///
/// ```swift
/// let surname = Redacted("Trelawny")
/// print("matching \(surname)")  // matching <redacted>
/// surname.value                 // "Trelawny"
/// ```
public struct Redacted<Value: Sendable>: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The wrapped value; reading it is the only way to see it.
    public var value: Value

    /// Wraps a value.
    ///
    /// - Parameter value: The value to hide from descriptions and dumps.
    public init(_ value: Value) {
        self.value = value
    }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }

    /// Always `Redacted(<redacted>)`.
    public var debugDescription: String { "Redacted(<redacted>)" }

    /// A mirror with no children, so `dump` and debuggers show nothing of the value.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Applies a transformation to the hidden value and keeps the result hidden.
    ///
    /// - Parameter transform: The transformation.
    /// - Returns: The transformed value, still redacted.
    /// - Throws: Whatever `transform` throws.
    public func map<NewValue: Sendable, Failure: Error>(
        _ transform: (Value) throws(Failure) -> NewValue
    ) throws(Failure) -> Redacted<NewValue> {
        Redacted<NewValue>(try transform(value))
    }
}

extension Redacted: Equatable where Value: Equatable {}
extension Redacted: Hashable where Value: Hashable {}

/// A redacted value encodes and decodes as the value itself, so that a store can keep it.
///
/// Redaction protects printing, logging and reflection, not storage: what a store writes is as sensitive as the
/// value, and the store's own protections (file permissions, encryption at rest) apply to it.
extension Redacted: Codable where Value: Codable {
    /// Decodes the hidden value.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: Whatever decoding the value throws.
    public init(from decoder: any Decoder) throws {
        self.init(try Value(from: decoder))
    }

    /// Encodes the hidden value.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: Whatever encoding the value throws.
    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}
