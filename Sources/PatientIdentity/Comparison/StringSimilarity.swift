/// String comparison functions for record linkage, on text already normalised for matching
/// (see `HumanName.normalisedForMatching(_:options:)` in CareCore).
///
/// All functions work on Unicode scalars, so they are exact for ASCII and sensible for other scripts, and
/// all are symmetric. Reference values (computed independently with the jellyfish library) are in the
/// tests.
public enum StringSimilarity: Sendable {
    /// The Jaro similarity of two strings, from 0 (nothing in common) to 1 (identical).
    ///
    /// Characters match when equal and no further apart than half the longer length minus one; the score
    /// averages the proportion of matched characters in each string and the proportion of matches in order.
    /// Two empty strings score 1; one empty string scores 0.
    ///
    /// - Parameters:
    ///   - a: A string.
    ///   - b: Another string.
    /// - Returns: The similarity, 0 to 1.
    /// - Complexity: O(*n* × *w*) for strings of length *n* and match window *w*.
    public static func jaro(_ a: String, _ b: String) -> Double {
        jaro(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    static func jaro<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        // Match flags on the stack: names are short, and this runs for every compared pair.
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: a.count + b.count) { flags in
            flags.initialize(repeating: false)
            var matches = 0
            for i in a.indices {
                let start = max(0, i - window)
                let end = min(b.count - 1, i + window)
                guard start <= end else { continue }
                for j in start...end where !flags[a.count + j] && a[i] == b[j] {
                    flags[i] = true
                    flags[a.count + j] = true
                    matches += 1
                    break
                }
            }
            guard matches > 0 else { return 0 }
            var transpositions = 0
            var j = 0
            for i in a.indices where flags[i] {
                while !flags[a.count + j] { j += 1 }
                if a[i] != b[j] { transpositions += 1 }
                j += 1
            }
            let m = Double(matches)
            return (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions / 2)) / m) / 3
        }
    }

    /// The Jaro-Winkler similarity: Jaro raised for a shared prefix, as Winkler proposed for names.
    ///
    /// When the Jaro similarity exceeds 0.7, it is raised by `prefixScale × l × (1 − jaro)` for a common
    /// prefix of length *l* (at most 4). With the standard scale of 0.1, `JOHN`/`JON` scores 0.9333 and
    /// `SMITH`/`SMYTHE` 0.8578.
    ///
    /// - Parameters:
    ///   - a: A string.
    ///   - b: Another string.
    ///   - prefixScale: How much each shared leading character counts, at most 0.25; 0.1 by default.
    /// - Returns: The similarity, 0 to 1.
    public static func jaroWinkler(_ a: String, _ b: String, prefixScale: Double = 0.1) -> Double {
        jaroWinkler(Array(a.unicodeScalars), Array(b.unicodeScalars), prefixScale: prefixScale)
    }

    static func jaroWinkler<Element: Equatable>(_ a: [Element], _ b: [Element], prefixScale: Double = 0.1) -> Double {
        let similarity = jaro(a, b)
        guard similarity > 0.7 else { return similarity }
        var prefix = 0
        while prefix < min(4, a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        return similarity + Double(prefix) * min(prefixScale, 0.25) * (1 - similarity)
    }

    /// Whether the Damerau-Levenshtein distance is at most one: equal, or one substitution, insertion,
    /// deletion or transposition of adjacent characters apart. Linear time, no allocation; the matcher's
    /// "one edit" levels need only this.
    static func isWithinOneEdit<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Bool {
        let (shorter, longer) = a.count <= b.count ? (a, b) : (b, a)
        guard longer.count - shorter.count <= 1 else { return false }
        var first = 0
        while first < shorter.count && shorter[first] == longer[first] { first += 1 }
        if first == shorter.count { return true }
        if shorter.count == longer.count {
            // A substitution at `first`, or a transposition of `first` and the next character.
            if shorter[(first + 1)...] == longer[(first + 1)...] { return true }
            return first + 1 < shorter.count && shorter[first] == longer[first + 1]
                && shorter[first + 1] == longer[first] && shorter[(first + 2)...] == longer[(first + 2)...]
        }
        // An insertion into the shorter at `first`.
        return shorter[first...] == longer[(first + 1)...]
    }

    /// The Damerau-Levenshtein distance: the fewest insertions, deletions, substitutions and transpositions
    /// of two adjacent characters that turn one string into the other.
    ///
    /// This is the unrestricted distance (Lowrance and Wagner), in which a transposed pair may also be
    /// edited further: `MARTHA`/`MARHTA` is 1, `CA`/`ABC` is 2.
    ///
    /// - Parameters:
    ///   - a: A string.
    ///   - b: Another string.
    /// - Returns: The distance, 0 for equal strings.
    /// - Complexity: O(*n* × *m*) time and space.
    public static func damerauLevenshtein(_ a: String, _ b: String) -> Int {
        damerauLevenshtein(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    static func damerauLevenshtein<Element: Hashable>(_ a: [Element], _ b: [Element]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let infinity = a.count + b.count
        let width = b.count + 2
        var table = [Int](repeating: 0, count: (a.count + 2) * width)
        table[0] = infinity
        for i in 0...a.count {
            table[(i + 1) * width] = infinity
            table[(i + 1) * width + 1] = i
        }
        for j in 0...b.count {
            table[j + 1] = infinity
            table[width + j + 1] = j
        }
        var lastRowOf: [Element: Int] = [:]
        for i in 1...a.count {
            var lastMatchingColumn = 0
            for j in 1...b.count {
                let i1 = lastRowOf[b[j - 1]] ?? 0
                let j1 = lastMatchingColumn
                let cost: Int
                if a[i - 1] == b[j - 1] {
                    cost = 0
                    lastMatchingColumn = j
                } else {
                    cost = 1
                }
                table[(i + 1) * width + j + 1] = min(
                    table[i * width + j] + cost,
                    table[(i + 1) * width + j] + 1,
                    table[i * width + j + 1] + 1,
                    table[i1 * width + j1] + (i - i1 - 1) + 1 + (j - j1 - 1)
                )
            }
            lastRowOf[a[i - 1]] = i
        }
        return table[(a.count + 1) * width + b.count + 1]
    }
}
