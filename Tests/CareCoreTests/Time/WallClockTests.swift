import CareCore
import Foundation
import Testing

@Suite struct WallClockTests {
    @Test func fixedClockAlwaysSaysTheSameMoment() throws {
        let moment = try utc("2026-11-25T09:00:00Z")
        let clock: any WallClock = FixedWallClock(moment)
        #expect(clock.now() == moment)
        #expect(clock.now() == moment)
    }

    @Test func manualClockMovesOnlyWhenTold() throws {
        let clock = ManualWallClock(startingAt: try utc("2026-03-29T00:30:00Z"))
        clock.advance(by: .seconds(3600))
        #expect(clock.now() == (try utc("2026-03-29T01:30:00Z")))
        clock.advance(by: .milliseconds(-500))
        #expect(clock.now() == (try utc("2026-03-29T01:29:59.5Z")))
        clock.set(to: try utc("2026-10-25T01:00:00Z"))
        #expect(clock.now() == (try utc("2026-10-25T01:00:00Z")))
    }

    @Test func manualClockIsSafeToShareBetweenTasks() async throws {
        let clock = ManualWallClock(startingAt: Date(timeIntervalSince1970: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    for _ in 0..<10 { clock.advance(by: .seconds(1)) }
                }
            }
        }
        #expect(clock.now() == Date(timeIntervalSince1970: 1_000))
    }

    @Test func systemClockReadsTheOperatingSystem() {
        let before = Date()
        let now = SystemWallClock().now()
        #expect(now >= before && now.timeIntervalSince(before) < 60)
    }
}

@Suite struct PeriodTests {
    @Test func rejectsAPeriodThatEndsBeforeItStarts() throws {
        expectCareCoreError(.inconsistent) {
            try Period(start: FHIRDateTime(parsing: "2026-03-02"), end: FHIRDateTime(parsing: "2026-03-01"))
        }
        expectCareCoreError(.inconsistent) {
            try Period(
                start: FHIRDateTime(parsing: "2026-03-01T10:00:00Z"),
                end: FHIRDateTime(parsing: "2026-03-01T10:30:00+01:00")
            )
        }
    }

    @Test func comparesAnInstantEndByWhereItCouldFallAnywhere() throws {
        // 20:00 on 1 March at UTC-5 is 01:00 GMT on 2 March: a valid end for a period starting 2 March.
        #expect(throws: Never.self) {
            try Period(
                start: FHIRDateTime(parsing: "2026-03-02"),
                end: FHIRDateTime(parsing: "2026-03-01T20:00:00-05:00")
            )
        }
        expectCareCoreError(.inconsistent) {
            try Period(
                start: FHIRDateTime(parsing: "2026-03-03"),
                end: FHIRDateTime(parsing: "2026-03-01T20:00:00-05:00")
            )
        }
    }

    @Test func acceptsPartialEndsThatCouldBeInOrder() throws {
        #expect(throws: Never.self) {
            try Period(start: FHIRDateTime(parsing: "2026-03-15"), end: FHIRDateTime(parsing: "2026-03"))
        }
        #expect(throws: Never.self) {
            try Period(
                start: FHIRDateTime(parsing: "2026-03-01T10:00:00Z"),
                end: FHIRDateTime(parsing: "2026-03-01T11:00:00+01:00")
            )
        }
    }

    @Test func containsWholeCivilDaysAtDateOnlyEnds() throws {
        let zone = try london()
        let period = try Period(start: FHIRDateTime(parsing: "2026-06-01"), end: FHIRDateTime(parsing: "2026-06-30"))
        #expect(!period.contains(try utc("2026-05-31T22:59:59Z"), in: zone))
        #expect(period.contains(try utc("2026-05-31T23:00:00Z"), in: zone))  // midnight BST on 1 June
        #expect(period.contains(try utc("2026-06-30T22:59:59Z"), in: zone))
        #expect(!period.contains(try utc("2026-06-30T23:00:00Z"), in: zone))
        let open = try Period(start: FHIRDateTime(parsing: "2026"))
        #expect(open.isOngoing)
        #expect(open.contains(try utc("2099-01-01T00:00:00Z"), in: zone))
    }

    @Test func codesAndChecksOnTheWayIn() throws {
        let period = try Period(
            start: FHIRDateTime(parsing: "2020"),
            end: FHIRDateTime(parsing: "2026-03-29T09:00:00+01:00")
        )
        let json = try JSONEncoder().encode(period)
        #expect(try JSONDecoder().decode(Period.self, from: json) == period)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Period.self, from: Data(#"{"start":"2026","end":"2025"}"#.utf8))
        }
    }
}
