import CareCore
import Foundation
import Testing

/// Europe/London across the 2026 clock changes: 29 March (01:00 GMT becomes 02:00 BST at 01:00 UTC) and
/// 25 October (02:00 BST becomes 01:00 GMT at 01:00 UTC). Every expected value here is worked out from the
/// published rules, not read back from the code under test.
@Suite struct CivilTimeZoneTests {
    private func local(_ date: CivilDate, _ hour: Int, _ minute: Int, _ second: Int = 0) throws -> LocalDateTime {
        try LocalDateTime(date: date, hour: hour, minute: minute, second: second)
    }

    @Test func loadsLondonWithSummerTimeRules() throws {
        let zone = try london()
        #expect(zone.identifier == "Europe/London")
        #expect(zone.offset(at: try utc("2026-07-01T12:00:00Z")).description == "+01:00")
        #expect(zone.offset(at: try utc("2026-01-01T12:00:00Z")).description == "+00:00")
    }

    @Test func refusesAZoneTheDatabaseDoesNotHave() {
        expectCareCoreError(.timeZoneUnavailable) { try CivilTimeZone(identifier: "Europe/Atlantis") }
    }

    @Test func listsTheTransitionsOfEachYear() throws {
        let zone = try london()
        let span = DateInterval(start: try utc("2026-01-01T00:00:00Z"), end: try utc("2029-01-01T00:00:00Z"))
        let expected = try [
            "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2027-03-28T01:00:00Z", "2027-10-31T01:00:00Z",
            "2028-03-26T01:00:00Z", "2028-10-29T01:00:00Z",
        ].map { try utc($0) }
        #expect(zone.transitions(in: span) == expected)
    }

    struct ResolutionCase: Sendable, CustomTestStringConvertible {
        let label: String
        let month: Int
        let day: Int
        let hour: Int
        let minute: Int
        /// "unique:<utc>", "repeated:<utc>,<utc>" or "skipped:<transition utc>".
        let expected: String
        var testDescription: String { label }
    }

    @Test(arguments: [
        ResolutionCase(
            label: "last GMT second in March",
            month: 3,
            day: 29,
            hour: 0,
            minute: 59,
            expected: "unique:2026-03-29T00:59:00Z"
        ),
        ResolutionCase(
            label: "01:00 March skipped",
            month: 3,
            day: 29,
            hour: 1,
            minute: 0,
            expected: "skipped:2026-03-29T01:00:00Z"
        ),
        ResolutionCase(
            label: "01:30 March skipped",
            month: 3,
            day: 29,
            hour: 1,
            minute: 30,
            expected: "skipped:2026-03-29T01:00:00Z"
        ),
        ResolutionCase(
            label: "01:59 March skipped",
            month: 3,
            day: 29,
            hour: 1,
            minute: 59,
            expected: "skipped:2026-03-29T01:00:00Z"
        ),
        ResolutionCase(
            label: "02:00 March first BST",
            month: 3,
            day: 29,
            hour: 2,
            minute: 0,
            expected: "unique:2026-03-29T01:00:00Z"
        ),
        ResolutionCase(
            label: "09:00 March BST",
            month: 3,
            day: 29,
            hour: 9,
            minute: 0,
            expected: "unique:2026-03-29T08:00:00Z"
        ),
        ResolutionCase(
            label: "00:59 October BST",
            month: 10,
            day: 25,
            hour: 0,
            minute: 59,
            expected: "unique:2026-10-24T23:59:00Z"
        ),
        ResolutionCase(
            label: "01:00 October repeated",
            month: 10,
            day: 25,
            hour: 1,
            minute: 0,
            expected: "repeated:2026-10-25T00:00:00Z,2026-10-25T01:00:00Z"
        ),
        ResolutionCase(
            label: "01:30 October repeated",
            month: 10,
            day: 25,
            hour: 1,
            minute: 30,
            expected: "repeated:2026-10-25T00:30:00Z,2026-10-25T01:30:00Z"
        ),
        ResolutionCase(
            label: "01:59 October repeated",
            month: 10,
            day: 25,
            hour: 1,
            minute: 59,
            expected: "repeated:2026-10-25T00:59:00Z,2026-10-25T01:59:00Z"
        ),
        ResolutionCase(
            label: "02:00 October GMT",
            month: 10,
            day: 25,
            hour: 2,
            minute: 0,
            expected: "unique:2026-10-25T02:00:00Z"
        ),
        ResolutionCase(
            label: "midday in winter",
            month: 1,
            day: 15,
            hour: 12,
            minute: 0,
            expected: "unique:2026-01-15T12:00:00Z"
        ),
    ])
    func resolvesEveryKindOfLocalTime(_ testCase: ResolutionCase) throws {
        let zone = try london()
        let wall = try local(try day(2026, testCase.month, testCase.day), testCase.hour, testCase.minute)
        let parts = testCase.expected.split(separator: ":", maxSplits: 1).map(String.init)
        let moments = try parts[1].split(separator: ",").map { try utc(String($0)) }
        switch (zone.resolve(wall), parts[0]) {
        case (.unique(let moment), "unique"):
            #expect(moment == moments[0])
        case (.repeated(let earlier, let later), "repeated"):
            #expect(earlier == moments[0] && later == moments[1])
        case (.skipped(let transition, let gap), "skipped"):
            #expect(transition == moments[0] && gap == 3600)
        case (let other, _):
            Issue.record("resolved as \(other)")
        }
    }

    @Test func appliesTheCallersPolicyToSkippedTimes() throws {
        let zone = try london()
        let skipped = try local(try day(2026, 3, 29), 1, 30)
        expectCareCoreError(.nonexistentLocalTime) { try zone.date(for: skipped, policy: .strict) }
        let shifted = try zone.date(for: skipped, policy: LocalTimePolicy(skipped: .shiftForward, repeated: .reject))
        #expect(shifted == (try utc("2026-03-29T01:30:00Z")))  // 02:30 BST, what Foundation would do silently
        let moved = try zone.date(for: skipped, policy: LocalTimePolicy(skipped: .moveToTransition, repeated: .reject))
        #expect(moved == (try utc("2026-03-29T01:00:00Z")))  // 02:00 BST
    }

    @Test func appliesTheCallersPolicyToRepeatedTimes() throws {
        let zone = try london()
        let repeated = try local(try day(2026, 10, 25), 1, 30)
        expectCareCoreError(.ambiguousLocalTime) { try zone.date(for: repeated, policy: .strict) }
        let earlier = try zone.date(for: repeated, policy: LocalTimePolicy(skipped: .reject, repeated: .earlier))
        let later = try zone.date(for: repeated, policy: LocalTimePolicy(skipped: .reject, repeated: .later))
        #expect(earlier == (try utc("2026-10-25T00:30:00Z")))
        #expect(later == (try utc("2026-10-25T01:30:00Z")))
    }

    @Test func givesTheCivilDateAPersonInLondonWouldWrite() throws {
        let zone = try london()
        #expect(try zone.civilDate(at: try utc("2026-07-01T23:30:00Z")) == (try day(2026, 7, 2)))
        #expect(try zone.civilDate(at: try utc("2026-12-31T23:30:00Z")) == (try day(2026, 12, 31)))
        #expect(try zone.localDateTime(at: try utc("2026-03-29T00:59:59Z")).description == "2026-03-29T00:59:59")
        #expect(try zone.localDateTime(at: try utc("2026-03-29T01:00:00Z")).description == "2026-03-29T02:00:00")
        #expect(try zone.localDateTime(at: try utc("2026-10-25T00:30:00Z")).description == "2026-10-25T01:30:00")
        #expect(try zone.localDateTime(at: try utc("2026-10-25T01:30:00Z")).description == "2026-10-25T01:30:00")
        #expect(try zone.instant(at: try utc("2026-07-01T10:00:00Z")).description == "2026-07-01T11:00:00.000+01:00")
    }

    @Test func refusesMomentsOutsideTheSupportedYears() throws {
        let zone = try london()
        expectCareCoreError(.outOfRange) { try zone.civilDate(at: Date(timeIntervalSince1970: .nan)) }
        expectCareCoreError(.outOfRange) { try zone.civilDate(at: .distantPast) }
        expectCareCoreError(.outOfRange) { try zone.localDateTime(at: Date(timeIntervalSince1970: 1e19)) }
        expectCareCoreError(.outOfRange) {
            try zone.sameLocalTime(addingDays: .max, to: try utc("2026-01-01T00:00:00Z"), policy: .strict)
        }
    }

    @Test func neverWritesASkippedLocalTimeWhenRounding() throws {
        let zone = try london()
        // 00:59:59.6 GMT rounds to 01:00:00 UTC, which London writes as 02:00 BST.
        let instant = try zone.instant(at: try utc("2026-03-29T00:59:59.6Z"), fractionDigits: 0)
        #expect(instant.description == "2026-03-29T02:00:00+01:00")
    }

    @Test func resolvesTheSecondsAtEachEdgeOfTheGapAndTheOverlap() throws {
        let zone = try london()
        let march = try day(2026, 3, 29)
        let october = try day(2026, 10, 25)
        #expect(zone.resolve(try local(march, 0, 59, 59)) == .unique(try utc("2026-03-29T00:59:59Z")))
        if case .skipped = zone.resolve(try local(march, 1, 59, 59)) {
        } else {
            Issue.record("01:59:59 in March is skipped")
        }
        #expect(zone.resolve(try local(october, 0, 59, 59)) == .unique(try utc("2026-10-24T23:59:59Z")))
        #expect(
            zone.resolve(try local(october, 1, 59, 59))
                == .repeated(earlier: try utc("2026-10-25T00:59:59Z"), later: try utc("2026-10-25T01:59:59Z"))
        )
    }

    @Test func measuresTheLengthOfEachCivilDay() throws {
        let zone = try london()
        #expect(zone.interval(of: try day(2026, 3, 29)).duration == 23 * 3600)
        #expect(zone.interval(of: try day(2026, 10, 25)).duration == 25 * 3600)
        #expect(zone.interval(of: try day(2026, 3, 30)).duration == 24 * 3600)
        #expect(zone.startOfDay(try day(2026, 7, 1)) == (try utc("2026-06-30T23:00:00Z")))
    }

    /// The seed's day-before reminders: "the same time the day before" is not "24 hours before" across a change.
    @Test func findsTheSameWallClockTimeOnTheDayBefore() throws {
        let zone = try london()
        let policy = LocalTimePolicy(skipped: .shiftForward, repeated: .earlier)
        let march = try utc("2026-03-29T08:00:00Z")  // 09:00 BST
        #expect(try zone.sameLocalTime(addingDays: -1, to: march, policy: policy) == (try utc("2026-03-28T09:00:00Z")))
        #expect(march.addingTimeInterval(-86_400) == (try utc("2026-03-28T08:00:00Z")))
        let october = try utc("2026-10-25T09:00:00Z")  // 09:00 GMT
        #expect(
            try zone.sameLocalTime(addingDays: -1, to: october, policy: policy) == (try utc("2026-10-24T08:00:00Z"))
        )
    }

    @Test func reportsASameTimeReminderThatLandsInTheGap() throws {
        let zone = try london()
        let appointment = try utc("2026-03-30T00:30:00Z")  // 01:30 BST on 30 March; 01:30 on the 29th never happens
        expectCareCoreError(.nonexistentLocalTime) {
            try zone.sameLocalTime(addingDays: -1, to: appointment, policy: .strict)
        }
    }

    /// Every quarter hour of 2026: a unique time maps back to itself, a repeated one to itself from both moments,
    /// and exactly the four quarter hours from 01:00 on 29 March are skipped.
    @Test func resolutionIsTheInverseOfLocalTimeForAWholeYear() throws {
        let zone = try london()
        var skipped: [String] = []
        var repeated: [String] = []
        var date = try day(2026, 1, 1)
        while date.year == 2026 {
            for quarter in 0..<96 {
                let wall = try local(date, quarter / 4, quarter % 4 * 15)
                switch zone.resolve(wall) {
                case .unique(let moment):
                    #expect(try zone.localDateTime(at: moment) == wall)
                case .repeated(let earlier, let later):
                    #expect(try zone.localDateTime(at: earlier) == wall && zone.localDateTime(at: later) == wall)
                    #expect(later.timeIntervalSince(earlier) == 3600)
                    repeated.append(wall.description)
                case .skipped:
                    skipped.append(wall.description)
                }
            }
            date = date.adding(days: 1)
        }
        #expect(
            skipped == ["2026-03-29T01:00:00", "2026-03-29T01:15:00", "2026-03-29T01:30:00", "2026-03-29T01:45:00"]
        )
        #expect(
            repeated == ["2026-10-25T01:00:00", "2026-10-25T01:15:00", "2026-10-25T01:30:00", "2026-10-25T01:45:00"]
        )
    }

    @Test func rejectsWallClockTimesOutOfRange() throws {
        let date = try day(2026, 1, 1)
        expectCareCoreError(.outOfRange) { try LocalDateTime(date: date, hour: 24, minute: 0) }
        expectCareCoreError(.outOfRange) { try LocalDateTime(date: date, hour: 0, minute: 60) }
        expectCareCoreError(.outOfRange) { try LocalDateTime(date: date, hour: 0, minute: 0, second: 60) }
    }
}
