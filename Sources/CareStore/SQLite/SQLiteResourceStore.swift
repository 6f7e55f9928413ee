public import CareCore
public import FHIREncoding
public import Foundation

/// The embedded default ``ResourceStore``: one SQLite database file, in WAL mode, with every version kept
/// as FHIR JSON beside extracted index columns.
///
/// - Durability: each write is one transaction. With ``Options/Synchronous-swift.enum/normal`` (the
///   default) a committed transaction survives a crash of the process; with `full` it also survives the
///   loss of power. Readers in other processes see only committed transactions.
/// - Double booking: an active Appointment's slots are keys of a table with a primary key on the slot, so
///   the database refuses a second active Appointment on a slot whichever process writes it.
/// - Data protection: the file is created owner-only (0600), and its WAL and shared-memory files take the
///   same permissions; `secure_delete` overwrites freed pages. Encryption at rest is the operating
///   system's disk encryption; see `Documentation/Security.md`.
/// - Concurrency: a lock serialises this connection, so the store can be shared between tasks and threads; other connections, in this process or others,
///   read while it writes, and wait up to ``Options/busyTimeout`` for one another's write lock.
///
/// ```swift
/// let store = try SQLiteResourceStore(
///     file: folder.appendingPathComponent("care.sqlite"),
///     clock: SystemWallClock(), timeZone: try .europeLondon(), generator: SystemRandomNumberGenerator())
/// let stored = try store.create(patient)
/// ```
public final class SQLiteResourceStore: SynchronousResourceStore {
    /// How the store opens its database.
    public struct Options: Hashable, Sendable {
        /// When SQLite waits for the disk (`PRAGMA synchronous`).
        public enum Synchronous: String, Hashable, Sendable {
            /// Safe against a crash of the process; a power loss may lose the last transactions. WAL's
            /// recommended setting.
            case normal = "NORMAL"
            /// Safe against a power loss too, at the cost of a wait for the disk on every commit.
            case full = "FULL"
        }

        /// When SQLite waits for the disk.
        public var synchronous: Synchronous
        /// How long to wait for another connection's write lock before failing with `busy`.
        public var busyTimeout: Duration
        /// Whether to open the database for reading only; writes then fail with `readOnly`.
        public var readOnly: Bool
        /// A cap on the database's size in pages of 4 KiB; writes beyond it fail with `full`. `nil` for none.
        public var maximumPageCount: Int?

        /// Creates options.
        ///
        /// - Parameters:
        ///   - synchronous: When SQLite waits for the disk; `normal` by default.
        ///   - busyTimeout: How long to wait for another connection's write lock; 5 seconds by default.
        ///   - readOnly: Whether to open for reading only.
        ///   - maximumPageCount: A cap on the size in pages, or `nil`.
        public init(
            synchronous: Synchronous = .normal,
            busyTimeout: Duration = .seconds(5),
            readOnly: Bool = false,
            maximumPageCount: Int? = nil
        ) {
            self.synchronous = synchronous
            self.busyTimeout = busyTimeout
            self.readOnly = readOnly
            self.maximumPageCount = maximumPageCount
        }
    }

    /// The schema version this release writes (`PRAGMA user_version`).
    public static var schemaVersion: Int { migrations.count }

    /// The connection and what writes need, used by one caller at a time.
    private let engine: Locked<Engine>

    /// Opens a store, creating the file owner-only when it does not exist and bringing its schema up to
    /// date.
    ///
    /// - Parameters:
    ///   - file: The database file.
    ///   - options: How to open it.
    ///   - clock: The clock that times each version.
    ///   - timeZone: The zone whose days a date without a time covers; Europe/London for the suite.
    ///   - generator: The source of new ids.
    /// - Throws: ``CareStoreError``: `io` when the file cannot be created or opened; `corrupt` when it is not
    ///   a database or was written by a newer schema; `readOnly` when a read-only database needs migrating;
    ///   `busy` when another connection holds the lock.
    public init(
        file: URL,
        options: Options = Options(),
        clock: any WallClock,
        timeZone: CivilTimeZone,
        generator: some RandomNumberGenerator & Sendable
    ) throws(CareStoreError) {
        let connection = try SQLiteConnection.opening(file: file, options: options, migrations: Self.migrations)
        engine = Locked(
            Engine(connection: connection, stamping: Stamping(clock: clock, timeZone: timeZone), generator: generator)
        )
    }

    /// The schema, one step per version: migration `i` takes the database from version `i` to `i + 1`.
    private static let migrations = [
        """
        CREATE TABLE resource_versions (
            row INTEGER PRIMARY KEY,
            type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
            last_updated TEXT NOT NULL, deleted INTEGER NOT NULL, json BLOB NOT NULL,
            UNIQUE (type, id, version)
        );
        CREATE TABLE resources (
            type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, deleted INTEGER NOT NULL,
            date_start INTEGER, date_end INTEGER,
            PRIMARY KEY (type, id)
        ) WITHOUT ROWID;
        CREATE INDEX resources_by_date ON resources (type, date_start);
        CREATE TABLE resource_identifiers (
            type TEXT NOT NULL, id TEXT NOT NULL, system TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (type, system, value, id)
        ) WITHOUT ROWID;
        CREATE INDEX resource_identifiers_by_resource ON resource_identifiers (type, id);
        CREATE TABLE resource_references (
            type TEXT NOT NULL, id TEXT NOT NULL, target TEXT NOT NULL,
            PRIMARY KEY (type, target, id)
        ) WITHOUT ROWID;
        CREATE INDEX resource_references_by_resource ON resource_references (type, id);
        CREATE TABLE appointment_slots (
            slot TEXT NOT NULL PRIMARY KEY, appointment TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX appointment_slots_by_appointment ON appointment_slots (appointment);
        """
    ]

    // MARK: Reading

    /// The current version of a resource; see ``ResourceStore/read(_:id:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    /// - Returns: The current version.
    /// - Throws: ``CareStoreError``: `notFound` or `gone`.
    public func read(_ type: String, id: String) throws(CareStoreError) -> StoredResource {
        try engine.withLock { (engine) throws(CareStoreError) in try engine.read(type, id: id) }
    }

    /// One version of a resource; see ``ResourceStore/read(_:id:version:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    ///   - version: The version, from 1.
    /// - Returns: That version.
    /// - Throws: ``CareStoreError`` with code `notFound`.
    public func read(_ type: String, id: String, version: Int) throws(CareStoreError) -> StoredResource {
        try engine.withLock { (engine) throws(CareStoreError) in try engine.read(type, id: id, version: version) }
    }

    /// Every version of a resource, oldest first; see ``ResourceStore/history(_:id:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    /// - Returns: The versions.
    /// - Throws: ``CareStoreError`` with code `notFound`.
    public func history(_ type: String, id: String) throws(CareStoreError) -> [StoredResource] {
        try engine.withLock { (engine) throws(CareStoreError) in try engine.history(type, id: id) }
    }

    /// The current versions that match a query, ordered by id; see ``ResourceStore/search(_:)``.
    ///
    /// - Parameter query: The query.
    /// - Returns: The matches.
    /// - Throws: ``CareStoreError``: `busy`, `corrupt` or `io` from SQLite.
    public func search(_ query: StoreQuery) throws(CareStoreError) -> [StoredResource] {
        try engine.withLock { (engine) throws(CareStoreError) in try engine.search(query) }
    }

    // MARK: Writing

    /// Stores a new resource as version 1; see ``ResourceStore/create(_:)``.
    ///
    /// - Parameter resource: The resource, with or without an id.
    /// - Returns: The stored version.
    /// - Throws: ``CareStoreError`` as ``ResourceStore/create(_:)`` says; nothing is written.
    public func create(_ resource: FHIRResource) throws(CareStoreError) -> StoredResource {
        try apply([.create(resource)], placed: false)[0]
    }

    /// Stores a new version; see ``ResourceStore/update(_:expectedVersion:)``.
    ///
    /// - Parameters:
    ///   - resource: The resource, with its id.
    ///   - expectedVersion: The version the change was made to.
    /// - Returns: The stored version.
    /// - Throws: ``CareStoreError`` as ``ResourceStore/update(_:expectedVersion:)`` says; nothing is written.
    public func update(_ resource: FHIRResource, expectedVersion: Int) throws(CareStoreError) -> StoredResource {
        try apply([.update(resource, expectedVersion: expectedVersion)], placed: false)[0]
    }

    /// Records a tombstone; see ``ResourceStore/delete(_:id:expectedVersion:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    ///   - expectedVersion: The version the caller read, or `nil`.
    /// - Returns: The tombstone.
    /// - Throws: ``CareStoreError``: `notFound`, `gone` or `versionConflict`; nothing is written.
    public func delete(_ type: String, id: String, expectedVersion: Int?) throws(CareStoreError) -> StoredResource {
        try apply([.delete(type: type, id: id, expectedVersion: expectedVersion)], placed: false)[0]
    }

    /// Performs writes all or nothing; see ``ResourceStore/transaction(_:)``.
    ///
    /// - Parameter operations: The writes, in order.
    /// - Returns: What each stored.
    /// - Throws: ``CareStoreError`` from the first that fails, under `operations[i]`; nothing is written.
    public func transaction(_ operations: [StoreOperation]) throws(CareStoreError) -> [StoredResource] {
        try apply(operations, placed: true)
    }

    private func apply(_ operations: [StoreOperation], placed: Bool) throws(CareStoreError) -> [StoredResource] {
        try engine.withLock { (engine) throws(CareStoreError) in try engine.apply(operations, placed: placed) }
    }

    // MARK: Maintenance

    /// Copies the database to a new file while the store stays in use: SQLite's online backup. The copy is
    /// created owner-only and is a complete database; open it with a store, or restore from it with
    /// ``restore(from:to:)``.
    ///
    /// - Parameter file: The new file; it must not exist.
    /// - Throws: ``CareStoreError``: `alreadyExists` when the file exists; `io`, `full` or `busy` from SQLite.
    public func backup(to file: URL) throws(CareStoreError) {
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw CareStoreError(.alreadyExists, reason: "the backup file already exists; it is never overwritten")
        }
        try engine.withLock { (engine) throws(CareStoreError) in
            let destination = try SQLiteConnection(path: file.path, readOnly: false, busyTimeout: 5_000)
            try engine.connection.copy(into: destination)
        }
    }

    /// Restores a backup into a new database file, which a store can then open.
    ///
    /// - Parameters:
    ///   - backup: The backup, made by ``backup(to:)``.
    ///   - file: The new database file; it must not exist.
    /// - Throws: ``CareStoreError``: `alreadyExists` when `file` exists; `corrupt` when the backup is not a
    ///   database of this suite; `io` from SQLite.
    public static func restore(from backup: URL, to file: URL) throws(CareStoreError) {
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw CareStoreError(.alreadyExists, reason: "the database file already exists; it is never overwritten")
        }
        let source = try SQLiteConnection(path: backup.path, readOnly: true, busyTimeout: 5_000)
        try checkIntegrity(of: source)
        let destination = try SQLiteConnection(path: file.path, readOnly: false, busyTimeout: 5_000)
        try source.copy(into: destination)
    }

    /// Runs SQLite's full integrity check over the database.
    ///
    /// - Throws: ``CareStoreError`` with code `corrupt` when the check finds damage.
    public func checkIntegrity() throws(CareStoreError) {
        try engine.withLock { (engine) throws(CareStoreError) in try Self.checkIntegrity(of: engine.connection) }
    }

    private static func checkIntegrity(of connection: SQLiteConnection) throws(CareStoreError) {
        defer { connection.finish() }
        let check = try connection.statement("PRAGMA integrity_check")
        guard try check.step(doing: "checking integrity"), check.text(0) == "ok" else {
            throw CareStoreError(.corrupt, reason: "the integrity check found damage")
        }
        let version = try connection.statement("PRAGMA user_version")
        guard try version.step(doing: "reading the schema version"),
            (1...schemaVersion).contains(Int(version.integer(0)))
        else {
            throw CareStoreError(.corrupt, reason: "the file is not a store of this version of the suite")
        }
    }
}

/// The SQLite store's connection and writer, which its lock lets one caller use at a time.
private final class Engine {
    let connection: SQLiteConnection
    let stamping: Stamping
    var generator: any RandomNumberGenerator & Sendable

    init(connection: SQLiteConnection, stamping: Stamping, generator: any RandomNumberGenerator & Sendable) {
        self.connection = connection
        self.stamping = stamping
        self.generator = generator
    }

    func read(_ type: String, id: String) throws(CareStoreError) -> StoredResource {
        defer { connection.finish() }
        return try existing(type, id)
    }

    func read(_ type: String, id: String, version: Int) throws(CareStoreError) -> StoredResource {
        defer { connection.finish() }
        let statement = try connection.statement(
            "SELECT version, last_updated, deleted, json FROM resource_versions WHERE type = ? AND id = ? AND version = ?"
        )
        statement.bind(.text(type), .text(id), .integer(Int64(version)))
        guard try statement.step(doing: "reading a version") else {
            throw CareStoreError(
                .notFound,
                field: .resource(type, id),
                reason: "the resource has no version with this number"
            )
        }
        return try Self.stored(type, id, from: statement)
    }

    func history(_ type: String, id: String) throws(CareStoreError) -> [StoredResource] {
        defer { connection.finish() }
        let statement = try connection.statement(
            "SELECT version, last_updated, deleted, json FROM resource_versions WHERE type = ? AND id = ? ORDER BY version"
        )
        statement.bind(.text(type), .text(id))
        var versions: [StoredResource] = []
        while try statement.step(doing: "reading a history") {
            versions.append(try Self.stored(type, id, from: statement))
        }
        guard !versions.isEmpty else { throw Stamping.notFound(.resource(type, id)) }
        return versions
    }

    func search(_ query: StoreQuery) throws(CareStoreError) -> [StoredResource] {
        defer { connection.finish() }
        var sql = """
            SELECT r.id, v.version, v.last_updated, v.deleted, v.json FROM resources r
            JOIN resource_versions v ON v.type = r.type AND v.id = r.id AND v.version = r.version
            WHERE r.type = ? AND r.deleted = 0
            """
        var values: [SQLiteValue] = [.text(query.type)]
        if let identifier = query.identifier {
            sql += """
                 AND EXISTS (SELECT 1 FROM resource_identifiers i
                 WHERE i.type = r.type AND i.system = ? AND i.value = ? AND i.id = r.id)
                """
            values += [.text(identifier.system), .text(identifier.value)]
        }
        if let reference = query.reference {
            sql += """
                 AND EXISTS (SELECT 1 FROM resource_references f
                 WHERE f.type = r.type AND f.target = ? AND f.id = r.id)
                """
            values.append(.text(reference))
        }
        if let dates = query.dates {
            let (from, to) = ResourceIndex.bounds(dates)
            sql += " AND r.date_start < ? AND r.date_end >= ?"
            values += [.integer(to), .integer(from)]
        }
        sql += " ORDER BY r.id"
        let statement = try connection.statement(sql)
        statement.bind(values)
        var found: [StoredResource] = []
        while try statement.step(doing: "searching") {
            found.append(try Self.stored(query.type, statement.text(0), from: statement, offset: 1))
        }
        return found
    }

    private func current(_ type: String, _ id: String) throws(CareStoreError) -> StoredResource? {
        let statement = try connection.statement(
            """
            SELECT v.version, v.last_updated, v.deleted, v.json FROM resources r
            JOIN resource_versions v ON v.type = r.type AND v.id = r.id AND v.version = r.version
            WHERE r.type = ? AND r.id = ?
            """
        )
        statement.bind(.text(type), .text(id))
        guard try statement.step(doing: "reading a resource") else { return nil }
        return try Self.stored(type, id, from: statement)
    }

    private static func stored(
        _ type: String,
        _ id: String,
        from statement: SQLiteStatement,
        offset: Int32 = 0
    ) throws(CareStoreError) -> StoredResource {
        let lastUpdated: Instant
        do {
            lastUpdated = try Instant(parsing: statement.text(offset + 1))
        } catch {
            throw CareStoreError(.corrupt, field: .resource(type, id), reason: "a stored version has no valid time")
        }
        return StoredResource(
            resourceType: type,
            id: id,
            version: Int(statement.integer(offset)),
            lastUpdated: lastUpdated,
            isDeleted: statement.integer(offset + 2) != 0,
            json: statement.blob(offset + 3)
        )
    }

    func apply(_ operations: [StoreOperation], placed: Bool) throws(CareStoreError) -> [StoredResource] {
        try connection.writing { () throws(CareStoreError) in
            try stamping.performing(operations, placed: placed) { (operation, moment) throws(CareStoreError) in
                try write(operation, at: moment)
            }
        }
    }

    private func write(_ operation: StoreOperation, at moment: Instant) throws(CareStoreError) -> StoredResource {
        // One connection writes at a time (BEGIN IMMEDIATE), so reading needs no row lock.
        try stamping.write(
            operation,
            at: moment,
            generator: &generator,
            current: { (type, id, _) throws(CareStoreError) in try current(type, id) },
            record: { (stored, index) throws(CareStoreError) in try record(stored, index: index) }
        )
    }

    private func existing(_ type: String, _ id: String) throws(CareStoreError) -> StoredResource {
        try Stamping.live(try current(type, id), type, id)
    }

    private func record(_ stored: StoredResource, index: ResourceIndex?) throws(CareStoreError) {
        let type = stored.resourceType
        let id = stored.id
        let place = FieldPath.resource(type, id)
        let exists = CareStoreError(.alreadyExists, field: place, reason: "this version of the resource already exists")
        let version = try connection.statement(
            "INSERT INTO resource_versions (type, id, version, last_updated, deleted, json) VALUES (?, ?, ?, ?, ?, ?)"
        )
        version.bind(
            .text(type),
            .text(id),
            .integer(Int64(stored.version)),
            .text(stored.lastUpdated.description),
            .integer(stored.isDeleted ? 1 : 0),
            .blob(stored.json)
        )
        try version.run(doing: "writing a version", onConstraint: exists)

        let current = try connection.statement(
            """
            INSERT OR REPLACE INTO resources (type, id, version, deleted, date_start, date_end)
            VALUES (?, ?, ?, ?, ?, ?)
            """
        )
        current.bind(
            .text(type),
            .text(id),
            .integer(Int64(stored.version)),
            .integer(stored.isDeleted ? 1 : 0),
            index?.dateRange.map { .integer($0.lowerBound) } ?? .null,
            index?.dateRange.map { .integer($0.upperBound) } ?? .null
        )
        try current.run(doing: "writing a resource")

        // A first version has no index rows to replace.
        for table in ["resource_identifiers", "resource_references"] where stored.version > 1 {
            let clear = try connection.statement("DELETE FROM \(table) WHERE type = ? AND id = ?")
            clear.bind(.text(type), .text(id))
            try clear.run(doing: "clearing an index")
        }
        for identifier in index?.identifiers ?? [] {
            let insert = try connection.statement(
                "INSERT INTO resource_identifiers (type, id, system, value) VALUES (?, ?, ?, ?)"
            )
            insert.bind(.text(type), .text(id), .text(identifier.system), .text(identifier.value))
            try insert.run(doing: "indexing an identifier")
        }
        for target in index?.references ?? [] {
            let insert = try connection.statement("INSERT INTO resource_references (type, id, target) VALUES (?, ?, ?)")
            insert.bind(.text(type), .text(id), .text(target))
            try insert.run(doing: "indexing a reference")
        }
        guard type == "Appointment" else { return }
        if stored.version > 1 {
            let release = try connection.statement("DELETE FROM appointment_slots WHERE appointment = ?")
            release.bind(.text(id))
            try release.run(doing: "releasing slots")
        }
        for slot in index?.slots ?? [] {
            let hold = try connection.statement("INSERT INTO appointment_slots (slot, appointment) VALUES (?, ?)")
            hold.bind(.text(slot), .text(id))
            try hold.run(doing: "holding a slot", onConstraint: Stamping.slotTaken(place))
        }
    }
}
