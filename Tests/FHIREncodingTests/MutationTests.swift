import CareCore
import FHIREncoding
import Foundation
import Testing

/// Seeded mutations of the corpus: truncations, byte flips, deep nesting, huge numbers, invalid UTF-8,
/// repeated and deleted slices. No input may crash the decoder; whatever is accepted must round-trip, and
/// whatever is refused must say where; whatever is accepted must also build a typed model that writes the
/// same JSON. `FHIR_MUTATIONS=N` sets how many inputs (10,000 by default). The long run, 1,000,000 inputs in
/// 83 s: `FHIR_MUTATIONS=1000000 swift test -c release -Xswiftc -enable-testing --filter MutationTests`.
@Suite("Mutated input")
struct MutationTests {
    static let count = Int(ProcessInfo.processInfo.environment["FHIR_MUTATIONS"] ?? "") ?? 10_000

    /// The corpus files small enough to mutate many times: everything up to 64 KB.
    static func seeds() throws -> [[UInt8]] {
        try Corpus.validFiles.map { try Corpus.bytes($0) }.filter { $0.count <= 64 * 1024 }
    }

    static func mutate(_ bytes: [UInt8], using generator: inout SeededRandomNumberGenerator) -> [UInt8] {
        var bytes = bytes
        let offset = Int.random(in: 0...bytes.count, using: &generator)
        switch Int.random(in: 0..<8, using: &generator) {
        case 0:
            bytes.removeSubrange(offset...)
        case 1:
            for _ in 0..<Int.random(in: 1...8, using: &generator) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
        case 2:
            let depth = [10, 200, 5_000, 100_000].randomElement(using: &generator) ?? 10
            bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "["), count: depth), at: offset)
        case 3:
            let huge = Array("1\(String(repeating: "0", count: 400)).5E+99999999".utf8)
            bytes.insert(contentsOf: huge, at: offset)
        case 4:
            let invalid: [[UInt8]] = [
                [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xFF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
            ]
            bytes.insert(contentsOf: invalid.randomElement(using: &generator) ?? [0xFF], at: offset)
        case 5:
            let end = min(bytes.count, offset + Int.random(in: 1...64, using: &generator))
            bytes.insert(contentsOf: bytes[offset..<end], at: offset)
        case 6:
            let end = min(bytes.count, offset + Int.random(in: 1...64, using: &generator))
            bytes.removeSubrange(offset..<end)
        default:
            let quote = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\"") }.randomElement(using: &generator)
            if let quote { bytes.insert(contentsOf: Array("\\ud800".utf8), at: quote + 1) }
        }
        return bytes
    }

    @Test("no mutated input crashes the decoder; what passes round-trips, what fails says where")
    func mutatedInputIsHandled() throws {
        let seeds = try Self.seeds()
        try #require(seeds.count > 250)
        var generator = SeededRandomNumberGenerator(seed: 8_000_008)
        let decoder = FHIRDecoder()
        var accepted = 0
        var refused = 0
        for _ in 0..<Self.count {
            let seed = seeds[Int.random(in: 0..<seeds.count, using: &generator)]
            let input = Self.mutate(seed, using: &generator)
            let report = decoder.validate(input)
            if let resource = report.resource {
                accepted += 1
                let encoded = FHIREncoder().encode(resource)
                let again = try JSONReader().read(encoded)
                #expect(again.isEquivalent(to: try JSONReader().read(input)))
                #expect(decoder.validate(encoded).isValid)
                // A strictly valid resource always builds a typed model, which writes the same JSON back.
                let typed = try R4.Resource(resource)
                #expect(JSONValue.object(typed.json).isEquivalent(to: resource.jsonValue))
            } else {
                refused += 1
                let failure = try #require(report.firstFailure)
                // A JSON fault gives its byte offset; a FHIR fault a location rooted at the resource type.
                if failure.severity == .fatal {
                    #expect(failure.diagnostics.contains("(byte "))
                } else {
                    #expect(
                        failure.location.first?.isUppercase == true
                            || ["(resource)", "resourceType"].contains(failure.location),
                        "\(failure.location)"
                    )
                }
            }
        }
        #expect(accepted > 0, "some mutations (a byte flipped inside a string) leave a valid resource")
        #expect(refused > Self.count / 2, "most mutations should break the resource")
    }
}
