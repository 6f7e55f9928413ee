import CareCore
import Foundation
import PatientIdentity
import Testing

/// Vectors computed for these tests by an independent script (weights 10 to 2, 11 minus the remainder),
/// not copied from any published list.
@Suite struct NHSNumberTests {
    @Test(arguments: [
        "9434765919", "4001588137", "4859986989", "6007973093", "7001141704", "7997536450", "3205681517",
        "9999405576", "9436169876", "0101689764", "7764725870", "9000000009", "9876543210",
    ])
    func acceptsValidNumbers(_ digits: String) throws {
        let number = try NHSNumber(parsing: digits)
        #expect(number.digits == digits)
    }

    @Test(arguments: [("943 476 5919", "9434765919"), ("943-476-5919", "9434765919"), ("  9434765919\t", "9434765919")])
    func acceptsTheDisplayLayouts(_ input: String, _ digits: String) throws {
        #expect(try NHSNumber(parsing: input).digits == digits)
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let input: String
        let code: PatientIdentityError.Code
        let why: String
        var testDescription: String { "\(input.debugDescription): \(why)" }
    }

    @Test(arguments: [
        InvalidCase(input: "", code: .empty, why: "empty"),
        InvalidCase(input: "   ", code: .empty, why: "blank"),
        InvalidCase(input: "9434765918", code: .checkDigitMismatch, why: "check digit changed"),
        InvalidCase(input: "9434765929", code: .checkDigitMismatch, why: "one digit changed"),
        InvalidCase(input: "4934765919", code: .checkDigitMismatch, why: "first two digits swapped"),
        InvalidCase(
            input: "9434756919",
            code: .noValidCheckDigit,
            why: "adjacent digits swapped into a stem with no check digit"
        ),
        InvalidCase(input: "9434765991", code: .checkDigitMismatch, why: "check digit swapped into the stem"),
        InvalidCase(input: "0029787530", code: .noValidCheckDigit, why: "stem with remainder 1"),
        InvalidCase(input: "0599728370", code: .noValidCheckDigit, why: "stem with remainder 1"),
        InvalidCase(input: "9876544321", code: .checkDigitMismatch, why: "a format example that fails the check"),
        InvalidCase(input: "9111111124", code: .checkDigitMismatch, why: "a 'pre-validated' number that is not"),
        InvalidCase(input: "0000000000", code: .sentinel, why: "tracing sentinel: no match"),
        InvalidCase(input: "9999999999", code: .sentinel, why: "tracing sentinel: several matches"),
        InvalidCase(input: "4444444444", code: .sentinel, why: "repdigit"),
        InvalidCase(input: "943476591", code: .invalidFormat, why: "nine digits"),
        InvalidCase(input: "94347659190", code: .invalidFormat, why: "eleven digits"),
        InvalidCase(input: "943 476-5919", code: .invalidFormat, why: "mixed separators"),
        InvalidCase(input: "943  476 5919", code: .invalidFormat, why: "double space"),
        InvalidCase(input: "9434 765 919", code: .invalidFormat, why: "4-3-3 grouping"),
        InvalidCase(input: "+44 9434765919", code: .invalidFormat, why: "country code"),
        InvalidCase(input: "943476591O", code: .invalidFormat, why: "letter O for zero"),
        InvalidCase(input: "９４３４７６５９１９", code: .invalidFormat, why: "full-width digits"),
        InvalidCase(input: "943.476.5919", code: .invalidFormat, why: "dots"),
    ])
    func rejectsInvalidNumbersWithTheReason(_ invalid: InvalidCase) {
        do {
            _ = try NHSNumber(parsing: invalid.input)
            Issue.record("expected \(invalid.code)")
        } catch {
            #expect(error.code == invalid.code)
            #expect(error.field.description == "nhsNumber")
            let digits = invalid.input.filter(\.isNumber)
            if digits.count >= 6 { #expect(!error.description.contains(digits)) }
        }
    }

    @Test func everySingleDigitErrorAndTranspositionIsDetected() throws {
        var generator = SeededRandomNumberGenerator(seed: 11)
        var checked = 0
        while checked < 300 {
            let stem = (0..<9).map { _ in Int.random(in: 0...9, using: &generator) }
            guard let check = NHSNumber.checkDigit(for: stem) else { continue }
            let digits = stem + [check]
            guard Set(digits).count > 1 else { continue }
            checked += 1
            for position in 0..<10 {
                for replacement in 0...9 where replacement != digits[position] {
                    var changed = digits
                    changed[position] = replacement
                    #expect(NHSNumber(changed.map(String.init).joined()) == nil)
                }
                for other in (position + 1)..<10 where digits[other] != digits[position] {
                    var swapped = digits
                    swapped.swapAt(position, other)
                    #expect(NHSNumber(swapped.map(String.init).joined()) == nil)
                }
            }
        }
    }

    @Test func computesCheckDigits() {
        #expect(NHSNumber.checkDigit(for: [9, 4, 3, 4, 7, 6, 5, 9, 1]) == 9)
        #expect(NHSNumber.checkDigit(for: [9, 8, 7, 6, 5, 4, 4, 3, 2]) == 2)
        #expect(NHSNumber.checkDigit(for: [7, 7, 6, 4, 7, 2, 5, 8, 7]) == 0)
        #expect(NHSNumber.checkDigit(for: [0, 0, 2, 9, 7, 8, 7, 5, 3]) == nil)
        #expect(NHSNumber.checkDigit(for: [1, 2, 3]) == nil)
        #expect(NHSNumber.checkDigit(for: [1, 2, 3, 4, 5, 6, 7, 8, 10]) == nil)
    }

    @Test func formatsThreeThreeFour() throws {
        #expect(try NHSNumber(parsing: "9434765919").formatted == "943 476 5919")
        #expect(try NHSNumber(parsing: "0101689764").formatted == "010 168 9764")
    }

    @Test func keepsTheAdvisoryRangesApartFromValidity() throws {
        let test = try NHSNumber(parsing: "9999405576")
        #expect(test.isInTestRange && test.isInNeverIssuedRange)
        let sandbox = try NHSNumber(parsing: "9000000009")
        #expect(!sandbox.isInTestRange && sandbox.isInNeverIssuedRange)
        let england = try NHSNumber(parsing: "4859986989")
        #expect(!england.isInTestRange && !england.isInNeverIssuedRange)
    }

    @Test func carriesItsVerificationStatus() throws {
        let verified = try NHSNumber(parsing: "9434765919", verificationStatus: .verified)
        let untraced = verified.withVerificationStatus(.presentNotTraced)
        #expect(verified.isVerified && !untraced.isVerified)
        #expect(verified != untraced)
        #expect(verified.isSameNumber(as: untraced))
        #expect(verified.identifier.system == .nhsNumber && verified.identifier.value == "9434765919")
        #expect(NHSNumberVerificationStatus.verified.coding.code == "01")
        #expect(NHSNumberVerificationStatus.tracePostponed.rawValue == "08")
        #expect(NHSNumberVerificationStatus.allCases.count == 8)
    }

    @Test func hidesItselfFromDescriptionsAndDumps() throws {
        let number = try NHSNumber(parsing: "9434765919", verificationStatus: .verified)
        var dumped = ""
        dump(number, to: &dumped)
        for text in ["\(number)", String(reflecting: number), dumped] {
            #expect(!text.contains("9434765919") && !text.contains("943 476"))
        }
    }

    @Test func decodesWithValidation() throws {
        let number = try NHSNumber(parsing: "9434765919", verificationStatus: .presentNotTraced)
        #expect(try JSONDecoder().decode(NHSNumber.self, from: JSONEncoder().encode(number)) == number)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(NHSNumber.self, from: Data(#"{"digits":"9434765918"}"#.utf8))
        }
    }
}
