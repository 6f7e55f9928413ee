/// The element definitions of every FHIR R4 resource, complex datatype and backbone element: names,
/// types, cardinality, required elements, required-binding codes and choice elements, in the
/// specification's element order.
///
/// The data is generated from HL7's R4 JSON Schema by `scripts/generate-fhir-definitions.py` and parsed
/// once, on first use. ``FHIRValidator`` checks every resource against it, typed or not, and
/// ``FHIREncoder`` writes elements in its order.
///
/// ```swift
/// let patient = R4Definitions.shared.definition(named: "Patient")
/// patient?.element(named: "birthDate")?.typeName  // "date"
/// R4Definitions.shared.isResourceType("Claim")     // true
/// ```
public struct R4Definitions: Sendable {
    /// The definitions of R4, parsed from the generated data on first use.
    public static let shared = R4Definitions(parsing: compactText)

    /// Every definition, in the order of the generated data.
    public let definitions: [FHIRTypeDefinition]
    /// The names of all 146 resource types, sorted.
    public let resourceTypeNames: [String]
    private let positions: [String: Int]

    /// The definition of a resource, complex datatype or backbone element (`Patient_Contact`).
    ///
    /// - Parameter name: The definition's name, as the JSON Schema spells it.
    /// - Returns: The definition, or `nil` when R4 has none of that name.
    public func definition(named name: String) -> FHIRTypeDefinition? {
        position(of: name).map { definitions[$0] }
    }

    /// Whether `name` is an R4 resource type.
    ///
    /// - Parameter name: A candidate `resourceType`.
    /// - Returns: `true` for a resource type such as `Patient` or `Claim`.
    public func isResourceType(_ name: String) -> Bool {
        guard let position = position(of: name) else { return false }
        return definitions[position].kind == .resource
    }

    /// The position of a definition, for the validator's and encoder's walks. Names match byte for byte,
    /// so a canonically equivalent spelling of a resource type is not taken for it.
    func position(of name: String) -> Int? {
        guard let position = positions[name], name.isByteForByte(definitions[position].name) else {
            return nil
        }
        return position
    }

    /// The position of `Element`, the type of every primitive extension (`_birthDate`).
    let elementPosition: Int
    /// The position of `Identifier`, where UK Core's NHS number rule applies.
    let identifierPosition: Int

    /// Parses the generated line format.
    init(parsing text: String) {
        // Names and codes are matched with `String.isByteForByte(_:)`, which relies on them being ASCII.
        precondition(text.utf8.allSatisfy { $0 < 0x80 }, "the generated R4 definitions must be ASCII")
        var valueSets: [[String]] = []
        var raw: [(name: Substring, kind: FHIRTypeDefinition.Kind, elements: [[Substring]])] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("=") {
                valueSets.append(line.split(separator: " ").dropFirst().map(String.init))
            } else if line.hasPrefix(" ") {
                raw[raw.count - 1].elements.append(line.split(separator: " "))
            } else {
                let parts = line.split(separator: " ")
                let kind: FHIRTypeDefinition.Kind =
                    switch parts[0] {
                    case "R": .resource
                    case "B": .backboneElement
                    default: .complexType
                    }
                raw.append((parts[1], kind, []))
            }
        }
        var positions: [String: Int] = [:]
        for (position, entry) in raw.enumerated() { positions[String(entry.name)] = position }
        let codeSets = valueSets.map { Set($0) }
        self.definitions = raw.map { entry in
            var requiredChoices: [String] = []
            let elements = entry.elements.map { parts -> FHIRElementDefinition in
                let typeName = String(parts[1])
                var element = FHIRElementDefinition(
                    name: String(parts[0]),
                    typeName: typeName,
                    kind: FHIRElementDefinition.kind(of: typeName, positions: positions)
                )
                for flag in parts.dropFirst(2) {
                    switch flag.first {
                    case "*": element.isArray = true
                    case "!": element.isRequired = true
                    case "=":
                        if let set = Int(flag.dropFirst()) {
                            element.requiredCodes = valueSets[set]
                            element.codeSet = codeSets[set]
                        }
                    case "~":
                        var base = String(flag.dropFirst())
                        if base.hasSuffix("!") {
                            base.removeLast()
                            if !requiredChoices.contains(base) { requiredChoices.append(base) }
                        }
                        element.choiceBase = base
                    default: break
                    }
                }
                return element
            }
            return FHIRTypeDefinition(
                name: String(entry.name),
                kind: entry.kind,
                elements: elements,
                requiredChoices: requiredChoices
            )
        }
        self.positions = positions
        guard let element = positions["Element"], let identifier = positions["Identifier"] else {
            preconditionFailure("the generated R4 definitions lack Element or Identifier")
        }
        self.elementPosition = element
        self.identifierPosition = identifier
        self.resourceTypeNames = definitions.filter { $0.kind == .resource }.map(\.name).sorted()
    }
}
