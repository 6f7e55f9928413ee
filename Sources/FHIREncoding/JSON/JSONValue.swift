/// A JSON value (RFC 8259) read or written by FHIREncoding, with numbers kept as the text that was written.
///
/// Objects keep their members in the order they were read, so nothing is reordered by accident; FHIR's
/// own element order is applied by ``FHIREncoder`` when it writes. Numbers are never converted to `Double`
/// or `Decimal`, so `1.50` stays `1.50` and `-1.000000000000000000E+245` survives a round trip.
///
/// ```swift
/// let value = try JSONReader().read(Array(#"{"value": 1.50}"#.utf8))
/// value["value"]?.number?.text  // "1.50"
/// ```
public enum JSONValue: Hashable, Sendable {
    /// The literal `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its text.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, with its members in order.
    case object(JSONObject)

    /// The member of an object with this key, or `nil` when this is not an object or has no such key.
    ///
    /// - Parameter key: The member's key.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The string, when this is one.
    public var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    /// The number, when this is one.
    public var number: JSONNumber? {
        guard case .number(let number) = self else { return nil }
        return number
    }

    /// The object, when this is one.
    public var object: JSONObject? {
        guard case .object(let object) = self else { return nil }
        return object
    }

    /// The array's elements, when this is an array.
    public var array: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// The JSON kind of this value, for messages: `object`, `array`, `string`, `number`, `boolean` or `null`.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Whether two values are the same JSON: objects compare as sets of members (order ignored), arrays in
    /// order, strings by their characters' scalars and numbers by their text, so `1.5` and `1.50` differ.
    ///
    /// This is the comparison a round trip must pass: the writer may reorder members and change
    /// whitespace or escapes, but nothing else.
    ///
    /// - Parameter other: The value to compare with.
    /// - Returns: `true` when both hold the same JSON.
    public func isEquivalent(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let left), .bool(let right)): return left == right
        case (.number(let left), .number(let right)): return left == right
        case (.string(let left), .string(let right)): return left.unicodeScalars.elementsEqual(right.unicodeScalars)
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.isEquivalent(to: $1) }
        case (.object(let left), .object(let right)):
            guard left.count == right.count else { return false }
            for member in left.members {
                guard let match = right[member.key], member.value.isEquivalent(to: match) else { return false }
            }
            return true
        default:
            return false
        }
    }
}

/// A JSON object: its members in the order they were read or added.
///
/// Keys are unique: ``JSONReader`` refuses an object that repeats one, and the subscript setter replaces a
/// member in place.
public struct JSONObject: Hashable, Sendable, RandomAccessCollection {
    /// The members, in order.
    public private(set) var members: [JSONMember]

    /// Creates an object from members whose keys are unique.
    ///
    /// - Parameter members: The members, in order. A later member with a key already seen replaces the
    ///   earlier one's value in its position.
    public init(_ members: [JSONMember] = []) {
        self.members = []
        self.members.reserveCapacity(members.count)
        for member in members { self[member.key] = member.value }
    }

    /// Creates an object from members the reader has already checked for unique keys.
    init(uniqueMembers: [JSONMember]) {
        self.members = uniqueMembers
    }

    /// The value of the member with this key; setting `nil` removes the member, and setting a new key
    /// appends it.
    ///
    /// - Parameter key: The member's key.
    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            let position = members.firstIndex { $0.key == key }
            switch (position, newValue) {
            case (let position?, let value?): members[position].value = value
            case (let position?, nil): members.remove(at: position)
            case (nil, let value?): members.append(JSONMember(key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// The position of the first member.
    public var startIndex: Int { members.startIndex }
    /// The position after the last member.
    public var endIndex: Int { members.endIndex }

    /// The member at a position.
    ///
    /// - Parameter position: A position in `startIndex..<endIndex`.
    public subscript(position: Int) -> JSONMember { members[position] }
}

/// One member of a JSON object: a key and its value.
public struct JSONMember: Hashable, Sendable {
    /// The member's key.
    public var key: String
    /// The member's value.
    public var value: JSONValue

    /// Creates a member.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - value: The value.
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue: CustomStringConvertible, CustomReflectable {
    /// The kind and size only, such as `JSONValue(object, 6 members)`, `JSONValue(array, 3 elements)` or
    /// `JSONValue(string)`: the JSON is often a resource about a patient. Write it with ``JSONWriter`` or
    /// ``FHIREncoder`` to show it on purpose.
    public var description: String {
        switch self {
        case .array(let elements):
            let size = elements.count == 1 ? "1 element" : "\(elements.count) elements"
            return "JSONValue(array, \(size))"
        case .object(let object):
            let size = object.count == 1 ? "1 member" : "\(object.count) members"
            return "JSONValue(object, \(size))"
        case .null, .bool, .number, .string:
            return "JSONValue(\(kindName))"
        }
    }

    /// A mirror with no children, so `dump` and debuggers show nothing of the value.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .enum) }
}

extension JSONObject: CustomStringConvertible, CustomReflectable {
    /// The number of members only, such as `JSONObject(6 members)`: keys and values may be patient data.
    public var description: String {
        let size = count == 1 ? "1 member" : "\(count) members"
        return "JSONObject(\(size))"
    }

    /// A mirror that shows the number of members only.
    public var customMirror: Mirror { Mirror(self, children: ["memberCount": count], displayStyle: .struct) }
}

extension JSONMember: CustomStringConvertible, CustomReflectable {
    /// The kind of the value only, such as `JSONMember(key: <redacted>, value: string)`: a key that is no
    /// element name, kept by lenient decoding, may itself be patient data.
    public var description: String { "JSONMember(key: <redacted>, value: \(value.kindName))" }

    /// A mirror that shows the kind of the value only.
    public var customMirror: Mirror { Mirror(self, children: ["kind": value.kindName], displayStyle: .struct) }
}

extension String {
    /// Whether this string, which Swift's `==` has already found equal to an ASCII one, holds the same bytes.
    /// Call it only after `==` (a dictionary lookup counts): on its own it compares lengths alone.
    ///
    /// `==` also matches a canonically equivalent spelling, which is not the same element name or code. Text
    /// that is canonically equivalent to ASCII without being identical always needs more bytes (U+212A KELVIN
    /// SIGN, equivalent to `K`, takes three), so equal byte counts are enough.
    ///
    /// - Parameter ascii: The ASCII string `==` matched.
    /// - Returns: `true` when the bytes are identical.
    func isByteForByte(_ ascii: String) -> Bool {
        assert(self == ascii, "isByteForByte(_:) is only for strings that == has matched")
        return utf8.count == ascii.utf8.count
    }
}
