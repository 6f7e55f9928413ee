/// A code from NHS England's Organisation Data Service (ODS): a trust, a GP practice, a site, a care home.
///
/// ODS codes are 3 to 10 upper-case letters and digits: 3 for most trusts and commissioners (`REF`),
/// 5 for trust sites (`REF12`), 6 for GP practices (`A81001`). This type checks the form only; whether an
/// organisation with that code exists is for the ODS itself to say. Lower-case input is accepted and
/// upper-cased, and surrounding white space is dropped, because codes keyed by hand arrive both ways.
public struct ODSCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The code in upper case, such as `A81001`.
    public let rawValue: String

    /// Parses a code, normalising case and surrounding white space.
    ///
    /// - Parameter text: The code as given.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/empty`` or
    ///   ``CareCoreError/Code/invalidFormat``.
    public init(parsing text: String) throws(CareCoreError) {
        let field = FieldPath("odsCode")
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else {
            throw CareCoreError(.empty, field: field, reason: "an ODS code must not be empty")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(trimmed.utf8.count)
        for byte in trimmed.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                bytes.append(byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                bytes.append(byte - 32)
            default:
                throw CareCoreError(
                    .invalidFormat,
                    field: field,
                    reason: "an ODS code may contain only letters and digits"
                )
            }
        }
        guard (3...10).contains(bytes.count) else {
            throw CareCoreError(.invalidFormat, field: field, reason: "an ODS code must be 3 to 10 characters long")
        }
        self.rawValue = String(decoding: bytes, as: UTF8.self)
    }

    /// Parses a code, or returns `nil` if it is not of the ODS form.
    ///
    /// - Parameter text: The code as given.
    public init?(_ text: String) {
        guard let code = try? ODSCode(parsing: text) else { return nil }
        self = code
    }

    /// The code in upper case.
    public var description: String { rawValue }

    /// Orders codes alphabetically, for stable output.
    ///
    /// - Parameters:
    ///   - lhs: A code.
    ///   - rhs: Another code.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: ODSCode, rhs: ODSCode) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

extension ODSCode: Codable {
    /// Decodes a code from a bare string, validating it.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` if the string is not an ODS code.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidatedText { text throws(CareCoreError) in try Self(parsing: text) }
    }

    /// Encodes the code as a bare string.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeText(rawValue)
    }
}
