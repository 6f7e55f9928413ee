package import Foundation

/// Reads a file or stream line by line in fixed-size chunks, so memory is bounded by the longest line
/// allowed, never by the stream's length. Shared by the line-oriented readers of the suite (the triage
/// board's event stream, FHIR NDJSON).
///
/// Lines end at `\n`; a last line without one is still returned. The bytes of a line exclude the `\n` but
/// keep any `\r`, which JSON readers treat as whitespace. A line over the limit is reported once and then
/// skipped, so reading can go on with the next line.
package struct ChunkedLineReader: Sendable {
    /// Why reading stopped.
    package enum Failure: Error, Equatable {
        /// The handle could not be read.
        case unreadable
        /// A line, numbered from 1, is longer than the limit.
        case lineTooLong(line: Int)
    }

    private let handle: FileHandle
    private let chunkSize: Int
    private let maximumLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var finished = false
    private var number = 0
    /// Set after an over-long line is reported: its remaining bytes are discarded up to its newline.
    private var skipping = false

    /// Creates a reader.
    ///
    /// - Parameters:
    ///   - handle: The stream.
    ///   - maximumLineBytes: The longest line accepted.
    ///   - chunkSize: How much to read at a time.
    package init(handle: FileHandle, maximumLineBytes: Int, chunkSize: Int = 64 * 1024) {
        self.handle = handle
        self.maximumLineBytes = maximumLineBytes
        self.chunkSize = max(chunkSize, 1)
    }

    /// The next line and its one-based number, or `nil` at the end of the stream.
    package mutating func next() throws(Failure) -> (number: Int, bytes: ArraySlice<UInt8>)? {
        while true {
            if skipping {
                if let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                    start = newline + 1
                    scanned = start
                    skipping = false
                    continue
                }
                start = buffer.count
                scanned = start
                if finished { return nil }
                try refill()
                continue
            }
            if let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[start..<newline]
                start = newline + 1
                scanned = start
                number += 1
                guard line.count <= maximumLineBytes else { throw .lineTooLong(line: number) }
                return (number, line)
            }
            scanned = buffer.count
            if buffer.count - start > maximumLineBytes {
                number += 1
                skipping = true
                throw .lineTooLong(line: number)
            }
            if finished {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                scanned = start
                number += 1
                return (number, line)
            }
            try refill()
        }
    }

    /// Drops consumed bytes and appends the next chunk, noting the end of the stream.
    private mutating func refill() throws(Failure) {
        if start > 0 {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
        let chunk: Data?
        do {
            chunk = try handle.read(upToCount: chunkSize)
        } catch {
            throw .unreadable
        }
        guard let chunk, !chunk.isEmpty else {
            finished = true
            return
        }
        buffer.append(contentsOf: chunk)
    }
}
