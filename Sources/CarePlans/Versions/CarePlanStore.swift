import CareCore

/// Where a ``CarePlanRegistry`` keeps its plans, each with its whole history and proposals, so that they
/// survive a restart.
///
/// The registry commits a plan before it changes its own state, so a failed write leaves both as they were.
/// The methods are synchronous for the same reason as the appointment store's: no other change may run
/// between a check and its write. The durable store comes with `CareStore` (issue 10); a ``CarePlan`` is
/// `Codable`, so a store can keep it as JSON.
public protocol CarePlanStore: Sendable {
    /// Every plan stored.
    ///
    /// - Returns: The plans.
    /// - Throws: Any error of the store; the registry reports it as `storageFailure`.
    func loadAll() throws -> [CarePlan]

    /// Writes a plan, replacing the stored one with the same id, all or nothing.
    ///
    /// - Parameter plan: The plan as it now stands.
    /// - Throws: Any error of the store, having written nothing.
    func commit(_ plan: CarePlan) throws
}

/// A store in memory, for tests and examples.
public final class InMemoryCarePlanStore: CarePlanStore {
    private let plans = Locked<[CarePlan.ID: CarePlan]>([:])

    /// Creates an empty store.
    public init() {}

    /// Every plan stored, by id.
    ///
    /// - Returns: The plans.
    public func loadAll() -> [CarePlan] {
        plans.withLock { $0.values.sorted { $0.id < $1.id } }
    }

    /// Stores a plan.
    ///
    /// - Parameter plan: The plan.
    public func commit(_ plan: CarePlan) {
        plans.withLock { $0[plan.id] = plan }
    }
}
