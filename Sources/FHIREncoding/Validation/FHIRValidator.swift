import CareCore

/// Checks that JSON is a valid FHIR R4 resource, against the element definitions of every R4 type.
///
/// It reports, as ``FHIRIssue`` values with FHIRPath-like locations:
/// - unknown elements, `null`, empty arrays and objects, an array where one value belongs and the reverse;
/// - primitive formats: id, date, dateTime, instant, time, uri, code, oid, uuid, base64Binary, decimal and
///   the integer types with their ranges, and strings that are empty or only whitespace;
/// - two variants of one choice element (`deceasedBoolean` and `deceasedDateTime`);
/// - missing required elements, including `Extension.url`;
/// - codes outside a value set bound with required strength;
/// - primitive extensions (`_birthDate`, and `_given` arrays matched to `given` by position);
/// - UK Core: an identifier with system `https://fhir.nhs.uk/Id/nhs-number` must hold ten digits whose
///   Modulus 11 check digit is right.
///
/// A string or markdown value that is only whitespace is a warning in both modes, since R4 says strings
/// SHOULD contain non-whitespace content. In ``Mode-swift.enum/strict`` mode, the default, every other
/// finding is an error. In
/// ``Mode-swift.enum/lenient`` mode, what can be carried without loss becomes a warning instead: unknown
/// elements, `null`, empty arrays and objects, missing required elements, codes outside a
/// required value set and NHS numbers that fail the check digit (the value is kept exactly as sent, and
/// the warning says where). Malformed primitives, wrong JSON types and two choice variants stay errors in
/// both modes, since no typed reader could carry them.
///
/// ```swift
/// let json = try JSONReader().read(Array(#"{"resourceType":"Patient","birthDate":"1970-02-30"}"#.utf8))
/// for issue in FHIRValidator().validate(json) { print(issue) }
/// // error value at Patient.birthDate: that day does not exist in that month
/// ```
public struct FHIRValidator: Sendable {
    /// How strictly to judge.
    public enum Mode: Hashable, Sendable {
        /// Every finding is an error.
        case strict
        /// Findings that lose nothing when carried (unknown elements, `null`, empty values, missing required
        /// elements, codes outside a required value set) are warnings; warnings never fail.
        case lenient
    }

    /// How strictly to judge.
    public var mode: Mode
    /// The definitions to judge against.
    public var definitions: R4Definitions

    /// Creates a validator.
    ///
    /// - Parameters:
    ///   - mode: How strictly to judge; strict unless given.
    ///   - definitions: The definitions; R4's unless given.
    public init(mode: Mode = .strict, definitions: R4Definitions = .shared) {
        self.mode = mode
        self.definitions = definitions
    }

    /// Validates one resource.
    ///
    /// - Parameter resource: The resource's JSON.
    /// - Returns: Every issue found, in document order; empty when the resource is valid and clean.
    public func validate(_ resource: JSONValue) -> [FHIRIssue] {
        var walk = ValidationWalk(definitions: definitions, lenient: mode == .lenient)
        walk.resource(resource)
        return walk.issues
    }

    /// Validates JSON as one R4 definition: a datatype, a backbone element or a resource.
    ///
    /// - Parameters:
    ///   - json: The JSON.
    ///   - definitionName: The definition's name, as ``R4Definitions`` spells it (`HumanName`,
    ///     `Patient_Contact`, `Patient`), or `Resource` for a resource of any type.
    /// - Returns: Every issue found, in document order, located from the definition's name.
    public func validate(_ json: JSONValue, as definitionName: String) -> [FHIRIssue] {
        var walk = ValidationWalk(definitions: definitions, lenient: mode == .lenient)
        guard definitionName != "Resource", let position = definitions.position(of: definitionName),
            definitions.definitions[position].kind != .resource
        else {
            walk.resource(json)
            if definitionName != "Resource", case .object(let object) = json,
                case .string(let type)? = object["resourceType"],
                !(type == definitionName && type.isByteForByte(definitionName))
            {
                walk.report(.structure, "the resource must be a \(definitionName)", at: .name("resourceType"))
            }
            return walk.issues
        }
        walk.path.append(.name(definitionName))
        guard case .object(let object) = json else {
            walk.report(.structure, "the element must be a JSON object, not \(json.kindName)")
            return walk.issues
        }
        walk.complex(object, position: position)
        return walk.issues
    }
}

/// One step of a validation location.
enum LocationStep {
    case name(String)
    case index(Int)
}

/// The recursive walk behind ``FHIRValidator``.
struct ValidationWalk {
    let definitions: R4Definitions
    let lenient: Bool
    var issues: [FHIRIssue] = []
    var path: [LocationStep] = []
    /// Values built in code never passed the reader's depth limit, so the walk keeps its own.
    static let maximumDepth = 256

    init(definitions: R4Definitions, lenient: Bool) {
        self.definitions = definitions
        self.lenient = lenient
    }

    /// The current location, as FHIRPath-like text.
    func location(adding step: LocationStep? = nil) -> String {
        var text = ""
        for step in path + (step.map { [$0] } ?? []) {
            switch step {
            case .name(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text.isEmpty ? "(resource)" : text
    }

    /// Records an issue; a `tolerable` one is only a warning in lenient mode.
    mutating func report(
        _ code: FHIRIssue.Code,
        _ diagnostics: String,
        tolerable: Bool = false,
        at step: LocationStep? = nil
    ) {
        issues.append(
            FHIRIssue(
                severity: tolerable && lenient ? .warning : .error,
                code: code,
                location: location(adding: step),
                diagnostics: diagnostics
            )
        )
    }

    /// Records a warning in either mode, for a rule the specification states as SHOULD.
    mutating func warn(_ code: FHIRIssue.Code, _ diagnostics: String) {
        issues.append(FHIRIssue(severity: .warning, code: code, location: location(), diagnostics: diagnostics))
    }

    mutating func resource(_ value: JSONValue) {
        guard case .object(let object) = value else {
            report(.structure, "a resource must be a JSON object, not \(value.kindName)")
            return
        }
        guard let typeValue = object["resourceType"] else {
            report(.required, "a resource must have a resourceType")
            return
        }
        guard case .string(let typeName) = typeValue, let position = definitions.position(of: typeName),
            definitions.definitions[position].kind == .resource
        else {
            report(.value, "resourceType must name an R4 resource type", at: .name("resourceType"))
            return
        }
        let isRoot = path.isEmpty
        if isRoot { path.append(.name(typeName)) }
        complex(object, position: position)
        if isRoot { path.removeLast() }
    }

    mutating func complex(_ object: JSONObject, position: Int) {
        guard path.count <= Self.maximumDepth else {
            report(.tooLong, "the resource nests deeper than \(Self.maximumDepth) levels")
            return
        }
        let definition = definitions.definitions[position]
        guard !object.isEmpty else {
            report(.structure, "an object must have at least one member", tolerable: true)
            return
        }
        var choices: [(base: String, key: String)] = []
        for member in object.members {
            let key = member.key
            if definition.kind == .resource, key == "resourceType" { continue }
            if key.utf8.first == UInt8(ascii: "_") {
                primitiveExtension(member, in: object, definition: definition, choices: &choices)
                continue
            }
            guard let elementPosition = definition.position(of: key) else {
                report(.structure, "the element is not defined here", tolerable: true, at: .name(displayable(key)))
                continue
            }
            let element = definition.elements[elementPosition]
            if let base = element.choiceBase { noteChoice(base: base, key: key, in: &choices) }
            path.append(.name(key))
            elementValue(member.value, element: element, in: object)
            path.removeLast()
        }
        for requiredPosition in definition.requiredPositions {
            let element = definition.elements[requiredPosition]
            if let value = object[element.name], value != .null { continue }
            if element.primitiveType != nil, let value = object["_" + element.name], value != .null { continue }
            report(.required, "a required element is missing", tolerable: true, at: .name(element.name))
        }
        for base in definition.requiredChoices where !choices.contains(where: { $0.base == base }) {
            report(.required, "a required choice element is missing", tolerable: true, at: .name(base + "[x]"))
        }
        if position == definitions.identifierPosition { nhsNumber(in: object) }
    }

    mutating func noteChoice(base: String, key: String, in choices: inout [(base: String, key: String)]) {
        guard !choices.contains(where: { $0.key == key }) else { return }
        let others = Set(choices.filter { $0.base == base }.map(\.key)).count
        if others == 1 {
            report(.structure, "only one variant of a choice element may be present", at: .name(base + "[x]"))
        }
        choices.append((base, key))
    }

    mutating func elementValue(_ value: JSONValue, element: FHIRElementDefinition, in parent: JSONObject) {
        switch value {
        case .null:
            report(.structure, "null is not allowed; leave the element out", tolerable: true)
        case .array(let items):
            guard element.isArray else {
                report(.structure, "the element holds one value, not an array")
                return
            }
            guard !items.isEmpty else {
                report(.structure, "an array must not be empty; leave the element out", tolerable: true)
                return
            }
            var extensions: [JSONValue]?
            for (index, item) in items.enumerated() {
                path.append(.index(index))
                if case .null = item {
                    if element.primitiveType != nil, extensions == nil {
                        extensions = parent["_" + element.name]?.array ?? []
                    }
                    let matched = extensions.map { index < $0.count && $0[index] != .null } ?? false
                    if !matched {
                        report(
                            .structure,
                            "null may stand in an array only where the matching '_' entry holds an extension",
                            tolerable: true
                        )
                    }
                } else {
                    single(item, element: element)
                }
                path.removeLast()
            }
        default:
            guard !element.isArray else {
                report(.structure, "the element repeats, so its value must be an array")
                return
            }
            single(value, element: element)
        }
    }

    mutating func single(_ value: JSONValue, element: FHIRElementDefinition) {
        switch element.kind {
        case .primitive(let type):
            if let problem = PrimitiveFormat.problem(with: value, as: type) {
                if isBlankText(value, type) {
                    // R4: strings SHOULD contain non-whitespace content; a SHOULD is a warning in both modes.
                    warn(.value, problem)
                } else {
                    report(.value, problem)
                }
                return
            }
            if case .string(let code) = value, !element.allows(code: code) {
                report(.codeInvalid, "the code is not in the value set the element requires", tolerable: true)
            }
        case .complex(let position):
            guard case .object(let object) = value else {
                report(.structure, "the element must be a JSON object, not \(value.kindName)")
                return
            }
            complex(object, position: position)
        case .resource:
            resource(value)
        }
    }

    /// Whether a text-valued primitive holds an empty or whitespace-only string: carried losslessly, so
    /// tolerable in lenient mode. A string where a boolean or number belongs is a wrong type, never this.
    func isBlankText(_ value: JSONValue, _ type: FHIRPrimitiveType) -> Bool {
        guard type == .string || type == .markdown, case .string(let text) = value else { return false }
        return text.utf8.allSatisfy(PrimitiveFormat.isWhitespace)
    }

    /// Checks `_name`: the id and extensions of a primitive element, one object, or for a repeating element
    /// an array matched to the values by position with `null` where a value has none.
    mutating func primitiveExtension(
        _ member: JSONMember,
        in object: JSONObject,
        definition: FHIRTypeDefinition,
        choices: inout [(base: String, key: String)]
    ) {
        let name = String(member.key.utf8.dropFirst()) ?? ""
        // R4 gives `id`, `Extension.url` and narrative `div` no `_` form: in XML they are attributes or markup.
        guard let element = definition.element(named: name), element.primitiveType != nil,
            name != "id", element.primitiveType != .xhtml, !(name == "url" && definition.name == "Extension")
        else {
            report(.structure, "the element is not defined here", tolerable: true, at: .name(displayable(member.key)))
            return
        }
        if let base = element.choiceBase { noteChoice(base: base, key: name, in: &choices) }
        path.append(.name(name))
        defer { path.removeLast() }
        switch member.value {
        case .object(let extensionObject):
            guard !element.isArray else {
                report(.structure, "the '_' form of a repeating element must be an array")
                return
            }
            complex(extensionObject, position: definitions.elementPosition)
        case .array(let items):
            guard element.isArray else {
                report(.structure, "the '_' form of a single element must be an object, not an array")
                return
            }
            if let values = object[name]?.array, values.count != items.count {
                report(.structure, "the '_' array must have one entry for each value of the element")
            }
            guard items.contains(where: { $0 != .null }) else {
                report(.structure, "the '_' array holds only nulls; leave it out", tolerable: true)
                return
            }
            for (index, item) in items.enumerated() {
                path.append(.index(index))
                switch item {
                case .null: break
                case .object(let extensionObject): complex(extensionObject, position: definitions.elementPosition)
                default: report(.structure, "an entry of an '_' array must be an object or null")
                }
                path.removeLast()
            }
        case .null:
            report(.structure, "null is not allowed; leave the element out", tolerable: true)
        default:
            report(.structure, "the '_' form of an element must be a JSON object, not \(member.value.kindName)")
        }
    }

    /// UK Core: an NHS number identifier's value must be ten digits with a valid Modulus 11 check digit.
    mutating func nhsNumber(in identifier: JSONObject) {
        guard case .string(let system)? = identifier["system"], system == IdentifierSystem.nhsNumber.rawValue,
            case .string(let value)? = identifier["value"]
        else { return }
        if !NHSNumberCheck.isValid(value) {
            report(
                .businessRule,
                "an NHS number must be ten digits whose Modulus 11 check digit is right",
                tolerable: true,
                at: .name("value")
            )
        }
    }

    /// A key as it may appear in a location: element-shaped keys as they are, anything else as `(key)`.
    func displayable(_ key: String) -> String {
        JSONKeys.isDisplayable(key) ? key : "(key)"
    }
}
