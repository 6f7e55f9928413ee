import CareCore
import Testing

@Suite struct FieldPathTests {
    @Test func printsFieldsAndIndices() {
        let path = FieldPath("patient.address").appending(index: 0).appending("line").appending(index: 2)
        #expect(path.description == "patient.address[0].line[2]")
        #expect(FieldPath.root.description == "(root)")
        #expect(FieldPath.root.isRoot && !path.isRoot)
        #expect(FieldPath("a..b").components == [.field("a"), .field("b")])
        #expect(FieldPath("name").appending(FieldPath("given")).description == "name.given")
        #expect(FieldPath.root.appending(index: 3).description == "[3]")
    }
}

@Suite struct CareCoreErrorTests {
    @Test func describesFieldReasonAndPosition() {
        let error = CareCoreError(.invalidFormat, field: FieldPath("postcode"), reason: "not valid")
        #expect(error.description == "postcode: not valid")
        let located = CareCoreError(
            .unexpectedQuote,
            field: FieldPath("csv"),
            reason: "bad quote",
            position: TextPosition(line: 3, column: 7)
        )
        #expect(located.description == "csv: bad quote (line 3, column 7)")
        #expect(TextPosition(line: 2, column: 9) < TextPosition(line: 3, column: 1))
    }

    @Test func nestsUnderAnOuterPath() {
        let inner = CareCoreError(.empty, field: FieldPath("family"), reason: "empty")
        let outer = inner.nested(under: FieldPath("patient").appending("name").appending(index: 1))
        #expect(outer.field.description == "patient.name[1].family")
        #expect(outer.code == .empty && outer.reason == inner.reason)
    }

    @Test func conformsToTheSuiteWideProtocol() {
        let error: any CareError = CareCoreError(.missing, field: .root, reason: "missing")
        #expect(error.field.isRoot)
        #expect(error.reason == "missing")
        #expect(CareCoreError.Code.invalidFormat.description == "invalid-format")
    }
}

@Suite struct SeededRandomNumberGeneratorTests {
    /// Reference outputs of SplitMix64 from seed 0, as published with the algorithm's reference implementation.
    @Test func matchesTheSplitMix64ReferenceSequence() {
        var generator = SeededRandomNumberGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func equalSeedsGiveEqualSequences() {
        var a = SeededRandomNumberGenerator(seed: 99)
        var b = SeededRandomNumberGenerator(seed: 99)
        var c = SeededRandomNumberGenerator(seed: 100)
        let first = (0..<10).map { _ in a.next() }
        #expect(first == (0..<10).map { _ in b.next() })
        #expect(first != (0..<10).map { _ in c.next() })
    }
}
