import Foundation

/// Writes records as RFC 4180 comma-separated values: fields that hold a separator, a quote, a line break or
/// surrounding spaces, or begin with U+FEFF (which a reader would take for a byte-order mark at the start of
/// the text), are quoted, with quotes doubled, judged scalar by scalar; records end in CRLF.
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
    ///
    /// Works on Unicode scalars, as the reader works on bytes: a quote or a separator followed by a combining
    /// mark is one `Character` to Swift (`"\"\u{0619}"`), which `contains("\"")` and `replacingOccurrences`
    /// would miss, but it is still a quote to the reader.
    private func escape(_ field: String) -> String {
        Self.escaped(field, separator: separator)
    }

    /// A field quoted when it must be, for writers in the suite that lay out their own lines (the RBAC
    /// catalogue's CSV): the same rules as ``write(_:)``.
    ///
    /// - Parameters:
    ///   - field: The field.
    ///   - separator: The field separator.
    /// - Returns: The field as it must be written.
    package static func escaped(_ field: String, separator: Character = ",") -> String {
        let scalars = field.unicodeScalars
        let separators = separator.unicodeScalars
        let needsQuotes =
            scalars.contains { $0 == "\"" || $0 == "\n" || $0 == "\r" || separators.contains($0) }
            || scalars.first == " " || scalars.last == " " || scalars.first == "\u{FEFF}"
        guard needsQuotes else { return field }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in scalars {
            if scalar == "\"" { quoted.append("\"") }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }
}
