import CareCore
import Foundation

/// The facts about one patient, each kind sorted by identifier, for ``PolicyDecisionPoint``.
struct PatientIndex: Sendable {
    var privacy: PatientPrivacy?
    private(set) var relationships: [LegitimateRelationship] = []
    private(set) var directives: [ConsentDirective] = []
    private(set) var items: [DataClass: [ProtectedItem]] = [:]
    private(set) var proxies: [ProxyAuthority] = []
    private(set) var assessments: [CompetenceAssessment] = []
    private(set) var grants: [BreakGlassGrant] = []

    mutating func add(_ relationship: LegitimateRelationship) { relationships.insertSorted(relationship) }
    mutating func remove(_ relationship: LegitimateRelationship) {
        relationships.removeAll { $0.id == relationship.id }
    }

    /// Keeps only active directives about sharing or research: the others never take part in a decision.
    mutating func add(_ directive: ConsentDirective) {
        if directive.status == .active && (directive.scope == .patientPrivacy || directive.scope == .research) {
            directives.insertSorted(directive)
        }
    }
    mutating func remove(_ directive: ConsentDirective) { directives.removeAll { $0.id == directive.id } }

    mutating func add(_ item: ProtectedItem) { items[item.dataClass, default: []].insertSorted(item) }
    mutating func remove(_ item: ProtectedItem) { items[item.dataClass]?.removeAll { $0.id == item.id } }

    mutating func add(_ authority: ProxyAuthority) { proxies.insertSorted(authority) }
    mutating func remove(_ authority: ProxyAuthority) { proxies.removeAll { $0.id == authority.id } }

    mutating func add(_ grant: BreakGlassGrant) { grants.insertSorted(grant) }
    mutating func remove(_ grant: BreakGlassGrant) { grants.removeAll { $0.id == grant.id } }

    /// Keeps assessments in order of the time they were made; among equal times a finding of not competent
    /// sorts last, and then a refusal of proxy access, so that the latest assessment is the more cautious one.
    mutating func add(_ assessment: CompetenceAssessment) {
        let key = { (entry: CompetenceAssessment) in
            (entry.assessed, entry.competent ? 0 : 1, entry.consentsToProxyAccess ? 0 : 1)
        }
        let index = assessments.firstIndex { key(assessment) < key($0) } ?? assessments.endIndex
        assessments.insert(assessment, at: index)
    }

    /// The latest assessment made at or before an instant.
    func assessment(at time: Date) -> CompetenceAssessment? {
        assessments.last { $0.assessed <= time }
    }

    struct ConsentOutcome {
        let type: ConsentProvision.Kind
        let directive: ConsentDirective.ID
        let path: ProvisionPath
        /// Whether the deciding provision names who it applies to.
        let namesActor: Bool
        /// Whether the deciding provision names the purpose.
        let namesPurpose: Bool
    }

    /// The consent outcome for a request: the first denying directive in identifier order, else the first
    /// permitting one, else `nil`.
    func consent(
        _ request: AccessRequest,
        actorMatches: (ConsentProvision.Actor) -> Bool
    ) -> ConsentOutcome? {
        var firstPermit: ConsentOutcome?
        var path: [Int] = []
        for directive in directives {
            path.removeAll(keepingCapacity: true)
            guard let deciding = Self.evaluate(directive.provision, request, actorMatches, &path) else {
                continue
            }
            let outcome = ConsentOutcome(
                type: deciding.provision.type,
                directive: directive.id,
                path: ProvisionPath(deciding.path),
                namesActor: !deciding.provision.actors.isEmpty,
                namesPurpose: !deciding.provision.purposes.isEmpty
            )
            if outcome.type == .deny { return outcome }
            if firstPermit == nil { firstPermit = outcome }
        }
        return firstPermit
    }

    /// The deepest matching provision's type and path; among matching children, the first deny wins, else
    /// the first match.
    private static func evaluate(
        _ provision: ConsentProvision,
        _ request: AccessRequest,
        _ actorMatches: (ConsentProvision.Actor) -> Bool,
        _ path: inout [Int]
    ) -> (provision: ConsentProvision, path: [Int])? {
        guard provision.actions.isEmpty || provision.actions.contains(request.action),
            provision.dataClasses.isEmpty || provision.dataClasses.contains(request.dataClass),
            provision.purposes.isEmpty || provision.purposes.contains(request.purpose.code),
            provision.period.contains(request.time),
            provision.actors.isEmpty || provision.actors.contains(where: actorMatches)
        else { return nil }
        var firstMatch: (provision: ConsentProvision, path: [Int])?
        for (index, child) in provision.provisions.enumerated() {
            path.append(index)
            defer { path.removeLast() }
            guard let result = evaluate(child, request, actorMatches, &path) else { continue }
            if result.provision.type == .deny { return result }
            if firstMatch == nil { firstMatch = result }
        }
        return firstMatch ?? (provision, path)
    }
}

extension Array where Element: Identifiable, Element.ID: Comparable {
    /// Inserts an element keeping the array sorted by identifier, replacing one with the same identifier.
    mutating func insertSorted(_ element: Element) {
        if let existing = firstIndex(where: { $0.id == element.id }) { remove(at: existing) }
        let index = firstIndex { element.id < $0.id } ?? endIndex
        insert(element, at: index)
    }
}
