import Foundation

/// Writes records as RFC 4180 comma-separated values: fields that hold a separator, a quote, a line break or
/// surrounding spaces, or begin with U+FEFF (which a reader would take for a byte-order mark at the start of
/// the text), are quoted, with quotes doubled; records end in CRLF.
///
/// ```swift
/// var writer = CSVWriter()
/// writer.write(["id", "note"])
/// writer.write(["1", "said \"fine\", then left"])
/// writer.text   // "id,note\r\n1,\"said \"\"fine\"\", then left\"\r\n"
/// ```
public struct CSVWriter: Sendable {
    /// The text written so far.
    public private(set) var text: String = ""
    private let separator: Character

    /// Creates a writer.
    ///
    /// - Parameter separator: The field separator; a comma by default.
    public init(separator: Character = ",") {
        self.separator = separator
    }

    /// Appends one record.
    ///
    /// A record of one empty field is written as `""`, because ``CSVReader`` skips a blank line; a record of no
    /// fields is written as a blank line and so reads back as nothing.
    ///
    /// - Parameter fields: The record's fields.
    public mutating func write(_ fields: [String]) {
        if fields == [""] {
            text += "\"\"\r\n"
            return
        }
        text += fields.map(escape).joined(separator: String(separator)) + "\r\n"
    }

    /// A field as it must be written: quoted when it would otherwise be misread.
    private func escape(_ field: String) -> String {
        let needsQuotes =
            field.contains(separator) || field.contains("\"") || field.contains("\n") || field.contains("\r")
            || field.first == " " || field.last == " " || field.unicodeScalars.first == "\u{FEFF}"
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
