import CareCore
public import Foundation

/// Why a patient is where they are on the board: their category and how it came about, who is ahead of them,
/// and how long they have before their target is breached.
public struct QueueExplanation: Hashable, Sendable, CustomStringConvertible {
    /// How many waiting patients of one category are ahead.
    public struct CategoryCount: Hashable, Sendable {
        /// The category.
        public let category: TriageCategory
        /// How many of it are ahead.
        public let count: Int
    }

    /// The patient's entry.
    public let entry: QueueEntry
    /// How many patients are waiting in all.
    public let waitingCount: Int
    /// The waiting patients ahead, counted by category, most urgent first.
    public let aheadByCategory: [CategoryCount]
    /// The least urgent category the latest NEWS2 score allows, if it sets one.
    public let news2Floor: TriageCategory?
    /// Every change of category, oldest first.
    public let history: [CategoryChange]
    /// The moment the explanation describes.
    public let at: Date

    /// What the NEWS2 floor means for the category now, if there is a floor.
    private var floorText: String {
        guard let floor = news2Floor else { return "" }
        if floor < entry.category {
            return "; a clinician has lowered the category below the \(floor) this score would set"
        }
        return ": at least \(floor) while it stands"
    }

    /// The explanation in plain English, several lines. A clinician's reason for a re-triage is free text about
    /// the patient, so a change names who re-triaged but never why; read the reason from ``history``.
    public var description: String {
        var lines: [String] = []
        let target = entry.target
        if let position = entry.position {
            lines.append("\(entry.patient) is number \(position) of \(waitingCount) waiting.")
        } else {
            lines.append("\(entry.patient) is being seen and is not in the queue.")
        }
        lines.append("Category \(entry.category) (\(entry.category.name)), target \(target) min from arrival.")
        for change in history {
            let from = change.from.map { "from \($0) " } ?? ""
            lines.append("  \(change.at.utcText): \(from)to \(change.to), \(change.cause).")
        }
        switch entry.latestNEWS2 {
        case .complete(let score):
            lines.append("Latest \(score)\(floorText).")
        case .incomplete(let missing, let partial):
            lines.append(
                "Latest observations are incomplete (missing \(missing.map(\.description).joined(separator: ", "))): "
                    + "not scored; what was observed already scores \(partial.sum)\(floorText)."
            )
        case nil:
            lines.append("No observations recorded yet.")
        }
        if entry.state == .waiting {
            let toBreach = entry.minutesToBreach(at: at)
            lines.append(
                "Waited \(entry.minutesWaited(at: at)) min; "
                    + (toBreach < 0 ? "target breached by \(-toBreach) min." : "\(toBreach) min to target.")
            )
            if aheadByCategory.isEmpty {
                lines.append("Nobody is ahead.")
            } else {
                let ahead = aheadByCategory.map { "\($0.count) \($0.category)" }.joined(separator: ", ")
                lines.append(
                    "Ahead: \(ahead); a more urgent category, or the same category with an earlier target, goes first, "
                        + "and waiting never lifts a patient above a more urgent category."
                )
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension QueueExplanation: CustomReflectable {
    /// A mirror that shows the patient's place on the board only: its ``description`` says how it came about,
    /// without a clinician's reasons, which are free text about the patient.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "patient": entry.patient, "category": entry.category, "position": entry.position as Any,
                "waitingCount": waitingCount, "changeCount": history.count,
            ],
            displayStyle: .struct
        )
    }
}

extension Date {
    /// The moment as UTC ISO 8601 to the second, such as `2026-11-25T10:42:00Z`.
    var utcText: String {
        (try? Instant(self, fractionDigits: 0))?.description ?? "\(timeIntervalSince1970)s since 1970"
    }
}
