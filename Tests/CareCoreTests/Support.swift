import CareCore
import Foundation
import Testing

/// Builds a civil date in tests; wrong parts throw, which fails the test rather than crashing it.
func day(_ year: Int, _ month: Int, _ day: Int) throws -> CivilDate {
    try CivilDate(year: year, month: month, day: day)
}

/// The moment given as an ISO 8601 UTC text, such as `2026-03-29T01:00:00Z`.
func utc(_ text: String) throws -> Date {
    try Instant(parsing: text).date
}

/// Expects a ``CareCoreError`` with a given code from an expression.
func expectCareCoreError<T>(
    _ code: CareCoreError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> T
) {
    do {
        _ = try body()
        Issue.record("expected \(code) but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as CareCoreError {
        #expect(error.code == code, "got \(error.code): \(error.reason)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected CareCoreError but got \(type(of: error))", sourceLocation: sourceLocation)
    }
}

/// The London zone; a missing time-zone database throws `timeZoneUnavailable`, which fails the test clearly.
func london() throws -> CivilTimeZone {
    try CivilTimeZone.europeLondon()
}
