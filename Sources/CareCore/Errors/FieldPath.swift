/// The place in a structured value that an error or a finding is about, such as `name[0].given[1]`.
///
/// A path names *where* something is wrong, never *what* the value was: that is how an error can be
/// logged and shown without disclosing patient data. Paths print in the dotted form used by FHIRPath and
/// by most JSON tooling, with array positions in brackets.
///
/// ```swift
/// let path = FieldPath("address").appending(index: 0).appending("postalCode")
/// print(path)  // address[0].postalCode
/// ```
public struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    /// One step of a path: a named field or a position in an array.
    public enum Component: Hashable, Sendable {
        /// A named field, such as `given`.
        case field(String)
        /// A zero-based position in an array.
        case index(Int)
    }

    /// The steps of the path, outermost first. Empty for the root of the value.
    public private(set) var components: [Component]

    /// The root of a value: the empty path.
    public static let root = FieldPath(components: [])

    /// Creates a path from its steps.
    ///
    /// - Parameter components: The steps, outermost first.
    public init(components: [Component]) {
        self.components = components
    }

    /// Creates a path from a dotted field list such as `"name.given"`.
    ///
    /// Each dot-separated part becomes one ``Component/field(_:)`` step; use ``appending(index:)`` for array
    /// positions.
    ///
    /// - Parameter dotted: Field names separated by dots.
    public init(_ dotted: String) {
        self.components = dotted.split(separator: ".", omittingEmptySubsequences: true).map {
            .field(String($0))
        }
    }

    /// Returns this path extended by a named field.
    ///
    /// - Parameter field: The field's name.
    /// - Returns: The longer path.
    public func appending(_ field: String) -> FieldPath {
        FieldPath(components: components + [.field(field)])
    }

    /// Returns this path extended by an array position.
    ///
    /// - Parameter index: The zero-based position.
    /// - Returns: The longer path.
    public func appending(index: Int) -> FieldPath {
        FieldPath(components: components + [.index(index)])
    }

    /// Returns this path followed by every step of another.
    ///
    /// Use it to place an error found inside a nested value at its position in the outer value.
    ///
    /// - Parameter other: The path relative to the end of this one.
    /// - Returns: The combined path.
    public func appending(_ other: FieldPath) -> FieldPath {
        FieldPath(components: components + other.components)
    }

    /// Whether this is the root path, with no steps.
    public var isRoot: Bool { components.isEmpty }

    /// The path in dotted form, such as `name[0].given`; the root prints as `(root)`.
    public var description: String {
        guard !components.isEmpty else { return "(root)" }
        var text = ""
        for component in components {
            switch component {
            case .field(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
