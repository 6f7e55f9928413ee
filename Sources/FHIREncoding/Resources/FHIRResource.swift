public import CareCore

/// Any FHIR R4 resource, held as its JSON so that nothing is lost: unknown resource content kept by
/// lenient decoding, extensions, primitive extensions, contained resources and decimal text all survive a
/// round trip.
///
/// Every resource type is validated against R4's element definitions when it is made, so a `Claim` or an
/// `Immunization` is held to the same rules as a `Patient`.
///
/// ```swift
/// let resource = try FHIRDecoder().decode(Array(#"{"resourceType":"Claim","id":"c1","status":"active"}"#.utf8))
/// resource.resourceType  // "Claim"
/// resource.id            // "c1"
/// ```
public struct FHIRResource: Hashable, Sendable {
    /// The resource type, such as `Patient`.
    public let resourceType: String
    /// The resource's JSON, with its members in the order they were read.
    public let json: JSONObject

    /// Creates a resource from JSON, validating it.
    ///
    /// - Parameters:
    ///   - json: The resource's JSON object.
    ///   - mode: How strictly to validate; strict unless given.
    /// - Throws: ``FHIREncodingError`` with ``FHIREncodingError/Code-swift.struct/invalidResource`` and every
    ///   issue, when validation finds an error.
    public init(json: JSONValue, mode: FHIRValidator.Mode = .strict) throws(FHIREncodingError) {
        let issues = FHIRValidator(mode: mode).validate(json)
        try FHIRResource.refuse(issues)
        guard case .object(let object) = json, case .string(let type)? = object["resourceType"] else {
            throw FHIREncodingError(.invalidResource, field: .root, reason: "a resource must be a JSON object")
        }
        self.init(unchecked: object, resourceType: type)
    }

    /// Creates a resource from JSON that has already been validated.
    init(unchecked json: JSONObject, resourceType: String) {
        self.json = json
        self.resourceType = resourceType
    }

    /// The logical id, when the resource has one.
    public var id: String? {
        json["id"]?.string
    }

    /// For a Bundle, the resources of its entries in order (entries without one are skipped); empty for any
    /// other resource type. They were validated with the Bundle, so they are not checked again.
    public var bundleEntryResources: [FHIRResource] {
        guard resourceType == "Bundle" else { return [] }
        return (json["entry"]?.array ?? []).compactMap { entry in
            guard case .object(let object)? = entry["resource"], case .string(let type)? = object["resourceType"]
            else { return nil }
            return FHIRResource(unchecked: object, resourceType: type)
        }
    }

    /// The resource as a JSON value.
    public var jsonValue: JSONValue {
        .object(json)
    }

    /// The resource as a store records one version of it: its logical id, `meta.versionId` and
    /// `meta.lastUpdated` set, and everything else kept, including the rest of `meta`. The primitive
    /// extensions of the replaced values (`_id`, `meta._versionId`, `meta._lastUpdated`) go with them.
    ///
    /// - Parameters:
    ///   - id: The logical id.
    ///   - versionId: The version, from 1.
    ///   - lastUpdated: When the version was recorded.
    /// - Returns: The stamped resource, still valid: the values set are valid by construction.
    /// - Throws: ``FHIREncodingError`` with code `invalidResource` for an id that breaks the FHIR `id` rule or
    ///   a version below 1.
    public func stamped(id: String, versionId: Int, lastUpdated: Instant) throws(FHIREncodingError) -> FHIRResource {
        guard EntityID<Never>(id) != nil else {
            throw FHIREncodingError(
                .invalidResource,
                field: FieldPath("id"),
                reason: "a logical id must follow the FHIR id rule"
            )
        }
        guard versionId >= 1 else {
            throw FHIREncodingError(
                .invalidResource,
                field: FieldPath("meta.versionId"),
                reason: "a version is a whole number from 1"
            )
        }
        var meta: [JSONMember] = [
            JSONMember(key: "versionId", value: .string(String(versionId))),
            JSONMember(key: "lastUpdated", value: .string(lastUpdated.description)),
        ]
        if case .object(let old)? = json["meta"] {
            meta += old.members.filter {
                !["versionId", "lastUpdated", "_versionId", "_lastUpdated"].contains($0.key)
            }
        }
        var members = [
            JSONMember(key: "resourceType", value: .string(resourceType)),
            JSONMember(key: "id", value: .string(id)),
            JSONMember(key: "meta", value: .object(JSONObject(meta))),
        ]
        members += json.members.filter { !["resourceType", "id", "_id", "meta"].contains($0.key) }
        return FHIRResource(unchecked: JSONObject(members), resourceType: resourceType)
    }

    /// Throws when any issue is an error, naming the first in the reason and carrying them all.
    static func refuse(_ issues: [FHIRIssue]) throws(FHIREncodingError) {
        guard let first = issues.first(where: \.isFailure) else { return }
        throw FHIREncodingError(
            .invalidResource,
            field: .root,
            reason: "the resource is not valid FHIR R4: \(first)",
            issues: issues
        )
    }
}

extension FHIRResource: CustomStringConvertible, CustomReflectable {
    /// The resource type and number of members only, such as `FHIRResource(Patient, 14 members)`: a
    /// resource's content is patient data. Encode it with ``FHIREncoder`` to show it on purpose.
    public var description: String {
        let memberText = json.count == 1 ? "1 member" : "\(json.count) members"
        return "FHIRResource(\(resourceType), \(memberText))"
    }

    /// A mirror that shows the resource type and number of members only.
    public var customMirror: Mirror {
        Mirror(self, children: ["resourceType": resourceType, "memberCount": json.count], displayStyle: .struct)
    }
}
