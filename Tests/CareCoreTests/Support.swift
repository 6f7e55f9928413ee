import CareCore
import Foundation
import Testing

/// Builds a civil date in tests, failing the test (not crashing) when the parts are wrong.
func day(_ year: Int, _ month: Int, _ day: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> CivilDate {
    try #require(try CivilDate(year: year, month: month, day: day), sourceLocation: sourceLocation)
}

/// The moment given as an ISO 8601 UTC text, such as `2026-03-29T01:00:00Z`.
func utc(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Date {
    try #require(try Instant(parsing: text), sourceLocation: sourceLocation).date
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

/// The London zone, loaded once per use; tests fail clearly when the time-zone database is missing.
func london(sourceLocation: SourceLocation = #_sourceLocation) throws -> CivilTimeZone {
    try #require(try CivilTimeZone.europeLondon(), sourceLocation: sourceLocation)
}
