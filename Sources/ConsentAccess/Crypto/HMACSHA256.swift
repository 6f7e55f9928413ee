/// HMAC-SHA256, the keyed-hash message authentication code of RFC 2104 and FIPS 198-1 over ``SHA256``.
///
/// The code is `SHA256((K ^ opad) || SHA256((K ^ ipad) || message))`, where `K` is the key padded with zeros
/// to 64 bytes, or the key's SHA-256 digest padded so when the key is longer than 64 bytes. The tests check
/// the seven cases of RFC 4231.
///
/// Creating an authenticator hashes one block for each of the two padded keys. To authenticate many messages
/// with one key, create the authenticator once and copy it for each message: it is a value of fixed size, and
/// neither copying nor hashing allocates.
public struct HMACSHA256: Sendable {
    /// The inner hash, which has absorbed `K ^ ipad` and then the message so far.
    @usableFromInline
    internal var inner: SHA256
    /// The outer hash, which has absorbed `K ^ opad`.
    private var outer: SHA256

    /// Creates an authenticator for a key.
    ///
    /// Keys longer than the 64-byte block are replaced by their SHA-256 digest, as RFC 2104 §2 requires.
    /// RFC 2104 recommends keys of at least 32 bytes for this hash.
    ///
    /// - Parameter key: The secret key, of any length.
    public init<Key: Sequence>(key: Key) where Key.Element == UInt8 {
        var block: SHA256.Block = (0, 0, 0, 0, 0, 0, 0, 0)
        var longKey = SHA256()
        var count = 0
        withUnsafeMutableBytes(of: &block) { blockBytes in
            for byte in key {
                if count < SHA256.blockByteCount {
                    blockBytes[count] = byte
                } else {
                    if count == SHA256.blockByteCount {
                        longKey.update(UnsafeRawBufferPointer(blockBytes))
                    }
                    Swift.withUnsafeBytes(of: byte) { longKey.update($0) }
                }
                count += 1
            }
        }
        if count > SHA256.blockByteCount {
            let digest = longKey.finalize()
            block = (
                digest.word0.bigEndian, digest.word1.bigEndian, digest.word2.bigEndian, digest.word3.bigEndian,
                0, 0, 0, 0
            )
        }
        inner = Self.hasher(absorbing: block, xoredWith: 0x3636_3636_3636_3636)
        outer = Self.hasher(absorbing: block, xoredWith: 0x5c5c_5c5c_5c5c_5c5c)
    }

    /// Returns a new hasher that has absorbed the padded key XORed with a repeated byte.
    ///
    /// - Parameters:
    ///   - block: The key padded with zeros to one block.
    ///   - pad: The pad byte repeated eight times.
    /// - Returns: A hasher with one block absorbed.
    private static func hasher(absorbing block: SHA256.Block, xoredWith pad: UInt64) -> SHA256 {
        let padded: SHA256.Block = (
            block.0 ^ pad, block.1 ^ pad, block.2 ^ pad, block.3 ^ pad,
            block.4 ^ pad, block.5 ^ pad, block.6 ^ pad, block.7 ^ pad
        )
        var hasher = SHA256()
        withUnsafeBytes(of: padded) { hasher.update($0) }
        return hasher
    }

    /// Absorbs the next bytes of the message.
    ///
    /// Contiguous collections are read in place, as ``SHA256/update(_:)-(Bytes)`` reads them.
    ///
    /// - Parameter bytes: The bytes that follow those absorbed so far.
    @inlinable
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        inner.update(bytes)
    }

    /// Returns the authentication code of all the bytes absorbed.
    ///
    /// The authenticator is consumed; copy it first to authenticate other messages with the same key.
    ///
    /// - Returns: The 32-byte authentication code.
    public consuming func finalize() -> SHA256Digest {
        let innerDigest = inner.finalize()
        var outerHasher = outer
        innerDigest.withUnsafeBytes { outerHasher.update($0) }
        return outerHasher.finalize()
    }

    /// Returns the authentication code of a whole message under a key.
    ///
    /// This is the same as creating an authenticator for `key`, absorbing `bytes` and finalizing it.
    ///
    /// - Parameters:
    ///   - bytes: The message.
    ///   - key: The secret key, of any length.
    /// - Returns: The 32-byte authentication code.
    @inlinable
    public static func authenticationCode<Bytes: Sequence, Key: Sequence>(
        for bytes: Bytes,
        key: Key
    ) -> SHA256Digest where Bytes.Element == UInt8, Key.Element == UInt8 {
        var authenticator = HMACSHA256(key: key)
        authenticator.update(bytes)
        return authenticator.finalize()
    }

    /// Compares two codes in time that does not depend on where they differ.
    ///
    /// Use this, never `==`, to check a received code against the one computed for the message: an equality
    /// test that stops at the first differing byte tells an attacker, by its timing, how much of a forged code
    /// is right. This one combines all 32 bytes with XOR and OR and tests the result once.
    ///
    /// - Parameters:
    ///   - code: The code received with the message.
    ///   - expected: The code computed for the message with the shared key.
    /// - Returns: `true` when the two codes are equal.
    public static func isValid(_ code: SHA256Digest, equalTo expected: SHA256Digest) -> Bool {
        let difference =
            (code.word0 ^ expected.word0) | (code.word1 ^ expected.word1) | (code.word2 ^ expected.word2)
            | (code.word3 ^ expected.word3)
        return difference == 0
    }
}
