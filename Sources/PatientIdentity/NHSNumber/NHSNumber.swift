public import CareCore

/// An NHS number: ten digits whose last is a Modulus 11 check digit, as the NHS Data Dictionary defines it.
///
/// Parsing accepts the bare ten digits (`9434765919`) or the 3-3-4 grouping with one kind of separator,
/// single spaces or single hyphens (`943 476 5919`, `943-476-5919`), after trimming outer white space.
/// Only ASCII digits count: full-width or other Unicode digits are rejected, because they are not what a
/// person or a system meant to send.
///
/// The check ("Modulus 11"): multiply the first nine digits by 10, 9, … 2, add the products, and take
/// 11 minus the remainder after dividing by 11. A result of 11 means a check digit of 0; a result of 10
/// means no number with those nine digits is ever issued; otherwise the result must equal the tenth digit.
/// Every single-digit error and every transposition of two different digits fails the check.
///
/// Numbers made of one repeated digit pass the arithmetic but are rejected: tracing services use
/// `0000000000` for "no match" and `9999999999` for "several matches", and none is a person's number.
///
/// Whether a number lies in a test or never-issued range is advisory and kept apart from validity; see
/// ``isInTestRange`` and ``isInNeverIssuedRange``.
///
/// An NHS number identifies a person, so the description hides it; use ``formatted`` or ``digits`` to show
/// or send it on purpose.
///
/// ```swift
/// let number = try NHSNumber(parsing: "943 476 5919", verificationStatus: .verified)
/// number.formatted   // "943 476 5919"
/// number.digits      // "9434765919"
/// ```
public struct NHSNumber: Hashable, Comparable, Sendable, CustomStringConvertible, CustomReflectable {
    /// The ten digits with no separators, as stored and transmitted.
    public let digits: String
    /// How far the number has been checked against the national register, if known.
    public let verificationStatus: NHSNumberVerificationStatus?

    /// Parses an NHS number.
    ///
    /// - Parameters:
    ///   - text: The number as given: ten digits, or 3-3-4 groups separated by single spaces or hyphens.
    ///   - verificationStatus: How far the number has been verified, if known.
    /// - Throws: ``PatientIdentityError`` with code ``PatientIdentityError/Code/empty``,
    ///   ``PatientIdentityError/Code/invalidFormat`` (layout or characters),
    ///   ``PatientIdentityError/Code/sentinel`` (a repeated digit),
    ///   ``PatientIdentityError/Code/noValidCheckDigit`` or ``PatientIdentityError/Code/checkDigitMismatch``.
    public init(
        parsing text: String,
        verificationStatus: NHSNumberVerificationStatus? = nil
    )
        throws(PatientIdentityError)
    {
        let digits = try Self.layout(text)
        try Self.check(digits)
        self.digits = String(decoding: digits, as: UTF8.self)
        self.verificationStatus = verificationStatus
    }

    /// Parses an NHS number, or returns `nil` if it is not a valid one.
    ///
    /// - Parameter text: The number as given.
    public init?(_ text: String) {
        guard let number = try? NHSNumber(parsing: text) else { return nil }
        self = number
    }

    /// The same number with a different verification status.
    ///
    /// - Parameter status: The new status.
    /// - Returns: The number carrying `status`.
    public func withVerificationStatus(_ status: NHSNumberVerificationStatus?) -> NHSNumber {
        NHSNumber(uncheckedDigits: digits, verificationStatus: status)
    }

    private init(uncheckedDigits digits: String, verificationStatus: NHSNumberVerificationStatus?) {
        self.digits = digits
        self.verificationStatus = verificationStatus
    }

    /// Whether another value is the same number, whatever either's verification status.
    ///
    /// - Parameter other: The other number.
    /// - Returns: `true` when the digits are equal.
    public func isSameNumber(as other: NHSNumber) -> Bool {
        digits == other.digits
    }

    /// Whether the number has been verified against the national register (status `01`).
    public var isVerified: Bool { verificationStatus == .verified }

    /// The number in the 3-3-4 display form with single spaces, such as `943 476 5919`.
    public var formatted: String {
        let characters = Array(digits)
        return String(characters[0..<3]) + " " + String(characters[3..<6]) + " " + String(characters[6..<10])
    }

    /// The number as a business identifier in the NHS number system, for records and FHIR.
    public var identifier: Identifier {
        // Ten ASCII digits always satisfy Identifier's value rules.
        Identifier(unchecked: .nhsNumber, value: digits, use: .official)
    }

    /// Whether the number lies in `999 000 0000` to `999 999 9999`, a range never issued and used for testing.
    ///
    /// Advisory: a number in this range is valid by the check digit, and systems under test use it.
    public var isInTestRange: Bool { digits.hasPrefix("999") }

    /// Whether the number lies in `900 000 0000` to `999 999 9999`, which community sources describe as not
    /// issued to real patients (PDS synthetic patients use it). Advisory and unverified against the NHS Data
    /// Dictionary; never part of validity.
    public var isInNeverIssuedRange: Bool { digits.hasPrefix("9") }

    /// Orders numbers by their digits, for stable output.
    ///
    /// - Parameters:
    ///   - lhs: A number.
    ///   - rhs: Another number.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: NHSNumber, rhs: NHSNumber) -> Bool {
        (lhs.digits, lhs.verificationStatus?.rawValue ?? "") < (rhs.digits, rhs.verificationStatus?.rawValue ?? "")
    }

    /// Always `NHSNumber(<redacted>)`: an NHS number identifies a person.
    public var description: String { "NHSNumber(<redacted>)" }

    /// A mirror that hides the number from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(self, children: ["verificationStatus": verificationStatus as Any], displayStyle: .struct)
    }

    // MARK: - The rules

    private static let field = FieldPath("nhsNumber")

    /// The Modulus 11 check digit for nine digits, or `nil` when no check digit is valid (the remainder is 1).
    ///
    /// - Parameter stem: The first nine digits, each 0 to 9.
    /// - Returns: The check digit 0 to 9, or `nil`.
    /// - Complexity: O(1).
    public static func checkDigit(for stem: [Int]) -> Int? {
        guard stem.count == 9, stem.allSatisfy({ (0...9).contains($0) }) else { return nil }
        var sum = 0
        for (index, digit) in stem.enumerated() { sum += digit * (10 - index) }
        let check = 11 - sum % 11
        switch check {
        case 11: return 0
        case 10: return nil
        default: return check
        }
    }

    /// Checks the layout and returns the ten digit bytes.
    private static func layout(_ text: String) throws(PatientIdentityError) -> [UInt8] {
        var bytes = Array(text.utf8)
        while let first = bytes.first, first == 0x20 || (0x09...0x0D).contains(first) { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || (0x09...0x0D).contains(last) { bytes.removeLast() }
        guard !bytes.isEmpty else {
            throw PatientIdentityError(.empty, field: field, reason: "an NHS number must not be empty")
        }
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        if bytes.count == 10, bytes.allSatisfy(isDigit) { return bytes }
        if bytes.count == 12, let separator = [UInt8(ascii: " "), UInt8(ascii: "-")].first(where: { $0 == bytes[3] }),
            bytes[7] == separator
        {
            let digits = Array(bytes[0..<3] + bytes[4..<7] + bytes[8..<12])
            if digits.allSatisfy(isDigit) { return digits }
        }
        throw PatientIdentityError(
            .invalidFormat,
            field: field,
            reason: "an NHS number must be ten ASCII digits, or 3-3-4 groups separated by single spaces or hyphens"
        )
    }

    private static func check(_ digits: [UInt8]) throws(PatientIdentityError) {
        if digits.allSatisfy({ $0 == digits[0] }) {
            throw PatientIdentityError(
                .sentinel,
                field: field,
                reason: "a repeated digit is a tracing sentinel, not an NHS number"
            )
        }
        let values = digits.map { Int($0 - UInt8(ascii: "0")) }
        guard let expected = checkDigit(for: Array(values[0..<9])) else {
            throw PatientIdentityError(
                .noValidCheckDigit,
                field: field,
                reason: "no NHS number is issued with these first nine digits (Modulus 11 gives 10)"
            )
        }
        guard expected == values[9] else {
            throw PatientIdentityError(.checkDigitMismatch, field: field, reason: "the check digit does not match")
        }
    }
}

extension NHSNumber: Codable {
    private enum CodingKeys: String, CodingKey {
        case digits
        case verificationStatus
    }

    /// Decodes a number, validating it.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the digits are not a valid NHS number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let digits = try container.decode(String.self, forKey: .digits)
        let status = try container.decodeIfPresent(NHSNumberVerificationStatus.self, forKey: .verificationStatus)
        do {
            try self.init(parsing: digits, verificationStatus: status)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .digits, in: container, debugDescription: error.description)
        }
    }

    /// Encodes the digits and the verification status.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(digits, forKey: .digits)
        try container.encodeIfPresent(verificationStatus, forKey: .verificationStatus)
    }
}
