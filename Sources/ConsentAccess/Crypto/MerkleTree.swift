/// RFC 6962 (Certificate Transparency) Merkle tree hashing over ``SHA256``.
///
/// RFC 6962 §2.1 defines the Merkle Tree Hash (MTH) of a list of n entries: the hash of no entries is SHA-256
/// of the empty string; the hash of one entry is the leaf hash `SHA256(0x00 || entry)`; and the hash of more
/// entries is the node hash `SHA256(0x01 || MTH(first k) || MTH(rest))`, where k is the largest power of two
/// smaller than n. The different prefixes for leaves and nodes keep a leaf from passing for an inner node.
///
/// The roots here are computed in one pass, left to right, in O(n) time, keeping at most one pending subtree
/// per bit of n on the stack, and never allocate.
public enum MerkleTree: Sendable {
    /// Returns the hash of one leaf, `SHA256(0x00 || data)`.
    ///
    /// RFC 6962 §2.1 prefixes leaf data with a zero byte so that no leaf hash equals a node hash.
    ///
    /// - Parameter data: The leaf's entry.
    /// - Returns: The leaf hash.
    public static func leafHash<Bytes: Sequence>(_ data: Bytes) -> SHA256Digest where Bytes.Element == UInt8 {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0x00)) { hasher.update($0) }
        hasher.update(data)
        return hasher.finalize()
    }

    /// Returns the hash of an inner node, `SHA256(0x01 || left || right)`.
    ///
    /// RFC 6962 §2.1 prefixes the two child hashes with a one byte.
    ///
    /// - Parameters:
    ///   - left: The hash of the left subtree.
    ///   - right: The hash of the right subtree.
    /// - Returns: The node hash.
    public static func nodeHash(_ left: SHA256Digest, _ right: SHA256Digest) -> SHA256Digest {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0x01)) { hasher.update($0) }
        left.withUnsafeBytes { hasher.update($0) }
        right.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }

    /// The root of the tree over leaf hashes already computed (MTH of RFC 6962 §2.1); the empty tree's root is
    /// SHA256 of nothing.
    ///
    /// Each element must be a leaf hash from ``leafHash(_:)``, not raw data. The result equals the recursive
    /// definition with k the largest power of two smaller than n.
    ///
    /// - Parameter leaves: The leaf hashes in order.
    /// - Returns: The Merkle Tree Hash.
    public static func root(ofLeafHashes leaves: some Collection<SHA256Digest>) -> SHA256Digest {
        rootOfSequence(leaves)
    }

    /// The root of the tree over leaf entries, each hashed with ``leafHash(_:)`` first.
    ///
    /// The leaves are read once, in order, and each leaf hash is folded in as soon as it is computed, so the
    /// sequence may be lazy and need not be a collection.
    ///
    /// - Parameter leaves: The leaf entries in order.
    /// - Returns: The Merkle Tree Hash.
    public static func root<Leaf: Sequence>(
        ofLeaves leaves: some Sequence<Leaf>
    ) -> SHA256Digest where Leaf.Element == UInt8 {
        rootOfSequence(leaves.lazy.map { leafHash($0) })
    }

    /// Folds leaf hashes into the Merkle Tree Hash with a stack of perfect subtrees.
    ///
    /// After `count` leaves the stack holds the roots of perfect subtrees whose sizes are the set bits of
    /// `count`, largest first; a new leaf merges with as many of them as `count + 1` has trailing zero bits.
    /// At the end the subtrees are joined right to left, which gives every left subtree the largest power of
    /// two smaller than its parent's size, as RFC 6962 §2.1 requires.
    ///
    /// - Parameter hashes: The leaf hashes in order.
    /// - Returns: The Merkle Tree Hash.
    private static func rootOfSequence(_ hashes: some Sequence<SHA256Digest>) -> SHA256Digest {
        withUnsafeTemporaryAllocation(of: SHA256Digest.self, capacity: Int.bitWidth + 1) { stack in
            var depth = 0
            var count = 0
            for hash in hashes {
                stack.initializeElement(at: depth, to: hash)
                depth += 1
                count += 1
                var merges = count
                while merges & 1 == 0 {
                    stack[depth - 2] = nodeHash(stack[depth - 2], stack[depth - 1])
                    depth -= 1
                    merges >>= 1
                }
            }
            guard depth > 0 else {
                return SHA256().finalize()
            }
            var root = stack[depth - 1]
            var index = depth - 2
            while index >= 0 {
                root = nodeHash(stack[index], root)
                index -= 1
            }
            return root
        }
    }
}
