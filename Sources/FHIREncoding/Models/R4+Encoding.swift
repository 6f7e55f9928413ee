extension R4 {
    /// What the generated `json` property of every model uses to write its members, in the order the model
    /// calls it: the specification's order, with each primitive's `_` form right after its value.
    struct Encoding {
        private var members: [JSONMember] = []

        init(resourceType: String?) {
            if let resourceType { members.append(JSONMember(key: "resourceType", value: .string(resourceType))) }
        }

        /// The object, with unknown elements last; an unknown element that repeats a written key is dropped,
        /// since the model's own value wins.
        func finish(_ unknownElements: JSONObject) -> JSONObject {
            guard !unknownElements.isEmpty else { return JSONObject(uniqueMembers: members) }
            var all = members
            for member in unknownElements.members where !members.contains(where: { $0.key == member.key }) {
                all.append(member)
            }
            return JSONObject(uniqueMembers: all)
        }

        mutating func string(_ key: String, _ value: String?) {
            guard let value else { return }
            members.append(JSONMember(key: key, value: .string(value)))
        }

        mutating func strings(_ key: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            members.append(JSONMember(key: key, value: .array(values.map(JSONValue.string))))
        }

        mutating func primitive<Value>(_ key: String, _ primitive: Primitive<Value>?) {
            guard let primitive else { return }
            if let value = primitive.value { members.append(JSONMember(key: key, value: Value.fhirJSON(value))) }
            if primitive.hasElement { members.append(JSONMember(key: "_" + key, value: Self.element(primitive))) }
        }

        /// Writes a repeating primitive: the values with `null` where one has only extensions, then, when any
        /// has an id or extensions, the `_` array with `null` where one has none. When every value is absent
        /// the values array is left out, which R4 allows and HL7's JSON Schema requires (its arrays of
        /// strings hold no `null`), so `"given": [null]` beside `"_given": [{...}]` is written as `_given` alone.
        mutating func primitives<Value>(_ key: String, _ primitives: [Primitive<Value>]) {
            guard !primitives.isEmpty else { return }
            if primitives.contains(where: { $0.value != nil }) {
                let values = primitives.map { $0.value.map(Value.fhirJSON) ?? .null }
                members.append(JSONMember(key: key, value: .array(values)))
            }
            if primitives.contains(where: \.hasElement) {
                let elements = primitives.map { $0.hasElement ? Self.element($0) : .null }
                members.append(JSONMember(key: "_" + key, value: .array(elements)))
            }
        }

        private static func element<Value>(_ primitive: Primitive<Value>) -> JSONValue {
            var encoding = Encoding(resourceType: nil)
            encoding.string("id", primitive.id)
            encoding.models("extension", primitive.extension)
            return .object(JSONObject(uniqueMembers: encoding.members))
        }

        @inline(never)
        mutating func model<Model: R4.Model>(_ key: String, _ model: Model?) {
            guard let model else { return }
            members.append(JSONMember(key: key, value: .object(model.json)))
        }

        @inline(never)
        mutating func models<Model: R4.Model>(_ key: String, _ models: [Model]) {
            guard !models.isEmpty else { return }
            members.append(JSONMember(key: key, value: .array(models.map { .object($0.json) })))
        }

        @inline(never)
        mutating func resource(_ key: String, _ resource: R4.Resource?) {
            model(key, resource)
        }

        @inline(never)
        mutating func resources(_ key: String, _ resources: [R4.Resource]) {
            models(key, resources)
        }
    }
}
