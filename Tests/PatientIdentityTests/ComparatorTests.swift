import PatientIdentity
import Testing

/// Reference values computed independently with jellyfish 1.3.0 (Jaro, Jaro-Winkler, Damerau-Levenshtein,
/// Soundex) and the metaphone 0.6 package (Double Metaphone), on upper-case ASCII input.
@Suite struct StringSimilarityTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let a: String
        let b: String
        let jaro: Double
        let jaroWinkler: Double
        let damerau: Int
        var testDescription: String { "\(a)/\(b)" }
    }

    @Test(arguments: [
        Case(a: "JOHN", b: "JON", jaro: 0.9167, jaroWinkler: 0.9333, damerau: 1),
        Case(a: "JON", b: "JAMES", jaro: 0.5111, jaroWinkler: 0.5111, damerau: 4),
        Case(a: "SMITH", b: "SMYTHE", jaro: 0.8222, jaroWinkler: 0.8578, damerau: 2),
        Case(a: "SMITH-JONES", b: "SMITH", jaro: 0.8182, jaroWinkler: 0.8909, damerau: 6),
        Case(a: "MARTHA", b: "MARHTA", jaro: 0.9444, jaroWinkler: 0.9611, damerau: 1),
        Case(a: "DWAYNE", b: "DUANE", jaro: 0.8222, jaroWinkler: 0.8400, damerau: 2),
        Case(a: "CATHERINE", b: "KATHRYN", jaro: 0.7566, jaroWinkler: 0.7566, damerau: 4),
        Case(a: "STEPHEN", b: "STEVEN", jaro: 0.8492, jaroWinkler: 0.8944, damerau: 2),
        Case(a: "ASHCRAFT", b: "ASHCROFT", jaro: 0.9167, jaroWinkler: 0.9500, damerau: 1),
        Case(a: "JACKSON", b: "JAXON", jaro: 0.7905, jaroWinkler: 0.8324, damerau: 3),
        Case(a: "O'REILLY", b: "OREILLY", jaro: 0.9583, jaroWinkler: 0.9625, damerau: 1),
    ])
    func matchesTheReferenceValues(_ testCase: Case) {
        #expect(abs(StringSimilarity.jaro(testCase.a, testCase.b) - testCase.jaro) < 0.00005)
        #expect(abs(StringSimilarity.jaroWinkler(testCase.a, testCase.b) - testCase.jaroWinkler) < 0.00005)
        #expect(StringSimilarity.damerauLevenshtein(testCase.a, testCase.b) == testCase.damerau)
        // Every measure is symmetric.
        #expect(
            StringSimilarity.jaroWinkler(testCase.a, testCase.b) == StringSimilarity.jaroWinkler(testCase.b, testCase.a)
        )
        #expect(
            StringSimilarity.damerauLevenshtein(testCase.a, testCase.b)
                == StringSimilarity.damerauLevenshtein(testCase.b, testCase.a)
        )
    }

    @Test func handlesEmptyAndEqualStrings() {
        #expect(StringSimilarity.jaro("", "") == 1)
        #expect(StringSimilarity.jaro("A", "") == 0)
        #expect(StringSimilarity.jaroWinkler("PENGELLY", "PENGELLY") == 1)
        #expect(StringSimilarity.jaro("AB", "CD") == 0)
        #expect(StringSimilarity.damerauLevenshtein("", "ABC") == 3)
        #expect(StringSimilarity.damerauLevenshtein("ABC", "ABC") == 0)
    }

    @Test func countsATranspositionFollowedByAnEditAsTheUnrestrictedDistanceDoes() {
        // Optimal string alignment would say 3; the unrestricted Damerau-Levenshtein distance is 2.
        #expect(StringSimilarity.damerauLevenshtein("CA", "ABC") == 2)
        // A day and month swap moves two pairs of digits: four edits, which the date comparator's own
        // transposition rule catches instead.
        #expect(StringSimilarity.damerauLevenshtein("19561304", "19560413") == 4)
        #expect(StringSimilarity.damerauLevenshtein("19310231", "19310213") == 1)
        #expect(StringSimilarity.damerauLevenshtein("19450101", "19540101") == 1)
    }
}

@Suite struct SoundexTests {
    @Test(arguments: [
        ("JOHN", "J500"), ("JON", "J500"), ("JAMES", "J520"), ("SMITH", "S530"), ("SMYTHE", "S530"),
        ("MARTHA", "M630"), ("DWAYNE", "D500"), ("DUANE", "D500"), ("CATHERINE", "C365"), ("KATHRYN", "K365"),
        ("STEPHEN", "S315"), ("ASHCRAFT", "A261"), ("ASHCROFT", "A261"), ("JACKSON", "J250"), ("JAXON", "J250"),
        ("O'REILLY", "O640"), ("ROBERT", "R163"), ("RUPERT", "R163"), ("TYMCZAK", "T522"), ("PFISTER", "P236"),
        ("LEE", "L000"), ("a", "A000"),
    ])
    func codesNames(_ name: String, _ code: String) {
        #expect(Soundex.code(name) == code)
    }

    @Test func hasNoCodeWithoutLetters() {
        #expect(Soundex.code("") == nil)
        #expect(Soundex.code("123 -") == nil)
    }
}

@Suite struct DoubleMetaphoneTests {
    @Test(arguments: [
        ("JOHN", "JN", "AN"), ("JON", "JN", "AN"), ("JAMES", "JMS", "AMS"), ("SMITH", "SM0", "XMT"),
        ("SMYTHE", "SM0", "XMT"), ("MARTHA", "MR0", "MRT"), ("MARHTA", "MRT", "MRT"), ("DWAYNE", "TN", "TN"),
        ("DUANE", "TN", "TN"), ("CATHERINE", "K0RN", "KTRN"), ("KATHRYN", "K0RN", "KTRN"), ("STEPHEN", "STFN", "STFN"),
        ("STEVEN", "STFN", "STFN"), ("ASHCRAFT", "AXKRFT", "AXKRFT"), ("JACKSON", "JKSN", "AKSN"),
        ("JAXON", "JKSN", "AKSN"),
        ("OREILLY", "ARL", "ARL"), ("ZOE", "S", "S"),
    ])
    func encodesNames(_ name: String, _ primary: String, _ alternate: String) {
        let code = DoubleMetaphone(name)
        #expect(code.primary == primary)
        #expect(code.alternate == alternate)
    }

    @Test func agreesOnNamesThatSoundAlike() {
        #expect(DoubleMetaphone("CATHERINE").agrees(with: DoubleMetaphone("KATHRYN")))
        #expect(DoubleMetaphone("SMITH").agrees(with: DoubleMetaphone("SCHMIDT")))
        #expect(!DoubleMetaphone("SMITH").agrees(with: DoubleMetaphone("JONES")))
        #expect(!DoubleMetaphone("").agrees(with: DoubleMetaphone("")))
    }

    @Test func cutsToALengthWhenAsked() {
        #expect(DoubleMetaphone("ASHCRAFT", maximumLength: 4).primary == "AXKR")
    }
}

@Suite struct NicknameTableTests {
    @Test(arguments: [
        ("William", "Bill"), ("BILL", "liam"), ("Margaret", "Peggy"), ("Katherine", "Catherine"), ("Kate", "Kathryn"),
        ("Philip", "Phil"), ("Sam", "Samuel"), ("Sam", "Samantha"), ("Zoë", "ZOE"),
    ])
    func findsEquivalentNames(_ a: String, _ b: String) {
        #expect(NicknameTable.standard.areEquivalent(a, b))
        #expect(NicknameTable.standard.areEquivalent(b, a))
    }

    @Test func keepsDifferentPeopleApart() {
        #expect(!NicknameTable.standard.areEquivalent("Samuel", "Samantha"))
        #expect(!NicknameTable.standard.areEquivalent("William", "Robert"))
        #expect(!NicknameTable.standard.areEquivalent("", ""))
    }

    @Test func takesLocalGroups() {
        let cornish = NicknameTable.standard.adding(["Jago", "James", "Jim"])
        #expect(cornish.areEquivalent("Jago", "Jim"))
        #expect(!NicknameTable.standard.areEquivalent("Jago", "Jim"))
        // Equivalence needs a shared group: it does not chain from Jago to Jamie through James.
        #expect(!cornish.areEquivalent("Jago", "Jamie"))
    }
}
