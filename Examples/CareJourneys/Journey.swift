import CareCore
import Foundation

/// Where a journey's narrative goes: the `care-journey` executable prints each line; a test keeps them.
package typealias Narrator = @Sendable (String) -> Void

/// The strategy's four journeys, in the order `care-journey` runs them.
package enum JourneyName: String, CaseIterable, Hashable, Sendable {
    /// Claire, 68, heart failure: recognised across organisations, a care plan with ReSPECT, an emergency,
    /// discharge to her community team and a virtual ward.
    case claire
    /// John, 64, diabetes: a follow-up from his physician's diary, reminders, check-in, then video.
    case john
    /// Phil, 82, no digital access: phone and letter, his plan handed from consultant to GP.
    case phil
    /// Lucy, 15: her own access and her mother's, and a safeguarding note her mother must not see.
    case lucy
}

/// A journey step that did not turn out as the rules require: a defect in the suite, exit code 1.
package struct JourneyCheckFailure: Error, CustomStringConvertible {
    /// The journey.
    package let journey: JourneyName
    /// What was expected, in words that hold no patient data.
    package let reason: String

    /// Creates a failure.
    package init(_ journey: JourneyName, _ reason: String) {
        self.journey = journey
        self.reason = reason
    }

    /// `claire: <reason>`.
    package var description: String { "\(journey.rawValue): \(reason)" }
}

/// What every journey reports besides its narrative: who it was about and whether an earlier run had
/// already walked it.
package struct JourneySummary: Hashable, Sendable {
    /// The journey.
    package let journey: JourneyName
    /// The person's records in the shared patient index, the first being the one the modules key on.
    package let records: [String]
    /// Whether the person and their records were found from an earlier run, so nothing was written.
    package let foundEarlierRun: Bool
}

/// Shared wording and checks.
enum Journey {
    /// The practice every journey's GP belongs to: an illustrative code in the Cornwall range, not a real
    /// practice.
    static let practice = "L82999"
    /// Royal Cornwall Hospitals NHS Trust's organisation code.
    static let hospital = "REF"
    /// South Western Ambulance Service NHS Foundation Trust's organisation code.
    static let ambulanceTrust = "RYF"
    /// Cornwall Partnership NHS Foundation Trust's organisation code: the community teams.
    static let communityTrust = "RJ8"
    /// The service-type code system the journeys' diaries use.
    static let serviceTypes = "https://integratedcarekit.example/fhir/CodeSystem/service-type"

    /// Throws a check failure unless `condition` holds.
    static func check(_ condition: Bool, _ journey: JourneyName, _ reason: String) throws(JourneyCheckFailure) {
        if !condition { throw JourneyCheckFailure(journey, reason) }
    }

    /// A moment as London wall-clock time with its zone abbreviation, to the minute: `Mon 2026-10-26 09:00 GMT`.
    static func stamp(_ moment: Date, in london: CivilTimeZone) throws -> String {
        let text = try london.instant(at: moment, fractionDigits: 0).description
        let local = try london.localDateTime(at: moment)
        let zone = text.suffix(6) == "+00:00" ? "GMT" : "BST"
        return
            "\(local.date.weekday.name.prefix(3)) \(text.prefix(16).replacingOccurrences(of: "T", with: " ")) \(zone)"
    }

    /// A fixed-width column.
    static func column(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}
