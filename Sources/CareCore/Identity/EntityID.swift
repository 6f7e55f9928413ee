/// A phantom-typed identifier for one of the suite's own records, such as an appointment or a care plan.
///
/// The `Tag` parameter is the kind of record the identifier belongs to, so an appointment's identifier
/// cannot be passed where a care plan's is expected. Entities declare
/// `typealias ID = EntityID<Self>`.
///
/// The raw value always satisfies the FHIR R4 `id` rule (1 to 64 of `A–Z a–z 0–9 - .`), so any
/// `EntityID` can become a FHIR resource's logical id unchanged. It is an internal key; a business
/// identifier issued by an organisation (an NHS number, a hospital number) is an ``Identifier``.
///
/// There is deliberately no string-literal conformance: an identifier is either parsed, with validation,
/// or generated from an injected random number generator.
///
/// ```swift
/// struct Referral { typealias ID = EntityID<Referral> }
///
/// var generator = SeededRandomNumberGenerator(seed: 42)
/// let id = Referral.ID.random(using: &generator)
/// let same = try Referral.ID(validating: id.rawValue)
/// ```
public struct EntityID<Tag>: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The identifier's text, valid as a FHIR `id`.
    public let rawValue: String

    /// Creates an identifier from text, checking it against the FHIR `id` rule.
    ///
    /// - Parameter rawValue: The identifier's text.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/empty``, ``CareCoreError/Code/limitExceeded``
    ///   (longer than 64 characters) or ``CareCoreError/Code/invalidFormat`` (a character outside the rule).
    public init(validating rawValue: String) throws(CareCoreError) {
        try Self.validate(rawValue)
        self.rawValue = rawValue
    }

    /// Creates an identifier from text, or returns `nil` if it breaks the FHIR `id` rule.
    ///
    /// - Parameter rawValue: The identifier's text.
    public init?(_ rawValue: String) {
        guard (try? Self.validate(rawValue)) != nil else { return nil }
        self.rawValue = rawValue
    }

    /// Creates an identifier from text that is already known to be valid, such as one read back from storage
    /// that validated it on the way in.
    package init(unchecked rawValue: String) {
        self.rawValue = rawValue
    }

    /// Generates a new random identifier in the lowercase UUID version 4 form.
    ///
    /// - Parameter generator: The source of randomness; pass a seeded generator for repeatable runs.
    /// - Returns: A new identifier, such as `3f2c8a1e-5b7d-4c09-9e61-0a4b2d8f7c15`.
    public static func random(using generator: inout some RandomNumberGenerator) -> EntityID {
        EntityID(unchecked: UUIDText.version4(using: &generator))
    }

    /// The identifier's text.
    public var description: String { rawValue }

    /// Orders identifiers by their text, so that sorted output is stable from run to run.
    ///
    /// - Parameters:
    ///   - lhs: An identifier.
    ///   - rhs: Another identifier.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: EntityID, rhs: EntityID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    private static func validate(_ text: String) throws(CareCoreError) {
        let field = FieldPath("id")
        guard !text.isEmpty else {
            throw CareCoreError(.empty, field: field, reason: "an identifier must not be empty")
        }
        guard text.utf8.count <= 64 else {
            throw CareCoreError(.limitExceeded, field: field, reason: "an identifier must be at most 64 characters")
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
                continue
            default:
                throw CareCoreError(
                    .invalidFormat,
                    field: field,
                    reason: "an identifier may contain only letters, digits, '-' and '.'"
                )
            }
        }
    }
}

extension EntityID: Codable {
    /// Decodes an identifier from a bare string, validating it.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` if the string breaks the FHIR `id` rule.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidatedText { text throws(CareCoreError) in try Self(validating: text) }
    }

    /// Encodes the identifier as a bare string.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeText(rawValue)
    }
}

/// Lowercase UUID text built from an injected random source.
enum UUIDText {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Returns a version 4 (random) UUID as 36 lowercase characters (RFC 9562, section 5.4).
    static func version4(using generator: inout some RandomNumberGenerator) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        let high = generator.next()
        let low = generator.next()
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (8 * UInt64(7 - index)))
            bytes[index + 8] = UInt8(truncatingIfNeeded: low >> (8 * UInt64(7 - index)))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // variant 10xx
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
