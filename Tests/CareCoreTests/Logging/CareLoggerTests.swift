import CareCore
import Testing

@Suite struct CareLoggerTests {
    @Test func levelsAreOrderedFromDebugToError() {
        #expect(LogLevel.allCases == [.debug, .info, .notice, .warning, .error])
        #expect(LogLevel.allCases.sorted() == LogLevel.allCases)
        #expect(LogLevel.allCases.map(\.description) == ["debug", "info", "notice", "warning", "error"])
    }

    @Test func passesRecordsAtOrAboveTheMinimumLevel() {
        let recorder = LogRecorder()
        let logger = CareLogger(sink: recorder, minimumLevel: .notice)
        for level in LogLevel.allCases { logger.log(level, module: "Test", "something happened") }
        #expect(recorder.records.map(\.level) == [.notice, .warning, .error])
        #expect(!logger.isEnabled(.info))
        #expect(logger.isEnabled(.notice))
    }

    @Test func theDisabledLoggerDropsEverythingWithoutWorkingOutFields() {
        var worked = false
        func fields() -> [LogRecord.Field] {
            worked = true
            return []
        }
        CareLogger.disabled.log(.error, module: "Test", "failure", fields())
        #expect(!worked)
        #expect(LogLevel.allCases.allSatisfy { !CareLogger.disabled.isEnabled($0) })
        let recorder = LogRecorder()
        CareLogger(sink: recorder, minimumLevel: .warning).log(.info, module: "Test", "quiet", fields())
        #expect(!worked)
        #expect(recorder.records.isEmpty)
    }

    @Test func printsFieldsInOrderWithPatientDataRedacted() throws {
        let recorder = LogRecorder()
        let logger = CareLogger(sink: recorder)
        logger.log(
            .warning,
            module: "PatientIdentity",
            "blocks skipped",
            [
                .init("blocks", .integer(3)), .init("patient", .patient("Trelawny 9434765919")),
                .init("ratio", .number(0.5)), .init("final", .flag(true)), .init("code", .text("B0168")),
            ]
        )
        let record = try #require(recorder.records.first)
        #expect(
            record.description
                == "warning PatientIdentity: blocks skipped blocks=3 patient=<redacted> ratio=0.5 final=true code=B0168"
        )
        var dumped = ""
        dump(record, to: &dumped)
        for text in [record.description, String(reflecting: record), dumped] {
            #expect(!text.contains("Trelawny"))
            #expect(!text.contains("9434765919"))
        }
        #expect(record["blocks"] == .integer(3))
        #expect(record["missing"] == nil)
        guard case .redacted(let patient)? = record["patient"] else {
            Issue.record("the patient field is not redacted")
            return
        }
        #expect(patient.value == "Trelawny 9434765919")
    }

    @Test func quotesTextThatCouldRunIntoTheNextFieldOrForgeALine() {
        let cases: [(String, String)] = [
            ("B0168", "B0168"),
            ("", #""""#),
            ("two words", #""two words""#),
            ("a=b", #""a=b""#),
            ("say \"hi\"", #""say \"hi\"""#),
            ("back\\slash", #""back\\slash""#),
            ("line\nerror PatientIdentity: forged", #""line\nerror PatientIdentity: forged""#),
            ("tab\tcr\r", #""tab\tcr\r""#),
            ("bell\u{07}", #""bell\u0007""#),
            ("sep\u{2028}", #""sep\u2028""#),
            ("café", "café"),
        ]
        for (text, shown) in cases {
            #expect(LogValue.text(text).description == shown)
        }
        let record = LogRecord(level: .info, module: "Test", event: "e", fields: [.init("a", .text("x y=z"))])
        #expect(record.description == #"info Test: e a="x y=z""#)
    }
}
