import CareCore
import FHIREncoding
import Testing

@Suite("JSONReader")
struct JSONReaderTests {
    /// Reads UTF-8 text.
    func read(_ text: String, limits: JSONReader.Limits = JSONReader.Limits()) throws -> JSONValue {
        try JSONReader(limits: limits).read(Array(text.utf8))
    }

    /// The error reading bytes gives, or `nil` when they read.
    func failure(bytes: [UInt8], limits: JSONReader.Limits = JSONReader.Limits()) -> FHIREncodingError? {
        do throws(FHIREncodingError) {
            _ = try JSONReader(limits: limits).read(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// The error reading UTF-8 text gives, or `nil` when it reads.
    func failure(_ text: String, limits: JSONReader.Limits = JSONReader.Limits()) -> FHIREncodingError? {
        failure(bytes: Array(text.utf8), limits: limits)
    }

    // MARK: Strings

    @Test(
        "each escape RFC 8259 defines is decoded",
        arguments: [
            (#"\""#, "\""),
            (#"\\"#, "\\"),
            (#"\/"#, "/"),
            (#"\b"#, "\u{08}"),
            (#"\f"#, "\u{0C}"),
            (#"\n"#, "\n"),
            (#"\r"#, "\r"),
            (#"\t"#, "\t"),
            (#"\u00e9"#, "é"),
            (#"\u00E9"#, "é"),
            (#"\u0000"#, "\u{00}"),
            (#"\ud83d\ude00"#, "😀"),
            (#"\uD83D\uDE00"#, "😀"),
        ]
    )
    func escapeIsDecoded(escape: String, decoded: String) throws {
        #expect(try read("\"\(escape)\"") == .string(decoded))
        #expect(try read("\"ab\(escape)cd\(escape)\"") == .string("ab\(decoded)cd\(decoded)"))
    }

    @Test(
        "lone surrogates, short \\u escapes and undefined escapes are refused where they start",
        arguments: [
            (#""\ud83d""#, 1),
            (#""\ud83dx""#, 1),
            (#""\ud83d\u0041""#, 1),
            (#""\ud83d\ud83d""#, 1),
            (#""\ude00""#, 1),
            (#""ab\udfff""#, 3),
            (#""\u12""#, 1),
            (#""\u12G4""#, 1),
            (#""\x""#, 1),
            (#""\'""#, 1),
            (#""\U00e9""#, 1),
            (#""\"#, 1),
        ]
    )
    func badEscapeIsRefused(json: String, offset: Int) throws {
        let error = try #require(failure(json))
        #expect(error.code == .invalidJSON)
        #expect(error.byteOffset == offset)
        #expect(error.field.isRoot)
    }

    static let invalidUTF8: [[UInt8]] = [
        [0xC0, 0x80],  // overlong NUL
        [0xC1, 0xBF],  // overlong
        [0xE0, 0x80, 0x80],  // overlong three-byte form
        [0xED, 0xA0, 0x80],  // a UTF-16 surrogate, U+D800
        [0xF0, 0x80, 0x80, 0x80],  // overlong four-byte form
        [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
        [0xF5, 0x80, 0x80, 0x80],  // a lead byte UTF-8 never uses
        [0xE4, 0xB8],  // a three-byte sequence cut short by the closing quote
        [0xC3, 0x41],  // a two-byte sequence whose second byte is ASCII
        [0x80],  // a bare continuation byte
        [0xFF],
    ]

    @Test("invalid UTF-8 in a string or key is refused at its first byte", arguments: invalidUTF8)
    func invalidUTF8IsRefused(sequence: [UInt8]) throws {
        let plain = try #require(failure(bytes: [0x22] + sequence + [0x22]))
        #expect(plain.code == .invalidJSON)
        #expect(plain.byteOffset == 1)
        let escaped = try #require(failure(bytes: Array(#""\n"#.utf8) + sequence + [0x22]))
        #expect(escaped.code == .invalidJSON)
        #expect(escaped.byteOffset == 3)
        let inKey = try #require(failure(bytes: [0x7B, 0x22] + sequence + Array(#"":1}"#.utf8)))
        #expect(inKey.code == .invalidJSON)
        #expect(inKey.byteOffset == 2)
    }

    @Test("a multi-byte sequence cut short by the end of the input is refused")
    func truncatedSequenceAtTheEnd() throws {
        let error = try #require(failure(bytes: [0x22, 0xE4, 0xB8]))
        #expect(error.code == .invalidJSON)
        #expect(error.byteOffset == 1)
    }

    @Test(
        "valid multi-byte text is kept",
        arguments: ["é", "中", "😀", "\u{FFFD}", "\u{10FFFF}", "naïve 中文 😀"]
    )
    func multiByteTextIsKept(text: String) throws {
        #expect(try read("\"\(text)\"") == .string(text))
        #expect(try read(#""\t"# + text + "\"") == .string("\t" + text))
        #expect(try read("{\"\(text)\":1}")[text] == .number(JSONNumber(1)))
    }

    @Test(
        "a raw control character in a string is refused where it stands",
        arguments: [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F] as [UInt8]
    )
    func rawControlCharacterIsRefused(byte: UInt8) throws {
        let plain = try #require(failure(bytes: [0x22, 0x61, byte, 0x22]))
        #expect(plain.code == .invalidJSON)
        #expect(plain.byteOffset == 2)
        let escaped = try #require(failure(bytes: Array(#""\n"#.utf8) + [byte, 0x22]))
        #expect(escaped.byteOffset == 3)
    }

    @Test("DEL is not a control character JSON must escape")
    func deleteIsAllowed() throws {
        #expect(try read("\"a\u{7F}b\"") == .string("a\u{7F}b"))
    }

    // MARK: Numbers and literals

    @Test(
        "numbers keep their text",
        arguments: ["1.50", "-1.000000000000000000E+245", "1E-22", "0", "-0", "0.0", "-12", "1e5", "1E+2", "10.010e-0"]
    )
    func numberKeepsItsText(text: String) throws {
        let number = try #require(JSONNumber(text))
        #expect(try read(text) == .number(number))
        #expect(try read(text).number?.text == text)
        #expect(try read("[\(text)]").array == [.number(number)])
        #expect(try read("{\"v\":\(text)}")["v"]?.number?.text == text)
    }

    @Test(
        "malformed numbers are refused",
        arguments: [
            "01", "00", "-", "- 1", "1.", ".5", "1e", "1e+", "+1", "1.e5", "0x10", "NaN", "Infinity", "-Infinity",
        ]
    )
    func malformedNumberIsRefused(text: String) throws {
        let error = try #require(failure(text))
        #expect(error.code == .invalidJSON)
        #expect(error.byteOffset == 0)
        #expect(JSONNumber(text) == nil)
        let nested = try #require(failure("[1,\(text)]"))
        #expect(nested.code == .invalidJSON)
        #expect(nested.field.description == "[1]")
    }

    @Test("true, false and null are read; anything like them is not")
    func literals() throws {
        #expect(try read("true") == .bool(true))
        #expect(try read("false") == .bool(false))
        #expect(try read("null") == .null)
        #expect(try read(" [true,false,null] ") == .array([.bool(true), .bool(false), .null]))
        for text in ["tru", "nul", "fals", "True", "NULL", "nulll", "truefalse", "t"] {
            #expect(failure(text)?.code == .invalidJSON, "\(text)")
        }
    }

    // MARK: The document

    @Test("nothing but whitespace may follow the value")
    func trailingContent() throws {
        #expect(try read("{} \n\t\r ") == .object(JSONObject()))
        let text = try #require(failure("{} x"))
        #expect(text.code == .invalidJSON)
        #expect(text.byteOffset == 3)
        #expect(failure("{}{}")?.byteOffset == 2)
        #expect(failure("1 2")?.byteOffset == 2)
    }

    @Test("an input holding no value is refused")
    func emptyInput() throws {
        let empty = try #require(failure(""))
        #expect(empty.code == .invalidJSON)
        #expect(empty.byteOffset == 0)
        #expect(empty.field.isRoot)
        #expect(failure(" \n ")?.byteOffset == 3)
        #expect(failure(bytes: [0xEF, 0xBB, 0xBF])?.byteOffset == 3)
    }

    @Test("a leading UTF-8 byte order mark is skipped, and only there")
    func byteOrderMark() throws {
        let value = try JSONReader().read([0xEF, 0xBB, 0xBF] + Array(#"{"a":1}"#.utf8))
        #expect(value["a"] == .number(JSONNumber(1)))
        #expect(failure(bytes: [0x20, 0xEF, 0xBB, 0xBF, 0x31])?.byteOffset == 1)
        #expect(failure(bytes: [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x31])?.byteOffset == 3)
    }

    @Test("a repeated key is refused, in small and large objects")
    func repeatedKey() throws {
        let small = try #require(failure(#"{"a":1,"a":2}"#))
        #expect(small.code == .invalidJSON)
        #expect(small.field.description == "a")
        #expect(small.byteOffset == 7, "at the repeated key")
        #expect(failure(#"{"outer":{"b":1,"c":2,"b":3}}"#)?.field.description == "outer.b")
        let keys = (0..<20).map { "\"k\($0)\":\($0)" }
        let large = try #require(failure("{" + (keys + [#""k7":99"#]).joined(separator: ",") + "}"))
        #expect(large.code == .invalidJSON)
        #expect(large.field.description == "k7")
        let distinct = try read("{" + keys.joined(separator: ",") + "}")
        #expect(distinct.object?.count == 20)
        #expect(try read(#"{"a":1,"A":2}"#).object?.count == 2)
    }

    @Test(
        "errors carry the byte offset and the JSON path",
        arguments: [
            (#"{"a": [1, 2, }"#, "a[2]", 13),
            (#"{"name": [1, }"#, "name[1]", 13),
            (#"[1 2]"#, "[0]", 3),
            (#"[1,]"#, "[1]", 3),
            (#"{"a":1 "b":2}"#, "a", 7),
            (#"{"a" 1}"#, "a", 5),
            (#"{"a":{"b":[true, fals]}}"#, "a.b[1]", 17),
            (#"[{"x":}]"#, "[0].x", 6),
            (#"{1:2}"#, "(root)", 1),
            (#"{"a":1,}"#, "(root)", 7),
            (#"{"a":1"#, "a", 6),
            (#"[1, 2"#, "[1]", 5),
            (#""abc"#, "(root)", 4),
        ]
    )
    func errorPlace(json: String, path: String, offset: Int) throws {
        let error = try #require(failure(json))
        #expect(error.code == .invalidJSON)
        #expect(error.field.description == path)
        #expect(error.byteOffset == offset)
        #expect(error.line == nil)
        #expect(error.issues.isEmpty)
    }

    @Test("the description gives the code, path, offset and reason")
    func errorDescription() throws {
        let error = try #require(failure(#"{"a": [1, 2, }"#))
        #expect(error.description == "invalid-json at a[2] (byte 13): expected a value")
    }

    @Test("keys not shaped like element names are shown as (key) and never repeated")
    func undisplayableKeys() throws {
        let secret = "Jane Smith 943 476 5919"
        let inArray = try #require(failure("{\"\(secret)\": [1, }"))
        #expect(inArray.field.description == "(key)[1]")
        #expect(inArray.byteOffset == 32)
        let repeated = try #require(failure("{\"\(secret)\":1,\"\(secret)\":2}"))
        #expect(repeated.field.description == "(key)")
        for error in [inArray, repeated] {
            #expect(!error.description.contains("Jane"))
            #expect(!error.description.contains("943"))
            #expect(!error.reason.contains("5919"))
        }
        let longest = String(repeating: "a", count: 64)
        #expect(failure("{\"\(longest)\":}")?.field.description == longest)
        #expect(failure("{\"\(longest)b\":}")?.field.description == "(key)")
        #expect(failure(#"{"given_1":}"#)?.field.description == "given_1")
        #expect(failure(#"{"é":}"#)?.field.description == "(key)")
        #expect(failure(#"{"":}"#)?.field.description == "(key)")
        #expect(failure(#"{"a.b":}"#)?.field.description == "(key)")
    }

    // MARK: Limits

    @Test("the default limits")
    func defaultLimits() {
        let limits = JSONReader.Limits()
        #expect(limits.maximumBytes == 256 * 1024 * 1024)
        #expect(limits.maximumDepth == 128)
        #expect(limits.maximumStringBytes == 64 * 1024 * 1024)
        #expect(limits.maximumNumberLength == 256)
        #expect(JSONReader().limits == limits)
    }

    @Test("maximumDepth bounds the nesting of arrays and objects")
    func depthLimit() throws {
        let limits = JSONReader.Limits(maximumDepth: 3)
        #expect(try read("[[[1]]]", limits: limits) == .array([.array([.array([.number(JSONNumber(1))])])]))
        let arrays = try #require(failure("[[[[1]]]]", limits: limits))
        #expect(arrays.code == .limitExceeded)
        #expect(arrays.field.description == "[0][0][0]")
        #expect(arrays.byteOffset == 3)
        let objects = try #require(failure(#"{"a":{"b":{"c":{}}}}"#, limits: limits))
        #expect(objects.code == .limitExceeded)
        #expect(objects.field.description == "a.b.c")
        #expect(objects.byteOffset == 15)
        let deepest = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(try read(deepest).array?.count == 1)
        #expect(failure("[" + deepest + "]")?.code == .limitExceeded)
    }

    @Test("100,000 levels of nesting are refused without exhausting the stack")
    func hostileNesting() throws {
        let open = try #require(failure(String(repeating: "[", count: 100_000)))
        #expect(open.code == .limitExceeded)
        #expect(open.byteOffset == 128)
        #expect(open.field.components.count == 128)
        let closed = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(failure(closed)?.code == .limitExceeded)
        #expect(failure(String(repeating: #"{"a":"#, count: 100_000))?.code == .limitExceeded)
    }

    @Test("maximumStringBytes bounds strings and keys, escapes counted as written")
    func stringLimit() throws {
        let limits = JSONReader.Limits(maximumStringBytes: 4)
        #expect(try read(#""abcd""#, limits: limits) == .string("abcd"))
        #expect(try read(#""a\nb""#, limits: limits) == .string("a\nb"))
        #expect(try read(#""éé""#, limits: limits) == .string("éé"))
        for json in [#""abcde""#, #""abc\n""#, #""\u00e9""#, #""ééé""#] {
            let error = try #require(failure(json, limits: limits), "\(json)")
            #expect(error.code == .limitExceeded, "\(json)")
            #expect(error.byteOffset == 1, "\(json)")
        }
        let key = try #require(failure(#"{"abcde":1}"#, limits: limits))
        #expect(key.code == .limitExceeded)
        #expect(key.byteOffset == 2)
    }

    @Test("maximumNumberLength bounds the characters of one number")
    func numberLimit() throws {
        let limits = JSONReader.Limits(maximumNumberLength: 4)
        #expect(try read("[1234,-1.5]", limits: limits).array?.count == 2)
        for json in ["12345", "-1.5e3", "0.000"] {
            let error = try #require(failure(json, limits: limits), "\(json)")
            #expect(error.code == .limitExceeded, "\(json)")
            #expect(error.byteOffset == 0, "\(json)")
        }
        #expect(failure("[1,23456]", limits: limits)?.field.description == "[1]")
    }

    @Test("maximumBytes bounds the whole input")
    func byteLimit() throws {
        let limits = JSONReader.Limits(maximumBytes: 8)
        #expect(try read("[1,2, 3]", limits: limits).array?.count == 3)
        let error = try #require(failure("[1,2,3,4]", limits: limits))
        #expect(error.code == .limitExceeded)
        #expect(error.field.isRoot)
        #expect(error.byteOffset == nil)
    }

    // MARK: Values

    @Test("JSONNumber checks its text and converts only when it can")
    func numbers() throws {
        #expect(JSONNumber("01") == nil)
        #expect(JSONNumber("") == nil)
        #expect(JSONNumber(" 1") == nil)
        #expect(JSONNumber("1 ") == nil)
        #expect(JSONNumber("1.50")?.text == "1.50")
        #expect(JSONNumber("1.50")?.description == "1.50")
        #expect(JSONNumber(-42).text == "-42")
        let integer = try #require(JSONNumber("-12"))
        #expect(integer.isInteger)
        #expect(integer.intValue == -12)
        for text in ["1.0", "1e3", "1E3", "0.5"] {
            let number = try #require(JSONNumber(text))
            #expect(!number.isInteger, "\(text)")
            #expect(number.intValue == nil, "\(text)")
        }
        #expect(JSONNumber("99999999999999999999")?.isInteger == true)
        #expect(JSONNumber("99999999999999999999")?.intValue == nil)
        #expect(JSONNumber("1.50")?.doubleValue == 1.5)
        #expect(JSONNumber("1.5") != JSONNumber("1.50"))
    }

    @Test("isEquivalent ignores member order but not array order or number text")
    func equivalence() throws {
        func equivalent(_ left: String, _ right: String) throws -> Bool {
            try read(left).isEquivalent(to: read(right))
        }
        let first = try read(#"{"a":1,"b":[1,2],"c":{"x":"é","y":null}}"#)
        let reordered = try read(#"{"c":{"y":null,"x":"\u00e9"},"b":[1,2],"a":1}"#)
        #expect(first.isEquivalent(to: reordered))
        #expect(reordered.isEquivalent(to: first))
        #expect(first != reordered)
        #expect(try equivalent("[1,[true,null]]", " [ 1 , [ true , null ] ] "))
        #expect(try !equivalent(#"{"a":1.5}"#, #"{"a":1.50}"#))
        #expect(try !equivalent("[1,2]", "[2,1]"))
        #expect(try !equivalent("[1,2]", "[1,2,2]"))
        #expect(try !equivalent(#"{"a":1}"#, #"{"a":1,"b":2}"#))
        #expect(try !equivalent(#"{"a":1}"#, #"{"b":1}"#))
        #expect(try !equivalent(#""1""#, "1"))
        #expect(!JSONValue.null.isEquivalent(to: .bool(false)))
    }

    @Test("JSONObject keeps member order as members are set, replaced and removed")
    func objectMembers() {
        var object = JSONObject([
            JSONMember(key: "a", value: .number(JSONNumber(1))),
            JSONMember(key: "b", value: .bool(true)),
            JSONMember(key: "a", value: .number(JSONNumber(3))),
        ])
        #expect(object.members.map(\.key) == ["a", "b"])
        #expect(object["a"] == .number(JSONNumber(3)))
        object["a"] = .string("x")
        #expect(object.members.map(\.key) == ["a", "b"])
        #expect(object["a"] == .string("x"))
        object["c"] = JSONValue.null
        #expect(object.members.map(\.key) == ["a", "b", "c"])
        #expect(object["c"] == JSONValue.null)
        object["a"] = nil
        #expect(object.members.map(\.key) == ["b", "c"])
        object["missing"] = nil
        #expect(object.count == 2)
        #expect(object[0].key == "b")
        #expect(object["a"] == nil)
        let value = JSONValue.object(object)
        #expect(value["b"] == .bool(true))
        #expect(value.object?.count == 2)
        #expect(value.kindName == "object")
        #expect(JSONValue.array([]).kindName == "array")
        #expect(JSONValue.string("").string == "")
        #expect(JSONValue.string("").number == nil)
        #expect(JSONValue.array([]).array == [])
        #expect(JSONValue.bool(true)["b"] == nil)
    }
}
