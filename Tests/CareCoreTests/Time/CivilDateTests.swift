import CareCore
import Foundation
import Testing

@Suite struct CivilDateTests {
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let year: Int
        let month: Int
        let day: Int
        var testDescription: String { "\(year)-\(month)-\(day)" }
    }

    @Test(arguments: [
        InvalidCase(year: 2026, month: 2, day: 29),
        InvalidCase(year: 1900, month: 2, day: 29),
        InvalidCase(year: 2026, month: 4, day: 31),
        InvalidCase(year: 2026, month: 13, day: 1),
        InvalidCase(year: 2026, month: 0, day: 1),
        InvalidCase(year: 2026, month: 1, day: 0),
        InvalidCase(year: 0, month: 1, day: 1),
        InvalidCase(year: 10000, month: 1, day: 1),
    ])
    func rejectsDatesThatDoNotExist(_ invalid: InvalidCase) {
        expectCareCoreError(.outOfRange) { try CivilDate(year: invalid.year, month: invalid.month, day: invalid.day) }
    }

    @Test func acceptsLeapDaysOnlyInLeapYears() throws {
        #expect(throws: Never.self) { try CivilDate(year: 2024, month: 2, day: 29) }
        #expect(throws: Never.self) { try CivilDate(year: 2000, month: 2, day: 29) }
        #expect(CivilDate.isLeapYear(2028))
        #expect(!CivilDate.isLeapYear(2100))
        #expect(CivilDate.daysInMonth(2, of: 2026) == 28)
        #expect(CivilDate.daysInMonth(13, of: 2026) == 0)
    }

    @Test func parsesOnlyFullDates() throws {
        #expect(try CivilDate(parsing: "2026-03-29") == day(2026, 3, 29))
        expectCareCoreError(.invalidFormat) { try CivilDate(parsing: "2026-03") }
        expectCareCoreError(.invalidFormat) { try CivilDate(parsing: "29/03/2026") }
    }

    @Test func countsDaysFromTheUnixEpoch() throws {
        #expect(try day(1970, 1, 1).daysSinceUnixEpoch == 0)
        #expect(try day(1969, 12, 31).daysSinceUnixEpoch == -1)
        #expect(try day(2000, 3, 1).daysSinceUnixEpoch == 11_017)
        #expect(try day(1, 1, 1).daysSinceUnixEpoch == -719_162)
        #expect(try day(9999, 12, 31).daysSinceUnixEpoch == 2_932_896)
    }

    @Test func dayCountRoundTripsOverTheWholeRange() throws {
        var days = try day(1, 1, 1).daysSinceUnixEpoch
        let last = try day(9999, 12, 31).daysSinceUnixEpoch
        var previous: CivilDate?
        while days <= last {
            let date = try CivilDate(daysSinceUnixEpoch: days)
            #expect(date.daysSinceUnixEpoch == days)
            if let previous { #expect(previous < date) }
            previous = date
            days += 97  // a stride co-prime with week, month and year lengths
        }
        expectCareCoreError(.outOfRange) { try CivilDate(daysSinceUnixEpoch: last + 1) }
    }

    @Test func agreesWithFoundationsGregorianCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SeededRandomNumberGenerator(seed: 7)
        for _ in 0..<2_000 {
            let days = Int.random(in: -100_000...100_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(days) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let civil = try CivilDate(daysSinceUnixEpoch: days)
            #expect(civil.year == parts.year && civil.month == parts.month && civil.day == parts.day)
            // Foundation numbers Sunday 1 ... Saturday 7; ISO numbers Monday 1 ... Sunday 7.
            let foundationWeekday = try #require(parts.weekday)
            #expect(civil.weekday.rawValue == (foundationWeekday + 5) % 7 + 1)
        }
    }

    @Test func knowsTheDayOfTheWeek() throws {
        #expect(try day(2026, 3, 29).weekday == .sunday)
        #expect(try day(2026, 10, 25).weekday == .sunday)
        #expect(try day(2026, 11, 25).weekday == .wednesday)
        #expect(try day(1970, 1, 1).weekday == .thursday)
        #expect(Weekday.saturday.isWeekend && !Weekday.friday.isWeekend)
        #expect(
            Weekday.allCases.map(\.name).joined(separator: " ")
                == "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
        )
    }

    @Test func addsDaysAcrossMonthsYearsAndTheRangeEnds() throws {
        #expect(try day(2026, 2, 28).adding(days: 1) == day(2026, 3, 1))
        #expect(try day(2024, 2, 28).adding(days: 1) == day(2024, 2, 29))
        #expect(try day(2026, 12, 31).adding(days: 1) == day(2027, 1, 1))
        #expect(try day(2026, 3, 1).adding(days: -1) == day(2026, 2, 28))
        #expect(try day(9999, 12, 30).adding(days: 5) == day(9999, 12, 31))
        #expect(try day(1, 1, 2).adding(days: -5) == day(1, 1, 1))
        #expect(try day(2026, 1, 1).days(until: day(2027, 1, 1)) == 365)
    }

    @Test func neverOverflowsOnExtremeDayCounts() throws {
        expectCareCoreError(.outOfRange) { try CivilDate(daysSinceUnixEpoch: .max) }
        expectCareCoreError(.outOfRange) { try CivilDate(daysSinceUnixEpoch: .min) }
        #expect(try day(2026, 1, 1).adding(days: .max) == (try day(9999, 12, 31)))
        #expect(try day(1900, 1, 1).adding(days: .min) == (try day(1, 1, 1)))
        #expect(try day(1, 1, 1).adding(days: .min) == (try day(1, 1, 1)))
    }

    @Test func statesAgeInCompletedYears() throws {
        let birth = try day(1950, 3, 14)
        #expect(birth.age(on: try day(2026, 3, 13)) == 75)
        #expect(birth.age(on: try day(2026, 3, 14)) == 76)
        #expect(birth.age(on: try day(1950, 3, 13)) == -1)
    }

    @Test func leapDayBirthdaysAreReachedOnTheFirstOfMarch() throws {
        let birth = try day(2008, 2, 29)
        #expect(birth.age(on: try day(2026, 2, 28)) == 17)
        #expect(birth.age(on: try day(2026, 3, 1)) == 18)
        #expect(birth.age(on: try day(2028, 2, 29)) == 20)
    }

    @Test func printsAndCodesAsISO8601() throws {
        let date = try day(987, 6, 5)
        #expect(date.description == "0987-06-05")
        let json = try JSONEncoder().encode([date])
        #expect(String(decoding: json, as: UTF8.self) == #"["0987-06-05"]"#)
        #expect(try JSONDecoder().decode([CivilDate].self, from: json) == [date])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data(#"["2026-02-30"]"#.utf8))
        }
    }
}
