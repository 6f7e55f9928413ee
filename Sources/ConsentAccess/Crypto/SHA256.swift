/// SHA-256, the 256-bit Secure Hash Algorithm of FIPS 180-4 §6.2.
///
/// Feed the message in any number of pieces with ``update(_:)-(Bytes)`` and read the digest once with
/// ``finalize()``; ``hash(_:)`` does both for a message held in one piece. The hasher is a value of fixed size:
/// it keeps the eight working words, the pending part of a 64-byte block and the message length inline, so
/// hashing never allocates, and copying a hasher that has absorbed a common prefix is cheap.
///
/// The implementation is portable Swift with no hardware acceleration. It processes contiguous input straight
/// from the caller's memory and only copies the bytes that do not fill a whole block.
public struct SHA256: Sendable {
    /// The eight 32-bit working variables H0 to H7.
    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// Sixty-four bytes of storage, one message block.
    @usableFromInline
    internal typealias Block = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// The size of one message block in bytes.
    @usableFromInline
    internal static let blockByteCount = 64

    /// The chaining value after every complete block absorbed so far.
    private var state: State
    /// The bytes of the current incomplete block; only the first `pendingCount` bytes are meaningful.
    private var pending: Block
    /// How many bytes of `pending` hold message data, from 0 to 63.
    private var pendingCount: Int
    /// The message length in bytes so far, modulo 2^64.
    private var length: UInt64

    /// Creates a hasher that has absorbed nothing.
    ///
    /// The initial hash value is the one given in FIPS 180-4 §5.3.3.
    public init() {
        state = (
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
        )
        pending = (0, 0, 0, 0, 0, 0, 0, 0)
        pendingCount = 0
        length = 0
    }

    /// Absorbs the next bytes of the message.
    ///
    /// Contiguous collections such as `[UInt8]`, `ArraySlice<UInt8>`, `String.UTF8View` of a native string
    /// and Foundation's `Data` are read in place; other sequences are read element by element into a block
    /// on the stack, 64 bytes at a time.
    ///
    /// - Parameter bytes: The bytes that follow those absorbed so far.
    @inlinable
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            updateElementwise(bytes)
        }
    }

    /// Absorbs the bytes of a sequence without contiguous storage, 64 at a time.
    ///
    /// - Parameter bytes: The bytes that follow those absorbed so far.
    @inlinable
    internal mutating func updateElementwise<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        var chunk: Block = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &chunk) { chunkBytes in
            var count = 0
            for byte in bytes {
                chunkBytes[count] = byte
                count += 1
                if count == Self.blockByteCount {
                    update(UnsafeRawBufferPointer(chunkBytes))
                    count = 0
                }
            }
            if count > 0 {
                update(UnsafeRawBufferPointer(rebasing: chunkBytes[0..<count]))
            }
        }
    }

    /// Absorbs the next bytes of the message from raw memory.
    ///
    /// Whole blocks are compressed straight from `buffer`; only a leading part that completes an earlier
    /// incomplete block and a trailing part shorter than a block are copied.
    ///
    /// - Parameter buffer: The bytes that follow those absorbed so far.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        let total = buffer.count
        guard total > 0 else { return }
        length &+= UInt64(truncatingIfNeeded: total)
        var offset = 0
        if pendingCount > 0 {
            let start = pendingCount
            let take = min(Self.blockByteCount - start, total)
            withUnsafeMutableBytes(of: &pending) { block in
                UnsafeMutableRawBufferPointer(rebasing: block[start..<start + take])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<take]))
            }
            offset = take
            guard start + take == Self.blockByteCount else {
                pendingCount = start + take
                return
            }
            let block = pending
            withUnsafeBytes(of: block) { Self.compress(&state, blocks: $0) }
            pendingCount = 0
        }
        let wholeBlocks = (total - offset) / Self.blockByteCount * Self.blockByteCount
        if wholeBlocks > 0 {
            Self.compress(&state, blocks: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + wholeBlocks]))
            offset += wholeBlocks
        }
        let rest = total - offset
        if rest > 0 {
            withUnsafeMutableBytes(of: &pending) { block in
                UnsafeMutableRawBufferPointer(rebasing: block[0..<rest])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[offset..<total]))
            }
            pendingCount = rest
        }
    }

    /// Pads the message as FIPS 180-4 §5.1.1 requires and returns its digest.
    ///
    /// The hasher is consumed: a message has exactly one digest. To hash several messages that share a prefix,
    /// copy the hasher after absorbing the prefix and finalize each copy.
    ///
    /// - Returns: The SHA-256 digest of all the bytes absorbed.
    public consuming func finalize() -> SHA256Digest {
        var words = state
        let used = pendingCount
        let bitLength = length &<< 3
        var block = pending
        withUnsafeMutableBytes(of: &block) { bytes in
            bytes[used] = 0x80
            for index in (used + 1)..<Self.blockByteCount {
                bytes[index] = 0
            }
            if used >= Self.blockByteCount - 8 {
                Self.compress(&words, blocks: UnsafeRawBufferPointer(bytes))
                for index in 0..<(Self.blockByteCount - 8) {
                    bytes[index] = 0
                }
            }
            bytes.storeBytes(of: bitLength.bigEndian, toByteOffset: Self.blockByteCount - 8, as: UInt64.self)
            Self.compress(&words, blocks: UnsafeRawBufferPointer(bytes))
        }
        return SHA256Digest(
            UInt64(words.0) &<< 32 | UInt64(words.1),
            UInt64(words.2) &<< 32 | UInt64(words.3),
            UInt64(words.4) &<< 32 | UInt64(words.5),
            UInt64(words.6) &<< 32 | UInt64(words.7)
        )
    }

    /// Returns the SHA-256 digest of a whole message.
    ///
    /// This is the same as creating a hasher, absorbing `bytes` and finalizing it.
    ///
    /// - Parameter bytes: The message.
    /// - Returns: The message's digest.
    @inlinable
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> SHA256Digest where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The round constants K0 to K63 of FIPS 180-4 §4.2.2.
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// Rotates a word right by `count` bits, written as two shifts so that the compiler emits one rotate.
    @inline(__always)
    private static func rotateRight(_ word: UInt32, _ count: UInt32) -> UInt32 {
        (word &>> count) | (word &<< (32 &- count))
    }

    /// Performs one round of FIPS 180-4 §6.2.2 step 3 without moving the working variables.
    ///
    /// The caller renames the variables instead: after a round, the old `h` holds the new `a` and the old
    /// `d` the new `e`, so eight calls with rotated arguments make eight rounds with no copies.
    ///
    /// - Parameters:
    ///   - a: Working variable a.
    ///   - b: Working variable b.
    ///   - c: Working variable c.
    ///   - d: Working variable d; it becomes the new e.
    ///   - e: Working variable e.
    ///   - f: Working variable f.
    ///   - g: Working variable g.
    ///   - h: Working variable h; it becomes the new a.
    ///   - bXorC: `b ^ c` on entry and the next round's `b ^ c`, which is this round's `a ^ b`, on return; it
    ///     lets the majority function take three operations instead of four.
    ///   - constantPlusWord: The round constant plus the message schedule word.
    @inline(__always)
    private static func round(
        _ a: UInt32,
        _ b: UInt32,
        _ c: UInt32,
        _ d: inout UInt32,
        _ e: UInt32,
        _ f: UInt32,
        _ g: UInt32,
        _ h: inout UInt32,
        _ bXorC: inout UInt32,
        _ constantPlusWord: UInt32
    ) {
        let bigSigma1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
        let choice = g ^ (e & (f ^ g))
        let temp1 = h &+ bigSigma1 &+ choice &+ constantPlusWord
        let bigSigma0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
        let aXorB = a ^ b
        let majority = b ^ (aXorB & bXorC)
        bXorC = aXorB
        d &+= temp1
        h = temp1 &+ bigSigma0 &+ majority
    }

    /// Runs the compression function of FIPS 180-4 §6.2.2 over whole blocks.
    ///
    /// - Parameters:
    ///   - words: The chaining value, updated in place.
    ///   - blocks: The message blocks; the count must be a multiple of 64.
    private static func compress(_ words: inout State, blocks: UnsafeRawBufferPointer) {
        var (h0, h1, h2, h3, h4, h5, h6, h7) = words
        roundConstants.withUnsafeBufferPointer { constants in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
                var offset = 0
                while offset < blocks.count {
                    for index in 0..<16 {
                        let raw = blocks.loadUnaligned(fromByteOffset: offset &+ index &* 4, as: UInt32.self)
                        schedule[index] = UInt32(bigEndian: raw)
                    }
                    for index in 16..<64 {
                        let early = schedule[index &- 15]
                        let late = schedule[index &- 2]
                        let sigma0 = rotateRight(early, 7) ^ rotateRight(early, 18) ^ (early &>> 3)
                        let sigma1 = rotateRight(late, 17) ^ rotateRight(late, 19) ^ (late &>> 10)
                        schedule[index] = sigma1 &+ schedule[index &- 7] &+ sigma0 &+ schedule[index &- 16]
                    }
                    var a = h0
                    var b = h1
                    var c = h2
                    var d = h3
                    var e = h4
                    var f = h5
                    var g = h6
                    var h = h7
                    var bXorC = b ^ c
                    var index = 0
                    while index < 64 {
                        round(a, b, c, &d, e, f, g, &h, &bXorC, constants[index] &+ schedule[index])
                        round(h, a, b, &c, d, e, f, &g, &bXorC, constants[index &+ 1] &+ schedule[index &+ 1])
                        round(g, h, a, &b, c, d, e, &f, &bXorC, constants[index &+ 2] &+ schedule[index &+ 2])
                        round(f, g, h, &a, b, c, d, &e, &bXorC, constants[index &+ 3] &+ schedule[index &+ 3])
                        round(e, f, g, &h, a, b, c, &d, &bXorC, constants[index &+ 4] &+ schedule[index &+ 4])
                        round(d, e, f, &g, h, a, b, &c, &bXorC, constants[index &+ 5] &+ schedule[index &+ 5])
                        round(c, d, e, &f, g, h, a, &b, &bXorC, constants[index &+ 6] &+ schedule[index &+ 6])
                        round(b, c, d, &e, f, g, h, &a, &bXorC, constants[index &+ 7] &+ schedule[index &+ 7])
                        index &+= 8
                    }
                    h0 &+= a
                    h1 &+= b
                    h2 &+= c
                    h3 &+= d
                    h4 &+= e
                    h5 &+= f
                    h6 &+= g
                    h7 &+= h
                    offset &+= blockByteCount
                }
            }
        }
        words = (h0, h1, h2, h3, h4, h5, h6, h7)
    }
}

/// A 32-byte SHA-256 digest.
///
/// The digest is held as four 64-bit words, so it is compared, hashed and copied without allocating. Its
/// text form is 64 lowercase hexadecimal digits, which is also how it encodes with `Codable`. Digests order
/// by their bytes, first byte most significant, so sorting them sorts their hexadecimal forms too.
public struct SHA256Digest: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The number of bytes in a digest.
    ///
    /// SHA-256 digests are always 256 bits long.
    public static let byteCount = 32

    /// Bytes 0 to 7, the first byte in the most significant position.
    internal let word0: UInt64
    /// Bytes 8 to 15, the first byte in the most significant position.
    internal let word1: UInt64
    /// Bytes 16 to 23, the first byte in the most significant position.
    internal let word2: UInt64
    /// Bytes 24 to 31, the first byte in the most significant position.
    internal let word3: UInt64

    /// Creates a digest from its four big-endian words.
    internal init(_ word0: UInt64, _ word1: UInt64, _ word2: UInt64, _ word3: UInt64) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
        self.word3 = word3
    }

    /// Creates a digest from its bytes.
    ///
    /// Reads at most 33 elements, so an over-long or endless sequence is rejected without being read to
    /// its end.
    ///
    /// - Parameter bytes: Exactly 32 bytes.
    public init?(bytes: some Sequence<UInt8>) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let isComplete = withUnsafeMutableBytes(of: &words) { storage -> Bool in
            var count = 0
            for byte in bytes {
                guard count < Self.byteCount else { return false }
                storage[count] = byte
                count += 1
            }
            return count == Self.byteCount
        }
        guard isComplete else { return nil }
        self.init(
            UInt64(bigEndian: words.0),
            UInt64(bigEndian: words.1),
            UInt64(bigEndian: words.2),
            UInt64(bigEndian: words.3)
        )
    }

    /// Creates a digest from its hexadecimal text.
    ///
    /// Each digit may be lowercase or uppercase; nothing else is allowed, not even surrounding whitespace.
    ///
    /// - Parameter hex: Exactly 64 hexadecimal digits.
    public init?(hex: String) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var count = 0
        for character in hex.utf8 {
            guard count < Self.byteCount * 2 else { return nil }
            let value: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = character &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            let nibble = UInt64(value)
            switch count / 16 {
            case 0: words.0 = words.0 &<< 4 | nibble
            case 1: words.1 = words.1 &<< 4 | nibble
            case 2: words.2 = words.2 &<< 4 | nibble
            default: words.3 = words.3 &<< 4 | nibble
            }
            count += 1
        }
        guard count == Self.byteCount * 2 else { return nil }
        self.init(words.0, words.1, words.2, words.3)
    }

    /// The digest's 32 bytes.
    ///
    /// Each read builds a new array; use ``withUnsafeBytes(_:)`` to look at the bytes without allocating.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// The digest as 64 lowercase hexadecimal digits.
    ///
    /// ``init(hex:)`` reads this form back.
    public var hex: String {
        withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: Self.byteCount * 2) { text in
                for (index, byte) in bytes.enumerated() {
                    text[2 * index] = Self.hexDigit(byte &>> 4)
                    text[2 * index + 1] = Self.hexDigit(byte & 0x0f)
                }
                return Self.byteCount * 2
            }
        }
    }

    /// The ASCII code of a lowercase hexadecimal digit.
    ///
    /// - Parameter value: A value from 0 to 15.
    /// - Returns: The code of `0` to `9` or `a` to `f`.
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? value &+ UInt8(ascii: "0") : value &- 10 &+ UInt8(ascii: "a")
    }

    /// The digest as 64 lowercase hexadecimal digits.
    ///
    /// This is ``hex``.
    public var description: String { hex }

    /// Calls a closure with the digest's 32 bytes in order.
    ///
    /// The bytes live on the stack for the duration of the call; do not let the pointer escape.
    ///
    /// - Parameter body: A closure that reads the bytes.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let storage = (word0.bigEndian, word1.bigEndian, word2.bigEndian, word3.bigEndian)
        return try Swift.withUnsafeBytes(of: storage) { try body($0) }
    }

    /// Returns whether the first digest's bytes come before the second's in lexicographic order.
    ///
    /// - Parameters:
    ///   - lhs: A digest.
    ///   - rhs: Another digest.
    /// - Returns: `true` when, at the first byte where they differ, `lhs` has the smaller byte.
    public static func < (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool {
        (lhs.word0, lhs.word1, lhs.word2, lhs.word3) < (rhs.word0, rhs.word1, rhs.word2, rhs.word3)
    }

    /// Decodes a digest from a single string of 64 hexadecimal digits.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.typeMismatch` when the value is not a string, and `DecodingError.dataCorrupted`
    ///   when the string is not 64 hexadecimal digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let digest = SHA256Digest(hex: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "A SHA-256 digest must be 64 hexadecimal digits."
            )
        }
        self = digest
    }

    /// Encodes the digest as a single string of 64 lowercase hexadecimal digits.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: What the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
