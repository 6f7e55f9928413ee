import CareCore
import FHIREncoding
import Foundation

/// What a repository last read or wrote of each resource, so that every write expects the version it saw.
///
/// A repository creates a resource it has not seen and updates one it has, expecting the version it holds;
/// a resource another process changed, or created, since is refused by the store (`versionConflict`,
/// `alreadyExists`) rather than overwritten. The ledger's lock is held across each transaction, so two
/// writes through one repository cannot interleave.
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

    /// Writes resources in one transaction: each is created when the repository has not seen it (or it has
    /// no id, for the store to assign) and updated, expecting the version it holds, when it has.
    ///
    /// - Parameters:
    ///   - resources: The resources.
    ///   - store: The store.
    /// - Returns: What was stored, in order.
    /// - Throws: ``CareStoreError`` from the store; nothing is written.
    func write(
        _ resources: [FHIRResource],
        to store: some SynchronousResourceStore
    ) throws(CareStoreError) -> [StoredResource] {
        guard !resources.isEmpty else { return [] }
        return try versions.withLock { (versions) throws(CareStoreError) in
            var expected = versions
            var operations: [StoreOperation] = []
            for resource in resources {
                // Without an id the store assigns one: a new resource.
                guard let id = resource.id else {
                    operations.append(.create(resource))
                    continue
                }
                let key = Key(type: resource.resourceType, id: id)
                if let version = expected[key] {
                    operations.append(.update(resource, expectedVersion: version))
                } else {
                    operations.append(.create(resource))
                }
                // A second write of one resource in the transaction follows the first.
                expected[key] = (expected[key] ?? 0) + 1
            }
            let stored = try store.transaction(operations)
            for version in stored { versions[Key(type: version.resourceType, id: version.id)] = version.version }
            return stored
        }
    }
}

/// Reading stored resources back into the domain.
enum Restoring {
    /// A stored resource as a typed R4 model.
    static func model<Model: R4.ResourceModel>(
        _ type: Model.Type,
        from stored: StoredResource
    ) throws(CareStoreError) -> Model {
        try stored.decode(type)
    }

    /// A typed R4 model as a resource the store accepts.
    static func resource(_ model: some R4.ResourceModel) throws(CareStoreError) -> FHIRResource {
        do {
            return try FHIRResource(json: .object(model.json))
        } catch {
            throw CareStoreError(
                .invalidRequest,
                field: FieldPath(type(of: model).resourceType).appending(error.field),
                reason: "the record does not make a valid resource: \(error.reason)"
            )
        }
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

    /// Runs a mapping to FHIR, reporting a failure as a record the store cannot hold.
    static func writing<Value>(
        _ type: String,
        _ id: String,
        _ body: () throws(FHIREncodingError) -> Value
    ) throws(CareStoreError) -> Value {
        do {
            return try body()
        } catch {
            throw CareStoreError(
                .invalidRequest,
                field: FieldPath.resource(type, id).appending(error.field),
                reason: "the record cannot be written as FHIR: \(error.reason)"
            )
        }
    }
}
