import CareCore
import Foundation
import Testing

@Suite struct InstantTests {
    @Test(arguments: [
        "2026-03-29T01:00:00Z",
        "2026-03-29T02:30:00+01:00",
        "2026-10-25T01:30:00+00:00",
        "2026-10-25T01:30:00-00:00",
        "2026-01-01T00:00:00.5Z",
        "2026-01-01T00:00:00.500Z",
        "2026-01-01T00:00:00.123456789012Z",
        "2016-12-31T23:59:60Z",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-13:59",
        "2026-01-01T00:00:00-14:00",
    ])
    func printsExactlyWhatWasParsed(_ text: String) throws {
        #expect(try Instant(parsing: text).description == text)
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let text: String
        let code: CareCoreError.Code
        var testDescription: String { text }
    }

    @Test(arguments: [
        InvalidCase(text: "2026-03-29", code: .invalidFormat),
        InvalidCase(text: "2026-03-29T09:00:00", code: .invalidFormat),
        InvalidCase(text: "2026-03-29T09:00Z", code: .invalidFormat),
        InvalidCase(text: "2026-03-29T24:00:00Z", code: .outOfRange),
        InvalidCase(text: "2026-03-29T09:60:00Z", code: .outOfRange),
        InvalidCase(text: "2026-03-29T09:00:61Z", code: .outOfRange),
        InvalidCase(text: "2026-03-29T09:00:00.Z", code: .invalidFormat),
        InvalidCase(text: "2026-03-29T09:00:00+14:01", code: .outOfRange),
        InvalidCase(text: "2026-03-29T09:00:00+15:00", code: .outOfRange),
        InvalidCase(text: "2026-03-29T09:00:00+01:60", code: .outOfRange),
        InvalidCase(text: "2026-03-29T09:00:00+0100", code: .invalidFormat),
        InvalidCase(text: "2026-03-29t09:00:00Z", code: .invalidFormat),
        InvalidCase(text: "2026-03-29T09:00:00z", code: .invalidFormat),
        InvalidCase(text: "2026-02-30T09:00:00Z", code: .outOfRange),
    ])
    func rejectsIncompleteOrImpossibleInstants(_ invalid: InvalidCase) {
        expectCareCoreError(invalid.code) { try Instant(parsing: invalid.text) }
    }

    @Test func knowsTheMomentWhateverTheOffset() throws {
        let summer = try Instant(parsing: "2026-03-29T02:30:00+01:00")
        let utc = try Instant(parsing: "2026-03-29T01:30:00Z")
        #expect(summer != utc)
        #expect(summer.isSameMoment(as: utc))
        #expect(summer.secondsSinceUnixEpoch == 1_774_747_800)
        #expect(summer.date == utc.date)
    }

    @Test func ordersByMomentThenByText() throws {
        let texts = [
            "2026-03-29T02:30:00+01:00", "2026-03-29T01:30:00Z", "2026-03-29T01:29:59.999Z",
            "2026-03-29T01:30:00.000Z", "2026-03-29T01:30:00.001Z",
        ]
        let sorted = try texts.map { try Instant(parsing: $0) }.sorted().map(\.description)
        #expect(
            sorted == [
                "2026-03-29T01:29:59.999Z", "2026-03-29T01:30:00.000Z", "2026-03-29T01:30:00Z",
                "2026-03-29T02:30:00+01:00", "2026-03-29T01:30:00.001Z",
            ]
        )
        #expect(
            try Instant(parsing: "2026-01-01T00:00:00.5Z").isSameMoment(
                as: Instant(parsing: "2026-01-01T00:00:00.500Z")
            )
        )
    }

    @Test func treatsALeapSecondAsTheStartOfTheNextMinute() throws {
        let leap = try Instant(parsing: "2016-12-31T23:59:60Z")
        let next = try Instant(parsing: "2017-01-01T00:00:00Z")
        #expect(leap.secondsSinceUnixEpoch == next.secondsSinceUnixEpoch)
    }

    @Test func writesADateInUTCWithTheChosenPrecision() throws {
        let moment = Date(timeIntervalSince1970: 1_774_747_800.123_456)
        #expect(try Instant(moment).description == "2026-03-29T01:30:00.123Z")
        #expect(try Instant(moment, fractionDigits: 0).description == "2026-03-29T01:30:00Z")
        #expect(try Instant(moment, fractionDigits: 6).description == "2026-03-29T01:30:00.123456Z")
        #expect(try Instant(Date(timeIntervalSince1970: -0.25)).description == "1969-12-31T23:59:59.750Z")
        #expect(try Instant(Date(timeIntervalSince1970: 59.9996)).description == "1970-01-01T00:01:00.000Z")
        let bst = try UTCOffset(minutes: 60)
        #expect(try Instant(moment, offset: bst, fractionDigits: 0).description == "2026-03-29T02:30:00+01:00")
        expectCareCoreError(.outOfRange) { try Instant(moment, fractionDigits: 10) }
        expectCareCoreError(.outOfRange) { try Instant(Date(timeIntervalSince1970: 4e11)) }
        expectCareCoreError(.outOfRange) { try UTCOffset(minutes: 841) }
        expectCareCoreError(.outOfRange) { try UTCOffset(minutes: -841) }
        #expect(try UTCOffset(minutes: -840).description == "-14:00")
        #expect(try TimeOfDay(hour: 9, minute: 5, second: 7, fraction: "250").description == "09:05:07.250")
        expectCareCoreError(.invalidFormat) { try TimeOfDay(hour: 9, minute: 5, fraction: "2a") }
        expectCareCoreError(.outOfRange) { try TimeOfDay(hour: 24, minute: 0) }
    }

    @Test func writesEveryPrecisionAcrossTheWholeRangeWithoutOverflow() throws {
        let extremes: [Double] = [-62_135_596_800, -1e10, -0.000_000_001, 0, 1e10, 253_402_300_799.4]
        for seconds in extremes {
            for digits in 0...9 {
                let instant = try Instant(Date(timeIntervalSince1970: seconds), fractionDigits: digits)
                #expect(instant.time.fraction.count == digits)
                #expect(abs(instant.date.timeIntervalSince1970 - seconds) <= 1)
            }
        }
        expectCareCoreError(.outOfRange) { try Instant(Date(timeIntervalSince1970: .nan)) }
        expectCareCoreError(.outOfRange) { try Instant(Date(timeIntervalSince1970: .infinity), fractionDigits: 9) }
        expectCareCoreError(.outOfRange) { try Instant(Date(timeIntervalSince1970: 253_402_300_800)) }
    }

    @Test func roundsTiesUpwardInTimeOnBothSidesOf1970() throws {
        #expect(try Instant(Date(timeIntervalSince1970: 0.5), fractionDigits: 0).description == "1970-01-01T00:00:01Z")
        #expect(try Instant(Date(timeIntervalSince1970: -0.5), fractionDigits: 0).description == "1970-01-01T00:00:00Z")
    }

    @Test func roundTripsThroughDate() throws {
        var generator = SeededRandomNumberGenerator(seed: 11)
        for _ in 0..<1_000 {
            let seconds = Double(Int64.random(in: -60_000_000_000...250_000_000_000, using: &generator))
            let instant = try Instant(Date(timeIntervalSince1970: seconds), fractionDigits: 0)
            #expect(Double(instant.secondsSinceUnixEpoch) == seconds)
            #expect(try Instant(parsing: instant.description) == instant)
        }
    }

    @Test func codesAsItsTextForm() throws {
        let instant = try Instant(parsing: "2026-10-25T01:30:00.250+01:00")
        let json = try JSONEncoder().encode([instant])
        #expect(String(decoding: json, as: UTF8.self) == #"["2026-10-25T01:30:00.250+01:00"]"#)
        #expect(try JSONDecoder().decode([Instant].self, from: json) == [instant])
    }
}

@Suite struct FHIRDateTimeTests {
    @Test(arguments: ["2026", "2026-03", "2026-03-29", "2026-03-29T09:00:00+01:00", "2026-03-29T08:00:00.1Z"])
    func keepsPrecisionAndOffsetAsWritten(_ text: String) throws {
        #expect(try FHIRDateTime(parsing: text).description == text)
    }

    @Test func hasAnInstantOnlyWhenATimeWasRecorded() throws {
        #expect(try FHIRDateTime(parsing: "2026-03-29").instant == nil)
        #expect(try FHIRDateTime(parsing: "2026-03").date.precision == .month)
        let full = try FHIRDateTime(parsing: "2026-03-29T09:00:00+01:00")
        #expect(full.instant?.secondsSinceUnixEpoch == 1_774_771_200)
        #expect(full.date.civilDate == (try day(2026, 3, 29)))
    }

    @Test(arguments: ["2026-03-29T09:00", "2026-03-29T09:00:00", "2026-03-29T", "2026-3", "2026-03-29T09:00:00+1:00"])
    func requiresSecondsAndAnOffsetWithATime(_ text: String) {
        expectCareCoreError(.invalidFormat) { try FHIRDateTime(parsing: text) }
    }

    @Test func writesAnyDateSoThatNineDigitsReadBackAsTheSameDate() throws {
        var generator = SeededRandomNumberGenerator(seed: 2_026_112_6)
        for _ in 0..<10_000 {
            // Clock readings between 1900 and 2100 with sub-microsecond fractions, as Foundation makes them;
            // within about three months of 2001-01-01 a `Date` is finer than a nanosecond, which nine digits
            // cannot hold, so a margin of three years around it is left out.
            let magnitude = Double.random(in: 1e8...3.1e9, using: &generator)
            let reference = Bool.random(using: &generator) ? magnitude : -magnitude
            let date = Date(timeIntervalSinceReferenceDate: reference)
            let instant = try Instant(date, fractionDigits: 9)
            #expect(instant.date == date, "\(reference)")
            #expect(try Instant(parsing: instant.description).date == date)
        }
        // Whole milliseconds written with three digits read back exactly too.
        let clock = Date(timeIntervalSince1970: 1_796_025_600).addingTimeInterval(0.123)
        #expect(try Instant(clock, fractionDigits: 3).date == clock)
    }
}
