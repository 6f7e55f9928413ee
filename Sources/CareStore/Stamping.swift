public import CareCore
public import FHIREncoding
import Foundation

/// What every backend does to a resource before it stores a version: checks the request, sets the id,
/// version and time, and extracts the index. Public so that a backend outside this module (the PostgreSQL
/// one in `Integrations/PostgresStore`, or a team's own) stamps, checks and refuses exactly as the built-in
/// ones do, with the same codes and texts.
public struct Stamping: Sendable {
    /// The store's clock.
    public let clock: any WallClock
    /// The zone whose days a date without a time covers.
    public let timeZone: CivilTimeZone

    /// Creates the stamping for a store.
    ///
    /// - Parameters:
    ///   - clock: The clock that times each version.
    ///   - timeZone: The zone whose days a date without a time covers; Europe/London for the suite.
    public init(clock: any WallClock, timeZone: CivilTimeZone) {
        self.clock = clock
        self.timeZone = timeZone
    }

    /// The moment the store records now, to the millisecond.
    ///
    /// - Returns: The moment.
    /// - Throws: ``CareStoreError`` with code `io` when the clock gives a moment FHIR cannot record.
    public func now() throws(CareStoreError) -> Instant {
        do {
            return try Instant(clock.now())
        } catch {
            throw CareStoreError(.io, reason: "the store's clock gave a moment FHIR cannot record")
        }
    }

    /// A version of a resource with its id, version and time set, and its index.
    ///
    /// - Parameters:
    ///   - resource: The resource as given.
    ///   - id: Its logical id.
    ///   - number: The version number.
    ///   - moment: The time of the write.
    /// - Returns: The version to store and its index.
    /// - Throws: ``CareStoreError`` with code `invalidRequest` when the id cannot be set.
    public func version(
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
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    ///   - number: The tombstone's version number.
    ///   - moment: The time of the delete.
    /// - Returns: The tombstone, with no JSON.
    public func tombstone(_ type: String, id: String, number: Int, at moment: Instant) -> StoredResource {
        StoredResource(resourceType: type, id: id, version: number, lastUpdated: moment, isDeleted: true, json: [])
    }

    /// Performs one write as every backend does: a create refused over an existing id (a tombstone
    /// included), an update or delete refused unless the resource is live and at the version expected, and
    /// the new version stamped and recorded.
    ///
    /// - Parameters:
    ///   - operation: The write.
    ///   - moment: The time of the write.
    ///   - generator: The source of new ids.
    ///   - current: Reads a resource's current version, a tombstone included, or `nil`; `locking` asks a
    ///     backend shared between processes to hold the resource until the transaction ends.
    ///   - record: Stores a version and its index (none for a tombstone).
    /// - Returns: The version written.
    /// - Throws: ``CareStoreError``: `alreadyExists`, `notFound`, `gone`, `versionConflict`,
    ///   `invalidRequest`, or what `current` and `record` throw.
    public func write(
        _ operation: StoreOperation,
        at moment: Instant,
        generator: inout some RandomNumberGenerator,
        current: (_ type: String, _ id: String, _ locking: Bool) throws(CareStoreError) -> StoredResource?,
        record: (StoredResource, ResourceIndex?) throws(CareStoreError) -> Void
    ) throws(CareStoreError) -> StoredResource {
        switch operation {
        case .create(let resource):
            let type = resource.resourceType
            let id = Self.id(for: resource, using: &generator)
            if try current(type, id, false) != nil { throw Self.alreadyExists(.resource(type, id)) }
            let (stored, index) = try version(of: resource, id: id, number: 1, at: moment)
            try record(stored, index)
            return stored
        case .update(let resource, let expected):
            let type = resource.resourceType
            let id = try Self.requireID(resource)
            let live = try Self.live(try current(type, id, true), type, id)
            try Self.check(expected: expected, current: live.version, at: .resource(type, id))
            let (stored, index) = try version(of: resource, id: id, number: live.version + 1, at: moment)
            try record(stored, index)
            return stored
        case .delete(let type, let id, let expected):
            let live = try Self.live(try current(type, id, true), type, id)
            try Self.check(expected: expected, current: live.version, at: .resource(type, id))
            let stored = tombstone(type, id: id, number: live.version + 1, at: moment)
            try record(stored, nil)
            return stored
        }
    }

    /// The id a create uses: the resource's own, or a new random one.
    ///
    /// - Parameters:
    ///   - resource: The resource to create.
    ///   - generator: The source of new ids.
    /// - Returns: The id.
    public static func id(for resource: FHIRResource, using generator: inout some RandomNumberGenerator) -> String {
        resource.id ?? EntityID<Never>.random(using: &generator).rawValue
    }

    /// Refuses an update whose resource has no id.
    ///
    /// - Parameter resource: The resource to update.
    /// - Returns: Its id.
    /// - Throws: ``CareStoreError`` with code `invalidRequest`.
    public static func requireID(_ resource: FHIRResource) throws(CareStoreError) -> String {
        guard let id = resource.id else {
            throw CareStoreError(.invalidRequest, field: FieldPath("id"), reason: "an update needs the resource's id")
        }
        return id
    }

    /// Refuses a version check against anything but the current version.
    ///
    /// - Parameters:
    ///   - expected: The version the caller read, or `nil` for no check.
    ///   - current: The current version.
    ///   - place: The resource, as ``CareStoreError`` names it.
    /// - Throws: ``CareStoreError`` with code `versionConflict`.
    public static func check(
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
    ///
    /// - Parameters:
    ///   - current: The current version, a tombstone included, or `nil` when there is none.
    ///   - type: The resource type.
    ///   - id: The logical id.
    /// - Returns: The current version.
    /// - Throws: ``CareStoreError`` with code `notFound` or `gone`.
    public static func live(
        _ current: StoredResource?,
        _ type: String,
        _ id: String
    ) throws(CareStoreError) -> StoredResource {
        guard let current else { throw notFound(.resource(type, id)) }
        guard !current.isDeleted else { throw gone(.resource(type, id)) }
        return current
    }

    /// The error for a create over an id the type already has, a tombstone included.
    ///
    /// - Parameter place: The resource.
    /// - Returns: The error, with code `alreadyExists`.
    public static func alreadyExists(_ place: FieldPath) -> CareStoreError {
        CareStoreError(.alreadyExists, field: place, reason: "a resource of this type already has this id")
    }

    /// Performs writes in order, each at the same moment, placing an error under the operation that threw
    /// it when `placed`: what every backend does inside its transaction.
    ///
    /// - Parameters:
    ///   - operations: The writes.
    ///   - placed: Whether the writes are a transaction's, whose errors name `operations[i]`.
    ///   - write: Performs one write at the moment given.
    /// - Returns: What each wrote.
    /// - Throws: ``CareStoreError`` from the first write that fails, or `io` from the clock.
    public func performing(
        _ operations: [StoreOperation],
        placed: Bool,
        write: (StoreOperation, Instant) throws(CareStoreError) -> StoredResource
    ) throws(CareStoreError) -> [StoredResource] {
        let moment = try now()
        var written: [StoredResource] = []
        written.reserveCapacity(operations.count)
        for (index, operation) in operations.enumerated() {
            do throws(CareStoreError) {
                written.append(try write(operation, moment))
            } catch {
                throw placed ? Self.inTransaction(error, at: index) : error
            }
        }
        return written
    }

    /// The error for a deleted resource.
    ///
    /// - Parameter place: The resource.
    /// - Returns: The error, with code `gone`.
    public static func gone(_ place: FieldPath) -> CareStoreError {
        CareStoreError(.gone, field: place, reason: "the resource was deleted")
    }

    /// The error for a resource the store does not have.
    ///
    /// - Parameter place: The resource.
    /// - Returns: The error, with code `notFound`.
    public static func notFound(_ place: FieldPath) -> CareStoreError {
        CareStoreError(.notFound, field: place, reason: "no resource of this type has this id")
    }

    /// The error for an active Appointment on a slot another already holds.
    ///
    /// - Parameter place: The Appointment.
    /// - Returns: The error, with code `slotTaken`.
    public static func slotTaken(_ place: FieldPath) -> CareStoreError {
        CareStoreError(.slotTaken, field: place, reason: "another active appointment already holds one of these slots")
    }

    /// An error from operation `index` of a transaction, placed under it.
    ///
    /// - Parameters:
    ///   - error: The operation's error.
    ///   - index: The operation's position in the transaction.
    /// - Returns: The error under `operations[index]`.
    public static func inTransaction(_ error: CareStoreError, at index: Int) -> CareStoreError {
        CareStoreError(
            error.code,
            field: FieldPath("operations").appending(index: index).appending(error.field),
            reason: error.reason
        )
    }
}
