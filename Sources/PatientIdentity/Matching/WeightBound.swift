import CareCore

/// The few values of a profile that bound a pair's weight, packed flat so that the bulk loop reads one
/// small array entry per record instead of a profile and the arrays it points to.
struct PairBoundProfile: Sendable {
    /// A valid NHS number as a number; 0 when there is none or it is not valid.
    var nhs: UInt64 = 0
    /// The only postcode, its ASCII bytes packed; 0 when there is none, more than one, or it is longer than 8.
    var postcode: UInt64 = 0
    /// The date of birth's eight ASCII digits packed, when it is a full calendar date; 0 otherwise.
    var birth: UInt64 = 0
    var familyTerm: Int32 = -1
    var givenTerm: Int32 = -1
    /// 0 when unknown, otherwise 1 + the gender's position in `AdministrativeGender.allCases`.
    var gender: UInt8 = 0
    var hasPostcode = false
    var hasBirth = false

    init(_ profile: MatchProfile) {
        if profile.nhsIsValid { nhs = profile.nhsValue }
        hasPostcode = !profile.postcodeBytes.isEmpty
        if profile.postcodeBytes.count == 1, let only = profile.postcodeBytes.first, only.count <= 8 {
            postcode = Self.pack(only)
        }
        if let birth = profile.birth {
            hasBirth = true
            if birth.isFullDate && birth.digitBytes.count == 8 { self.birth = Self.pack(birth.digitBytes) }
        }
        familyTerm = profile.familyTerm
        givenTerm = profile.givenTerm
        if let gender = profile.gender, let position = AdministrativeGender.allCases.firstIndex(of: gender) {
            self.gender = UInt8(position + 1)
        }
    }

    /// Bytes packed first byte highest, so that byte *i* of the text is byte `7 - i` of the number.
    static func pack(_ bytes: [UInt8]) -> UInt64 {
        var packed: UInt64 = 0
        for index in 0..<8 { packed = packed << 8 | UInt64(index < bytes.count ? bytes[index] : 0) }
        return packed
    }
}

extension Scorer {
    /// An upper bound on the weight of a pair, from the packed values alone: exact for the NHS number,
    /// gender and full dates of birth, and for names and postcodes that are equal; otherwise the largest
    /// weight the field's remaining levels could give. A pair whose bound is below the reporting threshold
    /// cannot be reported, so the bulk loop skips it without comparing names.
    func weightBound(_ a: PairBoundProfile, _ b: PairBoundProfile) -> Double {
        var total = priorWeight
        if a.nhs != 0 && b.nhs != 0 { total += levelWeight(fieldIndex: 0, level: a.nhs == b.nhs ? 0 : 1) }
        if a.gender != 0 && b.gender != 0 { total += levelWeight(fieldIndex: 5, level: a.gender == b.gender ? 0 : 1) }
        if a.birth != 0 && b.birth != 0 {
            total += levelWeight(fieldIndex: 3, level: Self.fullBirthDateLevel(a.birth, b.birth))
        } else if a.hasBirth && b.hasBirth {
            total += bounds.largest[3]
        }
        if a.hasPostcode && b.hasPostcode {
            if a.postcode != 0 && b.postcode != 0 {
                // One postcode each: equal is `full`; different can be anything but.
                total += a.postcode == b.postcode ? levelWeight(fieldIndex: 4, level: 0) : bounds.largestInexact[4]
            } else {
                total += bounds.largest[4]
            }
        }
        if a.familyTerm >= 0 && b.familyTerm >= 0 {
            total +=
                a.familyTerm == b.familyTerm
                ? exactNameWeight(fieldIndex: Self.familyField, term: a.familyTerm) : bounds.largestInexact[1]
        }
        if a.givenTerm >= 0 && b.givenTerm >= 0 {
            total +=
                a.givenTerm == b.givenTerm
                ? exactNameWeight(fieldIndex: Self.givenField, term: a.givenTerm) : bounds.largestInexact[2]
        }
        return total
    }

    /// The level `FieldComparator.birthDate` gives two full calendar dates, from their packed digits.
    static func fullBirthDateLevel(_ a: UInt64, _ b: UInt64) -> Int {
        if a == b { return 0 }
        func part(_ packed: UInt64, _ first: Int, _ count: Int) -> Int {
            var value = 0
            for index in first..<(first + count) {
                value = value * 10 + Int(packed >> UInt64(8 * (7 - index)) & 0xFF) - 48
            }
            return value
        }
        let (ay, am, ad) = (part(a, 0, 4), part(a, 4, 2), part(a, 6, 2))
        let (by, bm, bd) = (part(b, 0, 4), part(b, 4, 2), part(b, 6, 2))
        if ay == by && am == bd && ad == bm && am != ad { return 1 }
        // One substitution, or one transposition of neighbours: the only single edits between equal lengths.
        var differing = 0
        var first = -1
        for index in 0..<8 where (a ^ b) >> UInt64(8 * (7 - index)) & 0xFF != 0 {
            differing += 1
            if first < 0 { first = index }
        }
        if differing == 1 { return 2 }
        if differing == 2, first < 7 {
            let (i, j) = (UInt64(8 * (7 - first)), UInt64(8 * (6 - first)))
            if (a ^ b) >> j & 0xFF != 0, a >> i & 0xFF == b >> j & 0xFF, a >> j & 0xFF == b >> i & 0xFF { return 2 }
        }
        let agreeing = (ay == by ? 1 : 0) + (am == bm ? 1 : 0) + (ad == bd ? 1 : 0)
        return agreeing >= 2 ? 4 : 5
    }
}
