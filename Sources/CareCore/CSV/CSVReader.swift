/// A reader for comma-separated values as RFC 4180 defines them, for imports and the example tools.
///
/// What it accepts:
/// - fields separated by commas (or another ASCII separator), records ending in CRLF, LF or a lone CR;
/// - fields in double quotes, which may hold separators, line breaks and quotes written twice (`""`);
/// - a UTF-8 byte-order mark at the very start, which is skipped;
/// - blank lines, which are skipped rather than read as records of one empty field.
///
/// What it rejects, with a ``CareCoreError`` carrying the ``TextPosition`` of the fault and never the
/// text of the field:
/// - a quote inside an unquoted field, or anything but a separator or line end after a closing quote
///   (``CareCoreError/Code/unexpectedQuote``);
/// - a quoted field still open at the end of the input (``CareCoreError/Code/unterminatedQuote``,
///   at the line where the field began);
/// - a record whose field count differs from the first record's, unless allowed
///   (``CareCoreError/Code/fieldCountMismatch``);
/// - bytes that are not UTF-8 (``CareCoreError/Code/invalidEncoding``);
/// - a field longer than ``Options/maximumFieldBytes`` or a record with more than
///   ``Options/maximumFieldsPerRecord`` fields (``CareCoreError/Code/limitExceeded``), so a hostile file cannot
///   make the reader hold an unbounded field or record.
///
/// ```swift
/// var reader = CSVReader(string: "nhs_number,postcode\r\n9434765919,TR1 3LJ\r\n")
/// while let record = try reader.next() {
///     print(record.line, record.fields.count)
/// }
/// ```
public struct CSVReader: Sendable {
    /// Settings for a reader.
    public struct Options: Hashable, Sendable {
        /// The field separator, an ASCII character other than a quote, CR or LF; a comma by default.
        public var separator: UInt8
        /// The longest field allowed, in UTF-8 bytes; 16 MiB by default.
        public var maximumFieldBytes: Int
        /// Whether every record must have as many fields as the first; `true` by default, as RFC 4180 says.
        public var requiresUniformFieldCount: Bool
        /// The most fields one record may have; 10,000 by default, so a line of separators cannot exhaust memory.
        public var maximumFieldsPerRecord: Int

        /// Creates options.
        ///
        /// - Parameters:
        ///   - separator: The ASCII field separator.
        ///   - maximumFieldBytes: The longest field allowed, in UTF-8 bytes.
        ///   - requiresUniformFieldCount: Whether all records must have the first record's field count.
        ///   - maximumFieldsPerRecord: The most fields one record may have.
        public init(
            separator: UInt8 = UInt8(ascii: ","),
            maximumFieldBytes: Int = 16 << 20,
            requiresUniformFieldCount: Bool = true,
            maximumFieldsPerRecord: Int = 10_000
        ) {
            self.separator = separator
            self.maximumFieldBytes = maximumFieldBytes
            self.requiresUniformFieldCount = requiresUniformFieldCount
            self.maximumFieldsPerRecord = maximumFieldsPerRecord
        }
    }

    private let bytes: [UInt8]
    private let options: Options
    private var index: Int
    private var line = 1
    private var lineStart: Int
    private var expectedFieldCount: Int?

    /// Creates a reader over UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - bytes: The CSV text as UTF-8, with or without a byte-order mark.
    ///   - options: The reader's settings.
    public init(bytes: [UInt8], options: Options = Options()) {
        self.bytes = bytes
        self.options = options
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        self.index = start
        self.lineStart = start
    }

    /// Creates a reader over a string.
    ///
    /// - Parameters:
    ///   - string: The CSV text.
    ///   - options: The reader's settings.
    public init(string: String, options: Options = Options()) {
        self.init(bytes: Array(string.utf8), options: options)
    }

    /// Reads every remaining record.
    ///
    /// - Returns: The records in file order.
    /// - Throws: ``CareCoreError`` at the first structural fault; no partial result is returned.
    /// - Complexity: O(*n*) in the size of the input.
    public mutating func readAll() throws(CareCoreError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }

    /// Reads the next record.
    ///
    /// - Returns: The record, or `nil` at the end of the input.
    /// - Throws: ``CareCoreError`` with the position of the fault.
    public mutating func next() throws(CareCoreError) -> CSVRecord? {
        try validateSeparator()
        // Skip blank lines.
        while index < bytes.count, bytes[index] == UInt8(ascii: "\r") || bytes[index] == UInt8(ascii: "\n") {
            consumeLineBreak()
        }
        guard index < bytes.count else { return nil }
        let recordLine = line
        var fields: [String] = []
        fields.reserveCapacity(expectedFieldCount ?? 8)
        while true {
            let (field, endedRecord) = try readField()
            fields.append(field)
            if endedRecord { break }
            if fields.count >= options.maximumFieldsPerRecord {
                throw CareCoreError(
                    .limitExceeded,
                    field: FieldPath("csv"),
                    reason: "a record has more fields than the allowed maximum",
                    position: TextPosition(line: recordLine, column: 1)
                )
            }
        }
        if options.requiresUniformFieldCount {
            if let expected = expectedFieldCount, expected != fields.count {
                throw CareCoreError(
                    .fieldCountMismatch,
                    field: FieldPath("csv"),
                    reason: "this record has \(fields.count) field(s) but the first record has \(expected)",
                    position: TextPosition(line: recordLine, column: 1)
                )
            }
            expectedFieldCount = fields.count
        }
        return CSVRecord(fields: fields, line: recordLine)
    }

    private func validateSeparator() throws(CareCoreError) {
        let separator = options.separator
        guard separator < 0x80, separator != UInt8(ascii: "\""), separator != UInt8(ascii: "\r"),
            separator != UInt8(ascii: "\n")
        else {
            throw CareCoreError(
                .invalidFormat,
                field: FieldPath("csv.separator"),
                reason: "the separator must be an ASCII character other than a quote or a line break"
            )
        }
    }

    /// Reads one field starting at `index`, and says whether it ended the record.
    private mutating func readField() throws(CareCoreError) -> (String, Bool) {
        let separator = options.separator
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            return try readQuotedField()
        }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == separator || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") { break }
            if byte == UInt8(ascii: "\"") {
                throw failure(
                    .unexpectedQuote,
                    "a quote may appear only in a field that starts with a quote",
                    at: index
                )
            }
            index += 1
        }
        guard index - start <= options.maximumFieldBytes else {
            throw failure(.limitExceeded, "a field is longer than the allowed maximum", at: start)
        }
        let text = try decode(bytes[start..<index], startingAt: start)
        return (text, finishField())
    }

    private mutating func readQuotedField() throws(CareCoreError) -> (String, Bool) {
        let openingPosition = TextPosition(line: line, column: index - lineStart + 1)
        index += 1
        var content: [UInt8] = []
        var segmentStart = index
        while true {
            guard index < bytes.count else {
                throw CareCoreError(
                    .unterminatedQuote,
                    field: FieldPath("csv"),
                    reason: "a quoted field is not closed before the end of the input",
                    position: openingPosition
                )
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                content.append(contentsOf: bytes[segmentStart..<index])
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                    content.append(UInt8(ascii: "\""))
                    index += 2
                    segmentStart = index
                    if content.count > options.maximumFieldBytes {
                        throw CareCoreError(
                            .limitExceeded,
                            field: FieldPath("csv"),
                            reason: "a field is longer than the allowed maximum",
                            position: openingPosition
                        )
                    }
                    continue
                }
                index += 1
                break
            }
            if byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                // A line break inside a quoted field is part of the field; count it for positions.
                let isCRLF =
                    byte == UInt8(ascii: "\r") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n")
                index += isCRLF ? 2 : 1
                line += 1
                lineStart = index
            } else {
                index += 1
            }
            if content.count + (index - segmentStart) > options.maximumFieldBytes {
                throw CareCoreError(
                    .limitExceeded,
                    field: FieldPath("csv"),
                    reason: "a field is longer than the allowed maximum",
                    position: openingPosition
                )
            }
        }
        if index < bytes.count {
            let next = bytes[index]
            guard next == options.separator || next == UInt8(ascii: "\r") || next == UInt8(ascii: "\n") else {
                throw failure(
                    .unexpectedQuote,
                    "a closing quote must be followed by a separator or the end of the line",
                    at: index
                )
            }
        }
        guard let text = String(validating: content, as: UTF8.self) else {
            throw CareCoreError(
                .invalidEncoding,
                field: FieldPath("csv"),
                reason: "a field is not valid UTF-8",
                position: openingPosition
            )
        }
        return (text, finishField())
    }

    /// Consumes the separator or line break after a field; returns whether the record ended.
    private mutating func finishField() -> Bool {
        guard index < bytes.count else { return true }
        if bytes[index] == options.separator {
            index += 1
            return false
        }
        consumeLineBreak()
        return true
    }

    /// Consumes one CRLF, LF or lone CR at `index` and starts a new line.
    private mutating func consumeLineBreak() {
        if bytes[index] == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") {
            index += 2
        } else {
            index += 1
        }
        line += 1
        lineStart = index
    }

    private func decode(_ slice: ArraySlice<UInt8>, startingAt start: Int) throws(CareCoreError) -> String {
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw failure(.invalidEncoding, "a field is not valid UTF-8", at: start)
        }
        return text
    }

    private func failure(_ code: CareCoreError.Code, _ reason: String, at byteIndex: Int) -> CareCoreError {
        CareCoreError(
            code,
            field: FieldPath("csv"),
            reason: reason,
            position: TextPosition(line: line, column: byteIndex - lineStart + 1)
        )
    }
}
