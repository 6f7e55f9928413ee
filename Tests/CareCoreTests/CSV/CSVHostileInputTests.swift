import CareCore
import Foundation
import Testing

/// Issue #12: CSV with huge fields is read or refused in bounded time, never by reading on without end. The
/// bounds are loose (a debug build under a sanitizer must meet them) and catch a change of complexity; the
/// release figures are in `Documentation/Security.md`.
@Suite struct CSVHostileInputTests {
    /// Under a sanitizer (the scripts set its options) code runs several times slower: the bounds stretch.
    static let slowdown: Int64 = {
        let environment = ProcessInfo.processInfo.environment
        return environment["ASAN_OPTIONS"] != nil || environment["TSAN_OPTIONS"] != nil ? 10 : 1
    }()

    /// A bound in seconds, stretched under a sanitizer.
    static func bound(_ seconds: Int64) -> Duration { .seconds(seconds * slowdown) }

    func timed<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        return (result, clock.now - start)
    }

    static let tenMegabytes = 10_000_000

    /// The error reading everything ends with, or `nil` when it reads.
    static func failure(reading reader: inout CSVReader) -> CareCoreError? {
        do throws(CareCoreError) {
            _ = try reader.readAll()
            return nil
        } catch {
            return error
        }
    }

    @Test("a 10 MB field, plain or quoted with doubled quotes and line breaks, reads in bounded time")
    func tenMegabyteField() throws {
        let plain = Array("id,note\n1,".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: Self.tenMegabytes)
        var reader = CSVReader(bytes: plain)
        let (records, elapsed) = try timed { try reader.readAll() }
        #expect(records.count == 2)
        #expect(records.last?.fields.last?.utf8.count == Self.tenMegabytes)
        #expect(elapsed < Self.bound(10))

        let piece = Array("ab\"\"\r\n".utf8)  // reads as `ab"` and a line break: four bytes of field, six written
        var quoted = Array("id,note\n1,\"".utf8)
        for _ in 0..<(Self.tenMegabytes / piece.count) { quoted += piece }
        quoted += Array("\"\n2,short\n".utf8)
        var quotedReader = CSVReader(bytes: quoted)
        let (quotedRecords, quotedElapsed) = try timed { try quotedReader.readAll() }
        #expect(quotedRecords.map(\.line) == [1, 2, 3 + Self.tenMegabytes / piece.count])
        #expect(quotedRecords[1].fields[1].utf8.count == Self.tenMegabytes / piece.count * 5)
        #expect(quotedElapsed < Self.bound(10))
    }

    @Test("a field past the limit is refused where it begins, without reading the rest")
    func fieldPastTheLimit() {
        let options = CSVReader.Options(maximumFieldBytes: 1 << 20)
        let bytes = Array("a,b\n1,".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: Self.tenMegabytes)
        var reader = CSVReader(bytes: bytes, options: options)
        let (failure, elapsed) = timed { Self.failure(reading: &reader) }
        #expect(failure?.code == .limitExceeded)
        #expect(failure?.position?.line == 2)
        #expect(failure?.position?.column == 3)
        #expect(elapsed < Self.bound(10))
    }

    @Test("a quote opened and never closed across 10 MB is refused where it opened")
    func unterminatedQuote() {
        let bytes = Array("a,b\n1,\"".utf8) + [UInt8](repeating: UInt8(ascii: "\n"), count: Self.tenMegabytes)
        var reader = CSVReader(bytes: bytes)
        let (failure, elapsed) = timed { Self.failure(reading: &reader) }
        #expect(failure?.code == .unterminatedQuote)
        #expect(failure?.position?.line == 2)
        #expect(elapsed < Self.bound(10))
    }
}
