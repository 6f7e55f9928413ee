import CareCore
import Foundation
import Testing

@testable import TriageScoring

let arrivalLine =
    #"{"time":"2026-11-25T09:00:00Z","event":"arrival","patient":"ED-0001","category":"yellow","triagedBy":"triage-rn","mode":"ambulance"}"#
let observationLine =
    #"{"time":"2026-11-25T09:05:00Z","event":"observations","patient":"ED-0001","respirationRate":24,"oxygenSaturation":93,"airOrOxygen":"air","systolicBloodPressure":98,"pulse":118,"consciousness":"A","temperature":38.6}"#

/// One bad line and the key its error must name.
struct BadLine: Sendable, CustomTestStringConvertible {
    let name: String
    let line: String
    let field: String
    var testDescription: String { name }
}

@Suite("TriageEventReader")
struct TriageEventReaderTests {
    @Test("each kind of event is read with its fields")
    func kinds() throws {
        let text = [
            arrivalLine,
            "",
            observationLine,
            #"{"time":"2026-11-25T09:06:00+00:00","event":"retriage","patient":"ED-0001","category":"green","clinician":"ed-reg","reason":"settled"}"#,
            #"{"time":"2026-11-25T09:07:00Z","event":"treatment","patient":"ED-0001"}"#,
            #"{"time":"2026-11-25T09:30:00Z","event":"departure","patient":"ED-0001"}"#,
            "  ",
        ].joined(separator: "\n")
        let events = try TriageEventReader.events(in: text)
        #expect(events.map(\.line) == [1, 3, 4, 5, 6])
        guard case .arrival(let triage, let mode) = events[0].action else {
            Issue.record("expected an arrival")
            return
        }
        #expect(triage.category == .yellow)
        #expect(triage.assessedBy == "triage-rn")
        #expect(mode == .ambulance)
        #expect(events[0].time == (try Instant(parsing: "2026-11-25T09:00:00Z").date))
        guard case .observations(let set) = events[1].action else {
            Issue.record("expected observations")
            return
        }
        #expect(set.respirationRate == 24)
        #expect(set.consciousness == .alert)
        #expect(try NEWS2Scorer().assess(set).score?.total == 2 + 2 + 2 + 2 + 1)
        guard case .retriage(let category, let decision) = events[2].action else {
            Issue.record("expected a re-triage")
            return
        }
        #expect(category == .green)
        #expect(decision.reason == "settled")
        #expect(events[3].action == .treatment)
        #expect(events[4].action == .departure)
    }

    @Test("observations may be partial or null, and Scale 2 needs its prescriber")
    func partialAndScale2() throws {
        let line =
            #"{"time":"2026-11-25T09:05:00Z","event":"observations","patient":"ED-0001","oxygenSaturation":90,"pulse":null,"scale2PrescribedBy":"resp-consultant"}"#
        let event = try #require(try TriageEventReader.event(from: Array(line.utf8), lineNumber: 7))
        guard case .observations(let set) = event.action else {
            Issue.record("expected observations")
            return
        }
        #expect(set.pulse == nil)
        #expect(set.scale.isScale2)
        #expect(set.missing.count == 6)
    }

    @Test(
        "bad lines are refused naming the line and key, never the value",
        arguments: [
            BadLine(name: "not JSON", line: "hello", field: ""),
            BadLine(name: "an array", line: "[1]", field: ""),
            BadLine(name: "trailing text", line: #"{"time":"x"} x"#, field: ""),
            BadLine(
                name: "unknown key",
                line: #"{"time":"2026-11-25T09:07:00Z","event":"treatment","patient":"ED-1","pulse":80}"#,
                field: "pulse"
            ),
            BadLine(
                name: "duplicate key",
                line: #"{"time":"2026-11-25T09:07:00Z","event":"treatment","event":"treatment","patient":"ED-1"}"#,
                field: ""
            ),
            BadLine(name: "missing time", line: #"{"event":"treatment","patient":"ED-1"}"#, field: "time"),
            BadLine(
                name: "local time without offset",
                line: #"{"time":"2026-11-25T09:07:00","event":"treatment","patient":"ED-1"}"#,
                field: "time"
            ),
            BadLine(
                name: "unknown event",
                line: #"{"time":"2026-11-25T09:07:00Z","event":"teleport","patient":"ED-1"}"#,
                field: "event"
            ),
            BadLine(
                name: "an NHS-number-like identifier with spaces",
                line: #"{"time":"2026-11-25T09:07:00Z","event":"treatment","patient":"943 476 5919"}"#,
                field: "patient"
            ),
            BadLine(
                name: "a number as text",
                line: #"{"time":"2026-11-25T09:07:00Z","event":"observations","patient":"ED-1","pulse":"80"}"#,
                field: "pulse"
            ),
            BadLine(
                name: "an unknown ACVPU level",
                line: #"{"time":"2026-11-25T09:07:00Z","event":"observations","patient":"ED-1","consciousness":"X"}"#,
                field: "consciousness"
            ),
            BadLine(
                name: "no observations at all",
                line: #"{"time":"2026-11-25T09:07:00Z","event":"observations","patient":"ED-1"}"#,
                field: "observations"
            ),
            BadLine(
                name: "a nested value",
                line: #"{"time":"2026-11-25T09:07:00Z","event":"observations","patient":"ED-1","pulse":{"v":1}}"#,
                field: ""
            ),
            BadLine(
                name: "an unknown category",
                line:
                    #"{"time":"2026-11-25T09:07:00Z","event":"arrival","patient":"ED-1","category":"purple","triagedBy":"rn","mode":"walk-in"}"#,
                field: "category"
            ),
            BadLine(
                name: "an arrival without its mode",
                line:
                    #"{"time":"2026-11-25T09:07:00Z","event":"arrival","patient":"ED-1","category":"red","triagedBy":"rn"}"#,
                field: "mode"
            ),
            BadLine(name: "a bad escape", line: #"{"time":"\q"}"#, field: ""),
            BadLine(name: "a lone surrogate", line: #"{"time":"\udc00"}"#, field: ""),
            BadLine(name: "a leading zero", line: #"{"pulse":012}"#, field: ""),
            BadLine(name: "an unclosed string", line: #"{"time":"2026"#, field: ""),
        ]
    )
    func badLine(_ bad: BadLine) throws {
        let text = arrivalLine + "\n" + bad.line + "\n" + observationLine
        let error = try #require(throws: TriageScoringError.self) { try TriageEventReader.events(in: text) }
        #expect(error.code == .malformedEvent)
        #expect(error.line == 2)
        #expect(error.field.description == (bad.field.isEmpty ? FieldPath.root.description : bad.field))
        #expect(error.description.hasPrefix("line 2: malformed-event"))
        #expect(!error.description.contains("943"))
    }

    @Test("a key no event has is refused without repeating it; a ten-digit identifier is refused")
    func unknownKeyNotRepeated() throws {
        let line =
            #"{"time":"2026-11-25T09:07:00Z","event":"departure","patient":"ED-1","Jane Smith 9434765919":1}"#
        let error = try #require(throws: TriageScoringError.self) { try TriageEventReader.events(in: line) }
        #expect(error.code == .malformedEvent)
        #expect(!error.description.contains("Jane"))
        #expect(!error.description.contains("9434765919"))
        let nhs = #"{"time":"2026-11-25T09:07:00Z","event":"departure","patient":"9434765919"}"#
        let nhsError = try #require(throws: TriageScoringError.self) { try TriageEventReader.events(in: nhs) }
        #expect(nhsError.field == FieldPath("patient"))
        #expect(!nhsError.description.contains("9434765919"))
    }

    @Test("a number too large for a Double is impossible on the board, named by line")
    func hugeNumber() throws {
        let text =
            arrivalLine + "\n"
            + #"{"time":"2026-11-25T09:05:00Z","event":"observations","patient":"ED-0001","pulse":1e400}"#
        var board = try newBoard()
        let events = try TriageEventReader.events(in: text)
        try board.apply(events[0])
        let error = try #require(throws: TriageScoringError.self) { try board.apply(events[1]) }
        #expect(error.code == .impossibleValue)
        #expect(error.line == 2)
    }

    @Test("invalid UTF-8 in a streamed file is a malformed line")
    func invalidUTF8() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "triage-utf8-\(UInt64.random(in: 0...UInt64.max)).ndjson"
        )
        defer { try? FileManager.default.removeItem(at: url) }
        var bytes = Array((arrivalLine + "\n").utf8)
        bytes +=
            Array(#"{"time":"2026-11-25T09:07:00Z","event":"departure","patient":"ED-"#.utf8) + [0xC3, 0x28]
            + Array(#""}"#.utf8)
        try Data(bytes).write(to: url)
        let error = try #require(throws: TriageScoringError.self) {
            try TriageEventReader.forEachEvent(in: try FileHandle(forReadingFrom: url)) { _ in }
        }
        #expect(error.code == .malformedEvent)
        #expect(error.line == 2)
    }

    @Test("JSON escapes and surrogate pairs are decoded")
    func escapes() throws {
        let line =
            #"{"time":"2026-11-25T09:07:00Z","event":"departure","patient":"ED\u002D1"}"#
        let event = try #require(try TriageEventReader.event(from: Array(line.utf8), lineNumber: 1))
        #expect(event.patient.rawValue == "ED-1")
        let object = try FlatJSONObject(
            parsing: Array(#"{"a":"\ud83d\ude91 \"x\"\n","b":-1.50e+2,"c":true,"d":false}"#.utf8)
        )
        #expect(object["a"] == .string("🚑 \"x\"\n"))
        #expect(object["b"] == .number("-1.50e+2"))
        #expect(object["c"] == .bool(true))
        #expect(object["d"] == .bool(false))
        #expect(throws: TriageScoringError.self) {
            try FlatJSONObject(parsing: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D])
        }
    }

    @Test("a file is streamed line by line, and an over-long line is refused")
    func streaming() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "triage-\(UInt64.random(in: 0...UInt64.max))"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.ndjson")
        var lines: [String] = []
        for index in 0..<2000 {
            lines.append(
                #"{"time":"2026-11-25T09:00:00Z","event":"arrival","patient":"ED-\#(index)","category":"green","triagedBy":"rn","mode":"walk-in"}"#
            )
        }
        try Data(lines.joined(separator: "\r\n").utf8).write(to: good)
        var count = 0
        try TriageEventReader.forEachEvent(in: try FileHandle(forReadingFrom: good)) { event in
            count += 1
            #expect(event.line == count)
        }
        #expect(count == 2000)
        let long = directory.appendingPathComponent("long.ndjson")
        try Data((arrivalLine + "\n" + String(repeating: " ", count: 200_000)).utf8).write(to: long)
        let error = try #require(throws: TriageScoringError.self) {
            try TriageEventReader.forEachEvent(in: try FileHandle(forReadingFrom: long)) { _ in }
        }
        #expect(error.line == 2)
    }

    @Test("applying events builds the board, and a change the board refuses names its line")
    func apply() throws {
        let text = [
            arrivalLine,
            observationLine,
            #"{"time":"2026-11-25T09:04:00Z","event":"treatment","patient":"ED-0001"}"#,
        ].joined(separator: "\n")
        var board = try newBoard()
        let events = try TriageEventReader.events(in: text)
        try board.apply(events[0])
        #expect(
            try board.apply(events[1]) == [.categoryRaised(patient("ED-0001"), from: .yellow, to: .orange, news2: 9)]
        )
        let error = try #require(throws: TriageScoringError.self) { try board.apply(events[2]) }
        #expect(error.code == .outOfOrder)
        #expect(error.line == 3)
    }
}
