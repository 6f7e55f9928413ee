public import CareCore

/// The records the index believes belong to one person.
public struct PersonCluster: Hashable, Sendable {
    /// The person's id: the smallest record id in the cluster, so that re-running on the same records gives
    /// the same ids. It changes when clusters split or join; keep a lineage of merges to follow that.
    public let personID: PatientRecord.ID
    /// The records, sorted by id.
    public let records: [PatientRecord.ID]
}

extension PatientIndex {
    /// Groups records into persons from scored pairs, in a way that resists chaining.
    ///
    /// Pairs at or above `threshold` are taken strongest first. Two groups are joined only if no record of one
    /// contradicts a record of the other: different valid NHS numbers, or a pair the twin rule vetoes. So a
    /// chain of links A–B–C never puts A and C together when A and C are two people.
    ///
    /// - Parameters:
    ///   - pairs: Scored pairs from ``deduplicate(thresholds:)``.
    ///   - threshold: The probability a pair needs to join groups; 0.9 by default.
    /// - Returns: Every record of the index in exactly one cluster (records with no pair are clusters of one),
    ///   sorted by person id.
    /// - Complexity: O(*p* log *p*) for *p* pairs, plus the contradiction checks between joined groups.
    public func clusters(from pairs: [MatchPair], threshold: Double = 0.9) -> [PersonCluster] {
        var parent = Array(0..<records.count)
        var members = (0..<records.count).map { [$0] }
        func root(_ node: Int) -> Int {
            var node = node
            while parent[node] != node {
                parent[node] = parent[parent[node]]
                node = parent[node]
            }
            return node
        }
        let scorer = self.scorer
        let ordered = pairs.filter { $0.probability >= threshold }.sorted { lhs, rhs in
            if lhs.probability != rhs.probability { return lhs.probability > rhs.probability }
            return (lhs.left, lhs.right) < (rhs.left, rhs.right)
        }
        for pair in ordered {
            guard let left = positions[pair.left], let right = positions[pair.right] else { continue }
            let a = root(Int(left))
            let b = root(Int(right))
            guard a != b else { continue }
            var contradicted = false
            search: for x in members[a] {
                for y in members[b] where contradicts(profiles[x], profiles[y], scorer: scorer) {
                    contradicted = true
                    break search
                }
            }
            guard !contradicted else { continue }
            let (big, small) = members[a].count >= members[b].count ? (a, b) : (b, a)
            parent[small] = big
            members[big].append(contentsOf: members[small])
            members[small] = []
        }
        var clusters: [PersonCluster] = []
        for node in members.indices where parent[node] == node {
            let ids = members[node].map { records[$0].id }.sorted()
            if let first = ids.first { clusters.append(PersonCluster(personID: first, records: ids)) }
        }
        return clusters.sorted { $0.personID < $1.personID }
    }

    /// Whether two records are known to be different people.
    private func contradicts(_ a: MatchProfile, _ b: MatchProfile, scorer: Scorer) -> Bool {
        if a.nhsIsValid, b.nhsIsValid, let left = a.nhsDigits, let right = b.nhsDigits, left != right { return true }
        return scorer.isVetoed(a, b, levels: scorer.comparator.levels(a, b))
    }
}
