/// Writes FHIR R4 JSON, compact or pretty, with every object's elements in the order the specification
/// defines: `resourceType` first, then each element in definition order, each `_name` right after its
/// `name`, and any element R4 does not define (kept by lenient decoding) last, in the order read.
///
/// Values are written exactly as held: decimals keep their text, strings their characters.
///
/// ```swift
/// let resource = try FHIRDecoder().decode(bytes)
/// let compact = FHIREncoder().encode(resource)
/// let pretty = FHIREncoder(style: .pretty).encode(resource)
/// ```
public struct FHIREncoder: Sendable {
    /// How the output is laid out.
    public var style: JSONWriter.Style
    /// The definitions that give element order.
    public var definitions: R4Definitions

    /// Creates an encoder.
    ///
    /// - Parameters:
    ///   - style: The layout; compact unless given.
    ///   - definitions: The definitions giving element order; R4's unless given.
    public init(style: JSONWriter.Style = .compact, definitions: R4Definitions = .shared) {
        self.style = style
        self.definitions = definitions
    }

    /// Writes a resource.
    ///
    /// - Parameter resource: The resource.
    /// - Returns: Its UTF-8 JSON.
    public func encode(_ resource: FHIRResource) -> [UInt8] {
        encode(json: resource.jsonValue)
    }

    /// Writes a typed model after validating it, so a model built in code with a malformed value (a date
    /// that does not exist, a code outside a required value set) is never written.
    ///
    /// - Parameters:
    ///   - model: A typed resource, ``R4/Resource`` or datatype.
    ///   - mode: How strictly to validate; strict unless given. Lenient lets a model read in lenient mode,
    ///     with its unknown elements, be written back; malformed values are refused in both modes.
    /// - Returns: Its UTF-8 JSON.
    /// - Throws: ``FHIREncodingError`` with ``FHIREncodingError/Code-swift.struct/invalidResource`` and every
    ///   issue, when the model holds something R4 does not allow.
    public func encode(_ model: some R4.Model, mode: FHIRValidator.Mode = .strict) throws(FHIREncodingError) -> [UInt8]
    {
        let json = JSONValue.object(model.json)
        let issues = FHIRValidator(mode: mode, definitions: definitions)
            .validate(json, as: type(of: model).definitionName)
        try FHIRResource.refuse(issues)
        return encode(json: json)
    }

    /// Writes JSON that holds a resource, ordering the elements of every resource inside it; JSON that is
    /// not a resource is written as held.
    ///
    /// - Parameter json: The JSON.
    /// - Returns: Its UTF-8 bytes.
    public func encode(json: JSONValue) -> [UInt8] {
        var writer = OrderedWriter(
            output: JSONOutput(pretty: style == .pretty, capacity: 16 * 1024),
            definitions: definitions
        )
        writer.resource(json)
        return writer.output.bytes
    }
}

/// The walk behind ``FHIREncoder``.
struct OrderedWriter {
    var output: JSONOutput
    let definitions: R4Definitions

    /// Writes a value that should be a resource; anything else is written as held.
    mutating func resource(_ value: JSONValue) {
        guard case .object(let object) = value, case .string(let type)? = object["resourceType"],
            definitions.isResourceType(type), let position = definitions.position(of: type)
        else {
            output.value(value)
            return
        }
        self.object(object, position: position)
    }

    /// Writes an object of a known definition with its members in the specification's order.
    mutating func object(_ object: JSONObject, position: Int) {
        let definition = definitions.definitions[position]
        let count = object.count
        output.openObject()
        withUnsafeTemporaryAllocation(of: Placement.self, capacity: count) { buffer in
            var order = buffer
            for (index, member) in object.members.enumerated() {
                order.initializeElement(at: index, to: Self.placement(of: member.key, in: definition, index: index))
            }
            var sorted = true
            for index in 1..<max(count, 1) where order[index - 1].rank > order[index].rank { sorted = false }
            if !sorted { order.sort { $0.rank < $1.rank } }
            for (written, placement) in order.enumerated() {
                let member = object.members[placement.member]
                output.key(member.key, first: written == 0)
                switch placement.element {
                case Placement.primitiveExtension: typed(member.value, kind: .complex(definitions.elementPosition))
                case Placement.asHeld: output.value(member.value)
                default: typed(member.value, kind: definition.elements[placement.element].kind)
                }
            }
        }
        output.closeObject(empty: count == 0)
    }

    /// Where one member goes and how it is written, worked out once per member.
    struct Placement {
        /// `element` for a `_name` member, written as an `Element`.
        static let primitiveExtension = -1
        /// `element` for `resourceType` and unknown members, written as held.
        static let asHeld = -2

        /// The sort key: `resourceType` first, elements by position with `_name` after `name`, unknown
        /// members last in the order read.
        let rank: Int
        /// The member's index in the object.
        let member: Int
        /// The element's position in the definition, or one of the two markers above.
        let element: Int
    }

    static func placement(of key: String, in definition: FHIRTypeDefinition, index: Int) -> Placement {
        if let position = definition.position(of: key) {
            return Placement(rank: position * 2 + 1, member: index, element: position)
        }
        if key.utf8.first == UInt8(ascii: "_"), let position = definition.position(of: String(key.dropFirst())) {
            return Placement(rank: position * 2 + 2, member: index, element: Placement.primitiveExtension)
        }
        let rank = key == "resourceType" ? 0 : 1_000_000 + index
        let element = key.utf8.first == UInt8(ascii: "_") ? Placement.primitiveExtension : Placement.asHeld
        return Placement(rank: rank, member: index, element: element)
    }

    /// Writes an element's value, or each value of an array, by what the element holds.
    mutating func typed(_ value: JSONValue, kind: FHIRElementDefinition.Kind) {
        switch (value, kind) {
        case (.array(let items), _):
            output.openArray()
            for (index, item) in items.enumerated() {
                output.elementPrefix(first: index == 0)
                typed(item, kind: kind)
            }
            output.closeArray(empty: items.isEmpty)
        case (.object(let object), .complex(let position)):
            self.object(object, position: position)
        case (.object, .resource):
            resource(value)
        default:
            output.value(value)
        }
    }
}
