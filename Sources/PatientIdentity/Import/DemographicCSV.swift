public import CareCore
import Foundation

/// Reads patient records from a demographics CSV file, the format of the `patient-match` tool and of many
/// data extracts.
///
/// The file is RFC 4180 CSV with a header, in UTF-8 with or without a byte-order mark, with LF or CRLF line
/// ends. Header names are matched without regard to case; columns may come in any order, any may be missing
/// or empty, and unknown columns are ignored:
///
/// | column | read as |
/// | --- | --- |
/// | `id` | the record's id; without the column, the 1-based data row number |
/// | `nhs_number` | an NHS number, kept as received even when it fails the check digit |
/// | `given_name` | given names separated by spaces; a leading title (MR, MRS, MS, MISS, DR…) becomes a prefix |
/// | `family_name` | the family name |
/// | `date_of_birth` | `YYYY-MM-DD`, `YYYYMMDD`, `DD/MM/YYYY`, or a partial `YYYY` / `YYYY-MM`; kept as received |
/// | `sex` | male, female, other, unknown; M, F, U; or the NHS Data Dictionary codes 1, 2, 9, 0 |
/// | `postcode` | a UK postcode, kept as received when it is not valid |
/// | `address` | the first line of the address |
///
/// Bad values never reject a row or the file: a value that cannot be read is kept as received where the
/// record can hold it, and counted in ``unreadableValues`` by column, never shown. Only a structurally
/// broken file (unbalanced quotes, a wrong number of fields, no header) or a repeated id is an error.
public struct DemographicCSV: Sendable {
    /// The column names the reader understands, in lower case.
    public static let columns = [
        "id", "nhs_number", "given_name", "family_name", "date_of_birth", "sex", "postcode", "address",
    ]

    /// The records, in file order. Their ids are internal (`prefix` and the row number); ``sourceIDs`` maps
    /// them back to the file's own ids.
    public let records: [PatientRecord]
    /// The id each record has in the file.
    public let sourceIDs: [PatientRecord.ID: String]
    /// For each column, how many values could not be read (an NHS number failing the check digit, a date
    /// that is not a date, an unknown sex code, a postcode of no UK form).
    public let unreadableValues: [String: Int]

    /// Reads a file.
    ///
    /// - Parameters:
    ///   - bytes: The file's bytes.
    ///   - prefix: Letters put before each internal id, so that two files read with different prefixes can
    ///     share an index; `r` by default.
    /// - Throws: ``PatientIdentityError`` for a structurally broken file (with the line, from CareCore's CSV
    ///   reader), a repeated id (with its line) or a prefix that is not 1 to 8 ASCII letters or digits.
    public init(bytes: [UInt8], prefix: String = "r") throws(PatientIdentityError) {
        guard !prefix.isEmpty, prefix.count <= 8, prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            throw PatientIdentityError(
                .outOfRange,
                field: FieldPath("prefix"),
                reason: "a prefix must be 1 to 8 ASCII letters or digits"
            )
        }
        let table: CSVTable
        do {
            table = try CSVTable(bytes: bytes)
        } catch {
            let line = error.position.map { " at line \($0.line)" } ?? ""
            throw PatientIdentityError(.invalidFormat, field: error.field, reason: error.reason + line)
        }
        var columnOf: [String: Int] = [:]
        for (position, name) in table.header.enumerated() {
            let key = name.trimmingASCIIWhitespace().lowercased()
            if Self.columns.contains(key), columnOf[key] == nil { columnOf[key] = position }
        }
        let columns = columnOf
        @Sendable func value(_ column: String, in row: CSVRecord) -> String {
            guard let position = columns[column], position < row.fields.count else { return "" }
            return row.fields[position].trimmingASCIIWhitespace()
        }
        // Ids first, in order, so that a repeated id is reported at its first repetition.
        var sourceIDs: [PatientRecord.ID: String] = [:]
        var seen: [String: Int] = [:]
        var ids: [PatientRecord.ID] = []
        sourceIDs.reserveCapacity(table.rows.count)
        seen.reserveCapacity(table.rows.count)
        ids.reserveCapacity(table.rows.count)
        for (rowNumber, row) in table.rows.enumerated() {
            let sourceID = columns["id"] == nil ? String(rowNumber + 1) : value("id", in: row)
            if let first = seen[sourceID] {
                throw PatientIdentityError(
                    .inconsistent,
                    field: FieldPath("csv.id"),
                    reason: "an id at line \(row.line) repeats the id at line \(first)"
                )
            }
            seen[sourceID] = row.line
            let id = PatientRecord.ID(unchecked: "\(prefix)\(rowNumber + 1)")
            ids.append(id)
            sourceIDs[id] = sourceID
        }
        // Then the records, in parallel chunks: reading names, dates and postcodes is the costly part.
        let rows = table.rows
        let recordIDs = ids
        let chunkSize = 16_384
        let chunkCount = (rows.count + chunkSize - 1) / chunkSize
        let built = ResultChunks<(records: [PatientRecord], unreadable: [String: Int])>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            var records: [PatientRecord] = []
            var unreadable: [String: Int] = [:]
            for rowNumber in (chunk * chunkSize)..<min(rows.count, (chunk + 1) * chunkSize) {
                let row = rows[rowNumber]
                records.append(
                    Self.record(id: recordIDs[rowNumber], value: { value($0, in: row) }, unreadable: &unreadable)
                )
            }
            built.store((records, unreadable), at: chunk)
        }
        var records: [PatientRecord] = []
        var unreadable: [String: Int] = [:]
        records.reserveCapacity(rows.count)
        for part in built.slots() {
            records.append(contentsOf: part.records)
            unreadable.merge(part.unreadable, uniquingKeysWith: +)
        }
        self.records = records
        self.sourceIDs = sourceIDs
        self.unreadableValues = unreadable
    }

    private static let titles: Set<String> = [
        "MR", "MRS", "MS", "MISS", "MX", "DR", "PROF", "REV", "SIR", "LADY", "LORD", "DAME",
    ]

    private static func record(
        id: PatientRecord.ID,
        value: (String) -> String,
        unreadable: inout [String: Int]
    )
        -> PatientRecord
    {
        var record = PatientRecord(id: id)

        let nhsText = value("nhs_number")
        if !nhsText.isEmpty {
            let number = NHSNumber(nhsText)
            if number == nil { unreadable["nhs_number", default: 0] += 1 }
            record.nhsNumber = Recorded(text: nhsText, value: number)
        }

        var words = value("given_name").split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var prefixes: [String] = []
        while let first = words.first, words.count > 1 || value("family_name").isEmpty == false,
            titles.contains(first.uppercased().replacingDots())
        {
            prefixes.append(first)
            words.removeFirst()
        }
        let family = value("family_name")
        if !words.isEmpty || !family.isEmpty {
            if let name = try? HumanName(
                use: .official,
                prefixes: prefixes,
                given: words,
                family: family.isEmpty ? nil : family
            ) {
                record.names = [name]
            } else {
                unreadable["given_name", default: 0] += 1
            }
        }

        let birthText = value("date_of_birth")
        if !birthText.isEmpty {
            let date = Self.birthDate(birthText)
            if date == nil { unreadable["date_of_birth", default: 0] += 1 }
            record.birthDate = Recorded(text: birthText, value: date)
        }

        let sexText = value("sex")
        if !sexText.isEmpty {
            switch sexText.lowercased() {
            case "male", "m", "1": record.gender = .male
            case "female", "f", "2": record.gender = .female
            case "other", "o", "9": record.gender = .other
            case "unknown", "u", "0": record.gender = .unknown
            default: unreadable["sex", default: 0] += 1
            }
        }

        let postcodeText = value("postcode")
        let addressText = value("address")
        let postcode = postcodeText.isEmpty ? nil : Postcode(postcodeText)
        if !postcodeText.isEmpty && postcode == nil {
            unreadable["postcode", default: 0] += 1
            record.receivedPostcode = Recorded(text: postcodeText, value: nil)
        }
        if postcode != nil || !addressText.isEmpty,
            let address = try? Address(use: .home, lines: addressText.isEmpty ? [] : [addressText], postcode: postcode)
        {
            record.addresses = [address]
        }
        return record
    }

    /// Reads `YYYY-MM-DD`, `YYYYMMDD`, `DD/MM/YYYY`, `YYYY` or `YYYY-MM`.
    static func birthDate(_ text: String) -> FHIRDate? {
        if let date = try? FHIRDate(parsing: text) { return date }
        let characters = Array(text)
        if characters.count == 8, characters.allSatisfy(\.isASCIIDigit) {
            let iso = String(characters[0..<4]) + "-" + String(characters[4..<6]) + "-" + String(characters[6..<8])
            return try? FHIRDate(parsing: iso)
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 3, parts[2].count == 4, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) })
        {
            let day = parts[0].count == 1 ? "0" + parts[0] : parts[0]
            let month = parts[1].count == 1 ? "0" + parts[1] : parts[1]
            return try? FHIRDate(parsing: "\(parts[2])-\(month)-\(day)")
        }
        return nil
    }
}

extension DemographicCSV: CustomStringConvertible, CustomReflectable {
    /// The number of records and of unreadable values only, such as
    /// `DemographicCSV(120 records, 3 unreadable values)`: the file's own ids may be patient data (an NHS
    /// number used as the id), and the records describe themselves by their internal ids.
    public var description: String {
        let recordText = records.count == 1 ? "1 record" : "\(records.count) records"
        let unreadableText = unreadableCount == 1 ? "1 unreadable value" : "\(unreadableCount) unreadable values"
        return "DemographicCSV(\(recordText), \(unreadableText))"
    }

    /// A mirror that shows the number of records and of unreadable values only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["recordCount": records.count, "unreadableValueCount": unreadableCount],
            displayStyle: .struct
        )
    }

    /// How many values could not be read, in all columns.
    private var unreadableCount: Int { unreadableValues.values.reduce(0, +) }
}

extension String {
    fileprivate func replacingDots() -> String {
        filter { $0 != "." }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
