public import CareCore

/// What ``PersonRegistry/reconcile(_:in:newPersonID:actor:reason:at:)`` did.
public struct ReconciliationReport: Hashable, Sendable {
    /// Persons created for clusters none of whose records belonged to a person.
    public var created: [PersonRegistry.PersonID] = []
    /// Persons that received records which belonged to no person.
    public var linked: [PersonRegistry.PersonID] = []
    /// Merges made, as (source, target): the source is now replaced by the target.
    public var merged: [MergedPersons] = []
    /// Clusters left alone because a safety rule refused the change (different verified NHS numbers); their
    /// smallest record ids, for review.
    public var refused: [PatientRecord.ID] = []

    /// One merge a reconciliation made.
    public struct MergedPersons: Hashable, Sendable {
        /// The person merged away, now replaced.
        public let source: PersonRegistry.PersonID
        /// The person that survives.
        public let target: PersonRegistry.PersonID
    }
}

extension PersonRegistry {
    /// Brings the registry in line with clusters from ``PatientIndex/clusters(from:threshold:)``, keeping
    /// person ids stable from run to run.
    ///
    /// A cluster's id (its smallest record id) changes whenever its membership does; the registry's person ids
    /// do not. For each cluster, in order of cluster id:
    /// - if none of its records belongs to a person, a person is created with an id from `newPersonID`;
    /// - if they belong to one person, the records that belong to none are linked to it;
    /// - if they belong to several, the others are merged into the one with the most records (the smallest
    ///   id on a tie), and any unattached records are linked to it; every merge is kept and can be undone.
    ///
    /// Nothing is ever split automatically: a person whose records now fall in different clusters is left as
    /// it is for a person to review, since an automatic unmerge could hide a correct manual decision. A
    /// cluster whose change a safety rule refuses is left untouched and reported.
    ///
    /// - Parameters:
    ///   - clusters: The clusters.
    ///   - index: The index the clusters came from.
    ///   - newPersonID: Makes the id of each new person; inject a seeded generator for repeatable runs.
    ///   - actor: Who is making the changes (for an automatic run, the process).
    ///   - reason: Why, for example the threshold the clusters were formed at.
    ///   - now: When, from the caller's `WallClock`.
    /// - Returns: What changed.
    /// - Throws: ``PatientIdentityError`` with code `inconsistent` when `newPersonID` returns an id already used;
    ///   the clusters before it stay reconciled.
    @discardableResult
    public mutating func reconcile(
        _ clusters: [PersonCluster],
        in index: PatientIndex,
        newPersonID: () -> PersonID,
        actor: String,
        reason: String,
        at now: Instant
    ) throws(PatientIdentityError) -> ReconciliationReport {
        var report = ReconciliationReport()
        for cluster in clusters.sorted(by: { $0.personID < $1.personID }) {
            let current = Set(cluster.records.compactMap { person(of: $0).map { currentPerson(for: $0) } })
            let unattached = cluster.records.filter { person(of: $0) == nil }
            // All or nothing for a cluster: check the safety rules on everything it would join first.
            let joined = current.flatMap { records(of: $0) } + unattached
            do {
                try checkCompatible(joined, in: index)
            } catch {
                report.refused.append(cluster.personID)
                continue
            }
            if current.isEmpty {
                let person = newPersonID()
                try create(person, with: cluster.records, in: index, actor: actor, reason: reason, at: now)
                report.created.append(person)
                continue
            }
            // The survivor: the current person holding most of the cluster's records, then the smallest id.
            let ranked = current.map { person in
                (person, cluster.records.filter { self.person(of: $0).map(currentPerson(for:)) == person }.count)
            }
            .sorted { ($1.1, $0.0) < ($0.1, $1.0) }
            let survivor = ranked[0].0
            for (other, _) in ranked.dropFirst() {
                try merge(other, into: survivor, in: index, actor: actor, reason: reason, at: now)
                report.merged.append(.init(source: other, target: survivor))
            }
            if !unattached.isEmpty {
                try link(unattached, to: survivor, in: index, actor: actor, reason: reason, at: now)
                report.linked.append(survivor)
            }
        }
        return report
    }
}
