import CareCore

/// The level of agreement of each field for one pair, packed four bits a field (0 for a field missing on
/// either side, otherwise the level's position in `field.levels` plus one), so that comparing a pair
/// allocates nothing and a pattern of levels is a small dictionary key.
struct LevelPattern: Hashable, Sendable, Comparable {
    /// The packed levels.
    var packed: UInt32

    /// The number of fields, `MatchField.allCases.count`.
    static let fieldCount = 6

    /// A pattern with every field missing.
    init() { packed = 0 }

    init(packed: UInt32) { self.packed = packed }

    /// The level of a field by its position in `MatchField.allCases`, or `nil` when it is missing.
    subscript(field: Int) -> Int? {
        get {
            let value = Int(packed >> UInt32(4 * field) & 0xF)
            return value == 0 ? nil : value - 1
        }
        set {
            let shift = UInt32(4 * field)
            packed = packed & ~(0xF << shift) | UInt32((newValue ?? -1) + 1) << shift
        }
    }

    static func < (lhs: LevelPattern, rhs: LevelPattern) -> Bool { lhs.packed < rhs.packed }
}

/// Works out the level of agreement of each field for a pair of profiles (see ``ComparisonLevel``).
struct FieldComparator: Sendable {
    let options: MatchOptions

    /// The level of each field.
    func levels(_ a: MatchProfile, _ b: MatchProfile) -> LevelPattern {
        var pattern = LevelPattern()
        pattern[0] = nhsNumber(a, b)
        pattern[1] = familyName(a, b)
        pattern[2] = givenName(a, b)
        pattern[3] = birthDate(a, b)
        pattern[4] = postcode(a, b)
        pattern[5] = gender(a, b)
        return pattern
    }

    func nhsNumber(_ a: MatchProfile, _ b: MatchProfile) -> Int? {
        guard a.nhsIsValid, b.nhsIsValid, a.nhsValue != 0, b.nhsValue != 0 else { return nil }
        return a.nhsValue == b.nhsValue ? 0 : 1
    }

    func familyName(_ a: MatchProfile, _ b: MatchProfile) -> Int? {
        guard let left = a.familyNames.first, let right = b.familyNames.first else { return nil }
        if left == right { return 0 }
        if a.familyNames.count > 1 || b.familyNames.count > 1,
            a.familyNames.contains(where: { b.familyNames.contains($0) })
        {
            return 1
        }
        let similarity = StringSimilarity.jaroWinkler(a.familyScalars, b.familyScalars)
        if similarity >= 0.92
            || (min(a.familyScalars.count, b.familyScalars.count) >= 3
                && StringSimilarity.isWithinOneEdit(a.familyScalars, b.familyScalars))
        {
            return 2
        }
        if let leftCode = a.familyMetaphone, let rightCode = b.familyMetaphone, leftCode.agrees(with: rightCode) {
            return 3
        }
        if similarity >= 0.80 { return 4 }
        return 5
    }

    func givenName(_ a: MatchProfile, _ b: MatchProfile) -> Int? {
        guard let left = a.givenNames.first, let right = b.givenNames.first else { return nil }
        if left == right { return 0 }
        if Self.shareAGroup(a.givenNicknameGroups, b.givenNicknameGroups) { return 1 }
        let similarity = StringSimilarity.jaroWinkler(a.givenScalars, b.givenScalars)
        if similarity >= 0.92
            || (min(a.givenScalars.count, b.givenScalars.count) >= 3
                && StringSimilarity.isWithinOneEdit(a.givenScalars, b.givenScalars))
        {
            return 2
        }
        // A nickname for a misspelt name (Peggy, Magraret) is still a nickname.
        if (a.givenNicknameGroups.isEmpty
            && options.nicknames.isOneEditFromMember(a.givenScalars, ofGroups: b.givenNicknameGroups))
            || (b.givenNicknameGroups.isEmpty
                && options.nicknames.isOneEditFromMember(b.givenScalars, ofGroups: a.givenNicknameGroups))
        {
            return 1
        }
        // Primary codes only: a given name's alternative code (J as in Spanish, so JOHN ~ ANN) is too loose.
        if let leftCode = a.givenMetaphone?.primary, let rightCode = b.givenMetaphone?.primary, !leftCode.isEmpty,
            leftCode == rightCode
        {
            return 3
        }
        if a.givenNames.dropFirst().contains(right) || b.givenNames.dropFirst().contains(left) { return 4 }
        if (a.givenScalars.count == 1 && b.givenScalars.first == a.givenScalars.first)
            || (b.givenScalars.count == 1 && a.givenScalars.first == b.givenScalars.first)
        {
            return 5
        }
        if similarity >= 0.80 { return 6 }
        return 7
    }

    /// Whether two ascending lists of group numbers have one in common.
    private static func shareAGroup(_ left: [Int], _ right: [Int]) -> Bool {
        var i = 0
        var j = 0
        while i < left.count && j < right.count {
            if left[i] == right[j] { return true }
            if left[i] < right[j] { i += 1 } else { j += 1 }
        }
        return false
    }

    func birthDate(_ a: MatchProfile, _ b: MatchProfile) -> Int? {
        guard let left = a.birth, let right = b.birth else { return nil }
        let leftDigits = left.digitBytes
        let rightDigits = right.digitBytes
        if left.isFullDate && right.isFullDate && leftDigits == rightDigits { return 0 }
        if leftDigits.count == 8 && rightDigits.count == 8 {
            if left.year == right.year, let lm = left.month, let ld = left.day, let rm = right.month,
                let rd = right.day,
                lm == rd, ld == rm, lm != ld
            {
                return 1
            }
            if StringSimilarity.isWithinOneEdit(leftDigits, rightDigits) { return 2 }
        }
        if leftDigits.count != rightDigits.count || !left.isFullDate || !right.isFullDate {
            let (shorter, longer) =
                leftDigits.count <= rightDigits.count ? (leftDigits, rightDigits) : (rightDigits, leftDigits)
            if longer.starts(with: shorter) { return 3 }
        }
        var agreeing = 0
        if left.year != nil && left.year == right.year { agreeing += 1 }
        if left.month != nil && left.month == right.month { agreeing += 1 }
        if left.day != nil && left.day == right.day { agreeing += 1 }
        return agreeing >= 2 ? 4 : 5
    }

    func postcode(_ a: MatchProfile, _ b: MatchProfile) -> Int? {
        guard !a.postcodeBytes.isEmpty, !b.postcodeBytes.isEmpty else { return nil }
        var best = 4
        for left in a.postcodeBytes {
            for right in b.postcodeBytes {
                best = min(best, Self.postcodeLevel(left, right))
                if best == 0 { return 0 }
            }
        }
        return best
    }

    /// Levels for two compact postcodes (`TR13LJ`) as ASCII bytes: full, sector, district, area, different. The
    /// inward code is the last three characters.
    static func postcodeLevel(_ left: [UInt8], _ right: [UInt8]) -> Int {
        if left == right { return 0 }
        let leftOutward = max(0, left.count - 3)
        let rightOutward = max(0, right.count - 3)
        if leftOutward == rightOutward && left[..<leftOutward] == right[..<rightOutward] {
            guard leftOutward < left.count, rightOutward < right.count else { return 2 }
            return left[leftOutward] == right[rightOutward] ? 1 : 2
        }
        var area = 0
        while area < leftOutward, area < rightOutward, left[area] == right[area], left[area].isASCIILetter {
            area += 1
        }
        let leftAreaEnds = area == leftOutward || !left[area].isASCIILetter
        let rightAreaEnds = area == rightOutward || !right[area].isASCIILetter
        return area > 0 && leftAreaEnds && rightAreaEnds ? 3 : 4
    }

    func gender(_ a: MatchProfile, _ b: MatchProfile) -> Int? {
        guard let left = a.gender, let right = b.gender else { return nil }
        return left == right ? 0 : 1
    }
}
