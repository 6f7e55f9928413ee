import CareCore
public import Foundation

/// Reads FHIR Bulk Data NDJSON (one resource per line) from a file or stream, a chunk at a time, so memory
/// depends on the longest line and never on the file's size.
///
/// Blank lines are skipped. Every error names its line.
///
/// ```swift
/// var reader = NDJSONReader(handle: try FileHandle(forReadingFrom: url))
/// while let resource = try reader.next() {
///     print(resource.resourceType, resource.id ?? "-")
/// }
/// ```
public struct NDJSONReader: Sendable {
    /// One non-blank line of the input.
    public struct Line: Hashable, Sendable {
        /// The line's one-based number in the input.
        public let number: Int
        /// The line's bytes, without its line break.
        public let bytes: [UInt8]
    }

    private var lines: ChunkedLineReader
    /// The decoder each line goes through.
    public let decoder: FHIRDecoder

    /// Creates a reader.
    ///
    /// - Parameters:
    ///   - handle: The input, such as an opened file or standard input.
    ///   - decoder: How to decode and validate each line; strict unless given. Its byte limit also bounds
    ///     the length of a line.
    public init(handle: FileHandle, decoder: FHIRDecoder = FHIRDecoder()) {
        self.lines = ChunkedLineReader(handle: handle, maximumLineBytes: decoder.limits.maximumBytes)
        self.decoder = decoder
    }

    /// The next non-blank line, undecoded, or `nil` at the end.
    ///
    /// - Returns: The line and its number.
    /// - Throws: ``FHIREncodingError`` with ``FHIREncodingError/Code-swift.struct/io`` when the input cannot
    ///   be read, or ``FHIREncodingError/Code-swift.struct/limitExceeded`` for a line past the byte limit.
    public mutating func nextLine() throws(FHIREncodingError) -> Line? {
        while true {
            let next: (number: Int, bytes: ArraySlice<UInt8>)?
            do {
                next = try lines.next()
            } catch {
                switch error {
                case .unreadable:
                    throw FHIREncodingError(.io, field: .root, reason: "the NDJSON input could not be read")
                case .lineTooLong(let number):
                    throw FHIREncodingError(
                        .limitExceeded,
                        field: .root,
                        reason: "a line holds more than \(decoder.limits.maximumBytes) bytes",
                        line: number
                    )
                }
            }
            guard let next else { return nil }
            if next.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            return Line(number: next.number, bytes: Array(next.bytes))
        }
    }

    /// The next resource, decoded and validated, or `nil` at the end.
    ///
    /// - Returns: The resource.
    /// - Throws: ``FHIREncodingError`` for a line that cannot be read or is not a valid resource, with the
    ///   line's number set.
    public mutating func next() throws(FHIREncodingError) -> FHIRResource? {
        guard let line = try nextLine() else { return nil }
        do {
            return try decoder.decode(line.bytes)
        } catch {
            throw error.onLine(line.number)
        }
    }
}
