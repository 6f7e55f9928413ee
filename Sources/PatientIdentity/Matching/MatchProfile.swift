import CareCore
import Foundation

/// A record reduced to the normalised, pre-encoded values the matcher compares, built once per record so
/// that comparing two records does no text processing beyond the comparisons themselves.
///
/// A class, so that the bulk comparison loops pass a reference rather than copying two dozen fields (and
/// retaining each) for every pair.
///
/// `@unchecked Sendable` because of `familyTerm` and `givenTerm`: the index writes them once, in
/// `PatientIndex.append` or when profiling a query, while it holds the only reference, before the profile is
/// shared; every other property is a `let`.
final class MatchProfile: @unchecked Sendable {
    let id: PatientRecord.ID
    /// Ten digits as received when they are ten digits, valid or not.
    let nhsDigits: String?
    /// The ten digits as a number, for fast comparison; 0 when there are not ten digits.
    let nhsValue: UInt64
    let nhsIsValid: Bool
    let nhsIsVerified: Bool
    /// Given names in compact matching form, first name first; placeholders removed.
    let givenNames: [String]
    /// Family names in compact matching form, current first, then previous names; placeholders removed.
    let familyNames: [String]
    let familyMetaphone: DoubleMetaphone?
    /// The primary Double Metaphone code of every family name, current first.
    let familyCodes: [String]
    let givenMetaphone: DoubleMetaphone?
    /// The Soundex code of every family name, current first.
    let familySoundexCodes: [String]
    let birth: BirthDate?
    let gender: AdministrativeGender?
    /// Postcodes in compact form (`TR13LJ`), current first; pseudo-postcodes removed.
    let postcodes: [String]
    /// The postcodes as ASCII bytes, for comparison.
    let postcodeBytes: [[UInt8]]
    /// The first family name's Unicode scalars, for the string comparators.
    let familyScalars: [Unicode.Scalar]
    /// The first given name's Unicode scalars, for the string comparators.
    let givenScalars: [Unicode.Scalar]
    /// The nickname groups of the first given name, in ascending order.
    let givenNicknameGroups: [Int]
    /// The index's number for the first family name, for term frequencies; -1 when the index has not seen it.
    private(set) var familyTerm: Int32 = -1
    /// The index's number for the first given name, for term frequencies; -1 when the index has not seen it.
    private(set) var givenTerm: Int32 = -1

    /// Sets the term numbers; only before the profile is shared.
    func assignTerms(family: Int32, given: Int32) {
        familyTerm = family
        givenTerm = given
    }

    /// A date of birth as the matcher sees it: the digits as written and the parts it could read.
    struct BirthDate: Sendable, Hashable {
        /// `YYYYMMDD` (or `YYYYMM`, `YYYY`) digits; for unparseable input, the digits in the order written.
        let digits: String
        /// The digits as ASCII bytes.
        let digitBytes: [UInt8]
        let year: Int?
        let month: Int?
        let day: Int?
        /// Whether the value is a real calendar date at day precision, not a placeholder.
        let isFullDate: Bool
    }

    /// Phonetic codes of names already seen, so a bulk load encodes each distinct name once: Double
    /// Metaphone is the dearest step of profiling a record, and names repeat.
    struct NameCodeCache {
        private var codes: [String: (metaphone: DoubleMetaphone, soundex: String?)] = [:]

        mutating func codes(of name: String) -> (metaphone: DoubleMetaphone, soundex: String?) {
            if let known = codes[name] { return known }
            if codes.count >= 200_000 { codes.removeAll(keepingCapacity: true) }
            let new = (DoubleMetaphone(name), Soundex.code(name))
            codes[name] = new
            return new
        }
    }

    convenience init(_ record: PatientRecord, options: MatchOptions) {
        var cache = NameCodeCache()
        self.init(record, options: options, cache: &cache)
    }

    init(_ record: PatientRecord, options: MatchOptions, cache: inout NameCodeCache) {
        self.id = record.id
        if let number = record.nhsNumber {
            let digits = number.text.utf8.filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            self.nhsDigits = digits.count == 10 ? String(decoding: digits, as: UTF8.self) : nil
            self.nhsValue =
                digits.count == 10 ? digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) } : 0
            self.nhsIsValid = number.value != nil
            self.nhsIsVerified = number.value?.isVerified ?? false
        } else {
            self.nhsDigits = nil
            self.nhsValue = 0
            self.nhsIsValid = false
            self.nhsIsVerified = false
        }

        var given: [String] = []
        var family: [String] = []
        for name in record.names {
            for part in name.given {
                for word in HumanName.normalisedForMatching(part).split(separator: " ") {
                    let text = String(word)
                    if !options.placeholderNames.contains(text) && !given.contains(text) { given.append(text) }
                }
            }
            if let surname = name.normalisedFamily(options: .compact), !surname.isEmpty,
                !options.placeholderNames.contains(surname), !family.contains(surname)
            {
                family.append(surname)
            }
        }
        self.givenNames = given
        self.familyNames = family
        let familyEncodings = family.map { cache.codes(of: $0) }
        self.familyMetaphone = familyEncodings.first?.metaphone
        self.familyCodes = familyEncodings.map(\.metaphone.primary).filter { !$0.isEmpty }
        self.givenMetaphone = given.first.map { cache.codes(of: $0).metaphone }
        self.familySoundexCodes = familyEncodings.compactMap(\.soundex)
        self.familyScalars = family.first.map { Array($0.unicodeScalars) } ?? []
        self.givenScalars = given.first.map { Array($0.unicodeScalars) } ?? []
        self.givenNicknameGroups =
            given.first.map {
                options.nicknames.groupIndices(ofCompact: HumanName.normalisedForMatching($0, options: .compact))
            } ?? []

        self.birth = record.birthDate.flatMap { Self.birthDate($0, options: options) }
        self.gender = record.gender == .unknown ? nil : record.gender

        var postcodes: [String] = []
        for address in record.addresses {
            if let postcode = address.postcode, postcode.pseudoPostcode == nil {
                let compact = postcode.outward + postcode.inward
                if !postcodes.contains(compact) { postcodes.append(compact) }
            }
        }
        if let received = record.receivedPostcode {
            let compact = String(
                decoding: received.text.utf8.compactMap { byte -> UInt8? in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - 32
                    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return byte
                    default: return nil
                    }
                },
                as: UTF8.self
            )
            if compact.count >= 5, !compact.hasPrefix("ZZ99"), !postcodes.contains(compact) {
                postcodes.append(compact)
            }
        }
        self.postcodes = postcodes
        self.postcodeBytes = postcodes.map { Array($0.utf8) }
    }

    /// Reads a date of birth: from the parsed value when there is one, otherwise from the digits received.
    private static func birthDate(_ recorded: Recorded<FHIRDate>, options: MatchOptions) -> BirthDate? {
        if let date = recorded.value {
            var digits = String(date.year)
            while digits.utf8.count < 4 { digits = "0" + digits }
            for part in [date.month, date.day] {
                guard let part else { break }
                digits += part < 10 ? "0\(part)" : "\(part)"
            }
            let placeholder = options.treatsFirstOfJanuaryAsYearOnly && date.month == 1 && date.day == 1
            let kept = placeholder ? String(digits.prefix(4)) : digits
            return BirthDate(
                digits: kept,
                digitBytes: Array(kept.utf8),
                year: date.year,
                month: placeholder ? nil : date.month,
                day: placeholder ? nil : date.day,
                isFullDate: date.precision == .day && !placeholder
            )
        }
        // Unparseable: keep the digits in year-month-day order when the layout says which is which.
        let text = recorded.text.trimmingCharacters(in: .whitespaces)
        let digitGroups = text.split { !$0.isNumber }.map(String.init)
        var digits: String
        if digitGroups.count == 3, digitGroups[2].count == 4 {
            // DD/MM/YYYY
            digits = digitGroups[2] + pad(digitGroups[1]) + pad(digitGroups[0])
        } else {
            digits = digitGroups.joined()
        }
        digits = String(digits.filter(\.isASCII))
        guard digits.count == 8, digits.allSatisfy(\.isNumber) else { return nil }
        let year = Int(digits.prefix(4))
        let month = Int(digits.dropFirst(4).prefix(2))
        let day = Int(digits.suffix(2))
        return BirthDate(
            digits: digits,
            digitBytes: Array(digits.utf8),
            year: year,
            month: month,
            day: day,
            isFullDate: false
        )
    }

    private static func pad(_ part: String) -> String {
        part.count == 1 ? "0" + part : part
    }
}
