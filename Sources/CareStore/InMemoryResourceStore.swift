public import CareCore
public import FHIREncoding
import Foundation

/// A ``ResourceStore`` in memory: for tests, examples and previews. It keeps every version and behaves as
/// the durable backends do, but holds nothing once it is released. A lock serialises its callers.
public final class InMemoryResourceStore: SynchronousResourceStore {
    private let engine: Locked<MemoryEngine>

    /// Creates an empty store.
    ///
    /// - Parameters:
    ///   - clock: The clock that times each version.
    ///   - timeZone: The zone whose days a date without a time covers; Europe/London for the suite.
    ///   - generator: The source of new ids.
    public init(
        clock: any WallClock,
        timeZone: CivilTimeZone,
        generator: some RandomNumberGenerator & Sendable
    ) {
        engine = Locked(MemoryEngine(clock: clock, timeZone: timeZone, generator: generator))
    }

    /// Stores a new resource as version 1; see ``ResourceStore/create(_:)``.
    ///
    /// - Parameter resource: The resource, with or without an id.
    /// - Returns: The stored version.
    /// - Throws: ``CareStoreError`` as ``ResourceStore/create(_:)`` says; nothing is written.
    public func create(_ resource: FHIRResource) throws(CareStoreError) -> StoredResource {
        try engine.withLock { (engine) throws(CareStoreError) in try engine.create(resource) }
    }

    /// The current version of a resource; see ``ResourceStore/read(_:id:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    /// - Returns: The current version.
    /// - Throws: ``CareStoreError``: `notFound` or `gone`.
    public func read(_ type: String, id: String) throws(CareStoreError) -> StoredResource {
        try engine.withLock { (engine) throws(CareStoreError) in try engine.read(type, id: id) }
    }

    /// One version of a resource; see ``ResourceStore/read(_:id:version:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    ///   - version: The version, from 1.
    /// - Returns: That version.
    /// - Throws: ``CareStoreError`` with code `notFound`.
    public func read(_ type: String, id: String, version: Int) throws(CareStoreError) -> StoredResource {
        try engine.withLock { (engine) throws(CareStoreError) in try engine.read(type, id: id, version: version) }
    }

    /// Stores a new version; see ``ResourceStore/update(_:expectedVersion:)``.
    ///
    /// - Parameters:
    ///   - resource: The resource, with its id.
    ///   - expectedVersion: The version the change was made to.
    /// - Returns: The stored version.
    /// - Throws: ``CareStoreError`` as ``ResourceStore/update(_:expectedVersion:)`` says; nothing is written.
    public func update(_ resource: FHIRResource, expectedVersion: Int) throws(CareStoreError) -> StoredResource {
        try engine.withLock { (engine) throws(CareStoreError) in
            try engine.update(resource, expectedVersion: expectedVersion)
        }
    }

    /// Records a tombstone; see ``ResourceStore/delete(_:id:expectedVersion:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    ///   - expectedVersion: The version the caller read, or `nil`.
    /// - Returns: The tombstone.
    /// - Throws: ``CareStoreError``: `notFound`, `gone` or `versionConflict`; nothing is written.
    public func delete(_ type: String, id: String, expectedVersion: Int?) throws(CareStoreError) -> StoredResource {
        try engine.withLock { (engine) throws(CareStoreError) in
            try engine.delete(type, id: id, expectedVersion: expectedVersion)
        }
    }

    /// Every version of a resource, oldest first; see ``ResourceStore/history(_:id:)``.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    /// - Returns: The versions.
    /// - Throws: ``CareStoreError`` with code `notFound`.
    public func history(_ type: String, id: String) throws(CareStoreError) -> [StoredResource] {
        try engine.withLock { (engine) throws(CareStoreError) in try engine.history(type, id: id) }
    }

    /// The current versions that match a query, ordered by id; see ``ResourceStore/search(_:)``.
    ///
    /// - Parameter query: The query.
    /// - Returns: The matches.
    public func search(_ query: StoreQuery) -> [StoredResource] {
        engine.withLock { $0.search(query) }
    }

    /// Performs writes all or nothing; see ``ResourceStore/transaction(_:)``.
    ///
    /// - Parameter operations: The writes, in order.
    /// - Returns: What each stored.
    /// - Throws: ``CareStoreError`` from the first that fails, under `operations[i]`; nothing is written.
    public func transaction(_ operations: [StoreOperation]) throws(CareStoreError) -> [StoredResource] {
        try engine.withLock { (engine) throws(CareStoreError) in try engine.transaction(operations) }
    }
}

/// The in-memory store's contents and writer, which its lock lets one caller use at a time.
private final class MemoryEngine {
    struct Key: Hashable {
        let type: String
        let id: String
    }

    struct State {
        var versions: [Key: [StoredResource]] = [:]
        var indexes: [Key: ResourceIndex] = [:]
        var slotHolders: [String: Key] = [:]
    }

    var state = State()
    private let stamping: Stamping
    private var generator: any RandomNumberGenerator & Sendable

    init(
        clock: any WallClock,
        timeZone: CivilTimeZone,
        generator: some RandomNumberGenerator & Sendable
    ) {
        stamping = Stamping(clock: clock, timeZone: timeZone)
        self.generator = generator
    }

    func create(_ resource: FHIRResource) throws(CareStoreError) -> StoredResource {
        try apply([.create(resource)])[0]
    }

    func read(_ type: String, id: String) throws(CareStoreError) -> StoredResource {
        try current(Key(type: type, id: id), in: state)
    }

    func read(_ type: String, id: String, version: Int) throws(CareStoreError) -> StoredResource {
        guard let versions = state.versions[Key(type: type, id: id)], versions.indices.contains(version - 1) else {
            throw CareStoreError(
                .notFound,
                field: .resource(type, id),
                reason: "the resource has no version with this number"
            )
        }
        return versions[version - 1]
    }

    func update(_ resource: FHIRResource, expectedVersion: Int) throws(CareStoreError) -> StoredResource {
        try apply([.update(resource, expectedVersion: expectedVersion)])[0]
    }

    func delete(_ type: String, id: String, expectedVersion: Int?) throws(CareStoreError) -> StoredResource {
        try apply([.delete(type: type, id: id, expectedVersion: expectedVersion)])[0]
    }

    func history(_ type: String, id: String) throws(CareStoreError) -> [StoredResource] {
        guard let versions = state.versions[Key(type: type, id: id)] else {
            throw Stamping.notFound(.resource(type, id))
        }
        return versions
    }

    func search(_ query: StoreQuery) -> [StoredResource] {
        state.indexes
            .filter { key, index in
                key.type == query.type
                    && query.identifier.map { index.identifiers.contains($0) } ?? true
                    && query.reference.map { index.references.contains($0) } ?? true
                    && query.dates.map { index.overlaps($0) } ?? true
            }
            .keys
            .sorted { $0.id < $1.id }
            .compactMap { state.versions[$0]?.last }
    }

    func transaction(_ operations: [StoreOperation]) throws(CareStoreError) -> [StoredResource] {
        try apply(operations, placed: true)
    }

    private func apply(_ operations: [StoreOperation], placed: Bool = false) throws(CareStoreError) -> [StoredResource]
    {
        var next = state
        let written = try stamping.performing(operations, placed: placed) {
            (operation, moment) throws(CareStoreError) in try write(operation, into: &next, at: moment)
        }
        state = next
        return written
    }

    private func write(
        _ operation: StoreOperation,
        into state: inout State,
        at moment: Instant
    ) throws(CareStoreError) -> StoredResource {
        switch operation {
        case .create(let resource):
            let key = Key(type: resource.resourceType, id: Stamping.id(for: resource, using: &generator))
            guard state.versions[key] == nil else { throw Stamping.alreadyExists(.resource(key.type, key.id)) }
            let (stored, index) = try stamping.version(of: resource, id: key.id, number: 1, at: moment)
            try hold(index.slots, for: key, in: &state)
            state.versions[key] = [stored]
            state.indexes[key] = index
            return stored
        case .update(let resource, let expected):
            let key = Key(type: resource.resourceType, id: try Stamping.requireID(resource))
            let current = try self.current(key, in: state)
            try Stamping.check(expected: expected, current: current.version, at: .resource(key.type, key.id))
            let (stored, index) = try stamping.version(
                of: resource,
                id: key.id,
                number: current.version + 1,
                at: moment
            )
            release(key, in: &state)
            try hold(index.slots, for: key, in: &state)
            state.versions[key, default: []].append(stored)
            state.indexes[key] = index
            return stored
        case .delete(let type, let id, let expected):
            let key = Key(type: type, id: id)
            let current = try self.current(key, in: state)
            try Stamping.check(expected: expected, current: current.version, at: .resource(type, id))
            let tombstone = stamping.tombstone(type, id: id, number: current.version + 1, at: moment)
            release(key, in: &state)
            state.versions[key, default: []].append(tombstone)
            state.indexes[key] = nil
            return tombstone
        }
    }

    private func current(_ key: Key, in state: State) throws(CareStoreError) -> StoredResource {
        try Stamping.live(state.versions[key]?.last, key.type, key.id)
    }

    private func hold(_ slots: [String], for key: Key, in state: inout State) throws(CareStoreError) {
        for slot in slots {
            if let holder = state.slotHolders[slot], holder != key {
                throw Stamping.slotTaken(.resource(key.type, key.id))
            }
            state.slotHolders[slot] = key
        }
    }

    private func release(_ key: Key, in state: inout State) {
        for slot in state.indexes[key]?.slots ?? [] where state.slotHolders[slot] == key {
            state.slotHolders[slot] = nil
        }
    }
}
