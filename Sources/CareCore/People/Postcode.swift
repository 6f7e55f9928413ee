/// A UK postcode, validated by the Royal Mail format rules and normalised to upper case with one space.
///
/// Accepted input is case-insensitive, with any amount of space between the outward and inward codes or
/// none: `tr1 3lj`, `TR13LJ` and `TR1  3LJ` all give `TR1 3LJ`. The rules checked are the public ones
/// (BS 7666 and the Royal Mail Postcode Address File):
///
/// - the outward code is one of A9, A99, AA9, AA99, A9A or AA9A;
/// - the first letter is never Q, V or X; a second letter is never I, J or Z;
/// - the letter in A9A is one of A B C D E F G H J K P S T U W, and in AA9A one of A B E H M N P R V W X Y;
/// - the inward code is a digit and two letters, never C, I, K, M, O or V;
/// - `GIR 0AA` (Girobank) is accepted as the one historical exception;
/// - the NHS pseudo-postcodes `ZZ99 9XZ` from the NHS Data Dictionary (no fixed abode, address not known,
///   country not otherwise stated, overseas) are accepted and marked by ``pseudoPostcode``, because NHS
///   records use them where a real postcode cannot be given.
///
/// The format says nothing about whether the postcode is in use; that needs the Postcode Address File.
///
/// A postcode locates a person, so the description hides it; read ``formatted`` to show it.
///
/// ```swift
/// let postcode = try Postcode(parsing: "tr1 3lj")
/// postcode.formatted   // "TR1 3LJ"
/// postcode.outward     // "TR1"
/// postcode.sector      // "TR1 3"
/// postcode.area        // "TR"
/// ```
public struct Postcode: Hashable, Comparable, Sendable, CustomStringConvertible, CustomReflectable {
    /// The outward code, before the space: area and district, such as `TR1`.
    public let outward: String
    /// The inward code, after the space: sector digit and unit letters, such as `3LJ`.
    public let inward: String

    /// Parses and normalises a postcode.
    ///
    /// - Parameter text: The postcode as given.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/empty`` or ``CareCoreError/Code/invalidFormat``,
    ///   with a reason naming the part at fault and never the postcode itself.
    public init(parsing text: String) throws(CareCoreError) {
        let field = Self.fieldPath
        // Up to 7 significant characters, upper-cased, and where the one run of inner space fell.
        var packed = PackedCode()
        var gapAt: Int?
        var inGap = false
        for byte in text.utf8 {
            if byte.isASCIIWhitespace {
                inGap = packed.count > 0
                continue
            }
            guard byte.isASCIILetter || byte.isASCIIDigit else {
                throw CareCoreError(
                    .invalidFormat,
                    field: field,
                    reason: "a postcode may contain only letters and digits"
                )
            }
            if inGap {
                guard gapAt == nil else {
                    throw CareCoreError(
                        .invalidFormat,
                        field: field,
                        reason: "a postcode must be an outward and an inward code separated by one space"
                    )
                }
                gapAt = packed.count
                inGap = false
            }
            guard packed.count < 7 else {
                throw CareCoreError(
                    .invalidFormat,
                    field: field,
                    reason: "a postcode must have 5 to 7 letters and digits"
                )
            }
            packed.append(byte >= UInt8(ascii: "a") ? byte - 32 : byte)
        }
        guard packed.count > 0 else {
            throw CareCoreError(.empty, field: field, reason: "a postcode must not be empty")
        }
        let split = gapAt ?? packed.count - 3
        guard gapAt != nil || (5...7).contains(packed.count) else {
            throw CareCoreError(.invalidFormat, field: field, reason: "a postcode must have 5 to 7 letters and digits")
        }
        guard packed.count - split == 3 else {
            throw CareCoreError(.invalidFormat, field: field, reason: "the inward code must be a digit and two letters")
        }
        try Self.validate(packed, outwardLength: split, field: field)
        self.outward = packed.string(0..<split)
        self.inward = packed.string(split..<packed.count)
    }

    /// Parses a postcode, or returns `nil` if it is not of a UK postcode form.
    ///
    /// - Parameter text: The postcode as given.
    public init?(_ text: String) {
        guard let postcode = try? Postcode(parsing: text) else { return nil }
        self = postcode
    }

    /// The postcode in its standard written form: upper case, one space, such as `TR1 3LJ`.
    public var formatted: String { outward + " " + inward }

    /// The postcode area: the leading letters of the outward code, such as `TR` or `B`.
    public var area: String { String(outward.prefix { $0.isLetter }) }

    /// The postcode district, which is the outward code, such as `TR1`.
    public var district: String { outward }

    /// The postcode sector: the outward code and the inward digit, such as `TR1 3`.
    public var sector: String { outward + " " + inward.prefix(1) }

    /// The NHS pseudo-postcode this is, or `nil` for a real postcode.
    public var pseudoPostcode: NHSPseudoPostcode? {
        guard outward == "ZZ99" else { return nil }
        switch inward {
        case "3VZ": return .noFixedAbode
        case "3WZ": return .addressNotKnown
        case "3CZ": return .englandNotOtherwiseStated
        case "3GZ": return .wales
        case "1WZ": return .scotland
        case "2WZ": return .northernIreland
        default: return .overseas
        }
    }

    /// Orders postcodes by outward then inward code, for stable output.
    ///
    /// - Parameters:
    ///   - lhs: A postcode.
    ///   - rhs: Another postcode.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: Postcode, rhs: Postcode) -> Bool {
        (lhs.outward, lhs.inward) < (rhs.outward, rhs.inward)
    }

    /// Always `Postcode(<redacted>)`: a postcode is patient data. Use ``formatted`` to show it.
    public var description: String { "Postcode(<redacted>)" }

    /// A mirror that hides the postcode from `dump` and debuggers.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    // MARK: - Rules

    /// Built once: constructing a path on every parse would cost more than the parse.
    private static let fieldPath = FieldPath("postcode")

    /// Letters as bits, A = bit 0 … Z = bit 25.
    private static func letterMask(_ letters: String) -> UInt32 {
        letters.utf8.reduce(0) { $0 | 1 << UInt32($1 - UInt8(ascii: "A")) }
    }

    private static let inwardLetters = letterMask("ABDEFGHJLNPQRSTUWXYZ")
    private static let allowedFirst = ~letterMask("QVX")
    private static let allowedSecond = ~letterMask("IJZ")
    private static let thirdInANA = letterMask("ABCDEFGHJKPSTUW")
    private static let fourthInAANA = letterMask("ABEHMNPRVWXY")

    private static func isLetter(_ byte: UInt8, in mask: UInt32) -> Bool {
        byte.isASCIILetter && mask & 1 << UInt32(byte - UInt8(ascii: "A")) != 0
    }

    private static func validate(_ code: PackedCode, outwardLength: Int, field: FieldPath) throws(CareCoreError) {
        let inward = (code[outwardLength], code[outwardLength + 1], code[outwardLength + 2])
        if outwardLength == 3, code[0] == UInt8(ascii: "G"), code[1] == UInt8(ascii: "I"), code[2] == UInt8(ascii: "R"),
            inward == (UInt8(ascii: "0"), UInt8(ascii: "A"), UInt8(ascii: "A"))
        {
            return
        }
        guard inward.0.isASCIIDigit, inward.1.isASCIILetter, inward.2.isASCIILetter else {
            throw CareCoreError(.invalidFormat, field: field, reason: "the inward code must be a digit and two letters")
        }
        if outwardLength == 4, code[0] == UInt8(ascii: "Z"), code[1] == UInt8(ascii: "Z"), code[2] == UInt8(ascii: "9"),
            code[3] == UInt8(ascii: "9")
        {
            // NHS Data Dictionary pseudo-postcodes: ZZ99 followed by a digit, a letter and Z.
            guard inward.2 == UInt8(ascii: "Z") else {
                throw CareCoreError(.invalidFormat, field: field, reason: "an NHS pseudo-postcode must end in Z")
            }
            return
        }
        guard isLetter(inward.1, in: inwardLetters), isLetter(inward.2, in: inwardLetters) else {
            throw CareCoreError(
                .invalidFormat,
                field: field,
                reason: "the inward code uses a letter that postcodes never use (C, I, K, M, O or V)"
            )
        }
        guard isValidOutward(code, length: outwardLength) else {
            throw CareCoreError(.invalidFormat, field: field, reason: "the outward code is not of a UK postcode form")
        }
    }

    /// Checks the six outward forms A9, A99, AA9, AA99, A9A and AA9A with their letter rules.
    private static func isValidOutward(_ code: PackedCode, length: Int) -> Bool {
        guard (2...4).contains(length), isLetter(code[0], in: allowedFirst) else { return false }
        let secondIsLetter = code[1].isASCIILetter
        if secondIsLetter {
            // AA9, AA99, AA9A
            guard length >= 3, isLetter(code[1], in: allowedSecond), code[2].isASCIIDigit else { return false }
            if length == 3 { return true }
            return code[3].isASCIIDigit || isLetter(code[3], in: fourthInAANA)
        }
        // A9, A99, A9A
        guard code[1].isASCIIDigit, length <= 3 else { return false }
        if length == 2 { return true }
        return code[2].isASCIIDigit || isLetter(code[2], in: thirdInANA)
    }
}

/// Up to eight ASCII bytes held in one word, so parsing a postcode allocates nothing until the result.
private struct PackedCode {
    private var word: UInt64 = 0
    private(set) var count = 0

    mutating func append(_ byte: UInt8) {
        word |= UInt64(byte) << UInt64(8 * count)
        count += 1
    }

    subscript(index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: word >> UInt64(8 * index))
    }

    func string(_ range: Range<Int>) -> String {
        String(unsafeUninitializedCapacity: range.count) { buffer in
            for (offset, index) in range.enumerated() { buffer[offset] = self[index] }
            return range.count
        }
    }
}

extension Postcode: Codable {
    /// Decodes a postcode from a string, validating and normalising it.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the string is not a UK postcode.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidatedText { text throws(CareCoreError) in try Self(parsing: text) }
    }

    /// Encodes the postcode in its standard written form.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeText(formatted)
    }
}

/// The NHS pseudo-postcodes of the NHS Data Dictionary, used where a patient's real postcode cannot be given.
public enum NHSPseudoPostcode: String, Hashable, Sendable, Codable, CaseIterable {
    /// `ZZ99 3VZ`: no fixed abode.
    case noFixedAbode
    /// `ZZ99 3WZ`: address not known.
    case addressNotKnown
    /// `ZZ99 3CZ`: England, Great Britain or the United Kingdom, not otherwise stated.
    case englandNotOtherwiseStated
    /// `ZZ99 3GZ`: Wales, not otherwise stated.
    case wales
    /// `ZZ99 1WZ`: Scotland, not otherwise stated.
    case scotland
    /// `ZZ99 2WZ`: Northern Ireland, not otherwise stated.
    case northernIreland
    /// Any other `ZZ99` code: a country outside the United Kingdom.
    case overseas
}
