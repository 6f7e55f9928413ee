public import CareCore
public import FHIREncoding
public import Foundation

/// A versioned store of FHIR R4 resources: create, read, version read, update with an expected version,
/// delete as a tombstone, history, search and transactions.
///
/// Every write makes a new version, numbered from 1, with `meta.versionId` and `meta.lastUpdated` set by
/// the store from its clock; nothing is overwritten, so every version stays readable. A delete records a
/// tombstone version: reading the resource then fails with `gone`, and its history keeps every version.
/// An active Appointment holds its slots: a second active Appointment on any of them is refused with
/// `slotTaken` by the store itself, so two processes cannot double-book.
///
/// Backends: ``InMemoryResourceStore`` for tests and ``SQLiteResourceStore``, the embedded default, both
/// also ``SynchronousResourceStore``s. A backend a team writes passes the same checks with
/// `CareStoreConformance`.
public protocol ResourceStore: Sendable {
    /// Stores a new resource as version 1.
    ///
    /// - Parameter resource: The resource. With an id, that id is used (a FHIR update-as-create);
    ///   without one, the store assigns one.
    /// - Returns: The stored version.
    /// - Throws: ``CareStoreError``: `alreadyExists` when a resource of the type has the id (even deleted);
    ///   `slotTaken` for an Appointment that would double-book; a backend's `busy`, `full`, `readOnly`,
    ///   `corrupt` or `io`. Nothing is written when it throws.
    func create(_ resource: FHIRResource) async throws(CareStoreError) -> StoredResource

    /// The current version of a resource.
    ///
    /// - Parameters:
    ///   - type: The resource type, such as `Patient`.
    ///   - id: The logical id.
    /// - Returns: The current version.
    /// - Throws: ``CareStoreError``: `notFound`; `gone` when it was deleted; a backend's errors.
    func read(_ type: String, id: String) async throws(CareStoreError) -> StoredResource

    /// One version of a resource, a tombstone included.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    ///   - version: The version, from 1.
    /// - Returns: That version.
    /// - Throws: ``CareStoreError``: `notFound` for a resource or version that does not exist; a backend's
    ///   errors.
    func read(_ type: String, id: String, version: Int) async throws(CareStoreError) -> StoredResource

    /// Stores a new version of a resource, provided it has not changed since the version the caller read.
    ///
    /// - Parameters:
    ///   - resource: The resource, with its id.
    ///   - expectedVersion: The version the change was made to.
    /// - Returns: The stored version.
    /// - Throws: ``CareStoreError``: `invalidRequest` without an id; `notFound`; `gone`; `versionConflict`
    ///   when the current version is not `expectedVersion`; `slotTaken`; a backend's errors.
    func update(_ resource: FHIRResource, expectedVersion: Int) async throws(CareStoreError) -> StoredResource

    /// Deletes a resource by recording a tombstone version; earlier versions stay readable.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    ///   - expectedVersion: The version the caller read; `nil` to delete whatever is current.
    /// - Returns: The tombstone.
    /// - Throws: ``CareStoreError``: `notFound`; `gone` when already deleted; `versionConflict`; a backend's
    ///   errors.
    func delete(_ type: String, id: String, expectedVersion: Int?) async throws(CareStoreError) -> StoredResource

    /// Every version of a resource, oldest first, tombstones included.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    /// - Returns: The versions.
    /// - Throws: ``CareStoreError``: `notFound`; a backend's errors.
    func history(_ type: String, id: String) async throws(CareStoreError) -> [StoredResource]

    /// The current versions of the resources that match a query, deleted ones excluded, ordered by id.
    ///
    /// - Parameter query: The query.
    /// - Returns: The matches.
    /// - Throws: ``CareStoreError``: a backend's errors.
    func search(_ query: StoreQuery) async throws(CareStoreError) -> [StoredResource]

    /// Performs several writes all or nothing, in order: a later operation sees the earlier ones.
    ///
    /// - Parameter operations: The writes.
    /// - Returns: What each operation stored, in order.
    /// - Throws: ``CareStoreError`` from the first operation that fails, with its field under
    ///   `operations[i]`; nothing is written.
    func transaction(_ operations: [StoreOperation]) async throws(CareStoreError) -> [StoredResource]
}

/// A ``ResourceStore`` whose reads and writes run to completion on the caller's thread, without suspending.
///
/// The domain repositories (``AppointmentRepository``, ``CarePlanRepository``, ``PatientRecordRepository``,
/// ``ConsentDirectiveRepository``) need one: the modules' storage protocols are synchronous so that an
/// actor such as `AppointmentBook` checks and writes with no suspension point between, where another
/// booking could run. ``SQLiteResourceStore`` and ``InMemoryResourceStore`` are synchronous; a store that
/// waits on a network is not, and should not block a thread of Swift's concurrency pool.
///
/// In an `async` function, a call through a generic or existential of this protocol resolves to
/// ``ResourceStore``'s `async` requirement and is written with `await`; the concrete stores' own methods are
/// synchronous everywhere.
public protocol SynchronousResourceStore: ResourceStore {
    /// The current version of a resource; see ``ResourceStore/read(_:id:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    /// - Returns: The current version.
    /// - Throws: ``CareStoreError``: `notFound`; `gone`; a backend's errors.
    func read(_ type: String, id: String) throws(CareStoreError) -> StoredResource

    /// Every version of a resource, oldest first; see ``ResourceStore/history(_:id:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    /// - Returns: The versions.
    /// - Throws: ``CareStoreError``: `notFound`; a backend's errors.
    func history(_ type: String, id: String) throws(CareStoreError) -> [StoredResource]

    /// The current versions that match a query; see ``ResourceStore/search(_:)``.
    ///
    /// - Parameter query: The query.
    /// - Returns: The matches, ordered by id.
    /// - Throws: ``CareStoreError``: a backend's errors.
    func search(_ query: StoreQuery) throws(CareStoreError) -> [StoredResource]

    /// Performs several writes all or nothing; see ``ResourceStore/transaction(_:)``.
    ///
    /// - Parameter operations: The writes.
    /// - Returns: What each operation stored, in order.
    /// - Throws: ``CareStoreError`` from the first operation that fails, under `operations[i]`; nothing is
    ///   written.
    func transaction(_ operations: [StoreOperation]) throws(CareStoreError) -> [StoredResource]
}

/// One stored version of a resource.
public struct StoredResource: Hashable, Sendable {
    /// The resource type.
    public let resourceType: String
    /// The logical id.
    public let id: String
    /// The version, from 1.
    public let version: Int
    /// When the store recorded it.
    public let lastUpdated: Instant
    /// Whether this version is a deletion.
    public let isDeleted: Bool
    /// The resource's JSON as stored, with `id`, `meta.versionId` and `meta.lastUpdated` set; empty for a
    /// tombstone.
    public let json: [UInt8]

    /// Creates a stored version, as a backend does.
    ///
    /// - Parameters:
    ///   - resourceType: The resource type.
    ///   - id: The logical id.
    ///   - version: The version, from 1.
    ///   - lastUpdated: When it was recorded.
    ///   - isDeleted: Whether it is a tombstone.
    ///   - json: The JSON; empty for a tombstone.
    public init(resourceType: String, id: String, version: Int, lastUpdated: Instant, isDeleted: Bool, json: [UInt8]) {
        self.resourceType = resourceType
        self.id = id
        self.version = version
        self.lastUpdated = lastUpdated
        self.isDeleted = isDeleted
        self.json = json
    }

    /// The resource, read and validated from its JSON.
    ///
    /// - Parameter mode: How strictly to validate; strict unless given.
    /// - Returns: The resource.
    /// - Throws: ``CareStoreError``: `gone` for a tombstone; `corrupt` for JSON that is no longer a valid
    ///   resource (a damaged row).
    public func resource(mode: FHIRValidator.Mode = .strict) throws(CareStoreError) -> FHIRResource {
        try refuseTombstone()
        do {
            return try FHIRDecoder(mode: mode).decode(json)
        } catch {
            throw CareStoreError(
                .corrupt,
                field: .resource(resourceType, id),
                reason: "the stored JSON is not a valid resource: \(error.reason)"
            )
        }
    }

    /// The resource as a typed R4 model.
    ///
    /// - Parameter type: The model type, such as `R4.Patient.self`.
    /// - Returns: The model.
    /// - Throws: ``CareStoreError``: `gone` and `corrupt` as ``resource(mode:)``, or `invalidRequest` when
    ///   the stored resource is of another type.
    public func decode<Resource: R4.ResourceModel>(_ type: Resource.Type) throws(CareStoreError) -> Resource {
        try refuseTombstone()
        do {
            return try FHIRDecoder().decode(type, from: json)
        } catch {
            throw CareStoreError(
                error.code == .invalidResource || error.code == .invalidJSON ? .corrupt : .invalidRequest,
                field: .resource(resourceType, id),
                reason: "the stored resource cannot be read as this model: \(error.reason)"
            )
        }
    }
}

extension StoredResource: CustomStringConvertible, CustomReflectable {
    /// The resource type, logical id, version and size only, such as
    /// `StoredResource(Patient/p1, version: 2, 812 bytes)` or `StoredResource(Patient/p1, version: 3, deleted)`:
    /// the JSON is the resource itself. Logical ids are shown, as in ``CareStoreError``.
    public var description: String {
        let content = isDeleted ? "deleted" : json.count == 1 ? "1 byte" : "\(json.count) bytes"
        return "StoredResource(\(resourceType)/\(id), version: \(version), \(content))"
    }

    /// A mirror that shows everything but the JSON, whose size it gives instead.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "resourceType": resourceType, "id": id, "version": version, "lastUpdated": lastUpdated,
                "isDeleted": isDeleted, "byteCount": json.count,
            ],
            displayStyle: .struct
        )
    }
}

extension StoredResource {
    /// Refuses to read a resource out of a tombstone.
    fileprivate func refuseTombstone() throws(CareStoreError) {
        guard !isDeleted else {
            throw CareStoreError(.gone, field: .resource(resourceType, id), reason: "a tombstone has no resource")
        }
    }
}

/// A write in a transaction.
public enum StoreOperation: Hashable, Sendable {
    /// ``ResourceStore/create(_:)``.
    case create(FHIRResource)
    /// ``ResourceStore/update(_:expectedVersion:)``.
    case update(FHIRResource, expectedVersion: Int)
    /// ``ResourceStore/delete(_:id:expectedVersion:)``.
    case delete(type: String, id: String, expectedVersion: Int?)
}

/// A search: a resource type and any of an identifier, a reference and a date range, all of which must
/// match.
///
/// ```swift
/// let claire = try await store.search(StoreQuery(type: "Patient", identifier: .init(system: nhs, value: "9434765919")))
/// let booked = try await store.search(StoreQuery(type: "Appointment", reference: "Patient/claire",
///                                                dates: from..<to))
/// ```
public struct StoreQuery: Hashable, Sendable {
    /// An identifier to match: a system and value, as in FHIR's `identifier=system|value`.
    public struct IdentifierToken: Hashable, Sendable {
        /// The identifier system.
        public let system: String
        /// The value.
        public let value: String

        /// Creates a token.
        ///
        /// - Parameters:
        ///   - system: The system.
        ///   - value: The value.
        public init(system: String, value: String) {
            self.system = system
            self.value = value
        }
    }

    /// The resource type.
    public let type: String
    /// An identifier the resource must have in its `identifier` element.
    public let identifier: IdentifierToken?
    /// A reference, `Type/id`, the resource must make anywhere in it (its subject, a participant, a slot).
    public let reference: String?
    /// A range the resource's date must overlap; see ``ResourceIndex`` for which element gives it.
    public let dates: Range<Date>?

    /// Creates a query.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - identifier: An identifier to match.
    ///   - reference: A reference to match, `Type/id`.
    ///   - dates: A range the resource's date must overlap.
    public init(type: String, identifier: IdentifierToken? = nil, reference: String? = nil, dates: Range<Date>? = nil) {
        self.type = type
        self.identifier = identifier
        self.reference = reference
        self.dates = dates
    }
}

extension StoreQuery.IdentifierToken: CustomStringConvertible, CustomReflectable {
    /// The system, with the value hidden, such as
    /// `StoreQuery.IdentifierToken(system: https://fhir.nhs.uk/Id/nhs-number, value: <redacted>)`: the value
    /// searched for is often an NHS number.
    public var description: String { "StoreQuery.IdentifierToken(system: \(system), value: <redacted>)" }

    /// A mirror that hides the value from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(self, children: ["system": system, "value": Redacted(value)], displayStyle: .struct)
    }
}
