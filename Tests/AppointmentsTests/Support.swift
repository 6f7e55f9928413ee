import CareCore
import Foundation
import Testing

@testable import Appointments

/// A moment from an ISO 8601 text with an offset, for readable tests.
func moment(_ text: String) throws -> Date {
    try Instant(parsing: text).date
}

func day(_ text: String) throws -> CivilDate {
    try CivilDate(parsing: text)
}

func london() throws -> CivilTimeZone {
    try CivilTimeZone.europeLondon()
}

/// Slot ids `s1`, `s2`, … from a counter, so tests can name them.
final class Counter: @unchecked Sendable {
    // Tests use each counter from one task only; the class exists so closures can share it.
    private var next = 0
    private let prefix: String

    init(_ prefix: String) { self.prefix = prefix }

    func slotID() -> Slot.ID {
        next += 1
        return Slot.ID(unchecked: "\(prefix)\(next)")
    }
}

func slotID(_ text: String) -> Slot.ID { Slot.ID(unchecked: text) }
func appointmentID(_ text: String) -> Appointment.ID { Appointment.ID(unchecked: text) }
func patient(_ text: String) -> Appointment.PatientID { Appointment.PatientID(unchecked: text) }

/// A schedule at an organisation (A81001 by default), for one practitioner of its own unless actors are given.
func schedule(
    _ id: String,
    organisation: String = "A81001",
    actors: [ScheduleActor]? = nil,
    service: String = "gp-consultation"
) throws -> Schedule {
    try Schedule(
        id: Schedule.ID(unchecked: id),
        actors: actors ?? [.practitioner("dr-\(id)")],
        organisation: ODSCode(parsing: organisation),
        serviceType: service
    )
}

/// A book with the default schedule `gp-1` and a fixed or manual clock.
func openBook(
    at now: String,
    store: some AppointmentStore = InMemoryAppointmentStore(),
    rules: BookingRules = BookingRules(),
    clock: (any WallClock)? = nil,
    schedules: [Schedule]? = nil
) async throws -> AppointmentBook {
    let book = try AppointmentBook(store: store, clock: clock ?? FixedWallClock(moment(now)), rules: rules)
    try await book.add(schedules: schedules ?? [schedule("gp-1")])
    return book
}

/// A slot of a schedule at a moment.
func slot(
    _ id: String,
    at start: String,
    minutes: Int = 15,
    schedule: String = "gp-1",
    channel: DeliveryChannel = .inPerson,
    service: String = "gp-consultation"
) throws -> Slot {
    let begins = try moment(start)
    return try Slot(
        id: slotID(id),
        schedule: Schedule.ID(unchecked: schedule),
        start: begins,
        end: begins.addingTimeInterval(TimeInterval(minutes * 60)),
        channel: channel,
        serviceType: service
    )
}

/// Expects an operation to throw an `AppointmentsError` with a code.
func expectCode(
    _ code: AppointmentsError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as AppointmentsError {
        #expect(error.code == code, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected an AppointmentsError, got \(type(of: error))", sourceLocation: sourceLocation)
    }
}
