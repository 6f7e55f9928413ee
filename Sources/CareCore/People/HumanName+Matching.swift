import Foundation

/// How ``HumanName/normalisedForMatching(_:options:)`` treats the joins inside a name.
public struct NameNormalisationOptions: Hashable, Sendable {
    /// What to do with hyphens in double-barrelled names such as `Smith-Jones`.
    public enum Hyphens: Hashable, Sendable {
        /// Treat a hyphen as a space: `SMITH JONES`. Lets each part be compared on its own.
        case asSpace
        /// Remove hyphens: `SMITHJONES`.
        case removed
    }

    /// What to do with the spaces between words, after hyphens are handled.
    public enum Spaces: Hashable, Sendable {
        /// Keep single spaces between words.
        case kept
        /// Remove all spaces: `VAN DER BERG` becomes `VANDERBERG`, as the NHS Spine trace compares names.
        case removed
    }

    /// The rule for hyphens.
    public var hyphens: Hyphens
    /// The rule for spaces.
    public var spaces: Spaces

    /// Creates options.
    ///
    /// - Parameters:
    ///   - hyphens: The rule for hyphens.
    ///   - spaces: The rule for spaces.
    public init(hyphens: Hyphens = .asSpace, spaces: Spaces = .kept) {
        self.hyphens = hyphens
        self.spaces = spaces
    }

    /// Hyphens become spaces and single spaces are kept.
    public static let standard = NameNormalisationOptions()
    /// Hyphens and spaces are both removed, as in the NHS Spine trace.
    public static let compact = NameNormalisationOptions(hyphens: .removed, spaces: .removed)
}

extension HumanName {
    /// Letters that do not decompose into a base letter and an accent, with the ASCII letters they are
    /// usually written as in English records.
    private static let foldedLetters: [Unicode.Scalar: String] = [
        "ß": "SS", "ẞ": "SS", "Æ": "AE", "æ": "AE", "Œ": "OE", "œ": "OE", "Ø": "O", "ø": "O", "Ł": "L", "ł": "L",
        "Đ": "D", "đ": "D", "Ð": "D", "ð": "D", "Þ": "TH", "þ": "TH", "ı": "I", "Ħ": "H", "ħ": "H",
    ]

    /// Apostrophes and similar marks that are removed inside names (`O'Brien`, `D’Arcy`).
    private static let apostrophes: Set<Unicode.Scalar> = ["'", "\u{2019}", "\u{2018}", "`", "\u{02BC}", "\u{00B4}"]

    /// Hyphens and dashes that join the parts of double-barrelled names.
    private static let hyphens: Set<Unicode.Scalar> = ["-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}"]

    /// Reduces a name or name part to a form for comparing records: upper-case letters and single spaces.
    ///
    /// The steps, in order:
    /// 1. compatibility decomposition, then accents dropped (`Zoë` → `ZOE`; full-width `Ｊｏｅ` → `JOE`);
    /// 2. letters with no decomposition folded (`ß` → `SS`, `Ø` → `O`, `Æ` → `AE`);
    /// 3. apostrophes removed (`O'Brien` → `OBRIEN`);
    /// 4. hyphens handled as `options` says;
    /// 5. every other character that is not a letter becomes a space (`St. John` → `ST JOHN`);
    /// 6. upper case (ASCII for Latin-script names), runs of spaces collapsed, and the ends trimmed; or all spaces removed if `options` says.
    ///
    /// The result is for comparison only; never show it in place of the name as entered.
    ///
    /// - Parameters:
    ///   - text: A name or name part.
    ///   - options: How to treat hyphens and spaces.
    /// - Returns: The normalised form; empty if the text had no letters.
    /// - Complexity: O(*n*) in the length of `text`.
    public static func normalisedForMatching(
        _ text: String,
        options: NameNormalisationOptions = .standard
    ) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return normalisedASCII(text, options: options)
        }
        return normalisedUnicode(text, options: options)
    }

    /// The general path: compatibility decomposition, accents dropped, letters folded.
    static func normalisedUnicode(_ text: String, options: NameNormalisationOptions) -> String {
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        func appendLetters(_ letters: String) {
            if pendingSpace, !output.isEmpty, options.spaces == .kept { output.append(" ") }
            pendingSpace = false
            output.append(contentsOf: letters.uppercased().unicodeScalars)
        }
        // Apostrophes and soft hyphens go before decomposition, which would split the acute-accent apostrophe
        // (U+00B4) into a space and a combining accent.
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.filter { !apostrophes.contains($0) && $0 != "\u{00AD}" })
        for scalar in String(kept).decomposedStringWithCompatibilityMapping.unicodeScalars {
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark || properties.generalCategory == .enclosingMark
                || apostrophes.contains(scalar)
            {
                continue
            }
            if let folded = foldedLetters[scalar] {
                appendLetters(folded)
            } else if hyphens.contains(scalar), options.hyphens == .removed {
                continue
            } else if properties.isAlphabetic {
                appendLetters(String(scalar))
            } else {
                pendingSpace = true
            }
        }
        return String(output)
    }

    /// The fast path for ASCII text, the usual case in English records; the same rules as the general path.
    static func normalisedASCII(_ text: String, options: NameNormalisationOptions) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if pendingSpace, !output.isEmpty, options.spaces == .kept { output.append(UInt8(ascii: " ")) }
                pendingSpace = false
                output.append(byte >= UInt8(ascii: "a") ? byte - 32 : byte)
            case UInt8(ascii: "'"), UInt8(ascii: "`"):
                continue
            case UInt8(ascii: "-") where options.hyphens == .removed:
                continue
            default:
                pendingSpace = true
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The family name in matching form, or `nil` if there is none.
    ///
    /// - Parameter options: How to treat hyphens and spaces.
    /// - Returns: The normalised family name.
    public func normalisedFamily(options: NameNormalisationOptions = .standard) -> String? {
        family.map { Self.normalisedForMatching($0, options: options) }
    }

    /// The given names in matching form, in order.
    ///
    /// - Parameter options: How to treat hyphens and spaces.
    /// - Returns: One normalised string for each given name.
    public func normalisedGiven(options: NameNormalisationOptions = .standard) -> [String] {
        given.map { Self.normalisedForMatching($0, options: options) }
    }
}
