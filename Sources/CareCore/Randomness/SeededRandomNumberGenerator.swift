/// A fast, seedable random number generator (SplitMix64) for tests, examples and simulations.
///
/// Nothing in the suite reads a random source directly: functions that need randomness take
/// `inout some RandomNumberGenerator`. Pass a `SeededRandomNumberGenerator` to make a run repeatable, or
/// `SystemRandomNumberGenerator` in production where unpredictability matters (for identifiers that must
/// not be guessable).
///
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014) passes
/// BigCrush and needs only one 64-bit word of state. It is **not** cryptographically secure.
public struct SeededRandomNumberGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// Creates a generator whose sequence is fixed by the seed.
    ///
    /// - Parameter seed: Any 64-bit value; equal seeds give equal sequences on every platform.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// Returns the next value in the sequence.
    ///
    /// - Returns: 64 pseudo-random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
