import CareCore
import Foundation
import Testing

@testable import Appointments

@Suite struct BankHolidayTests {
    private func dates(_ region: BankHolidayCalendar.Region, _ year: Int) -> [String] {
        BankHolidayCalendar(region).holidays(in: year).map(\.description)
    }

    /// The published 2026 dates for each calendar.
    @Test func givesThePublished2026Dates() {
        #expect(
            dates(.englandAndWales, 2026) == [
                "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25",
                "2026-12-28",
            ]
        )
        #expect(
            dates(.scotland, 2026) == [
                "2026-01-01", "2026-01-02", "2026-04-03", "2026-05-04", "2026-05-25", "2026-08-03", "2026-11-30",
                "2026-12-25", "2026-12-28",
            ]
        )
        #expect(
            dates(.northernIreland, 2026) == [
                "2026-01-01", "2026-03-17", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-07-13",
                "2026-08-31", "2026-12-25", "2026-12-28",
            ]
        )
    }

    /// Weekend fixed dates move to the next free weekday, in order.
    @Test func substitutesWeekendDatesInOrder() {
        // 2021: Christmas on Saturday, Boxing Day on Sunday.
        #expect(dates(.englandAndWales, 2021).suffix(2) == ["2021-12-27", "2021-12-28"])
        // 2022: Christmas on Sunday; Boxing Day keeps Monday and Christmas takes Tuesday.
        #expect(dates(.englandAndWales, 2022).suffix(2) == ["2022-12-26", "2022-12-27"])
        // 2022 in Scotland: 1 January a Saturday and 2 January a Sunday.
        #expect(dates(.scotland, 2022).prefix(2) == ["2022-01-03", "2022-01-04"])
    }

    @Test func appliesTheOneOffChanges() {
        let england2022 = dates(.englandAndWales, 2022)
        #expect(england2022.contains("2022-06-02") && england2022.contains("2022-06-03"))
        #expect(england2022.contains("2022-09-19") && !england2022.contains("2022-05-30"))
        #expect(dates(.scotland, 2023).contains("2023-05-08"))
        #expect(
            dates(.englandAndWales, 2020).contains("2020-05-08")
                && !dates(.englandAndWales, 2020).contains("2020-05-04")
        )
    }

    @Test(arguments: [
        (2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"), (2038, "2038-04-25"),
    ])
    func findsEasterSunday(_ year: Int, _ expected: String) {
        #expect(BankHolidayCalendar.easterSunday(year).description == expected)
    }

    @Test func takesChangesAsData() throws {
        let extra = try day("2026-06-15")
        let summer = try day("2026-08-31")
        let calendar = BankHolidayCalendar(.englandAndWales).adding([extra]).removing([summer])
        #expect(calendar.isHoliday(extra) && !calendar.isHoliday(summer))
        #expect(BankHolidayCalendar(.englandAndWales).holidays(in: 1800).isEmpty)
    }
}

@Suite struct SlotGenerationTests {
    private func template(
        _ weekday: Weekday,
        from start: (Int, Int),
        to end: (Int, Int),
        minutes: Int,
        holidays: BankHolidayCalendar? = BankHolidayCalendar(.englandAndWales)
    ) throws -> ClinicTemplate {
        ClinicTemplate(
            schedule: Schedule.ID(unchecked: "gp-1"),
            serviceType: "gp-consultation",
            sessions: [
                try .init(
                    weekday: weekday,
                    start: TimeOfDay(hour: start.0, minute: start.1),
                    end: TimeOfDay(hour: end.0, minute: end.1),
                    slotMinutes: minutes,
                    channel: .inPerson
                )
            ],
            holidays: holidays
        )
    }

    private func starts(_ slots: [Slot]) throws -> [String] {
        let zone = try london()
        return try slots.map { try zone.instant(at: $0.start, fractionDigits: 0).description }
    }

    @Test func makesEqualSlotsInLocalTime() throws {
        let counter = Counter("s")
        let slots = try template(.tuesday, from: (9, 0), to: (10, 0), minutes: 15)
            .slots(from: day("2026-07-07"), through: day("2026-07-07"), in: london(), makeID: counter.slotID)
        #expect(
            try starts(slots) == [
                "2026-07-07T09:00:00+01:00", "2026-07-07T09:15:00+01:00", "2026-07-07T09:30:00+01:00",
                "2026-07-07T09:45:00+01:00",
            ]
        )
        #expect(slots.allSatisfy { $0.end.timeIntervalSince($0.start) == 900 && $0.status == .free })
    }

    /// 29 March 2026: 01:00 to 01:59 does not exist, so no slot starts then.
    @Test func makesNoSlotInTheSkippedHour() throws {
        let slots = try template(.sunday, from: (0, 0), to: (3, 0), minutes: 30, holidays: nil)
            .slots(from: day("2026-03-29"), through: day("2026-03-29"), in: london(), makeID: Counter("s").slotID)
        #expect(
            try starts(slots) == [
                "2026-03-29T00:00:00+00:00", "2026-03-29T00:30:00+00:00", "2026-03-29T02:00:00+01:00",
                "2026-03-29T02:30:00+01:00",
            ]
        )
        for (earlier, later) in zip(slots, slots.dropFirst()) { #expect(earlier.end <= later.start) }
    }

    /// 25 October 2026: 01:00 to 01:59 happens twice; each slot time is made once, at its first occurrence.
    @Test func makesNoSlotTwiceInTheRepeatedHour() throws {
        let slots = try template(.sunday, from: (0, 0), to: (3, 0), minutes: 30, holidays: nil)
            .slots(from: day("2026-10-25"), through: day("2026-10-25"), in: london(), makeID: Counter("s").slotID)
        #expect(
            try starts(slots) == [
                "2026-10-25T00:00:00+01:00", "2026-10-25T00:30:00+01:00", "2026-10-25T01:00:00+01:00",
                "2026-10-25T01:30:00+01:00", "2026-10-25T02:00:00+00:00", "2026-10-25T02:30:00+00:00",
            ]
        )
        #expect(Set(slots.map(\.start)).count == slots.count)
        for (earlier, later) in zip(slots, slots.dropFirst()) { #expect(earlier.end <= later.start) }
    }

    @Test func skipsBankHolidaysClosedDaysAndDaysOutsideTheTemplate() throws {
        var clinic = try template(.monday, from: (9, 0), to: (9, 30), minutes: 15)
        clinic.closedDays = [try day("2026-05-11")]
        clinic.validThrough = try day("2026-05-18")
        let slots = clinic.slots(
            from: try day("2026-04-27"),
            through: try day("2026-05-31"),
            in: try london(),
            makeID: Counter("s").slotID
        )
        // Mondays: 27 April, 4 May (bank holiday), 11 May (closed), 18 May, 25 May (after the template).
        let zone = try london()
        let days = try Set(slots.map { try zone.civilDate(at: $0.start).description })
        #expect(days == ["2026-04-27", "2026-05-18"])
        #expect(slots.count == 4)
    }

    @Test func refusesAnEmptySessionOrABadLength() {
        #expect(throws: AppointmentsError.self) {
            try ClinicTemplate.Session(
                weekday: .monday,
                start: TimeOfDay(hour: 10, minute: 0),
                end: TimeOfDay(hour: 9, minute: 0),
                slotMinutes: 15,
                channel: .video
            )
        }
        #expect(throws: AppointmentsError.self) {
            try ClinicTemplate.Session(
                weekday: .monday,
                start: TimeOfDay(hour: 9, minute: 0),
                end: TimeOfDay(hour: 10, minute: 0),
                slotMinutes: 0,
                channel: .video
            )
        }
    }
}
