import CareCore
import Testing
import TriageScoring

/// Expects a ``TriageScoringError`` with a given code, field and (optionally) line from an expression.
///
/// The error's text must not contain `withheld`: the value that was refused, which an error never repeats.
func expectTriageError<T>(
    _ code: TriageScoringError.Code,
    at field: String,
    line: Int? = nil,
    withheld: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(TriageScoringError) -> T
) {
    do {
        _ = try body()
        Issue.record("expected \(code) at \(field) but nothing was thrown", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == code, "got \(error)", sourceLocation: sourceLocation)
        #expect(error.field.description == field, "got \(error)", sourceLocation: sourceLocation)
        #expect(error.line == line, "got \(error)", sourceLocation: sourceLocation)
        if let withheld {
            #expect(
                !error.description.contains(withheld),
                "the error repeats the value",
                sourceLocation: sourceLocation
            )
        }
    }
}
