import CareCore
import Foundation
import Testing

@testable import TriageScoring

func wardPatient(_ text: String) -> RemoteMonitor.PatientID { RemoteMonitor.PatientID(unchecked: text) }

let fourHourly = Result { () throws(CareCoreError) in
    try MonitoringSchedule([
        MonitoringRequirement(kind: .oxygenSaturation, frequency: .every(.seconds(4 * 3600))),
        MonitoringRequirement(kind: .heartRate, frequency: .every(.seconds(4 * 3600))),
    ])
}

func newWard(
    rules: EscalationRules = .standard,
    scale: SpO2Scale = .scale1,
    baseline: Int? = 1
) throws -> RemoteMonitor {
    var ward = try RemoteMonitor(rules: rules)
    try ward.enrol(
        wardPatient("VW-1"),
        scale: scale,
        schedule: try fourHourly.get(),
        baseline: baseline,
        at: minutes(0)
    )
    return ward
}

func raisedReasons(_ events: [MonitorEvent]) -> [String] {
    events.compactMap { event in
        if case .raised(let alert) = event { return "\(alert.severity): \(alert.reason)" }
        return nil
    }
}

@Suite("RemoteMonitor escalation rules")
struct RemoteMonitorRuleTests {
    @Test("NEWS2 5 is urgent, 7 an emergency, 4 nothing")
    func aggregate() throws {
        var ward = try newWard(baseline: 4)
        let four = varied {
            $0.pulse = 115
            $0.respirationRate = 22
        }
        #expect(raisedReasons(try ward.record(wardPatient("VW-1"), four, at: minutes(1))).isEmpty)
        #expect(raisedReasons(try ward.record(wardPatient("VW-1"), mediumSet, at: minutes(2))) == ["urgent: NEWS2 5"])
        let high = raisedReasons(try ward.record(wardPatient("VW-1"), highSet, at: minutes(3)))
        #expect(
            high == [
                "emergency: NEWS2 7", "review: NEWS2 7, up from a baseline of 4",
                "urgent: 3 in a single parameter (systolic blood pressure)",
            ]
        )
    }

    @Test("a rise of 2 over the baseline needs review; a rise of 1 does not")
    func rise() throws {
        var ward = try newWard(baseline: 0)
        #expect(raisedReasons(try ward.record(wardPatient("VW-1"), varied { $0.pulse = 95 }, at: minutes(1))).isEmpty)
        let two = raisedReasons(try ward.record(wardPatient("VW-1"), varied { $0.pulse = 115 }, at: minutes(2)))
        #expect(two == ["review: NEWS2 2, up from a baseline of 0"])
    }

    @Test("without a baseline, the first complete set becomes it")
    func firstSetIsBaseline() throws {
        var ward = try newWard(baseline: nil)
        #expect(raisedReasons(try ward.record(wardPatient("VW-1"), varied { $0.pulse = 95 }, at: minutes(1))).isEmpty)
        let rise = raisedReasons(try ward.record(wardPatient("VW-1"), varied { $0.pulse = 125 }, at: minutes(2)))
        #expect(rise.isEmpty)
        let three = raisedReasons(
            try ward.record(
                wardPatient("VW-1"),
                varied {
                    $0.pulse = 125
                    $0.temperature = 38.5
                },
                at: minutes(3)
            )
        )
        #expect(three == ["review: NEWS2 3, up from a baseline of 1"])
    }

    @Test("a single 3 is urgent even in an incomplete set, which is reported and not scored")
    func incompleteSingleThree() throws {
        var ward = try newWard()
        let events = try ward.record(
            wardPatient("VW-1"),
            NEWS2Observations(respirationRate: 26, pulse: 80),
            at: minutes(1)
        )
        #expect(
            events.first
                == .incompleteSet(
                    wardPatient("VW-1"),
                    missing: [.oxygenSaturation, .airOrOxygen, .systolicBloodPressure, .consciousness, .temperature]
                )
        )
        #expect(
            raisedReasons(events) == [
                "review: NEWS2 at least 3, up from a baseline of 1",
                "urgent: 3 in a single parameter (respiration rate)",
            ]
        )
        #expect(ward.latestScore(of: wardPatient("VW-1")) == nil)
    }

    /// One saturation case: scale, value and the severity expected (nil for none).
    struct SaturationCase: Sendable, CustomTestStringConvertible {
        let scale2: Bool
        let saturation: Double
        let severity: AlertSeverity?
        var testDescription: String {
            "\(scale2 ? "Scale 2" : "Scale 1") \(saturation)% → \(severity?.description ?? "none")"
        }
    }

    @Test(
        "saturation below target is scale-aware: ≤92% urgent and 93–94% review on Scale 1, below 88% urgent on Scale 2",
        arguments: [
            SaturationCase(scale2: false, saturation: 92, severity: .urgent),
            SaturationCase(scale2: false, saturation: 92.5, severity: .review),
            SaturationCase(scale2: false, saturation: 93, severity: .review),
            SaturationCase(scale2: false, saturation: 94, severity: .review),
            SaturationCase(scale2: false, saturation: 95, severity: nil),
            SaturationCase(scale2: true, saturation: 87, severity: .urgent),
            SaturationCase(scale2: true, saturation: 87.9, severity: .urgent),
            SaturationCase(scale2: true, saturation: 88, severity: nil),
            SaturationCase(scale2: true, saturation: 90, severity: nil),
        ]
    )
    func saturation(_ saturationCase: SaturationCase) throws {
        let scale: SpO2Scale = saturationCase.scale2 ? .scale2(try scale2Prescription.get()) : .scale1
        var ward = try newWard(scale: scale)
        let events = try ward.record(
            wardPatient("VW-1"),
            NEWS2Observations(oxygenSaturation: saturationCase.saturation, pulse: 80),
            at: minutes(1)
        )
        let saturationAlerts = events.compactMap { event -> AlertSeverity? in
            guard case .raised(let alert) = event, case .saturationBelowTarget = alert.reason else { return nil }
            return alert.severity
        }
        #expect(saturationAlerts == (saturationCase.severity.map { [$0] } ?? []))
    }

    @Test("an incomplete set whose observed parameters already reach 7 is an emergency")
    func incompleteAggregate() throws {
        var ward = try newWard(baseline: 0)
        var set = varied {
            $0.respirationRate = 22
            $0.airOrOxygen = .oxygen
            $0.systolicBloodPressure = 95
            $0.pulse = 125
        }
        set.temperature = nil
        let reasons = raisedReasons(try ward.record(wardPatient("VW-1"), set, at: minutes(1)))
        #expect(reasons.contains("emergency: NEWS2 at least 8 (incomplete set)"))
        #expect(reasons.contains("review: NEWS2 at least 8, up from a baseline of 0"))
        #expect(ward.latestScore(of: wardPatient("VW-1")) == nil)
    }

    @Test("a new red parameter raises its own alert while another's is open")
    func newRedParameter() throws {
        var ward = try newWard(baseline: 20)
        let first = raisedReasons(
            try ward.record(wardPatient("VW-1"), NEWS2Observations(respirationRate: 26), at: minutes(1))
        )
        #expect(first == ["urgent: 3 in a single parameter (respiration rate)"])
        let second = raisedReasons(
            try ward.record(
                wardPatient("VW-1"),
                NEWS2Observations(respirationRate: 26, consciousness: .newConfusion),
                at: minutes(2)
            )
        )
        #expect(
            second == ["urgent: NEWS2 at least 6 (incomplete set)", "urgent: 3 in a single parameter (consciousness)"]
        )
    }

    @Test("thresholds are checked when the monitor is made")
    func thresholdChecks() {
        let bad: [EscalationRules] = [
            EscalationRules(emergencyAggregate: 5, urgentAggregate: 7),
            EscalationRules(urgentAggregate: 21),
            EscalationRules(riseOverBaseline: 0),
            EscalationRules(scale1UrgentAtOrBelow: .nan),
            EscalationRules(scale1UrgentAtOrBelow: 94, scale1ReviewAtOrBelow: 92),
            EscalationRules(scale2UrgentBelow: 101),
            EscalationRules(acknowledgementMinutes: (60, 15, 10_081)),
        ]
        for rules in bad {
            #expect(throws: TriageScoringError.self) { try RemoteMonitor(rules: rules) }
        }
    }

    @Test("an identifier shaped like an NHS number is refused")
    func nhsNumberShape() throws {
        var ward = try RemoteMonitor()
        let error = try #require(throws: TriageScoringError.self) {
            try ward.enrol(wardPatient("9434765919"), schedule: try fourHourly.get(), at: minutes(0))
        }
        #expect(error.code == .invalidValue)
        #expect(!error.description.contains("9434765919"))
    }

    @Test("the patient's own scale is used, whatever scale the set carries")
    func ownScale() throws {
        var ward = try newWard(scale: .scale2(try scale2Prescription.get()))
        var set = normalSet
        set.oxygenSaturation = 90
        #expect(raisedReasons(try ward.record(wardPatient("VW-1"), set, at: minutes(1))).isEmpty)
        #expect(ward.latestScore(of: wardPatient("VW-1"))?.scale.isScale2 == true)
    }

    @Test("rules can be turned off")
    func rulesOff() throws {
        let quiet = EscalationRules(
            emergencyAggregate: nil,
            urgentAggregate: nil,
            anySingleThree: false,
            riseOverBaseline: nil,
            scale1UrgentAtOrBelow: nil,
            scale1ReviewAtOrBelow: nil
        )
        var ward = try newWard(rules: quiet)
        #expect(try ward.record(wardPatient("VW-1"), highSet, at: minutes(1)).isEmpty)
        #expect(throws: TriageScoringError.self) { try RemoteMonitor(rules: EscalationRules(escalationChain: [])) }
        #expect(throws: TriageScoringError.self) {
            try RemoteMonitor(rules: EscalationRules(acknowledgementMinutes: (60, 0, 5)))
        }
    }
}

@Suite("RemoteMonitor acknowledgement, escalation and overdue observations")
struct RemoteMonitorEscalationTests {
    @Test("a repeated trigger counts an occurrence instead of a duplicate alert")
    func noDuplicates() throws {
        var ward = try newWard(baseline: 5)
        _ = try ward.record(wardPatient("VW-1"), mediumSet, at: minutes(1))
        #expect(try ward.record(wardPatient("VW-1"), mediumSet, at: minutes(2)).isEmpty)
        let alert = try #require(ward.openAlerts.first)
        #expect(alert.occurrences == 2)
        #expect(ward.openAlerts.count == 1)
    }

    @Test("an unacknowledged alert escalates along the chain; acknowledging stops it")
    func escalation() throws {
        var ward = try newWard(baseline: 5)
        _ = try ward.record(wardPatient("VW-1"), mediumSet, at: minutes(0))
        let alert = try #require(ward.openAlerts.first)
        #expect(alert.severity == .urgent)
        #expect(try ward.check(at: minutes(14)).isEmpty)
        let first = try ward.check(at: minutes(15))
        guard case .escalated(let escalated, let recipient) = try #require(first.first) else {
            Issue.record("expected an escalation")
            return
        }
        #expect(escalated.level == 1)
        #expect(recipient == "virtual-ward clinician")
        #expect(try ward.check(at: minutes(29)).isEmpty)
        let second = try ward.check(at: minutes(30))
        #expect(second.count == 1)
        #expect(second.first?.description.hasSuffix("to on-call consultant") == true)
        try ward.acknowledge(alert.id, by: "vw-consultant", at: minutes(31))
        #expect(ward.openAlerts.isEmpty)
        #expect(try ward.check(at: minutes(60)).isEmpty)
        let again = try #require(throws: TriageScoringError.self) {
            try ward.acknowledge(alert.id, by: "vw-consultant", at: minutes(61))
        }
        #expect(again.code == .notPermitted)
        let unknown = try #require(throws: TriageScoringError.self) {
            try ward.acknowledge(99, by: "x", at: minutes(61))
        }
        #expect(unknown.code == .notFound)
        #expect(ward.alert(alert.id)?.acknowledgement?.by == "vw-consultant")
    }

    @Test("after acknowledgement the same rule raises a new alert")
    func newAlertAfterAcknowledgement() throws {
        var ward = try newWard(baseline: 5)
        _ = try ward.record(wardPatient("VW-1"), mediumSet, at: minutes(0))
        let first = try #require(ward.openAlerts.first)
        try ward.acknowledge(first.id, by: "vw-nurse", at: minutes(1))
        #expect(raisedReasons(try ward.record(wardPatient("VW-1"), mediumSet, at: minutes(2))) == ["urgent: NEWS2 5"])
    }

    @Test("an overdue observation is itself an alert, measured from enrolment or the last reading")
    func overdue() throws {
        var ward = try newWard()
        #expect(try ward.check(at: minutes(240)).isEmpty)
        let overdue = try ward.check(at: minutes(241))
        #expect(raisedReasons(overdue) == ["review: Heart rate overdue", "review: Oxygen saturation overdue"])
        #expect(raisedReasons(try ward.check(at: minutes(242))).isEmpty)
        _ = try ward.record(wardPatient("VW-1"), NEWS2Observations(oxygenSaturation: 97, pulse: 70), at: minutes(250))
        #expect(raisedReasons(try ward.check(at: minutes(300))).isEmpty)
    }

    @Test("an acknowledged overdue alert is raised again only after another interval; other kinds can be noted")
    func overdueAgain() throws {
        var ward = try RemoteMonitor()
        let schedule = try MonitoringSchedule([
            MonitoringRequirement(kind: .bloodGlucose, frequency: .every(.seconds(3600)))
        ])
        try ward.enrol(wardPatient("VW-4"), schedule: schedule, at: minutes(0))
        let first = try ward.check(at: minutes(61))
        #expect(raisedReasons(first) == ["review: Blood glucose overdue"])
        let alert = try #require(ward.openAlerts.first)
        try ward.acknowledge(alert.id, by: "vw-nurse", at: minutes(62))
        #expect(raisedReasons(try ward.check(at: minutes(121))).isEmpty)
        #expect(raisedReasons(try ward.check(at: minutes(122))) == ["review: Blood glucose overdue"])
        let second = try #require(ward.openAlerts.first)
        try ward.acknowledge(second.id, by: "vw-nurse", at: minutes(123))
        try ward.recordTaken(wardPatient("VW-4"), [.bloodGlucose], at: minutes(124))
        #expect(raisedReasons(try ward.check(at: minutes(184))).isEmpty)
    }

    @Test("a medium NEWS2 response tightens the schedule to hourly")
    func tightened() throws {
        var ward = try newWard(baseline: 5)
        _ = try ward.record(wardPatient("VW-1"), mediumSet, at: minutes(0))
        let events = try ward.check(at: minutes(61))
        #expect(raisedReasons(events) == ["review: Heart rate overdue", "review: Oxygen saturation overdue"])
    }

    @Test("a gap in continuous data is overdue; a high response holds the NEWS2 observations to that gap")
    func continuousGaps() throws {
        var ward = try RemoteMonitor()
        let continuous = try MonitoringSchedule([
            MonitoringRequirement(kind: .oxygenSaturation, frequency: .continuous),
            MonitoringRequirement(kind: .heartRate, frequency: .every(.seconds(4 * 3600))),
        ])
        try ward.enrol(wardPatient("VW-2"), schedule: continuous, baseline: 7, at: minutes(0))
        #expect(try ward.check(at: minutes(15)).isEmpty)
        #expect(raisedReasons(try ward.check(at: minutes(16))) == ["review: Oxygen saturation overdue"])
        _ = try ward.record(wardPatient("VW-2"), highSet, at: minutes(20))
        #expect(raisedReasons(try ward.check(at: minutes(36))) == ["review: Heart rate overdue"])
        var unchecked = try RemoteMonitor(rules: EscalationRules(continuousGapMinutes: nil))
        try unchecked.enrol(wardPatient("VW-3"), schedule: continuous, at: minutes(0))
        #expect(try unchecked.check(at: minutes(100)).isEmpty)
        #expect(throws: TriageScoringError.self) { try RemoteMonitor(rules: EscalationRules(continuousGapMinutes: 0)) }
    }

    @Test("enrolment, discharge and time are checked")
    func lifecycle() throws {
        var ward = try newWard()
        let duplicate = try #require(throws: TriageScoringError.self) {
            try ward.enrol(wardPatient("VW-1"), schedule: try fourHourly.get(), at: minutes(1))
        }
        #expect(duplicate.code == .duplicate)
        #expect(throws: TriageScoringError.self) {
            try ward.enrol(wardPatient("VW-2"), schedule: try fourHourly.get(), baseline: 21, at: minutes(1))
        }
        _ = try ward.record(wardPatient("VW-1"), mediumSet, at: minutes(5))
        let backwards = try #require(throws: TriageScoringError.self) { try ward.check(at: minutes(4)) }
        #expect(backwards.code == .outOfOrder)
        let impossible = try #require(throws: TriageScoringError.self) {
            try ward.record(wardPatient("VW-1"), NEWS2Observations(oxygenSaturation: 120), at: minutes(6))
        }
        #expect(impossible.code == .impossibleValue)
        try ward.discharge(wardPatient("VW-1"), by: "vw-consultant", at: minutes(7))
        #expect(ward.openAlerts.isEmpty)
        #expect(ward.patients.isEmpty)
        let gone = try #require(throws: TriageScoringError.self) {
            try ward.record(wardPatient("VW-1"), mediumSet, at: minutes(8))
        }
        #expect(gone.code == .notFound)
    }
}
