import CareCore

/// Where an ``AuditLog`` keeps its entries and checkpoints.
///
/// The log appends only. A store must write a batch of entries all or nothing, keep them in sequence order
/// and return them as written; the durable store comes with `CareStore` (issue 10). The checkpoint key is
/// never given to the store: keep it somewhere a person who can write to the store cannot reach.
public protocol AuditLogStorage: Sendable {
    /// Every entry, in sequence order.
    ///
    /// - Returns: The entries.
    /// - Throws: Any error of the store.
    func loadEntries() throws -> [AuditEntry]

    /// Appends entries, all or nothing.
    ///
    /// - Parameter entries: The entries, in sequence order, continuing the stored ones.
    /// - Throws: Any error of the store, having written nothing.
    func append(_ entries: [AuditEntry]) throws

    /// Appends one entry; by default, as a batch of one.
    ///
    /// - Parameter entry: The entry, continuing the stored ones.
    /// - Throws: Any error of the store, having written nothing.
    func append(_ entry: AuditEntry) throws

    /// Every checkpoint, oldest first.
    ///
    /// - Returns: The checkpoints.
    /// - Throws: Any error of the store.
    func loadCheckpoints() throws -> [AuditCheckpoint]

    /// Appends a checkpoint.
    ///
    /// - Parameter checkpoint: The checkpoint.
    /// - Throws: Any error of the store, having written nothing.
    func append(_ checkpoint: AuditCheckpoint) throws
}

extension AuditLogStorage {
    /// Appends one entry as a batch of one.
    ///
    /// - Parameter entry: The entry.
    /// - Throws: Any error of the store, having written nothing.
    public func append(_ entry: AuditEntry) throws {
        try append([entry])
    }
}

/// An audit store in memory, for tests and examples.
///
/// ``tamper(_:)`` changes the stored entries directly, as someone with write access to a database could;
/// tests and demonstrations use it to show that verification finds the change.
public final class InMemoryAuditLogStorage: AuditLogStorage {
    private let state = Locked<(entries: [AuditEntry], checkpoints: [AuditCheckpoint])>(([], []))

    /// Creates an empty store.
    public init() {}

    /// Every entry.
    ///
    /// - Returns: The entries.
    public func loadEntries() -> [AuditEntry] {
        state.withLock { $0.entries }
    }

    /// Appends entries.
    ///
    /// - Parameter entries: The entries.
    public func append(_ entries: [AuditEntry]) {
        state.withLock { $0.entries.append(contentsOf: entries) }
    }

    /// Appends one entry.
    ///
    /// - Parameter entry: The entry.
    public func append(_ entry: AuditEntry) {
        state.withLock { $0.entries.append(entry) }
    }

    /// Every checkpoint.
    ///
    /// - Returns: The checkpoints.
    public func loadCheckpoints() -> [AuditCheckpoint] {
        state.withLock { $0.checkpoints }
    }

    /// Appends a checkpoint.
    ///
    /// - Parameter checkpoint: The checkpoint.
    public func append(_ checkpoint: AuditCheckpoint) {
        state.withLock { $0.checkpoints.append(checkpoint) }
    }

    /// Changes the stored entries and checkpoints behind the log's back.
    ///
    /// - Parameter change: The change, given the entries and the checkpoints.
    public func tamper(_ change: (inout [AuditEntry], inout [AuditCheckpoint]) -> Void) {
        state.withLock { stored in
            change(&stored.entries, &stored.checkpoints)
        }
    }
}
