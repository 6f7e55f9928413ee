public import CareCore
import Foundation

/// The append-only, hash-chained audit log of every access decision, break-glass grant and alert review.
///
/// Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical bytes; checkpoints
/// add RFC 6962 Merkle roots authenticated with HMAC-SHA256 under a key held outside the storage.
/// ``verify(entries:checkpoints:key:)`` names the first altered, removed or reordered entry, and finds a
/// rewritten chain through the first checkpoint that no longer matches.
///
/// The log writes to its ``AuditLogStorage`` before it changes its own state, so a failed write leaves both
/// as they were and the caller learns of it: an access that cannot be audited should not go ahead. Appends
/// are serialised by a lock held across the write, so sequence numbers and the chain follow the order of
/// writes, and the log can be shared by any number of tasks without an `await`.
///
/// ```swift
/// let log = try AuditLog(storage: InMemoryAuditLogStorage(), clock: clock)
/// let entry = try log.append(AuditRecord(request, decision))
/// let report = AuditLog.verify(entries: try storage.loadEntries(), checkpoints: [], key: nil)
/// ```
public final class AuditLog: Sendable {
    /// The hash that the first entry chains to: SHA-256 of the text `IntegratedCareKit audit log v1`.
    public static let genesisHash = SHA256.hash(Array("IntegratedCareKit audit log v1".utf8))

    /// The log keeps only the chain's head and count in memory; entries live in the storage.
    private struct State {
        var count: UInt64
        var head: SHA256Digest
        var leafHashes: [SHA256Digest] = []
        var encoder = AuditEncoder()
    }

    private let storage: any AuditLogStorage
    private let clock: any WallClock
    private let state: Locked<State>

    /// Opens a log over a store, continuing its entries.
    ///
    /// - Parameters:
    ///   - storage: Where entries are kept.
    ///   - clock: The source of entry times.
    /// - Throws: ``ConsentAccessError`` with code `storageFailure` when the store cannot be read.
    public init(storage: any AuditLogStorage, clock: any WallClock) throws(ConsentAccessError) {
        self.storage = storage
        self.clock = clock
        let stored = try Self.storing("the audit log could not be read") { try storage.loadEntries() }
        state = Locked(State(count: UInt64(stored.count), head: stored.last?.hash ?? Self.genesisHash))
    }

    /// How many entries the log holds.
    public var count: Int { Int(state.withLock { $0.count }) }

    /// The hash of the latest entry, or ``genesisHash`` for an empty log.
    public var head: SHA256Digest { state.withLock { $0.head } }

    /// Every entry, in sequence order, read from the storage.
    ///
    /// - Returns: The entries.
    /// - Throws: ``ConsentAccessError`` with code `storageFailure` when the store cannot be read.
    public func allEntries() throws(ConsentAccessError) -> [AuditEntry] {
        try load()
    }

    /// Appends one record.
    ///
    /// - Parameter record: What to record.
    /// - Returns: The entry, numbered, timed and chained.
    /// - Throws: ``ConsentAccessError`` with code `storageFailure` when the store fails; nothing is appended.
    @discardableResult
    public func append(_ record: AuditRecord) throws(ConsentAccessError) -> AuditEntry {
        let now = Self.truncatedToMilliseconds(clock.now())
        return try state.withLock { (state) throws(ConsentAccessError) -> AuditEntry in
            let entry = Self.chain(
                record,
                sequence: state.count,
                recorded: now,
                previous: state.head,
                encoder: &state.encoder
            )
            try Self.storing("the audit entry could not be written") { try storage.append(entry) }
            state.count += 1
            state.head = entry.hash
            return entry
        }
    }

    /// Appends records in one write, all or nothing.
    ///
    /// - Parameter records: What to record, in order.
    /// - Returns: The entries.
    /// - Throws: ``ConsentAccessError`` with code `storageFailure` when the store fails; nothing is appended.
    @discardableResult
    public func append(contentsOf records: [AuditRecord]) throws(ConsentAccessError) -> [AuditEntry] {
        let now = Self.truncatedToMilliseconds(clock.now())
        return try state.withLock { (state) throws(ConsentAccessError) -> [AuditEntry] in
            var previous = state.head
            var sequence = state.count
            var made: [AuditEntry] = []
            made.reserveCapacity(records.count)
            for record in records {
                let entry = Self.chain(
                    record,
                    sequence: sequence,
                    recorded: now,
                    previous: previous,
                    encoder: &state.encoder
                )
                made.append(entry)
                previous = entry.hash
                sequence += 1
            }
            try Self.storing("the audit entry could not be written") { try storage.append(made) }
            state.count = sequence
            state.head = previous
            return made
        }
    }

    /// Makes, stores and returns a checkpoint of every entry so far, after checking that the entries written
    /// since the last checkpoint are still the ones this log wrote; the first checkpoint after opening
    /// first verifies the stored entries against the stored checkpoints.
    ///
    /// - Parameter key: The checkpoint key, held outside the storage.
    /// - Returns: The checkpoint.
    /// - Throws: ``ConsentAccessError`` with code `storageFailure` when the store fails or its entries no
    ///   longer match the log.
    /// - Complexity: O(*n*) hashing for the *n* entries since the last checkpoint, plus O(*N*) to fold the
    ///   tree's *N* leaf hashes.
    @discardableResult
    public func checkpoint(key: AuditCheckpointKey) throws(ConsentAccessError) -> AuditCheckpoint {
        let now = Self.truncatedToMilliseconds(clock.now())
        return try state.withLock { (state) throws(ConsentAccessError) -> AuditCheckpoint in
            if state.leafHashes.count < Int(state.count) {
                let entries = try load()
                // The first checkpoint since opening signs the whole stored log, so the log the stored
                // checkpoints describe must verify first: never sign over a rewritten history.
                if state.leafHashes.isEmpty {
                    let checkpoints = try Self.storing("the audit log could not be read") {
                        try storage.loadCheckpoints()
                    }
                    guard Self.verify(entries: entries, checkpoints: checkpoints, key: key).isIntact else {
                        throw ConsentAccessError(
                            .storageFailure,
                            field: FieldPath("auditLog"),
                            reason:
                                "the stored entries do not verify against the stored checkpoints; verify the storage"
                        )
                    }
                }
                // Sign only what this log wrote: the new entries must chain from the last signed one to the
                // head the log holds, or someone changed the storage since.
                var intact = entries.count == Int(state.count) && entries.last?.hash == state.head
                if intact {
                    var previous =
                        state.leafHashes.isEmpty ? Self.genesisHash : entries[state.leafHashes.count - 1].hash
                    for entry in entries[state.leafHashes.count...] {
                        intact = intact && entry.previousHash == previous && entry.computedHash == entry.hash
                        previous = entry.hash
                    }
                }
                guard intact else {
                    throw ConsentAccessError(
                        .storageFailure,
                        field: FieldPath("auditLog"),
                        reason: "the stored entries do not match the log; verify the storage"
                    )
                }
                for entry in entries[state.leafHashes.count...] { state.leafHashes.append(Self.leafHash(entry)) }
            }
            let checkpoint = AuditCheckpoint(
                size: state.count,
                root: MerkleTree.root(ofLeafHashes: state.leafHashes),
                recorded: now,
                key: key
            )
            try Self.storing("the checkpoint could not be written") { try storage.append(checkpoint) }
            return checkpoint
        }
    }

    /// The entries about one patient's record, oldest first: who reached it, when and why.
    ///
    /// - Parameter patient: The patient.
    /// - Returns: The entries.
    /// - Throws: ``ConsentAccessError`` with code `storageFailure` when the store cannot be read.
    public func entries(about patient: Access.PatientID) throws(ConsentAccessError) -> [AuditEntry] {
        try load().filter { $0.patient == patient }
    }

    // MARK: Verification

    /// Checks entries and checkpoints read from storage.
    ///
    /// Entries are checked in order: each must carry the next sequence number (when the expected entry is
    /// nowhere in the list it was removed; otherwise entries were reordered), its hash must match its content and previous
    /// hash (else it was altered), and its previous hash must match the stored hash before it (else that
    /// entry was altered and re-hashed). With the key, each checkpoint must be authentic, must not cover
    /// more entries than remain, and its Merkle root must match them; the first that does not shows the log
    /// was rewritten in the entries it covers beyond the last good checkpoint.
    ///
    /// - Parameters:
    ///   - entries: The entries, as stored.
    ///   - checkpoints: The checkpoints, as stored.
    ///   - key: The checkpoint key; without it checkpoints are not checked.
    /// - Returns: The first problem, or that the log is intact.
    public static func verify(
        entries: [AuditEntry],
        checkpoints: [AuditCheckpoint],
        key: AuditCheckpointKey?
    ) -> AuditVerification {
        var previous = genesisHash
        let present = Set(entries.map(\.sequence))
        for (position, entry) in entries.enumerated() {
            let expected = UInt64(position)
            // An entry whose own hash does not match was altered, whatever its sequence number now says;
            // only an intact entry can be out of place.
            if entry.computedHash != entry.hash { return .broken(.altered(sequence: expected)) }
            if entry.sequence > expected {
                // The expected entry is missing here: moved further down, or gone.
                if present.contains(expected) {
                    return .broken(.reordered(sequence: entry.sequence, position: position))
                }
                return .broken(.removed(sequence: expected))
            }
            if entry.sequence < expected { return .broken(.reordered(sequence: entry.sequence, position: position)) }
            if entry.previousHash != previous { return .broken(.altered(sequence: expected == 0 ? 0 : expected - 1)) }
            previous = entry.hash
        }
        guard let key else { return .intact(entries: entries.count, checkpoints: 0) }
        let leaves = entries.map(leafHash)
        var lastGood: UInt64 = 0
        for checkpoint in checkpoints.sorted(by: { $0.size < $1.size }) {
            guard checkpoint.isAuthentic(under: key) else { return .broken(.forgedCheckpoint(size: checkpoint.size)) }
            guard checkpoint.size <= UInt64(entries.count) else {
                return .broken(.truncated(checkpointSize: checkpoint.size, entries: UInt64(entries.count)))
            }
            let root = MerkleTree.root(ofLeafHashes: leaves[0..<Int(checkpoint.size)])
            guard root == checkpoint.root else {
                return .broken(.rewritten(after: lastGood, upTo: checkpoint.size))
            }
            lastGood = checkpoint.size
        }
        return .intact(entries: entries.count, checkpoints: checkpoints.count)
    }

    /// Checks the log's own storage.
    ///
    /// - Parameter key: The checkpoint key; without it checkpoints are not checked.
    /// - Returns: The first problem, or that the log is intact.
    /// - Throws: ``ConsentAccessError`` with code `storageFailure` when the store cannot be read.
    public func verifyStorage(key: AuditCheckpointKey?) throws(ConsentAccessError) -> AuditVerification {
        let checkpoints = try Self.storing("the audit log could not be read") { try storage.loadCheckpoints() }
        return Self.verify(entries: try load(), checkpoints: checkpoints, key: key)
    }

    // MARK: Pieces

    /// Runs a storage call, reporting its failure as `storageFailure` with a fixed reason.
    private static func storing<Result>(
        _ failure: String,
        _ body: () throws -> Result
    ) throws(ConsentAccessError) -> Result {
        do {
            return try body()
        } catch {
            throw ConsentAccessError(.storageFailure, field: FieldPath("auditLog"), reason: failure)
        }
    }

    private func load() throws(ConsentAccessError) -> [AuditEntry] {
        try Self.storing("the audit log could not be read") { try storage.loadEntries() }
    }

    static func chain(
        _ record: AuditRecord,
        sequence: UInt64,
        recorded: Date,
        previous: SHA256Digest,
        encoder: inout AuditEncoder
    ) -> AuditEntry {
        encoder.reset()
        encoder.encode(sequence: sequence, recorded: recorded, record: record)
        return AuditEntry(
            sequence: sequence,
            recorded: recorded,
            record: record,
            previousHash: previous,
            hash: encoder.hash(after: previous)
        )
    }

    static func leafHash(_ entry: AuditEntry) -> SHA256Digest {
        entry.hash.withUnsafeBytes { MerkleTree.leafHash($0) }
    }

    static func truncatedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(AuditEncoder.milliseconds(date)) / 1000)
    }
}

/// The outcome of checking an audit log.
public enum AuditVerification: Hashable, Sendable, CustomStringConvertible {
    /// Every entry and checkpoint checked out.
    case intact(entries: Int, checkpoints: Int)
    /// The first problem found.
    case broken(AuditProblem)

    /// Whether the log checked out.
    public var isIntact: Bool {
        if case .intact = self { return true }
        return false
    }

    /// The outcome in one line.
    public var description: String {
        switch self {
        case .intact(let entries, let checkpoints):
            return "intact: \(entries) entries, \(checkpoints) checkpoints verified"
        case .broken(let problem):
            return "broken: \(problem)"
        }
    }
}

/// What verification found wrong with an audit log.
public enum AuditProblem: Hashable, Sendable, CustomStringConvertible {
    /// The entry with this sequence number was changed.
    case altered(sequence: UInt64)
    /// The entry with this sequence number is missing.
    case removed(sequence: UInt64)
    /// The entry with this sequence number appears at the wrong position.
    case reordered(sequence: UInt64, position: Int)
    /// A checkpoint's authentication code does not match: it was not made with the key.
    case forgedCheckpoint(size: UInt64)
    /// A checkpoint covers more entries than the log holds: entries were removed from the end.
    case truncated(checkpointSize: UInt64, entries: UInt64)
    /// The chain was rebuilt: entries from `after` up to `upTo` (exclusive) no longer match a checkpoint.
    case rewritten(after: UInt64, upTo: UInt64)

    /// The problem in one line.
    public var description: String {
        switch self {
        case .altered(let sequence): return "entry \(sequence) was altered"
        case .removed(let sequence): return "entry \(sequence) was removed"
        case .reordered(let sequence, let position): return "entry \(sequence) was moved to position \(position)"
        case .forgedCheckpoint(let size): return "the checkpoint of \(size) entries is not authentic"
        case .truncated(let size, let count): return "a checkpoint covers \(size) entries but only \(count) remain"
        case .rewritten(let after, let upTo): return "entries \(after) to \(upTo - 1) were rewritten after a checkpoint"
        }
    }
}
