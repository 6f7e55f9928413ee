import CareCore

/// An activity from the NHS National RBAC Database: a `B` code such as `B0825` (Amend Patient Demographics).
///
/// An activity may include others: B0825 includes B0820 View Patient Demographics, and "when checking
/// activities, you must also consider any included activities" (NHS England, "National role-based access
/// control (RBAC) for developers"). ``ActivityCatalogue`` expands the includes.
public struct ActivityCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The code's text.
    public let rawValue: String

    /// Parses an activity code.
    ///
    /// - Parameter text: The code, such as `B0825`.
    /// - Throws: ``ConsentAccessError`` with code `invalidCode` unless the text is `B` and four to six digits.
    public init(parsing text: String) throws(ConsentAccessError) {
        try RBACCode.validate(text, prefix: UInt8(ascii: "B"), field: FieldPath("activity"))
        self.rawValue = text
    }

    /// Parses an activity code, or returns `nil` when it is malformed.
    ///
    /// - Parameter text: The code.
    public init?(_ text: String) {
        guard (try? RBACCode.validate(text, prefix: UInt8(ascii: "B"), field: .root)) != nil else { return nil }
        self.rawValue = text
    }

    /// Creates a code from text known to be valid, such as a generated one.
    init(unchecked text: String) {
        self.rawValue = text
    }

    /// The code.
    public var description: String { rawValue }

    /// Orders codes by text.
    ///
    /// - Parameters:
    ///   - lhs: A code.
    ///   - rhs: Another code.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: ActivityCode, rhs: ActivityCode) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// Decodes and validates a code.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when the text is not an activity code.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = ActivityCode(text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "not an activity code")
            )
        }
        self = code
    }

    /// Encodes the code as its text.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
