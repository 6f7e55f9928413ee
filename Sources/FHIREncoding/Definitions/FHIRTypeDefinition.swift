/// One R4 resource, complex datatype or backbone element: its elements in the specification's order.
public struct FHIRTypeDefinition: Hashable, Sendable {
    /// What a definition describes.
    public enum Kind: Hashable, Sendable {
        /// A resource, such as `Patient`.
        case resource
        /// A complex datatype, such as `HumanName`.
        case complexType
        /// A backbone element inside a resource or datatype, such as `Patient_Contact`.
        case backboneElement
    }

    /// The definition's name, as the JSON Schema spells it: `Patient`, `HumanName`, `Patient_Contact`.
    public let name: String
    /// What the definition describes.
    public let kind: Kind
    /// The elements, in the specification's order; each choice variant (`deceasedBoolean`) is its own entry.
    public let elements: [FHIRElementDefinition]
    /// The base names of choice elements that must have one variant present (`value` for
    /// `UsageContext.value[x]`).
    public let requiredChoices: [String]
    /// Element positions by JSON name.
    let positions: [String: Int]
    /// The positions of required elements that are not choices.
    let requiredPositions: [Int]

    /// Creates a definition.
    ///
    /// - Parameters:
    ///   - name: The definition's name.
    ///   - kind: What it describes.
    ///   - elements: The elements, in order.
    ///   - requiredChoices: The base names of required choice elements.
    public init(name: String, kind: Kind, elements: [FHIRElementDefinition], requiredChoices: [String] = []) {
        self.name = name
        self.kind = kind
        self.elements = elements
        self.requiredChoices = requiredChoices
        var positions: [String: Int] = [:]
        for (position, element) in elements.enumerated() { positions[element.name] = position }
        self.positions = positions
        self.requiredPositions = elements.indices.filter { elements[$0].isRequired }
    }

    /// The element with a JSON name, such as `birthDate` or `deceasedBoolean`.
    ///
    /// - Parameter name: The element's JSON name, without a leading underscore.
    /// - Returns: The element, or `nil` when the definition has none of that name.
    public func element(named name: String) -> FHIRElementDefinition? {
        position(of: name).map { elements[$0] }
    }

    /// The position of an element in the specification's order. Names match byte for byte: Swift's `String`
    /// equality would also match a canonically equivalent spelling, which is not the element's name.
    func position(of name: String) -> Int? {
        guard let position = positions[name], name.isByteForByte(elements[position].name) else {
            return nil
        }
        return position
    }
}

/// One element of an R4 definition.
public struct FHIRElementDefinition: Hashable, Sendable {
    /// What an element holds, resolved for the validator's walk.
    enum Kind: Hashable, Sendable {
        case primitive(FHIRPrimitiveType)
        case complex(Int)
        case resource
    }

    /// The element's JSON name: `birthDate`, or `deceasedBoolean` for a choice variant.
    public let name: String
    /// The element's type: a primitive (`date`), a definition name (`HumanName`, `Patient_Contact`) or
    /// `Resource` for an element that holds any resource.
    public let typeName: String
    /// Whether the element repeats (0..\*) and so is a JSON array.
    public internal(set) var isArray = false
    /// Whether the element must be present (minimum cardinality 1).
    public internal(set) var isRequired = false
    /// For a code bound to a value set with required strength, the codes allowed, in the value set's order.
    public internal(set) var requiredCodes: [String]?
    /// For a variant of a choice element, the base name: `deceased` for `deceasedBoolean`.
    public internal(set) var choiceBase: String?
    /// The codes allowed, for fast lookup.
    var codeSet: Set<String>?
    /// What the element holds.
    let kind: Kind

    init(name: String, typeName: String, kind: Kind) {
        self.name = name
        self.typeName = typeName
        self.kind = kind
    }

    /// Whether a code is allowed by the element's required binding, compared byte for byte; any code is
    /// allowed when the element has no required binding.
    ///
    /// - Parameter code: The code as written.
    /// - Returns: `true` when the binding allows it.
    public func allows(code: String) -> Bool {
        guard let codeSet else { return true }
        guard let match = codeSet.firstIndex(of: code) else { return false }
        return code.isByteForByte(codeSet[match])
    }

    /// The primitive type, when the element is primitive.
    public var primitiveType: FHIRPrimitiveType? {
        guard case .primitive(let type) = kind else { return nil }
        return type
    }

    /// Resolves a type name against the definitions' positions.
    static func kind(of typeName: String, positions: [String: Int]) -> Kind {
        if let primitive = FHIRPrimitiveType(rawValue: typeName) { return .primitive(primitive) }
        if typeName == "Resource" { return .resource }
        guard let position = positions[typeName] else {
            preconditionFailure("the generated R4 definitions name an undefined type")
        }
        return .complex(position)
    }
}
