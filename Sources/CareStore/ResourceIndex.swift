public import CareCore
public import FHIREncoding
public import Foundation

/// What a store indexes of a resource for search: its identifiers, the references it makes, its date as a
/// range of time, and, for an active Appointment, the slots it holds.
///
/// The date comes from the first element present in a fixed list per type, so that a search by date
/// range means the same on every backend:
///
/// | Type | Elements, first present wins |
/// | --- | --- |
/// | Appointment, Slot | `start` to `end` |
/// | AuditEvent | `recorded` |
/// | Bundle | `timestamp` |
/// | CarePlan | `period`, `created` |
/// | Communication | `sent`, `received` |
/// | Consent | `dateTime` |
/// | Encounter, Flag | `period` |
/// | Goal | `startDate` |
/// | Observation | `effectiveDateTime`, `effectivePeriod`, `effectiveInstant`, `issued` |
/// | Patient | `birthDate` |
/// | RiskAssessment | `occurrenceDateTime`, `occurrencePeriod` |
/// | Schedule | `planningHorizon` |
///
/// A date without a time covers its whole Europe/London day (a month or a year, all of it); an instant is a
/// single moment; a period without an end is open. Other types have no date.
public struct ResourceIndex: Hashable, Sendable {
    /// The statuses in which an Appointment holds its slots (R4 appointmentstatus, less `cancelled`,
    /// `noshow` and `entered-in-error`).
    public static let activeAppointmentStatuses: Set<String> = [
        "proposed", "pending", "booked", "arrived", "fulfilled", "checked-in", "waitlist",
    ]

    /// The identifiers in `identifier`, as `system` and `value`, sorted and without repeats.
    public let identifiers: [StoreQuery.IdentifierToken]
    /// Every literal reference the resource makes, as `Type/id` (a version suffix removed), sorted and
    /// without repeats; contained (`#id`), `urn:` and absolute references are not indexed.
    public let references: [String]
    /// The resource's date as milliseconds since 1970 UTC, first and last inclusive; `nil` when it has none.
    public let dateRange: ClosedRange<Int64>?
    /// For an active Appointment, the ids of the slots it holds, sorted; empty otherwise.
    public let slots: [String]

    /// Extracts the index of a resource.
    ///
    /// - Parameters:
    ///   - resource: The resource.
    ///   - timeZone: The zone whose days a date without a time covers: Europe/London for the suite.
    public init(_ resource: FHIRResource, timeZone: CivilTimeZone) {
        let json = resource.json
        var identifiers: Set<StoreQuery.IdentifierToken> = []
        for element in json["identifier"]?.array ?? [] {
            if case .string(let system)? = element["system"], case .string(let value)? = element["value"] {
                identifiers.insert(StoreQuery.IdentifierToken(system: system, value: value))
            }
        }
        self.identifiers = identifiers.sorted { ($0.system, $0.value) < ($1.system, $1.value) }

        var references: Set<String> = []
        for member in json where member.key != "contained" {
            Self.collectReferences(member.value, into: &references)
        }
        self.references = references.sorted()

        var range: ClosedRange<Int64>?
        for element in Self.dateElements[resource.resourceType] ?? [] {
            if let found = Self.range(of: element, in: json, timeZone: timeZone) {
                range = found
                break
            }
        }
        dateRange = range

        if resource.resourceType == "Appointment", case .string(let status)? = json["status"],
            Self.activeAppointmentStatuses.contains(status)
        {
            var slots: Set<String> = []
            for element in json["slot"]?.array ?? [] {
                if case .string(let text)? = element["reference"], let target = Self.target(text),
                    target.hasPrefix("Slot/")
                {
                    slots.insert(String(target.dropFirst("Slot/".count)))
                }
            }
            self.slots = slots.sorted()
        } else {
            slots = []
        }
    }

    /// Whether the date overlaps a range of time.
    ///
    /// - Parameter dates: The range, its end excluded.
    /// - Returns: `true` when the resource has a date and some of it lies in the range.
    public func overlaps(_ dates: Range<Date>) -> Bool {
        guard let dateRange else { return false }
        let (from, to) = Self.bounds(dates)
        return dateRange.lowerBound < to && dateRange.upperBound >= from
    }

    /// A range of time as milliseconds since 1970, the end excluded: what a backend compares with
    /// ``dateRange``, whose bounds are both included.
    ///
    /// - Parameter dates: The range.
    /// - Returns: Its bounds in milliseconds.
    public static func bounds(_ dates: Range<Date>) -> (from: Int64, to: Int64) {
        (milliseconds(dates.lowerBound), milliseconds(dates.upperBound))
    }

    /// A moment as whole milliseconds since 1970, rounded down.
    static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard value.isFinite else { return value > 0 ? .max : .min }
        return Int64(exactly: value) ?? (value > 0 ? .max : .min)
    }

    // MARK: Extraction

    private static let dateElements: [String: [DateElement]] = [
        "Appointment": [.bounds(start: "start", end: "end")],
        "Slot": [.bounds(start: "start", end: "end")],
        "AuditEvent": [.moment("recorded")],
        "Bundle": [.moment("timestamp")],
        "CarePlan": [.period("period"), .moment("created")],
        "Communication": [.moment("sent"), .moment("received")],
        "Consent": [.moment("dateTime")],
        "Encounter": [.period("period")],
        "Flag": [.period("period")],
        "Goal": [.moment("startDate")],
        "Observation": [
            .moment("effectiveDateTime"), .period("effectivePeriod"), .moment("effectiveInstant"), .moment("issued"),
        ],
        "Patient": [.moment("birthDate")],
        "RiskAssessment": [.moment("occurrenceDateTime"), .period("occurrencePeriod")],
        "Schedule": [.period("planningHorizon")],
    ]

    private enum DateElement {
        /// A date, dateTime or instant element.
        case moment(String)
        /// A Period element.
        case period(String)
        /// Two elements of the resource that bound it.
        case bounds(start: String, end: String)
    }

    private static func range(
        of element: DateElement,
        in json: JSONObject,
        timeZone: CivilTimeZone
    )
        -> ClosedRange<Int64>?
    {
        func text(_ value: JSONValue?) -> String? {
            if case .string(let text)? = value { text } else { nil }
        }
        switch element {
        case .moment(let name):
            return text(json[name]).flatMap { span(of: $0, timeZone: timeZone) }
        case .period(let name):
            guard case .object(let period)? = json[name] else { return nil }
            return bounded(text(period["start"]), text(period["end"]), timeZone: timeZone)
        case .bounds(let start, let end):
            return bounded(text(json[start]), text(json[end]), timeZone: timeZone)
        }
    }

    /// The range from a start to an end, either of which may be missing (open).
    private static func bounded(_ start: String?, _ end: String?, timeZone: CivilTimeZone) -> ClosedRange<Int64>? {
        let first = start.flatMap { span(of: $0, timeZone: timeZone) }
        let last = end.flatMap { span(of: $0, timeZone: timeZone) }
        guard first != nil || last != nil else { return nil }
        let lower = first?.lowerBound ?? .min
        let upper = last?.upperBound ?? .max
        return lower <= upper ? lower...upper : lower...lower
    }

    /// The time a date, dateTime or instant covers: an instant is one millisecond; a date without a time its
    /// days in the zone.
    private static func span(of text: String, timeZone: CivilTimeZone) -> ClosedRange<Int64>? {
        guard let value = try? FHIRDateTime(parsing: text) else { return nil }
        if let instant = value.instant {
            let moment = milliseconds(instant.date)
            return moment...moment
        }
        let first = milliseconds(timeZone.interval(of: value.date.earliestDay).start)
        let last = milliseconds(timeZone.interval(of: value.date.latestDay).end) - 1
        return first...last
    }

    private static func collectReferences(_ value: JSONValue, into found: inout Set<String>) {
        switch value {
        case .object(let object):
            if case .string(let text)? = object["reference"], let target = target(text) { found.insert(target) }
            for member in object where member.key != "reference" { collectReferences(member.value, into: &found) }
        case .array(let elements):
            for element in elements { collectReferences(element, into: &found) }
        default: break
        }
    }

    /// `Type/id` from a relative literal reference, dropping a version; `nil` for any other form.
    static func target(_ text: String) -> String? {
        guard !text.hasPrefix("#"), !text.hasPrefix("urn:"), !text.contains("://") else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 || (parts.count == 4 && parts[2] == "_history"),
            let initial = parts[0].first, initial.isUppercase, EntityID<Never>(String(parts[1])) != nil
        else { return nil }
        return "\(parts[0])/\(parts[1])"
    }
}
