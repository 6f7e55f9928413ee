public import CareCore
import Foundation

/// A recurring clinic: weekly sessions of equal slots, with the days it does not run.
///
/// FHIR R4 has no recurrence element, so a template is turned into concrete ``Slot``s with
/// ``slots(from:through:in:makeID:)``.
///
/// ```swift
/// let template = try ClinicTemplate(
///     schedule: diabetesClinic.id,
///     serviceType: "diabetes-review",
///     sessions: [
///         .init(weekday: .tuesday, start: TimeOfDay(hour: 9, minute: 0), end: TimeOfDay(hour: 12, minute: 0),
///               slotMinutes: 15, channel: .inPerson),
///     ],
///     holidays: BankHolidayCalendar(.englandAndWales)
/// )
/// ```
public struct ClinicTemplate: Hashable, Sendable {
    /// One weekly session.
    public struct Session: Hashable, Sendable {
        /// The day of the week it runs.
        public let weekday: Weekday
        /// When the first slot starts, Europe/London wall-clock time.
        public let start: TimeOfDay
        /// When the session ends; the last slot ends at or before it.
        public let end: TimeOfDay
        /// The length of each slot, in minutes.
        public let slotMinutes: Int
        /// How the session's slots are delivered.
        public let channel: DeliveryChannel

        /// Creates a session.
        ///
        /// - Parameters:
        ///   - weekday: The day it runs.
        ///   - start: When it starts.
        ///   - end: When it ends; after `start` on the same day.
        ///   - slotMinutes: The slot length, 1 to 480 minutes.
        ///   - channel: The delivery channel.
        /// - Throws: ``AppointmentsError`` with code `invalidValue` for an empty session or a bad length.
        public init(
            weekday: Weekday,
            start: TimeOfDay,
            end: TimeOfDay,
            slotMinutes: Int,
            channel: DeliveryChannel
        ) throws(AppointmentsError) {
            guard end.secondsSinceMidnight > start.secondsSinceMidnight else {
                throw AppointmentsError(
                    .invalidValue,
                    field: FieldPath("session.end"),
                    reason: "a session must end after it starts, on the same day"
                )
            }
            guard (1...480).contains(slotMinutes) else {
                throw AppointmentsError(
                    .invalidValue,
                    field: FieldPath("session.slotMinutes"),
                    reason: "a slot must be 1 to 480 minutes long"
                )
            }
            self.weekday = weekday
            self.start = start
            self.end = end
            self.slotMinutes = slotMinutes
            self.channel = channel
        }
    }

    /// The schedule the slots belong to.
    public let schedule: Schedule.ID
    /// The service the slots are for.
    public let serviceType: String
    /// The weekly sessions.
    public let sessions: [Session]
    /// The bank holidays on which the clinic does not run.
    public var holidays: BankHolidayCalendar?
    /// Other days it does not run: leave, training days, one-off closures.
    public var closedDays: Set<CivilDate>
    /// The first day the template applies, if it has one.
    public var validFrom: CivilDate?
    /// The last day the template applies, if it has one.
    public var validThrough: CivilDate?

    /// Creates a template.
    ///
    /// - Parameters:
    ///   - schedule: The schedule the slots belong to.
    ///   - serviceType: The service the slots are for.
    ///   - sessions: The weekly sessions.
    ///   - holidays: The bank holidays on which it does not run; `nil` to run on them.
    ///   - closedDays: Other days it does not run.
    ///   - validFrom: The first day it applies.
    ///   - validThrough: The last day it applies.
    public init(
        schedule: Schedule.ID,
        serviceType: String,
        sessions: [Session],
        holidays: BankHolidayCalendar?,
        closedDays: Set<CivilDate> = [],
        validFrom: CivilDate? = nil,
        validThrough: CivilDate? = nil
    ) {
        self.schedule = schedule
        self.serviceType = serviceType
        self.sessions = sessions
        self.holidays = holidays
        self.closedDays = closedDays
        self.validFrom = validFrom
        self.validThrough = validThrough
    }

    /// Whether the clinic runs at all on a day.
    ///
    /// - Parameter date: The day.
    /// - Returns: `false` on closed days, bank holidays and days outside the template's validity.
    public func runs(on date: CivilDate) -> Bool {
        if let validFrom, date < validFrom { return false }
        if let validThrough, validThrough < date { return false }
        if closedDays.contains(date) { return false }
        if let holidays, holidays.isHoliday(date) { return false }
        return true
    }

    /// The slots the template makes for a range of days, in Europe/London wall-clock time.
    ///
    /// Across the clocks changing, a slot whose start time does not exist that day (01:00–01:59 on the last
    /// Sunday in March) is not made, and a start time that happens twice (01:00–01:59 on the last Sunday in
    /// October) makes one slot, at its first occurrence. Each slot lasts its length in real time, so it never
    /// runs into the next one.
    ///
    /// - Parameters:
    ///   - first: The first day.
    ///   - last: The last day, inclusive.
    ///   - zone: The zone the sessions' times are in; Europe/London.
    ///   - makeID: Makes each slot's id; inject a seeded generator for repeatable ids.
    /// - Returns: The slots, in order of start.
    /// - Throws: Only what `makeID` throws.
    public func slots<Failure: Error>(
        from first: CivilDate,
        through last: CivilDate,
        in zone: CivilTimeZone,
        makeID: () throws(Failure) -> Slot.ID
    ) throws(Failure) -> [Slot] {
        var slots: [Slot] = []
        var day = first
        while day <= last {
            defer { day = day.adding(days: 1) }
            guard runs(on: day) else { continue }
            for session in sessions where session.weekday == day.weekday {
                var seconds = session.start.secondsSinceMidnight
                let length = session.slotMinutes * 60
                while seconds + length <= session.end.secondsSinceMidnight {
                    defer { seconds += length }
                    guard
                        let local = try? LocalDateTime(
                            date: day,
                            hour: seconds / 3600,
                            minute: seconds / 60 % 60,
                            second: seconds % 60
                        )
                    else { continue }
                    let start: Date
                    switch zone.resolve(local) {
                    case .unique(let moment): start = moment
                    case .repeated(let earlier, _): start = earlier
                    case .skipped: continue
                    }
                    if let slot = try? Slot(
                        id: makeID(),
                        schedule: schedule,
                        start: start,
                        end: start.addingTimeInterval(TimeInterval(length)),
                        channel: session.channel,
                        serviceType: serviceType
                    ) {
                        slots.append(slot)
                    }
                }
            }
        }
        return slots.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }
}
