import CareCore
import Foundation
import Testing

@testable import CarePlans

@Suite struct VirtualWardTests {
    private func referral() throws -> VirtualWardEnrolment {
        let hour = Duration.seconds(3_600)
        return try VirtualWardEnrolment(
            id: VirtualWardEnrolment.ID(unchecked: "stay-1"),
            patient: CarePlan.PatientID(unchecked: "claire"),
            plan: CarePlan.ID(unchecked: "plan-1"),
            ward: "Heart failure virtual ward",
            entryCriteria: ["Heart failure exacerbation confirmed", "Able to use the monitoring kit"],
            exitCriteria: ["Weight stable for 3 days"],
            monitoring: try MonitoringSchedule([
                MonitoringRequirement(kind: .bodyWeight, frequency: .every(hour * 24)),
                MonitoringRequirement(kind: .oxygenSaturation, frequency: .every(hour * 8)),
            ])
        )
    }

    @Test func enrolsOnlyWhenEveryEntryCriterionIsMet() throws {
        var stay = try referral()
        let now = try moment("2026-07-06T09:00:00+01:00")
        try stay.record(.entry, 0, met: true)
        do {
            try stay.enrol(at: now)
            Issue.record("enrolled with a criterion unjudged")
        } catch {
            #expect(error.code == .invalidTransition && error.field.description == "virtualWard.entryCriteria[1]")
        }
        #expect(code { try stay.record(.entry, 5, met: true) } == .notFound)
        try stay.record(.entry, 1, met: true)
        try stay.enrol(at: now)
        #expect(stay.status == .enrolled && stay.enrolledAt == now)
        #expect(code { try stay.enrol(at: now) } == .invalidTransition)
    }

    @Test func dischargesOnExitCriteriaOrAStatedReason() throws {
        var stay = try referral()
        let now = try moment("2026-07-06T09:00:00+01:00")
        #expect(code { try stay.discharge(at: now, reason: .patientChoice) } == .invalidTransition)
        try stay.record(.entry, 0, met: true)
        try stay.record(.entry, 1, met: true)
        try stay.enrol(at: now)
        #expect(code { try stay.discharge(at: now, reason: .exitCriteriaMet) } == .invalidTransition)
        var admitted = stay
        try admitted.discharge(at: now, reason: .admittedToHospital)
        #expect(admitted.status == .discharged && admitted.discharge?.reason == .admittedToHospital)
        #expect(code { try admitted.record(.exit, 0, met: true) } == .invalidTransition)
        try stay.record(.exit, 0, met: true)
        try stay.discharge(at: now, reason: .exitCriteriaMet)
        #expect(stay.status == .discharged)
    }

    @Test func reportsOverdueObservationsOnlyWhileOnTheWard() throws {
        var stay = try referral()
        let now = try moment("2026-07-06T20:00:00+01:00")
        let lastTaken: [ObservationKind: Date] = [
            .bodyWeight: now.addingTimeInterval(-3_600), .oxygenSaturation: now.addingTimeInterval(-9 * 3_600),
        ]
        #expect(stay.overdueObservations(lastTaken: lastTaken, at: now).isEmpty)
        try stay.record(.entry, 0, met: true)
        try stay.record(.entry, 1, met: true)
        try stay.enrol(at: now.addingTimeInterval(-86_400))
        #expect(stay.overdueObservations(lastTaken: lastTaken, at: now) == [.oxygenSaturation])
        #expect(throws: CarePlansError.self) {
            _ = try VirtualWardEnrolment(
                id: VirtualWardEnrolment.ID(unchecked: "x"),
                patient: CarePlan.PatientID(unchecked: "claire"),
                plan: nil,
                ward: "Ward",
                entryCriteria: [],
                exitCriteria: ["Done"],
                monitoring: stay.monitoring
            )
        }
    }
}
