import Appointments
import CareCore
import CarePlans
import CareStore
import ConsentAccess
import FHIREncoding
import Foundation
import PatientIdentity
import Testing

/// The domain repositories: each module's state, written through its repository to a SQLite file, reads
/// back whole from a store opened later on the same file.
@Suite("Domain repositories: each module's state survives a restart")
struct RepositoryTests {
    static let serviceTypes = AppointmentMappingContext(
        serviceTypeSystem: CodeSystem(rawValue: "https://integratedcarekit.example/fhir/CodeSystem/service-type")
    )

    static func open(_ file: URL, clock: any WallClock = SteppingClock()) throws -> SQLiteResourceStore {
        try SQLiteResourceStore(
            file: file,
            clock: clock,
            timeZone: try .europeLondon(),
            generator: SeededRandomNumberGenerator(seed: 11)
        )
    }

    static func moment(_ text: String) throws -> Date { try Instant(parsing: text).date }

    // MARK: Appointments

    /// Drives a book through bookings, a cancellation, a waiting-list offer accepted, one declined and one
    /// withdrawn, a reschedule and an arrival.
    static func exercise(_ book: AppointmentBook, clock: ManualWallClock) async throws {
        let diary = try Schedule(
            id: Schedule.ID(validating: "gp-1"),
            actors: [.practitioner("dr-pascoe"), .location("room-2")],
            organisation: try ODSCode(parsing: "L82999"),
            serviceType: "gp-consultation"
        )
        try await book.add(schedules: [diary])
        var slots: [Slot] = []
        for (index, start) in ["09:00", "09:15", "09:30", "09:45"].enumerated() {
            let begins = try moment("2026-07-07T\(start):00+01:00")
            slots.append(
                try Slot(
                    id: Slot.ID(validating: "s\(index + 1)"),
                    schedule: diary.id,
                    start: begins,
                    end: begins.addingTimeInterval(900),
                    channel: index == 3 ? .video : .inPerson,
                    serviceType: "gp-consultation"
                )
            )
        }
        try await book.add(slots)
        let john = try await book.book(
            patient: Appointment.PatientID(validating: "john"),
            slots: [Slot.ID(validating: "s1")],
            id: Appointment.ID(validating: "x1"),
            description: "Diabetes follow-up"
        )
        let sam = try await book.book(
            patient: Appointment.PatientID(validating: "sam"),
            slots: [Slot.ID(validating: "s2")],
            id: Appointment.ID(validating: "x2")
        )
        func entry(
            _ id: String,
            _ patient: String,
            joined: String,
            channels: Set<DeliveryChannel>
        ) throws
            -> WaitlistEntry
        {
            try WaitlistEntry(
                id: WaitlistEntry.ID(validating: id),
                patient: Appointment.PatientID(validating: patient),
                serviceType: "gp-consultation",
                organisation: try ODSCode(parsing: "L82999"),
                channels: channels,
                earliest: try moment("2026-07-06T00:00:00+01:00"),
                latest: try moment("2026-07-31T00:00:00+01:00"),
                joined: try moment(joined)
            )
        }
        _ = try await book.addToWaitlist(
            entry("w-phil", "phil", joined: "2026-07-01T09:00:00+01:00", channels: [.telephone])
        )
        _ = try await book.addToWaitlist(
            entry("w-claire", "claire", joined: "2026-07-02T09:00:00+01:00", channels: [.inPerson, .video])
        )
        _ = try await book.addToWaitlist(
            entry("w-lucy", "lucy", joined: "2026-07-03T09:00:00+01:00", channels: [.inPerson])
        )
        // John cancels; the slot is offered to Claire, who declines, then to Lucy, who accepts.
        _ = try await book.cancel(john.id, expectedVersion: john.version, initiator: .patient, reason: "Away")
        _ = try await book.declineOffer(WaitlistEntry.ID(validating: "w-claire"))
        _ = try await book.acceptOffer(
            WaitlistEntry.ID(validating: "w-lucy"),
            appointment: Appointment.ID(validating: "x3")
        )
        _ = try await book.withdraw(fromWaitlist: WaitlistEntry.ID(validating: "w-phil"))
        let moved = try await book.reschedule(sam.id, expectedVersion: sam.version, to: [Slot.ID(validating: "s4")])
        clock.set(to: try moment("2026-07-07T09:40:00+01:00"))
        _ = try await book.move(moved.id, expectedVersion: moved.version, to: .arrived)
    }

    @Test("a book on the SQLite store reopens with exactly what a book in memory holds, waiting list included")
    func appointmentBookSurvivesReopening() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("care.sqlite")
        let start = try Self.moment("2026-07-06T08:00:00+01:00")

        let memory = InMemoryAppointmentStore()
        let memoryClock = ManualWallClock(startingAt: start)
        try await Self.exercise(try AppointmentBook(store: memory, clock: memoryClock), clock: memoryClock)

        let clock = ManualWallClock(startingAt: start)
        let repository = AppointmentRepository(store: try Self.open(file), context: Self.serviceTypes)
        try await Self.exercise(try AppointmentBook(store: repository, clock: clock), clock: clock)

        let reopened = AppointmentRepository(store: try Self.open(file), context: Self.serviceTypes)
        let state = try reopened.loadAll()
        #expect(state == memory.loadAll())
        // Claire passed s1 over and now holds an offer of s2, which the reschedule freed.
        #expect(state.waitlist.map(\.status) == [.offered, .booked, .withdrawn])
        #expect(state.waitlist.first?.passedOver == [try Slot.ID(validating: "s1")])
        #expect(state.appointments.map(\.version) == memory.loadAll().appointments.map(\.version))
        // The reopened book carries on where the first stopped.
        let book = try AppointmentBook(store: reopened, clock: clock)
        #expect(await book.state() == memory.loadAll())
        let arrived = try #require(await book.appointment(Appointment.ID(validating: "x2")))
        let seen = try await book.move(arrived.id, expectedVersion: arrived.version, to: .checkedIn)
        #expect(
            try AppointmentRepository(store: try Self.open(file), context: Self.serviceTypes).loadAll()
                .appointments.first { $0.id == seen.id } == seen
        )
    }

    @Test("two books on one database, as two processes would have, cannot book one slot twice")
    func noDoubleBookingAcrossConnections() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("care.sqlite")
        let clock = ManualWallClock(startingAt: try Self.moment("2026-07-06T08:00:00+01:00"))
        let first = try AppointmentBook(
            store: AppointmentRepository(store: try Self.open(file), context: Self.serviceTypes),
            clock: clock
        )
        try await Self.exercise(first, clock: clock)
        let second = try AppointmentBook(
            store: AppointmentRepository(store: try Self.open(file), context: Self.serviceTypes),
            clock: clock
        )
        clock.set(to: try Self.moment("2026-07-06T08:00:00+01:00"))
        // s3 was never booked; the first book takes it, the second still thinks it free.
        _ = try await first.book(
            patient: Appointment.PatientID(validating: "zoe"),
            slots: [Slot.ID(validating: "s3")],
            id: Appointment.ID(validating: "x4")
        )
        do {
            _ = try await second.book(
                patient: Appointment.PatientID(validating: "amy"),
                slots: [Slot.ID(validating: "s3")],
                id: Appointment.ID(validating: "x5")
            )
            Issue.record("the second book double-booked s3")
        } catch let error as AppointmentsError {
            #expect(error.code == .storageFailure)
        }
        // The second book changed nothing, in memory or in the store.
        let x5 = try Appointment.ID(validating: "x5")
        let s3 = try Slot.ID(validating: "s3")
        #expect(await second.appointment(x5) == nil)
        let stored = try AppointmentRepository(store: try Self.open(file), context: Self.serviceTypes).loadAll()
        let holders = stored.appointments.filter { $0.slots.contains(s3) && $0.status == .booked }
        #expect(holders.map(\.id.rawValue) == ["x4"])
    }

    @Test("a waiting-list entry is never written over an appointment with its id, nor the other way round")
    func entryAndAppointmentIDsNeverCollide() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("care.sqlite")
        let clock = ManualWallClock(startingAt: try Self.moment("2026-07-06T08:00:00+01:00"))
        let book = try AppointmentBook(
            store: AppointmentRepository(store: try Self.open(file), context: Self.serviceTypes),
            clock: clock
        )
        try await Self.exercise(book, clock: clock)
        clock.set(to: try Self.moment("2026-07-06T08:00:00+01:00"))
        let entry = try WaitlistEntry(
            id: WaitlistEntry.ID(validating: "x2"),
            patient: Appointment.PatientID(validating: "zoe"),
            serviceType: "gp-consultation",
            channels: [.inPerson],
            earliest: try Self.moment("2026-07-06T00:00:00+01:00"),
            latest: try Self.moment("2026-07-31T00:00:00+01:00"),
            joined: try Self.moment("2026-07-06T08:00:00+01:00")
        )
        do {
            _ = try await book.addToWaitlist(entry)
            Issue.record("a waiting-list entry was written over appointment x2")
        } catch {
            #expect(error.code == .storageFailure)
        }
        // Appointment x2 is still Sam's, in the store as in a book opened on it.
        let reopened = try AppointmentRepository(store: try Self.open(file), context: Self.serviceTypes).loadAll()
        #expect(reopened.appointments.first { $0.id.rawValue == "x2" }?.status == .arrived)
        #expect(!reopened.waitlist.contains { $0.id.rawValue == "x2" })
    }

    @Test("a waiting-list entry is an Appointment with status waitlist, or cancelled once it stopped waiting")
    func waitlistEntryShape() throws {
        let entry = try WaitlistEntry(
            id: WaitlistEntry.ID(validating: "w-1"),
            patient: Appointment.PatientID(validating: "claire"),
            serviceType: "gp-consultation",
            channels: [.video, .inPerson],
            earliest: try Self.moment("2026-07-06T00:00:00+01:00"),
            latest: try Self.moment("2026-07-31T00:00:00+01:00"),
            joined: try Self.moment("2026-07-02T09:00:00+01:00")
        )
        let written = try R4.Appointment(entry, context: Self.serviceTypes)
        #expect(written.status.value == "waitlist" && written.start == nil && written.slot.isEmpty)
        #expect(written.requestedPeriod.first?.start?.value == "2026-07-05T23:00:00Z")
        #expect(try WaitlistEntry(fhir: written, context: Self.serviceTypes) == entry)
        let withdrawn = try WaitlistEntry(
            restoring: entry,
            status: .withdrawn,
            offer: nil,
            passedOver: [],
            appointment: nil
        )
        let cancelled = try R4.Appointment(withdrawn, context: Self.serviceTypes)
        #expect(cancelled.status.value == "cancelled")
        #expect(try WaitlistEntry(fhir: cancelled, context: Self.serviceTypes) == withdrawn)
        // A status that contradicts the entry's is refused, and named.
        var contradicting = cancelled
        contradicting.status = "waitlist"
        do {
            _ = try WaitlistEntry(fhir: contradicting, context: Self.serviceTypes)
            Issue.record("a contradicting status was read")
        } catch {
            #expect(error.field.description == "status")
        }
    }

    @Test("tasks sharing one store and one repository write and read without losing or tearing a record")
    func sharedAcrossTasks() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.share(try Self.open(folder.appendingPathComponent("care.sqlite")))
        try await Self.share(
            InMemoryResourceStore(
                clock: SteppingClock(),
                timeZone: try .europeLondon(),
                generator: SeededRandomNumberGenerator(seed: 5)
            )
        )
    }

    /// Eight tasks each save and read back 25 records through one repository while searching the store.
    static func share(_ store: some SynchronousResourceStore) async throws {
        let repository = PatientRecordRepository(store: store)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for number in 0..<25 {
                        let record = PatientRecord(id: try PatientRecord.ID(validating: "p\(task)-\(number)"))
                        try repository.save([record])
                        #expect(try repository.record(record.id).id == record.id)
                        _ = try await store.search(StoreQuery(type: "Patient"))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try repository.records().count == 200)
        #expect(try await store.history("Patient", id: "p3-7").map(\.version) == [1])
    }

    // MARK: Care plans

    static func change(_ author: String, _ role: String, _ reason: String, at text: String) throws -> PlanChange {
        try PlanChange(
            author: author,
            role: role,
            organisation: try ODSCode(parsing: "L82999"),
            at: moment(text),
            reason: reason
        )
    }

    static func clairesPlan() throws -> CarePlan {
        let content = PlanContent(
            title: "Claire's heart failure plan",
            aboutMe: AboutMe(pleaseCallMe: "Claire", whatMattersToMe: "Staying at home and walking my dog"),
            careTeam: [CareTeamMember(name: "Dr Pascoe", role: "GP", organisation: ODSCode("L82999"), isLead: true)],
            communication: try CommunicationPreferences(preferredChannels: [.sms])
        )
        return try CarePlan(
            id: CarePlan.ID(validating: "plan-claire"),
            patient: CarePlan.PatientID(validating: "claire"),
            content: content,
            change: try change("Claire", "patient", "First draft", at: "2026-07-01T10:00:00+01:00")
        )
    }

    @Test("a plan's versions are its CarePlan's versions, and plans reopen with history and proposals")
    func carePlansSurviveReopening() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("care.sqlite")
        let store = try Self.open(file)
        let registry = try CarePlanRegistry(store: CarePlanRepository(store: store))
        let plan = try Self.clairesPlan()
        try await registry.add(plan)
        let gp = try Self.change("Dr Pascoe", "GP", "Agreed with Claire", at: "2026-07-02T10:00:00+01:00")
        _ = try await registry.move(plan.id, expectedVersion: 1, to: .active, change: gp)
        let claire = try Self.change("Claire", "patient", "I would rather be at home", at: "2026-07-03T10:00:00+01:00")
        _ = try await registry.propose(plan.id, change: claire) { $0.advanceCarePlan.preferredPlaceOfCare = "At home" }
        _ = try await registry.propose(plan.id, change: claire) { $0.contingency = ["Call Amy first"] }
        _ = try await registry.decide(plan.id, proposal: 1, accept: true, expectedVersion: 2, change: gp)
        let final = try await registry.decide(plan.id, proposal: 2, accept: false, expectedVersion: 3, change: gp)

        let reopened = try CarePlanRepository(store: try Self.open(file)).loadAll()
        #expect(reopened == [final])
        #expect(final.version == 3 && final.proposals.map(\.decision?.accepted) == [true, false])
        // The FHIR history is the plan's: one resource version per plan version.
        let history = try store.history("CarePlan", id: plan.id.rawValue)
        #expect(history.map(\.version) == [1, 2, 3])
        #expect(try store.search(StoreQuery(type: "CarePlan")).count == 3)
        // A registry on the reopened store carries on.
        let again = try CarePlanRegistry(store: CarePlanRepository(store: try Self.open(file)))
        let moved = try await again.move(plan.id, expectedVersion: 3, to: .onHold, change: gp)
        #expect(try CarePlanRepository(store: try Self.open(file)).loadAll() == [moved])
    }

    @Test("a plan changed by another process since it was read is refused, not overwritten")
    func carePlanConflict() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("care.sqlite")
        let plan = try Self.clairesPlan()
        try await CarePlanRegistry(store: CarePlanRepository(store: try Self.open(file))).add(plan)
        let first = try CarePlanRegistry(store: CarePlanRepository(store: try Self.open(file)))
        let second = try CarePlanRegistry(store: CarePlanRepository(store: try Self.open(file)))
        let gp = try Self.change("Dr Pascoe", "GP", "Agreed", at: "2026-07-02T10:00:00+01:00")
        _ = try await first.move(plan.id, expectedVersion: 1, to: .active, change: gp)
        do {
            _ = try await second.move(plan.id, expectedVersion: 1, to: .revoked, change: gp)
            Issue.record("the second registry overwrote the first's version")
        } catch {
            #expect(error.code == .storageFailure)
        }
        #expect(try CarePlanRepository(store: try Self.open(file)).loadAll().map(\.status) == [.active])
    }

    @Test("two processes filing a proposal with one number to one plan cannot both file it")
    func proposalsCollideAcrossConnections() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("care.sqlite")
        let plan = try Self.clairesPlan()
        try await CarePlanRegistry(store: CarePlanRepository(store: try Self.open(file))).add(plan)
        let first = try CarePlanRegistry(store: CarePlanRepository(store: try Self.open(file)))
        let second = try CarePlanRegistry(store: CarePlanRepository(store: try Self.open(file)))
        let claire = try Self.change("Claire", "patient", "At home", at: "2026-07-03T10:00:00+01:00")
        _ = try await first.propose(plan.id, change: claire) { $0.advanceCarePlan.preferredPlaceOfCare = "At home" }
        do {
            _ = try await second.propose(plan.id, change: claire) { $0.contingency = ["Call Amy first"] }
            Issue.record("two proposals were filed with one number")
        } catch {
            #expect(error.code == .storageFailure)
        }
        let stored = try CarePlanRepository(store: try Self.open(file)).loadAll()
        #expect(stored.first?.proposals.map(\.content.advanceCarePlan.preferredPlaceOfCare) == ["At home"])
        #expect(try Self.open(file).read("CarePlan", id: "plan-claire-proposal-1").version == 1)
    }

    // MARK: Patient records and consent directives

    @Test("patient records reopen whole, are found by identifier, and a stale write is refused")
    func patientRecordsSurviveReopening() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("care.sqlite")
        var generator = SeededRandomNumberGenerator(seed: 20_261_126)
        let population = SyntheticPopulation.generate(recordCount: 200, using: &generator)
        let records = population.records.sorted { $0.id.rawValue < $1.id.rawValue }
        try PatientRecordRepository(store: try Self.open(file)).save(records)

        let reopened = PatientRecordRepository(store: try Self.open(file))
        // FHIR's meta.lastUpdated is the moment the store recorded the Patient; all else reads back as saved.
        let stamps = try Self.open(file).search(StoreQuery(type: "Patient")).map(\.lastUpdated)
        let expected = zip(records, stamps).map { record, stamp in
            var record = record
            record.lastUpdated = stamp
            return record
        }
        #expect(try reopened.records() == expected)
        var index = PatientIndex()
        try index.insert(contentsOf: try reopened.records())
        #expect(index.count == 200)
        let numbered = try #require(records.first { $0.nhsNumber != nil })
        let number = try #require(numbered.nhsNumber?.value?.digits)
        let found = try reopened.records(
            identifiedBy: StoreQuery.IdentifierToken(system: "https://fhir.nhs.uk/Id/nhs-number", value: number)
        )
        #expect(found.map { $0.id }.contains(numbered.id))

        // Another process updates a record; this repository's copy is stale and its write is refused.
        let other = PatientRecordRepository(store: try Self.open(file))
        var changed = try other.record(numbered.id)
        changed.isRestricted.toggle()
        try other.save([changed])
        do {
            try reopened.save([try #require(expected.first { $0.id == numbered.id })])
            Issue.record("a stale record overwrote a newer one")
        } catch let error as CareStoreError {
            #expect(error.code == .versionConflict)
        }
    }

    @Test("consent directives reopen whole, by patient too, and a withdrawal is a new version")
    func consentDirectivesSurviveReopening() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("care.sqlite")
        var generator = SeededRandomNumberGenerator(seed: 20_261_126)
        let policy = SyntheticAccessPolicy(
            roles: 10,
            activities: 20,
            directives: 60,
            patients: 20,
            sessions: 5,
            using: &generator
        )
        let directives = policy.facts.directives.values.sorted { $0.id.rawValue < $1.id.rawValue }
        let store = try Self.open(file)
        let repository = ConsentDirectiveRepository(store: store)
        try repository.save(directives)

        let reopened = ConsentDirectiveRepository(store: try Self.open(file))
        #expect(try reopened.directives() == directives)
        let patient = directives[0].patient
        #expect(try reopened.directives(for: patient) == directives.filter { $0.patient == patient })
        var withdrawn = directives[0]
        withdrawn.status = .inactive
        try reopened.save([withdrawn])
        #expect(try store.history("Consent", id: withdrawn.id.rawValue).map(\.version) == [1, 2])
        #expect(try ConsentDirectiveRepository(store: try Self.open(file)).directives()[0] == withdrawn)
    }
}
