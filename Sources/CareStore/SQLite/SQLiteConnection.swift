import CSQLite
import CareCore
import Foundation

/// SQLite's destructor constant that makes it copy bound text and blobs (`SQLITE_TRANSIENT`, a macro Swift
/// does not import).
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection with its prepared statements. Not thread-safe: its owner (an actor) serialises
/// every use.
final class SQLiteConnection {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    /// Statements handed out since the last ``finish()``: a statement left mid-way keeps a read
    /// transaction open, whose old snapshot would make the next write fail at once with busy.
    private var active: [OpaquePointer] = []

    /// Opens a database file, creating it owner-only (0600) when it does not exist.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - readOnly: Whether to open it for reading only.
    ///   - busyTimeout: How long to wait for another connection's lock, in milliseconds.
    /// - Throws: ``CareStoreError``: `io` when it cannot be created or opened; `readOnly`.
    init(path: String, readOnly: Bool, busyTimeout: Int32) throws(CareStoreError) {
        if !readOnly, !FileManager.default.fileExists(atPath: path) {
            // SQLite gives its -wal and -shm files the database file's permissions, so they are owner-only too.
            guard
                FileManager.default.createFile(
                    atPath: path,
                    contents: nil,
                    attributes: [.posixPermissions: 0o600]
                )
            else {
                throw CareStoreError(.io, reason: "the database file could not be created")
            }
        }
        var opened: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            if let opened { sqlite3_close_v2(opened) }
            throw Self.error(code, doing: "opening the database")
        }
        handle = opened
        sqlite3_busy_timeout(handle, busyTimeout)
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs statements that bind nothing and return nothing, such as a migration or a pragma.
    func execute(_ sql: String) throws(CareStoreError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw Self.error(code, doing: "running a statement") }
    }

    /// The cached prepared statement for some SQL, reset and with its bindings cleared.
    func statement(_ sql: String) throws(CareStoreError) -> SQLiteStatement {
        if let cached = statements[sql] {
            sqlite3_reset(cached)
            sqlite3_clear_bindings(cached)
            active.append(cached)
            return SQLiteStatement(handle: cached, connection: self)
        }
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard code == SQLITE_OK, let prepared else { throw Self.error(code, doing: "preparing a statement") }
        statements[sql] = prepared
        active.append(prepared)
        return SQLiteStatement(handle: prepared, connection: self)
    }

    /// Resets every statement handed out since the last call, ending any read they hold open. Every public
    /// operation of a store ends with it.
    func finish() {
        for statement in active { sqlite3_reset(statement) }
        active.removeAll(keepingCapacity: true)
    }

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`), committing when it returns and rolling back
    /// when it throws.
    func writing<Result>(_ body: () throws(CareStoreError) -> Result) throws(CareStoreError) -> Result {
        finish()
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            finish()
            try execute("COMMIT")
            return result
        } catch {
            finish()
            sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    /// Copies this database into another connection's, page by page, while it stays usable: SQLite's online
    /// backup.
    func copy(into destination: SQLiteConnection) throws(CareStoreError) {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw Self.error(sqlite3_errcode(destination.handle), doing: "starting a backup")
        }
        let code = sqlite3_backup_step(backup, -1)
        sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE else { throw Self.error(code, doing: "copying the database") }
    }

    /// The error for a SQLite result code, in fixed words: SQLite's own message is not used, so no value
    /// from the database can reach the text.
    static func error(_ code: Int32, doing action: String) -> CareStoreError {
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED:
            CareStoreError(.busy, reason: "\(action): another connection held the database's lock for too long")
        case SQLITE_FULL:
            CareStoreError(.full, reason: "\(action): the disk or the database is full")
        case SQLITE_READONLY, SQLITE_PERM:
            CareStoreError(.readOnly, reason: "\(action): the database cannot be written")
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            CareStoreError(.corrupt, reason: "\(action): the file is damaged or is not a database")
        case SQLITE_CANTOPEN:
            CareStoreError(.io, reason: "\(action): the database file cannot be opened")
        default:
            CareStoreError(.io, reason: "\(action): SQLite result code \(code)")
        }
    }
}

/// A prepared statement, bound and stepped through its connection. Used only while its owner serialises
/// access.
struct SQLiteStatement {
    let handle: OpaquePointer
    let connection: SQLiteConnection

    /// Binds values to the parameters, from 1.
    func bind(_ values: SQLiteValue...) {
        bind(values)
    }

    /// Binds values to the parameters, from 1.
    func bind(_ values: [SQLiteValue]) {
        for (offset, value) in values.enumerated() {
            let position = Int32(offset + 1)
            switch value {
            case .text(let text): sqlite3_bind_text(handle, position, text, -1, transient)
            case .integer(let number): sqlite3_bind_int64(handle, position, number)
            case .blob(let bytes):
                bytes.withUnsafeBytes { buffer in
                    _ = sqlite3_bind_blob64(handle, position, buffer.baseAddress, UInt64(buffer.count), transient)
                }
            case .null: sqlite3_bind_null(handle, position)
            }
        }
    }

    /// Steps once: `true` when a row is ready, `false` when done.
    func step(doing action: String) throws(CareStoreError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteConnection.error(code, doing: action)
        }
    }

    /// Steps to the end, for a statement that returns no rows.
    ///
    /// - Parameters:
    ///   - action: What the statement does, for the error.
    ///   - constraint: The error to throw when a constraint refuses the write, naming what the caller knows.
    /// - Throws: ``CareStoreError``: `constraint` when given and a constraint refused the write; otherwise
    ///   the error for SQLite's result code.
    func run(doing action: String, onConstraint constraint: CareStoreError? = nil) throws(CareStoreError) {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            if code & 0xFF == SQLITE_CONSTRAINT, let constraint { throw constraint }
            throw SQLiteConnection.error(code, doing: action)
        }
    }

    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: pointer)
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// A value bound to a statement.
enum SQLiteValue {
    case text(String)
    case integer(Int64)
    case blob([UInt8])
    case null
}

extension SQLiteConnection {
    /// Opens a database as a store does: WAL, the options' pragmas, `secure_delete`, and the schema brought
    /// up to `migrations.count` (`PRAGMA user_version`), migration `i` taking it from version `i` to `i + 1`.
    ///
    /// - Throws: ``CareStoreError``: `io` when the file cannot be created or opened; `corrupt` when it is not
    ///   a database or was written by a newer schema; `readOnly` when a read-only database needs migrating;
    ///   `busy` when another connection holds the lock.
    static func opening(
        file: URL,
        options: SQLiteResourceStore.Options,
        migrations: [String]
    ) throws(CareStoreError) -> SQLiteConnection {
        let milliseconds =
            options.busyTimeout.components.seconds * 1000
            + options.busyTimeout.components.attoseconds / 1_000_000_000_000_000
        let connection = try SQLiteConnection(
            path: file.path,
            readOnly: options.readOnly,
            busyTimeout: Int32(clamping: milliseconds)
        )
        if !options.readOnly {
            try connection.execute("PRAGMA journal_mode = WAL")
        }
        try connection.execute("PRAGMA synchronous = \(options.synchronous.rawValue)")
        try connection.execute("PRAGMA secure_delete = ON")
        // 32 MiB of page cache: a batch of writes to random ids touches many index pages.
        try connection.execute("PRAGMA cache_size = -32768")
        // Checkpoints every 32 MiB of WAL rather than 4: fewer waits for the disk under a stream of writes.
        try connection.execute("PRAGMA wal_autocheckpoint = 8192")
        try connection.execute("PRAGMA mmap_size = 268435456")
        if let pages = options.maximumPageCount {
            try connection.execute("PRAGMA max_page_count = \(max(1, pages))")
        }
        let version = try connection.statement("PRAGMA user_version")
        let current = try version.step(doing: "reading the schema version") ? Int(version.integer(0)) : 0
        connection.finish()
        guard current <= migrations.count else {
            throw CareStoreError(.corrupt, reason: "the database was written by a newer version of the suite")
        }
        guard current < migrations.count else { return connection }
        guard !options.readOnly else {
            throw CareStoreError(.readOnly, reason: "the database needs migrating, which a read-only store cannot do")
        }
        try connection.writing { () throws(CareStoreError) in
            for (index, migration) in migrations.enumerated() where index >= current {
                try connection.execute(migration)
            }
            try connection.execute("PRAGMA user_version = \(migrations.count)")
        }
        return connection
    }
}
