import ConsentAccess
import Foundation
import Testing

// Every expected digest below was computed independently with Python's hashlib and hmac modules, never by the
// code under test.

/// Parses a digest literal; a malformed literal throws, which fails the test rather than crashing it.
private func digest(_ hex: String) throws -> SHA256Digest {
    try #require(SHA256Digest(hex: hex), "not a digest: \(hex)")
}

/// Decodes hexadecimal text, such as `"2021"`, into bytes.
private func bytes(hex: String) throws -> [UInt8] {
    let digits = Array(hex.utf8)
    try #require(digits.count.isMultiple(of: 2), "odd number of hex digits in \(hex)")
    var result: [UInt8] = []
    var index = 0
    while index < digits.count {
        let pair = String(decoding: digits[index..<index + 2], as: UTF8.self)
        result.append(try #require(UInt8(pair, radix: 16), "bad hex pair \(pair)"))
        index += 2
    }
    return result
}

/// The deterministic test pattern: byte `i` is `(i * 31 + 7) & 0xff`.
private func pattern(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
}

/// The SHA-256 digests of `pattern(n)`, at and around the padding edges of one and two blocks.
private let patternDigests: [(length: Int, hex: String)] = [
    (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    (1, "ca358758f6d27e6cf45272937977a748fd88391db679ceda7dc7bf1f005ee879"),
    (55, "8aa994584139d128848eeebc4e815639ba5ab6e6e39574195a63ac4f14f7c43b"),
    (56, "ad574708f75c044c9b85de64cb568ee7711ff4f36448c6242f053ba8f6cc2b63"),
    (57, "5b46e502092be01b1100193e089fdda95638c12e19a1d24f308eb2c3d3ae849d"),
    (63, "280ed3e8ff1df845b2e7dfe6ac6cee817bef20e783cc65abc41b818b4d2fe076"),
    (64, "c6ab9724ade5b6a7a1edfffb12f3aa9181351355af8fd08c919952ad211339dd"),
    (65, "788367c73c7ddf4c53f65e68cc0d943e6227ab55b0e78ba63ace822b1c6301c0"),
    (119, "3d610547d68216dedf7435a4fb6260353911f6b3fd3f18805ddb8be285d726fe"),
    (120, "1f80156a804cb7862ad113e8200e9d74499723e7c7854d5f48776d3148e09656"),
    (127, "192409cd280e14b743642ad1343fbd3e82d9305de72c078117745a679210cc3d"),
    (128, "cc548ca2dec1f6fe4f58b2e27aa9c7521607df1130d140b55a4dad0665302356"),
    (129, "81e89a7b2911aaa7795f9e3d4910cb47d6cd2b00d83b8399481527261a1a7519"),
    (1000, "5097e7d587352f5097062ae679f37bda5802d9f875aba14c8cb4d1a188ada179"),
]

/// The digest of `pattern(1000)`, the message the streaming tests split.
private let pattern1000Digest = "5097e7d587352f5097062ae679f37bda5802d9f875aba14c8cb4d1a188ada179"

@Suite("SHA-256")
struct SHA256Tests {
    @Test(
        "FIPS 180-4 examples",
        arguments: [
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                    + "mnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
        ]
    )
    func fipsExamples(message: String, expected: String) throws {
        #expect(SHA256.hash(message.utf8) == (try digest(expected)))
        #expect(SHA256.hash(Array(message.utf8)).hex == expected)
    }

    @Test("FIPS 180-4 example: one million repetitions of 'a'")
    func millionA() throws {
        let expected = try digest("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)) == expected)

        var hasher = SHA256()
        let thousand = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 {
            hasher.update(thousand)
        }
        #expect(hasher.finalize() == expected)
    }

    @Test(
        "NIST SHA256ShortMsg vectors",
        arguments: [
            ("d3", "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1"),
            ("11af", "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98"),
        ]
    )
    func nistShortMessages(message: String, expected: String) throws {
        #expect(SHA256.hash(try bytes(hex: message)) == (try digest(expected)))
    }

    @Test("Messages at the padding edges", arguments: patternDigests)
    func paddingEdges(length: Int, expected: String) throws {
        #expect(SHA256.hash(pattern(length)) == (try digest(expected)))
    }

    @Test("Sequences without contiguous storage hash like arrays", arguments: patternDigests)
    func nonContiguousSequences(length: Int, expected: String) throws {
        let message = pattern(length)
        #expect(SHA256.hash(message.lazy.map { $0 }) == (try digest(expected)))
        #expect(SHA256.hash(message[...]) == (try digest(expected)))
    }

    @Test("Raw buffers hash like arrays", arguments: patternDigests)
    func rawBuffers(length: Int, expected: String) throws {
        var hasher = SHA256()
        pattern(length).withUnsafeBytes { hasher.update($0) }
        #expect(hasher.finalize() == (try digest(expected)))
    }

    @Test("Data from Foundation hashes like an array")
    func foundationData() throws {
        #expect(SHA256.hash(Data(pattern(1000))) == (try digest(pattern1000Digest)))
    }

    @Test("Splitting the message in two at any offset gives the one-shot digest")
    func splitAtEveryOffset() throws {
        let message = pattern(1000)
        let expected = try digest(pattern1000Digest)
        for offset in 0...message.count {
            var hasher = SHA256()
            hasher.update(message[..<offset])
            hasher.update(message[offset...])
            #expect(hasher.finalize() == expected, "split at \(offset)")
        }
    }

    @Test("Feeding odd-sized chunks gives the one-shot digest", arguments: [1, 3, 7, 63, 64, 65, 999, 1000])
    func chunks(size: Int) throws {
        let message = pattern(1000)
        var hasher = SHA256()
        var start = 0
        while start < message.count {
            let end = min(start + size, message.count)
            hasher.update(message[start..<end])
            start = end
        }
        #expect(hasher.finalize() == (try digest(pattern1000Digest)))
    }

    @Test("Empty updates change nothing")
    func emptyUpdates() throws {
        var hasher = SHA256()
        hasher.update([UInt8]())
        hasher.update(UnsafeRawBufferPointer(start: nil, count: 0))
        hasher.update(pattern(65))
        hasher.update(EmptyCollection<UInt8>())
        #expect(hasher.finalize() == (try digest(patternDigests[7].hex)))
    }

    @Test("A copied hasher continues independently")
    func copiedHasher() throws {
        var prefix = SHA256()
        prefix.update(Array("abc".utf8))
        var longer = prefix
        longer.update(Array("dbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        #expect(prefix.finalize() == (try digest("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")))
        #expect(longer.finalize() == (try digest("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")))
    }
}

@Suite("SHA-256 digests")
struct SHA256DigestTests {
    private let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    @Test("Hexadecimal text round-trips and is lowercase")
    func hexRoundTrip() throws {
        let value = try digest(abc)
        #expect(value.hex == abc)
        #expect(value.description == abc)
        #expect("\(value)" == abc)
        #expect(SHA256Digest(hex: abc.uppercased()) == value)
        #expect(SHA256Digest(hex: "BA7816bf8f01CFEA414140de5dae2223b00361a396177a9cb410ff61f20015AD") == value)
    }

    @Test(
        "Malformed hexadecimal text is rejected",
        arguments: [
            "",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ag",
            "ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "ba7816bf8f01cfea414140de5dae2223 00361a396177a9cb410ff61f20015ad",
            " ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015aé",
            "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015",
        ]
    )
    func malformedHex(text: String) {
        #expect(SHA256Digest(hex: text) == nil)
    }

    @Test("Bytes round-trip and must number exactly 32")
    func bytesRoundTrip() throws {
        let value = try digest(abc)
        let raw = value.bytes
        #expect(raw == (try bytes(hex: abc)))
        #expect(raw.count == SHA256Digest.byteCount)
        #expect(SHA256Digest(bytes: raw) == value)
        #expect(SHA256Digest(bytes: raw.lazy.map { $0 }) == value)
        #expect(value.withUnsafeBytes { Array($0) } == raw)
        #expect(SHA256Digest(bytes: raw.dropLast()) == nil)
        #expect(SHA256Digest(bytes: raw + [0]) == nil)
        #expect(SHA256Digest(bytes: []) == nil)
        #expect(SHA256Digest(bytes: repeatElement(UInt8(1), count: Int.max)) == nil)
    }

    @Test("Codable as a single hexadecimal string")
    func codableRoundTrip() throws {
        let values = [try digest(abc), SHA256.hash([UInt8]())]
        let json = try JSONEncoder().encode(values)
        let expectedJSON = "[\"\(abc)\",\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"]"
        #expect(String(decoding: json, as: UTF8.self) == expectedJSON)
        #expect(try JSONDecoder().decode([SHA256Digest].self, from: json) == values)
        let uppercase = Data("[\"\(abc.uppercased())\"]".utf8)
        #expect(try JSONDecoder().decode([SHA256Digest].self, from: uppercase) == [values[0]])
    }

    @Test(
        "Decoding a malformed string throws dataCorrupted",
        arguments: ["[\"abc\"]", "[\"\(String(repeating: "z", count: 64))\"]"]
    )
    func decodingMalformed(json: String) {
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([SHA256Digest].self, from: Data(json.utf8))
        }
        var isDataCorrupted = false
        if case .dataCorrupted? = error {
            isDataCorrupted = true
        }
        #expect(isDataCorrupted, "got \(String(describing: error))")
    }

    @Test("Decoding a non-string throws")
    func decodingNonString() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([SHA256Digest].self, from: Data("[42]".utf8))
        }
    }

    @Test("Ordering is byte-wise lexicographic")
    func ordering() throws {
        let low = try digest("00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")
        let high = try digest("0100000000000000000000000000000000000000000000000000000000000000")
        let lastByteLow = try digest("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00")
        let lastByteHigh = try digest("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff01")
        #expect(low < high)
        #expect(!(high < low))
        #expect(lastByteLow < lastByteHigh)
        #expect(high < lastByteLow)
        #expect(!(low < low))

        let digests = (0..<200).map { SHA256.hash(pattern($0)) }
        let sorted = digests.sorted()
        #expect(sorted.map(\.hex) == digests.map(\.hex).sorted())
        for (first, second) in zip(digests, digests.dropFirst()) {
            #expect((first < second) == first.bytes.lexicographicallyPrecedes(second.bytes))
        }
    }

    @Test("Equal digests are equal and hash equally")
    func hashable() throws {
        let first = try digest(abc)
        let second = SHA256.hash("abc".utf8)
        #expect(first == second)
        #expect(Set([first, second, SHA256.hash([UInt8]())]).count == 2)
        #expect(first != SHA256.hash("abd".utf8))
    }
}

@Suite("HMAC-SHA256")
struct HMACSHA256Tests {
    /// The seven test cases of RFC 4231 §4.2 to §4.8: key, data and HMAC-SHA-256.
    static let rfc4231: [(key: String, data: String, code: String)] = [
        (
            String(repeating: "0b", count: 20),
            "4869205468657265",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            "4a656665",
            "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            String(repeating: "aa", count: 20),
            String(repeating: "dd", count: 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        (
            "0102030405060708090a0b0c0d0e0f10111213141516171819",
            String(repeating: "cd", count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        (
            String(repeating: "0c", count: 20),
            "546573742057697468205472756e636174696f6e",
            "a3b6167473100ee06e0c796c2955552b"
        ),
        (
            String(repeating: "aa", count: 131),
            "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579"
                + "204669727374",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            String(repeating: "aa", count: 131),
            "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b6579"
                + "20616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
                + "647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c"
                + "676f726974686d2e",
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ]

    @Test("RFC 4231 test cases 1 to 7", arguments: 0..<7)
    func rfc4231Cases(index: Int) throws {
        let testCase = Self.rfc4231[index]
        let key = try bytes(hex: testCase.key)
        let data = try bytes(hex: testCase.data)
        let expected = try bytes(hex: testCase.code)
        let code = HMACSHA256.authenticationCode(for: data, key: key)
        // Case 5 (index 4) gives only the first 128 bits of the code.
        #expect(Array(code.bytes.prefix(expected.count)) == expected, "RFC 4231 case \(index + 1)")
    }

    @Test("RFC 4231 text cases read as UTF-8 strings")
    func rfc4231Text() throws {
        let code = HMACSHA256.authenticationCode(for: "what do ya want for nothing?".utf8, key: "Jefe".utf8)
        #expect(code == (try digest("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")))
    }

    @Test(
        "Keys around the block size, fed contiguously or element by element",
        arguments: [
            (63, "40858ddecad165008b0ae79eaec2b11e8b1ed7a32b21f7e153089db5a58bb7d8"),
            (64, "d7a20cc7ab6ee89713f39019f7296f12c666b01a052ca50a9b0c5345225f476d"),
            (65, "173e6f0540045b29629db2a35daf22deb7313fd29edb6e948e92b27dd6171dee"),
        ]
    )
    func keysAroundBlockSize(keyLength: Int, expected: String) throws {
        let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        let message = pattern(200)
        let expectedCode = try digest(expected)
        #expect(HMACSHA256.authenticationCode(for: message, key: key) == expectedCode)
        #expect(HMACSHA256.authenticationCode(for: message.lazy.map { $0 }, key: key.lazy.map { $0 }) == expectedCode)
    }

    @Test("Streaming in chunks gives the one-shot code, and a keyed authenticator can be reused by copying")
    func streaming() throws {
        let testCase = Self.rfc4231[6]
        let key = try bytes(hex: testCase.key)
        let data = try bytes(hex: testCase.data)
        let expected = try digest(testCase.code)
        let keyed = HMACSHA256(key: key)
        for size in [1, 3, 7, 63, 65] {
            var authenticator = keyed
            var start = 0
            while start < data.count {
                let end = min(start + size, data.count)
                authenticator.update(data[start..<end])
                start = end
            }
            #expect(authenticator.finalize() == expected, "chunks of \(size)")
        }
        var whole = keyed
        whole.update(data)
        #expect(whole.finalize() == expected)
    }

    @Test("isValid accepts equal codes and rejects codes that differ anywhere")
    func isValid() throws {
        let code = HMACSHA256.authenticationCode(for: "message".utf8, key: "key".utf8)
        #expect(HMACSHA256.isValid(code, equalTo: code))
        #expect(HMACSHA256.isValid(code, equalTo: try #require(SHA256Digest(bytes: code.bytes))))
        for index in 0..<SHA256Digest.byteCount {
            for bit in [UInt8(0x01), 0x80] {
                var altered = code.bytes
                altered[index] ^= bit
                let forged = try #require(SHA256Digest(bytes: altered))
                #expect(!HMACSHA256.isValid(forged, equalTo: code), "byte \(index) bit \(bit)")
                #expect(!HMACSHA256.isValid(code, equalTo: forged), "byte \(index) bit \(bit)")
            }
        }
        let otherKey = HMACSHA256.authenticationCode(for: "message".utf8, key: "kez".utf8)
        #expect(!HMACSHA256.isValid(otherKey, equalTo: code))
    }
}

@Suite("RFC 6962 Merkle trees")
struct MerkleTreeTests {
    /// The leaves of the Certificate Transparency reference tests, as hexadecimal text.
    static let referenceLeaves = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ]

    /// The roots of the trees over the first n reference leaves, for n from 0 to 8.
    static let referenceRoots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    /// The Merkle Tree Hash exactly as RFC 6962 §2.1 defines it, recursively, from SHA-256 alone.
    static func recursiveRoot(_ leaves: ArraySlice<[UInt8]>) -> SHA256Digest {
        switch leaves.count {
        case 0:
            return SHA256.hash([UInt8]())
        case 1:
            return SHA256.hash([0x00] + leaves[leaves.startIndex])
        default:
            var split = 1
            while split * 2 < leaves.count {
                split *= 2
            }
            let middle = leaves.startIndex + split
            let left = recursiveRoot(leaves[..<middle])
            let right = recursiveRoot(leaves[middle...])
            return SHA256.hash([0x01] + left.bytes + right.bytes)
        }
    }

    @Test("The reference roots for the first n leaves", arguments: 0...8)
    func referenceRoots(count: Int) throws {
        let leaves = try Self.referenceLeaves.prefix(count).map { try bytes(hex: $0) }
        let expected = try digest(Self.referenceRoots[count])
        #expect(MerkleTree.root(ofLeaves: leaves) == expected)
        #expect(MerkleTree.root(ofLeafHashes: leaves.map { MerkleTree.leafHash($0) }) == expected)
        #expect(Self.recursiveRoot(leaves[...]) == expected)
    }

    @Test("Leaf and node hashes use the 0x00 and 0x01 prefixes")
    func prefixes() throws {
        #expect(
            MerkleTree.leafHash([UInt8]())
                == (try digest("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"))
        )
        let zero = try #require(SHA256Digest(bytes: [UInt8](repeating: 0, count: 32)))
        let one = try #require(SHA256Digest(bytes: [UInt8](repeating: 0, count: 31) + [1]))
        // SHA256(0x01 || 32 zero bytes || 31 zero bytes || 0x01), from Python.
        let expected = try digest("f49f4a15742a75d1ccd38e74faeede624fab2938989f9c878e3fa1b6db6bcb9c")
        #expect(MerkleTree.nodeHash(zero, one) == expected)
        #expect(MerkleTree.nodeHash(one, zero) != expected)
    }

    @Test("The one-pass root equals the recursive definition for 0 to 70 leaves")
    func matchesRecursiveDefinition() {
        let leaves = (0..<70).map { pattern($0 % 9) + [UInt8(truncatingIfNeeded: $0)] }
        let leafHashes = leaves.map { MerkleTree.leafHash($0) }
        for count in 0...70 {
            let expected = Self.recursiveRoot(leaves[..<count])
            #expect(MerkleTree.root(ofLeafHashes: leafHashes[..<count]) == expected, "\(count) leaves")
            #expect(MerkleTree.root(ofLeaves: leaves[..<count]) == expected, "\(count) leaves")
        }
    }

    @Test("Leaves may come from a lazy sequence that is not a collection")
    func lazyLeaves() throws {
        let leaves = try Self.referenceLeaves.map { try bytes(hex: $0) }
        let sequence = AnySequence(leaves.lazy.map { $0.lazy.map { $0 } })
        #expect(MerkleTree.root(ofLeaves: sequence) == (try digest(Self.referenceRoots[8])))
    }
}
