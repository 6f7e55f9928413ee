import CareCore
import Foundation

/// The narrative: what CareCore does for each person in the journeys, printed step by step.
struct CareCoreTour {
    /// The journey's fixed "now": Friday 27 March 2026, 10:00 GMT, two days before the clocks go forward.
    static let now = Date(timeIntervalSince1970: 1_774_605_600)

    let clock: any WallClock
    let london: CivilTimeZone
    let seed: UInt64

    init(seed: UInt64) throws {
        self.clock = FixedWallClock(Self.now)
        self.london = try CivilTimeZone.europeLondon()
        self.seed = seed
    }

    /// Runs the tour and returns the exit code.
    func run(importing source: DemographicsSource) throws -> ExitCode {
        var generator = SeededRandomNumberGenerator(seed: seed)
        let today = try london.civilDate(at: clock.now())
        print("IntegratedCareKit care journey: CareCore")
        print("Now: \(try london.instant(at: clock.now(), fractionDigits: 0)) (Europe/London, \(today.weekday.name))")
        print("")

        let imported = try DemographicsImport(source)
        section("1. Recognising people from \(source.name)")
        for person in imported.people.sorted(by: { $0.key < $1.key }) {
            let id = EntityID<Person>.random(using: &generator)
            let ages = person.birthDate.possibleAges(on: today)
            let age =
                ages.lowerBound == ages.upperBound ? "\(ages.lowerBound)" : "\(ages.lowerBound)–\(ages.upperBound)"
            print("  \(person.name.bannerName)")
            print("    record id          \(id)")
            print("    matching key       \(person.name.normalisedFamily(options: .compact) ?? "-")")
            print("    date of birth      \(person.birthDate) (\(person.birthDate.precision) precision; age \(age))")
            print("    postcode           \(person.postcode.formatted), sector \(person.postcode.sector)")
            print(
                "    contact, in order  \(person.preferences.channelsInOrder().map(\.rawValue).joined(separator: " → "))"
            )
        }
        for rejection in imported.rejected {
            print("  line \(rejection.line) not imported: \(rejection.error.field): \(rejection.error.reason)")
        }
        print("")

        section("2. Reminders across the clock change (Sunday 29 March 2026)")
        let appointmentDay = try CivilDate(year: 2026, month: 3, day: 29)
        let appointment = try london.date(
            for: LocalDateTime(date: appointmentDay, hour: 9, minute: 0),
            policy: .strict
        )
        let dayBefore = try london.sameLocalTime(
            addingDays: -1,
            to: appointment,
            policy: LocalTimePolicy(skipped: .shiftForward, repeated: .earlier)
        )
        let hourBefore = appointment.addingTimeInterval(-3600)
        print("  appointment        \(try london.instant(at: appointment, fractionDigits: 0))")
        print(
            "  day-before         \(try london.instant(at: dayBefore, fractionDigits: 0))  (same clock time, 23 h earlier)"
        )
        print("  hour-before        \(try london.instant(at: hourBefore, fractionDigits: 0))")
        let skipped = try LocalDateTime(date: appointmentDay, hour: 1, minute: 30)
        switch london.resolve(skipped) {
        case .skipped(let transition, _):
            print(
                "  01:30 that morning never happens; the clocks went forward at \(try Instant(transition, fractionDigits: 0))"
            )
        case .unique, .repeated:
            print("  01:30 that morning resolved unexpectedly: check the system time-zone database")
            return .failedCheck
        }
        print("")

        section("3. What an import error looks like (no patient data in it)")
        do {
            _ = try Postcode(parsing: "QV1 1AA")
        } catch {
            print("  \(error)")
        }
        do {
            _ = try FHIRDate(parsing: "1958-02-30")
        } catch {
            print("  \(error)")
        }
        print("")

        section("4. Virtual-ward observations due")
        let hour = Duration.seconds(3600)
        let schedule = try MonitoringSchedule([
            MonitoringRequirement(kind: .oxygenSaturation, frequency: .everyBetween(hour * 4, hour * 6)),
            MonitoringRequirement(kind: .heartRate, frequency: .every(hour * 4)),
            MonitoringRequirement(kind: .bodyTemperature, frequency: .every(hour * 12)),
        ])
        let lastTaken: [ObservationKind: Date] = [
            .oxygenSaturation: clock.now().addingTimeInterval(-5 * 3600),
            .heartRate: clock.now().addingTimeInterval(-2 * 3600),
        ]
        for (kind, due) in schedule.dueTimes(lastTaken: lastTaken) {
            let when = try due.map { try london.instant(at: $0, fractionDigits: 0).description } ?? "now (never taken)"
            let flag = due.map { $0 < clock.now() } ?? true ? "OVERDUE" : "ok"
            print("  \(kind.display.padding(toLength: 20, withPad: " ", startingAt: 0)) due \(when)  \(flag)")
        }

        if let first = imported.rejected.first {
            let others = imported.rejected.count - 1
            let more = others > 0 ? " (and \(others) more row\(others == 1 ? "" : "s"), listed above)" : ""
            printError(
                "care-journey: \(source.name): line \(first.line): \(first.error.field): \(first.error.reason)\(more)"
            )
            return .badInput
        }
        return .success
    }

    private func section(_ title: String) {
        print(title)
    }
}
