public import CareCore

/// The shared owner of care plans: every clinician and the person work on the same plans through one
/// registry, so a change made against an old version is refused rather than lost.
///
/// Every change is written to the registry's ``CarePlanStore`` before the registry changes, so a failed
/// write loses nothing and changes nothing.
public actor CarePlanRegistry {
    private let store: any CarePlanStore
    private var plans: [CarePlan.ID: CarePlan] = [:]

    /// Opens a registry on a store, starting from what it holds.
    ///
    /// - Parameter store: Where plans are kept; in memory by default.
    /// - Throws: ``CarePlansError`` with code `storageFailure` when the store cannot be read.
    public init(store: any CarePlanStore = InMemoryCarePlanStore()) throws(CarePlansError) {
        self.store = store
        do {
            for plan in try store.loadAll() { plans[plan.id] = plan }
        } catch {
            throw CarePlansError(.storageFailure, field: FieldPath("store"), reason: "the store could not be read")
        }
    }

    /// Adds a new plan.
    ///
    /// - Parameter plan: The plan, usually a new draft.
    /// - Throws: ``CarePlansError``: `invalidValue` when its id is in use; `storageFailure`.
    public func add(_ plan: CarePlan) throws(CarePlansError) {
        guard plans[plan.id] == nil else {
            throw CarePlansError(.invalidValue, field: FieldPath("id"), reason: "a plan id is already in use")
        }
        try commit(plan)
        plans[plan.id] = plan
    }

    /// A plan by id.
    ///
    /// - Parameter id: The plan's id.
    /// - Returns: The plan, with its history.
    public func plan(_ id: CarePlan.ID) -> CarePlan? { plans[id] }

    /// A person's plans, by id.
    ///
    /// - Parameter patient: The person.
    /// - Returns: Their plans.
    public func plans(of patient: CarePlan.PatientID) -> [CarePlan] {
        plans.values.filter { $0.patient == patient }.sorted { $0.id < $1.id }
    }

    /// Changes a plan's content against a version.
    ///
    /// - Parameters:
    ///   - id: The plan.
    ///   - expectedVersion: The version the change was made against.
    ///   - change: Who made it and why.
    ///   - edit: Changes the content.
    /// - Returns: The plan one version on.
    /// - Throws: ``CarePlansError``: `notFound`, or as ``CarePlan/revised(expectedVersion:change:_:)``.
    public func revise(
        _ id: CarePlan.ID,
        expectedVersion: Int,
        change: PlanChange,
        _ edit: (inout PlanContent) throws(CarePlansError) -> Void
    ) throws(CarePlansError) -> CarePlan {
        try update(id) { plan throws(CarePlansError) in
            try plan.revised(expectedVersion: expectedVersion, change: change, edit)
        }
    }

    /// Moves a plan along its lifecycle against a version.
    ///
    /// - Parameters:
    ///   - id: The plan.
    ///   - expectedVersion: The version the change was made against.
    ///   - status: The new status.
    ///   - change: Who made it and why.
    /// - Returns: The plan one version on.
    /// - Throws: ``CarePlansError``: `notFound`, or as ``CarePlan/moved(expectedVersion:to:change:)``.
    public func move(
        _ id: CarePlan.ID,
        expectedVersion: Int,
        to status: PlanStatus,
        change: PlanChange
    ) throws(CarePlansError) -> CarePlan {
        try update(id) { plan throws(CarePlansError) in
            try plan.moved(expectedVersion: expectedVersion, to: status, change: change)
        }
    }

    /// Changes the person's own sections of a plan against a version.
    ///
    /// - Parameters:
    ///   - id: The plan.
    ///   - expectedVersion: The version the change was made against.
    ///   - change: Who made it and why.
    ///   - edit: Changes the content.
    /// - Returns: The plan one version on.
    /// - Throws: ``CarePlansError``: `notFound`, or as ``CarePlan/contributed(expectedVersion:change:_:)``.
    public func contribute(
        _ id: CarePlan.ID,
        expectedVersion: Int,
        change: PlanChange,
        _ edit: (inout PlanContent) throws(CarePlansError) -> Void
    ) throws(CarePlansError) -> CarePlan {
        try update(id) { plan throws(CarePlansError) in
            try plan.contributed(expectedVersion: expectedVersion, change: change, edit)
        }
    }

    /// Records the person's proposal for a clinical section.
    ///
    /// - Parameters:
    ///   - id: The plan.
    ///   - change: Who proposed it and why.
    ///   - edit: Changes a copy of the content.
    /// - Returns: The plan with the proposal pending.
    /// - Throws: ``CarePlansError``: `notFound`, or as ``CarePlan/proposing(change:_:)``.
    public func propose(
        _ id: CarePlan.ID,
        change: PlanChange,
        _ edit: (inout PlanContent) throws(CarePlansError) -> Void
    ) throws(CarePlansError) -> CarePlan {
        try update(id) { plan throws(CarePlansError) in try plan.proposing(change: change, edit) }
    }

    /// Accepts or rejects a proposal.
    ///
    /// - Parameters:
    ///   - id: The plan.
    ///   - number: The proposal.
    ///   - accept: Whether to accept it.
    ///   - expectedVersion: The version the clinician read.
    ///   - change: Who decided and why.
    /// - Returns: The plan with the decision recorded (and, when accepted, one version on).
    /// - Throws: ``CarePlansError``: `notFound`, or as ``CarePlan/accepting(proposal:expectedVersion:change:)``.
    public func decide(
        _ id: CarePlan.ID,
        proposal number: Int,
        accept: Bool,
        expectedVersion: Int,
        change: PlanChange
    ) throws(CarePlansError) -> CarePlan {
        try update(id) { plan throws(CarePlansError) in
            accept
                ? try plan.accepting(proposal: number, expectedVersion: expectedVersion, change: change)
                : try plan.rejecting(proposal: number, change: change)
        }
    }

    /// Hands a plan to another clinician or organisation.
    ///
    /// - Parameters:
    ///   - id: The plan.
    ///   - expectedVersion: The version the change was made against.
    ///   - owner: The new owner.
    ///   - change: Who handed it over and why.
    /// - Returns: The plan one version on.
    /// - Throws: ``CarePlansError``: `notFound`, or as ``CarePlan/transferred(expectedVersion:to:change:)``.
    public func transfer(
        _ id: CarePlan.ID,
        expectedVersion: Int,
        to owner: PlanOwner,
        change: PlanChange
    ) throws(CarePlansError) -> CarePlan {
        try update(id) { plan throws(CarePlansError) in
            try plan.transferred(expectedVersion: expectedVersion, to: owner, change: change)
        }
    }

    private func update(
        _ id: CarePlan.ID,
        _ transform: (CarePlan) throws(CarePlansError) -> CarePlan
    ) throws(CarePlansError) -> CarePlan {
        guard let plan = plans[id] else {
            throw CarePlansError(.notFound, field: FieldPath("id"), reason: "no plan has this id")
        }
        let changed = try transform(plan)
        try commit(changed)
        plans[id] = changed
        return changed
    }

    private func commit(_ plan: CarePlan) throws(CarePlansError) {
        do {
            try store.commit(plan)
        } catch {
            throw CarePlansError(
                .storageFailure,
                field: FieldPath("store"),
                reason: "the store refused the change; nothing was changed"
            )
        }
    }
}
