public import CareCore
public import Foundation

/// What an ambulance crew or an emergency department needs from a person's care plans, on one screen: the
/// ReSPECT recommendations, the ADRT and LPA references, who to call, how to communicate, the goals of care,
/// and how far to trust it all.
///
/// The summary says plainly when there is no active plan, when the plan or its ReSPECT form is overdue for
/// review, and when the person has more than one active plan; it never fills a gap with a default.
public struct EmergencySummary: Hashable, Sendable {
    /// How far the summary can be relied on.
    public enum Standing: Hashable, Sendable {
        /// An active plan, within its review dates.
        case current
        /// An active plan past a review date: the plan's own, or its ReSPECT form's.
        case outOfDate(reviewWasDue: CivilDate)
        /// No active plan: nothing in the summary comes from a plan.
        case noActivePlan
    }

    /// A person to call.
    public struct Contact: Hashable, Sendable {
        /// Their name.
        public let name: String
        /// Who they are: "daughter", "GP", "safeguarding lead".
        public let role: String
        /// How to reach them.
        public let telephone: String?
        /// Why they are listed: emergency contact, safeguarding contact or lead clinician.
        public let reason: String
    }

    /// How far the summary can be relied on.
    public let standing: Standing
    /// The plan it was taken from, and its version.
    public let source: (plan: CarePlan.ID, version: Int, changedBy: String, changedAt: Date)?
    /// How many active plans the person has; more than one is shown as a warning.
    public let activePlans: Int
    /// How the person wants to be addressed.
    public let pleaseCallMe: String?
    /// The ReSPECT recommendations; `nil` when the plan has none.
    public let respect: ReSPECTRecommendations?
    /// The advance decision to refuse treatment: present, absent or unknown, and where.
    public let advanceDecision: LegalDocument
    /// The lasting power of attorney for health and welfare.
    public let powerOfAttorney: LegalDocument
    /// Where the person would prefer to be cared for.
    public let preferredPlaceOfCare: String?
    /// Emergency and safeguarding contacts, then the lead clinician.
    public let contacts: [Contact]
    /// Communication needs, preferred language and whether an interpreter is needed.
    public let communication: CommunicationPreferences?
    /// How to communicate with the person, in their words.
    public let howToCommunicate: String?
    /// The goals being worked on.
    public let goalsOfCare: [String]
    /// What to do if things change.
    public let contingency: [String]

    /// Whether two summaries say the same.
    ///
    /// - Parameters:
    ///   - lhs: One summary.
    ///   - rhs: Another.
    /// - Returns: `true` when they are the same.
    public static func == (lhs: EmergencySummary, rhs: EmergencySummary) -> Bool {
        lhs.text() == rhs.text() && lhs.source?.plan == rhs.source?.plan && lhs.source?.version == rhs.source?.version
    }

    /// Hashes the summary.
    ///
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(text())
    }

    /// The summary of a person's plans on a day.
    ///
    /// The source is the active plan changed most recently. It is out of date when its review date, or its
    /// ReSPECT form's review date, is before `today`.
    ///
    /// - Parameters:
    ///   - plans: The person's plans, in any status.
    ///   - today: The day the summary is read, in Europe/London.
    /// - Returns: The summary.
    public static func of(_ plans: [CarePlan], on today: CivilDate) -> EmergencySummary {
        let active = plans.filter { $0.status == .active }
            .sorted { ($0.current.change.at, $0.id) > ($1.current.change.at, $1.id) }
        guard let plan = active.first else {
            return EmergencySummary(
                standing: .noActivePlan,
                source: nil,
                activePlans: 0,
                pleaseCallMe: nil,
                respect: nil,
                advanceDecision: LegalDocument(),
                powerOfAttorney: LegalDocument(),
                preferredPlaceOfCare: nil,
                contacts: [],
                communication: nil,
                howToCommunicate: nil,
                goalsOfCare: [],
                contingency: []
            )
        }
        let content = plan.content
        let advance = content.advanceCarePlan
        let dues = [content.reviewDate, advance.respect?.reviewBy].compactMap { $0 }.filter { $0 < today }
        var contacts: [Contact] = []
        for contact in content.contacts where contact.isEmergencyContact || contact.isSafeguardingContact {
            let reason = [
                contact.isEmergencyContact ? "emergency contact" : nil,
                contact.isSafeguardingContact ? "safeguarding contact" : nil,
            ]
            .compactMap { $0 }.joined(separator: ", ")
            contacts.append(
                Contact(name: contact.name, role: contact.relationship, telephone: contact.telephone, reason: reason)
            )
        }
        for member in content.careTeam where member.isLead {
            contacts.append(
                Contact(name: member.name, role: member.role, telephone: member.telephone, reason: "lead clinician")
            )
        }
        return EmergencySummary(
            standing: dues.min().map { .outOfDate(reviewWasDue: $0) } ?? .current,
            source: (plan.id, plan.version, plan.current.change.author, plan.current.change.at),
            activePlans: active.count,
            pleaseCallMe: content.aboutMe.pleaseCallMe,
            respect: advance.respect,
            advanceDecision: advance.advanceDecisionToRefuseTreatment,
            powerOfAttorney: advance.lastingPowerOfAttorney,
            preferredPlaceOfCare: advance.preferredPlaceOfCare,
            contacts: contacts,
            communication: content.communication,
            howToCommunicate: content.aboutMe.howToCommunicateWithMe,
            goalsOfCare: content.goals.filter { $0.lifecycle == .active || $0.lifecycle == .accepted }.map(
                \.description
            ),
            contingency: content.contingency
        )
    }

    /// The summary as plain text for a crew's screen or a handover sheet, warnings first.
    ///
    /// - Returns: The text, one item a line.
    public func text() -> String {
        var lines: [String] = []
        switch standing {
        case .noActivePlan:
            return "NO ACTIVE CARE PLAN. Nothing below comes from a plan: treat as no recorded wishes, no ReSPECT "
                + "recommendations and no known ADRT or LPA."
        case .outOfDate(let due):
            lines.append(
                "WARNING: PLAN OUT OF DATE: a review was due on \(due). Confirm with the person or their contacts."
            )
        case .current:
            break
        }
        if activePlans > 1 { lines.append("WARNING: \(activePlans) active plans; this summary is from the latest.") }
        if let pleaseCallMe { lines.append("Please call me: \(pleaseCallMe)") }
        if let respect {
            lines.append("ReSPECT: \(Self.describe(respect.cpr)); focus: \(Self.describe(respect.careFocus))")
            for recommendation in respect.specificRecommendations { lines.append("  - \(recommendation)") }
            if let wanted = respect.hospitalAdmissionWanted {
                lines.append("  Hospital admission \(wanted ? "would be wanted" : "would not be wanted")")
            }
            lines.append("  Signed by \(respect.recordedBy) on \(respect.recordedOn)")
        } else {
            lines.append("ReSPECT: none recorded in the plan")
        }
        lines.append("ADRT: \(Self.describe(advanceDecision))")
        lines.append("LPA (health and welfare): \(Self.describe(powerOfAttorney))")
        if let preferredPlaceOfCare { lines.append("Preferred place of care: \(preferredPlaceOfCare)") }
        if let communication {
            var needs = communication.needs.sorted().map(\.rawValue)
            if let language = communication.preferredLanguage {
                needs.append("language \(language)\(communication.interpreterRequired ? ", interpreter needed" : "")")
            }
            if !needs.isEmpty { lines.append("Communication: \(needs.joined(separator: "; "))") }
        }
        if let howToCommunicate { lines.append("How to communicate with me: \(howToCommunicate)") }
        for contact in contacts {
            lines.append(
                "Contact: \(contact.name) (\(contact.role), \(contact.reason))\(contact.telephone.map { " \($0)" } ?? "")"
            )
        }
        for goal in goalsOfCare { lines.append("Goal: \(goal)") }
        for step in contingency { lines.append("If things change: \(step)") }
        if let source {
            lines.append("From plan \(source.plan) version \(source.version), last changed by \(source.changedBy)")
        }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ cpr: ReSPECTRecommendations.CPR) -> String {
        switch cpr {
        case .attemptsRecommended: return "CPR attempts RECOMMENDED"
        case .attemptsNotRecommended: return "CPR attempts NOT recommended"
        case .modifiedForChild: return "modified CPR (child), as on the form"
        }
    }

    private static func describe(_ focus: ReSPECTRecommendations.CareFocus) -> String {
        switch focus {
        case .sustainingLife: return "prioritise sustaining life"
        case .balanced: return "balance sustaining life and comfort"
        case .comfort: return "prioritise comfort"
        }
    }

    private static func describe(_ document: LegalDocument) -> String {
        switch document.status {
        case .unknown: return "not known"
        case .absent: return "none"
        case .present:
            let holder = document.holder.map { ", attorney \($0)" } ?? ""
            return "yes\(holder); copy: \(document.location ?? "location not recorded")"
        }
    }
}

extension EmergencySummary: CustomStringConvertible, CustomReflectable {
    /// The standing, the plan and version it came from and the number of contacts only, such as
    /// `EmergencySummary(current, plan: plan-1, version: 3, 2 contacts)` or `EmergencySummary(no active plan)`:
    /// everything else is about the person. Use ``text()`` to show the summary on purpose.
    public var description: String {
        let standingText: String
        switch standing {
        case .current: standingText = "current"
        case .outOfDate: standingText = "out of date"
        case .noActivePlan: return "EmergencySummary(no active plan)"
        }
        let sourceText = source.map { ", plan: \($0.plan), version: \($0.version)" } ?? ""
        let contactText = contacts.count == 1 ? "1 contact" : "\(contacts.count) contacts"
        return "EmergencySummary(\(standingText)\(sourceText), \(contactText))"
    }

    /// A mirror that shows the standing, the plan and version it came from and the counts only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "standing": standing, "plan": source?.plan as Any, "version": source?.version as Any,
                "activePlans": activePlans, "contactCount": contacts.count,
            ],
            displayStyle: .struct
        )
    }
}

extension EmergencySummary.Contact: CustomStringConvertible, CustomReflectable {
    /// Why the contact is listed only, such as `EmergencySummary.Contact(reason: emergency contact)`: the
    /// name, role and telephone number are personal data.
    public var description: String { "EmergencySummary.Contact(reason: \(reason))" }

    /// A mirror that shows why the contact is listed only.
    public var customMirror: Mirror { Mirror(self, children: ["reason": reason], displayStyle: .struct) }
}
