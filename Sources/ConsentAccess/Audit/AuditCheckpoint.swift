public import CareCore
public import Foundation

/// A signed statement of the log's first `size` entries: the RFC 6962 Merkle root of their hashes,
/// authenticated with HMAC-SHA256 under a key kept outside the log's storage.
///
/// The hash chain alone shows a change made by someone who does not rebuild it; someone who can write to the
/// database could recompute every hash after a change. A checkpoint closes that gap: without the key, no one
/// can make a checkpoint that matches a rewritten log, so verification with the key finds the rewrite in
/// the entries the first failing checkpoint covers. Each leaf is `SHA256(0x00 || entry hash)` (RFC 6962 §2.1).
public struct AuditCheckpoint: Hashable, Sendable, Codable {
    /// How many entries, from the first, the checkpoint covers.
    public let size: UInt64
    /// The Merkle root of their hashes.
    public let root: SHA256Digest
    /// When it was made.
    public let recorded: Date
    /// HMAC-SHA256 of the size, the root and the time under the checkpoint key.
    public let authenticationCode: SHA256Digest

    /// Creates a checkpoint as read back from storage.
    ///
    /// - Parameters:
    ///   - size: How many entries it covers.
    ///   - root: Their Merkle root.
    ///   - recorded: When it was made.
    ///   - authenticationCode: The HMAC.
    public init(size: UInt64, root: SHA256Digest, recorded: Date, authenticationCode: SHA256Digest) {
        self.size = size
        self.root = root
        self.recorded = recorded
        self.authenticationCode = authenticationCode
    }

    /// Makes and authenticates a checkpoint.
    ///
    /// - Parameters:
    ///   - size: How many entries it covers.
    ///   - root: Their Merkle root.
    ///   - recorded: When it was made.
    ///   - key: The checkpoint key.
    public init(size: UInt64, root: SHA256Digest, recorded: Date, key: AuditCheckpointKey) {
        self.size = size
        self.root = root
        self.recorded = recorded
        self.authenticationCode = Self.code(size: size, root: root, recorded: recorded, key: key)
    }

    /// Whether the checkpoint was made with a key.
    ///
    /// - Parameter key: The checkpoint key.
    /// - Returns: `true` when the authentication code matches.
    public func isAuthentic(under key: AuditCheckpointKey) -> Bool {
        HMACSHA256.isValid(
            authenticationCode,
            equalTo: Self.code(size: size, root: root, recorded: recorded, key: key)
        )
    }

    private static func code(size: UInt64, root: SHA256Digest, recorded: Date, key: AuditCheckpointKey) -> SHA256Digest
    {
        var message: [UInt8] = Array("IntegratedCareKit audit checkpoint v1".utf8)
        let milliseconds = UInt64(bitPattern: AuditEncoder.milliseconds(recorded))
        for value in [size, milliseconds] {
            for shift in stride(from: 56, through: 0, by: -8) {
                message.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            }
        }
        message += root.bytes
        return HMACSHA256.authenticationCode(for: message, key: key.bytes.value)
    }
}

/// The secret key that authenticates audit checkpoints: at least 32 bytes, never stored with the log and
/// never printed.
public struct AuditCheckpointKey: Sendable, CustomStringConvertible {
    /// The key's bytes, hidden from printing.
    public let bytes: Redacted<[UInt8]>

    /// Creates a key.
    ///
    /// - Parameter bytes: The key; at least 32 bytes from a secure random source.
    /// - Throws: ``ConsentAccessError`` with code `invalidValue` for a key shorter than 32 bytes.
    public init(_ bytes: [UInt8]) throws(ConsentAccessError) {
        guard bytes.count >= 32 else {
            throw ConsentAccessError(
                .invalidValue,
                field: FieldPath("key"),
                reason: "a checkpoint key needs at least 32 bytes"
            )
        }
        self.bytes = Redacted(bytes)
    }

    /// Generates a key from a random number generator.
    ///
    /// - Parameter generator: The source of randomness; a system generator in production.
    /// - Returns: A 32-byte key.
    public static func random(using generator: inout some RandomNumberGenerator) -> AuditCheckpointKey {
        var bytes: [UInt8] = []
        for _ in 0..<4 {
            let word = generator.next()
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return AuditCheckpointKey(unchecked: bytes)
    }

    private init(unchecked bytes: [UInt8]) {
        self.bytes = Redacted(bytes)
    }

    /// A fixed text that never shows the key.
    public var description: String { "AuditCheckpointKey(<redacted>)" }
}
