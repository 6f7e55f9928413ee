import CLibPQ
import CareCore
import CareStore
import Foundation

/// The rows a statement returned, copied out of libpq's result.
struct PostgresRows {
    /// Each row's columns in order, `nil` for SQL NULL.
    let rows: [[[UInt8]?]]

    /// A column as text.
    func text(_ row: Int, _ column: Int) -> String {
        String(decoding: rows[row][column] ?? [], as: UTF8.self)
    }

    /// A column as a whole number, 0 when it is not one.
    func integer(_ row: Int, _ column: Int) -> Int64 {
        Int64(text(row, column)) ?? 0
    }

    /// A column's bytes.
    func bytes(_ row: Int, _ column: Int) -> [UInt8] {
        rows[row][column] ?? []
    }
}

/// One libpq connection with its prepared statements. Not thread-safe: its owner (an actor) serialises every
/// use.
///
/// PostgreSQL's own messages are never passed on: a constraint violation's message repeats the key it was
/// given, which may be patient data. Errors carry fixed texts chosen from the SQLSTATE.
final class PostgresConnection {
    private let handle: OpaquePointer
    /// Prepared statement names by their SQL.
    private var prepared: [String: String] = [:]

    /// Connects with libpq's keywords and values; whatever is not given comes from the environment
    /// (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`, …) or `~/.pgpass`, as libpq
    /// reads them.
    ///
    /// - Parameter parameters: Connection keywords and values.
    /// - Throws: ``CareStoreError`` with code `io` when no connection can be made.
    init(parameters: [(keyword: String, value: String)]) throws(CareStoreError) {
        let keywords = parameters.map { strdup($0.keyword) } + [nil]
        let values = parameters.map { strdup($0.value) } + [nil]
        defer {
            for pointer in keywords + values { free(pointer) }
        }
        let connection = keywords.withUnsafeBufferPointer { keywordPointers in
            values.withUnsafeBufferPointer { valuePointers in
                keywordPointers.withMemoryRebound(to: UnsafePointer<CChar>?.self) { keywordList in
                    valuePointers.withMemoryRebound(to: UnsafePointer<CChar>?.self) { valueList in
                        PQconnectdbParams(keywordList.baseAddress, valueList.baseAddress, 0)
                    }
                }
            }
        }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            PQfinish(connection)
            // libpq's message names the host and user, and sometimes why: left out, as every text is fixed.
            throw CareStoreError(.io, reason: "no connection to PostgreSQL could be made")
        }
        handle = connection
        // libpq prints the server's notices to stderr by default; they are the server's words, so dropped.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit {
        PQfinish(handle)
    }

    /// Whether the connection is encrypted with TLS.
    var usesTLS: Bool { PQsslInUse(handle) == 1 }

    /// Runs statements that bind nothing, such as a migration or `BEGIN`.
    func execute(_ sql: String, doing action: String) throws(CareStoreError) {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, doing: action, onUnique: nil)
    }

    /// Runs one statement with text parameters, preparing it on first use.
    ///
    /// - Parameters:
    ///   - sql: The statement, with `$1`, `$2`, … for the values.
    ///   - values: The values as text, `nil` for NULL.
    ///   - action: What the statement does, for the error.
    ///   - onUnique: The error for a unique-constraint violation, when one means something to the caller.
    /// - Returns: The rows.
    /// - Throws: ``CareStoreError`` chosen from the SQLSTATE.
    @discardableResult
    func query(
        _ sql: String,
        _ values: [String?],
        doing action: String,
        onUnique: CareStoreError? = nil
    ) throws(CareStoreError) -> PostgresRows {
        let name = try statementName(for: sql, count: values.count)
        let copies = values.map { $0.map { strdup($0) } ?? nil }
        defer {
            for pointer in copies { free(pointer) }
        }
        let result = copies.withUnsafeBufferPointer { pointers in
            pointers.withMemoryRebound(to: UnsafePointer<CChar>?.self) { list in
                PQexecPrepared(handle, name, Int32(values.count), list.baseAddress, nil, nil, 0)
            }
        }
        defer { PQclear(result) }
        try check(result, doing: action, onUnique: onUnique)
        var rows: [[[UInt8]?]] = []
        let count = PQntuples(result)
        let columns = PQnfields(result)
        rows.reserveCapacity(Int(count))
        for row in 0..<count {
            var values: [[UInt8]?] = []
            values.reserveCapacity(Int(columns))
            for column in 0..<columns {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else if let start = PQgetvalue(result, row, column) {
                    let length = Int(PQgetlength(result, row, column))
                    values.append(
                        start.withMemoryRebound(to: UInt8.self, capacity: length) {
                            Array(UnsafeBufferPointer(start: $0, count: length))
                        }
                    )
                } else {
                    values.append([])
                }
            }
            rows.append(values)
        }
        return PostgresRows(rows: rows)
    }

    /// Runs `body` in a transaction, committing when it returns and rolling back when it throws.
    func transaction<Value>(_ body: () throws(CareStoreError) -> Value) throws(CareStoreError) -> Value {
        try execute("BEGIN", doing: "starting a transaction")
        let value: Value
        do {
            value = try body()
        } catch {
            try? execute("ROLLBACK", doing: "rolling back")
            throw error
        }
        do {
            try execute("COMMIT", doing: "committing")
        } catch {
            try? execute("ROLLBACK", doing: "rolling back")
            throw error
        }
        return value
    }

    /// The name a statement was prepared under, preparing it on first use.
    private func statementName(for sql: String, count: Int) throws(CareStoreError) -> String {
        if let name = prepared[sql] { return name }
        let name = "carestore_\(prepared.count + 1)"
        let result = PQprepare(handle, name, sql, Int32(count), nil)
        defer { PQclear(result) }
        try check(result, doing: "preparing a statement", onUnique: nil)
        prepared[sql] = name
        return name
    }

    /// Throws the error a failed result means.
    private func check(_ result: OpaquePointer?, doing action: String, onUnique: CareStoreError?) throws(CareStoreError)
    {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK else { return }
        guard let result, let field = PQresultErrorField(result, Int32(UInt8(ascii: "C"))) else {
            throw CareStoreError(.io, reason: "the connection to PostgreSQL failed while \(action)")
        }
        throw Self.error(sqlState: String(cString: field), doing: action, onUnique: onUnique)
    }

    /// The error for a SQLSTATE.
    static func error(sqlState: String, doing action: String, onUnique: CareStoreError?) -> CareStoreError {
        switch sqlState {
        case "23505":
            return onUnique ?? CareStoreError(.invalidRequest, reason: "PostgreSQL refused a duplicate while \(action)")
        case "40001", "40P01", "55P03", "57014", "53300":
            return CareStoreError(.busy, reason: "PostgreSQL was busy or cancelled the statement while \(action)")
        case "53100":
            return CareStoreError(.full, reason: "PostgreSQL's disk is full")
        case "25006", "42501":
            return CareStoreError(.readOnly, reason: "PostgreSQL refused to write while \(action)")
        case "XX001", "XX002":
            return CareStoreError(.corrupt, reason: "PostgreSQL found damaged data while \(action)")
        default:
            return CareStoreError(.io, reason: "PostgreSQL refused the statement while \(action)")
        }
    }
}
