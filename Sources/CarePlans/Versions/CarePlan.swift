public import CareCore
public import Foundation

/// Who changed a plan, acting for which organisation, when and why.
public struct PlanChange: Hashable, Sendable, Codable {
    /// The author's name, as shown in the plan's history.
    public let author: String
    /// The author's role: "GP", "community matron", "patient".
    public let role: String
    /// The organisation they acted for; `nil` for the person and their carers.
    public let organisation: ODSCode?
    /// When the change was made.
    public let at: Date
    /// Why, in a few words.
    public let reason: String

    /// Creates a change record.
    ///
    /// - Parameters:
    ///   - author: The author's name.
    ///   - role: The author's role.
    ///   - organisation: The organisation they acted for.
    ///   - at: When.
    ///   - reason: Why; not empty.
    /// - Throws: ``CarePlansError`` with code `invalidValue` for an empty author, role or reason.
    public init(author: String, role: String, organisation: ODSCode?, at: Date, reason: String) throws(CarePlansError) {
        guard !author.isBlank, !role.isBlank, !reason.isBlank else {
            throw CarePlansError(
                .invalidValue,
                field: FieldPath("change"),
                reason: "a change records its author, their role and a reason"
            )
        }
        self.author = author
        self.role = role
        self.organisation = organisation
        self.at = at
        self.reason = reason
    }
}

extension PlanChange: CustomStringConvertible, CustomReflectable {
    /// The organisation and moment only, such as
    /// `PlanChange(organisation: A81001, at: 2026-11-25 10:00:00 +0000)`: the author may be the person or
    /// their carer, and the reason is free text about the person.
    public var description: String {
        "PlanChange(organisation: \(organisation?.description ?? "none"), at: \(at))"
    }

    /// A mirror that shows the organisation and moment only.
    public var customMirror: Mirror {
        Mirror(self, children: ["organisation": organisation as Any, "at": at], displayStyle: .struct)
    }
}

/// One immutable version of a plan: its status and content as they stood after a change.
public struct PlanVersion: Hashable, Sendable, Codable {
    /// The version number, from 1.
    public let number: Int
    /// The plan's status in this version.
    public let status: PlanStatus
    /// The plan's content in this version.
    public let content: PlanContent
    /// The change that made this version.
    public let change: PlanChange

    /// Creates a version as it was recorded, such as one read back from storage or from FHIR; a plan checks
    /// its versions when it is restored with ``CarePlan/init(restoring:patient:versions:)``.
    ///
    /// - Parameters:
    ///   - number: The version number, from 1.
    ///   - status: The plan's status in this version.
    ///   - content: The plan's content in this version.
    ///   - change: The change that made this version.
    public init(number: Int, status: PlanStatus, content: PlanContent, change: PlanChange) {
        self.number = number
        self.status = status
        self.content = content
        self.change = change
    }
}

/// A personalised care and support plan with its whole history.
///
/// Every change makes a new immutable ``PlanVersion`` naming its author, role, organisation, moment and
/// reason; nothing is overwritten. A change names the version it was made against, and a change made
/// against an older version is refused with ``CarePlansError/Code/versionConflict``, so two clinicians
/// editing at once cannot silently overwrite each other.
///
/// ```swift
/// var plan = try CarePlan(id: planID, patient: claire, content: draft, change: createdByClaire)
/// plan = try plan.revised(expectedVersion: 1, change: gpAddsReSPECT) { content in
///     content.advanceCarePlan.respect = respect
/// }
/// plan = try plan.moved(expectedVersion: 2, to: .active, change: gpActivates)
/// let changes = try plan.diff(from: 1, to: 3)
/// ```
public struct CarePlan: Hashable, Sendable, Codable, Identifiable {
    /// The identifier type of plans.
    public typealias ID = EntityID<CarePlan>
    /// The tag of patient ids.
    public enum Patient: Sendable {}
    /// The identifier type of patients: the patient's FHIR logical id as the caller holds it.
    public typealias PatientID = EntityID<Patient>

    /// The plan's id.
    public let id: ID
    /// Whose plan it is.
    public let patient: PatientID
    /// Every version, oldest first; never empty.
    public private(set) var versions: [PlanVersion]
    /// Changes the person proposed to clinical sections, with the decisions made, oldest first.
    public internal(set) var proposals: [Proposal] = []

    /// Creates a plan as a draft at version 1.
    ///
    /// - Parameters:
    ///   - id: Its id.
    ///   - patient: Whose plan it is.
    ///   - content: What it says.
    ///   - change: Who wrote it and why.
    /// - Throws: ``CarePlansError`` with code `invalidValue` when the content is not valid.
    public init(id: ID, patient: PatientID, content: PlanContent, change: PlanChange) throws(CarePlansError) {
        try content.validate()
        self.id = id
        self.patient = patient
        self.versions = [PlanVersion(number: 1, status: .draft, content: content, change: change)]
    }

    /// Restores a plan from its recorded versions and the proposals made to it, such as the versions of a
    /// FHIR CarePlan and the CarePlan proposals based on it.
    ///
    /// - Parameters:
    ///   - id: Its id.
    ///   - patient: Whose plan it is.
    ///   - versions: Every version, oldest first.
    ///   - proposals: Every proposal, oldest first.
    /// - Throws: ``CarePlansError`` with code `invalidValue`: what ``init(restoring:patient:versions:)``
    ///   refuses; proposals not numbered 1, 2, 3 … in order; a proposal based on a version the plan does not
    ///   have; an accepted proposal based on the current version (accepting it made a newer one), or whose
    ///   content and decision are not those of the version after the one it was based on; or a proposal whose
    ///   content is not valid. The field names the version or the proposal.
    public init(
        restoring id: ID,
        patient: PatientID,
        versions: [PlanVersion],
        proposals: [Proposal]
    ) throws(CarePlansError) {
        try self.init(restoring: id, patient: patient, versions: versions)
        for (index, proposal) in proposals.enumerated() {
            let field = FieldPath("proposals").appending(index: index)
            guard proposal.number == index + 1 else {
                throw CarePlansError(
                    .invalidValue,
                    field: field.appending("number"),
                    reason: "a plan's proposals are numbered from 1 without gaps"
                )
            }
            guard (1...versions.count).contains(proposal.basedOn) else {
                throw CarePlansError(
                    .invalidValue,
                    field: field.appending("basedOn"),
                    reason: "a proposal is based on a version the plan has"
                )
            }
            if let decision = proposal.decision, decision.accepted {
                // Accepting made the next version, with the proposed content and the decision's change.
                guard proposal.basedOn < versions.count else {
                    throw CarePlansError(
                        .invalidValue,
                        field: field.appending("decision"),
                        reason: "accepting a proposal makes a new version, so it cannot be based on the current one"
                    )
                }
                let made = versions[proposal.basedOn]
                guard made.content == proposal.content, made.change == decision.change,
                    !proposals[..<index].contains(where: {
                        $0.decision?.accepted == true && $0.basedOn == proposal.basedOn
                    })
                else {
                    throw CarePlansError(
                        .invalidValue,
                        field: field.appending("decision"),
                        reason:
                            "an accepted proposal's content and decision are the version that followed the one it was based on"
                    )
                }
            }
            do {
                try proposal.content.validate()
            } catch {
                throw CarePlansError(
                    error.code,
                    field: field.appending("content").appending(error.field),
                    reason: error.reason
                )
            }
        }
        self.proposals = proposals
    }

    /// Restores a plan from its recorded versions, such as the versions of a FHIR CarePlan; the plan has no
    /// proposals.
    ///
    /// - Parameters:
    ///   - id: Its id.
    ///   - patient: Whose plan it is.
    ///   - versions: Every version, oldest first.
    /// - Throws: ``CarePlansError`` with code `invalidValue` when there are no versions, when they are not
    ///   numbered 1, 2, 3 … in order, when a version's content is not valid, or when a status could not have
    ///   followed the one before it; the field names the version.
    public init(restoring id: ID, patient: PatientID, versions: [PlanVersion]) throws(CarePlansError) {
        guard !versions.isEmpty else {
            throw CarePlansError(.invalidValue, field: FieldPath("versions"), reason: "a plan has at least one version")
        }
        for (index, version) in versions.enumerated() {
            let field = FieldPath("versions").appending(index: index)
            guard version.number == index + 1 else {
                throw CarePlansError(
                    .invalidValue,
                    field: field.appending("number"),
                    reason: "a plan's versions are numbered from 1 without gaps"
                )
            }
            do {
                try version.content.validate()
            } catch {
                throw CarePlansError(
                    error.code,
                    field: field.appending("content").appending(error.field),
                    reason: error.reason
                )
            }
            if index > 0 {
                let before = versions[index - 1].status
                guard before == version.status ? before.isEditable : before.canMove(to: version.status) else {
                    throw CarePlansError(
                        .invalidValue,
                        field: field.appending("status"),
                        reason: "the plan lifecycle does not allow this status to follow the one before"
                    )
                }
            }
            if version.status == .completed, index == 0 || versions[index - 1].status != .completed,
                !version.content.actions.allSatisfy({ Self.finishedActions.contains($0.status) })
            {
                throw CarePlansError(
                    .invalidValue,
                    field: field.appending("content").appending("actions"),
                    reason: "a plan is completed only when every action is completed, cancelled or stopped"
                )
            }
        }
        self.id = id
        self.patient = patient
        self.versions = versions
    }

    private enum CodingKeys: String, CodingKey {
        case id, patient, versions, proposals
    }

    /// Decodes a plan, checking it as ``init(restoring:patient:versions:proposals:)`` does: at least one
    /// version, versions and proposals numbered 1, 2, 3 … in order, valid content, statuses the lifecycle
    /// allows one after another, proposals based on versions the plan has, and each accepted proposal the
    /// version that followed the one it was based on.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError.dataCorrupted` for a plan that restoring refuses, whose description gives the
    ///   field and the reason, or any decoding error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let versions = try container.decode([PlanVersion].self, forKey: .versions)
        let proposals = try container.decodeIfPresent([Proposal].self, forKey: .proposals) ?? []
        do {
            try self.init(
                restoring: try container.decode(ID.self, forKey: .id),
                patient: try container.decode(PatientID.self, forKey: .patient),
                versions: versions,
                proposals: proposals
            )
        } catch let error as CarePlansError {
            let key = error.field.components.first == .field("proposals") ? CodingKeys.proposals : .versions
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: container,
                debugDescription: "\(error.field): \(error.reason)"
            )
        }
    }

    /// The current version.
    public var current: PlanVersion { versions[versions.count - 1] }
    /// The current version number.
    public var version: Int { current.number }
    /// The current status.
    public var status: PlanStatus { current.status }
    /// The current content.
    public var content: PlanContent { current.content }

    /// A version by number.
    ///
    /// - Parameter number: The version number.
    /// - Returns: The version.
    /// - Throws: ``CarePlansError`` with code `notFound` for a number the plan does not have.
    public func version(_ number: Int) throws(CarePlansError) -> PlanVersion {
        guard (1...versions.count).contains(number) else {
            throw CarePlansError(.notFound, field: FieldPath("version"), reason: "the plan has no such version")
        }
        return versions[number - 1]
    }

    /// The plan with its content changed: a new version.
    ///
    /// - Parameters:
    ///   - expectedVersion: The version the change was made against.
    ///   - change: Who made it and why.
    ///   - edit: Changes the content.
    /// - Returns: The plan one version on.
    /// - Throws: ``CarePlansError``: `versionConflict`; `notEditable` for a completed, revoked or
    ///   entered-in-error plan; `invalidValue` when the content would not be valid or nothing changed;
    ///   or what `edit` throws, as is.
    public func revised(
        expectedVersion: Int,
        change: PlanChange,
        _ edit: (inout PlanContent) throws(CarePlansError) -> Void
    ) throws(CarePlansError) -> CarePlan {
        try checkVersion(expectedVersion)
        guard status.isEditable else {
            throw CarePlansError(
                .notEditable,
                field: FieldPath("status"),
                reason: "a completed, revoked or entered-in-error plan cannot change; make a new plan"
            )
        }
        var content = content
        try edit(&content)
        try content.validate()
        guard content != self.content else {
            throw CarePlansError(.invalidValue, field: FieldPath("content"), reason: "the change changes nothing")
        }
        return appending(status: status, content: content, change: change)
    }

    /// The plan moved along its lifecycle: a new version.
    ///
    /// - Parameters:
    ///   - expectedVersion: The version the change was made against.
    ///   - next: The new status.
    ///   - change: Who made it and why.
    /// - Returns: The plan one version on.
    /// - Throws: ``CarePlansError``: `versionConflict`; `invalidTransition` when ``PlanStatus`` does not allow
    ///   the move, or for completing a plan with actions still open.
    public func moved(expectedVersion: Int, to next: PlanStatus, change: PlanChange) throws(CarePlansError) -> CarePlan
    {
        try checkVersion(expectedVersion)
        guard status.canMove(to: next) else {
            throw CarePlansError(
                .invalidTransition,
                field: FieldPath("status"),
                reason: "the plan lifecycle does not allow \(status.rawValue) to become \(next.rawValue)"
            )
        }
        if next == .completed, !content.actions.allSatisfy({ Self.finishedActions.contains($0.status) }) {
            throw CarePlansError(
                .invalidTransition,
                field: FieldPath("actions"),
                reason: "a plan is completed only when every action is completed, cancelled or stopped"
            )
        }
        return appending(status: next, content: content, change: change)
    }

    /// What changed, field by field, between two versions.
    ///
    /// - Parameters:
    ///   - from: The earlier version number.
    ///   - to: The later version number.
    /// - Returns: The differences, by field path.
    /// - Throws: ``CarePlansError`` with code `notFound` for a version the plan does not have.
    public func diff(from: Int, to: Int) throws(CarePlansError) -> [FieldChange] {
        let before = try version(from)
        let after = try version(to)
        var changes = PlanDiff.changes(from: before.content, to: after.content)
        if before.status != after.status {
            changes.insert(
                FieldChange(path: "status", before: before.status.rawValue, after: after.status.rawValue),
                at: 0
            )
        }
        return changes
    }

    /// The action statuses a completed plan allows.
    private static let finishedActions: Set<PlanAction.Status> = [.completed, .cancelled, .stopped]

    private func checkVersion(_ expected: Int) throws(CarePlansError) {
        guard expected == version else {
            throw CarePlansError(
                .versionConflict,
                field: FieldPath("version"),
                reason: "the plan has changed since this version; read it again"
            )
        }
    }

    private func appending(status: PlanStatus, content: PlanContent, change: PlanChange) -> CarePlan {
        var plan = self
        plan.versions.append(PlanVersion(number: version + 1, status: status, content: content, change: change))
        return plan
    }
}
