import CareCore
import Foundation
import Testing

@Suite struct CSVReaderTests {
    private func read(_ text: String, options: CSVReader.Options = CSVReader.Options()) throws -> [[String]] {
        var reader = CSVReader(string: text, options: options)
        return try reader.readAll().map(\.fields)
    }

    private func expectFailure(
        _ text: String,
        _ code: CareCoreError.Code,
        line: Int,
        column: Int,
        options: CSVReader.Options = CSVReader.Options(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var reader = CSVReader(bytes: Array(text.utf8), options: options)
        do {
            _ = try reader.readAll()
            Issue.record("expected \(code)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.position == TextPosition(line: line, column: column), sourceLocation: sourceLocation)
        }
    }

    @Test func readsPlainRecordsWithAnyLineEnding() throws {
        #expect(try read("a,b\r\nc,d\r\n") == [["a", "b"], ["c", "d"]])
        #expect(try read("a,b\nc,d") == [["a", "b"], ["c", "d"]])
        #expect(try read("a,b\rc,d\r") == [["a", "b"], ["c", "d"]])
        #expect(try read("") == [])
        #expect(try read("\r\n\n") == [])
    }

    @Test func keepsEmptyFields() throws {
        #expect(try read(",\r\na,\r\n,b") == [["", ""], ["a", ""], ["", "b"]])
        #expect(try read("\"\",x") == [["", "x"]])
    }

    @Test func readsQuotedFieldsWithSeparatorsQuotesAndLineBreaks() throws {
        let text = "name,note\r\n\"Trelawny, Claire\",\"said \"\"fine\"\"\"\r\n\"x\",\"two\r\nlines\nand\rthree\"\r\n"
        #expect(
            try read(text) == [
                ["name", "note"], ["Trelawny, Claire", "said \"fine\""], ["x", "two\r\nlines\nand\rthree"],
            ]
        )
    }

    @Test func skipsAByteOrderMarkAndBlankLines() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a,b\r\n\r\nc,d\r\n".utf8)
        var reader = CSVReader(bytes: bytes)
        let records = try reader.readAll()
        #expect(records.map(\.fields) == [["a", "b"], ["c", "d"]])
        #expect(records.map(\.line) == [1, 3])
    }

    @Test func reportsTheLineEachRecordStartsOn() throws {
        var reader = CSVReader(string: "a,b\n\"multi\nline\",x\nlast,y\n")
        let records = try reader.readAll()
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test func keepsUnicodeIntact() throws {
        #expect(try read("Zoë,Siân\r\n\"Łukasz\",日本\r\n") == [["Zoë", "Siân"], ["Łukasz", "日本"]])
    }

    @Test func rejectsAQuoteInsideAnUnquotedField() {
        expectFailure("a,b\r\nab\"c,d\r\n", .unexpectedQuote, line: 2, column: 3)
    }

    @Test func rejectsTextAfterAClosingQuote() {
        expectFailure("a,b\n\"ab\"c,d\n", .unexpectedQuote, line: 2, column: 5)
    }

    @Test func reportsAnUnterminatedQuoteWhereTheFieldBegan() {
        expectFailure("a,b\nc,\"never\nclosed,e\n", .unterminatedQuote, line: 2, column: 3)
    }

    @Test func rejectsARecordWithTheWrongNumberOfFields() {
        expectFailure("a,b,c\nd,e,f\ng,h\n", .fieldCountMismatch, line: 3, column: 1)
    }

    @Test func allowsRaggedRecordsWhenAsked() throws {
        let options = CSVReader.Options(requiresUniformFieldCount: false)
        #expect(try read("a,b,c\nd\n", options: options) == [["a", "b", "c"], ["d"]])
    }

    @Test func rejectsBytesThatAreNotUTF8() {
        var reader = CSVReader(bytes: Array("ok,fine\nbad,".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        do {
            _ = try reader.readAll()
            Issue.record("expected invalidEncoding")
        } catch {
            #expect(error.code == .invalidEncoding)
            #expect(error.position == TextPosition(line: 2, column: 5))
        }
    }

    @Test func stopsAtTheFieldSizeLimit() {
        let options = CSVReader.Options(maximumFieldBytes: 8)
        expectFailure("short,123456789\n", .limitExceeded, line: 1, column: 7, options: options)
        expectFailure("short,\"123456789\"\n", .limitExceeded, line: 1, column: 7, options: options)
        #expect(throws: Never.self) { try read("12345678,\"12345678\"", options: options) }
    }

    @Test func countsEscapedQuotesTowardsTheFieldLimit() {
        let options = CSVReader.Options(maximumFieldBytes: 8)
        let hostile = "\"" + String(repeating: "\"\"", count: 20) + "\"\n"
        expectFailure(hostile, .limitExceeded, line: 1, column: 1, options: options)
    }

    @Test func stopsAtTheFieldCountLimit() {
        let options = CSVReader.Options(requiresUniformFieldCount: false, maximumFieldsPerRecord: 3)
        expectFailure("a,b\n,,,,\n", .limitExceeded, line: 2, column: 1, options: options)
    }

    @Test func reportsBadUTF8InAMultiLineFieldWhereTheFieldBegan() {
        var reader = CSVReader(bytes: Array("a,b\n\"x\ny".utf8) + [0xC3, 0x28] + Array("\",z\n".utf8))
        do {
            _ = try reader.readAll()
            Issue.record("expected invalidEncoding")
        } catch {
            #expect(error.code == .invalidEncoding)
            #expect(error.position == TextPosition(line: 2, column: 1))
        }
    }

    @Test func describesRecordsAndTablesByShapeOnly() throws {
        let table = try CSVTable(string: "given,nhs_number\nClaire,9434765919\n")
        for text in ["\(table)", "\(table.rows[0])", String(reflecting: table.rows[0])] {
            #expect(!text.contains("Claire") && !text.contains("9434765919"))
        }
        var dumped = ""
        dump(table, to: &dumped)
        #expect(!dumped.contains("Claire") && !dumped.contains("9434765919"))
        #expect("\(table)" == "CSVTable(2 columns, 1 rows)")
        #expect("\(table.rows[0])" == "CSVRecord(line: 2, 2 fields)")
    }

    @Test func readsOtherSeparatorsButNotQuotesOrLineBreaks() throws {
        #expect(
            try read("a;b\nc;\"d;e\"", options: CSVReader.Options(separator: UInt8(ascii: ";"))) == [
                ["a", "b"], ["c", "d;e"],
            ]
        )
        #expect(try read("a\tb", options: CSVReader.Options(separator: UInt8(ascii: "\t"))) == [["a", "b"]])
        expectCareCoreError(.invalidFormat) { try read("a", options: CSVReader.Options(separator: UInt8(ascii: "\""))) }
        expectCareCoreError(.invalidFormat) { try read("a", options: CSVReader.Options(separator: UInt8(ascii: "\n"))) }
    }

    @Test func neverPutsFieldContentInItsErrors() {
        var reader = CSVReader(string: "nhs_number\n\"9434765919\"x\n")
        do {
            _ = try reader.readAll()
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("9434765919"))
            #expect(
                error.description
                    == "csv: a closing quote must be followed by a separator or the end of the line (line 2, column 13)"
            )
        }
    }

    /// Random records written with RFC 4180 quoting are read back exactly.
    @Test func readsBackWhatAWriterQuotes() throws {
        var generator = SeededRandomNumberGenerator(seed: 4180)
        let alphabet = Array("ab,\"\r\n é")
        for _ in 0..<300 {
            let columns = Int.random(in: 1...5, using: &generator)
            let records = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                (0..<columns).map { _ in
                    String(
                        (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                            alphabet.randomElement(using: &generator) ?? "a"
                        }
                    )
                }
            }
            let text = records.map { record in
                record.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
            }.joined(separator: "\r\n")
            #expect(try read(text) == records)
        }
    }
}

@Suite struct CSVTableTests {
    @Test func looksUpValuesByColumnName() throws {
        let table = try CSVTable(string: "given,family,postcode\nClaire,Trelawny,TR1 3LJ\nJohn,Pascoe,PL31 2QN\n")
        #expect(table.header == ["given", "family", "postcode"])
        #expect(table.rows.count == 2)
        #expect(try table.value(of: "family", in: table.rows[1]) == "Pascoe")
        #expect(table.hasColumn("postcode") && !table.hasColumn("nhs_number"))
        expectCareCoreError(.missing) { try table.value(of: "nhs_number", in: table.rows[0]) }
        let foreign = CSVRecord(fields: ["Ann"], line: 9)
        expectCareCoreError(.fieldCountMismatch) { try table.value(of: "postcode", in: foreign) }
    }

    @Test func rejectsAFileWithNoHeaderOrABadHeader() {
        expectCareCoreError(.empty) { try CSVTable(string: "\n\n") }
        expectCareCoreError(.inconsistent) { try CSVTable(string: "given,,family\n") }
        expectCareCoreError(.inconsistent) { try CSVTable(string: "given,given\n") }
        expectCareCoreError(.fieldCountMismatch) {
            try CSVTable(string: "a,b\n1\n", options: CSVReader.Options(requiresUniformFieldCount: false))
        }
    }
}

@Suite struct CSVWriterTests {
    @Test func quotesOnlyWhatNeedsQuoting() {
        var writer = CSVWriter()
        writer.write(["id", "note"])
        writer.write(["1", "said \"fine\", then left"])
        writer.write(["2", "two\nlines", " padded", ""])
        #expect(writer.text == "id,note\r\n1,\"said \"\"fine\"\", then left\"\r\n2,\"two\nlines\",\" padded\",\r\n")
    }

    /// Found by `Fuzz/Sources/FuzzCSVReader`: a record of one empty field was written as a blank line, which the
    /// reader skips, so it vanished on the way back.
    @Test func writesARecordOfOneEmptyFieldSoThatItReadsBack() throws {
        var writer = CSVWriter()
        writer.write(["a"])
        writer.write([""])
        writer.write(["", ""])
        #expect(writer.text == "a\r\n\"\"\r\n,\r\n")
        var reader = CSVReader(string: writer.text, options: CSVReader.Options(requiresUniformFieldCount: false))
        #expect(try reader.readAll().map(\.fields) == [["a"], [""], ["", ""]])
    }

    /// Found by `Fuzz/Sources/FuzzCSVReader`'s long run: a first field beginning with U+FEFF was written bare at the
    /// start of the text, where the reader skips it as a byte-order mark.
    @Test func quotesAFieldThatBeginsWithAByteOrderMark() throws {
        var writer = CSVWriter()
        writer.write(["\u{FEFF}a;b"])
        writer.write(["x\u{FEFF}"])
        #expect(writer.text == "\"\u{FEFF}a;b\"\r\nx\u{FEFF}\r\n")
        var reader = CSVReader(string: writer.text)
        #expect(try reader.readAll().map(\.fields) == [["\u{FEFF}a;b"], ["x\u{FEFF}"]])
    }

    /// Found by `Fuzz/Sources/FuzzCSVReader`'s second five-minute run: a quote followed by a combining mark is one
    /// `Character` to Swift, so a Character-based check neither saw it nor doubled it, and the text written did
    /// not read back. The same holds for a separator and a line break.
    @Test func escapesQuotesAndSeparatorsFollowedByCombiningMarks() throws {
        let fields = ["say \"\u{0619}hi", ",\u{0301}", "\n\u{0301}", "a\"\u{0301}\"\u{0301}"]
        var writer = CSVWriter()
        writer.write(fields)
        #expect(writer.text == "\"say \"\"\u{0619}hi\",\",\u{0301}\",\"\n\u{0301}\",\"a\"\"\u{0301}\"\"\u{0301}\"\r\n")
        var reader = CSVReader(string: writer.text)
        #expect(try reader.readAll().map(\.fields) == [fields])
    }

    @Test func whatItWritesReadsBackTheSame() throws {
        var generator = SeededRandomNumberGenerator(seed: 17)
        let alphabet = Array("ab,\";\r\n é")
        for _ in 0..<200 {
            let records = (0..<Int.random(in: 1...5, using: &generator)).map { _ in
                (0..<3).map { _ in
                    String(
                        (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                            alphabet.randomElement(using: &generator) ?? "a"
                        }
                    )
                }
            }
            var writer = CSVWriter()
            for record in records { writer.write(record) }
            var reader = CSVReader(string: writer.text)
            #expect(try reader.readAll().map(\.fields) == records)
        }
    }
}
