import CareCore
public import CarePlans
import ConsentAccess
import FHIREncoding
import Foundation

/// A `CarePlanRegistry`'s plans kept in a resource store as UK Core CarePlans, so that they survive a
/// restart with their whole history.
///
/// Each version of a plan is a version of its CarePlan resource, numbered alike: the plan's version 3 is
/// the resource's `_history/3`, so a FHIR client reading the store sees the plan's history as the plan
/// does. Each proposal is a CarePlan of its own with intent `proposal`, filed under the plan's id and its
/// number (`plan-1-proposal-2`), and written over, keeping that id, once a clinician decides it; a
/// proposal a server marked `entered-in-error`, or whose plan is gone, is left out when plans load. A commit writes the plan's new
/// versions and its new or changed proposals in one transaction.
///
/// Every write expects the version this repository last read or wrote: a plan another process changed
/// since is refused (`versionConflict`) and the registry reports `storageFailure`.
///
/// ```swift
/// let registry = try CarePlanRegistry(store: CarePlanRepository(store: store), clock: clock)
/// ```
public final class CarePlanRepository<Store: SynchronousResourceStore>: CarePlanStore {
    /// The store.
    public let store: Store
    private let ledger = Ledger()

    /// What the repository last read or wrote of each plan: the plan, and its proposals' resource ids by
    /// number.
    private struct Known {
        var plans: [CarePlan.ID: CarePlan] = [:]
        var proposals: [CarePlan.ID: [Int: String]] = [:]
    }

    private let known = Locked(Known())

    /// Creates a repository on a store.
    ///
    /// - Parameter store: The store.
    public init(store: Store) {
        self.store = store
    }

    /// Every plan stored, ordered by id, each with its history and proposals.
    ///
    /// - Returns: The plans.
    /// - Throws: ``CareStoreError``: the store's errors; `corrupt`, naming the resource, for a CarePlan that
    ///   no longer reads as a plan or proposal.
    public func loadAll() throws(CareStoreError) -> [CarePlan] {
        try known.withLock { (known) throws(CareStoreError) in
            let stored = try store.search(StoreQuery(type: "CarePlan"))
            ledger.saw(stored)
            var plans: [StoredResource] = []
            var proposals: [String: [(stored: StoredResource, fhir: R4.CarePlan, number: Int)]] = [:]
            for resource in stored {
                let fhir = try resource.decode(R4.CarePlan.self)
                if fhir.intent.value == "proposal" {
                    // One a server retired keeps its id but is no longer the plan's; restoring leaves it out.
                    guard fhir.status.value != "entered-in-error" else { continue }
                    let (plan, number) = try Self.filing(of: fhir, stored: resource)
                    proposals[plan, default: []].append((resource, fhir, number))
                } else {
                    plans.append(resource)
                }
            }
            var restored: [CarePlan] = []
            for resource in plans {
                let versions = try store.history("CarePlan", id: resource.id).filter { !$0.isDeleted }
                var fhirVersions: [R4.CarePlan] = []
                for version in versions { fhirVersions.append(try version.decode(R4.CarePlan.self)) }
                let filed = proposals[resource.id] ?? []
                let plan = try Restoring.mapping(resource) { () throws(FHIREncodingError) in
                    try CarePlan(fhirVersions: fhirVersions, proposals: filed.map(\.fhir))
                }
                known.plans[plan.id] = plan
                known.proposals[plan.id] = Dictionary(filed.map { ($0.number, $0.stored.id) }) { first, _ in first }
                restored.append(plan)
            }
            // A proposal whose plan the store no longer holds (deleted by another system) proposes a change
            // to nothing; it is left out rather than keeping every other plan from opening.
            return restored
        }
    }

    /// Writes a plan's new versions and its new or changed proposals, in one transaction.
    ///
    /// - Parameter plan: The plan as it now stands.
    /// - Throws: ``CareStoreError``: `versionConflict` for a plan older than the one stored, or when another
    ///   process changed it since this repository read it; `alreadyExists` when another process created it;
    ///   `invalidRequest` for a plan FHIR cannot carry; the store's errors. Nothing is written.
    public func commit(_ plan: CarePlan) throws(CareStoreError) {
        try known.withLock { (known) throws(CareStoreError) in
            let place = FieldPath.resource("CarePlan", plan.id.rawValue)
            let storedVersion = ledger.version("CarePlan", plan.id.rawValue) ?? 0
            guard plan.version >= storedVersion else {
                throw CareStoreError(
                    .versionConflict,
                    field: place,
                    reason: "the plan is older than the version stored; read it again"
                )
            }
            var writes: [Ledger.Write] = []
            for number in (storedVersion + 1)..<(plan.version + 1) {
                let fhir = try Restoring.resource("CarePlan", plan.id.rawValue) { () throws(FHIREncodingError) in
                    try R4.CarePlan(plan, version: number)
                }
                writes.append(Ledger.Write(fhir, making: number))
            }
            let previous = known.plans[plan.id]
            let filed = known.proposals[plan.id] ?? [:]
            var written: [(number: Int, id: String)] = []
            for proposal in plan.proposals {
                let number = proposal.number
                let unchanged =
                    previous.map { $0.proposals.indices.contains(number - 1) } == true
                    && previous?.proposals[number - 1] == proposal
                if unchanged, filed[number] != nil { continue }
                let original = try filed[number].map { (id) throws(CareStoreError) in
                    try store.read("CarePlan", id: id).decode(R4.CarePlan.self)
                }
                let id = filed[number] ?? Self.proposalID(plan.id, number)
                let fhir = try Restoring.resource("CarePlan", id) { () throws(FHIREncodingError) in
                    try R4.CarePlan(plan, proposal: number, id: id, keeping: original)
                }
                writes.append(Ledger.Write(fhir))
                written.append((number, id))
            }
            _ = try ledger.write(to: store) { _ in writes }
            var proposals = filed
            for (number, id) in written { proposals[number] = id }
            known.plans[plan.id] = plan
            known.proposals[plan.id] = proposals
        }
    }

    /// The id a new proposal is filed under: the plan's id and the proposal's number, so that two processes
    /// filing the same number to one plan collide in the store (`alreadyExists`) instead of both filing it.
    /// A plan id too long to take the suffix within FHIR's 64 characters gives a SHA-256 digest of both.
    static func proposalID(_ plan: CarePlan.ID, _ number: Int) -> String {
        let readable = "\(plan.rawValue)-proposal-\(number)"
        if readable.utf8.count <= 64 { return readable }
        return "proposal-" + String(SHA256.hash(Array("\(plan.rawValue)#\(number)".utf8)).hex.prefix(55))
    }

    /// The plan and number a stored proposal was filed under, from the suite's `care-plan-proposal`
    /// extension.
    private static func filing(
        of proposal: R4.CarePlan,
        stored: StoredResource
    ) throws(CareStoreError) -> (plan: String, number: Int) {
        let parts =
            proposal.extension.first { $0.url == R4.SuiteExtension.carePlanProposal.rawValue }?.extension ?? []
        var plan: String?
        var number: Int?
        for part in parts {
            switch (part.url, part.value) {
            case ("plan", .id(let id)?): plan = id.value
            case ("number", .positiveInt(let value)?): number = value.value.map(Int.init)
            default: break
            }
        }
        guard let plan, let number else {
            throw CareStoreError(
                .corrupt,
                field: FieldPath.resource(stored.resourceType, stored.id).appending("extension"),
                reason: "a stored proposal does not name its plan and number"
            )
        }
        return (plan, number)
    }
}
