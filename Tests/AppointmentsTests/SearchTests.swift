import CareCore
import Foundation
import Testing

@testable import Appointments

@Suite struct SearchTests {
    private let now = "2026-07-06T08:00:00+01:00"

    /// Two practices; Dr Jones works at both, Dr Patel at one; a nurse diary at the first.
    private func twoPractices() async throws -> AppointmentBook {
        let book = try await openBook(
            at: now,
            schedules: [
                schedule("jones-a", organisation: "A81001", actors: [.practitioner("jones"), .location("room-1")]),
                schedule("patel-a", organisation: "A81001", actors: [.practitioner("patel")]),
                schedule("nurse-a", organisation: "A81001", actors: [.practitioner("nurse")], service: "nurse"),
                schedule("jones-b", organisation: "B82002", actors: [.practitioner("jones")]),
            ]
        )
        try await book.add([
            slot("j1", at: "2026-07-07T09:00:00+01:00", schedule: "jones-a"),
            slot("p1", at: "2026-07-07T09:00:00+01:00", schedule: "patel-a"),
            slot("p2", at: "2026-07-07T08:45:00+01:00", schedule: "patel-a", channel: .telephone),
            slot("n1", at: "2026-07-07T08:30:00+01:00", schedule: "nurse-a", service: "nurse"),
            slot("b1", at: "2026-07-07T08:00:00+01:00", schedule: "jones-b"),
            slot("b2", at: "2026-07-08T08:00:00+01:00", schedule: "jones-b", channel: .video),
        ])
        return book
    }

    private func ids(_ book: AppointmentBook, _ change: (inout SlotQuery) -> Void) async throws -> [String] {
        let start = try moment(now)
        var query = SlotQuery(from: start, to: start.addingTimeInterval(7 * 86_400))
        change(&query)
        return try await book.freeSlots(query).map(\.id.rawValue)
    }

    @Test func searchesByOrganisationPractitionerServiceAndChannel() async throws {
        let book = try await twoPractices()
        #expect(try await ids(book) { _ in } == ["b1", "n1", "p2", "j1", "p1", "b2"])
        #expect(try await ids(book) { $0.organisation = ODSCode("A81001") } == ["n1", "p2", "j1", "p1"])
        #expect(try await ids(book) { $0.actor = .practitioner("jones") } == ["b1", "j1", "b2"])
        #expect(try await ids(book) { $0.actor = .location("room-1") } == ["j1"])
        #expect(
            try await ids(book) {
                $0.actor = .practitioner("jones")
                $0.organisation = ODSCode("B82002")
                $0.channel = .video
            } == ["b2"]
        )
        #expect(
            try await ids(book) {
                $0.organisation = ODSCode("A81001")
                $0.serviceType = "gp-consultation"
                $0.channel = .inPerson
            } == ["j1", "p1"]
        )
        #expect(try await ids(book) { $0.schedules = [Schedule.ID(unchecked: "patel-a")] } == ["p2", "p1"])
        #expect(try await ids(book) { $0.limit = 2 } == ["b1", "n1"])
        #expect(try await ids(book) { $0.organisation = ODSCode("Y00001") }.isEmpty)
    }

    @Test func refusesSlotsOfUnknownSchedulesAndRepeatedSchedules() async throws {
        let book = try await twoPractices()
        await expectCode(.notFound) {
            try await book.add([slot("x", at: "2026-07-07T10:00:00+01:00", schedule: "nope")])
        }
        await expectCode(.invalidValue) { try await book.add(schedules: [schedule("jones-a")]) }
        #expect(await book.slot(slotID("x")) == nil)
        #expect(await book.schedules(at: ODSCode("A81001")!).map(\.id.rawValue) == ["jones-a", "nurse-a", "patel-a"])
    }

    @Test func leavesOutInactiveSchedulesAndRefusesToBookThem() async throws {
        var closed = try schedule("closed")
        closed.isActive = false
        let book = try await openBook(at: now, schedules: [closed, schedule("gp-1")])
        try await book.add([
            slot("c1", at: "2026-07-07T09:00:00+01:00", schedule: "closed"),
            slot("g1", at: "2026-07-07T09:00:00+01:00"),
        ])
        let start = try moment(now)
        let free = try await book.freeSlots(SlotQuery(from: start, to: start.addingTimeInterval(2 * 86_400)))
        #expect(free.map(\.id.rawValue) == ["g1"])
        await expectCode(.slotUnavailable) {
            _ = try await book.book(patient: patient("john"), slots: [slotID("c1")], id: appointmentID("x1"))
        }
    }

    /// The index against a plain filter: seeded random slots, bookings and queries must give the same answer.
    @Test func agreesWithAPlainFilterOnRandomDiaries() async throws {
        var generator = SeededRandomNumberGenerator(seed: 4_242)
        let organisations = ["A81001", "B82002", "C83003"]
        let services = ["gp-consultation", "nurse", "diabetes-review"]
        let schedules = try (0..<12).map { number in
            try schedule(
                "s\(number)",
                organisation: organisations[number % 3],
                actors: [.practitioner("p\(number)")],
                service: services[number % 3]
            )
        }
        let book = try await openBook(at: now, schedules: schedules)
        let start = try moment(now)
        var slots: [Slot] = []
        for number in 0..<3_000 {
            let schedule = schedules[Int.random(in: 0..<12, using: &generator)]
            let begins = start.addingTimeInterval(Double(Int.random(in: -2...(20 * 96), using: &generator)) * 900)
            slots.append(
                try Slot(
                    id: Slot.ID(unchecked: "x\(number)"),
                    schedule: schedule.id,
                    start: begins,
                    end: begins.addingTimeInterval(900),
                    channel: DeliveryChannel.allCases[Int.random(in: 0..<3, using: &generator)],
                    serviceType: Bool.random(using: &generator)
                        ? schedule.serviceType : services.randomElement(using: &generator)!
                )
            )
        }
        // Add in three batches, to exercise merging.
        try await book.add(Array(slots[0..<1_000]))
        try await book.add(Array(slots[1_000..<2_500]))
        try await book.add(Array(slots[2_500...]))
        var booked = Set<Slot.ID>()
        for (number, slot) in slots.enumerated() where number % 3 == 0 && slot.start > start {
            _ = try await book.book(patient: patient("p\(number)"), slots: [slot.id], id: appointmentID("a\(number)"))
            booked.insert(slot.id)
        }
        let byID = Dictionary(uniqueKeysWithValues: schedules.map { ($0.id, $0) })
        for _ in 0..<200 {
            let from = start.addingTimeInterval(Double(Int.random(in: -4...(18 * 96), using: &generator)) * 900)
            let query = SlotQuery(
                from: from,
                to: from.addingTimeInterval(Double(Int.random(in: 0...(14 * 96), using: &generator)) * 900),
                serviceType: Bool.random(using: &generator) ? services.randomElement(using: &generator) : nil,
                channel: Bool.random(using: &generator)
                    ? DeliveryChannel.allCases.randomElement(using: &generator) : nil,
                organisation: Bool.random(using: &generator)
                    ? ODSCode(organisations.randomElement(using: &generator)!) : nil,
                actor: Int.random(in: 0..<4, using: &generator) == 0
                    ? .practitioner("p\(Int.random(in: 0..<12, using: &generator))") : nil,
                limit: Int.random(in: 1...80, using: &generator)
            )
            let expected = slots.filter { slot in
                let schedule = byID[slot.schedule]!
                return slot.start >= max(query.from, start) && slot.start <= query.to && !booked.contains(slot.id)
                    && (query.serviceType == nil || slot.serviceType == query.serviceType)
                    && (query.channel == nil || slot.channel == query.channel)
                    && (query.organisation == nil || schedule.organisation == query.organisation)
                    && (query.actor == nil || schedule.actors.contains(query.actor!))
            }
            .sorted { ($0.start, $0.id) < ($1.start, $1.id) }
            .prefix(query.limit)
            .map(\.id)
            #expect(try await book.freeSlots(query).map(\.id) == Array(expected))
        }
    }
}

@Suite struct DiaryChangeTests {
    private let now = "2026-07-06T08:00:00+01:00"

    @Test func closingAScheduleHidesItsSlotsAndReopeningShowsThem() async throws {
        let book = try await openBook(at: now)
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00")])
        let start = try moment(now)
        let query = SlotQuery(from: start, to: start.addingTimeInterval(2 * 86_400))
        try await book.setActive(Schedule.ID(unchecked: "gp-1"), false)
        #expect(try await book.freeSlots(query).isEmpty)
        try await book.setActive(Schedule.ID(unchecked: "gp-1"), true)
        #expect(try await book.freeSlots(query).map(\.id) == [slotID("a")])
        await expectCode(.notFound) { try await book.setActive(Schedule.ID(unchecked: "nope"), false) }
    }

    @Test func withdrawsFreeSlotsAllOrNone() async throws {
        let book = try await openBook(at: now)
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00"), slot("b", at: "2026-07-07T09:15:00+01:00")])
        _ = try await book.book(patient: patient("john"), slots: [slotID("b")], id: appointmentID("x1"))
        await expectCode(.slotUnavailable) { try await book.withdraw(slots: [slotID("a"), slotID("b")]) }
        #expect(await book.slot(slotID("a"))?.status == .free)
        await expectCode(.notFound) { try await book.withdraw(slots: [slotID("zz")]) }
        let withdrawn = try await book.withdraw(slots: [slotID("a")])
        #expect(withdrawn.map(\.status) == [.busyUnavailable])
        await expectCode(.slotUnavailable) {
            _ = try await book.book(patient: patient("claire"), slots: [slotID("a")], id: appointmentID("x2"))
        }
    }

    @Test func restoresRecordsAsStoredAndRefusesIncoherentOnes() async throws {
        let book = try await openBook(at: now)
        try await book.add([slot("a", at: "2026-07-07T09:00:00+01:00")])
        let booked = try await book.book(patient: patient("john"), slots: [slotID("a")], id: appointmentID("x1"))
        func restore(
            version: Int = 1,
            slots: [Slot.ID]? = nil,
            status: AppointmentStatus = .booked,
            cancellation: Appointment.Cancellation? = nil
        ) throws -> Appointment {
            try Appointment(
                restoring: booked.id,
                patient: booked.patient,
                slots: slots ?? booked.slots,
                schedule: booked.schedule,
                serviceType: booked.serviceType,
                start: booked.start,
                end: booked.end,
                channel: booked.channel,
                status: status,
                description: booked.description,
                comment: booked.comment,
                cancellation: cancellation,
                version: version,
                created: booked.created
            )
        }
        #expect(try restore() == booked)
        #expect(throws: AppointmentsError.self) { try restore(version: 0) }
        #expect(throws: AppointmentsError.self) { try restore(slots: []) }
        #expect(throws: AppointmentsError.self) {
            try restore(cancellation: .init(initiator: .patient, reason: "Away"))
        }
        #expect(
            try restore(status: .cancelled, cancellation: .init(initiator: .patient, reason: "Away")).status
                == .cancelled
        )

        let entry = try WaitlistEntry(
            id: WaitlistEntry.ID(unchecked: "w1"),
            patient: patient("claire"),
            serviceType: "gp-consultation",
            channels: [.inPerson],
            earliest: moment(now),
            latest: moment("2026-07-31T00:00:00+01:00"),
            joined: moment(now)
        )
        let offer = WaitlistEntry.Offer(slot: slotID("a"), made: try moment(now), expires: try moment(now) + 3_600)
        let offered = try WaitlistEntry(
            restoring: entry,
            status: .offered,
            offer: offer,
            passedOver: [],
            appointment: nil
        )
        #expect(offered.offer == offer)
        #expect(throws: AppointmentsError.self) {
            try WaitlistEntry(restoring: entry, status: .waiting, offer: offer, passedOver: [], appointment: nil)
        }
        #expect(throws: AppointmentsError.self) {
            try WaitlistEntry(
                restoring: entry,
                status: .waiting,
                offer: nil,
                passedOver: [],
                appointment: appointmentID("x1")
            )
        }
    }
}
