import CareCore

/// A change the person proposed to a clinical section of their plan, waiting for a clinician.
public struct Proposal: Hashable, Sendable, Codable {
    /// What a clinician decided.
    public struct Decision: Hashable, Sendable, Codable {
        /// Whether the proposal was accepted.
        public let accepted: Bool
        /// Who decided, when and why.
        public let change: PlanChange

        /// Creates a decision, as when restoring a plan's proposals.
        ///
        /// - Parameters:
        ///   - accepted: Whether the proposal was accepted.
        ///   - change: Who decided, when and why.
        public init(accepted: Bool, change: PlanChange) {
            self.accepted = accepted
            self.change = change
        }
    }

    /// The proposal's number within the plan, from 1.
    public let number: Int
    /// The version the proposal was made against.
    public let basedOn: Int
    /// The plan's content as the person proposes it.
    public let content: PlanContent
    /// Who proposed it, when and why.
    public let change: PlanChange
    /// The decision, once made.
    public internal(set) var decision: Decision?

    /// Creates a proposal as recorded, to restore a plan with
    /// ``CarePlan/init(restoring:patient:versions:proposals:)``, which checks it against the plan; make a new
    /// one with ``CarePlan/proposing(change:_:)``.
    ///
    /// - Parameters:
    ///   - number: The proposal's number within the plan, from 1.
    ///   - basedOn: The version it was made against.
    ///   - content: The plan's content as the person proposes it.
    ///   - change: Who proposed it, when and why.
    ///   - decision: The decision, if one was made.
    public init(number: Int, basedOn: Int, content: PlanContent, change: PlanChange, decision: Decision? = nil) {
        self.number = number
        self.basedOn = basedOn
        self.content = content
        self.change = change
        self.decision = decision
    }
}

extension CarePlan {
    /// Whether a field path lies in a section the person owns: about me, and the progress and achievement of
    /// goals.
    static func isOwnedByThePerson(_ path: String) -> Bool {
        if path.hasPrefix("aboutMe.") || path == "aboutMe" { return true }
        guard path.hasPrefix("goals["), let close = path.firstIndex(of: "]") else { return false }
        let rest = path[path.index(after: close)...]
        return rest.hasPrefix(".progress") || rest == ".achievement"
    }

    /// The plan with the person's own change to the sections they own — about me, and goal progress and
    /// achievement — made directly: a new version.
    ///
    /// - Parameters:
    ///   - expectedVersion: The version the change was made against.
    ///   - change: Who made it (the person or their carer) and why.
    ///   - edit: Changes the content.
    /// - Returns: The plan one version on.
    /// - Throws: ``CarePlansError``: `notPermitted`, naming the first field outside those sections (propose
    ///   such a change with ``proposing(change:_:)``); otherwise as ``revised(expectedVersion:change:_:)``.
    public func contributed(
        expectedVersion: Int,
        change: PlanChange,
        _ edit: (inout PlanContent) throws(CarePlansError) -> Void
    ) throws(CarePlansError) -> CarePlan {
        try revised(expectedVersion: expectedVersion, change: change) { content throws(CarePlansError) in
            let before = content
            try edit(&content)
            if let outside = PlanDiff.changes(from: before, to: content).first(where: {
                !Self.isOwnedByThePerson($0.path)
            }) {
                throw CarePlansError(
                    .notPermitted,
                    field: FieldPath(outside.path),
                    reason: "this section is clinical: propose the change for a clinician to accept"
                )
            }
        }
    }

    /// The plan with a proposal from the person added; the plan's content and version do not change until a
    /// clinician accepts it.
    ///
    /// - Parameters:
    ///   - change: Who proposed it and why.
    ///   - edit: Changes a copy of the current content.
    /// - Returns: The plan with the proposal pending.
    /// - Throws: ``CarePlansError``: `notEditable` for a final plan; `invalidValue` when the proposed content
    ///   is not valid or changes nothing.
    public func proposing(
        change: PlanChange,
        _ edit: (inout PlanContent) throws(CarePlansError) -> Void
    ) throws(CarePlansError) -> CarePlan {
        let proposed = try revised(expectedVersion: version, change: change, edit).content
        var plan = self
        plan.proposals.append(
            Proposal(number: proposals.count + 1, basedOn: version, content: proposed, change: change)
        )
        return plan
    }

    /// The proposals no clinician has decided yet.
    public var pendingProposals: [Proposal] { proposals.filter { $0.decision == nil } }

    /// The plan with a proposal accepted: a new version with the proposed content.
    ///
    /// - Parameters:
    ///   - number: The proposal.
    ///   - expectedVersion: The version the clinician read.
    ///   - change: Who accepted it and why.
    /// - Returns: The plan one version on.
    /// - Throws: ``CarePlansError``: `notFound` for a proposal that does not exist or was decided;
    ///   `versionConflict` when the plan has changed since the proposal was made (ask again, or make the
    ///   change by hand); otherwise as ``revised(expectedVersion:change:_:)``.
    public func accepting(
        proposal number: Int,
        expectedVersion: Int,
        change: PlanChange
    ) throws(CarePlansError) -> CarePlan {
        let proposal = try pending(number)
        guard proposal.basedOn == version else {
            throw CarePlansError(
                .versionConflict,
                field: FieldPath("proposals").appending(index: number - 1),
                reason: "the plan has changed since the proposal was made"
            )
        }
        var plan = try revised(expectedVersion: expectedVersion, change: change) { $0 = proposal.content }
        plan.proposals[number - 1].decision = Proposal.Decision(accepted: true, change: change)
        return plan
    }

    /// The plan with a proposal rejected; the content does not change.
    ///
    /// - Parameters:
    ///   - number: The proposal.
    ///   - change: Who rejected it and why; the reason is shown to the person.
    /// - Returns: The plan with the decision recorded.
    /// - Throws: ``CarePlansError`` with code `notFound` for a proposal that does not exist or was decided.
    public func rejecting(proposal number: Int, change: PlanChange) throws(CarePlansError) -> CarePlan {
        _ = try pending(number)
        var plan = self
        plan.proposals[number - 1].decision = Proposal.Decision(accepted: false, change: change)
        return plan
    }

    /// The plan handed to another clinician or organisation: a new version naming the new owner, who becomes
    /// the care team's lead.
    ///
    /// - Parameters:
    ///   - expectedVersion: The version the change was made against.
    ///   - owner: The new owner.
    ///   - change: Who handed it over and why.
    /// - Returns: The plan one version on.
    /// - Throws: ``CarePlansError``: `invalidValue` when the owner would not change; otherwise as
    ///   ``revised(expectedVersion:change:_:)``.
    public func transferred(
        expectedVersion: Int,
        to owner: PlanOwner,
        change: PlanChange
    ) throws(CarePlansError) -> CarePlan {
        try revised(expectedVersion: expectedVersion, change: change) { content in
            content.owner = owner
            for index in content.careTeam.indices { content.careTeam[index].isLead = false }
            if let index = content.careTeam.firstIndex(where: {
                $0.name == owner.name && $0.organisation == owner.organisation
            }) {
                content.careTeam[index].isLead = true
                content.careTeam[index].role = owner.role
            } else {
                content.careTeam.append(
                    CareTeamMember(name: owner.name, role: owner.role, organisation: owner.organisation, isLead: true)
                )
            }
        }
    }

    private func pending(_ number: Int) throws(CarePlansError) -> Proposal {
        guard (1...max(1, proposals.count)).contains(number), number <= proposals.count,
            proposals[number - 1].decision == nil
        else {
            throw CarePlansError(
                .notFound,
                field: FieldPath("proposals"),
                reason: "no pending proposal has this number"
            )
        }
        return proposals[number - 1]
    }
}
