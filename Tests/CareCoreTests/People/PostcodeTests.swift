import CareCore
import Foundation
import Testing

@Suite struct PostcodeTests {
    struct ValidCase: Sendable, CustomTestStringConvertible {
        let input: String
        let formatted: String
        let area: String
        let sector: String
        var testDescription: String { "\(input.debugDescription) -> \(formatted)" }
    }

    @Test(arguments: [
        ValidCase(input: "M1 1AE", formatted: "M1 1AE", area: "M", sector: "M1 1"),  // A9
        ValidCase(input: "B33 8TH", formatted: "B33 8TH", area: "B", sector: "B33 8"),  // A99
        ValidCase(input: "TR1 3LJ", formatted: "TR1 3LJ", area: "TR", sector: "TR1 3"),  // AA9
        ValidCase(input: "PL31 2QN", formatted: "PL31 2QN", area: "PL", sector: "PL31 2"),  // AA99
        ValidCase(input: "W1A 0AX", formatted: "W1A 0AX", area: "W", sector: "W1A 0"),  // A9A
        ValidCase(input: "EC1A 1BB", formatted: "EC1A 1BB", area: "EC", sector: "EC1A 1"),  // AA9A
        ValidCase(input: "tr13lj", formatted: "TR1 3LJ", area: "TR", sector: "TR1 3"),
        ValidCase(input: "  tr1   3lj ", formatted: "TR1 3LJ", area: "TR", sector: "TR1 3"),
        // St Mary's, Isles of Scilly, with a tab between the codes.
        ValidCase(input: "TR21\t0PW", formatted: "TR21 0PW", area: "TR", sector: "TR21 0"),
        ValidCase(input: "GIR 0AA", formatted: "GIR 0AA", area: "GIR", sector: "GIR 0"),
        ValidCase(input: "gir0aa", formatted: "GIR 0AA", area: "GIR", sector: "GIR 0"),
        ValidCase(input: "BF1 4AF", formatted: "BF1 4AF", area: "BF", sector: "BF1 4"),
        ValidCase(input: "ZZ99 3VZ", formatted: "ZZ99 3VZ", area: "ZZ", sector: "ZZ99 3"),
    ])
    func acceptsEveryUKFormAndNormalisesIt(_ valid: ValidCase) throws {
        let postcode = try Postcode(parsing: valid.input)
        #expect(postcode.formatted == valid.formatted)
        #expect(postcode.area == valid.area)
        #expect(postcode.sector == valid.sector)
        #expect(postcode.district == postcode.outward)
        #expect(postcode.outward + " " + postcode.inward == valid.formatted)
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let input: String
        let code: CareCoreError.Code
        let why: String
        var testDescription: String { "\(input.debugDescription): \(why)" }
    }

    @Test(arguments: [
        InvalidCase(input: "", code: .empty, why: "empty"),
        InvalidCase(input: "   ", code: .empty, why: "only spaces"),
        InvalidCase(input: "TR1", code: .invalidFormat, why: "outward code only"),
        InvalidCase(input: "TR1-3LJ", code: .invalidFormat, why: "hyphen"),
        InvalidCase(input: "TR1 3L", code: .invalidFormat, why: "short inward code"),
        InvalidCase(input: "TR123 3LJ", code: .invalidFormat, why: "outward code too long"),
        InvalidCase(input: "TR 1 3LJ", code: .invalidFormat, why: "three groups"),
        InvalidCase(input: "TR1 LJ3", code: .invalidFormat, why: "inward code not digit-letter-letter"),
        InvalidCase(input: "QR1 3LJ", code: .invalidFormat, why: "Q never first"),
        InvalidCase(input: "VA1 3LJ", code: .invalidFormat, why: "V never first"),
        InvalidCase(input: "XA1 3LJ", code: .invalidFormat, why: "X never first"),
        InvalidCase(input: "AI1 3LJ", code: .invalidFormat, why: "I never second"),
        InvalidCase(input: "AJ1 3LJ", code: .invalidFormat, why: "J never second"),
        InvalidCase(input: "AZ1 3LJ", code: .invalidFormat, why: "Z never second"),
        InvalidCase(input: "W1I 0AX", code: .invalidFormat, why: "I not allowed third in A9A"),
        InvalidCase(input: "EC1C 1BB", code: .invalidFormat, why: "C not allowed fourth in AA9A"),
        InvalidCase(input: "TR1 3CJ", code: .invalidFormat, why: "C never in inward code"),
        InvalidCase(input: "TR1 3LK", code: .invalidFormat, why: "K never in inward code"),
        InvalidCase(input: "TR1 3MO", code: .invalidFormat, why: "M and O never in inward code"),
        InvalidCase(input: "1R1 3LJ", code: .invalidFormat, why: "digit first"),
        InvalidCase(input: "TRR1 3LJ", code: .invalidFormat, why: "three letters"),
        InvalidCase(input: "ZZ99 3VA", code: .invalidFormat, why: "pseudo-postcode not ending in Z"),
        InvalidCase(input: "ＴＲ１ ３ＬＪ", code: .invalidFormat, why: "full-width characters"),
        InvalidCase(input: "GIR 0AB", code: .invalidFormat, why: "only GIR 0AA is the exception"),
    ])
    func rejectsWhatIsNotAUKPostcode(_ invalid: InvalidCase) {
        expectCareCoreError(invalid.code) { try Postcode(parsing: invalid.input) }
    }

    @Test(arguments: Array("ABCDEFGHJKPSTUW"))
    func acceptsEveryLetterAllowedThirdInA9A(_ letter: Character) throws {
        #expect(try Postcode(parsing: "W1\(letter) 0AX").outward == "W1\(letter)")
    }

    @Test(arguments: Array("ABEHMNPRVWXY"))
    func acceptsEveryLetterAllowedFourthInAANA(_ letter: Character) throws {
        #expect(try Postcode(parsing: "EC1\(letter) 1BB").outward == "EC1\(letter)")
    }

    @Test(arguments: Array("ILMNOQRVXYZ"))
    func rejectsEveryLetterNotAllowedThirdInA9A(_ letter: Character) {
        expectCareCoreError(.invalidFormat) { try Postcode(parsing: "W1\(letter) 0AX") }
    }

    @Test(arguments: Array("CDFGIJKLOQSTUZ"))
    func rejectsEveryLetterNotAllowedFourthInAANA(_ letter: Character) {
        expectCareCoreError(.invalidFormat) { try Postcode(parsing: "EC1\(letter) 1BB") }
    }

    @Test(arguments: [
        ("ZZ99 3VZ", NHSPseudoPostcode.noFixedAbode),
        ("ZZ99 3WZ", .addressNotKnown),
        ("ZZ99 3CZ", .englandNotOtherwiseStated),
        ("ZZ99 3GZ", .wales),
        ("ZZ99 1WZ", .scotland),
        ("ZZ99 2WZ", .northernIreland),
        ("ZZ99 6CZ", .overseas),
    ])
    func recognisesNHSPseudoPostcodes(_ text: String, _ kind: NHSPseudoPostcode) throws {
        #expect(try Postcode(parsing: text).pseudoPostcode == kind)
    }

    @Test func realPostcodesAreNotPseudo() throws {
        #expect(try Postcode(parsing: "TR1 3LJ").pseudoPostcode == nil)
    }

    @Test func failableParserAgreesWithThrowingParser() {
        #expect(Postcode("tr1 3lj")?.formatted == "TR1 3LJ")
        #expect(Postcode("not a postcode") == nil)
    }

    @Test func hidesItselfFromDescriptionsAndDumps() throws {
        let postcode = try Postcode(parsing: "TR1 3LJ")
        #expect(!"\(postcode)".contains("TR1"))
        #expect(!String(reflecting: postcode).contains("TR1"))
        var dumped = ""
        dump(postcode, to: &dumped)
        #expect(!dumped.contains("TR1") && !dumped.contains("3LJ"))
    }

    @Test func ordersByOutwardThenInward() throws {
        let sorted = try ["TR1 3LJ", "PL31 2QN", "TR1 1AA"].map { try Postcode(parsing: $0) }.sorted().map(\.formatted)
        #expect(sorted == ["PL31 2QN", "TR1 1AA", "TR1 3LJ"])
    }

    @Test func codesAsItsFormattedTextAndValidatesOnTheWayIn() throws {
        let json = try JSONEncoder().encode([try Postcode(parsing: "tr13lj")])
        #expect(String(decoding: json, as: UTF8.self) == #"["TR1 3LJ"]"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Postcode].self, from: Data(#"["QQ1 1QQ"]"#.utf8))
        }
    }
}
