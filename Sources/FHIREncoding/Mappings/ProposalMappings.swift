public import CareCore
public import CarePlans
import Foundation

// Care plan proposals <-> UK Core CarePlan with intent `proposal` (issue #9).
//
// A change the person proposed to a clinical section of their plan is a CarePlan of its own:
// - `intent` is `proposal`; the proposed content is written as a version of the plan is, goals and team
//   contained;
// - `basedOn` names the version it was made against, `CarePlan/{id}/_history/{n}`;
// - `status` says where it stands: `active` while no clinician has decided, `completed` once accepted,
//   `revoked` once rejected;
// - the suite's `plan-change` extension says who proposed it, when and why, and `care-plan-proposal` gives
//   its number within the plan and, once made, the decision: accepted or not, by whom, when and why.
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
    /// Writes one of a plan's proposals as a UK Core CarePlan with intent `proposal`, based on the version
    /// it was made against.
    ///
    /// ```swift
    /// let proposed = try plan.proposing(change: byTheCarer) { $0.contingency.append("Call my daughter first") }
    /// let resource = try R4.CarePlan(proposed, proposal: 1)   // intent "proposal", status "active"
    /// ```
    ///
    /// - Parameters:
    ///   - plan: The plan.
    ///   - number: The proposal's number within the plan, from 1.
    ///   - id: The proposal's own logical id; by default none, for the server that files it to assign.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`: a proposal the plan does not have; an id that
    ///   breaks the FHIR `id` rule; or what ``init(_:version:keeping:)`` refuses in the proposed content.
    public init(_ plan: CarePlan, proposal number: Int, id: String? = nil) throws(FHIREncodingError) {
        let place = FieldPath("extension")
        guard plan.proposals.indices.contains(number - 1) else {
            throw .unmappable(place, "the plan has no proposal with this number")
        }
        if let id, EntityID<Never>(id) == nil {
            throw .unmappable(FieldPath("id"), "a logical id must follow the FHIR id rule")
        }
        let proposal = plan.proposals[number - 1]
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
        self = try R4.CarePlan(proposed)
        self.id = id
        meta?.versionId = nil
        intent = "proposal"
        status = R4.Primitive(ProposalStatus(proposal.decision).rawValue)
        basedOn = [R4.Reference(reference: R4.Primitive("CarePlan/\(plan.id.rawValue)/_history/\(proposal.basedOn)"))]

        var parts = ExtensionBuilder(at: place, noun: "proposal")
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
    }
}

extension Proposal {
    /// Reads a proposal to a plan from a CarePlan with intent `proposal` the suite wrote.
    ///
    /// - Parameters:
    ///   - carePlan: The CarePlan.
    ///   - plan: The plan it must be a proposal to.
    ///   - goals: Goals the CarePlan names by id rather than containing them.
    ///   - careTeams: CareTeams the CarePlan names by id.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element: an `intent` other than
    ///   `proposal`; no `basedOn` naming a version of this plan as `CarePlan/{id}/_history/{n}`, or two; a
    ///   `status` that contradicts the decision (`active` while pending, `completed` once accepted, `revoked`
    ///   once rejected); no suite `plan-change` or `care-plan-proposal` extension, or a part of one missing
    ///   or of the wrong type; or what ``PlanContent/init(fhir:goals:careTeams:)`` refuses.
    public init(
        fhir carePlan: R4.CarePlan,
        of plan: CarePlan.ID,
        goals: [R4.Goal] = [],
        careTeams: [R4.CareTeam] = []
    ) throws(FHIREncodingError) {
        guard carePlan.intent.value == "proposal" else {
            throw .unmappable(FieldPath("intent"), "a proposal to a plan has the intent proposal")
        }
        let content = try PlanContent(fhir: carePlan, goals: goals, careTeams: careTeams)
        let basedOn = try Self.basedOn(carePlan.basedOn, plan: plan)
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
                "a proposal needs the suite's care-plan-proposal extension with its number"
            )
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
            basedOn: basedOn,
            content: content,
            change: try PlanChange(parts: changeParts),
            decision: decision
        )
    }

    /// The version of `plan` the one `basedOn` reference names.
    private static func basedOn(_ references: [R4.Reference], plan: CarePlan.ID) throws(FHIREncodingError) -> Int {
        var found: Int?
        for (index, reference) in references.enumerated() {
            let place = FieldPath("basedOn").appending(index: index)
            guard let target = try Mapping.target(reference, at: place), target.type == "CarePlan",
                target.id == plan.rawValue
            else { continue }
            guard found == nil else { throw .unmappable(place, "a proposal is based on one version of the plan") }
            let text = reference.reference?.value ?? ""
            guard let marker = text.range(of: "/_history/"), let version = Int(text[marker.upperBound...]),
                version >= 1, String(version) == text[marker.upperBound...]
            else {
                throw .unmappable(
                    place.appending("reference"),
                    "a proposal names the version it was made against: CarePlan/id/_history/n"
                )
            }
            found = version
        }
        guard let found else {
            throw .unmappable(FieldPath("basedOn"), "a proposal names the plan it was made to in basedOn")
        }
        return found
    }
}
