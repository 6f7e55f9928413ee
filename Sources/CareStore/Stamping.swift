import CareCore
import FHIREncoding
import Foundation

/// What every backend does to a resource before it stores a version: checks the request, sets the id,
/// version and time, and extracts the index.
struct Stamping: Sendable {
    /// The store's clock.
    let clock: any WallClock
    /// The zone whose days a date without a time covers.
    let timeZone: CivilTimeZone

    /// The moment the store records now, to the millisecond.
    func now() throws(CareStoreError) -> Instant {
        do {
            return try Instant(clock.now())
        } catch {
            throw CareStoreError(.io, reason: "the store's clock gave a moment FHIR cannot record")
        }
    }

    /// A version of a resource with its id, version and time set, and its index.
    func version(
        of resource: FHIRResource,
        id: String,
        number: Int,
        at moment: Instant
    ) throws(CareStoreError) -> (stored: StoredResource, index: ResourceIndex) {
        let stamped: FHIRResource
        do {
            stamped = try resource.stamped(id: id, versionId: number, lastUpdated: moment)
        } catch {
            throw CareStoreError(.invalidRequest, field: error.field, reason: error.reason)
        }
        let stored = StoredResource(
            resourceType: resource.resourceType,
            id: id,
            version: number,
            lastUpdated: moment,
            isDeleted: false,
            json: JSONWriter().write(stamped.jsonValue)
        )
        return (stored, ResourceIndex(stamped, timeZone: timeZone))
    }

    /// A tombstone version.
    func tombstone(_ type: String, id: String, number: Int, at moment: Instant) -> StoredResource {
        StoredResource(resourceType: type, id: id, version: number, lastUpdated: moment, isDeleted: true, json: [])
    }

    /// The id a create uses: the resource's own, or a new random one.
    static func id(for resource: FHIRResource, using generator: inout some RandomNumberGenerator) -> String {
        resource.id ?? EntityID<Never>.random(using: &generator).rawValue
    }

    /// Refuses an update whose resource has no id.
    static func requireID(_ resource: FHIRResource) throws(CareStoreError) -> String {
        guard let id = resource.id else {
            throw CareStoreError(.invalidRequest, field: FieldPath("id"), reason: "an update needs the resource's id")
        }
        return id
    }

    /// Refuses a version check against anything but the current version.
    static func check(
        expected: Int?,
        current: Int,
        at place: FieldPath
    ) throws(CareStoreError) {
        if let expected, expected != current {
            throw CareStoreError(
                .versionConflict,
                field: place,
                reason: "the resource has changed since the version the caller read"
            )
        }
    }

    /// The current version of a resource that must exist and not be deleted.
    static func live(_ current: StoredResource?, _ type: String, _ id: String) throws(CareStoreError) -> StoredResource
    {
        guard let current else { throw notFound(.resource(type, id)) }
        guard !current.isDeleted else { throw gone(.resource(type, id)) }
        return current
    }

    static func gone(_ place: FieldPath) -> CareStoreError {
        CareStoreError(.gone, field: place, reason: "the resource was deleted")
    }

    static func notFound(_ place: FieldPath) -> CareStoreError {
        CareStoreError(.notFound, field: place, reason: "no resource of this type has this id")
    }

    static func slotTaken(_ place: FieldPath) -> CareStoreError {
        CareStoreError(.slotTaken, field: place, reason: "another active appointment already holds one of these slots")
    }

    /// An error from operation `index` of a transaction, placed under it.
    static func inTransaction(_ error: CareStoreError, at index: Int) -> CareStoreError {
        CareStoreError(
            error.code,
            field: FieldPath("operations").appending(index: index).appending(error.field),
            reason: error.reason
        )
    }
}
