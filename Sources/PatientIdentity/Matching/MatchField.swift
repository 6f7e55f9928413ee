/// A field the matcher compares between two records.
public enum MatchField: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    /// The NHS number.
    case nhsNumber
    /// The family name, current and previous.
    case familyName
    /// The given names.
    case givenName
    /// The date of birth.
    case birthDate
    /// The postcode, current and previous.
    case postcode
    /// The administrative gender.
    case gender

    /// The levels of agreement for this field, from strongest to weakest. A field missing on either side has
    /// no level and adds no evidence.
    public var levels: [ComparisonLevel] {
        switch self {
        case .nhsNumber: return ["agree", "disagree"].map { ComparisonLevel(field: self, name: $0) }
        case .familyName:
            return ["exact", "previous-name", "fuzzy", "phonetic", "similar", "different"].map {
                ComparisonLevel(field: self, name: $0)
            }
        case .givenName:
            return ["exact", "nickname", "fuzzy", "phonetic", "swapped", "initial", "similar", "different"].map {
                ComparisonLevel(field: self, name: $0)
            }
        case .birthDate:
            return ["exact", "day-month-swapped", "one-edit", "partial", "two-of-three", "different"].map {
                ComparisonLevel(field: self, name: $0)
            }
        case .postcode:
            return ["full", "sector", "district", "area", "different"].map { ComparisonLevel(field: self, name: $0) }
        case .gender: return ["agree", "disagree"].map { ComparisonLevel(field: self, name: $0) }
        }
    }

    /// Orders fields as declared.
    ///
    /// - Parameters:
    ///   - lhs: A field.
    ///   - rhs: Another field.
    /// - Returns: Whether `lhs` is declared first.
    public static func < (lhs: MatchField, rhs: MatchField) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// One level of agreement on one field, such as "family name: phonetic" or "date of birth: day and month
/// swapped".
///
/// What each level means:
/// - NHS number: `agree` (both valid and equal), `disagree` (both valid and different). An invalid number
///   on either side is no evidence; a one-digit difference is reported in the explanation instead.
/// - Family name (compact matching form): `exact` (current names equal), `previous-name` (any name of one
///   equals any of the other), `fuzzy` (Jaro-Winkler ≥ 0.92, or one edit apart for names of three letters or
///   more), `phonetic` (Double Metaphone agrees), `similar` (Jaro-Winkler ≥ 0.80), `different`.
/// - Given name: `exact` (first names equal), `nickname` (equivalent in the ``NicknameTable``, or, when not
///   `fuzzy`, a name of five letters or more in no group that is one edit from a name of the other's group:
///   `MAGRARET` and `PEGGY`), `fuzzy` (as for family names), `phonetic`, `swapped` (the first name of one is another given name of the
///   other), `initial` (one first name is the other's initial), `similar` (Jaro-Winkler ≥ 0.80),
///   `different`.
/// - Date of birth: `exact`, `day-month-swapped`, `one-edit` (Damerau-Levenshtein ≤ 1 on `YYYYMMDD`),
///   `partial` (one side known only to the year or month and consistent with the other), `two-of-three`
///   (two of year, month and day equal), `different`.
/// - Postcode (best over current and previous postcodes): `full`, `sector` (outward code and inward
///   digit), `district` (outward code), `area` (leading letters), `different`.
/// - Gender: `agree`, `disagree`.
public struct ComparisonLevel: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The field compared.
    public let field: MatchField
    /// The level's stable name within its field.
    public let name: String

    /// Names a level.
    ///
    /// - Parameters:
    ///   - field: The field.
    ///   - name: The level's name, one of the field's ``MatchField/levels``.
    public init(field: MatchField, name: String) {
        self.field = field
        self.name = name
    }

    /// The level as `field:name`, such as `birthDate:day-month-swapped`.
    public var description: String { "\(field.rawValue):\(name)" }

    /// Orders levels by field, then from strongest to weakest.
    ///
    /// - Parameters:
    ///   - lhs: A level.
    ///   - rhs: Another level.
    /// - Returns: Whether `lhs` comes first.
    public static func < (lhs: ComparisonLevel, rhs: ComparisonLevel) -> Bool {
        if lhs.field != rhs.field { return lhs.field < rhs.field }
        let levels = lhs.field.levels
        return levels.firstIndex(of: lhs) ?? 0 < levels.firstIndex(of: rhs) ?? 0
    }
}
