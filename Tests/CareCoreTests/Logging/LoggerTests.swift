import CareCore
import Testing

@Suite struct LoggerTests {
    @Test func levelsAreOrderedFromDebugToError() {
        #expect(LogLevel.allCases == [.debug, .info, .notice, .warning, .error])
        #expect(LogLevel.allCases.sorted() == LogLevel.allCases)
        #expect(LogLevel.allCases.map(\.description) == ["debug", "info", "notice", "warning", "error"])
    }

    @Test func passesRecordsAtOrAboveTheMinimumLevel() {
        let recorder = LogRecorder()
        let logger = Logger(sink: recorder, minimumLevel: .notice)
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
        Logger.disabled.log(.error, module: "Test", "failure", fields())
        #expect(!worked)
        #expect(LogLevel.allCases.allSatisfy { !Logger.disabled.isEnabled($0) })
        let recorder = LogRecorder()
        Logger(sink: recorder, minimumLevel: .warning).log(.info, module: "Test", "quiet", fields())
        #expect(!worked)
        #expect(recorder.records.isEmpty)
    }

    @Test func printsFieldsInOrderWithPatientDataRedacted() throws {
        let recorder = LogRecorder()
        let logger = Logger(sink: recorder)
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
}
