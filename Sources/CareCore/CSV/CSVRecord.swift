/// One record of a CSV file: its fields and the line it starts on.
///
/// Fields are often patient data, so the description shows only the line and the number of fields.
public struct CSVRecord: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The fields, in order, with quotes removed and doubled quotes made single.
    public let fields: [String]
    /// The one-based line on which the record starts, for error messages that point into the file.
    public let line: Int

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - fields: The fields.
    ///   - line: The line on which the record starts.
    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }

    /// The line and field count only, such as `CSVRecord(line: 3, 7 fields)`.
    public var description: String { "CSVRecord(line: \(line), \(fields.count) fields)" }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// A mirror that shows the line and field count only.
    public var customMirror: Mirror {
        Mirror(self, children: ["line": line, "fieldCount": fields.count], displayStyle: .struct)
    }
}

/// A CSV file whose first record names the columns.
///
/// ```swift
/// let table = try CSVTable(string: "given,family\nClaire,Trelawny\n")
/// let family = try table.value(of: "family", in: table.rows[0])   // "Trelawny"
/// ```
///
/// Like ``CSVRecord``, a table describes itself by its shape only, never its content.
public struct CSVTable: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The column names, from the first record.
    public let header: [String]
    /// The data records after the header.
    public let rows: [CSVRecord]
    private let columnIndex: [String: Int]

    /// Reads a table from UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - bytes: The CSV text.
    ///   - options: The reader's settings; the field count is always required to be uniform for a table.
    /// - Throws: ``CareCoreError``: any error of ``CSVReader``, ``CareCoreError/Code/empty`` for a file with
    ///   no header, or ``CareCoreError/Code/inconsistent`` for a header with an empty or repeated column name.
    public init(bytes: [UInt8], options: CSVReader.Options = CSVReader.Options()) throws(CareCoreError) {
        var uniform = options
        uniform.requiresUniformFieldCount = true
        var reader = CSVReader(bytes: bytes, options: uniform)
        guard let header = try reader.next() else {
            throw CareCoreError(.empty, field: FieldPath("csv"), reason: "the file has no header record")
        }
        var index: [String: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            let column = TextPosition(line: header.line, column: 1)
            guard !name.isEmpty else {
                throw CareCoreError(
                    .inconsistent,
                    field: FieldPath("csv.header").appending(index: position),
                    reason: "a column name must not be empty",
                    position: column
                )
            }
            guard index.updateValue(position, forKey: name) == nil else {
                throw CareCoreError(
                    .inconsistent,
                    field: FieldPath("csv.header").appending(index: position),
                    reason: "a column name appears twice",
                    position: column
                )
            }
        }
        self.header = header.fields
        self.rows = try reader.readAll()
        self.columnIndex = index
    }

    /// Reads a table from a string.
    ///
    /// - Parameters:
    ///   - string: The CSV text.
    ///   - options: The reader's settings.
    /// - Throws: As ``init(bytes:options:)``.
    public init(string: String, options: CSVReader.Options = CSVReader.Options()) throws(CareCoreError) {
        try self.init(bytes: Array(string.utf8), options: options)
    }

    /// The shape only, such as `CSVTable(7 columns, 120 rows)`.
    public var description: String { "CSVTable(\(header.count) columns, \(rows.count) rows)" }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// A mirror that shows the shape only.
    public var customMirror: Mirror {
        Mirror(self, children: ["columnCount": header.count, "rowCount": rows.count], displayStyle: .struct)
    }

    /// Whether the table has a column.
    ///
    /// - Parameter column: The column name.
    /// - Returns: `true` if the header names it.
    public func hasColumn(_ column: String) -> Bool {
        columnIndex[column] != nil
    }

    /// The value of a named column in a record.
    ///
    /// - Parameters:
    ///   - column: The column name.
    ///   - record: A record of this table.
    /// - Returns: The field.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/missing`` if the header has no such column, or
    ///   ``CareCoreError/Code/fieldCountMismatch`` if the record (from another table) is shorter than the header.
    public func value(of column: String, in record: CSVRecord) throws(CareCoreError) -> String {
        guard let position = columnIndex[column] else {
            throw CareCoreError(
                .missing,
                field: FieldPath("csv.header"),
                reason: "the file has no column of the required name",
                position: TextPosition(line: record.line, column: 1)
            )
        }
        guard position < record.fields.count else {
            throw CareCoreError(
                .fieldCountMismatch,
                field: FieldPath("csv").appending(index: position),
                reason: "this record is shorter than the header",
                position: TextPosition(line: record.line, column: 1)
            )
        }
        return record.fields[position]
    }
}
