import CareCore

extension R4 {
    /// What the generated `init(validatedJSON:)` of every model uses to read its members.
    ///
    /// The validator has already judged the JSON, so this checks only what a Swift type needs: the JSON
    /// kind of each value and the presence of required elements. `null`, empty arrays and empty objects,
    /// which lenient validation lets through as warnings, read as absent. A fault is thrown with the path of
    /// the element, built as the error passes out through each level, so reading valid JSON builds no paths.
    struct Decoding {
        private var unknownMembers: [JSONMember] = []

        init() {}

        /// Members the model has no element for, in the order read.
        var unknownElements: JSONObject {
            JSONObject(uniqueMembers: unknownMembers)
        }

        /// Keeps a member the model has no element for.
        mutating func unknown(_ member: JSONMember) {
            unknownMembers.append(member)
        }

        /// Checks a model's `resourceType` member.
        func resourceType(_ member: JSONMember, is expected: String) throws(FHIREncodingError) {
            guard case .string(let type) = member.value, type == expected && type.isByteForByte(expected) else {
                throw Self.fault(at: FieldPath("resourceType"), "the resource type must be \(expected)")
            }
        }

        /// The `resourceType` of a resource's JSON.
        static func resourceType(of json: JSONObject) throws(FHIREncodingError) -> String {
            guard case .string(let type)? = json["resourceType"] else {
                throw fault(at: FieldPath("resourceType"), "a resource must have a resourceType")
            }
            return type
        }

        // MARK: Plain strings: ids, Extension.url, Narrative.div

        func string(_ member: JSONMember) throws(FHIREncodingError) -> String? {
            switch member.value {
            case .null: return nil
            case .string(let text): return text
            default: throw Self.kind(member.key, "a string", member.value)
            }
        }

        func strings(_ member: JSONMember) throws(FHIREncodingError) -> [String] {
            var result: [String] = []
            for (index, item) in try items(member).enumerated() {
                switch item {
                case .null: continue
                case .string(let text): result.append(text)
                default: throw Self.kind(member.key, index: index, "a string", item)
                }
            }
            return result
        }

        // MARK: Primitives and their `_` forms

        func value<Value>(_ member: JSONMember, into slot: inout Primitive<Value>?) throws(FHIREncodingError) {
            if case .null = member.value { return }
            guard let value = Value.fromFHIRJSON(member.value) else {
                throw Self.kind(member.key, "a primitive value", member.value)
            }
            if slot == nil { slot = Primitive(value) } else { slot?.value = value }
        }

        func element<Value>(_ member: JSONMember, into slot: inout Primitive<Value>?) throws(FHIREncodingError) {
            if case .null = member.value { return }
            let (id, extensions) = try Self.primitiveElement(
                member.value,
                at: FieldPath.root.appending(key: member.key)
            )
            // An `_x` with neither an id nor extensions (`{}`, which lenient mode lets through) carries
            // nothing, and must not make a required element look present.
            guard id != nil || !extensions.isEmpty else { return }
            slot = Primitive(slot?.value, id: id, extension: extensions)
        }

        func values<Value>(_ member: JSONMember, into slots: inout [Primitive<Value>]) throws(FHIREncodingError) {
            for (index, item) in try items(member).enumerated() {
                var value: Value?
                if item != .null {
                    guard let read = Value.fromFHIRJSON(item) else {
                        throw Self.kind(member.key, index: index, "a primitive value", item)
                    }
                    value = read
                }
                if index < slots.count { slots[index].value = value } else { slots.append(Primitive(value)) }
            }
        }

        func elements<Value>(_ member: JSONMember, into slots: inout [Primitive<Value>]) throws(FHIREncodingError) {
            for (index, item) in try items(member).enumerated() {
                while slots.count <= index { slots.append(Primitive(nil)) }
                if case .null = item { continue }
                let place = FieldPath.root.appending(key: member.key).appending(index: index)
                let (id, extensions) = try Self.primitiveElement(item, at: place)
                slots[index] = Primitive(slots[index].value, id: id, extension: extensions)
            }
        }

        /// Reads the id and extensions of a primitive's `_` form. Anything else in it is refused rather than
        /// dropped, since a primitive has nowhere to keep it.
        private static func primitiveElement(
            _ json: JSONValue,
            at place: FieldPath
        ) throws(FHIREncodingError) -> (String?, [R4.Extension]) {
            guard case .object(let object) = json else {
                throw fault(at: place, "the '_' form of an element must be an object, not \(json.kindName)")
            }
            var id: String?
            var extensions: [R4.Extension] = []
            for member in object.members {
                switch member.key {
                case "id":
                    switch member.value {
                    case .null: continue
                    case .string(let text): id = text
                    default: throw fault(at: place.appending("id"), "must be a string, not \(member.value.kindName)")
                    }
                case "extension":
                    do {
                        extensions = try Decoding().models(member)
                    } catch {
                        throw error.nested(under: place)
                    }
                default:
                    throw fault(
                        at: place,
                        "a typed model keeps only id and extension in a primitive's '_' form; read it as a FHIRResource"
                    )
                }
            }
            return (id, extensions)
        }

        // MARK: Complex elements and resources

        @inline(never)
        func model<Model: R4.Model>(_ member: JSONMember) throws(FHIREncodingError) -> Model? {
            try object(member) { (json) throws(FHIREncodingError) in try Model(validatedJSON: json) }
        }

        @inline(never)
        func models<Model: R4.Model>(_ member: JSONMember) throws(FHIREncodingError) -> [Model] {
            try objects(member) { (json) throws(FHIREncodingError) in try Model(validatedJSON: json) }
        }

        /// Reads a resource inside a validated one (a contained resource, a Bundle entry): an untyped one is
        /// trusted as validated with its container.
        @inline(never)
        func resource(_ member: JSONMember) throws(FHIREncodingError) -> R4.Resource? {
            try object(member) { (json) throws(FHIREncodingError) in try R4.Resource(json, trusted: true) }
        }

        @inline(never)
        func resources(_ member: JSONMember) throws(FHIREncodingError) -> [R4.Resource] {
            try objects(member) { (json) throws(FHIREncodingError) in try R4.Resource(json, trusted: true) }
        }

        /// Builds one object-valued member; `null` reads as absent, and a fault is placed under the member.
        private func object<Value>(
            _ member: JSONMember,
            build: (JSONObject) throws(FHIREncodingError) -> Value
        ) throws(FHIREncodingError) -> Value? {
            switch member.value {
            case .null: return nil
            case .object(let object):
                do {
                    return try build(object)
                } catch {
                    throw error.nested(under: FieldPath.root.appending(key: member.key))
                }
            default: throw Self.kind(member.key, "an object", member.value)
            }
        }

        /// Builds each object of an array-valued member, skipping `null`; a fault is placed under its index.
        private func objects<Value>(
            _ member: JSONMember,
            build: (JSONObject) throws(FHIREncodingError) -> Value
        ) throws(FHIREncodingError) -> [Value] {
            let elements = try items(member)
            var result: [Value] = []
            result.reserveCapacity(elements.count)
            for (index, item) in elements.enumerated() {
                switch item {
                case .null: continue
                case .object(let object):
                    do {
                        result.append(try build(object))
                    } catch {
                        throw error.nested(under: FieldPath.root.appending(key: member.key).appending(index: index))
                    }
                default: throw Self.kind(member.key, index: index, "an object", item)
                }
            }
            return result
        }

        // MARK: Required elements and choices

        func required<Value>(_ name: String, _ value: Value?) throws(FHIREncodingError) -> Value {
            guard let value else {
                throw Self.fault(
                    at: FieldPath(name),
                    "a required element is missing, which a typed model cannot hold; read it as a FHIRResource"
                )
            }
            return value
        }

        /// Reads a complex variant of a choice element and places it, refusing a second variant.
        ///
        /// The variant's model is built in this function's own frame, never inlined into the caller: an
        /// `Extension` has thirty complex variants, and with each one's model in its frame, every level of
        /// nested extensions took about 33 KB of stack, enough for hostile nesting to overflow a 512 KiB
        /// thread.
        @inline(never)
        func variant<Model: R4.Model, Choice>(
            _ member: JSONMember,
            _ make: (Model) -> Choice,
            into slot: inout Choice?,
            choice base: String
        ) throws(FHIREncodingError) {
            let model: Model? = try self.model(member)
            try place(model.map(make), in: &slot, choice: base)
        }

        /// Places a variant of a choice element when there is one (`null` reads as none), refusing a second.
        func place<Value>(_ variant: Value?, in slot: inout Value?, choice base: String) throws(FHIREncodingError) {
            guard let variant else { return }
            try place(variant, in: &slot, choice: base)
        }

        /// Places a variant of a choice element, refusing a second one.
        func place<Value>(_ variant: Value, in slot: inout Value?, choice base: String) throws(FHIREncodingError) {
            guard slot == nil else {
                throw Self.fault(at: FieldPath(base + "[x]"), "only one variant of a choice element may be present")
            }
            slot = variant
        }

        // MARK: Faults

        private func items(_ member: JSONMember) throws(FHIREncodingError) -> [JSONValue] {
            switch member.value {
            case .null: return []
            case .array(let items): return items
            default: throw Self.kind(member.key, "an array", member.value)
            }
        }

        private static func kind(
            _ key: String,
            index: Int? = nil,
            _ expected: String,
            _ found: JSONValue
        ) -> FHIREncodingError {
            var place = FieldPath.root.appending(key: key)
            if let index { place = place.appending(index: index) }
            return fault(at: place, "must be \(expected), not \(found.kindName)")
        }

        static func fault(at place: FieldPath, _ reason: String) -> FHIREncodingError {
            FHIREncodingError(.invalidResource, field: place, reason: reason)
        }
    }
}

extension FHIREncodingError {
    /// The same error, placed inside an enclosing element.
    ///
    /// - Parameter place: The enclosing element's path.
    /// - Returns: The error with its field prefixed.
    func nested(under place: FieldPath) -> FHIREncodingError {
        FHIREncodingError(
            code,
            field: place.appending(field),
            reason: reason,
            byteOffset: byteOffset,
            line: line,
            issues: issues
        )
    }
}
