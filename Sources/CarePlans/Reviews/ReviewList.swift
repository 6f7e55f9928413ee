public import CareCore

/// Something in a plan whose review or due date has come, or is coming.
public struct ReviewItem: Hashable, Sendable {
    /// What is due.
    public enum Kind: Hashable, Sendable {
        /// The plan's own review.
        case plan
        /// The ReSPECT form's review.
        case respect
        /// A goal's due date.
        case goal(Goal.ID)
    }

    /// The plan.
    public let plan: CarePlan.ID
    /// Whose plan it is.
    public let patient: CarePlan.PatientID
    /// What is due.
    public let kind: Kind
    /// The date it is due.
    public let due: CivilDate
    /// Whether the date has passed.
    public let isOverdue: Bool
}

/// Finds reviews and goals that are due or overdue across plans, for a clinician's worklist.
public enum ReviewList: Sendable {
    /// The items of active and on-hold plans due on or before `today + withinDays`, overdue first, then by
    /// date, plan and kind. A goal counts while it is proposed, planned, accepted, active or on hold.
    ///
    /// - Parameters:
    ///   - plans: The plans to look through.
    ///   - today: The day, in Europe/London.
    ///   - withinDays: How far ahead "due" reaches; 0 for due today or earlier.
    /// - Returns: The items.
    public static func due(in plans: [CarePlan], on today: CivilDate, withinDays: Int = 14) -> [ReviewItem] {
        let horizon = today.adding(days: max(0, withinDays))
        let openGoals: Set<Goal.Lifecycle> = [.proposed, .planned, .accepted, .active, .onHold]
        var items: [ReviewItem] = []
        for plan in plans where plan.status == .active || plan.status == .onHold {
            func add(_ kind: ReviewItem.Kind, _ date: CivilDate?) {
                guard let date, date <= horizon else { return }
                items.append(
                    ReviewItem(plan: plan.id, patient: plan.patient, kind: kind, due: date, isOverdue: date < today)
                )
            }
            add(.plan, plan.content.reviewDate)
            add(.respect, plan.content.advanceCarePlan.respect?.reviewBy)
            for goal in plan.content.goals where openGoals.contains(goal.lifecycle) { add(.goal(goal.id), goal.due) }
        }
        return items.sorted { left, right in
            if left.isOverdue != right.isOverdue { return left.isOverdue }
            if left.due != right.due { return left.due < right.due }
            if left.plan != right.plan { return left.plan < right.plan }
            return order(left.kind) < order(right.kind)
        }
    }

    private static func order(_ kind: ReviewItem.Kind) -> String {
        switch kind {
        case .plan: return "0"
        case .respect: return "1"
        case .goal(let id): return "2" + id.rawValue
        }
    }
}
