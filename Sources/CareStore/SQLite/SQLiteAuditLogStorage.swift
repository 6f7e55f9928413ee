import CareCore
public import ConsentAccess
public import FHIREncoding
public import Foundation
import Synchronization

/// The audit log's durable storage: a SQLite database of its own that keeps each entry as the UK Core
/// AuditEvent the suite writes for it, and each checkpoint, so that `AuditLog` continues its
/// chain after a restart.
///
/// The storage appends only and never checks what it reads: a row changed behind the log's back is
/// returned as it now stands, so that `AuditLog.verify(entries:checkpoints:key:)` names it (an altered entry
/// by its sequence number, a removed or reordered one, a rewritten chain by the checkpoint that no longer
/// matches). A row that can no longer be read as an AuditEvent at all is refused with `corrupt`, naming it.
///
/// Writes wait for the disk by default (`synchronous=FULL`): an access the log has recorded must still be
/// recorded after a power cut. The file is owner-only, as the resource store's is. One process writes a
/// log: a second writing the same file is refused (`alreadyExists`) at the first sequence number they share.
///
/// What the chain cannot show: the checkpoints live in the same file, so someone who can write it can
/// remove or rewrite the entries after the last checkpoint, with that checkpoint's successors, and the
/// rest still verifies. Checkpoint often, and keep the latest checkpoint's size and root somewhere the
/// file's writers cannot reach (another system's log, a printed digest) to compare against.
///
/// ```swift
/// let storage = try SQLiteAuditLogStorage(file: folder.appendingPathComponent("audit.sqlite"))
/// let log = try AuditLog(storage: storage, clock: clock)
/// let report = try log.verifyStorage(key: checkpointKey)   // after a restart too
/// ```
public final class SQLiteAuditLogStorage: AuditLogStorage {
    /// The schema, one step per version.
    private static let migrations = [
        """
        CREATE TABLE audit_entries (sequence INTEGER PRIMARY KEY, event BLOB NOT NULL);
        CREATE TABLE audit_checkpoints (position INTEGER PRIMARY KEY, checkpoint BLOB NOT NULL);
        """
    ]

    /// CareCore's lock rather than `Synchronization.Mutex`, which ThreadSanitizer misreads on Linux.
    private let connection: Locked<SQLiteConnection>
    private let observer: R4.Reference

    /// Opens the storage, creating the file owner-only when it does not exist.
    ///
    /// - Parameters:
    ///   - file: The database file; keep it apart from the resource store's.
    ///   - options: How to open it; by default `synchronous=FULL`.
    ///   - observer: The system that recorded the entries, written as each AuditEvent's `source.observer`.
    /// - Throws: ``CareStoreError``: `io` when the file cannot be created or opened; `corrupt` when it is not
    ///   a database or was written by a newer schema; `readOnly`; `busy`.
    public init(
        file: URL,
        options: SQLiteResourceStore.Options = .init(synchronous: .full),
        observer: R4.Reference = R4.Reference(display: "IntegratedCareKit access decision point")
    ) throws(CareStoreError) {
        connection = Locked(try SQLiteConnection.opening(file: file, options: options, migrations: Self.migrations))
        self.observer = observer
    }

    /// Every entry, in sequence order, as stored.
    ///
    /// - Returns: The entries.
    /// - Throws: ``CareStoreError`` with code `corrupt` naming the row (`auditEntries[sequence]`) when one can
    ///   no longer be read as an audit entry; `busy` or `io` from SQLite.
    public func loadEntries() throws(CareStoreError) -> [AuditEntry] {
        try connection.withLock { (connection) throws(CareStoreError) -> [AuditEntry] in
            defer { connection.finish() }
            let statement = try connection.statement("SELECT sequence, event FROM audit_entries ORDER BY sequence")
            var entries: [AuditEntry] = []
            while try statement.step(doing: "reading the audit log") {
                let row = FieldPath("auditEntries").appending(index: Int(statement.integer(0)))
                do {
                    let event = try FHIRDecoder().decode(R4.AuditEvent.self, from: statement.blob(1))
                    entries.append(try AuditEntry(fhir: event, verifyingHash: false))
                } catch {
                    throw CareStoreError(
                        .corrupt,
                        field: row,
                        reason: "the audit entry can no longer be read: it was changed outside the log"
                    )
                }
            }
            return entries
        }
    }

    /// Appends entries in one transaction, all or nothing.
    ///
    /// - Parameter entries: The entries, in sequence order, continuing the stored ones.
    /// - Throws: ``CareStoreError``: `alreadyExists` when a sequence number is taken; `invalidRequest` when
    ///   an entry cannot be written as an AuditEvent; `busy`, `full`, `readOnly` or `io` from SQLite. Nothing
    ///   is written.
    public func append(_ entries: [AuditEntry]) throws(CareStoreError) {
        var rows: [(sequence: Int64, json: [UInt8])] = []
        rows.reserveCapacity(entries.count)
        for entry in entries {
            guard let sequence = Int64(exactly: entry.sequence) else {
                throw CareStoreError(.invalidRequest, reason: "an audit sequence number beyond what SQLite holds")
            }
            do {
                rows.append((sequence, try FHIREncoder().encode(try R4.AuditEvent(entry, observer: observer))))
            } catch {
                throw CareStoreError(
                    .invalidRequest,
                    field: FieldPath("entries").appending(index: rows.count),
                    reason: "the audit entry cannot be written as an AuditEvent"
                )
            }
        }
        try connection.withLock { (connection) throws(CareStoreError) in
            try connection.writing { () throws(CareStoreError) in
                for row in rows {
                    let insert = try connection.statement("INSERT INTO audit_entries (sequence, event) VALUES (?, ?)")
                    insert.bind(.integer(row.sequence), .blob(row.json))
                    try insert.run(
                        doing: "writing an audit entry",
                        onConstraint: CareStoreError(
                            .alreadyExists,
                            field: FieldPath("auditEntries").appending(index: Int(row.sequence)),
                            reason: "the audit log already has an entry with this sequence number"
                        )
                    )
                }
            }
        }
    }

    /// Every checkpoint, oldest first.
    ///
    /// - Returns: The checkpoints.
    /// - Throws: ``CareStoreError`` with code `corrupt` naming the row when one cannot be read; `busy` or
    ///   `io` from SQLite.
    public func loadCheckpoints() throws(CareStoreError) -> [AuditCheckpoint] {
        try connection.withLock { (connection) throws(CareStoreError) -> [AuditCheckpoint] in
            defer { connection.finish() }
            let statement = try connection.statement(
                "SELECT position, checkpoint FROM audit_checkpoints ORDER BY position"
            )
            var checkpoints: [AuditCheckpoint] = []
            while try statement.step(doing: "reading the audit checkpoints") {
                do {
                    checkpoints.append(try JSONDecoder().decode(AuditCheckpoint.self, from: Data(statement.blob(1))))
                } catch {
                    throw CareStoreError(
                        .corrupt,
                        field: FieldPath("auditCheckpoints").appending(index: Int(statement.integer(0))),
                        reason: "the audit checkpoint can no longer be read: it was changed outside the log"
                    )
                }
            }
            return checkpoints
        }
    }

    /// Appends a checkpoint.
    ///
    /// - Parameter checkpoint: The checkpoint.
    /// - Throws: ``CareStoreError``: `busy`, `full`, `readOnly` or `io` from SQLite; nothing is written.
    public func append(_ checkpoint: AuditCheckpoint) throws(CareStoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json: Data
        do {
            json = try encoder.encode(checkpoint)
        } catch {
            throw CareStoreError(.invalidRequest, reason: "the audit checkpoint cannot be written")
        }
        try connection.withLock { (connection) throws(CareStoreError) in
            try connection.writing { () throws(CareStoreError) in
                // The key takes the next position after the highest, whatever rows are missing.
                let insert = try connection.statement("INSERT INTO audit_checkpoints (checkpoint) VALUES (?)")
                insert.bind(.blob(Array(json)))
                try insert.run(doing: "writing an audit checkpoint")
            }
        }
    }
}
