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
