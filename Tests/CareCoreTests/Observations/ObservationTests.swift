import CareCore
import Foundation
import Testing

@Suite struct ObservationKindTests {
    @Test func carriesTheStandardCodesAndUnits() {
        #expect(ObservationKind.respiratoryRate.code.code == "9279-1")
        #expect(ObservationKind.oxygenSaturation.code.code == "2708-6")
        #expect(ObservationKind.systolicBloodPressure.code.code == "8480-6")
        #expect(ObservationKind.heartRate.code.code == "8867-4")
        #expect(ObservationKind.bodyTemperature.code.code == "8310-5")
        #expect(ObservationKind.bodyTemperature.unit == .degreesCelsius)
        #expect(ObservationKind.consciousness.code.system == .snomedCT)
        #expect(ObservationKind.consciousness.unit == nil)
        #expect(ObservationKind.news2Score.code.code == "1104051000000101")
    }

    @Test func listsTheSevenNEWS2ParametersWithDistinctKeys() {
        #expect(ObservationKind.news2Parameters.count == 7)
        #expect(Set(ObservationKind.news2Parameters).count == 7)
    }

    @Test func kindsAreEqualByKey() throws {
        let custom = try ObservationKind(
            key: "heart-rate",
            display: "Pulse",
            code: try Coding(system: .loinc, code: "8867-4"),
            unit: .perMinute
        )
        #expect(custom == .heartRate)
        #expect(Set([custom, .heartRate]).count == 1)
    }

    @Test func aBuiltInKeyCannotBeRedefined() throws {
        let fahrenheit = try UCUMUnit(code: "[degF]")
        expectCareCoreError(.inconsistent) {
            try ObservationKind(
                key: "body-temperature",
                display: "Temp",
                code: ObservationKind.bodyTemperature.code,
                unit: fahrenheit
            )
        }
        expectCareCoreError(.inconsistent) {
            try ObservationKind(
                key: "oxygen-saturation",
                display: "SpO2",
                code: try Coding(system: .loinc, code: "59408-5"),
                unit: .percent
            )
        }
        expectCareCoreError(.invalidFormat) {
            try ObservationKind(key: "", display: "Nothing", code: ObservationKind.heartRate.code, unit: nil)
        }
        let peakFlow = try ObservationKind(
            key: "peak-flow",
            display: "Peak expiratory flow",
            code: try Coding(system: .loinc, code: "19935-6"),
            unit: .litresPerMinute
        )
        #expect(try JSONDecoder().decode(ObservationKind.self, from: JSONEncoder().encode(peakFlow)) == peakFlow)
        let redefined =
            #"{"key":"body-temperature","display":"T","code":{"system":"http://loinc.org","code":"8310-5"},"unit":"[degF]"}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ObservationKind.self, from: Data(redefined.utf8))
        }
        #expect(ObservationKind.builtIn.count == Set(ObservationKind.builtIn).count)
    }
}

@Suite struct MonitoringScheduleTests {
    private let hour = Duration.seconds(3600)

    @Test func givesTheShorterEndOfARangeAsTheMaximumInterval() {
        #expect(MonitoringFrequency.everyBetween(hour * 6, hour * 4).maximumInterval == hour * 4)
        #expect(MonitoringFrequency.every(hour * 12).maximumInterval == hour * 12)
        #expect(MonitoringFrequency.continuous.maximumInterval == nil)
        #expect(MonitoringFrequency.everyBetween(hour * 6, hour * 4).description == "every 4h–6h")
        #expect(MonitoringFrequency.every(.seconds(90)).description == "every 90s")
        #expect(MonitoringFrequency.every(.seconds(900)).description == "every 15min")
    }

    @Test func rejectsRepeatedKindsAndEmptyIntervals() {
        expectCareCoreError(.inconsistent) {
            try MonitoringSchedule([
                MonitoringRequirement(kind: .heartRate, frequency: .every(hour)),
                MonitoringRequirement(kind: .heartRate, frequency: .continuous),
            ])
        }
        expectCareCoreError(.outOfRange) {
            try MonitoringSchedule([MonitoringRequirement(kind: .heartRate, frequency: .every(.zero))])
        }
        expectCareCoreError(.outOfRange) {
            try MonitoringSchedule([
                MonitoringRequirement(kind: .heartRate, frequency: .everyBetween(hour, .seconds(-1)))
            ])
        }
    }

    @Test func flagsNeverTakenAndLateObservationsAsOverdue() throws {
        let schedule = try MonitoringSchedule([
            MonitoringRequirement(kind: .oxygenSaturation, frequency: .everyBetween(hour * 4, hour * 6)),
            MonitoringRequirement(kind: .heartRate, frequency: .every(hour)),
            MonitoringRequirement(kind: .bodyTemperature, frequency: .every(hour * 12)),
            MonitoringRequirement(kind: .respiratoryRate, frequency: .continuous),
        ])
        let now = try utc("2026-11-25T12:00:00Z")
        let lastTaken: [ObservationKind: Date] = [
            .oxygenSaturation: try utc("2026-11-25T07:59:59Z"),  // due 11:59:59, overdue
            .heartRate: try utc("2026-11-25T11:00:00Z"),  // due exactly now, not yet overdue
        ]
        #expect(schedule.overdue(lastTaken: lastTaken, at: now) == [.bodyTemperature, .oxygenSaturation])
        let due = schedule.dueTimes(lastTaken: lastTaken)
        #expect(due.map(\.kind) == [.bodyTemperature, .oxygenSaturation, .heartRate])
        #expect(due[0].due == nil)
        #expect(due[2].due == now)
        #expect(schedule.requirement(for: .respiratoryRate)?.frequency == .continuous)
        #expect(schedule.requirement(for: .bodyWeight) == nil)
    }
}
