import CareCore
import Foundation
import Testing

@testable import CarePlans

@Suite struct ContributionTests {
    private func active() throws -> CarePlan {
        try CarePlan(
            id: CarePlan.ID(unchecked: "plan-1"),
            patient: CarePlan.PatientID(unchecked: "claire"),
            content: clairesDraft(),
            change: change()
        ).moved(expectedVersion: 1, to: .active, change: change())
    }

    private func byClaire(_ reason: String = "My update") throws -> PlanChange {
        try change("Claire", role: "patient", reason: reason)
    }

    @Test func thePersonEditsTheirOwnSectionsDirectly() throws {
        let plan = try active()
        let entry = Goal.Progress(
            date: try day("2026-07-20"),
            note: "Half a mile today",
            achievement: .improving,
            recordedBy: .patient
        )
        let updated = try plan.contributed(expectedVersion: 2, change: byClaire()) { content in
            content.aboutMe.whatMattersToMe = "Staying at home, walking my dog and seeing my grandchildren"
            content.goals[0].progress.append(entry)
            content.goals[0].achievement = .improving
        }
        #expect(updated.version == 3 && updated.current.change.role == "patient")
        #expect(updated.content.goals[0].progress == [entry])
    }

    @Test func aClinicalSectionIsRefusedAndNamed() throws {
        let plan = try active()
        let claire = try byClaire()
        do {
            _ = try plan.contributed(expectedVersion: 2, change: claire) { $0.goals[0].target = "2 miles" }
            Issue.record("a clinical field was changed directly")
        } catch {
            #expect(error.code == .notPermitted)
            #expect(error.field.description == "goals[walk].target")
            #expect(!error.description.contains("2 miles"))
        }
        #expect(
            code { _ = try plan.contributed(expectedVersion: 2, change: byClaire()) { $0.reviewDate = nil } }
                == .notPermitted
        )
        #expect(
            code {
                _ = try plan.contributed(expectedVersion: 2, change: byClaire()) {
                    $0.advanceCarePlan.preferredPlaceOfCare = "Hospice"
                }
            } == .notPermitted
        )
    }

    @Test func proposalsWaitForAClinicianToAcceptOrReject() throws {
        var plan = try active()
        plan = try plan.proposing(change: byClaire("I would rather be cared for at home")) {
            $0.advanceCarePlan.preferredPlaceOfCare = "At home"
        }
        plan = try plan.proposing(change: byClaire("Fewer visits")) { $0.actions[0].what = "Weigh twice a week" }
        #expect(plan.version == 2 && plan.content.advanceCarePlan.preferredPlaceOfCare == nil)
        #expect(plan.pendingProposals.map(\.number) == [1, 2])
        plan = try plan.accepting(proposal: 1, expectedVersion: 2, change: change(reason: "Discussed with Claire"))
        #expect(plan.version == 3 && plan.content.advanceCarePlan.preferredPlaceOfCare == "At home")
        #expect(plan.proposals[0].decision?.accepted == true)
        // The second proposal was made against version 2; the plan has moved on.
        #expect(code { _ = try plan.accepting(proposal: 2, expectedVersion: 3, change: change()) } == .versionConflict)
        plan = try plan.rejecting(proposal: 2, change: change(reason: "Daily weighing keeps you safe"))
        #expect(plan.proposals[1].decision?.accepted == false && plan.pendingProposals.isEmpty)
        #expect(plan.version == 3)
        #expect(code { _ = try plan.rejecting(proposal: 2, change: change()) } == .notFound)
        #expect(code { _ = try plan.accepting(proposal: 9, expectedVersion: 3, change: change()) } == .notFound)
        #expect(code { _ = try plan.proposing(change: byClaire()) { _ in } } == .invalidValue)
    }

    @Test func ownershipMovesFromConsultantToGPInTheHistory() throws {
        var content = try clairesDraft()
        let consultant = PlanOwner(
            name: "Dr Trelawny",
            role: "consultant psychiatrist",
            organisation: try ODSCode(parsing: "REF")
        )
        content.owner = consultant
        content.careTeam = [
            CareTeamMember(
                name: "Dr Trelawny",
                role: "consultant psychiatrist",
                organisation: ODSCode("REF"),
                isLead: true
            ),
            CareTeamMember(name: "Dr Pascoe", role: "GP", organisation: ODSCode("L82999")),
        ]
        var plan = try CarePlan(
            id: CarePlan.ID(unchecked: "phil-plan"),
            patient: CarePlan.PatientID(unchecked: "phil"),
            content: content,
            change: change("Dr Trelawny", role: "consultant psychiatrist")
        ).moved(expectedVersion: 1, to: .active, change: change("Dr Trelawny", role: "consultant psychiatrist"))
        let gp = PlanOwner(name: "Dr Pascoe", role: "GP", organisation: try ODSCode(parsing: "L82999"))
        plan = try plan.transferred(
            expectedVersion: 2,
            to: gp,
            change: change("Dr Trelawny", role: "consultant psychiatrist", reason: "Discharged to primary care")
        )
        #expect(plan.content.owner == gp)
        #expect(plan.content.careTeam.filter(\.isLead).map(\.name) == ["Dr Pascoe"])
        #expect(plan.current.change.reason == "Discharged to primary care")
        let paths = try plan.diff(from: 2, to: 3).map(\.path)
        #expect(
            paths.contains("owner.name") && paths.contains("careTeam[0].isLead") && paths.contains("careTeam[1].isLead")
        )
        #expect(code { _ = try plan.transferred(expectedVersion: 3, to: gp, change: change()) } == .invalidValue)
    }

    @Test func theRegistryRunsTheSameRules() async throws {
        let registry = try CarePlanRegistry()
        let plan = try active()
        try await registry.add(plan)
        let claire = try byClaire()
        _ = try await registry.contribute(plan.id, expectedVersion: 2, change: claire) {
            $0.aboutMe.aGoodDay = "Sun on the harbour"
        }
        _ = try await registry.propose(plan.id, change: claire) { $0.contingency = ["Call Amy first"] }
        let accepted = try await registry.decide(
            plan.id,
            proposal: 1,
            accept: true,
            expectedVersion: 3,
            change: try change()
        )
        #expect(accepted.content.contingency == ["Call Amy first"] && accepted.version == 4)
        let gp = PlanOwner(name: "Dr Pascoe", role: "GP", organisation: try ODSCode(parsing: "L82999"))
        let moved = try await registry.transfer(plan.id, expectedVersion: 4, to: gp, change: try change())
        #expect(moved.content.owner == gp)
    }
}
