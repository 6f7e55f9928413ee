import CareCore
import Foundation
import Testing

@testable import CarePlans

@Suite struct EmergencySummaryTests {
    private func activePlan(reviewDate: String = "2026-10-01", respectReview: String? = nil) throws -> CarePlan {
        var content = try clairesDraft()
        content.reviewDate = try day(reviewDate)
        content.aboutMe.howToCommunicateWithMe = "Speak slowly; I wear hearing aids"
        content.contacts.append(
            NamedContact(
                id: NamedContact.ID(unchecked: "sg"),
                name: "Safeguarding team",
                relationship: "safeguarding lead",
                telephone: "01872 000111",
                isSafeguardingContact: true
            )
        )
        content.contingency = ["If breathless at rest, call 999"]
        content.advanceCarePlan = AdvanceCarePlan(
            respect: ReSPECTRecommendations(
                cpr: .attemptsNotRecommended,
                careFocus: .comfort,
                specificRecommendations: ["For ward-based care; not for intensive care"],
                hospitalAdmissionWanted: true,
                recordedBy: "Dr Pascoe, GP",
                recordedOn: try day("2026-07-06"),
                reviewBy: try respectReview.map(day)
            ),
            preferredPlaceOfCare: "At home",
            advanceDecisionToRefuseTreatment: LegalDocument(status: .absent),
            lastingPowerOfAttorney: LegalDocument(status: .present, location: "Held by Amy", holder: "Amy")
        )
        let plan = try CarePlan(
            id: CarePlan.ID(unchecked: "plan-1"),
            patient: CarePlan.PatientID(unchecked: "claire"),
            content: content,
            change: change()
        )
        return try plan.moved(expectedVersion: 1, to: .active, change: change(reason: "Agreed"))
    }

    @Test func summarisesTheActivePlanForACrew() throws {
        let summary = EmergencySummary.of([try activePlan()], on: try day("2026-08-01"))
        #expect(summary.standing == .current)
        #expect(summary.respect?.cpr == .attemptsNotRecommended)
        #expect(summary.contacts.map(\.reason) == ["emergency contact", "safeguarding contact", "lead clinician"])
        #expect(summary.goalsOfCare == ["Walk the dog to the harbour"])
        let text = summary.text()
        #expect(
            text == """
                Please call me: Claire
                ReSPECT: CPR attempts NOT recommended; focus: prioritise comfort
                  - For ward-based care; not for intensive care
                  Hospital admission would be wanted
                  Signed by Dr Pascoe, GP on 2026-07-06
                ADRT: none
                LPA (health and welfare): yes, attorney Amy; copy: Held by Amy
                Preferred place of care: At home
                How to communicate with me: Speak slowly; I wear hearing aids
                Contact: Amy (daughter, emergency contact) 07700 900123
                Contact: Safeguarding team (safeguarding lead, safeguarding contact) 01872 000111
                Contact: Dr Pascoe (GP, lead clinician)
                Goal: Walk the dog to the harbour
                If things change: If breathless at rest, call 999
                From plan plan-1 version 2, last changed by Dr Pascoe
                """
        )
    }

    @Test func saysPlainlyWhenThereIsNoActivePlan() throws {
        let draft = try CarePlan(
            id: CarePlan.ID(unchecked: "plan-1"),
            patient: CarePlan.PatientID(unchecked: "claire"),
            content: clairesDraft(),
            change: change()
        )
        for plans in [[], [draft]] {
            let summary = EmergencySummary.of(plans, on: try day("2026-08-01"))
            #expect(summary.standing == .noActivePlan && summary.respect == nil && summary.source == nil)
            #expect(summary.text().hasPrefix("NO ACTIVE CARE PLAN."))
        }
    }

    @Test func warnsWhenThePlanOrItsReSPECTFormIsOverdue() throws {
        // The plan's review date is the day after: current. On the day after the review date: out of date.
        #expect(EmergencySummary.of([try activePlan()], on: try day("2026-10-01")).standing == .current)
        let late = EmergencySummary.of([try activePlan()], on: try day("2026-10-02"))
        #expect(late.standing == .outOfDate(reviewWasDue: try day("2026-10-01")))
        #expect(late.text().hasPrefix("WARNING: PLAN OUT OF DATE: a review was due on 2026-10-01."))
        // The ReSPECT form's own review date counts too, and the earlier of the two is reported.
        let respect = EmergencySummary.of([try activePlan(respectReview: "2026-09-01")], on: try day("2026-10-05"))
        #expect(respect.standing == .outOfDate(reviewWasDue: try day("2026-09-01")))
        // Still in the summary: out of date is a warning, not a reason to hide the recommendations.
        #expect(respect.respect != nil)
    }

    @Test func warnsAboutSeveralActivePlans() throws {
        let first = try activePlan()
        var content = try clairesDraft()
        content.title = "Claire's COPD plan"
        let second = try CarePlan(
            id: CarePlan.ID(unchecked: "plan-2"),
            patient: first.patient,
            content: content,
            change: change(at: "2026-07-10T09:00:00+01:00")
        ).moved(expectedVersion: 1, to: .active, change: change(at: "2026-07-10T09:05:00+01:00"))
        let summary = EmergencySummary.of([first, second], on: try day("2026-08-01"))
        #expect(summary.activePlans == 2 && summary.source?.plan == second.id)
        #expect(summary.text().hasPrefix("WARNING: 2 active plans; this summary is from the latest."))
    }
}
