public import CareCore
public import CareStore
public import FHIREncoding
import Foundation

/// A ``CareStore/ResourceStore`` on a PostgreSQL server through libpq: for teams whose load outgrows one
/// machine, or who run several application servers against one database.
///
/// It keeps the same tables as the SQLite store, in a schema of its own (`carestore` by default), and the
/// database enforces what must hold across processes: a unique key on each resource's versions refuses a
/// second resource with one id, a primary key refuses a second active Appointment on one slot, and an
/// update locks the resource's row, so two servers cannot both write over the version they read.
///
/// The database must use UTF8. The store sets the session's `search_path` and prepares its statements
/// per connection, so put a pooler in session mode, not transaction mode, in front of it. A lost connection
/// is not re-established: every call then fails with `io`, and the caller opens a new store.
///
/// Credentials never appear in code: the host, port, user, password and database come from libpq's
/// environment (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`) or `~/.pgpass`, unless given in
/// ``Options/parameters``. TLS is chosen with ``Options/tls``.
///
/// ```swift
/// let store = try PostgresResourceStore(
///     options: .init(tls: .verifyFull),
///     clock: SystemWallClock(), timeZone: try .europeLondon(), generator: SystemRandomNumberGenerator())
/// ```
public actor PostgresResourceStore: ResourceStore {
    /// How the store connects.
    public struct Options: Hashable, Sendable {
        /// Whether and how the connection uses TLS (libpq's `sslmode`).
        public enum TLS: String, Hashable, Sendable {
            /// Never: only for a server on the same machine, over a Unix socket.
            case disable
            /// When the server offers it; libpq's default, and no defence against an impostor.
            case prefer
            /// Always, without checking the server's certificate.
            case require
            /// Always, with the server's certificate checked against the trusted roots and its name.
            case verifyFull = "verify-full"
        }

        /// Whether and how the connection uses TLS; `nil` leaves it to `PGSSLMODE` or libpq's default.
        public var tls: TLS?
        /// The schema the store's tables live in: lower-case letters, digits and underscores, starting with
        /// a letter or underscore, at most 63 characters, and not starting `pg_`.
        public var schema: String
        /// How long to wait to connect, in whole seconds.
        public var connectTimeout: Int
        /// Further libpq connection keywords and values, such as `host` or `application_name`. Never put a
        /// password here: give it in the environment or `~/.pgpass`.
        public var parameters: [String: String]

        /// Creates options.
        ///
        /// - Parameters:
        ///   - tls: Whether and how to use TLS; `nil` for the environment's choice.
        ///   - schema: The schema; `carestore` by default.
        ///   - connectTimeout: Seconds to wait to connect; 10 by default.
        ///   - parameters: Further libpq keywords.
        public init(
            tls: TLS? = nil,
            schema: String = "carestore",
            connectTimeout: Int = 10,
            parameters: [String: String] = [:]
        ) {
            self.tls = tls
            self.schema = schema
            self.connectTimeout = connectTimeout
            self.parameters = parameters
        }
    }

    /// The schema version this release writes.
    public static let schemaVersion = 1

    private let connection: PostgresConnection
    private let stamping: Stamping
    private var generator: any RandomNumberGenerator & Sendable

    /// Connects, creating the schema and its tables when they do not exist and bringing them up to date.
    ///
    /// - Parameters:
    ///   - options: How to connect.
    ///   - clock: The clock that times each version.
    ///   - timeZone: The zone whose days a date without a time covers; Europe/London for the suite.
    ///   - generator: The source of new ids.
    /// - Throws: ``CareStore/CareStoreError``: `invalidRequest` for a schema name that is not a plain
    ///   identifier, a `password` among the parameters, or a database not in UTF8; `io` when no connection
    ///   can be made; `corrupt`
    ///   when the schema was written by a newer version of the suite; `readOnly` when the user may not
    ///   create it.
    public init(
        options: Options = Options(),
        clock: any WallClock,
        timeZone: CivilTimeZone,
        generator: some RandomNumberGenerator & Sendable
    ) throws(CareStoreError) {
        guard Self.isPlainIdentifier(options.schema) else {
            throw CareStoreError(
                .invalidRequest,
                field: FieldPath("schema"),
                reason: "a schema name is lower-case letters, digits and underscores"
            )
        }
        guard options.parameters["password"] == nil else {
            throw CareStoreError(
                .invalidRequest,
                field: FieldPath("parameters"),
                reason: "a password belongs in the environment or ~/.pgpass, not in code"
            )
        }
        var parameters = options.parameters.sorted { $0.key < $1.key }.map { (keyword: $0.key, value: $0.value) }
        parameters.append((keyword: "connect_timeout", value: String(max(1, options.connectTimeout))))
        parameters.append((keyword: "client_encoding", value: "UTF8"))
        if let tls = options.tls { parameters.append((keyword: "sslmode", value: tls.rawValue)) }
        if options.parameters["application_name"] == nil {
            parameters.append((keyword: "application_name", value: "IntegratedCareKit CareStore"))
        }
        let opened = try PostgresConnection(parameters: parameters)
        try Self.migrate(opened, schema: options.schema)
        connection = opened
        stamping = Stamping(clock: clock, timeZone: timeZone)
        self.generator = generator
    }

    /// Whether the connection is encrypted with TLS.
    public var usesTLS: Bool { connection.usesTLS }

    /// Whether a schema name is lower-case letters, digits and underscores, starts with a letter or an
    /// underscore, fits PostgreSQL's 63 bytes and is not one of PostgreSQL's own (`pg_…`).
    private static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 63, !name.hasPrefix("pg_"),
            first == "_" || ("a"..."z").contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    private static func migrate(_ connection: PostgresConnection, schema: String) throws(CareStoreError) {
        let encoding = try connection.query("SHOW server_encoding", [], doing: "reading the server's encoding")
        guard encoding.text(0, 0) == "UTF8" else {
            throw CareStoreError(.invalidRequest, reason: "the database must use the UTF8 encoding")
        }
        // Quoted, so that a reserved word is still a name; the checks above allow nothing that needs escaping.
        let quoted = "\"\(schema)\""
        // A role that may not create anything can still open a schema that is current: read first.
        if try version(connection, schema: schema) < schemaVersion {
            try connection.transaction { () throws(CareStoreError) in
                // One process migrates at a time; the others wait here, then find the schema current.
                try connection.query(
                    "SELECT pg_advisory_xact_lock(hashtext($1))",
                    ["carestore.\(schema)"],
                    doing: "locking the schema"
                )
                let current = try version(connection, schema: schema)
                guard current < schemaVersion else { return }
                try connection.execute("CREATE SCHEMA IF NOT EXISTS \(quoted)", doing: "creating the schema")
                try connection.execute("SET LOCAL search_path TO \(quoted)", doing: "choosing the schema")
                try connection.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
                    doing: "creating the schema version"
                )
                for (index, migration) in migrations.enumerated() where index >= current {
                    try connection.execute(migration, doing: "migrating the schema")
                }
                try connection.execute("DELETE FROM schema_version", doing: "recording the schema version")
                try connection.execute(
                    "INSERT INTO schema_version (version) VALUES (\(schemaVersion))",
                    doing: "recording the schema version"
                )
            }
        }
        // Every later statement names tables without their schema.
        try connection.execute("SET search_path TO \(quoted)", doing: "choosing the schema")
    }

    /// The schema's version: 0 when it or its version table does not exist yet.
    private static func version(_ connection: PostgresConnection, schema: String) throws(CareStoreError) -> Int {
        let table = try connection.query(
            "SELECT to_regclass($1) IS NOT NULL",
            ["\"\(schema)\".schema_version"],
            doing: "looking for the schema"
        )
        guard table.text(0, 0) == "t" else { return 0 }
        let rows = try connection.query(
            "SELECT COALESCE(MAX(version), 0) FROM \"\(schema)\".schema_version",
            [],
            doing: "reading the schema version"
        )
        let current = Int(rows.integer(0, 0))
        guard current <= schemaVersion else {
            throw CareStoreError(.corrupt, reason: "the schema was written by a newer version of the suite")
        }
        return current
    }

    /// The schema, one step per version, as the SQLite store's: migration `i` takes it from `i` to `i + 1`.
    private static let migrations = [
        """
        CREATE TABLE resource_versions (
            row BIGSERIAL PRIMARY KEY,
            type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
            last_updated TEXT NOT NULL, deleted SMALLINT NOT NULL, json TEXT NOT NULL,
            CONSTRAINT resource_versions_key UNIQUE (type, id, version)
        );
        CREATE TABLE resources (
            type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, deleted SMALLINT NOT NULL,
            date_start BIGINT, date_end BIGINT,
            CONSTRAINT resources_key PRIMARY KEY (type, id)
        );
        CREATE INDEX resources_by_date ON resources (type, date_start);
        CREATE TABLE resource_identifiers (
            type TEXT NOT NULL, id TEXT NOT NULL, system TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (type, system, value, id)
        );
        CREATE INDEX resource_identifiers_by_resource ON resource_identifiers (type, id);
        CREATE TABLE resource_references (
            type TEXT NOT NULL, id TEXT NOT NULL, target TEXT NOT NULL,
            PRIMARY KEY (type, target, id)
        );
        CREATE INDEX resource_references_by_resource ON resource_references (type, id);
        CREATE TABLE appointment_slots (
            slot TEXT NOT NULL, appointment TEXT NOT NULL,
            CONSTRAINT appointment_slots_key PRIMARY KEY (slot)
        );
        CREATE INDEX appointment_slots_by_appointment ON appointment_slots (appointment);
        """
    ]

    // MARK: Reading

    /// The current version of a resource; see ``CareStore/ResourceStore/read(_:id:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    /// - Returns: The current version.
    /// - Throws: ``CareStore/CareStoreError``: `notFound` or `gone`.
    public func read(_ type: String, id: String) throws(CareStoreError) -> StoredResource {
        try Stamping.live(try current(type, id, locking: false), type, id)
    }

    /// One version of a resource; see ``CareStore/ResourceStore/read(_:id:version:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    ///   - version: The version, from 1.
    /// - Returns: That version.
    /// - Throws: ``CareStore/CareStoreError`` with code `notFound`.
    public func read(_ type: String, id: String, version: Int) throws(CareStoreError) -> StoredResource {
        let rows = try connection.query(
            "SELECT version, last_updated, deleted, json FROM resource_versions WHERE type = $1 AND id = $2 AND version = $3",
            [type, id, String(version)],
            doing: "reading a version"
        )
        guard !rows.rows.isEmpty else {
            throw CareStoreError(
                .notFound,
                field: .resource(type, id),
                reason: "the resource has no version with this number"
            )
        }
        return try Self.stored(type, id, from: rows, row: 0)
    }

    /// Every version of a resource, oldest first; see ``CareStore/ResourceStore/history(_:id:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    /// - Returns: The versions.
    /// - Throws: ``CareStore/CareStoreError`` with code `notFound`.
    public func history(_ type: String, id: String) throws(CareStoreError) -> [StoredResource] {
        let rows = try connection.query(
            "SELECT version, last_updated, deleted, json FROM resource_versions WHERE type = $1 AND id = $2 ORDER BY version",
            [type, id],
            doing: "reading a history"
        )
        guard !rows.rows.isEmpty else { throw Stamping.notFound(.resource(type, id)) }
        var versions: [StoredResource] = []
        for row in rows.rows.indices { versions.append(try Self.stored(type, id, from: rows, row: row)) }
        return versions
    }

    /// The current versions that match a query, ordered by id; see ``CareStore/ResourceStore/search(_:)``.
    ///
    /// - Parameter query: The query.
    /// - Returns: The matches.
    /// - Throws: ``CareStore/CareStoreError``: `busy` or `io` from the server.
    public func search(_ query: StoreQuery) throws(CareStoreError) -> [StoredResource] {
        var sql = """
            SELECT r.id, v.version, v.last_updated, v.deleted, v.json FROM resources r
            JOIN resource_versions v ON v.type = r.type AND v.id = r.id AND v.version = r.version
            WHERE r.type = $1 AND r.deleted = 0
            """
        var values: [String?] = [query.type]
        if let identifier = query.identifier {
            sql += """
                 AND EXISTS (SELECT 1 FROM resource_identifiers i
                 WHERE i.type = r.type AND i.system = $\(values.count + 1) AND i.value = $\(values.count + 2)
                 AND i.id = r.id)
                """
            values += [identifier.system, identifier.value]
        }
        if let reference = query.reference {
            sql += """
                 AND EXISTS (SELECT 1 FROM resource_references f
                 WHERE f.type = r.type AND f.target = $\(values.count + 1) AND f.id = r.id)
                """
            values.append(reference)
        }
        if let dates = query.dates {
            let (from, to) = ResourceIndex.bounds(dates)
            sql += " AND r.date_start < $\(values.count + 1) AND r.date_end >= $\(values.count + 2)"
            values += [String(to), String(from)]
        }
        // Ordered by id byte for byte, as the SQLite store orders them.
        sql += " ORDER BY r.id COLLATE \"C\""
        let rows = try connection.query(sql, values, doing: "searching")
        var found: [StoredResource] = []
        for row in rows.rows.indices {
            found.append(try Self.stored(query.type, rows.text(row, 0), from: rows, row: row, offset: 1))
        }
        return found
    }

    /// The current version of a resource, a tombstone included, or `nil`; `locking` holds its row until the
    /// transaction ends, so that no other connection writes a version in between.
    private func current(_ type: String, _ id: String, locking: Bool) throws(CareStoreError) -> StoredResource? {
        if locking {
            // Lock the one row first. A locking read that joins would, after waiting for another writer,
            // re-check the new `resources` row against the old version's row and find nothing; the read
            // below starts after the lock is held, so it sees the other writer's version.
            try connection.query(
                "SELECT version FROM resources WHERE type = $1 AND id = $2 FOR UPDATE",
                [type, id],
                doing: "locking a resource"
            )
        }
        let rows = try connection.query(
            """
            SELECT v.version, v.last_updated, v.deleted, v.json FROM resources r
            JOIN resource_versions v ON v.type = r.type AND v.id = r.id AND v.version = r.version
            WHERE r.type = $1 AND r.id = $2
            """,
            [type, id],
            doing: "reading a resource"
        )
        return rows.rows.isEmpty ? nil : try Self.stored(type, id, from: rows, row: 0)
    }

    /// A stored version from a row of `version, last_updated, deleted, json` starting at a column.
    private static func stored(
        _ type: String,
        _ id: String,
        from rows: PostgresRows,
        row: Int,
        offset: Int = 0
    ) throws(CareStoreError) -> StoredResource {
        let lastUpdated: Instant
        do {
            lastUpdated = try Instant(parsing: rows.text(row, offset + 1))
        } catch {
            throw CareStoreError(.corrupt, field: .resource(type, id), reason: "a stored version has no valid time")
        }
        return StoredResource(
            resourceType: type,
            id: id,
            version: Int(rows.integer(row, offset)),
            lastUpdated: lastUpdated,
            isDeleted: rows.integer(row, offset + 2) != 0,
            json: rows.bytes(row, offset + 3)
        )
    }

    // MARK: Writing

    /// Stores a new resource as version 1; see ``CareStore/ResourceStore/create(_:)``.
    ///
    /// - Parameter resource: The resource, with or without an id.
    /// - Returns: The stored version.
    /// - Throws: ``CareStore/CareStoreError`` as ``CareStore/ResourceStore/create(_:)`` says; nothing is
    ///   written.
    public func create(_ resource: FHIRResource) throws(CareStoreError) -> StoredResource {
        try apply([.create(resource)], placed: false)[0]
    }

    /// Stores a new version; see ``CareStore/ResourceStore/update(_:expectedVersion:)``.
    ///
    /// - Parameters:
    ///   - resource: The resource, with its id.
    ///   - expectedVersion: The version the change was made to.
    /// - Returns: The stored version.
    /// - Throws: ``CareStore/CareStoreError`` as ``CareStore/ResourceStore/update(_:expectedVersion:)`` says;
    ///   nothing is written.
    public func update(_ resource: FHIRResource, expectedVersion: Int) throws(CareStoreError) -> StoredResource {
        try apply([.update(resource, expectedVersion: expectedVersion)], placed: false)[0]
    }

    /// Records a tombstone; see ``CareStore/ResourceStore/delete(_:id:expectedVersion:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    ///   - expectedVersion: The version the caller read, or `nil`.
    /// - Returns: The tombstone.
    /// - Throws: ``CareStore/CareStoreError``: `notFound`, `gone` or `versionConflict`; nothing is written.
    public func delete(_ type: String, id: String, expectedVersion: Int?) throws(CareStoreError) -> StoredResource {
        try apply([.delete(type: type, id: id, expectedVersion: expectedVersion)], placed: false)[0]
    }

    /// Performs writes all or nothing; see ``CareStore/ResourceStore/transaction(_:)``.
    ///
    /// - Parameter operations: The writes, in order.
    /// - Returns: What each stored.
    /// - Throws: ``CareStore/CareStoreError`` from the first that fails, under `operations[i]`; nothing is
    ///   written.
    public func transaction(_ operations: [StoreOperation]) throws(CareStoreError) -> [StoredResource] {
        try apply(operations, placed: true)
    }

    private func apply(_ operations: [StoreOperation], placed: Bool) throws(CareStoreError) -> [StoredResource] {
        try connection.transaction { () throws(CareStoreError) in
            try stamping.performing(operations, placed: placed) { (operation, moment) throws(CareStoreError) in
                try write(operation, at: moment)
            }
        }
    }

    private func write(_ operation: StoreOperation, at moment: Instant) throws(CareStoreError) -> StoredResource {
        try stamping.write(
            operation,
            at: moment,
            generator: &generator,
            current: { (type, id, locking) throws(CareStoreError) in try current(type, id, locking: locking) },
            record: { (stored, index) throws(CareStoreError) in try record(stored, index: index) }
        )
    }

    /// Writes a version and replaces the resource's index rows; a tombstone has none.
    private func record(_ stored: StoredResource, index: ResourceIndex?) throws(CareStoreError) {
        let type = stored.resourceType
        let id = stored.id
        let place = FieldPath.resource(type, id)
        // A unique violation on a first version is a create that raced another connection's.
        let clash =
            stored.version == 1
            ? Stamping.alreadyExists(place)
            : CareStoreError(.versionConflict, field: place, reason: "the resource has changed since it was read")
        try connection.query(
            "INSERT INTO resource_versions (type, id, version, last_updated, deleted, json) VALUES ($1, $2, $3, $4, $5, $6)",
            [
                type, id, String(stored.version), stored.lastUpdated.description, stored.isDeleted ? "1" : "0",
                String(decoding: stored.json, as: UTF8.self),
            ],
            doing: "writing a version",
            onUnique: clash
        )
        try connection.query(
            """
            INSERT INTO resources (type, id, version, deleted, date_start, date_end) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (type, id) DO UPDATE SET version = EXCLUDED.version, deleted = EXCLUDED.deleted,
            date_start = EXCLUDED.date_start, date_end = EXCLUDED.date_end
            """,
            [
                type, id, String(stored.version), stored.isDeleted ? "1" : "0",
                index?.dateRange.map { String($0.lowerBound) }, index?.dateRange.map { String($0.upperBound) },
            ],
            doing: "writing a resource",
            onUnique: clash
        )
        if stored.version > 1 {
            for table in ["resource_identifiers", "resource_references"] {
                try connection.query(
                    "DELETE FROM \(table) WHERE type = $1 AND id = $2",
                    [type, id],
                    doing: "clearing an index"
                )
            }
        }
        for identifier in index?.identifiers ?? [] {
            try connection.query(
                "INSERT INTO resource_identifiers (type, id, system, value) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                [type, id, identifier.system, identifier.value],
                doing: "indexing an identifier"
            )
        }
        for target in index?.references ?? [] {
            try connection.query(
                "INSERT INTO resource_references (type, id, target) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                [type, id, target],
                doing: "indexing a reference"
            )
        }
        guard type == "Appointment" else { return }
        if stored.version > 1 {
            try connection.query(
                "DELETE FROM appointment_slots WHERE appointment = $1",
                [id],
                doing: "releasing slots"
            )
        }
        for slot in index?.slots ?? [] {
            try connection.query(
                "INSERT INTO appointment_slots (slot, appointment) VALUES ($1, $2)",
                [slot, id],
                doing: "holding a slot",
                onUnique: Stamping.slotTaken(place)
            )
        }
    }
}
