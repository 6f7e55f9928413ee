import CareCore
import FHIREncoding
import Foundation

/// What a repository last read or wrote of each resource, so that every write expects the version it saw.
///
/// A repository creates a resource it has not seen and updates one it has, expecting the version it holds;
/// a resource another process changed, or created, since is refused by the store (`versionConflict`,
/// `alreadyExists`) rather than overwritten. The ledger's lock is held from reading what a write is built
/// on to recording what it stored, so two writes through one repository cannot interleave. Reading a
/// resource again makes the version read the one the next write expects.
struct Ledger: Sendable {
    /// A resource's place in the store.
    struct Key: Hashable, Sendable {
        let type: String
        let id: String
    }

    private let versions = Locked<[Key: Int]>([:])

    /// The version the repository holds of a resource, or `nil` when it has not seen it.
    func version(_ type: String, _ id: String) -> Int? {
        versions.withLock { $0[Key(type: type, id: id)] }
    }

    /// Notes what was read.
    func saw(_ stored: [StoredResource]) {
        versions.withLock { versions in
            for version in stored { versions[Key(type: version.resourceType, id: version.id)] = version.version }
        }
    }

    /// What one write knows of the versions, while the ledger's lock is held.
    struct Snapshot {
        fileprivate let versions: [Key: Int]

        /// The version the repository holds of a resource, or `nil` when it has not seen it.
        func version(_ type: String, _ id: String) -> Int? { versions[Key(type: type, id: id)] }
    }

    /// One resource to write, and the version the write must make when the record itself says (an
    /// appointment's version), rather than the one after the version the repository holds.
    struct Write {
        let resource: FHIRResource
        let version: Int?

        init(_ resource: FHIRResource, making version: Int? = nil) {
            self.resource = resource
            self.version = version
        }
    }

    /// Writes resources in one transaction, holding the ledger's lock from building them to recording what
    /// was stored, so that two writes through one repository cannot interleave. Each is created when the
    /// repository has not seen it (or it has no id, for the store to assign) and updated, expecting the
    /// version it holds, when it has; a write that names the version it makes expects the one before.
    ///
    /// - Parameters:
    ///   - store: The store.
    ///   - build: Builds the writes from what the repository knows; it may read the store.
    /// - Returns: What was stored, in order.
    /// - Throws: ``CareStoreError`` from `build` or the store; nothing is written.
    func write(
        to store: some SynchronousResourceStore,
        _ build: (Snapshot) throws(CareStoreError) -> [Write]
    ) throws(CareStoreError) -> [StoredResource] {
        try versions.withLock { (versions) throws(CareStoreError) in
            let writes = try build(Snapshot(versions: versions))
            guard !writes.isEmpty else { return [] }
            var expected = versions
            var operations: [StoreOperation] = []
            for write in writes {
                let resource = write.resource
                // Without an id the store assigns one: a new resource.
                guard let id = resource.id else {
                    operations.append(.create(resource))
                    continue
                }
                let key = Key(type: resource.resourceType, id: id)
                let previous = write.version.map { $0 - 1 } ?? expected[key] ?? 0
                if previous == 0 {
                    operations.append(.create(resource))
                } else {
                    operations.append(.update(resource, expectedVersion: previous))
                }
                // A second write of one resource in the transaction follows the first.
                expected[key] = previous + 1
            }
            let stored = try store.transaction(operations)
            for version in stored { versions[Key(type: version.resourceType, id: version.id)] = version.version }
            return stored
        }
    }
}

/// Moving records between the domain and the store, with a mapping's failure reported as a store error.
enum Restoring {
    /// A stored resource read back as a record through its R4 model.
    ///
    /// - Throws: ``CareStoreError``: `corrupt`, naming the resource and the element, when the resource no
    ///   longer decodes or maps.
    static func record<Model: R4.ResourceModel, Value>(
        _ type: Model.Type,
        from stored: StoredResource,
        _ map: (Model) throws(FHIREncodingError) -> Value
    ) throws(CareStoreError) -> Value {
        let model = try stored.decode(type)
        return try mapping(stored) { () throws(FHIREncodingError) in try map(model) }
    }

    /// Runs a mapping from a stored resource, reporting a failure as damage to the stored row.
    static func mapping<Value>(
        _ stored: StoredResource,
        _ body: () throws(FHIREncodingError) -> Value
    ) throws(CareStoreError) -> Value {
        do {
            return try body()
        } catch {
            throw CareStoreError(
                .corrupt,
                field: FieldPath.resource(stored.resourceType, stored.id).appending(error.field),
                reason: "a stored resource no longer reads as the record it was written from: \(error.reason)"
            )
        }
    }

    /// A record written as FHIR and validated as a resource the store accepts.
    ///
    /// - Throws: ``CareStoreError`` with code `invalidRequest`, naming the resource and the element, when
    ///   the mapping or the validation refuses the record.
    static func resource(
        _ type: String,
        _ id: String,
        _ write: () throws(FHIREncodingError) -> some R4.ResourceModel
    ) throws(CareStoreError) -> FHIRResource {
        do {
            return try FHIRResource(json: .object(try write().json))
        } catch {
            throw CareStoreError(
                .invalidRequest,
                field: FieldPath.resource(type, id).appending(error.field),
                reason: "the record cannot be written as FHIR: \(error.reason)"
            )
        }
    }
}
