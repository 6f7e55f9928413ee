/// Double Metaphone, Lawrence Philips's phonetic encoding (C/C++ Users Journal, June 2000), which gives a
/// primary and an alternative code so that names of different origins that sound alike agree.
///
/// It handles what Soundex cannot: `CATHERINE` and `KATHRYN` both encode as `K0RN` (primary) and `KTRN`
/// (alternative), where `0` stands for "th". Two names agree phonetically when any of their codes are equal.
///
/// Input is read as upper-case ASCII letters (and `Ç`, `Ñ`); normalise names first. Codes are not cut to a
/// length unless asked.
public struct DoubleMetaphone: Hashable, Sendable {
    /// The primary encoding.
    public let primary: String
    /// The alternative encoding; equal to ``primary`` when the name has only one likely pronunciation.
    public let alternate: String

    /// Encodes a name.
    ///
    /// - Parameters:
    ///   - text: The name, in any case.
    ///   - maximumLength: The longest code to produce, or `nil` for no limit (the default).
    public init(_ text: String, maximumLength: Int? = nil) {
        var encoder = Encoder(text.uppercased(), maximumLength: maximumLength ?? Int.max)
        encoder.run()
        self.primary = encoder.primary
        self.alternate = encoder.alternate
    }

    /// Whether two names agree phonetically: some code of one equals some code of the other.
    ///
    /// - Parameter other: The other encoding.
    /// - Returns: `true` when the names sound alike under Double Metaphone.
    public func agrees(with other: DoubleMetaphone) -> Bool {
        guard !primary.isEmpty, !other.primary.isEmpty else { return false }
        return primary == other.primary || primary == other.alternate || alternate == other.primary
            || alternate == other.alternate
    }
}

/// The encoder's state: the word, the position and the two codes being built.
private struct Encoder {
    let word: [Character]
    let last: Int
    let maximumLength: Int
    let isSlavoGermanic: Bool
    var position = 0
    var primary = ""
    var alternate = ""

    init(_ text: String, maximumLength: Int) {
        self.word = Array(text)
        self.last = word.count - 1
        self.maximumLength = maximumLength
        self.isSlavoGermanic = text.contains("W") || text.contains("K") || text.contains("CZ") || text.contains("WITZ")
    }

    // MARK: - Helpers

    func at(_ index: Int) -> Character {
        index >= 0 && index < word.count ? word[index] : "\0"
    }

    func isVowel(_ index: Int) -> Bool {
        "AEIOUY".contains(at(index))
    }

    /// Whether the text at `start` equals any of the candidates (all of the same length).
    func matches(_ start: Int, _ candidates: String...) -> Bool {
        guard start >= 0 else { return false }
        for candidate in candidates {
            let characters = Array(candidate)
            guard start + characters.count <= word.count else { continue }
            if Array(word[start..<(start + characters.count)]) == characters { return true }
        }
        return false
    }

    mutating func add(_ both: String) {
        add(both, both)
    }

    mutating func add(_ main: String, _ alternative: String) {
        primary += main
        alternate += alternative
    }

    var isDone: Bool {
        primary.count >= maximumLength && alternate.count >= maximumLength
    }

    // MARK: - The algorithm

    mutating func run() {
        guard !word.isEmpty else { return }
        if matches(0, "GN", "KN", "PN", "WR", "PS") { position += 1 }
        if at(0) == "X" {
            add("S")
            position += 1
        }
        while position < word.count && !isDone {
            switch at(position) {
            case "A", "E", "I", "O", "U", "Y":
                if position == 0 { add("A") }
                position += 1
            case "B":
                add("P")
                position += at(position + 1) == "B" ? 2 : 1
            case "Ç":
                add("S")
                position += 1
            case "C": encodeC()
            case "D": encodeD()
            case "F":
                add("F")
                position += at(position + 1) == "F" ? 2 : 1
            case "G": encodeG()
            case "H":
                if (position == 0 || isVowel(position - 1)) && isVowel(position + 1) {
                    add("H")
                    position += 2
                } else {
                    position += 1
                }
            case "J": encodeJ()
            case "K":
                add("K")
                position += at(position + 1) == "K" ? 2 : 1
            case "L": encodeL()
            case "M":
                let silentB = matches(position - 1, "UMB") && (position + 1 == last || matches(position + 2, "ER"))
                position += silentB || at(position + 1) == "M" ? 2 : 1
                add("M")
            case "N":
                add("N")
                position += at(position + 1) == "N" ? 2 : 1
            case "Ñ":
                add("N")
                position += 1
            case "P":
                if at(position + 1) == "H" {
                    add("F")
                    position += 2
                } else {
                    add("P")
                    position += matches(position + 1, "P", "B") ? 2 : 1
                }
            case "Q":
                add("K")
                position += at(position + 1) == "Q" ? 2 : 1
            case "R":
                if position == last && !isSlavoGermanic && matches(position - 2, "IE")
                    && !matches(position - 4, "ME", "MA")
                {
                    add("", "R")
                } else {
                    add("R")
                }
                position += at(position + 1) == "R" ? 2 : 1
            case "S": encodeS()
            case "T": encodeT()
            case "V":
                add("F")
                position += at(position + 1) == "V" ? 2 : 1
            case "W": encodeW()
            case "X":
                let silent =
                    position == last && (matches(position - 3, "IAU", "EAU") || matches(position - 2, "AU", "OU"))
                if !silent { add("KS") }
                position += matches(position + 1, "C", "X") ? 2 : 1
            case "Z":
                if at(position + 1) == "H" {
                    add("J")
                    position += 2
                } else {
                    if matches(position + 1, "ZO", "ZI", "ZA")
                        || (isSlavoGermanic && position > 0 && at(position - 1) != "T")
                    {
                        add("S", "TS")
                    } else {
                        add("S")
                    }
                    position += at(position + 1) == "Z" ? 2 : 1
                }
            default:
                position += 1
            }
        }
        if primary.count > maximumLength { primary = String(primary.prefix(maximumLength)) }
        if alternate.count > maximumLength { alternate = String(alternate.prefix(maximumLength)) }
    }

    private mutating func encodeC() {
        let p = position
        // Germanic "ACH", as in BACHER and MACHER.
        if p > 1 && !isVowel(p - 2) && matches(p - 1, "ACH") && at(p + 2) != "I"
            && (at(p + 2) != "E" || matches(p - 2, "BACHER", "MACHER"))
        {
            add("K")
            position += 2
            return
        }
        if p == 0 && matches(p, "CAESAR") {
            add("S")
            position += 2
            return
        }
        if matches(p, "CHIA") {
            add("K")
            position += 2
            return
        }
        if matches(p, "CH") {
            if p > 0 && matches(p, "CHAE") {
                add("K", "X")
                position += 2
                return
            }
            if p == 0 && (matches(p + 1, "HARAC", "HARIS") || matches(p + 1, "HOR", "HYM", "HIA", "HEM"))
                && !matches(0, "CHORE")
            {
                add("K")
                position += 2
                return
            }
            if matches(0, "VAN ", "VON ") || matches(0, "SCH") || matches(p - 2, "ORCHES", "ARCHIT", "ORCHID")
                || matches(p + 2, "T", "S")
                || ((matches(p - 1, "A", "O", "U", "E") || p == 0)
                    && matches(p + 2, "L", "R", "N", "M", "B", "H", "F", "V", "W", " "))
            {
                add("K")
            } else if p > 0 {
                if matches(0, "MC") { add("K") } else { add("X", "K") }
            } else {
                add("X")
            }
            position += 2
            return
        }
        if matches(p, "CZ") && !matches(p - 2, "WICZ") {
            add("S", "X")
            position += 2
            return
        }
        if matches(p + 1, "CIA") {
            add("X")
            position += 3
            return
        }
        if matches(p, "CC") && !(p == 1 && at(0) == "M") {
            if matches(p + 2, "I", "E", "H") && !matches(p + 2, "HU") {
                if (p == 1 && at(p - 1) == "A") || matches(p - 1, "UCCEE", "UCCES") { add("KS") } else { add("X") }
                position += 3
            } else {
                add("K")
                position += 2
            }
            return
        }
        if matches(p, "CK", "CG", "CQ") {
            add("K")
            position += 2
            return
        }
        if matches(p, "CI", "CE", "CY") {
            if matches(p, "CIO", "CIE", "CIA") { add("S", "X") } else { add("S") }
            position += 2
            return
        }
        add("K")
        if matches(p + 1, " C", " Q", " G") {
            position += 3
        } else if matches(p + 1, "C", "K", "Q") && !matches(p + 1, "CE", "CI") {
            position += 2
        } else {
            position += 1
        }
    }

    private mutating func encodeD() {
        if matches(position, "DG") {
            if matches(position + 2, "I", "E", "Y") {
                add("J")
                position += 3
            } else {
                add("TK")
                position += 2
            }
        } else if matches(position, "DT", "DD") {
            add("T")
            position += 2
        } else {
            add("T")
            position += 1
        }
    }

    private mutating func encodeG() {
        let p = position
        if at(p + 1) == "H" {
            if p > 0 && !isVowel(p - 1) {
                add("K")
                position += 2
                return
            }
            if p == 0 {
                if at(p + 2) == "I" { add("J") } else { add("K") }
                position += 2
                return
            }
            if (p > 1 && matches(p - 2, "B", "H", "D")) || (p > 2 && matches(p - 3, "B", "H", "D"))
                || (p > 3 && matches(p - 4, "B", "H"))
            {
                position += 2
                return
            }
            if p > 2 && at(p - 1) == "U" && matches(p - 3, "C", "G", "L", "R", "T") {
                add("F")
            } else if p > 0 && at(p - 1) != "I" {
                add("K")
            }
            position += 2
            return
        }
        if at(p + 1) == "N" {
            if p == 1 && isVowel(0) && !isSlavoGermanic {
                add("KN", "N")
            } else if !matches(p + 2, "EY") && at(p + 1) != "Y" && !isSlavoGermanic {
                add("N", "KN")
            } else {
                add("KN")
            }
            position += 2
            return
        }
        if matches(p + 1, "LI") && !isSlavoGermanic {
            add("KL", "L")
            position += 2
            return
        }
        if p == 0
            && (at(p + 1) == "Y"
                || matches(p + 1, "ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER"))
        {
            add("K", "J")
            position += 2
            return
        }
        if (matches(p + 1, "ER") || at(p + 1) == "Y") && !matches(0, "DANGER", "RANGER", "MANGER")
            && !matches(p - 1, "E", "I") && !matches(p - 1, "RGY", "OGY")
        {
            add("K", "J")
            position += 2
            return
        }
        if matches(p + 1, "E", "I", "Y") || matches(p - 1, "AGGI", "OGGI") {
            if matches(0, "VAN ", "VON ") || matches(0, "SCH") || matches(p + 1, "ET") {
                add("K")
            } else if matches(p + 1, "IER ") {
                add("J")
            } else {
                add("J", "K")
            }
            position += 2
            return
        }
        add("K")
        position += at(p + 1) == "G" ? 2 : 1
    }

    private mutating func encodeJ() {
        let p = position
        if matches(p, "JOSE") || matches(0, "SAN ") {
            if (p == 0 && at(p + 4) == " ") || matches(0, "SAN ") { add("H") } else { add("J", "H") }
            position += 1
            return
        }
        if p == 0 {
            add("J", "A")
        } else if isVowel(p - 1) && !isSlavoGermanic && (at(p + 1) == "A" || at(p + 1) == "O") {
            add("J", "H")
        } else if p == last {
            add("J", "")
        } else if !matches(p + 1, "L", "T", "K", "S", "N", "M", "B", "Z") && !matches(p - 1, "S", "K", "L") {
            add("J")
        }
        position += at(p + 1) == "J" ? 2 : 1
    }

    private mutating func encodeL() {
        let p = position
        if at(p + 1) == "L" {
            if (p == word.count - 3 && matches(p - 1, "ILLO", "ILLA", "ALLE"))
                || ((matches(last - 1, "AS", "OS") || matches(last, "A", "O")) && matches(p - 1, "ALLE"))
            {
                add("L", "")
                position += 2
                return
            }
            position += 2
        } else {
            position += 1
        }
        add("L")
    }

    private mutating func encodeS() {
        let p = position
        if matches(p - 1, "ISL", "YSL") {
            position += 1
            return
        }
        if p == 0 && matches(p, "SUGAR") {
            add("X", "S")
            position += 1
            return
        }
        if matches(p, "SH") {
            if matches(p + 1, "HEIM", "HOEK", "HOLM", "HOLZ") { add("S") } else { add("X") }
            position += 2
            return
        }
        if matches(p, "SIO", "SIA") || matches(p, "SIAN") {
            if isSlavoGermanic { add("S") } else { add("S", "X") }
            position += 3
            return
        }
        if (p == 0 && matches(p + 1, "M", "N", "L", "W")) || matches(p + 1, "Z") {
            add("S", "X")
            position += matches(p + 1, "Z") ? 2 : 1
            return
        }
        if matches(p, "SC") {
            if at(p + 2) == "H" {
                if matches(p + 3, "OO", "ER", "EN", "UY", "ED", "EM") {
                    if matches(p + 3, "ER", "EN") { add("X", "SK") } else { add("SK") }
                } else if p == 0 && !isVowel(3) && at(3) != "W" {
                    add("X", "S")
                } else {
                    add("X")
                }
                position += 3
                return
            }
            if matches(p + 2, "I", "E", "Y") {
                add("S")
            } else {
                add("SK")
            }
            position += 3
            return
        }
        if p == last && matches(p - 2, "AI", "OI") { add("", "S") } else { add("S") }
        position += matches(p + 1, "S", "Z") ? 2 : 1
    }

    private mutating func encodeT() {
        let p = position
        if matches(p, "TION") {
            add("X")
            position += 3
            return
        }
        if matches(p, "TIA", "TCH") {
            add("X")
            position += 3
            return
        }
        if matches(p, "TH") || matches(p, "TTH") {
            if matches(p + 2, "OM", "AM") || matches(0, "VAN ", "VON ") || matches(0, "SCH") {
                add("T")
            } else {
                add("0", "T")
            }
            position += 2
            return
        }
        add("T")
        position += matches(p + 1, "T", "D") ? 2 : 1
    }

    private mutating func encodeW() {
        let p = position
        if matches(p, "WR") {
            add("R")
            position += 2
            return
        }
        if p == 0 && (isVowel(p + 1) || matches(p, "WH")) {
            if isVowel(p + 1) { add("A", "F") } else { add("A") }
        }
        if (p == last && isVowel(p - 1)) || matches(p - 1, "EWSKI", "EWSKY", "OWSKI", "OWSKY") || matches(0, "SCH") {
            add("", "F")
            position += 1
            return
        }
        if matches(p, "WICZ", "WITZ") {
            add("TS", "FX")
            position += 4
            return
        }
        position += 1
    }
}
