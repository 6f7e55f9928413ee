public import CareCore

/// Builds a Bundle of a patient's shared-care-record summary: a `collection` to send or file as one
/// document-like set, or a `transaction` to create or update every resource in one atomic request.
///
/// Every entry gets a full URL. A resource with an id gets `<base>/<Type>/<id>` when a base is given;
/// otherwise, and always for a resource with no id, it gets a `urn:uuid:` drawn from the caller's generator,
/// so the same generator seed gives the same Bundle. References between the resources (`Patient/claire`
/// from an Observation's `subject`) are resolved inside the Bundle: when the target's full URL is a
/// `urn:uuid:`, the reference is rewritten to it; when it is under the base, the relative reference already
/// resolves against it (R4 §2.36.4, "Resolving references in Bundles") and is left alone. A relative
/// reference to a resource not in the Bundle is refused unless external references are allowed, so a
/// summary never points at something its receiver cannot find.
///
/// ```swift
/// var builder = SummaryBundle(kind: .transaction)
/// try builder.add(.patient(R4.Patient(record)))
/// try builder.add(.observation(R4.Observation(news2: score, subject: "Patient/\(record.id)", effective: now)))
/// var generator = SeededRandomNumberGenerator(seed: 1)
/// let bundle = try builder.build(timestamp: now, using: &generator)
/// ```
///
/// In a transaction, a resource with an id is a `PUT` to `<Type>/<id>`, which creates or replaces it; one
/// with no id is a `POST` to `<Type>`, which the server gives an id and whose `urn:uuid:` references it
/// rewrites.
public struct SummaryBundle: Sendable {
    /// The kind of Bundle.
    public enum Kind: String, Hashable, Sendable {
        /// A set of resources to send or file together: `Bundle.type` `collection`.
        case collection
        /// An atomic set of creates and updates: `Bundle.type` `transaction`.
        case transaction
    }

    /// The kind of Bundle built.
    public let kind: Kind
    /// The server base the resources' ids belong to, such as `https://fhir.example.nhs.uk/R4`, if any.
    public let base: String?
    /// Whether a relative reference to a resource outside the Bundle is kept rather than refused.
    public let allowsExternalReferences: Bool
    /// The resources added, in order.
    public private(set) var resources: [R4.Resource] = []
    /// Each added resource's id, by position, read once when it is added.
    private var ids: [String?] = []

    /// Starts an empty Bundle.
    ///
    /// - Parameters:
    ///   - kind: Collection or transaction.
    ///   - base: The server base the resources' ids belong to; without one, every entry gets a `urn:uuid:`.
    ///   - allowsExternalReferences: Whether a relative reference to a resource outside the Bundle is kept;
    ///     refused by default.
    public init(kind: Kind, base: String? = nil, allowsExternalReferences: Bool = false) {
        self.kind = kind
        self.base = base.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.allowsExternalReferences = allowsExternalReferences
    }

    /// Adds a resource.
    ///
    /// - Parameter resource: The resource.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` when a resource of the same type and id is
    ///   already in the Bundle, or when a Bundle is added to a Bundle.
    public mutating func add(_ resource: R4.Resource) throws(FHIREncodingError) {
        let place = FieldPath("entry").appending(index: resources.count)
        if case .bundle = resource {
            throw .unmappable(place, "a summary Bundle does not hold Bundles")
        }
        let id = Self.id(of: resource)
        if let id, zip(resources, ids).contains(where: { $0.resourceType == resource.resourceType && $1 == id }) {
            throw .unmappable(place, "a resource of this type and id is already in the Bundle")
        }
        resources.append(resource)
        ids.append(id)
    }

    /// Builds the Bundle, validated strictly.
    ///
    /// - Parameters:
    ///   - id: The Bundle's id, if it has one.
    ///   - timestamp: When the Bundle was assembled, from the caller's clock.
    ///   - generator: The source of the `urn:uuid:` full URLs.
    /// - Returns: The Bundle, claiming the UK Core Bundle profile.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` naming the first reference that resolves to
    ///   nothing in the Bundle (unless external references are allowed), or `invalid-resource` when a
    ///   resource does not validate.
    public func build(
        id: String? = nil,
        timestamp: Instant,
        using generator: inout some RandomNumberGenerator
    ) throws(FHIREncodingError) -> R4.Bundle {
        var fullURLs: [String: String] = [:]
        var entryURLs: [String] = []
        for (resource, id) in zip(resources, ids) {
            let url: String
            if let id, let base {
                url = "\(base)/\(resource.resourceType)/\(id)"
            } else {
                url = "urn:uuid:" + EntityID<R4.Bundle>.random(using: &generator).rawValue
            }
            if let id { fullURLs["\(resource.resourceType)/\(id)"] = url }
            entryURLs.append(url)
        }
        var entries: [R4.Bundle.Entry] = []
        for (index, resource) in resources.enumerated() {
            let place = FieldPath("entry").appending(index: index).appending("resource")
            let json = try resolving(resource.json, fullURLs: fullURLs, at: place)
            let resolved: R4.Resource
            do {
                resolved = try R4.Resource(json: json, mode: .strict)
            } catch {
                throw error.nested(under: place)
            }
            var entry = R4.Bundle.Entry(fullUrl: R4.Primitive(entryURLs[index]), resource: resolved)
            if kind == .transaction {
                if let id = ids[index] {
                    entry.request = R4.Bundle.Request(
                        method: "PUT",
                        url: R4.Primitive("\(resource.resourceType)/\(id)")
                    )
                } else {
                    entry.request = R4.Bundle.Request(method: "POST", url: R4.Primitive(resource.resourceType))
                }
            }
            entries.append(entry)
        }
        return R4.Bundle(
            type: R4.Primitive(kind.rawValue),
            id: id,
            meta: Mapping.meta(nil, claiming: .bundle),
            timestamp: R4.Primitive(timestamp.description),
            entry: entries
        )
    }

    /// Rewrites the relative references in a resource's JSON to `urn:uuid:` full URLs, refusing one that
    /// resolves to nothing in the Bundle unless external references are allowed.
    private func resolving(
        _ object: JSONObject,
        fullURLs: [String: String],
        at place: FieldPath
    ) throws(FHIREncodingError) -> JSONObject {
        var members: [JSONMember] = []
        members.reserveCapacity(object.count)
        for member in object.members {
            let here = place.appending(key: member.key)
            switch member.value {
            case .string(let text) where member.key == "reference":
                members.append(JSONMember(key: member.key, value: .string(try resolved(text, fullURLs, at: here))))
            case .object(let inner) where member.key != "contained":
                members.append(
                    JSONMember(key: member.key, value: .object(try resolving(inner, fullURLs: fullURLs, at: here)))
                )
            case .array(let elements) where member.key != "contained":
                var values: [JSONValue] = []
                for (index, element) in elements.enumerated() {
                    if case .object(let inner) = element {
                        values.append(
                            .object(try resolving(inner, fullURLs: fullURLs, at: here.appending(index: index)))
                        )
                    } else {
                        values.append(element)
                    }
                }
                members.append(JSONMember(key: member.key, value: .array(values)))
            default:
                members.append(member)
            }
        }
        return JSONObject(members)
    }

    /// One reference resolved: a relative `Type/id` to its entry's `urn:uuid:`, or kept as it is.
    private func resolved(
        _ reference: String,
        _ fullURLs: [String: String],
        at place: FieldPath
    ) throws(FHIREncodingError) -> String {
        // Local (`#id`), absolute and `urn:` references are not relative references to resolve.
        guard !reference.hasPrefix("#"), !reference.contains(":") else { return reference }
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        // `Type/id` or `Type/id/_history/version`.
        guard parts.count == 2 || (parts.count == 4 && parts[2] == "_history") else { return reference }
        let key = "\(parts[0])/\(parts[1])"
        guard let url = fullURLs[key] else {
            if allowsExternalReferences { return reference }
            throw .unmappable(place, "the reference points at a resource that is not in the Bundle")
        }
        return url.hasPrefix("urn:uuid:") ? url : reference
    }

    /// A resource's id; only an untyped resource is turned into JSON to find it.
    private static func id(of resource: R4.Resource) -> String? {
        switch resource {
        case .patient(let patient): return patient.id
        case .observation(let observation): return observation.id
        default: return resource.json["id"]?.string
        }
    }
}
