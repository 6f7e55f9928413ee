import CareCore

/// A job role from the NHS National RBAC Database: an `R` code such as `R8000` (Clinical Practitioner Access
/// Role).
///
/// NHS England, "National role-based access control (RBAC) for developers": a user's rights are the
/// activities their job role carries in the baseline policy plus any granted locally.
public struct JobRoleCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The code's text.
    public let rawValue: String

    /// Parses a job role code.
    ///
    /// - Parameter text: The code, such as `R8000`.
    /// - Throws: ``ConsentAccessError`` with code `invalidCode` unless the text is `R` and four to six digits.
    public init(parsing text: String) throws(ConsentAccessError) {
        try RBACCode.validate(text, prefix: UInt8(ascii: "R"), field: FieldPath("jobRole"))
        self.rawValue = text
    }

    /// Parses a job role code, or returns `nil` when it is malformed.
    ///
    /// - Parameter text: The code.
    public init?(_ text: String) {
        guard (try? RBACCode.validate(text, prefix: UInt8(ascii: "R"), field: .root)) != nil else { return nil }
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
    public static func < (lhs: JobRoleCode, rhs: JobRoleCode) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// Decodes and validates a code.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when the text is not a job role code.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = JobRoleCode(text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "not a job role code")
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
