import FHIREncoding
import Testing

@Suite("FHIRValidator")
struct ValidatorTests {
    /// An issue without its diagnostics: what the tests compare exactly.
    struct Finding: Hashable, Sendable, CustomStringConvertible {
        let severity: FHIRIssue.Severity
        let code: FHIRIssue.Code
        let location: String

        init(_ severity: FHIRIssue.Severity, _ code: FHIRIssue.Code, _ location: String) {
            self.severity = severity
            self.code = code
            self.location = location
        }

        init(issue: FHIRIssue) {
            self.init(issue.severity, issue.code, issue.location)
        }

        var description: String { "\(severity.rawValue) \(code) at \(location)" }
    }

    /// A primitive extension holding one extension.
    static let primitiveExtension = #"{"extension":[{"url":"http://example.org/x","valueString":"x"}]}"#

    /// Validates JSON text.
    func check(_ json: String, mode: FHIRValidator.Mode = .strict) throws -> [FHIRIssue] {
        let value = try JSONReader().read(Array(json.utf8))
        return FHIRValidator(mode: mode).validate(value)
    }

    /// Validates JSON text and keeps each issue's severity, code and location.
    func findings(_ json: String, mode: FHIRValidator.Mode = .strict) throws -> [Finding] {
        try check(json, mode: mode).map { Finding(issue: $0) }
    }

    /// A Patient with these members after its resourceType.
    func patient(_ members: String) -> String {
        #"{"resourceType":"Patient","# + members + "}"
    }

    // MARK: Required elements

    @Test("a minimal Patient has no issues")
    func minimalPatient() throws {
        #expect(try check(#"{"resourceType":"Patient"}"#) == [])
        #expect(try check(#"{"resourceType":"Patient"}"#, mode: .lenient) == [])
        #expect(try check(#"{"resourceType":"Observation","status":"final","code":{"text":"x"}}"#) == [])
    }

    @Test("an Observation without its status or code is missing a required element")
    func requiredElements() throws {
        let noStatus = #"{"resourceType":"Observation","code":{"text":"x"}}"#
        #expect(try findings(noStatus) == [Finding(.error, .required, "Observation.status")])
        #expect(try findings(noStatus, mode: .lenient) == [Finding(.warning, .required, "Observation.status")])
        let noCode = #"{"resourceType":"Observation","status":"final"}"#
        #expect(try findings(noCode) == [Finding(.error, .required, "Observation.code")])
        #expect(
            try findings(#"{"resourceType":"Observation"}"#)
                == [Finding(.error, .required, "Observation.status"), Finding(.error, .required, "Observation.code")]
        )
    }

    @Test("an extension on a required primitive stands in for its value")
    func primitiveExtensionSatisfiesRequired() throws {
        let json = #"{"resourceType":"Observation","code":{"text":"x"},"_status":"# + Self.primitiveExtension + "}"
        #expect(try check(json) == [])
    }

    @Test("an Extension without a url is missing a required element")
    func extensionURL() throws {
        #expect(
            try findings(patient(#""extension":[{"valueString":"x"}]"#))
                == [Finding(.error, .required, "Patient.extension[0].url")]
        )
        let nested = #""modifierExtension":[{"url":"http://example.org/x","extension":[{"valueString":"x"}]}]"#
        #expect(
            try findings(patient(nested))
                == [Finding(.error, .required, "Patient.modifierExtension[0].extension[0].url")]
        )
    }

    @Test("a required choice element without any variant is missing")
    func requiredChoice() throws {
        let code = #""code":{"system":"http://terminology.hl7.org/CodeSystem/usage-context-type","code":"focus"}"#
        let missing = #"{"resourceType":"Questionnaire","status":"draft","useContext":[{"# + code + "}]}"
        #expect(try findings(missing) == [Finding(.error, .required, "Questionnaire.useContext[0].value[x]")])
        #expect(
            try findings(missing, mode: .lenient)
                == [Finding(.warning, .required, "Questionnaire.useContext[0].value[x]")]
        )
        let present =
            #"{"resourceType":"Questionnaire","status":"draft","useContext":[{"# + code
            + #","valueCodeableConcept":{"text":"x"}}]}"#
        #expect(try check(present) == [])
    }

    // MARK: Structure

    @Test("an unknown element is an error when strict and a warning when lenient")
    func unknownElement() throws {
        let json = patient(#""favouriteColour":"blue""#)
        #expect(try findings(json) == [Finding(.error, .structure, "Patient.favouriteColour")])
        #expect(try findings(json, mode: .lenient) == [Finding(.warning, .structure, "Patient.favouriteColour")])
        let lenient = FHIRDecoder(mode: .lenient).validate(Array(json.utf8))
        #expect(lenient.isValid)
        #expect(lenient.resource?.json["favouriteColour"] == .string("blue"))
        let strict = FHIRDecoder().validate(Array(json.utf8))
        #expect(!strict.isValid)
        #expect(strict.resource == nil)
    }

    /// Members of a Patient that give exactly one issue.
    struct Fault: Sendable, CustomTestStringConvertible {
        let name: String
        let members: String
        let code: FHIRIssue.Code
        let location: String
        var testDescription: String { name }

        init(_ name: String, _ members: String, _ code: FHIRIssue.Code, _ location: String) {
            self.name = name
            self.members = members
            self.code = code
            self.location = location
        }
    }

    @Test(
        "empty and null values are errors when strict and warnings when lenient",
        arguments: [
            Fault("null", #""active":null"#, .structure, "Patient.active"),
            Fault("an empty array", #""name":[]"#, .structure, "Patient.name"),
            Fault("an empty object", #""maritalStatus":{}"#, .structure, "Patient.maritalStatus"),
            Fault("null in an array", #""name":[null]"#, .structure, "Patient.name[0]"),
            Fault("a null '_' form", #""_birthDate":null"#, .structure, "Patient.birthDate"),
            Fault("an empty '_' form", #""_birthDate":{}"#, .structure, "Patient.birthDate"),
        ]
    )
    func tolerableFault(fault: Fault) throws {
        let json = patient(fault.members)
        #expect(try findings(json) == [Finding(.error, fault.code, fault.location)])
        #expect(try findings(json, mode: .lenient) == [Finding(.warning, fault.code, fault.location)])
        #expect(FHIRDecoder(mode: .lenient).validate(Array(json.utf8)).isValid)
    }

    @Test(
        "wrong JSON kinds are errors in both modes",
        arguments: [
            Fault("a string for a boolean", #""active":"yes""#, .value, "Patient.active"),
            Fault("an array for one code", #""gender":["male"]"#, .structure, "Patient.gender"),
            Fault("an object for a repeating element", #""name":{"family":"X"}"#, .structure, "Patient.name"),
            Fault("a string for a datatype", #""maritalStatus":"single""#, .structure, "Patient.maritalStatus"),
            Fault("a string for an integer", #""multipleBirthInteger":"5""#, .value, "Patient.multipleBirthInteger"),
            Fault("a number for a date", #""birthDate":19700101"#, .value, "Patient.birthDate"),
            Fault("one string for repeating given", #""name":[{"given":"A"}]"#, .structure, "Patient.name[0].given"),
            Fault("a number for a resource", #""contained":[5]"#, .structure, "Patient.contained[0]"),
            Fault("a string as a '_' form", #""_birthDate":"x""#, .structure, "Patient.birthDate"),
            Fault(
                "an array as the '_' form of a single primitive",
                #""_birthDate":["# + ValidatorTests.primitiveExtension + "]",
                .structure,
                "Patient.birthDate"
            ),
            Fault(
                "an object as the '_' form of a repeating primitive",
                #""name":[{"given":["A"],"_given":"# + ValidatorTests.primitiveExtension + "}]",
                .structure,
                "Patient.name[0].given"
            ),
            Fault("30 February", #""birthDate":"1970-02-30""#, .value, "Patient.birthDate"),
        ]
    )
    func intolerableFault(fault: Fault) throws {
        let json = patient(fault.members)
        #expect(try findings(json) == [Finding(.error, fault.code, fault.location)])
        #expect(try findings(json, mode: .lenient) == [Finding(.error, fault.code, fault.location)])
        #expect(!FHIRDecoder(mode: .lenient).validate(Array(json.utf8)).isValid)
    }

    @Test("two variants of one choice element are an error in both modes")
    func twoChoiceVariants() throws {
        let both = patient(#""deceasedBoolean":true,"deceasedDateTime":"2020-01-01""#)
        let extended = patient(#""deceasedBoolean":true,"_deceasedDateTime":"# + Self.primitiveExtension)
        for mode in [FHIRValidator.Mode.strict, .lenient] {
            #expect(try findings(both, mode: mode) == [Finding(.error, .structure, "Patient.deceased[x]")])
            #expect(try findings(extended, mode: mode) == [Finding(.error, .structure, "Patient.deceased[x]")])
        }
        let oneVariant = patient(#""deceasedDateTime":"2020-01-01","_deceasedDateTime":"# + Self.primitiveExtension)
        #expect(try check(oneVariant) == [])
        #expect(try check(patient(#""deceasedBoolean":false,"multipleBirthBoolean":true"#)) == [])
    }

    // MARK: Primitive formats

    /// Where a primitive type is put to the test: a valid resource with the value spliced between the halves.
    struct Slot: Sendable {
        let prefix: String
        let suffix: String
        let location: String
    }

    static let observationPrefix = #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"#
    static let extensionPrefix = #"{"resourceType":"Patient","extension":[{"url":"http://example.org/x","#

    static let slots: [String: Slot] = [
        "date": Slot(prefix: #"{"resourceType":"Patient","birthDate":"#, suffix: "}", location: "Patient.birthDate"),
        "dateTime": Slot(
            prefix: #"{"resourceType":"Patient","deceasedDateTime":"#,
            suffix: "}",
            location: "Patient.deceasedDateTime"
        ),
        "instant": Slot(prefix: observationPrefix + #""issued":"#, suffix: "}", location: "Observation.issued"),
        "time": Slot(prefix: observationPrefix + #""valueTime":"#, suffix: "}", location: "Observation.valueTime"),
        "id": Slot(prefix: #"{"resourceType":"Patient","id":"#, suffix: "}", location: "Patient.id"),
        "integer": Slot(
            prefix: #"{"resourceType":"Patient","multipleBirthInteger":"#,
            suffix: "}",
            location: "Patient.multipleBirthInteger"
        ),
        "positiveInt": Slot(
            prefix: #"{"resourceType":"Appointment","status":"booked","participant":[{"status":"accepted"}],"#
                + #""minutesDuration":"#,
            suffix: "}",
            location: "Appointment.minutesDuration"
        ),
        "unsignedInt": Slot(
            prefix: extensionPrefix + #""valueUnsignedInt":"#,
            suffix: "}]}",
            location: "Patient.extension[0].valueUnsignedInt"
        ),
        "decimal": Slot(
            prefix: extensionPrefix + #""valueDecimal":"#,
            suffix: "}]}",
            location: "Patient.extension[0].valueDecimal"
        ),
        "uri": Slot(
            prefix: #"{"resourceType":"Patient","maritalStatus":{"coding":[{"system":"#,
            suffix: "}]}}",
            location: "Patient.maritalStatus.coding[0].system"
        ),
        "code": Slot(prefix: #"{"resourceType":"Patient","language":"#, suffix: "}", location: "Patient.language"),
        "oid": Slot(
            prefix: extensionPrefix + #""valueOid":"#,
            suffix: "}]}",
            location: "Patient.extension[0].valueOid"
        ),
        "uuid": Slot(
            prefix: extensionPrefix + #""valueUuid":"#,
            suffix: "}]}",
            location: "Patient.extension[0].valueUuid"
        ),
        "base64Binary": Slot(
            prefix: extensionPrefix + #""valueBase64Binary":"#,
            suffix: "}]}",
            location: "Patient.extension[0].valueBase64Binary"
        ),
        "boolean": Slot(prefix: #"{"resourceType":"Patient","active":"#, suffix: "}", location: "Patient.active"),
        "xhtml": Slot(
            prefix: #"{"resourceType":"Patient","text":{"status":"generated","div":"#,
            suffix: "}}",
            location: "Patient.text.div"
        ),
        "string": Slot(
            prefix: #"{"resourceType":"Patient","name":[{"family":"#,
            suffix: "}]}",
            location: "Patient.name[0].family"
        ),
    ]

    /// One value of one primitive type, as JSON, and whether it is valid.
    struct Format: Sendable, CustomTestStringConvertible {
        let type: String
        let json: String
        let valid: Bool
        var testDescription: String { "\(type) \(json) \(valid ? "accepted" : "refused")" }
    }

    /// Rows whose values are JSON strings.
    static func strings(_ type: String, _ rows: [(String, Bool)]) -> [Format] {
        rows.map { Format(type: type, json: "\"" + $0.0 + "\"", valid: $0.1) }
    }

    /// Rows whose values are written as raw JSON.
    static func raw(_ type: String, _ rows: [(String, Bool)]) -> [Format] {
        rows.map { Format(type: type, json: $0.0, valid: $0.1) }
    }

    static let formats: [Format] = [
        strings(
            "date",
            [
                ("2024-02-29", true), ("2023-02-29", false), ("2000-02-29", true), ("1900-02-29", false),
                ("2023-13-01", false), ("2023-04-31", false), ("2023-00", false), ("2023", true), ("2023-04", true),
                ("0001", true), ("0000", false), ("02/01/1970", false), ("2023-4-01", false), ("12345", false),
                ("2023-05-01T10:00:00Z", false),
            ]
        ),
        strings(
            "dateTime",
            [
                ("2023-05-01T10:00:00Z", true), ("2023-05-01T10:00:00+14:00", true),
                ("2023-05-01T10:00:00+14:01", false), ("2023-05-01T10:00:00-13:59", true),
                ("2023-05-01T10:00:00-14:00", true), ("2023-05-01T10:00:00+15:00", false),
                ("2023-05-01T10:00:00+01:60", false), ("2023-05-01T10:00:00+0100", false),
                ("2023-05-01T10:00Z", false), ("2023-05-01T10:00:00", false), ("2023-05-01T24:00:00Z", false),
                ("2023-05-01T10:60:00Z", false), ("2023-05-01T23:59:60Z", true), ("2023-05-01T23:59:61Z", false),
                ("2023-05-01T10:00:00.123+01:00", true), ("2023-05-01T10:00:00.Z", false), ("2023", true),
                ("2023-05", true), ("2023-05-01", true), ("2023-05-01T", false), ("2023-05-01 10:00:00Z", false),
                ("2023-02-29T10:00:00Z", false),
            ]
        ),
        strings(
            "instant",
            [
                ("2023-05-01T10:00:00Z", true), ("2023-05-01T10:00:00.123456+05:30", true), ("2023-05-01", false),
                ("2023", false), ("2023-05", false), ("2023-05-01T10:00:00", false),
            ]
        ),
        strings(
            "time",
            [
                ("23:59:59", true), ("00:00:00", true), ("10:00:00.5", true), ("10:00:60", true), ("24:00:00", false),
                ("10:00", false), ("10:00:00Z", false), ("9:00:00", false), ("10:00:00.", false),
            ]
        ),
        strings(
            "id",
            [
                (String(repeating: "a", count: 64), true), (String(repeating: "a", count: 65), false),
                ("has space", false), ("", false), ("a-b.C9", true), ("a_b", false),
            ]
        ),
        raw(
            "integer",
            [
                ("2147483647", true), ("2147483648", false), ("-2147483648", true), ("-2147483649", false),
                ("0", true), ("-0", true), ("2.0", false), ("1e3", false), (#""5""#, false),
            ]
        ),
        raw("positiveInt", [("0", false), ("1", true), ("2147483647", true), ("2147483648", false), ("-1", false)]),
        raw("unsignedInt", [("-1", false), ("0", true), ("2147483647", true), ("2147483648", false)]),
        raw("decimal", [(#""1.0""#, false), ("1.0", true), ("-1.000000000000000000E+245", true), ("0", true)]),
        strings(
            "uri",
            [("http://example.org/a b", false), ("http://example.org/ab", true), ("urn:x", true), (#"a\tb"#, false)]
        ),
        strings("code", [("a  b", false), (" a", false), ("a ", false), ("a b", true), ("en-GB", true)]),
        strings(
            "oid",
            [
                ("urn:oid:1.2.3", true), ("urn:oid:2.0.1", true), ("urn:oid:3.1", false), ("urn:oid:1.02", false),
                ("urn:oid:1", false), ("urn:oid:1..2", false), ("1.2.3", false),
            ]
        ),
        strings(
            "uuid",
            [
                ("urn:uuid:c757873d-ec9a-4326-a141-556f43239520", true),
                ("urn:uuid:C757873D-EC9A-4326-A141-556F43239520", false),
                ("c757873d-ec9a-4326-a141-556f43239520", false),
                ("urn:uuid:c757873d-ec9a-4326-a141-556f4323952", false),
                ("urn:uuid:c757873d_ec9a-4326-a141-556f43239520", false),
            ]
        ),
        strings(
            "base64Binary",
            [
                ("aGVsbG8=", true), ("aGVsbG8", false), ("a=bc", false), ("aGVs bG8=", true), ("ab==", true),
                ("a===", false), ("ab-_", false),
            ]
        ),
        raw("boolean", [(#""true""#, false), ("true", true), ("false", true), ("1", false)]),
        strings(
            "xhtml",
            [(#"<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"#, true), ("<p>x</p>", false), (" <div/>", false)]
        ),
        strings("string", [("Smith", true), (#"a\tb"#, true), (#"a\u0001b"#, false)]),
    ].flatMap { $0 }

    @Test("primitive formats, at the edges of each band", arguments: formats)
    func primitiveFormat(format: Format) throws {
        let slot = try #require(Self.slots[format.type])
        let json = slot.prefix + format.json + slot.suffix
        let expected: [Finding] = format.valid ? [] : [Finding(.error, .value, slot.location)]
        #expect(try findings(json) == expected)
        if format.json != #""""# {
            #expect(try findings(json, mode: .lenient) == expected)
        }
    }

    @Test("every primitive type's slot is covered by the format table")
    func formatTableCoversEverySlot() {
        #expect(Set(Self.formats.map(\.type)) == Set(Self.slots.keys))
        #expect(Self.formats.contains { $0.valid } && Self.formats.contains { !$0.valid })
    }

    // MARK: Primitive extensions

    @Test("primitive extensions: one object for a single element, an array matched by position for a repeating one")
    func primitiveExtensions() throws {
        let ext = Self.primitiveExtension
        #expect(try check(patient(#""birthDate":"1970-01-01","_birthDate":"# + ext)) == [])
        #expect(try check(patient(#""_birthDate":"# + ext)) == [])
        #expect(try check(patient(#""gender":"male","_gender":"# + ext)) == [])
        let matched = #""name":[{"given":["A",null],"_given":[null,"# + ext + "]}]"
        #expect(try check(patient(matched)) == [])
        let unmatched = #""name":[{"given":["A",null]}]"#
        #expect(try findings(patient(unmatched)) == [Finding(.error, .structure, "Patient.name[0].given[1]")])
        #expect(
            try findings(patient(unmatched), mode: .lenient)
                == [Finding(.warning, .structure, "Patient.name[0].given[1]")]
        )
        let nullOpposite = #""name":[{"given":["A",null],"_given":["# + ext + ",null]}]"
        #expect(try findings(patient(nullOpposite)) == [Finding(.error, .structure, "Patient.name[0].given[1]")])
    }

    @Test("a '_' array must match its values in length and hold something other than null")
    func primitiveExtensionArrays() throws {
        let ext = Self.primitiveExtension
        let longer = #""name":[{"given":["A"],"_given":[null,"# + ext + "]}]"
        for mode in [FHIRValidator.Mode.strict, .lenient] {
            #expect(try findings(patient(longer), mode: mode) == [Finding(.error, .structure, "Patient.name[0].given")])
        }
        let nulls = #""name":[{"given":["A","B"],"_given":[null,null]}]"#
        #expect(try findings(patient(nulls)) == [Finding(.error, .structure, "Patient.name[0].given")])
        #expect(
            try findings(patient(nulls), mode: .lenient) == [Finding(.warning, .structure, "Patient.name[0].given")]
        )
        let badEntry = #""name":[{"given":["A","B"],"_given":[null,"x"]}]"#
        #expect(try findings(patient(badEntry)) == [Finding(.error, .structure, "Patient.name[0].given[1]")])
    }

    // MARK: Codes and identifiers

    @Test("a code outside a required value set is code-invalid", arguments: ["F", "Female", "f", "man"])
    func requiredBinding(code: String) throws {
        let json = patient(#""gender":""# + code + "\"")
        let issues = try check(json)
        #expect(issues.map { Finding(issue: $0) } == [Finding(.error, .codeInvalid, "Patient.gender")])
        #expect(try findings(json, mode: .lenient) == [Finding(.warning, .codeInvalid, "Patient.gender")])
        #expect(
            issues.first?.description
                == "error code-invalid at Patient.gender: the code is not in the value set the element requires"
        )
    }

    @Test("each code of a required value set is accepted", arguments: ["male", "female", "other", "unknown"])
    func requiredBindingCodes(code: String) throws {
        #expect(try check(patient(#""gender":""# + code + "\"")) == [])
    }

    /// An NHS number identifier holding `value`.
    func nhsNumber(_ value: String) -> String {
        patient(#""identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":""# + value + #""}]"#)
    }

    @Test("an NHS number must be ten digits with a valid Modulus 11 check digit, and is never repeated")
    func nhsNumbers() throws {
        #expect(try check(nhsNumber("9434765919")) == [])
        for value in ["9434765918", "943 476 5919", "943476591", "94347659190", "943476591X"] {
            let issues = try check(nhsNumber(value))
            #expect(
                issues.map { Finding(issue: $0) } == [Finding(.error, .businessRule, "Patient.identifier[0].value")]
            )
            #expect(
                try findings(nhsNumber(value), mode: .lenient)
                    == [Finding(.warning, .businessRule, "Patient.identifier[0].value")]
            )
            for issue in issues {
                #expect(!issue.description.contains("943"))
                #expect(!issue.description.contains("5919"))
                #expect(!issue.description.contains("591"))
            }
        }
        let otherSystem = patient(#""identifier":[{"system":"https://example.org/mrn","value":"9434765918"}]"#)
        #expect(try check(otherSystem) == [])
    }

    // MARK: Resource types

    @Test("an unknown or missing resourceType is an error in both modes")
    func resourceTypes() throws {
        for mode in [FHIRValidator.Mode.strict, .lenient] {
            for json in [#"{"resourceType":"Patientt"}"#, #"{"resourceType":"HumanName"}"#, #"{"resourceType":5}"#] {
                #expect(try findings(json, mode: mode) == [Finding(.error, .value, "resourceType")], "\(json)")
            }
            #expect(try findings(#"{"id":"x"}"#, mode: mode) == [Finding(.error, .required, "(resource)")])
            #expect(try findings("[]", mode: mode) == [Finding(.error, .structure, "(resource)")])
        }
    }

    @Test("contained resources and Bundle entries are validated where they stand")
    func nestedResources() throws {
        #expect(
            try findings(patient(#""contained":[{"resourceType":"Patient","favouriteColour":"x"}]"#))
                == [Finding(.error, .structure, "Patient.contained[0].favouriteColour")]
        )
        #expect(
            try findings(patient(#""contained":[{"resourceType":"Patientt"}]"#))
                == [Finding(.error, .value, "Patient.contained[0].resourceType")]
        )
        let bundle =
            #"{"resourceType":"Bundle","type":"collection","entry":[{"resource":"#
            + #"{"resourceType":"Patient","gender":"F"}}]}"#
        #expect(try findings(bundle) == [Finding(.error, .codeInvalid, "Bundle.entry[0].resource.gender")])
        let untyped = #"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"id":"x"}}]}"#
        #expect(try findings(untyped) == [Finding(.error, .required, "Bundle.entry[0].resource")])
        #expect(try findings(#"{"resourceType":"Bundle"}"#) == [Finding(.error, .required, "Bundle.type")])
    }

    // MARK: Privacy

    @Test("keys not shaped like element names are shown as (key)")
    func undisplayableKeys() throws {
        let json = patient(#""Jane Smith":{"x":1},"_SW1A 1AA":"# + Self.primitiveExtension)
        let issues = try check(json)
        #expect(
            issues.map { Finding(issue: $0) } == [
                Finding(.error, .structure, "Patient.(key)"), Finding(.error, .structure, "Patient.(key)"),
            ]
        )
        for issue in issues {
            #expect(!issue.description.contains("Jane"))
            #expect(!issue.description.contains("SW1A"))
        }
    }

    @Test("diagnostics never contain the values they are about")
    func noValuesInDiagnostics() throws {
        let json = patient(
            #""id":"SW1A 1AA","language":" Jane","SW1A 1AA":"Jane","gender":"Jane","birthDate":"SW1A 1AA","#
                + #""telecom":[{"system":"Jane"}]"#
        )
        let issues = try check(json)
        #expect(
            issues.map { Finding(issue: $0) } == [
                Finding(.error, .value, "Patient.id"),
                Finding(.error, .value, "Patient.language"),
                Finding(.error, .structure, "Patient.(key)"),
                Finding(.error, .codeInvalid, "Patient.gender"),
                Finding(.error, .value, "Patient.birthDate"),
                Finding(.error, .codeInvalid, "Patient.telecom[0].system"),
            ]
        )
        let lenientIssues = try check(json, mode: .lenient)
        for issue in issues + lenientIssues {
            for secret in ["Jane", "SW1A", "1AA"] {
                #expect(!issue.description.contains(secret), "\(issue.location)")
            }
        }
        do throws(FHIREncodingError) {
            _ = try FHIRDecoder().decode(Array(json.utf8))
            Issue.record("expected the decoder to refuse the resource")
        } catch {
            #expect(!error.description.contains("Jane"))
            #expect(!error.description.contains("SW1A"))
        }
    }

    // MARK: Reports and decoding

    @Test("the OperationOutcome of an invalid resource is itself valid, with one issue per finding")
    func operationOutcomeOfInvalid() throws {
        let report = FHIRDecoder().validate(Array(patient(#""gender":"F","favouriteColour":"x","active":null"#).utf8))
        #expect(report.issues.count == 3)
        #expect(!report.isValid)
        #expect(report.firstFailure?.location == "Patient.gender")
        let outcome = report.operationOutcome
        #expect(outcome.resourceType == "OperationOutcome")
        #expect(FHIRValidator().validate(outcome.jsonValue) == [])
        let entries = try #require(outcome.json["issue"]?.array)
        #expect(entries.count == report.issues.count)
        for (entry, issue) in zip(entries, report.issues) {
            #expect(entry["severity"]?.string == issue.severity.rawValue)
            #expect(entry["code"]?.string == issue.code.rawValue)
            #expect(entry["diagnostics"]?.string == issue.diagnostics)
            #expect(entry["expression"] == .array([.string(issue.location)]))
        }
    }

    @Test("the OperationOutcome of a valid resource has one information issue")
    func operationOutcomeOfValid() throws {
        let report = FHIRDecoder().validate(Array(patient(#""gender":"female""#).utf8))
        #expect(report.isValid)
        #expect(report.issues == [])
        #expect(report.firstFailure == nil)
        let outcome = report.operationOutcome
        #expect(FHIRValidator().validate(outcome.jsonValue) == [])
        let entries = try #require(outcome.json["issue"]?.array)
        #expect(entries.count == 1)
        #expect(entries.first?["severity"] == .string("information"))
        #expect(entries.first?["code"] == .string("informational"))
    }

    @Test("input that is not JSON is one fatal issue, and its OperationOutcome is valid")
    func fatalReport() throws {
        let report = FHIRDecoder().validate(Array("{".utf8))
        #expect(
            report.issues == [
                FHIRIssue(
                    severity: .fatal,
                    code: .invalid,
                    location: "(document)",
                    diagnostics: "expected a member name in double quotes (byte 1)"
                )
            ]
        )
        #expect(report.resource == nil)
        #expect(FHIRValidator().validate(report.operationOutcome.jsonValue) == [])
        let deep = FHIRDecoder(limits: JSONReader.Limits(maximumDepth: 1)).validate(Array("[[1]]".utf8))
        #expect(deep.issues.map { Finding(issue: $0) } == [Finding(.fatal, .tooLong, "[0]")])
    }

    @Test("a strict decoder throws invalidResource with every issue")
    func strictDecoder() throws {
        let json = patient(#""gender":"F","favouriteColour":"x""#)
        do throws(FHIREncodingError) {
            _ = try FHIRDecoder().decode(Array(json.utf8))
            Issue.record("expected the decoder to refuse the resource")
        } catch {
            #expect(error.code == .invalidResource)
            #expect(
                error.issues.map { Finding(issue: $0) } == [
                    Finding(.error, .codeInvalid, "Patient.gender"),
                    Finding(.error, .structure, "Patient.favouriteColour"),
                ]
            )
            #expect(error.byteOffset == nil)
        }
    }

    @Test("a lenient decoder keeps unknown elements in the resource's JSON")
    func lenientDecoder() throws {
        let json = patient(#""favouriteColour":"blue","id":"p1","gender":"F""#)
        let resource = try FHIRDecoder(mode: .lenient).decode(Array(json.utf8))
        #expect(resource.resourceType == "Patient")
        #expect(resource.id == "p1")
        #expect(resource.json["favouriteColour"] == .string("blue"))
        #expect(resource.json.members.map(\.key) == ["resourceType", "favouriteColour", "id", "gender"])
        #expect(throws: FHIREncodingError.self) {
            try FHIRDecoder(mode: .lenient).decode(Array(patient(#""active":"yes""#).utf8))
        }
    }

    @Test("severities order by seriousness, and only fatal and error fail")
    func severities() {
        #expect(FHIRIssue.Severity.fatal < .error)
        #expect(FHIRIssue.Severity.error < .warning)
        #expect(FHIRIssue.Severity.warning < .information)
        let failing = FHIRIssue.Severity.allCases.filter {
            FHIRIssue(severity: $0, code: .value, location: "x", diagnostics: "y").isFailure
        }
        #expect(failing == [.fatal, .error])
    }
}

@Suite("Validator review cases")
struct ValidatorReviewTests {
    func issues(_ json: String, mode: FHIRValidator.Mode = .strict) throws -> [FHIRIssue] {
        FHIRValidator(mode: mode).validate(try JSONReader().read(Array(json.utf8)))
    }

    @Test("a blank string where a boolean or number belongs is a wrong type even in lenient mode")
    func blankWrongTypeStaysAnError() throws {
        for json in [
            #"{"resourceType":"Patient","active":""}"#, #"{"resourceType":"Patient","multipleBirthInteger":" "}"#,
        ] {
            let found = try issues(json, mode: .lenient)
            #expect(found.count == 1)
            #expect(found.first?.severity == .error)
        }
        for json in [#"{"resourceType":"Patient","birthDate":" "}"#, #"{"resourceType":"Patient","birthDate":""}"#] {
            #expect(try issues(json, mode: .lenient).map(\.severity) == [.error], "a blank date is malformed")
        }
    }

    @Test("a whitespace-only string is a warning in both modes, since R4 says SHOULD")
    func blankStringWarns() throws {
        let json = #"{"resourceType":"Patient","name":[{"family":" \t "}]}"#
        for mode in [FHIRValidator.Mode.strict, .lenient] {
            let found = try issues(json, mode: mode)
            #expect(found.map(\.severity) == [.warning])
            #expect(found.first?.location == "Patient.name[0].family")
        }
    }

    @Test("keys, codes and resource types are compared as bytes, not as canonically equivalent text")
    func canonicalEquivalentsRefused() throws {
        let kelvin = "\u{212A}"
        #expect(try !issues(#"{"resourceType":"Medication\#(kelvin)nowledge"}"#).isEmpty)
        let code = try issues(#"{"resourceType":"Patient","gender":"male\#(kelvin)"}"#)
        #expect(code.map(\.code) == [.codeInvalid])
    }

    @Test(
        "_id and _div are not elements",
        arguments: [
            #"{"resourceType":"Patient","_id":{"extension":[{"url":"http://example.org/x","valueString":"x"}]}}"#,
            #"{"resourceType":"Patient","text":{"status":"generated","div":"<div>x</div>","_div":{"id":"a"}}}"#,
        ]
    )
    func idAndDivHaveNoExtensions(json: String) throws {
        #expect(try issues(json).map(\.code) == [.structure])
    }

    @Test("unsigned and positive integers have no sign; base64 needs a group; a digit key is never shown")
    func reviewFormats() throws {
        let unsigned = try issues(
            #"{"resourceType":"Appointment","status":"booked","participant":[{"status":"accepted","actor":{"display":"x"}}],"minutesDuration":-0}"#
        )
        #expect(unsigned.map(\.location) == ["Appointment.minutesDuration"])
        let base64 = try issues(
            #"{"resourceType":"Patient","extension":[{"url":"http://example.org/x","valueBase64Binary":" "}]}"#
        )
        #expect(base64.map(\.code) == [.value])
        let digits = try issues(#"{"resourceType":"Patient","9434765919":true}"#)
        #expect(digits.map(\.location) == ["Patient.(key)"])
    }

    @Test("a required primitive given only as null, or with a null extension, is still missing")
    func nullDoesNotSatisfyRequired() throws {
        let found = try issues(#"{"resourceType":"Observation","code":{"text":"x"},"_status":null}"#)
        #expect(found.contains { $0.code == .required && $0.location == "Observation.status" })
    }

    @Test("three variants of one choice element are reported once")
    func threeVariantsOnce() throws {
        let found = try issues(
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"a","valueBoolean":true,"valueInteger":1}"#
        )
        #expect(found.filter { $0.location == "Observation.value[x]" }.count == 1)
    }

    @Test("an integer too large for any integer type is reported as out of range")
    func hugeIntegerOutOfRange() throws {
        let found = try issues(#"{"resourceType":"Patient","multipleBirthInteger":99999999999999999999999}"#)
        #expect(found.first?.diagnostics == "an integer must be from -2147483648 to 2147483647")
    }

    @Test("an OperationOutcome puts only FHIRPath locations in expression")
    func outcomeExpressions() throws {
        let report = FHIRDecoder().validate(Array(#"{"resourceType":"Patient","bad key":1,"gender":"F"}"#.utf8))
        let outcome = report.operationOutcome.json
        let entries = try #require(outcome["issue"]?.array)
        #expect(entries.count == 2)
        #expect(entries[0]["expression"] == nil)
        #expect(entries[0]["diagnostics"]?.string?.hasPrefix("Patient.(key): ") == true)
        #expect(entries[1]["expression"] == .array([.string("Patient.gender")]))
        let fatal = FHIRDecoder().validate(Array("{".utf8)).operationOutcome.json
        #expect(fatal["issue"]?.array?.first?["expression"] == nil)
    }
}
