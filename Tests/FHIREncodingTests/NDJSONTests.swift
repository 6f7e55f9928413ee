import FHIREncoding
import Foundation
import Testing

@Suite("NDJSON")
struct NDJSONTests {
    func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-\(UUID().uuidString).ndjson")
        try Data(bytes).write(to: url)
        return url
    }

    @Test("written resources read back in order, one compact line each")
    func writeThenRead() throws {
        let url = try temporaryFile([])
        defer { try? FileManager.default.removeItem(at: url) }
        let resources = try (1...250).map { index in
            try FHIRDecoder().decode(
                Array(
                    #"{"resourceType":"Observation","id":"o\#(index)","status":"final","code":{"text":"t"},"valueQuantity":{"value":1.50}}"#
                        .utf8
                )
            )
        }
        let output = try FileHandle(forWritingTo: url)
        var writer = NDJSONWriter(handle: output, chunkSize: 1000)
        for resource in resources { try writer.write(resource) }
        try writer.finish()
        try output.close()
        #expect(writer.count == 250)

        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 250)
        #expect(text.hasPrefix(#"{"resourceType":"Observation","id":"o1","status":"final""#))
        #expect(text.contains(#""value":1.50"#))

        let input = try FileHandle(forReadingFrom: url)
        defer { try? input.close() }
        var reader = NDJSONReader(handle: input)
        var read: [FHIRResource] = []
        while let resource = try reader.next() { read.append(resource) }
        #expect(read == resources)
    }

    @Test("blank lines are skipped and line numbers count every line")
    func blankLinesAndNumbers() throws {
        let url = try temporaryFile(
            Array(
                "\n{\"resourceType\":\"Patient\",\"id\":\"a\"}\r\n  \n{\"resourceType\":\"Patient\",\"id\":\"b\"}".utf8
            )
        )
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var reader = NDJSONReader(handle: handle)
        #expect(try reader.nextLine()?.number == 2)
        #expect(try reader.nextLine()?.number == 4)
        #expect(try reader.nextLine() == nil)
    }

    @Test("a bad line throws with its line number, and reading can go on after it")
    func badLineNamed() throws {
        let url = try temporaryFile(
            Array(
                "{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Patient\",\"gender\":\"F\"}\n[1,\n{\"resourceType\":\"Flag\",\"status\":\"active\",\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Patient/a\"}}\n"
                    .utf8
            )
        )
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var reader = NDJSONReader(handle: handle)
        #expect(try reader.next()?.resourceType == "Patient")
        let invalid = try #require(throws: FHIREncodingError.self) { try reader.next() }
        #expect(invalid.line == 2)
        #expect(invalid.code == .invalidResource)
        #expect(invalid.description.hasPrefix("line 2: invalid-resource"))
        let notJSON = try #require(throws: FHIREncodingError.self) { try reader.next() }
        #expect(notJSON.line == 3)
        #expect(notJSON.code == .invalidJSON)
        #expect(try reader.next()?.resourceType == "Flag")
        #expect(try reader.next() == nil)
    }

    @Test("a line past the decoder's byte limit is refused with its number")
    func lineLimit() throws {
        let url = try temporaryFile(
            Array(
                "{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Patient\",\"id\":\"\(String(repeating: "a", count: 60))\"}\n"
                    .utf8
            )
        )
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var reader = NDJSONReader(handle: handle, decoder: FHIRDecoder(limits: JSONReader.Limits(maximumBytes: 64)))
        #expect(try reader.next() != nil)
        let error = try #require(throws: FHIREncodingError.self) { try reader.next() }
        #expect(error.code == .limitExceeded)
        #expect(error.line == 2)
    }
}
