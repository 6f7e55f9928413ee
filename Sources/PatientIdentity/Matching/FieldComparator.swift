import CareCore

/// Works out the level of agreement of each field for a pair of profiles (see ``ComparisonLevel``).
struct FieldComparator: Sendable {
    let options: MatchOptions

    /// The level index in `field.levels` for each field, or `nil` where either side is missing.
    func levels(_ a: MatchProfile, _ b: MatchProfile) -> [Int?] {
        [nhsNumber(a, b), familyName(a, b), givenName(a, b), birthDate(a, b), postcode(a, b), gender(a, b)]
    }

    func nhsNumber(_ a: MatchProfile, _ b: MatchProfile) -> Int? {
        guard a.nhsIsValid, b.nhsIsValid, let left = a.nhsDigits, let right = b.nhsDigits else { return nil }
        return left == right ? 0 : 1
    }

    func familyName(_ a: MatchProfile, _ b: MatchProfile) -> Int? {
        guard let left = a.familyNames.first, let right = b.familyNames.first else { return nil }
        if left == right { return 0 }
        if a.familyNames.contains(where: { b.familyNames.contains($0) }) { return 1 }
        let similarity = StringSimilarity.jaroWinkler(left, right)
        if similarity >= 0.92
            || (min(left.count, right.count) >= 3 && StringSimilarity.damerauLevenshtein(left, right) <= 1)
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
        if options.nicknames.areEquivalent(left, right) { return 1 }
        let similarity = StringSimilarity.jaroWinkler(left, right)
        if similarity >= 0.92
            || (min(left.count, right.count) >= 3 && StringSimilarity.damerauLevenshtein(left, right) <= 1)
        {
            return 2
        }
        // Primary codes only: a given name's alternative code (J as in Spanish, so JOHN ~ ANN) is too loose.
        if let leftCode = a.givenMetaphone?.primary, let rightCode = b.givenMetaphone?.primary, !leftCode.isEmpty,
            leftCode == rightCode
        {
            return 3
        }
        if a.givenNames.dropFirst().contains(right) || b.givenNames.dropFirst().contains(left) { return 4 }
        if (left.count == 1 && right.hasPrefix(left)) || (right.count == 1 && left.hasPrefix(right)) { return 5 }
        if similarity >= 0.80 { return 6 }
        return 7
    }

    func birthDate(_ a: MatchProfile, _ b: MatchProfile) -> Int? {
        guard let left = a.birth, let right = b.birth else { return nil }
        if left.isFullDate && right.isFullDate && left.digits == right.digits { return 0 }
        if left.digits.count == 8 && right.digits.count == 8 {
            if left.year == right.year, let lm = left.month, let ld = left.day, let rm = right.month,
                let rd = right.day,
                lm == rd, ld == rm, lm != ld
            {
                return 1
            }
            if left.digits == right.digits || StringSimilarity.damerauLevenshtein(left.digits, right.digits) <= 1 {
                return 2
            }
        }
        if left.digits.count != right.digits.count || !left.isFullDate || !right.isFullDate {
            let shorter = left.digits.count <= right.digits.count ? left.digits : right.digits
            let longer = left.digits.count <= right.digits.count ? right.digits : left.digits
            if longer.hasPrefix(shorter) { return 3 }
        }
        var agreeing = 0
        if left.year != nil && left.year == right.year { agreeing += 1 }
        if left.month != nil && left.month == right.month { agreeing += 1 }
        if left.day != nil && left.day == right.day { agreeing += 1 }
        return agreeing >= 2 ? 4 : 5
    }

    func postcode(_ a: MatchProfile, _ b: MatchProfile) -> Int? {
        guard !a.postcodes.isEmpty, !b.postcodes.isEmpty else { return nil }
        var best = 4
        for left in a.postcodes {
            for right in b.postcodes {
                best = min(best, Self.postcodeLevel(left, right))
                if best == 0 { return 0 }
            }
        }
        return best
    }

    /// Levels for two compact postcodes (`TR13LJ`): full, sector, district, area, different.
    static func postcodeLevel(_ left: String, _ right: String) -> Int {
        if left == right { return 0 }
        let leftOutward = left.dropLast(3)
        let rightOutward = right.dropLast(3)
        if leftOutward == rightOutward {
            return left.dropFirst(leftOutward.count).first == right.dropFirst(rightOutward.count).first ? 1 : 2
        }
        let leftArea = leftOutward.prefix { $0.isLetter }
        let rightArea = rightOutward.prefix { $0.isLetter }
        return !leftArea.isEmpty && leftArea == rightArea ? 3 : 4
    }

    func gender(_ a: MatchProfile, _ b: MatchProfile) -> Int? {
        guard let left = a.gender, let right = b.gender else { return nil }
        return left == right ? 0 : 1
    }
}
