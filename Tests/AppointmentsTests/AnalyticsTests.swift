import CareCore
import Foundation
import Testing

@testable import Appointments

@Suite struct AnalyticsTests {
    @Test func labelsAgeBandsAtTheirEdges() throws {
        let bands = AgeBands.standard
        #expect(bands.label(for: 0) == "0-15")
        #expect(bands.label(for: 15) == "0-15")
        #expect(bands.label(for: 16) == "16-17")
        #expect(bands.label(for: 17) == "16-17")
        #expect(bands.label(for: 18) == "18-29")
        #expect(bands.label(for: 74) == "65-74")
        #expect(bands.label(for: 75) == "75+")
        #expect(bands.label(for: 104) == "75+")
        #expect(throws: AppointmentsError.self) { try AgeBands(lowerBounds: [5, 10]) }
        #expect(throws: AppointmentsError.self) { try AgeBands(lowerBounds: [0, 10, 10]) }
        #expect(try AgeBands(lowerBounds: [0, 65]).label(for: 64) == "0-64")
    }

    /// One clinic day with known outcomes: two attended, three missed, one cancelled, one slot left free and
    /// one unavailable.
    private func clinicDay() async throws -> AppointmentAnalytics {
        let clock = ManualWallClock(startingAt: try moment("2026-07-01T08:00:00+01:00"))
        let book = try await openBook(
            at: "2026-07-01T08:00:00+01:00",
            clock: clock,
            schedules: [schedule("gp-1"), schedule("nurse-1", service: "nurse")]
        )
        try await book.add([
            slot("a", at: "2026-07-07T09:00:00+01:00"),
            slot("b", at: "2026-07-07T09:15:00+01:00"),
            slot("c", at: "2026-07-07T09:30:00+01:00"),
            slot("d", at: "2026-07-07T09:45:00+01:00"),
            slot("v", at: "2026-07-07T10:00:00+01:00", channel: .video),
            slot("n", at: "2026-07-07T09:00:00+01:00", schedule: "nurse-1", service: "nurse"),
            try Slot(
                id: slotID("leave"),
                schedule: Schedule.ID(unchecked: "gp-1"),
                start: moment("2026-07-07T11:00:00+01:00"),
                end: moment("2026-07-07T11:15:00+01:00"),
                channel: .inPerson,
                serviceType: "gp-consultation",
                status: .busyUnavailable
            ),
        ])
        func take(_ who: String, _ slot: String, _ id: String) async throws {
            _ = try await book.book(patient: patient(who), slots: [slotID(slot)], id: appointmentID(id))
        }
        try await take("john", "a", "x1")
        try await take("sam", "n", "x5")
        clock.set(to: try moment("2026-07-03T08:00:00+01:00"))
        try await take("claire", "b", "x2")
        clock.set(to: try moment("2026-07-06T08:00:00+01:00"))
        try await take("lucy", "c", "x3")
        try await take("phil", "v", "x4")
        try await take("zoe", "d", "x6")
        _ = try await book.cancel(appointmentID("x6"), expectedVersion: 1, initiator: .patient, reason: "Better")
        clock.set(to: try moment("2026-07-07T08:55:00+01:00"))
        _ = try await book.move(appointmentID("x1"), expectedVersion: 1, to: .arrived)
        _ = try await book.move(appointmentID("x1"), expectedVersion: 2, to: .fulfilled)
        _ = try await book.move(appointmentID("x4"), expectedVersion: 1, to: .arrived)
        _ = try await book.move(appointmentID("x4"), expectedVersion: 2, to: .fulfilled)
        clock.set(to: try moment("2026-07-07T11:00:00+01:00"))
        #expect(try await book.sweep().noShows.map(\.id.rawValue) == ["x2", "x3", "x5"])
        return try AppointmentAnalytics(
            state: await book.state(),
            birthDates: [
                patient("john"): day("1950-05-01"),
                patient("claire"): day("1985-02-02"),
                patient("lucy"): day("2011-03-01"),
            ],
            zone: london()
        )
    }

    @Test func countsDidNotAttendByServiceClinicAgeBandAndChannel() async throws {
        let analytics = try await clinicDay()
        let report = analytics.attendance(
            from: try moment("2026-07-07T00:00:00+01:00"),
            to: try moment("2026-07-08T00:00:00+01:00")
        )
        #expect(report.overall == AttendanceCounts(attended: 2, didNotAttend: 3))
        #expect(report.overall.didNotAttendRate == 0.6)
        #expect(report.byService["gp-consultation"] == AttendanceCounts(attended: 2, didNotAttend: 2))
        #expect(report.byService["nurse"] == AttendanceCounts(attended: 0, didNotAttend: 1))
        #expect(report.byClinic[Schedule.ID(unchecked: "gp-1")] == AttendanceCounts(attended: 2, didNotAttend: 2))
        #expect(report.byChannel[.inPerson] == AttendanceCounts(attended: 1, didNotAttend: 3))
        #expect(report.byChannel[.video] == AttendanceCounts(attended: 1, didNotAttend: 0))
        #expect(
            report.byAgeBand == [
                "75+": AttendanceCounts(attended: 1, didNotAttend: 0),
                "30-44": AttendanceCounts(attended: 0, didNotAttend: 1),
                "0-15": AttendanceCounts(attended: 0, didNotAttend: 1),
                AgeBands.unknown: AttendanceCounts(attended: 1, didNotAttend: 1),
            ]
        )
        // A period that excludes the day counts nothing, and a rate with nothing due is nil.
        let empty = analytics.attendance(
            from: try moment("2026-07-08T00:00:00+01:00"),
            to: try moment("2026-07-09T00:00:00+01:00")
        )
        #expect(empty.overall.didNotAttendRate == nil)
    }

    @Test func measuresUtilisationAndLeadTimes() async throws {
        let analytics = try await clinicDay()
        let from = try moment("2026-07-07T00:00:00+01:00")
        let to = try moment("2026-07-08T00:00:00+01:00")
        let utilisation = analytics.utilisation(from: from, to: to)
        #expect(utilisation.overall == SlotUtilisation(available: 6, booked: 5))
        #expect(utilisation.byClinic[Schedule.ID(unchecked: "gp-1")] == SlotUtilisation(available: 5, booked: 4))
        #expect(utilisation.byClinic[Schedule.ID(unchecked: "nurse-1")]?.rate == 1)
        let leads = analytics.leadTimes(from: from, to: to)
        // Lucy 1d 1h30m (91,800 s), Zoe 1d 1h45m (92,700), Phil 1d 2h (93,600), Claire 4d 1h15m (350,100),
        // John and Sam 6d 1h (522,000): median (93,600 + 350,100) / 2, mean 1,672,200 / 6.
        #expect(leads.overall == LeadTimeSummary(count: 6, median: 221_850, percentile90: 522_000, mean: 278_700))
        #expect(
            leads.byService["nurse"] == LeadTimeSummary(count: 1, median: 522_000, percentile90: 522_000, mean: 522_000)
        )
        #expect(analytics.leadTimes(from: to, to: to.addingTimeInterval(86_400)).overall == nil)
    }
}
