public import CareCore
public import Foundation

/// How many due appointments were attended and how many were missed.
public struct AttendanceCounts: Hashable, Sendable {
    /// Appointments the patient came to: arrived, checked in or fulfilled.
    public internal(set) var attended: Int = 0
    /// Appointments marked `noshow`.
    public internal(set) var didNotAttend: Int = 0

    /// The did-not-attend rate, missed over attended plus missed; `nil` when there were none.
    public var didNotAttendRate: Double? {
        let due = attended + didNotAttend
        return due == 0 ? nil : Double(didNotAttend) / Double(due)
    }
}

/// Age bands for reporting, by the lower bound of each band in whole years.
public struct AgeBands: Hashable, Sendable {
    /// The lower bounds, ascending, starting at 0.
    public let lowerBounds: [Int]

    /// The bands used in NHS outpatient reporting: 0–15, 16–17, 18–29, 30–44, 45–64, 65–74 and 75+.
    public static let standard = AgeBands(validated: [0, 16, 18, 30, 45, 65, 75])

    /// The label of patients whose date of birth is not known.
    public static let unknown = "unknown"

    /// Creates bands.
    ///
    /// - Parameter lowerBounds: The lower bounds, strictly ascending, the first 0.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` otherwise.
    public init(lowerBounds: [Int]) throws(AppointmentsError) {
        guard lowerBounds.first == 0, zip(lowerBounds, lowerBounds.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("ageBands"),
                reason: "age bands must start at 0 and rise strictly"
            )
        }
        self.lowerBounds = lowerBounds
    }

    private init(validated lowerBounds: [Int]) { self.lowerBounds = lowerBounds }

    /// The label of the band an age falls in: "18-29", or "75+" for the last.
    ///
    /// - Parameter age: An age in whole years.
    /// - Returns: The band's label.
    public func label(for age: Int) -> String {
        guard let index = lowerBounds.lastIndex(where: { $0 <= age }) else { return "\(lowerBounds[0])" }
        return index == lowerBounds.count - 1
            ? "\(lowerBounds[index])+" : "\(lowerBounds[index])-\(lowerBounds[index + 1] - 1)"
    }
}

/// Who missed appointments: the did-not-attend rate overall and by service, clinic, age band and channel.
public struct AttendanceReport: Hashable, Sendable {
    /// Every due appointment in the period.
    public let overall: AttendanceCounts
    /// By service type.
    public let byService: [String: AttendanceCounts]
    /// By clinic (schedule).
    public let byClinic: [Schedule.ID: AttendanceCounts]
    /// By age band on the day, with ``AgeBands/unknown`` for patients whose date of birth is not known.
    public let byAgeBand: [String: AttendanceCounts]
    /// By delivery channel.
    public let byChannel: [DeliveryChannel: AttendanceCounts]
}

/// How much of the offered capacity was booked.
public struct SlotUtilisation: Hashable, Sendable {
    /// Slots that could be booked: all but those unavailable or entered in error.
    public internal(set) var available: Int = 0
    /// Of those, slots holding an appointment or busy elsewhere.
    public internal(set) var booked: Int = 0

    /// Booked over available; `nil` when none were available.
    public var rate: Double? { available == 0 ? nil : Double(booked) / Double(available) }
}

/// Slot utilisation overall and by clinic.
public struct UtilisationReport: Hashable, Sendable {
    /// Every slot in the period.
    public let overall: SlotUtilisation
    /// By clinic (schedule).
    public let byClinic: [Schedule.ID: SlotUtilisation]
}

/// Booking lead times overall and by service.
public struct LeadTimeReport: Hashable, Sendable {
    /// Every appointment in the period; `nil` when there were none.
    public let overall: LeadTimeSummary?
    /// By service type.
    public let byService: [String: LeadTimeSummary]
}

/// How long ahead appointments were booked, from booking to start.
public struct LeadTimeSummary: Hashable, Sendable {
    /// The appointments counted.
    public let count: Int
    /// The median lead time.
    public let median: TimeInterval
    /// The 90th percentile (nearest rank).
    public let percentile90: TimeInterval
    /// The mean.
    public let mean: TimeInterval
}

/// Reports over a book's appointments and slots, for the strategy's "identify trends around missed
/// appointments": did-not-attend rates, slot utilisation and booking lead times.
///
/// Periods select appointments and slots by start, from `from` up to but not including `to`. An appointment
/// is due when it was attended (arrived, checked in, fulfilled) or missed (`noshow`); cancelled, future and
/// entered-in-error appointments are not counted in attendance.
///
/// ```swift
/// let analytics = AppointmentAnalytics(state: await book.state(), birthDates: birthDates, zone: london)
/// let report = analytics.attendance(from: startOfQuarter, to: endOfQuarter)
/// print(report.byAgeBand["18-29"]?.didNotAttendRate ?? 0)
/// ```
public struct AppointmentAnalytics: Sendable {
    /// The book's records.
    public let state: AppointmentBookState
    /// Patients' dates of birth, where known.
    public let birthDates: [Appointment.PatientID: CivilDate]
    /// The age bands.
    public let ageBands: AgeBands
    /// The zone ages are reckoned in: Europe/London.
    public let zone: CivilTimeZone

    /// Creates reports over a book's records.
    ///
    /// - Parameters:
    ///   - state: The book's records, from ``AppointmentBook/state()``.
    ///   - birthDates: Patients' dates of birth, where known.
    ///   - ageBands: The age bands.
    ///   - zone: Europe/London.
    public init(
        state: AppointmentBookState,
        birthDates: [Appointment.PatientID: CivilDate] = [:],
        ageBands: AgeBands = .standard,
        zone: CivilTimeZone
    ) {
        self.state = state
        self.birthDates = birthDates
        self.ageBands = ageBands
        self.zone = zone
    }

    /// Attendance in a period.
    ///
    /// - Parameters:
    ///   - from: The earliest start counted.
    ///   - to: The end of the period, not included.
    /// - Returns: The did-not-attend counts and rates.
    public func attendance(from: Date, to: Date) -> AttendanceReport {
        var overall = AttendanceCounts()
        var byService: [String: AttendanceCounts] = [:]
        var byClinic: [Schedule.ID: AttendanceCounts] = [:]
        var byAgeBand: [String: AttendanceCounts] = [:]
        var byChannel: [DeliveryChannel: AttendanceCounts] = [:]
        for appointment in state.appointments where appointment.start >= from && appointment.start < to {
            let missed: Bool
            switch appointment.status {
            case .arrived, .checkedIn, .fulfilled: missed = false
            case .noshow: missed = true
            default: continue
            }
            func count(_ counts: inout AttendanceCounts) {
                if missed { counts.didNotAttend += 1 } else { counts.attended += 1 }
            }
            count(&overall)
            count(&byService[appointment.serviceType, default: AttendanceCounts()])
            count(&byClinic[appointment.schedule, default: AttendanceCounts()])
            count(&byChannel[appointment.channel, default: AttendanceCounts()])
            count(&byAgeBand[ageBand(of: appointment), default: AttendanceCounts()])
        }
        return AttendanceReport(
            overall: overall,
            byService: byService,
            byClinic: byClinic,
            byAgeBand: byAgeBand,
            byChannel: byChannel
        )
    }

    /// Slot utilisation in a period, overall and by clinic.
    ///
    /// - Parameters:
    ///   - from: The earliest slot start counted.
    ///   - to: The end of the period, not included.
    /// - Returns: The overall figure and one per clinic.
    public func utilisation(from: Date, to: Date) -> UtilisationReport {
        var overall = SlotUtilisation()
        var byClinic: [Schedule.ID: SlotUtilisation] = [:]
        for slot in state.slots where slot.start >= from && slot.start < to {
            let booked: Bool
            switch slot.status {
            case .free: booked = slot.bookedCount > 0
            case .busy, .busyTentative: booked = true
            case .busyUnavailable, .enteredInError: continue
            }
            overall.available += 1
            byClinic[slot.schedule, default: SlotUtilisation()].available += 1
            if booked {
                overall.booked += 1
                byClinic[slot.schedule, default: SlotUtilisation()].booked += 1
            }
        }
        return UtilisationReport(overall: overall, byClinic: byClinic)
    }

    /// Booking lead times of appointments starting in a period, overall and by service; entered-in-error
    /// appointments are left out.
    ///
    /// - Parameters:
    ///   - from: The earliest start counted.
    ///   - to: The end of the period, not included.
    /// - Returns: The overall summary and one per service.
    public func leadTimes(from: Date, to: Date) -> LeadTimeReport {
        var all: [TimeInterval] = []
        var byService: [String: [TimeInterval]] = [:]
        for appointment in state.appointments
        where appointment.start >= from && appointment.start < to && appointment.status != .enteredInError {
            let lead = max(0, appointment.start.timeIntervalSince(appointment.created))
            all.append(lead)
            byService[appointment.serviceType, default: []].append(lead)
        }
        return LeadTimeReport(overall: Self.summary(all), byService: byService.compactMapValues(Self.summary))
    }

    private func ageBand(of appointment: Appointment) -> String {
        guard let birthDate = birthDates[appointment.patient], let day = try? zone.civilDate(at: appointment.start)
        else { return AgeBands.unknown }
        return ageBands.label(for: birthDate.age(on: day))
    }

    private static func summary(_ values: [TimeInterval]) -> LeadTimeSummary? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func rank(_ fraction: Double) -> TimeInterval {
            sorted[max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
        }
        let median =
            sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        return LeadTimeSummary(
            count: sorted.count,
            median: median,
            percentile90: rank(0.9),
            mean: sorted.reduce(0, +) / Double(sorted.count)
        )
    }
}
