/// A language, named by a BCP 47 tag such as `en`, `cy` (Welsh), `kw` (Cornish), `pl` or `bfi` (British Sign
/// Language).
///
/// The check is of the tag's shape (RFC 5646): a primary subtag of 2 to 8 letters followed by subtags of 1 to
/// 8 letters or digits, separated by hyphens. Case is normalised the usual way: language lower case, a
/// four-letter script title case, a two-letter region upper case (`pt-BR`, `zh-Hant-TW`).
public struct LanguageTag: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The tag in normalised case.
    public let rawValue: String

    /// Parses a tag.
    ///
    /// - Parameter text: The tag, such as `pt-br`.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/invalidFormat``.
    public init(parsing text: String) throws(CareCoreError) {
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = subtags.first, (2...8).contains(primary.count),
            primary.utf8.allSatisfy(\.isASCIILetter),
            subtags.dropFirst().allSatisfy({
                (1...8).contains($0.count) && $0.utf8.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit }
            })
        else {
            throw CareCoreError(.invalidFormat, field: FieldPath("language"), reason: "not a BCP 47 language tag")
        }
        var normalised = [primary.lowercased()]
        var afterSingleton = false
        for subtag in subtags.dropFirst() {
            if subtag.count == 1 { afterSingleton = true }
            if afterSingleton {
                // Extensions and private use (after `-u-`, `-x-` and the like) are lower case.
                normalised.append(subtag.lowercased())
            } else if subtag.count == 4, subtag.utf8.allSatisfy(\.isASCIILetter) {
                normalised.append(subtag.prefix(1).uppercased() + subtag.dropFirst().lowercased())
            } else if subtag.count == 2, subtag.utf8.allSatisfy(\.isASCIILetter) {
                normalised.append(subtag.uppercased())
            } else {
                normalised.append(subtag.lowercased())
            }
        }
        self.rawValue = normalised.joined(separator: "-")
    }

    /// English, `en`.
    public static let english = LanguageTag(unchecked: "en")
    /// Welsh, `cy`.
    public static let welsh = LanguageTag(unchecked: "cy")
    /// Cornish, `kw`.
    public static let cornish = LanguageTag(unchecked: "kw")
    /// British Sign Language, `bfi`.
    public static let britishSignLanguage = LanguageTag(unchecked: "bfi")

    private init(unchecked rawValue: String) {
        self.rawValue = rawValue
    }

    /// The tag.
    public var description: String { rawValue }

    /// Orders tags alphabetically, for stable output.
    ///
    /// - Parameters:
    ///   - lhs: A tag.
    ///   - rhs: Another tag.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: LanguageTag, rhs: LanguageTag) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

extension LanguageTag: Codable {
    /// Decodes a tag from a string, validating it.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the string is not a BCP 47 tag.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidatedText { text throws(CareCoreError) in try Self(parsing: text) }
    }

    /// Encodes the tag as a string.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeText(rawValue)
    }
}
