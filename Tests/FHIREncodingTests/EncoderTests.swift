import FHIREncoding
import Testing

@Suite("FHIREncoder")
struct EncoderTests {
    /// Decodes JSON text, strictly unless told.
    func decode(_ json: String, mode: FHIRValidator.Mode = .strict) throws -> FHIRResource {
        try FHIRDecoder(mode: mode).decode(Array(json.utf8))
    }

    /// Encodes a resource as text.
    func encoded(_ resource: FHIRResource, style: JSONWriter.Style = .compact) -> String {
        String(decoding: FHIREncoder(style: style).encode(resource), as: UTF8.self)
    }

    static let primitiveExtension = #"{"extension":[{"valueString":"x","url":"http://example.org/x"}]}"#

    @Test("resourceType comes first, then elements in R4's order whatever the input order")
    func patientOrder() throws {
        let json =
            #"{"gender":"female","#
            + #""name":[{"given":["Ann"],"family":"Smith","text":"Ann Smith","use":"official"}],"#
            + #""id":"p1","birthDate":"1970-01-01","_birthDate":"# + Self.primitiveExtension
            + #","resourceType":"Patient"}"#
        let resource = try decode(json)
        let expected =
            #"{"resourceType":"Patient","id":"p1","#
            + #""name":[{"use":"official","text":"Ann Smith","family":"Smith","given":["Ann"]}],"#
            + #""gender":"female","birthDate":"1970-01-01","#
            + #""_birthDate":{"extension":[{"url":"http://example.org/x","valueString":"x"}]}}"#
        #expect(encoded(resource) == expected)
        #expect(String(decoding: FHIREncoder().encode(json: resource.jsonValue), as: UTF8.self) == expected)
        #expect(resource.json.members.first?.key == "gender")
    }

    @Test("each '_' form follows its element, in arrays too")
    func primitiveExtensionPlacement() throws {
        let json =
            #"{"resourceType":"Patient","name":[{"_given":[null,"# + Self.primitiveExtension
            + #"],"given":["A",null],"family":"B"}],"_gender":"# + Self.primitiveExtension + #","gender":"male"}"#
        let expected =
            #"{"resourceType":"Patient","name":[{"family":"B","given":["A",null],"#
            + #""_given":[null,{"extension":[{"url":"http://example.org/x","valueString":"x"}]}]}],"#
            + #""gender":"male","_gender":{"extension":[{"url":"http://example.org/x","valueString":"x"}]}}"#
        let resource = try decode(json)
        #expect(encoded(resource) == expected)
    }

    @Test("elements R4 does not define come last, in the order read")
    func unknownElementsLast() throws {
        let json = #"{"zeta":{"b":1,"a":2},"resourceType":"Patient","alpha":[2,1],"id":"p","_omega":"x","active":true}"#
        let resource = try decode(json, mode: .lenient)
        let expected =
            #"{"resourceType":"Patient","id":"p","active":true,"#
            + #""zeta":{"b":1,"a":2},"alpha":[2,1],"_omega":"x"}"#
        #expect(encoded(resource) == expected)
    }

    @Test("resources inside Bundle entries and contained resources are ordered too")
    func nestedResources() throws {
        let observation = #"{"code":{"text":"x"},"resourceType":"Observation","status":"final","id":"o1"}"#
        let patient = #"{"gender":"male","contained":["# + observation + #"],"resourceType":"Patient","id":"a"}"#
        let json =
            #"{"entry":[{"resource":"# + patient
            + #","fullUrl":"urn:uuid:c757873d-ec9a-4326-a141-556f43239520"}],"#
            + #""type":"collection","resourceType":"Bundle"}"#
        let expected =
            #"{"resourceType":"Bundle","type":"collection","entry":[{"#
            + #""fullUrl":"urn:uuid:c757873d-ec9a-4326-a141-556f43239520","resource":{"#
            + #""resourceType":"Patient","id":"a","contained":[{"#
            + #""resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"}}],"#
            + #""gender":"male"}}]}"#
        let resource = try decode(json)
        #expect(encoded(resource) == expected)
    }

    @Test("decimals are written exactly as read")
    func decimals() throws {
        let json =
            #"{"valueQuantity":{"unit":"mmol/L","value":1.50},"code":{"text":"x"},"status":"final","#
            + #""extension":[{"valueDecimal":-1.000000000000000000E+245,"url":"http://example.org/big"}],"#
            + #""resourceType":"Observation"}"#
        let expected =
            #"{"resourceType":"Observation","#
            + #""extension":[{"url":"http://example.org/big","valueDecimal":-1.000000000000000000E+245}],"#
            + #""status":"final","code":{"text":"x"},"valueQuantity":{"value":1.50,"unit":"mmol/L"}}"#
        let resource = try decode(json)
        #expect(encoded(resource) == expected)
    }

    @Test("pretty output of a tiny Patient")
    func pretty() throws {
        let resource = try decode(#"{"name":[{"family":"Smith"}],"active":true,"id":"p1","resourceType":"Patient"}"#)
        let expected = """
            {
              "resourceType": "Patient",
              "id": "p1",
              "active": true,
              "name": [
                {
                  "family": "Smith"
                }
              ]
            }
            """
        #expect(encoded(resource, style: .pretty) == expected)
    }

    @Test("compact output of a tiny Patient")
    func compact() throws {
        let resource = try decode(#"{"name":[{"family":"Smith"}],"active":true,"id":"p1","resourceType":"Patient"}"#)
        #expect(encoded(resource) == #"{"resourceType":"Patient","id":"p1","active":true,"name":[{"family":"Smith"}]}"#)
        #expect(FHIREncoder().style == .compact)
    }

    @Test("a resource with only its type is written as it is", arguments: [JSONWriter.Style.compact, .pretty])
    func minimal(style: JSONWriter.Style) throws {
        let resource = try decode(#"{"resourceType":"Patient"}"#)
        let expected = style == .compact ? #"{"resourceType":"Patient"}"# : "{\n  \"resourceType\": \"Patient\"\n}"
        #expect(encoded(resource, style: style) == expected)
    }

    @Test("JSON that is not a resource is written as held")
    func notAResource() throws {
        let value = try JSONReader().read(Array(#"{"b":1,"a":[{"z":true,"y":null}],"resourceType":"NotAType"}"#.utf8))
        #expect(FHIREncoder().encode(json: value) == JSONWriter().write(value))
        let array = JSONValue.array([.string("x"), .number(JSONNumber(2))])
        #expect(FHIREncoder(style: .pretty).encode(json: array) == JSONWriter(style: .pretty).write(array))
    }

    @Test(
        "encoding then reading gives an equivalent resource that still validates",
        arguments: [JSONWriter.Style.compact, .pretty]
    )
    func roundTrip(style: JSONWriter.Style) throws {
        let json =
            #"{"text":{"div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Zoë</div>","status":"generated"},"#
            + #""birthDate":"1970-01-01","#
            + #""identifier":[{"value":"9434765919","system":"https://fhir.nhs.uk/Id/nhs-number"}],"#
            + #""resourceType":"Patient","name":[{"given":["Zoë","中"],"family":"O'Brien \"Jr\""}]}"#
        let resource = try decode(json)
        let bytes = FHIREncoder(style: style).encode(resource)
        let reread = try JSONReader().read(bytes)
        #expect(reread.isEquivalent(to: resource.jsonValue))
        let decoded = try FHIRDecoder().decode(bytes)
        #expect(decoded.jsonValue.isEquivalent(to: resource.jsonValue))
        #expect(FHIREncoder(style: style).encode(decoded) == bytes)
    }
}
