public import CareCore
public import Foundation

/// A period each day when a person does not want messages, in Europe/London wall-clock time; it may cross
/// midnight (21:00 to 08:00).
public struct QuietHours: Hashable, Sendable {
    /// When the quiet period starts.
    public let start: TimeOfDay
    /// When it ends.
    public let end: TimeOfDay

    /// Creates quiet hours.
    ///
    /// - Parameters:
    ///   - start: When the quiet period starts.
    ///   - end: When it ends; before `start` for a period that crosses midnight.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` when start and end are the same.
    public init(start: TimeOfDay, end: TimeOfDay) throws(AppointmentsError) {
        guard start.secondsSinceMidnight != end.secondsSinceMidnight else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("quietHours"),
                reason: "quiet hours must start and end at different times"
            )
        }
        self.start = start
        self.end = end
    }

    /// Whether a wall-clock time of day falls in the quiet period (start included, end excluded).
    func contains(secondsSinceMidnight seconds: Int) -> Bool {
        let from = start.secondsSinceMidnight
        let to = end.secondsSinceMidnight
        return from < to ? (from..<to).contains(seconds) : seconds >= from || seconds < to
    }
}

/// One planned reminder.
public struct Reminder: Hashable, Sendable {
    /// Which reminder it is.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// The day before the appointment.
        case dayBefore = "day-before"
        /// One hour before the appointment.
        case hourBefore = "hour-before"
    }

    /// Which reminder it is.
    public let kind: Kind
    /// When to send it.
    public let sendAt: Date
    /// How to send it.
    public let channel: CommunicationChannel
    /// Whether quiet hours moved it.
    public let movedForQuietHours: Bool
}

extension Reminder {
    /// Restores a planned reminder as a store or a FHIR mapping recorded it. New reminders come from
    /// ``ReminderPlanner``.
    ///
    /// - Parameters:
    ///   - kind: Which reminder it is.
    ///   - sendAt: When to send it.
    ///   - channel: How to send it.
    ///   - movedForQuietHours: Whether quiet hours moved it.
    public init(restoring kind: Kind, sendAt: Date, channel: CommunicationChannel, movedForQuietHours: Bool) {
        self.init(kind: kind, sendAt: sendAt, channel: channel, movedForQuietHours: movedForQuietHours)
    }
}

/// Plans an appointment's reminders: the day before and one hour before.
///
/// The rules, which a service should state to patients:
/// - **The day before** is the same wall-clock time on the previous day in Europe/London, not 24 hours
///   earlier: for a 09:00 appointment on Sunday 29 March 2026 (BST), the reminder goes at 09:00 GMT on
///   Saturday 28 March, 23 hours before. If that time does not exist on the previous day (the clocks went
///   forward), it moves forward by the gap; if it happens twice, the first occurrence is used.
/// - **One hour before** is the appointment's moment minus 3,600 seconds, whatever the clocks do.
/// - **The channel** is the first of the person's channels in order (`CommunicationPreferences` in CareCore),
///   so a person who does not use digital services gets a phone call or letter; the hour-before reminder is
///   not sent by letter, which could not arrive in time.
/// - **Quiet hours**: a reminder that falls in them moves to the end of the quiet period if that is still
///   before the appointment, otherwise to one minute before the quiet period began.
/// - **Past reminders**: a reminder whose moment has passed when the plan is made is dropped, not sent late.
///
/// Re-plan after an amendment or reschedule and withdraw the plan on cancellation; the plan is a pure
/// function of the appointment, the preferences and "now", so doing so is a call to ``plan(for:now:)``.
public struct ReminderPlanner: Sendable {
    /// The person's communication preferences.
    public let preferences: CommunicationPreferences
    /// The person's quiet hours, if any.
    public let quietHours: QuietHours?
    /// The zone wall-clock rules are read in: Europe/London.
    public let zone: CivilTimeZone

    /// Creates a planner.
    ///
    /// - Parameters:
    ///   - preferences: The person's communication preferences.
    ///   - quietHours: The person's quiet hours.
    ///   - zone: Europe/London.
    public init(preferences: CommunicationPreferences, quietHours: QuietHours?, zone: CivilTimeZone) {
        self.preferences = preferences
        self.quietHours = quietHours
        self.zone = zone
    }

    /// The reminders for an appointment, in order of sending; none for an appointment that is not booked.
    ///
    /// - Parameters:
    ///   - appointment: The appointment.
    ///   - now: When the plan is made.
    /// - Returns: The reminders still to send.
    public func plan(for appointment: Appointment, now: Date) -> [Reminder] {
        guard appointment.status == .booked || appointment.status == .pending else { return [] }
        return plan(start: appointment.start, now: now)
    }

    /// The reminders for an appointment starting at a moment.
    ///
    /// - Parameters:
    ///   - start: When the appointment starts.
    ///   - now: When the plan is made.
    /// - Returns: The reminders still to send, in order.
    public func plan(start: Date, now: Date) -> [Reminder] {
        var reminders: [Reminder] = []
        let channels = preferences.channelsInOrder()
        let dayBeforePolicy = LocalTimePolicy(skipped: .shiftForward, repeated: .earlier)
        if let dayBefore = try? zone.sameLocalTime(addingDays: -1, to: start, policy: dayBeforePolicy),
            let channel = channels.first
        {
            reminders.append(contentsOf: settle(.dayBefore, at: dayBefore, channel: channel, start: start, now: now))
        }
        if let channel = channels.first(where: { $0 != .letter }) {
            reminders.append(
                contentsOf: settle(
                    .hourBefore,
                    at: start.addingTimeInterval(-3_600),
                    channel: channel,
                    start: start,
                    now: now
                )
            )
        }
        return reminders.sorted { $0.sendAt < $1.sendAt }
    }

    private func settle(
        _ kind: Reminder.Kind,
        at moment: Date,
        channel: CommunicationChannel,
        start: Date,
        now: Date
    ) -> [Reminder] {
        var sendAt = moment
        var moved = false
        if let quietHours, let local = try? zone.localDateTime(at: moment),
            quietHours.contains(secondsSinceMidnight: local.secondsSinceMidnight)
        {
            moved = true
            let (quietStart, quietEnd) = quietPeriod(around: local, quietHours)
            if let quietEnd, quietEnd < start {
                sendAt = quietEnd
            } else if let quietStart {
                sendAt = quietStart.addingTimeInterval(-60)
            } else {
                return []
            }
        }
        guard sendAt > now, sendAt < start else { return [] }
        return [Reminder(kind: kind, sendAt: sendAt, channel: channel, movedForQuietHours: moved)]
    }

    /// The moments the quiet period containing a local time starts and ends.
    private func quietPeriod(around local: LocalDateTime, _ quiet: QuietHours) -> (start: Date?, end: Date?) {
        let seconds = local.secondsSinceMidnight
        let crossesMidnight = quiet.start.secondsSinceMidnight > quiet.end.secondsSinceMidnight
        // The day the period started and the day it ends.
        let startDay =
            crossesMidnight && seconds < quiet.end.secondsSinceMidnight ? local.date.adding(days: -1) : local.date
        let endDay = crossesMidnight ? startDay.adding(days: 1) : startDay
        let policy = LocalTimePolicy(skipped: .shiftForward, repeated: .earlier)
        func moment(_ day: CivilDate, _ time: TimeOfDay) -> Date? {
            guard let local = try? LocalDateTime(date: day, hour: time.hour, minute: time.minute, second: time.second)
            else { return nil }
            return try? zone.date(for: local, policy: policy)
        }
        return (moment(startDay, quiet.start), moment(endDay, quiet.end))
    }
}
