/// American Soundex, with the rule that H and W do not separate letters of the same code.
///
/// The first letter is kept; the others are coded B F P V → 1, C G J K Q S X Z → 2, D T → 3, L → 4,
/// M N → 5, R → 6; vowels and Y separate equal codes, H and W do not; the result is padded or cut to four
/// characters. `ASHCRAFT` is `A261` (the H rule), `ROBERT` and `RUPERT` are both `R163`. Characters that
/// are not ASCII letters are ignored; a string with no letters has no code.
///
/// Because the first letter is kept verbatim, `CATHERINE` (`C365`) and `KATHRYN` (`K365`) never agree;
/// combine Soundex with Double Metaphone for that.
public enum Soundex: Sendable {
    /// The Soundex code of a string.
    ///
    /// - Parameter text: A name, in any case.
    /// - Returns: The four-character code, or `nil` if the text has no ASCII letters.
    public static func code(_ text: String) -> String? {
        var result: [UInt8] = []
        var previousCode: UInt8 = 0
        for byte in text.utf8 {
            let letter: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): letter = byte
            case UInt8(ascii: "a")...UInt8(ascii: "z"): letter = byte - 32
            default: continue
            }
            let digit = Self.digit(letter)
            if result.isEmpty {
                result.append(letter)
                previousCode = digit
                continue
            }
            if letter == UInt8(ascii: "H") || letter == UInt8(ascii: "W") { continue }
            if digit == 0 {
                previousCode = 0
                continue
            }
            if digit != previousCode {
                result.append(UInt8(ascii: "0") + digit)
                if result.count == 4 { break }
            }
            previousCode = digit
        }
        guard !result.isEmpty else { return nil }
        while result.count < 4 { result.append(UInt8(ascii: "0")) }
        return String(decoding: result, as: UTF8.self)
    }

    private static func digit(_ letter: UInt8) -> UInt8 {
        switch letter {
        case UInt8(ascii: "B"), UInt8(ascii: "F"), UInt8(ascii: "P"), UInt8(ascii: "V"): return 1
        case UInt8(ascii: "C"), UInt8(ascii: "G"), UInt8(ascii: "J"), UInt8(ascii: "K"), UInt8(ascii: "Q"),
            UInt8(ascii: "S"), UInt8(ascii: "X"), UInt8(ascii: "Z"):
            return 2
        case UInt8(ascii: "D"), UInt8(ascii: "T"): return 3
        case UInt8(ascii: "L"): return 4
        case UInt8(ascii: "M"), UInt8(ascii: "N"): return 5
        case UInt8(ascii: "R"): return 6
        default: return 0
        }
    }
}
