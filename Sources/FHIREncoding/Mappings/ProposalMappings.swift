public import CareCore
public import CarePlans
import Foundation

// Care plan proposals <-> UK Core CarePlan with intent `proposal` (issue #9).
//
// A change the person proposed to a clinical section of their plan is a CarePlan of its own:
// - `intent` is `proposal` (a modifier element: a reader that ignores it would take the proposal for the
//   plan); the proposed content is written as a version of the plan is, goals and team contained, so its
//   `author` is the owner the proposal would give the plan, not the proposer;
// - `status` says where it stands: `active` while no clinician has decided, `completed` once accepted,
//   `revoked` once rejected; a proposal a server marks `entered-in-error` is left out when a plan is restored;
// - the suite's `plan-change` extension says who proposed it, when and why, and `care-plan-proposal` gives
//   the plan's id, the suite's number of the version it was made against, its own number within the plan
//   and, once made, the decision: accepted or not, by whom, when and why.
// R4's `basedOn` means "fulfilled by this plan", the other way round, so it is not used; the version a
// proposal was made against is the plan's `meta.versionId` as the suite writes it.
// A FHIR server files proposals as CarePlans of their own; the plan is restored from its versions and its
// proposals together with `CarePlan(fhirVersions:goals:careTeams:proposals:)`.

/// Where a proposal stands, as R4 request-status.
private enum ProposalStatus: String {
    case active, completed, revoked

    init(_ decision: Proposal.Decision?) {
        switch decision?.accepted {
        case nil: self = .active
        case true?: self = .completed
        case false?: self = .revoked
        }
    }
}

extension R4.CarePlan {
    /// Writes one of a plan's proposals as a UK Core CarePlan with intent `proposal`, over the CarePlan it
    /// was filed as when there is one.
    ///
    /// ```swift
    /// let proposed = try plan.proposing(change: byTheCarer) { $0.contingency.append("Call my daughter first") }
    /// let resource = try R4.CarePlan(proposed, proposal: 1)   // intent "proposal", status "active"
    /// // Once a clinician decides, write it back over the filed resource, keeping its id and all it holds:
    /// let decided = try R4.CarePlan(accepted, proposal: 1, keeping: filed)   // status "completed"
    /// ```
    ///
    /// Writing a decided proposal without the filed resource makes a new CarePlan, and a server would then
    /// hold two with one number, which restoring refuses: pass the filed one as `original`.
    ///
    /// - Parameters:
    ///   - plan: The plan.
    ///   - number: The proposal's number within the plan, from 1.
    ///   - id: The proposal's own logical id; by default the original's, or none, for the server that files
    ///     it to assign.
    ///   - original: The CarePlan the proposal was filed as, if any; its id, version, identifiers and what
    ///     else the proposal has no place for are kept.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`: a proposal the plan does not have; an id that
    ///   breaks the FHIR `id` rule, is the plan's own or differs from the original's; an original that is not
    ///   a proposal, was entered in error, cannot be read, is another plan's, patient's or proposal's (its
    ///   number, version or proposer differ), or records a decision the plan's proposal does not have (a
    ///   plan read before the decision would undo it); or what ``init(_:version:keeping:)`` refuses in the
    ///   proposed content.
    public init(
        _ plan: CarePlan,
        proposal number: Int,
        id: String? = nil,
        keeping original: R4.CarePlan? = nil
    ) throws(FHIREncodingError) {
        let place = FieldPath("extension")
        guard plan.proposals.indices.contains(number - 1) else {
            throw .unmappable(place, "the plan has no proposal with this number")
        }
        if let id, EntityID<Never>(id) == nil {
            throw .unmappable(FieldPath("id"), "a logical id must follow the FHIR id rule")
        }
        let proposal = plan.proposals[number - 1]
        if let original { try Self.checkFiled(original, as: proposal, of: plan, id: id) }
        // With the plan's own id, a server would file the proposal over the plan.
        if id == plan.id.rawValue || original?.id == plan.id.rawValue {
            throw .unmappable(FieldPath("id"), "a proposal has an id of its own, not the plan's")
        }
        // The proposed content is written exactly as a version of the plan would be.
        let proposed: CarePlan
        do {
            proposed = try CarePlan(
                restoring: plan.id,
                patient: plan.patient,
                versions: [PlanVersion(number: 1, status: .draft, content: proposal.content, change: proposal.change)]
            )
        } catch {
            throw .unmappable(place, error.reason)
        }
        var base = original
        base?.id = plan.id.rawValue
        base?.intent = "plan"
        self = try R4.CarePlan(proposed, keeping: base)
        self.id = id ?? original?.id
        meta?.versionId = original?.meta?.versionId
        intent = "proposal"
        status = R4.Primitive(ProposalStatus(proposal.decision).rawValue)

        var parts = ExtensionBuilder(at: place, noun: "proposal")
        parts.id("plan", plan.id)
        try parts.positiveInt("version", proposal.basedOn)
        try parts.positiveInt("number", proposal.number)
        if let decision = proposal.decision {
            var made = try ExtensionBuilder(decision.change, at: place)
            made.boolean("accepted", decision.accepted)
            parts.nested("decision", made)
        }
        self.extension = Mapping.setting(
            R4.SuiteExtension.carePlanProposal.rawValue,
            to: parts.build(.carePlanProposal),
            in: self.extension
        )
        // The narrative described the filed proposal: kept only when nothing else changed.
        text = original?.text
        Mapping.dropStaleNarrative(&self, original: original, profile: .carePlan, text: \.text, meta: \.meta)
    }

    /// Refuses an original that is not the filed form of `proposal` of `plan`: one whose intent is not
    /// `proposal` or that was entered in error; whose subject, plan, number, version or proposer differ or
    /// cannot be read; whose id is not `id`; or whose decision the proposal does not have, which writing
    /// would undo.
    private static func checkFiled(
        _ original: R4.CarePlan,
        as proposal: Proposal,
        of plan: CarePlan,
        id: String?
    ) throws(FHIREncodingError) {
        guard original.intent.value == "proposal" else {
            throw .unmappable(FieldPath("intent"), "the CarePlan written over is not a proposal")
        }
        guard original.status.value != "entered-in-error" else {
            throw .unmappable(FieldPath("status"), "the CarePlan written over was entered in error")
        }
        if let id, let filed = original.id, filed != id {
            throw .unmappable(FieldPath("id"), "the CarePlan written over has another id")
        }
        // A proposal that cannot be read may be another's: it is refused, never overwritten.
        let filed: Proposal
        do {
            filed = try Proposal(fhir: original, of: plan.id, patient: plan.patient)
        } catch {
            throw .unmappable(error.field, "the CarePlan written over is not a proposal to this plan that can be read")
        }
        guard filed.number == proposal.number, filed.basedOn == proposal.basedOn, filed.change == proposal.change
        else {
            throw .unmappable(FieldPath("extension"), "the CarePlan written over is another proposal")
        }
        if let decided = filed.decision, decided != proposal.decision {
            throw .unmappable(
                FieldPath("extension"),
                "the CarePlan written over records a decision this plan does not: write from the plan that has it"
            )
        }
    }
}

extension Proposal {
    /// Reads a proposal to a plan from a CarePlan with intent `proposal` the suite wrote.
    ///
    /// - Parameters:
    ///   - carePlan: The CarePlan.
    ///   - plan: The plan it must be a proposal to.
    ///   - patient: Whose plan it is; the CarePlan's `subject` must be them.
    ///   - goals: Goals the CarePlan names by id rather than containing them.
    ///   - careTeams: CareTeams the CarePlan names by id.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element: an `intent` other than
    ///   `proposal`; a `subject` other than the patient; a `status` that contradicts the decision (`active`
    ///   while pending, `completed` once accepted, `revoked` once rejected) or is `entered-in-error`; no suite
    ///   `plan-change` or `care-plan-proposal` extension, one naming another plan, or a part of one missing or
    ///   of the wrong type; or what ``PlanContent/init(fhir:goals:careTeams:)`` refuses.
    public init(
        fhir carePlan: R4.CarePlan,
        of plan: CarePlan.ID,
        patient: CarePlan.PatientID,
        goals: [R4.Goal] = [],
        careTeams: [R4.CareTeam] = []
    ) throws(FHIREncodingError) {
        guard carePlan.intent.value == "proposal" else {
            throw .unmappable(FieldPath("intent"), "a proposal to a plan has the intent proposal")
        }
        let subject: CarePlan.PatientID = try Mapping.entityID(
            carePlan.subject,
            of: "Patient",
            at: FieldPath("subject")
        )
        guard subject == patient else {
            throw .unmappable(FieldPath("subject"), "a proposal is about the plan's patient")
        }
        guard carePlan.status.value != "entered-in-error" else {
            throw .unmappable(FieldPath("status"), "a proposal entered in error is not a proposal to the plan")
        }
        let content = try PlanContent(fhir: carePlan, goals: goals, careTeams: careTeams)
        guard let changeParts = try ExtensionParts.single(.planChange, in: carePlan.extension, noun: "change") else {
            throw .unmappable(
                FieldPath("extension"),
                "a proposal needs the suite's plan-change extension: who proposed it, when and why"
            )
        }
        guard let parts = try ExtensionParts.single(.carePlanProposal, in: carePlan.extension, noun: "proposal")
        else {
            throw .unmappable(
                FieldPath("extension"),
                "a proposal needs the suite's care-plan-proposal extension with its plan, version and number"
            )
        }
        guard try parts.entityID("plan") == plan else {
            throw .unmappable(parts.place("plan"), "the proposal is to another plan")
        }
        var decision: Decision?
        if let made = try parts.optionalNested("decision", noun: "decision") {
            guard let accepted = try made.optionalBoolean("accepted") else { throw made.missing("accepted") }
            decision = Decision(accepted: accepted, change: try PlanChange(parts: made))
        }
        guard carePlan.status.value == ProposalStatus(decision).rawValue else {
            throw .unmappable(
                FieldPath("status"),
                "a proposal is active while pending, completed once accepted and revoked once rejected"
            )
        }
        self.init(
            number: try parts.positiveInt("number"),
            basedOn: try parts.positiveInt("version"),
            content: content,
            change: try PlanChange(parts: changeParts),
            decision: decision
        )
    }
}
