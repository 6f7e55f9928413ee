/// A position in a text input: a one-based line and a one-based column counted in bytes of UTF-8.
///
/// Parsers of files (CSV here, JSON in the FHIR module) report structural errors with a position so that a
/// person can open the file and find the fault without the error repeating the file's content.
public struct TextPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The one-based line number; lines end at LF, CRLF or a lone CR.
    public var line: Int
    /// The one-based column, counted in UTF-8 bytes from the start of the line.
    public var column: Int

    /// Creates a position.
    ///
    /// - Parameters:
    ///   - line: The one-based line number.
    ///   - column: The one-based column in UTF-8 bytes.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The position as `line 3, column 7`.
    public var description: String { "line \(line), column \(column)" }

    /// Orders positions by line, then column.
    ///
    /// - Parameters:
    ///   - lhs: A position.
    ///   - rhs: Another position.
    /// - Returns: Whether `lhs` comes first in the text.
    public static func < (lhs: TextPosition, rhs: TextPosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}
