import CareCore
import CarePlans
import FHIREncoding
import Foundation
import Testing

@Suite("Care plan proposals and UK Core CarePlan with intent proposal")
struct ProposalMappingTests {
    typealias Plans = CarePlanMappingTests

    /// A change by the person, some minutes into the seeded timeline.
    static func byThePerson(_ minute: Int) throws -> PlanChange {
        try PlanChange(
            author: "Claire Penrose",
            role: "patient",
            organisation: nil,
            at: Plans.minutes(minute),
            reason: "I would like this added"
        )
    }

    /// A clinician's decision some minutes into the seeded timeline.
    static func byTheGP(_ minute: Int) throws -> PlanChange {
        try PlanChange(
            author: "Dr Amara Osei",
            role: "GP",
            organisation: try ODSCode(parsing: "A81001"),
            at: Plans.minutes(minute),
            reason: "discussed at review"
        )
    }

    /// Writes every proposal of a plan through strictly validated JSON.
    static func proposals(of plan: CarePlan, name: String) throws -> [R4.CarePlan] {
        try plan.proposals.map { proposal in
            let written = try R4.CarePlan(plan, proposal: proposal.number)
            let bytes = try Emitted.write(written, name: "\(name)-proposal-\(proposal.number)")
            return try FHIRDecoder().decode(R4.CarePlan.self, from: bytes)
        }
    }

    @Test("seeded plans with pending, accepted and rejected proposals survive domain to FHIR JSON to domain")
    func seededRoundTrips() throws {
        var generator = SeededRandomNumberGenerator(seed: 20_261_127)
        var statuses: Set<String> = []
        var withProposals = 0
        for index in 0..<60 {
            var plan = try Plans.plan(index, &generator)
            guard plan.status.isEditable else { continue }
            for round in 0..<Int.random(in: 1...4, using: &generator) {
                let minute = index * 1_000 + 950 + round * 5
                plan = try plan.proposing(change: try Self.byThePerson(minute)) {
                    $0.contingency.append("If I am unwell, call my daughter first (\(round))")
                }
                let number = plan.proposals.count
                switch Int.random(in: 0..<3, using: &generator) {
                case 0:
                    plan = try plan.accepting(
                        proposal: number,
                        expectedVersion: plan.version,
                        change: try Self.byTheGP(minute + 1)
                    )
                case 1: plan = try plan.rejecting(proposal: number, change: try Self.byTheGP(minute + 2))
                default: break
                }
            }
            withProposals += 1
            let versions = try Plans.versions(of: plan, name: "careplan-proposals-\(index)")
            var proposals = try Self.proposals(of: plan, name: "careplan-proposals-\(index)")
            statuses.formUnion(proposals.compactMap(\.status.value))
            #expect(proposals.allSatisfy { $0.intent.value == "proposal" && $0.meta?.versionId == nil })
            // A server returns proposals in any order; they are restored by number.
            proposals.shuffle(using: &generator)
            let back = try CarePlan(fhirVersions: versions, proposals: proposals)
            #expect(back == plan, "plan \(index)")
            #expect(back.proposals == plan.proposals, "plan \(index)")
        }
        #expect(withProposals >= 20)
        #expect(statuses == ["active", "completed", "revoked"])
    }

    @Test("a proposal is written as a CarePlan proposal based on the version it was made against")
    func proposalShape() throws {
        let (plan, _) = try Plans.simple()
        let proposed = try plan.proposing(change: try Self.byThePerson(10)) { $0.contingency = ["Call my daughter"] }
        let written = try R4.CarePlan(proposed, proposal: 1, id: "plan-simple-proposal-1")
        #expect(written.id == "plan-simple-proposal-1")
        #expect(written.intent.value == "proposal")
        #expect(written.status.value == "active")
        // R4's basedOn means "fulfilled by this plan": the plan and version go in the suite's extension.
        #expect(written.basedOn.isEmpty)
        let json = try Plans.json(written)
        #expect(json.contains(#"{"url":"plan","valueId":"plan-simple"},{"url":"version","valuePositiveInt":1}"#))
        #expect(written.meta?.versionId == nil)
        #expect(written.meta?.profile.map(\.value) == [R4.UKCoreProfile.carePlan.rawValue])
        #expect(try Instant(parsing: written.created?.value ?? "").date == Plans.minutes(10))
        let proposal = try Proposal(fhir: written, of: plan.id, patient: plan.patient)
        #expect(proposal == proposed.proposals[0])

        let rejected = try proposed.rejecting(proposal: 1, change: try Self.byTheGP(20))
        let revoked = try R4.CarePlan(rejected, proposal: 1)
        #expect(revoked.status.value == "revoked")
        #expect(try Proposal(fhir: revoked, of: plan.id, patient: plan.patient).decision?.accepted == false)
        #expect(
            try Proposal(fhir: revoked, of: plan.id, patient: plan.patient).decision?.change == (try Self.byTheGP(20))
        )

        let accepted = try proposed.accepting(proposal: 1, expectedVersion: 1, change: try Self.byTheGP(30))
        #expect(try R4.CarePlan(accepted, proposal: 1).status.value == "completed")
        // The accepted content is version 2; the proposal stays based on version 1.
        #expect(
            try Plans.json(try R4.CarePlan(accepted, proposal: 1)).contains(#"{"url":"version","valuePositiveInt":1}"#)
        )
        #expect(
            try Proposal(fhir: try R4.CarePlan(accepted, proposal: 1), of: plan.id, patient: plan.patient).basedOn == 1
        )

        #expect(throws: FHIREncodingError.self) { try R4.CarePlan(proposed, proposal: 2) }
        #expect(throws: FHIREncodingError.self) { try R4.CarePlan(proposed, proposal: 0) }
        let badID = #expect(throws: FHIREncodingError.self) { try R4.CarePlan(proposed, proposal: 1, id: "two words") }
        #expect(badID?.field.description == "id")
    }

    @Test(
        "a proposal that does not say what it is, which version it is based on or where it stands is refused",
        arguments: [
            ("intent", #""intent":"proposal""#, #""intent":"plan""#),
            ("extension[3].extension[0]", #""valueId":"plan-simple""#, #""valueId":"another-plan""#),
            (
                "extension[3].extension[1]", #""valuePositiveInt":1},{"url":"number""#,
                #""valueInteger":1},{"url":"number""#
            ),
            ("extension[3].extension", #""url":"version""#, #""url":"based-on""#),
            ("subject", #""reference":"Patient/"#, #""reference":"Patient/someone-else-"#),
            ("status", #""status":"active""#, #""status":"entered-in-error""#),
            ("extension", "care-plan-proposal", "care-plan-proposal-renamed"),
        ]
    )
    func refusals(field: String, original: String, replacement: String) throws {
        let (plan, _) = try Plans.simple()
        let proposed = try plan.proposing(change: try Self.byThePerson(10)) { $0.contingency = ["Call my daughter"] }
        let json = try Plans.json(try R4.CarePlan(proposed, proposal: 1))
        #expect(json.contains(original))
        let changed = try Plans.decode(json.replacingOccurrences(of: original, with: replacement), as: R4.CarePlan.self)
        let error = #expect(throws: FHIREncodingError.self) {
            try Proposal(fhir: changed, of: plan.id, patient: plan.patient)
        }
        #expect(error?.field.description == field)
        #expect(error?.code == .unmappable)
    }

    @Test("a status that contradicts the decision is refused, in every direction")
    func statusRefusals() throws {
        let (plan, _) = try Plans.simple()
        let pending = try plan.proposing(change: try Self.byThePerson(10)) { $0.contingency = ["Call my daughter"] }
        let rejected = try pending.rejecting(proposal: 1, change: try Self.byTheGP(20))
        let accepted = try pending.accepting(proposal: 1, expectedVersion: 1, change: try Self.byTheGP(30))
        for (decided, right) in [(pending, "active"), (rejected, "revoked"), (accepted, "completed")] {
            let written = try R4.CarePlan(decided, proposal: 1)
            #expect(written.status.value == right)
            for wrong in ["active", "revoked", "completed", "draft", "on-hold"] where wrong != right {
                var changed = written
                changed.status = R4.Primitive(wrong)
                let error = #expect(throws: FHIREncodingError.self) {
                    try Proposal(fhir: changed, of: plan.id, patient: plan.patient)
                }
                #expect(error?.field.description == "status", "\(right) written as \(wrong)")
            }
        }
    }

    @Test("restoring refuses proposals of another patient, numbered twice or against versions the plan lacks")
    func restoringRefusals() throws {
        let (plan, _) = try Plans.simple()
        let versions = try Plans.versions(of: plan, name: "careplan-proposal-refusals")
        var proposed = try plan.proposing(change: try Self.byThePerson(10)) { $0.contingency = ["Call my daughter"] }
        proposed = try proposed.proposing(change: try Self.byThePerson(11)) { $0.contingency = ["Call my son"] }
        let first = try R4.CarePlan(proposed, proposal: 1)
        let second = try R4.CarePlan(proposed, proposal: 2)

        func refusal(_ proposals: [R4.CarePlan]) -> String? {
            #expect(throws: FHIREncodingError.self) { try CarePlan(fhirVersions: versions, proposals: proposals) }?
                .field.description
        }
        // Numbers 1 and 1: the second in number order is at fault, wherever it was given.
        #expect(refusal([first, first]) == "proposals[1].extension")
        // Only number 2.
        #expect(refusal([second]) == "proposals[0].extension")
        var otherPatient = first
        otherPatient.subject = R4.Reference(reference: "Patient/someone-else")
        #expect(refusal([otherPatient]) == "proposals[0].subject")
        let laterVersion = try Plans.decode(
            try Plans.json(first).replacingOccurrences(
                of: #"{"url":"version","valuePositiveInt":1}"#,
                with: #"{"url":"version","valuePositiveInt":2}"#
            ),
            as: R4.CarePlan.self
        )
        #expect(refusal([laterVersion]) == "proposals[0].extension")
        // Accepted against the current version: accepting would have made a newer one.
        let accepted = try proposed.accepting(proposal: 1, expectedVersion: 1, change: try Self.byTheGP(20))
        let acceptedFHIR = try R4.CarePlan(accepted, proposal: 1)
        #expect(refusal([acceptedFHIR, second]) == "proposals[0].extension")
        // Read against a plan whose version 2 is not the proposal's content, acceptance is refused.
        let otherwiseRevised = try plan.revised(expectedVersion: 1, change: try Self.byTheGP(30)) {
            $0.contingency = ["Something else"]
        }
        let mismatch = #expect(throws: FHIREncodingError.self) {
            try CarePlan(
                fhirVersions: try Plans.versions(of: otherwiseRevised, name: "careplan-proposal-mismatch"),
                proposals: [acceptedFHIR]
            )
        }
        #expect(mismatch?.field.description == "proposals[0].extension")
        // With its version 2 it restores.
        let restored = try CarePlan(
            fhirVersions: try Plans.versions(of: accepted, name: "careplan-proposal-accepted"),
            proposals: [second, acceptedFHIR]
        )
        #expect(restored == accepted)
    }

    @Test("a decided proposal is written over the one the server filed, keeping its id and all it holds")
    func writeBack() throws {
        let (plan, written) = try Plans.simple()
        let pending = try plan.proposing(change: try Self.byThePerson(10)) { $0.contingency = ["Call my daughter"] }
        // As a server files it: an id, its own version, an identifier, a note and a narrative.
        var filed = try R4.CarePlan(pending, proposal: 1)
        filed.id = "server-77"
        filed.meta?.versionId = "3"
        filed.identifier = [R4.Identifier(system: "https://trust.example.nhs.uk/proposal", value: "PR-1")]
        filed.note = [R4.Annotation(text: "Discussed with the carer")]
        filed.text = R4.Narrative(
            status: "generated",
            div: "<div xmlns=\"http://www.w3.org/1999/xhtml\">A proposal</div>"
        )

        // Unchanged, it is kept whole.
        #expect(try R4.CarePlan(pending, proposal: 1, keeping: filed) == filed)

        let accepted = try pending.accepting(proposal: 1, expectedVersion: 1, change: try Self.byTheGP(30))
        let decided = try R4.CarePlan(accepted, proposal: 1, keeping: filed)
        _ = try Emitted.write(decided, name: "careplan-proposal-write-back")
        #expect(decided.id == "server-77" && decided.meta?.versionId == "3")
        #expect(decided.identifier == filed.identifier && decided.note == filed.note)
        #expect(decided.status.value == "completed" && decided.intent.value == "proposal")
        #expect(decided.text == nil, "the narrative described the pending proposal")
        #expect(try Proposal(fhir: decided, of: plan.id, patient: plan.patient) == accepted.proposals[0])
        // Filed again over itself, the plan restores with one proposal numbered 1.
        let restored = try CarePlan(
            fhirVersions: try Plans.versions(of: accepted, name: "careplan-proposal-write-back"),
            proposals: [decided]
        )
        #expect(restored == accepted)

        // What is not this plan's proposal of this number is refused, never overwritten.
        let twice = try accepted.proposing(change: try Self.byThePerson(40)) { $0.contingency = ["Call my son"] }
        var otherPatient = filed
        otherPatient.subject = R4.Reference(reference: "Patient/someone-else")
        let refusals: [(R4.CarePlan, Int, String?, String)] = [
            (filed, 2, nil, "extension"),
            (written, 1, nil, "intent"),
            (otherPatient, 1, nil, "subject"),
            (filed, 1, "another-id", "id"),
        ]
        for (original, number, id, field) in refusals {
            let error = #expect(throws: FHIREncodingError.self) {
                try R4.CarePlan(twice, proposal: number, id: id, keeping: original)
            }
            #expect(error?.field.description == field, "\(field)")
        }
        // Another plan's proposal with the same number.
        let anotherPlans = try Plans.decode(
            try Plans.json(filed).replacingOccurrences(
                of: #"{"url":"plan","valueId":"plan-simple"}"#,
                with: #"{"url":"plan","valueId":"another-plan"}"#
            ),
            as: R4.CarePlan.self
        )
        #expect(try Plans.json(anotherPlans) != (try Plans.json(filed)))
        #expect(
            #expect(throws: FHIREncodingError.self) { try R4.CarePlan(accepted, proposal: 1, keeping: anotherPlans) }?
                .field.description.hasPrefix("extension") == true
        )
        // A filed proposal entered in error is not brought back.
        var withdrawn = filed
        withdrawn.status = "entered-in-error"
        #expect(
            #expect(throws: FHIREncodingError.self) { try R4.CarePlan(accepted, proposal: 1, keeping: withdrawn) }?
                .field.description == "status"
        )
        // The plan's own id is never a proposal's.
        #expect(
            #expect(throws: FHIREncodingError.self) { try R4.CarePlan(accepted, proposal: 1, id: "plan-simple") }?
                .field.description == "id"
        )
        // Written from a plan read before the decision, the decision is not undone.
        let stale = #expect(throws: FHIREncodingError.self) { try R4.CarePlan(pending, proposal: 1, keeping: decided) }
        #expect(stale?.field.description == "extension")
        #expect(stale?.reason.contains("decision") == true)
        let rejected = try pending.rejecting(proposal: 1, change: try Self.byTheGP(31))
        #expect(throws: FHIREncodingError.self) { try R4.CarePlan(rejected, proposal: 1, keeping: decided) }

        var unreadable = filed
        unreadable.extension = unreadable.extension.filter {
            $0.url != R4.SuiteExtension.carePlanProposal.rawValue
        }
        let unread = #expect(throws: FHIREncodingError.self) {
            try R4.CarePlan(twice, proposal: 1, keeping: unreadable)
        }
        #expect(unread?.field.description == "extension")

        // The plan writer will not write a version over a proposal.
        let overProposal = #expect(throws: FHIREncodingError.self) { try R4.CarePlan(accepted, keeping: filed) }
        #expect(overProposal?.field.description == "intent")
    }

    @Test("a proposal entered in error is left out when the plan is restored")
    func enteredInError() throws {
        let (plan, _) = try Plans.simple()
        let once = try plan.proposing(change: try Self.byThePerson(10)) { $0.contingency = ["Call my daughter"] }
        let twice = try once.proposing(change: try Self.byThePerson(11)) { $0.contingency = ["Call my son"] }
        let versions = try Plans.versions(of: plan, name: "careplan-proposal-entered-in-error")
        var second = try R4.CarePlan(twice, proposal: 2)
        second.status = "entered-in-error"
        let first = try R4.CarePlan(twice, proposal: 1)
        #expect(try CarePlan(fhirVersions: versions, proposals: [second, first]) == once)
        // Withdrawing the first leaves a gap, which is refused at the one left.
        var withdrawn = first
        withdrawn.status = "entered-in-error"
        // Read alone, a decided proposal entered in error is refused as withdrawn, not as undecided.
        var revoked = try R4.CarePlan(try once.rejecting(proposal: 1, change: try Self.byTheGP(12)), proposal: 1)
        revoked.status = "entered-in-error"
        let alone = #expect(throws: FHIREncodingError.self) {
            try Proposal(fhir: revoked, of: plan.id, patient: plan.patient)
        }
        #expect(alone?.field.description == "status")
        #expect(alone?.reason.contains("entered in error") == true)
        let gap = #expect(throws: FHIREncodingError.self) {
            try CarePlan(fhirVersions: versions, proposals: [withdrawn, try R4.CarePlan(twice, proposal: 2)])
        }
        #expect(gap?.field.description == "proposals[1].extension")
    }

    @Test("a plan decoded from JSON is checked as restoring checks it, accepted proposals included")
    func codableChecks() throws {
        let (plan, _) = try Plans.simple()
        let pending = try plan.proposing(change: try Self.byThePerson(10)) { $0.contingency = ["Call my daughter"] }
        let accepted = try pending.accepting(proposal: 1, expectedVersion: 1, change: try Self.byTheGP(30))
        let encoder = JSONEncoder()
        #expect(try JSONDecoder().decode(CarePlan.self, from: try encoder.encode(accepted)) == accepted)

        // The accepted proposal spliced onto a plan whose version 2 is something else.
        let otherwise = try plan.revised(expectedVersion: 1, change: try Self.byTheGP(30)) {
            $0.contingency = ["Something else"]
        }
        var object = try #require(
            try JSONSerialization.jsonObject(with: try encoder.encode(otherwise)) as? [String: Any]
        )
        let acceptedObject = try #require(
            try JSONSerialization.jsonObject(with: try encoder.encode(accepted)) as? [String: Any]
        )
        object["proposals"] = acceptedObject["proposals"]
        let spliced = try JSONSerialization.data(withJSONObject: object)
        let refused = #expect(throws: DecodingError.self) { try JSONDecoder().decode(CarePlan.self, from: spliced) }
        guard case .dataCorrupted(let context)? = refused else {
            Issue.record("expected dataCorrupted, got \(String(describing: refused))")
            return
        }
        #expect(context.codingPath.map(\.stringValue) == ["proposals"])
        #expect(context.debugDescription.hasPrefix("proposals[0].decision: "))
    }
}
