import FHIREncoding
import Testing

@Suite("JSONWriter")
struct JSONWriterTests {
    /// The text a writer produces for a value.
    func text(_ value: JSONValue, style: JSONWriter.Style = .compact) -> String {
        String(decoding: JSONWriter(style: style).write(value), as: UTF8.self)
    }

    /// A number value from text the test knows to be valid.
    func number(_ text: String) throws -> JSONValue {
        let number = try #require(JSONNumber(text))
        return .number(number)
    }

    /// An object value from key-value pairs, in order.
    func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(pairs.map { JSONMember(key: $0.0, value: $0.1) }))
    }

    /// A small value holding every kind: nested object and array, an empty array and an empty object.
    func sample() throws -> JSONValue {
        let one = try number("1")
        let two = try number("2")
        let precise = try number("1.50")
        return object([
            ("a", .array([one, two])),
            ("b", object([("c", .string("d")), ("n", .null)])),
            ("e", .array([])),
            ("f", .object(JSONObject())),
            ("g", .bool(true)),
            ("h", precise),
        ])
    }

    @Test("compact output has no whitespace at all")
    func compact() throws {
        let expected = #"{"a":[1,2],"b":{"c":"d","n":null},"e":[],"f":{},"g":true,"h":1.50}"#
        let value = try sample()
        #expect(text(value) == expected)
        #expect(JSONWriter().style == .compact)
        #expect(text(value, style: .compact) == expected)
    }

    @Test("pretty output indents by two spaces with a space after each colon")
    func pretty() throws {
        let expected = """
            {
              "a": [
                1,
                2
              ],
              "b": {
                "c": "d",
                "n": null
              },
              "e": [],
              "f": {},
              "g": true,
              "h": 1.50
            }
            """
        let value = try sample()
        #expect(text(value, style: .pretty) == expected)
    }

    @Test("pretty output of an array of objects")
    func prettyArrayOfObjects() {
        let value = JSONValue.array([object([("x", .bool(false))]), .array([.null])])
        let expected = """
            [
              {
                "x": false
              },
              [
                null
              ]
            ]
            """
        #expect(text(value, style: .pretty) == expected)
    }

    @Test("empty containers and scalars at the top level", arguments: [JSONWriter.Style.compact, .pretty])
    func topLevel(style: JSONWriter.Style) throws {
        #expect(text(.array([]), style: style) == "[]")
        #expect(text(.object(JSONObject()), style: style) == "{}")
        #expect(text(.null, style: style) == "null")
        #expect(text(.bool(false), style: style) == "false")
        #expect(text(.string("x"), style: style) == #""x""#)
        let zero = try number("-0")
        #expect(text(zero, style: style) == "-0")
    }

    @Test(
        "strings escape only what RFC 8259 requires",
        arguments: [
            ("\"", #""\"""#),
            ("\\", #""\\""#),
            ("\n", #""\n""#),
            ("\t", #""\t""#),
            ("\r", #""\r""#),
            ("\u{08}", #""\b""#),
            ("\u{0C}", #""\f""#),
            ("\u{00}", #""\u0000""#),
            ("\u{01}", #""\u0001""#),
            ("\u{1F}", #""\u001f""#),
            ("/", #""/""#),
            ("</div>", #""</div>""#),
            ("é中😀", "\"é中😀\""),
            ("\u{7F}", "\"\u{7F}\""),
            ("\u{2028}", "\"\u{2028}\""),
            ("plain text", #""plain text""#),
        ]
    )
    func stringEscapes(string: String, written: String) throws {
        #expect(text(.string(string)) == written)
        let inner = String(written.dropFirst().dropLast())
        #expect(text(.string("a" + string + "b")) == "\"a" + inner + "b\"")
        #expect(text(object([(string, .null)])) == "{" + written + ":null}")
        #expect(try JSONReader().read(Array(written.utf8)) == .string(string))
    }

    @Test("non-ASCII text is written as raw UTF-8")
    func rawUTF8() {
        #expect(JSONWriter().write(.string("é")) == [0x22, 0xC3, 0xA9, 0x22])
        #expect(JSONWriter().write(.string("😀")) == [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22])
    }

    @Test(
        "numbers are written as their text",
        arguments: ["1.50", "-1.000000000000000000E+245", "1E-22", "0", "-0", "1e5", "100"]
    )
    func numbersAsText(written: String) throws {
        let value = try number(written)
        #expect(text(value) == written)
        #expect(text(.array([value]), style: .pretty) == "[\n  \(written)\n]")
    }

    static let samples = [
        #"{"resourceType":"Patient","name":[{"given":["Zoë","中"]}],"n":1.50,"big":-1.000000000000000000E+245}"#,
        #"["\u0000\u001f\"\\\/\b\f\n\r\t", "\ud83d\ude00", "a\u2028b", [], {}, [[{}]], null, true, false, -0]"#,
        #"{"":{"":[""]}, "a b": 1E-22, "x": {"y": {"z": [0, 1e5, 0.000]}}}"#,
        "  \"just a string\"  ",
        "12",
    ]

    @Test("read, write, read again gives an equivalent value", arguments: samples)
    func roundTrip(json: String) throws {
        let original = try JSONReader().read(Array(json.utf8))
        for style in [JSONWriter.Style.compact, .pretty] {
            let written = JSONWriter(style: style).write(original)
            let reread = try JSONReader().read(written)
            #expect(reread.isEquivalent(to: original), "\(style)")
            #expect(reread == original, "\(style)")
            #expect(JSONWriter(style: style).write(reread) == written, "\(style)")
        }
    }

    @Test("compact output of compact input with nothing optional escaped is the input")
    func compactIsIdentity() throws {
        let json = #"{"a":[1,true,null,"x\"y"],"b":{"c":1.50},"d":[],"e":{},"f":"é/中"}"#
        let value = try JSONReader().read(Array(json.utf8))
        #expect(text(value) == json)
    }
}
