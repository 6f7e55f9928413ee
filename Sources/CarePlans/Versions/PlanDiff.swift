import Foundation

/// One field that differs between two versions of a plan.
public struct FieldChange: Hashable, Sendable {
    /// The field, as a path: `aboutMe.whatMattersToMe`, `goals[goal-1].target`, `contingency[0]`.
    /// Items of lists that have ids (goals, actions, contacts) are named by id, so adding one item does not
    /// make every later item look changed.
    public let path: String
    /// The value before, as JSON text; `nil` when the field was added.
    public let before: String?
    /// The value after, as JSON text; `nil` when the field was removed.
    public let after: String?

    /// Creates a change.
    ///
    /// - Parameters:
    ///   - path: The field.
    ///   - before: The value before.
    ///   - after: The value after.
    public init(path: String, before: String?, after: String?) {
        self.path = path
        self.before = before
        self.after = after
    }
}

extension FieldChange: CustomStringConvertible, CustomReflectable {
    /// The path and the kind of change only, such as `FieldChange(aboutMe.whatMattersToMe, changed)`, with
    /// `added` or `removed` for a field that appears or goes: the values are the plan's words.
    public var description: String {
        let kind = before == nil ? "added" : after == nil ? "removed" : "changed"
        return "FieldChange(\(path), \(kind))"
    }

    /// A mirror that shows the path and whether there is a value before and after only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["path": path, "hasBefore": before != nil, "hasAfter": after != nil],
            displayStyle: .struct
        )
    }
}

/// Field-level differences between two plan contents.
enum PlanDiff {
    /// The fields that differ, sorted by path.
    static func changes(from before: PlanContent, to after: PlanContent) -> [FieldChange] {
        guard let old = flatten(before), let new = flatten(after) else {
            // Encoding plain values cannot fail; if it ever does, report the whole content, never nothing.
            return before == after ? [] : [FieldChange(path: "", before: "(not comparable)", after: "(not comparable)")]
        }
        // An empty list or object that gains members (or members that all go) is reported by its members alone.
        func isEmptyMarker(_ value: String?) -> Bool { value == "[]" || value == "{}" }
        func hasMembers(_ leaves: [String: String], below path: String) -> Bool {
            leaves.keys.contains { $0.hasPrefix(path + "[") || $0.hasPrefix(path + ".") }
        }
        return Set(old.keys).union(new.keys).sorted().compactMap { path in
            let before = old[path]
            let after = new[path]
            guard before != after else { return nil }
            if before == nil, isEmptyMarker(after), hasMembers(old, below: path) { return nil }
            if after == nil, isEmptyMarker(before), hasMembers(new, below: path) { return nil }
            return FieldChange(path: path, before: before, after: after)
        }
    }

    /// The content as leaf paths and their JSON text.
    static func flatten(_ content: PlanContent) -> [String: String]? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(content), let tree = try? JSONSerialization.jsonObject(with: data)
        else { return nil }
        var leaves: [String: String] = [:]
        walk(tree, path: "", into: &leaves)
        return leaves
    }

    private static func walk(_ node: Any, path: String, into leaves: inout [String: String]) {
        switch node {
        case let object as [String: Any]:
            if object.isEmpty { leaves[path] = "{}" }
            for (key, value) in object { walk(value, path: path.isEmpty ? key : "\(path).\(key)", into: &leaves) }
        case let array as [Any]:
            if array.isEmpty { leaves[path] = "[]" }
            for (index, element) in array.enumerated() {
                let id = (element as? [String: Any])?["id"] as? String
                walk(element, path: "\(path)[\(id ?? String(index))]", into: &leaves)
            }
        default:
            leaves[path] = text(node)
        }
    }

    /// A scalar as JSON text, written by the same serializer that read it, so booleans, numbers and strings
    /// keep their JSON form on every platform.
    private static func text(_ scalar: Any) -> String {
        let options: JSONSerialization.WritingOptions = [.fragmentsAllowed, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: scalar, options: options) else {
            return String(describing: scalar)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
