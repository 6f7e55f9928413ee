import CareCore
import Foundation
import Testing

@Suite("Chunked line reader")
struct ChunkedLineReaderTests {
    /// Writes `text` to a temporary file and reads it back line by line with a tiny chunk size, so lines
    /// cross chunk boundaries.
    func lines(
        of bytes: [UInt8],
        chunkSize: Int = 3,
        maximum: Int = 100
    ) throws -> [(Int, String)] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var reader = ChunkedLineReader(handle: handle, maximumLineBytes: maximum, chunkSize: chunkSize)
        var result: [(Int, String)] = []
        while let line = try reader.next() { result.append((line.number, String(decoding: line.bytes, as: UTF8.self))) }
        return result
    }

    @Test("lines are numbered from 1, across chunk boundaries, with a last line that has no newline")
    func linesAcrossChunks() throws {
        let read = try lines(of: Array("alpha\nbe\n\ngamma delta\nlast".utf8))
        #expect(read.map(\.0) == [1, 2, 3, 4, 5])
        #expect(read.map(\.1) == ["alpha", "be", "", "gamma delta", "last"])
    }

    @Test("a trailing newline ends the stream without an extra empty line; CR is kept for the caller")
    func trailingNewline() throws {
        let read = try lines(of: Array("a\r\nb\n".utf8), chunkSize: 1)
        #expect(read.map(\.1) == ["a\r", "b"])
        #expect(try lines(of: []).isEmpty)
    }

    @Test("every chunk size gives the same lines")
    func chunkSizesAgree() throws {
        let text = Array(
            (1...50).map { "line \($0) " + String(repeating: "x", count: $0) }.joined(separator: "\n").utf8
        )
        let expected = try lines(of: text, chunkSize: 64 * 1024)
        for size in [1, 2, 7, 64, 1000] {
            let read = try lines(of: text, chunkSize: size)
            #expect(read.map(\.1) == expected.map(\.1))
        }
        #expect(expected.count == 50)
    }

    @Test("a line longer than the limit is refused with its number, whether or not it is terminated")
    func longLineRefused() throws {
        let long = String(repeating: "y", count: 11)
        #expect(throws: ChunkedLineReader.Failure.lineTooLong(line: 2)) {
            try lines(of: Array("ok\n\(long)\nok".utf8), maximum: 10)
        }
        #expect(throws: ChunkedLineReader.Failure.lineTooLong(line: 2)) {
            try lines(of: Array("ok\n\(long)".utf8), maximum: 10)
        }
        #expect(try lines(of: Array("0123456789\n".utf8), maximum: 10).map(\.1) == ["0123456789"])
    }
}

@Suite("Chunked line reader after an over-long line")
struct ChunkedLineReaderSkipTests {
    @Test("an over-long line is reported once, then reading goes on with the next line")
    func readingGoesOn() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("skip-\(UUID().uuidString)")
        try Data("ok\n\(String(repeating: "z", count: 50))\nnext\nlast".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var reader = ChunkedLineReader(handle: handle, maximumLineBytes: 10, chunkSize: 4)
        #expect(try reader.next()?.number == 1)
        #expect(throws: ChunkedLineReader.Failure.lineTooLong(line: 2)) { try reader.next() }
        let next = try reader.next()
        #expect(next?.number == 3)
        #expect(next.map { String(decoding: $0.bytes, as: UTF8.self) } == "next")
        #expect(try reader.next()?.number == 4)
        #expect(try reader.next() == nil)
    }
}
