import Appointments
import CareCore
import Foundation
import Synchronization

/// The Appointments benchmarks: free-slot search over a large region's diaries, and booking throughput.
enum AppointmentsBenchmarks {
    /// Monday 31 August 2026, 07:00 in London: the benchmarks' "now".
    static let now = Date(timeIntervalSince1970: 1_788_156_000)

    /// The cases whose names contain `filter` (all of them for `nil`), set up only when wanted: the search
    /// case builds over four million slots.
    static func all(matching filter: String?) async throws -> [Benchmark] {
        func wanted(_ name: String) -> Bool { filter.map { name.contains($0) || $0.contains(name) } ?? true }
        var cases: [Benchmark] = []
        if wanted("appointments.search") { cases.append(try await search()) }
        if wanted("appointments.book") { cases.append(try await booking()) }
        if wanted("appointments.book.8tasks") { cases.append(try await concurrentBooking()) }
        return cases
    }

    /// 2,000 practitioners at 50 practices, each with 90 days of 15-minute slots from a weekly template
    /// (in person in the mornings, by telephone in the afternoons, video on Thursday afternoons), across the
    /// October clock change, with 60% of slots already taken. Each query asks for the first 50 free slots of
    /// one service, practice and channel in a 14-day window starting on a random day.
    static func search() async throws -> Benchmark {
        let zone = try CivilTimeZone.europeLondon()
        let book = try AppointmentBook(store: InMemoryAppointmentStore(), clock: FixedWallClock(now))
        let services = ["gp-consultation", "gp-consultation", "nurse", "pharmacist"]
        var generator = SeededRandomNumberGenerator(seed: 90_2000)
        let first = try CivilDate(parsing: "2026-09-01")
        let last = first.adding(days: 89)
        var slotNumber = 0
        var slotCount = 0
        let holidays = BankHolidayCalendar(.englandAndWales)
        for practitioner in 0..<2_000 {
            let organisation = try ODSCode(parsing: "A8\(1_000 + practitioner % 50)")
            let service = services[practitioner % services.count]
            let schedule = try Schedule(
                id: Schedule.ID(validating: "p\(practitioner)"),
                actors: [.practitioner("dr-\(practitioner)")],
                organisation: organisation,
                serviceType: service
            )
            try await book.add(schedules: [schedule])
            var sessions: [ClinicTemplate.Session] = []
            for weekday in [Weekday.monday, .tuesday, .wednesday, .thursday, .friday] {
                sessions.append(
                    try .init(
                        weekday: weekday,
                        start: TimeOfDay(hour: 8, minute: 30),
                        end: TimeOfDay(hour: 12, minute: 30),
                        slotMinutes: 15,
                        channel: .inPerson
                    )
                )
                sessions.append(
                    try .init(
                        weekday: weekday,
                        start: TimeOfDay(hour: 13, minute: 30),
                        end: TimeOfDay(hour: 17, minute: 30),
                        slotMinutes: 15,
                        channel: weekday == .thursday ? .video : .telephone
                    )
                )
            }
            let template = ClinicTemplate(
                schedule: schedule.id,
                serviceType: service,
                sessions: sessions,
                holidays: holidays
            )
            let slots = try template.slots(from: first, through: last, in: zone) {
                slotNumber += 1
                return try Slot.ID(validating: "s\(slotNumber)")
            }
            // Take 60% of them, as a diary part-way through the booking window would be.
            let taken = try slots.map { slot in
                Double.random(in: 0..<1, using: &generator) < 0.6
                    ? try Slot(
                        id: slot.id,
                        schedule: slot.schedule,
                        start: slot.start,
                        end: slot.end,
                        channel: slot.channel,
                        serviceType: slot.serviceType,
                        status: .busy
                    ) : slot
            }
            try await book.add(taken)
            slotCount += slots.count
        }
        let queries = (0..<1_000).map { _ in
            let from = now.addingTimeInterval(Double(Int.random(in: 0..<(75 * 24), using: &generator)) * 3_600)
            return SlotQuery(
                from: from,
                to: from.addingTimeInterval(14 * 86_400),
                serviceType: "gp-consultation",
                channel: Bool.random(using: &generator) ? .inPerson : .telephone,
                organisation: ODSCode("A8\(1_000 + Int.random(in: 0..<50, using: &generator))"),
                limit: 50
            )
        }
        let latencies = LatencyRecorder()
        let clock = ContinuousClock()
        FileHandle.standardError.write(Data("appointments.search: \(slotCount) slots in the book\n".utf8))
        return Benchmark(name: "appointments.search", operations: queries.count, bytes: 0, maximumSamples: 5) {
            var total = 0
            for query in queries {
                let started = clock.now
                total &+= try await book.freeSlots(query).count
                latencies.record(clock.now - started)
            }
            return total
        } report: {
            latencies.summary()
        }
    }

    /// 100,000 single-slot bookings, one after another, on a book of 100,000 free slots in 100 diaries.
    static func booking() async throws -> Benchmark {
        let pool = try await BookPool(count: 6) { try await freshBook(slots: 100_000) }
        let patients = try (0..<100_000).map { try Appointment.PatientID(validating: "pt\($0)") }
        let appointments = try (0..<100_000).map { try Appointment.ID(validating: "ap\($0)") }
        let slots = try (0..<100_000).map { try Slot.ID(validating: "s\($0)") }
        return Benchmark(name: "appointments.book", operations: 100_000, bytes: 0, maximumSamples: 5) {
            let book = pool.next()
            var total = 0
            for index in 0..<100_000 {
                total &+= try await book.book(patient: patients[index], slots: [slots[index]], id: appointments[index])
                    .version
            }
            return total
        }
    }

    /// The same 100,000 bookings from 8 tasks at once, with every slot wanted twice: half the attempts lose.
    static func concurrentBooking() async throws -> Benchmark {
        let pool = try await BookPool(count: 6) { try await freshBook(slots: 50_000) }
        let patients = try (0..<100_000).map { try Appointment.PatientID(validating: "pt\($0)") }
        let appointments = try (0..<100_000).map { try Appointment.ID(validating: "ap\($0)") }
        let slots = try (0..<50_000).map { try Slot.ID(validating: "s\($0)") }
        return Benchmark(name: "appointments.book.8tasks", operations: 100_000, bytes: 0, maximumSamples: 5) {
            let book = pool.next()
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        var won = 0
                        for attempt in stride(from: task, to: 100_000, by: 8) {
                            do {
                                _ = try await book.book(
                                    patient: patients[attempt],
                                    slots: [slots[attempt % 50_000]],
                                    id: appointments[attempt]
                                )
                                won += 1
                            } catch {
                                // Lost to the other task wanting this slot.
                            }
                        }
                        return won
                    }
                }
                var won = 0
                for try await count in group { won += count }
                guard won == 50_000 else { throw BenchmarkFailure() }
                return won
            }
        }
    }

    private static func freshBook(slots count: Int) async throws -> AppointmentBook {
        let book = try AppointmentBook(store: InMemoryAppointmentStore(), clock: FixedWallClock(now))
        let organisation = try ODSCode(parsing: "A81001")
        try await book.add(
            schedules: (0..<100).map { number in
                try Schedule(
                    id: Schedule.ID(validating: "p\(number)"),
                    actors: [.practitioner("dr-\(number)")],
                    organisation: organisation,
                    serviceType: "gp-consultation"
                )
            }
        )
        let start = now.addingTimeInterval(86_400)
        try await book.add(
            (0..<count).map { number in
                let begins = start.addingTimeInterval(Double(number / 100) * 900)
                return try Slot(
                    id: Slot.ID(validating: "s\(number)"),
                    schedule: Schedule.ID(validating: "p\(number % 100)"),
                    start: begins,
                    end: begins.addingTimeInterval(900),
                    channel: .inPerson,
                    serviceType: "gp-consultation"
                )
            }
        )
        return book
    }
}

/// Hands out prepared books, one a sample, so every sample books into free slots.
private final class BookPool: Sendable {
    private let books: Mutex<[AppointmentBook]>

    init(count: Int, make: () async throws -> AppointmentBook) async throws {
        var books: [AppointmentBook] = []
        for _ in 0..<count { books.append(try await make()) }
        self.books = Mutex(books)
    }

    func next() -> AppointmentBook {
        books.withLock { $0.removeFirst() }
    }
}
