import CareCore
import Foundation
import Testing

@Suite struct FHIRDateTests {
    struct ValidCase: Sendable, CustomTestStringConvertible {
        let text: String
        let precision: FHIRDate.Precision
        var testDescription: String { text }
    }

    @Test(arguments: [
        ValidCase(text: "1950", precision: .year),
        ValidCase(text: "1950-03", precision: .month),
        ValidCase(text: "1950-03-14", precision: .day),
        ValidCase(text: "0001", precision: .year),
        ValidCase(text: "9999-12-31", precision: .day),
        ValidCase(text: "2024-02-29", precision: .day),
    ])
    func parsesEachPrecisionAndPrintsItBack(_ valid: ValidCase) throws {
        let date = try FHIRDate(parsing: valid.text)
        #expect(date.precision == valid.precision)
        #expect(date.description == valid.text)
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let text: String
        let code: CareCoreError.Code
        var testDescription: String { "\(text.debugDescription) -> \(code)" }
    }

    @Test(arguments: [
        InvalidCase(text: "", code: .empty),
        InvalidCase(text: "0000", code: .invalidFormat),
        InvalidCase(text: "195", code: .invalidFormat),
        InvalidCase(text: "19500", code: .invalidFormat),
        InvalidCase(text: "1950-3", code: .invalidFormat),
        InvalidCase(text: "1950-03-1", code: .invalidFormat),
        InvalidCase(text: "1950-13", code: .outOfRange),
        InvalidCase(text: "1950-00", code: .outOfRange),
        InvalidCase(text: "2026-02-29", code: .outOfRange),
        InvalidCase(text: "2026-04-31", code: .outOfRange),
        InvalidCase(text: "1950-03-14T10:00:00Z", code: .invalidFormat),
        InvalidCase(text: "14/03/1950", code: .invalidFormat),
        InvalidCase(text: " 1950", code: .invalidFormat),
        InvalidCase(text: "1950-03-14 ", code: .invalidFormat),
        InvalidCase(text: "１９５０", code: .invalidFormat),
    ])
    func rejectsWhatFHIRRejects(_ invalid: InvalidCase) {
        expectCareCoreError(invalid.code) { try FHIRDate(parsing: invalid.text) }
    }

    @Test func neverCompletesAPartialDate() throws {
        let yearOnly = try FHIRDate(parsing: "1950")
        #expect(yearOnly.civilDate == nil)
        #expect(yearOnly.month == nil && yearOnly.day == nil)
        #expect(yearOnly.earliestDay == (try day(1950, 1, 1)))
        #expect(yearOnly.latestDay == (try day(1950, 12, 31)))

        let monthOnly = try FHIRDate(parsing: "2024-02")
        #expect(monthOnly.civilDate == nil)
        #expect(monthOnly.latestDay == (try day(2024, 2, 29)))

        let full = try FHIRDate(parsing: "1950-03-14")
        #expect(full.civilDate == (try day(1950, 3, 14)))
    }

    @Test func answersContainmentAndOverlapAsRanges() throws {
        let march = try FHIRDate(parsing: "1950-03")
        #expect(march.contains(try day(1950, 3, 1)))
        #expect(march.contains(try day(1950, 3, 31)))
        #expect(!march.contains(try day(1950, 4, 1)))
        #expect(march.couldBeSameDay(as: try FHIRDate(parsing: "1950")))
        #expect(march.couldBeSameDay(as: try FHIRDate(parsing: "1950-03-14")))
        #expect(!march.couldBeSameDay(as: try FHIRDate(parsing: "1950-04-01")))
    }

    @Test func givesTheRangeOfPossibleAgesForAPartialDateOfBirth() throws {
        let onDay = try day(2026, 6, 1)
        #expect(try FHIRDate(parsing: "1950").possibleAges(on: onDay) == 75...76)
        #expect(try FHIRDate(parsing: "1950-06").possibleAges(on: onDay) == 75...76)
        #expect(try FHIRDate(parsing: "1950-05").possibleAges(on: onDay) == 76...76)
        #expect(try FHIRDate(parsing: "1950-06-01").possibleAges(on: onDay) == 76...76)
    }

    @Test func buildsFromPartsWithTheSameChecks() throws {
        #expect(try FHIRDate(year: 1950).description == "1950")
        #expect(try FHIRDate(year: 1950, month: 3).description == "1950-03")
        #expect(FHIRDate(try day(1950, 3, 14)).description == "1950-03-14")
        expectCareCoreError(.outOfRange) { try FHIRDate(year: 0) }
        expectCareCoreError(.outOfRange) { try FHIRDate(year: 1950, month: 13) }
    }

    @Test func codesAsItsTextForm() throws {
        let dates = try ["1950", "1950-03", "1950-03-14"].map { try FHIRDate(parsing: $0) }
        let json = try JSONEncoder().encode(dates)
        #expect(String(decoding: json, as: UTF8.self) == #"["1950","1950-03","1950-03-14"]"#)
        #expect(try JSONDecoder().decode([FHIRDate].self, from: json) == dates)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([FHIRDate].self, from: Data(#"["1950-3"]"#.utf8))
        }
    }
}
