public import CareCore
import Foundation

/// A search for a person by demographic details, in the manner of the Personal Demographics Service.
///
/// Give a name and at least one other detail. Names and postcodes may end in `*` to match any value that
/// starts with what comes before it (`PENG*`, `TR1*`), in exact mode only. A partial date of birth (`1958` or
/// `1958-07`) matches any date within it. With ``includesHistory`` (the default), previous names and
/// addresses are searched too.
public struct DemographicQuery: Hashable, Sendable {
    /// How closely values must agree.
    public enum Mode: String, Hashable, Sendable, Codable {
        /// Every detail given must agree exactly (after normalising case, accents and punctuation).
        case exact
        /// Details may differ by spelling, sound, nickname, a swapped day and month or a typo; each result is
        /// scored by how closely it agrees.
        case fuzzy
    }

    /// The family name, optionally ending in `*`.
    public var familyName: String?
    /// The first given name, optionally ending in `*`.
    public var givenName: String?
    /// The date of birth, possibly partial.
    public var birthDate: FHIRDate?
    /// The gender.
    public var gender: AdministrativeGender?
    /// The postcode, optionally ending in `*` after the outward code or part of it.
    public var postcode: String?
    /// How closely values must agree.
    public var mode: Mode
    /// Whether previous names and addresses are searched.
    public var includesHistory: Bool
    /// The lowest score returned in fuzzy mode, 0 to 1; 0.6 by default.
    public var minimumScore: Double
    /// The most results returned; 50 by default.
    public var limit: Int

    /// Creates a query.
    ///
    /// - Parameters:
    ///   - familyName: The family name.
    ///   - givenName: The first given name.
    ///   - birthDate: The date of birth.
    ///   - gender: The gender.
    ///   - postcode: The postcode.
    ///   - mode: How closely values must agree.
    ///   - includesHistory: Whether previous names and addresses are searched.
    ///   - minimumScore: The lowest fuzzy score returned.
    ///   - limit: The most results returned.
    public init(
        familyName: String? = nil,
        givenName: String? = nil,
        birthDate: FHIRDate? = nil,
        gender: AdministrativeGender? = nil,
        postcode: String? = nil,
        mode: Mode = .exact,
        includesHistory: Bool = true,
        minimumScore: Double = 0.6,
        limit: Int = 50
    ) {
        self.familyName = familyName
        self.givenName = givenName
        self.birthDate = birthDate
        self.gender = gender
        self.postcode = postcode
        self.mode = mode
        self.includesHistory = includesHistory
        self.minimumScore = minimumScore
        self.limit = limit
    }
}

extension DemographicQuery: CustomStringConvertible, CustomReflectable {
    /// How many details are given and the mode only, such as `DemographicQuery(3 fields, exact)`: names,
    /// dates of birth and postcodes are patient data.
    public var description: String {
        let fields = fieldCount == 1 ? "1 field" : "\(fieldCount) fields"
        return "DemographicQuery(\(fields), \(mode.rawValue))"
    }

    /// A mirror that shows the number of details given and the search settings only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "fieldCount": fieldCount, "mode": mode, "includesHistory": includesHistory,
                "minimumScore": minimumScore, "limit": limit,
            ],
            displayStyle: .struct
        )
    }

    /// How many of the family name, given name, date of birth, gender and postcode are given.
    private var fieldCount: Int {
        let texts = [familyName, givenName, postcode].filter { !($0 ?? "").isEmpty }.count
        return texts + (birthDate == nil ? 0 : 1) + (gender == nil ? 0 : 1)
    }
}

/// A record found by a demographic search, with its score from 0 to 1 (1 for an exact match).
public struct DemographicSearchResult: Hashable, Sendable {
    /// The record found.
    public let recordID: PatientRecord.ID
    /// How closely the record agrees with the query, 0 to 1.
    public let score: Double
}

extension PatientIndex {
    /// Searches the index by demographic details.
    ///
    /// In exact mode every detail given must agree and every result scores 1. In fuzzy mode each detail is
    /// scored from 0 to 1 (names by exactness, nickname, Jaro-Winkler and sound; dates of birth exact 1,
    /// day and month swapped 0.8, one digit off 0.7, within a partial date 0.6; postcodes full 1, sector 0.7,
    /// district 0.5, area 0.2; gender 1 or 0) and the score is their weighted mean, with weights family name
    /// 2, date of birth 2, given name 1.5, postcode 1 and gender 0.5.
    ///
    /// - Parameter query: The query.
    /// - Returns: Results with the highest score first, ties by record id.
    /// - Throws: ``PatientIdentityError`` with code `inconsistent` when the query has no name or nothing but a
    ///   name, or `invalidFormat` for a wildcard in fuzzy mode or one not at the end.
    /// - Complexity: O(*n*) in the records of the index.
    public func search(_ query: DemographicQuery) throws(PatientIdentityError) -> [DemographicSearchResult] {
        let hasName = !(query.familyName ?? "").isEmpty || !(query.givenName ?? "").isEmpty
        let hasOther = query.birthDate != nil || query.gender != nil || !(query.postcode ?? "").isEmpty
        guard hasName, hasOther else {
            throw PatientIdentityError(
                .inconsistent,
                field: FieldPath("query"),
                reason: "a search needs a name and at least one other detail"
            )
        }
        for (field, value) in [
            ("familyName", query.familyName), ("givenName", query.givenName), ("postcode", query.postcode),
        ] {
            guard let value, let star = value.firstIndex(of: "*") else { continue }
            if query.mode == .fuzzy || value.index(after: star) != value.endIndex {
                throw PatientIdentityError(
                    .invalidFormat,
                    field: FieldPath("query").appending(field),
                    reason: "a wildcard may only end a value, and only in exact mode"
                )
            }
        }
        let criteria = SearchCriteria(query)
        var results: [DemographicSearchResult] = []
        for profile in profiles {
            guard
                let score = criteria.score(
                    profile,
                    includesHistory: query.includesHistory,
                    nicknames: options.nicknames
                )
            else { continue }
            if query.mode == .fuzzy, score < query.minimumScore { continue }
            results.append(DemographicSearchResult(recordID: profile.id, score: score))
        }
        results.sort { ($1.score, $0.recordID) < ($0.score, $1.recordID) }
        return Array(results.prefix(max(0, query.limit)))
    }
}

/// A query reduced to normalised values once, then scored against each record.
private struct SearchCriteria {
    let mode: DemographicQuery.Mode
    let family: (value: String, isPrefix: Bool)?
    let given: (value: String, isPrefix: Bool)?
    /// The primary Double Metaphone codes of the query's names, computed once per search.
    let familyCode: String
    let givenCode: String
    let birth: FHIRDate?
    let gender: AdministrativeGender?
    let postcode: (value: String, isPrefix: Bool)?
    /// The query's postcode as ASCII bytes, for the fuzzy levels, converted once per search.
    let postcodeBytes: [UInt8]

    init(_ query: DemographicQuery) {
        mode = query.mode
        family = Self.normalised(query.familyName) { HumanName.normalisedForMatching($0, options: .compact) }
        given = Self.normalised(query.givenName) { HumanName.normalisedForMatching($0, options: .compact) }
        familyCode = family.map { DoubleMetaphone($0.value).primary } ?? ""
        givenCode = given.map { DoubleMetaphone($0.value).primary } ?? ""
        birth = query.birthDate
        gender = query.gender
        postcode = Self.normalised(query.postcode) { text in
            String(text.uppercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
        postcodeBytes = postcode.map { Array($0.value.utf8) } ?? []
    }

    private static func normalised(_ text: String?, _ transform: (String) -> String) -> (value: String, isPrefix: Bool)?
    {
        guard let text, !text.isEmpty else { return nil }
        let isPrefix = text.hasSuffix("*")
        let value = transform(isPrefix ? String(text.dropLast()) : text)
        return value.isEmpty && !isPrefix ? nil : (value, isPrefix)
    }

    /// The record's score, or `nil` when it does not qualify.
    func score(_ profile: MatchProfile, includesHistory: Bool, nicknames: NicknameTable) -> Double? {
        var total = 0.0
        var weights = 0.0
        func add(_ score: Double?, weight: Double) -> Bool {
            guard let score else { return false }
            if mode == .exact && score < 1 { return false }
            total += score * weight
            weights += weight
            return true
        }
        let families = includesHistory ? profile.familyNames : Array(profile.familyNames.prefix(1))
        // The profile's codes were computed when the record was indexed; no encoding happens per search.
        let familyCodes = includesHistory ? profile.familyCodes : Array(profile.familyCodes.prefix(1))
        if let family, !add(nameScore(family, familyCode, families, codes: familyCodes, nicknames: nil), weight: 2) {
            return nil
        }
        let givens = Array(profile.givenNames.prefix(1))
        let givenCodes = [profile.givenMetaphone?.primary].compactMap { $0 }
        if let given, !add(nameScore(given, givenCode, givens, codes: givenCodes, nicknames: nicknames), weight: 1.5) {
            return nil
        }
        if let birth, !add(birthScore(birth, profile.birth), weight: 2) { return nil }
        if let gender, !add(profile.gender == nil ? nil : (profile.gender == gender ? 1 : 0), weight: 0.5) {
            return nil
        }
        let count = includesHistory ? profile.postcodes.count : min(1, profile.postcodes.count)
        if let postcode, !add(postcodeScore(postcode, profile, count: count), weight: 1) { return nil }
        return weights > 0 ? total / weights : nil
    }

    private func nameScore(
        _ query: (value: String, isPrefix: Bool),
        _ queryCode: String,
        _ names: [String],
        codes: [String],
        nicknames: NicknameTable?
    ) -> Double? {
        guard !names.isEmpty else { return nil }
        var best = 0.0
        if mode == .fuzzy, !queryCode.isEmpty, codes.contains(queryCode) { best = 0.8 }
        for name in names {
            if query.isPrefix ? name.hasPrefix(query.value) : name == query.value { return 1 }
            guard mode == .fuzzy else { continue }
            if let nicknames, nicknames.areEquivalent(name, query.value) { best = max(best, 0.9) }
            let similarity = StringSimilarity.jaroWinkler(name, query.value)
            if similarity >= 0.8 { best = max(best, similarity * 0.95) }
        }
        return best
    }

    private func birthScore(_ query: FHIRDate, _ birth: MatchProfile.BirthDate?) -> Double? {
        guard let birth else { return nil }
        let queryDigits = query.description.replacingOccurrences(of: "-", with: "")
        if birth.digits == queryDigits { return 1 }
        if query.precision != .day, birth.digits.hasPrefix(queryDigits) { return mode == .exact ? 1 : 0.9 }
        guard mode == .fuzzy else { return 0 }
        if birth.digits.count == 8, queryDigits.count == 8 {
            if birth.year == query.year, birth.month == query.day, birth.day == query.month { return 0.8 }
            if StringSimilarity.damerauLevenshtein(birth.digits, queryDigits) <= 1 { return 0.7 }
        }
        if queryDigits.hasPrefix(birth.digits) { return 0.6 }
        return 0
    }

    /// The best score over the first `count` postcodes of the profile.
    private func postcodeScore(
        _ query: (value: String, isPrefix: Bool),
        _ profile: MatchProfile,
        count: Int
    ) -> Double? {
        guard count > 0 else { return nil }
        var best = 0.0
        for index in 0..<count {
            let postcode = profile.postcodes[index]
            if query.isPrefix ? postcode.hasPrefix(query.value) : postcode == query.value { return 1 }
            guard mode == .fuzzy, postcodeBytes.count >= 5 else { continue }
            switch FieldComparator.postcodeLevel(profile.postcodeBytes[index], postcodeBytes) {
            case 1: best = max(best, 0.7)
            case 2: best = max(best, 0.5)
            case 3: best = max(best, 0.2)
            default: break
            }
        }
        return best
    }
}
