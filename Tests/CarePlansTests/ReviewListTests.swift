import CareCore
import Foundation
import Testing

@testable import CarePlans

@Suite struct ReviewListTests {
    private func plan(_ id: String, status: PlanStatus = .active, review: String?, goalDue: String?) throws -> CarePlan
    {
        var content = try clairesDraft()
        content.reviewDate = try review.map(day)
        content.goals[0].due = try goalDue.map(day)
        var plan = try CarePlan(
            id: CarePlan.ID(unchecked: id),
            patient: CarePlan.PatientID(unchecked: "p-\(id)"),
            content: content,
            change: change()
        )
        if status != .draft { plan = try plan.moved(expectedVersion: 1, to: .active, change: change()) }
        if status == .onHold { plan = try plan.moved(expectedVersion: 2, to: .onHold, change: change()) }
        return plan
    }

    @Test func listsOverdueThenDueItemsAtTheEdges() throws {
        let today = try day("2026-08-01")
        let plans = [
            try plan("a", review: "2026-07-31", goalDue: "2026-08-15"),  // overdue by a day; goal due at the horizon
            try plan("b", status: .onHold, review: "2026-08-01", goalDue: "2026-08-16"),  // due today; goal beyond
            try plan("c", status: .draft, review: "2026-07-01", goalDue: nil),  // drafts are not listed
        ]
        let items = ReviewList.due(in: plans, on: today, withinDays: 14)
        #expect(items.map(\.plan.rawValue) == ["a", "b", "a"])
        #expect(items.map(\.isOverdue) == [true, false, false])
        #expect(items[0].kind == .plan && items[1].kind == .plan)
        let goalDue = try day("2026-08-15")
        #expect(items[2].kind == .goal(Goal.ID(unchecked: "walk")) && items[2].due == goalDue)
        #expect(ReviewList.due(in: plans, on: today, withinDays: 0).map(\.plan.rawValue) == ["a", "b"])
    }

    @Test func leavesOutFinishedGoalsAndCountsTheReSPECTReview() throws {
        var active = try plan("a", review: nil, goalDue: "2026-07-01")
        let respect = ReSPECTRecommendations(
            cpr: .attemptsRecommended,
            careFocus: .sustainingLife,
            recordedBy: "Dr Pascoe, GP",
            recordedOn: try day("2025-08-01"),
            reviewBy: try day("2026-07-20")
        )
        active = try active.revised(expectedVersion: 2, change: change()) { content in
            content.goals[0].lifecycle = .completed
            content.advanceCarePlan.respect = respect
        }
        let items = ReviewList.due(in: [active], on: try day("2026-08-01"))
        #expect(items.map(\.kind) == [.respect])
        #expect(items[0].isOverdue)
    }
}
