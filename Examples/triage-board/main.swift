// triage-board: an emergency department board driven by an event stream, re-prioritised as patients arrive,
// are re-scored with NEWS2, are re-triaged, are seen and leave. Run `swift run triage-board --help`.

import CareCore
import Foundation
import TriageScoring

let usage = """
    USAGE:
      triage-board [FILE | -] [--follow] [--cubicles N] [--explain ID] [--check-breaches]
      triage-board --sample

    Reads newline-delimited JSON events (arrival, observations, retriage, treatment, departure; the format is
    in the TriageScoring documentation, "The board's event stream") from FILE, or standard input for '-',
    and prints the board as it stands after the last event. With no FILE it runs a built-in sample morning;
    --sample prints that sample so that you can edit it. Time comes only from each event's "time".

      --follow           print each event and the whole board after it
      --cubicles N       cubicles in the department (default 3)
      --explain ID       at the end, explain where patient ID is on the board and why
      --check-breaches   exit 1 if any waiting patient has breached their category's target

    Categories are red 0, orange 10, yellow 60, green 120, blue 240 minutes from arrival; a NEWS2 score raises
    a patient to at least orange (high) or yellow (medium, or a 3 in one parameter); only a clinician lowers.
    EXIT CODES: 0 success, 1 a failed check (--check-breaches), 2 bad usage or a bad line (named on stderr).
    """

/// Exit codes shared by every example.
enum ExitCode: Int32 {
    case success = 0
    case failedCheck = 1
    case badInput = 2
}

/// A fault that ends the run with a message and an exit code.
struct Failure: Error {
    let message: String
    let code: ExitCode
}

/// What the command line asked for.
struct Arguments {
    var source: String?
    var follow = false
    var cubicles = 3
    var explain: TriageQueue.PatientID?
    var checkBreaches = false
    var printSample = false
    var help = false

    init(_ arguments: [String]) throws {
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--help", "-h": help = true
            case "--follow": follow = true
            case "--check-breaches": checkBreaches = true
            case "--sample": printSample = true
            case "--cubicles":
                guard let text = remaining.popFirst(), let value = Int(text), (1...10_000).contains(value) else {
                    throw Failure(message: "--cubicles needs a whole number from 1 to 10,000", code: .badInput)
                }
                cubicles = value
            case "--explain":
                guard let text = remaining.popFirst(), let id = TriageQueue.PatientID(text) else {
                    throw Failure(message: "--explain needs an attendance identifier", code: .badInput)
                }
                explain = id
            default:
                guard source == nil, argument == "-" || !argument.hasPrefix("-") else {
                    throw Failure(message: "unknown option '\(argument)' (see --help)", code: .badInput)
                }
                source = argument
            }
        }
    }
}

/// Formats moments as Europe/London wall-clock times, the way a department reads its board.
struct LondonTime {
    let zone: CivilTimeZone

    func text(_ date: Date) -> String {
        guard let local = try? zone.localDateTime(at: date) else { return "?" }
        return local.description.replacingOccurrences(of: "T", with: " ")
    }
}

func describe(_ event: TriageEvent) -> String {
    switch event.action {
    case .arrival(let triage, let mode): return "arrival (\(mode)), triaged \(triage.category)"
    case .observations: return "observations"
    case .retriage(let category, let decision): return "re-triaged \(category) by \(decision.clinician)"
    case .treatment: return "taken into a cubicle"
    case .departure: return "left the department"
    }
}

func run(_ arguments: Arguments) throws -> ExitCode {
    if arguments.help {
        print(usage)
        return .success
    }
    if arguments.printSample {
        print(sampleStream)
        return .success
    }
    let london = LondonTime(zone: try CivilTimeZone.europeLondon())
    var board = TriageQueue(capacity: try CapacityPolicy(cubicles: arguments.cubicles))
    let sourceName = arguments.source ?? "sample"
    let scorer = NEWS2Scorer()

    func handle(_ event: TriageEvent) throws(TriageScoringError) {
        let notices = try board.apply(event)
        guard arguments.follow else { return }
        var line = "\(london.text(event.time))  \(event.patient): \(describe(event))"
        if case .observations(let set) = event.action {
            line += ", \(try scorer.assess(set))"
        }
        print(line)
        for notice in notices { print("    ! \(notice)") }
        for boardLine in board.board(at: event.time).description.split(separator: "\n") { print("    \(boardLine)") }
    }

    do {
        switch arguments.source {
        case nil:
            print("No file given: running the built-in sample morning (see --sample).\n")
            for event in try TriageEventReader.events(in: sampleStream) { try handle(event) }
        case "-":
            try TriageEventReader.forEachEvent(in: FileHandle.standardInput, handle)
        case let path?:
            guard let file = FileHandle(forReadingAtPath: path) else {
                throw Failure(message: "\(path): cannot open the file", code: .badInput)
            }
            defer { try? file.close() }
            try TriageEventReader.forEachEvent(in: file, handle)
        }
    } catch let error as TriageScoringError {
        throw Failure(message: "\(sourceName): \(error)", code: .badInput)
    }

    guard let now = board.now else {
        print("The stream held no events.")
        return .success
    }
    if arguments.follow { print("") }
    print("Board at \(london.text(now)) (Europe/London)")
    print(board.board(at: now))
    let breaches = board.breachWarnings(at: now)
    print("breaches (\(breaches.count)):")
    for warning in breaches { print("  \(warning)") }
    if let patient = arguments.explain {
        print("")
        do {
            print(try board.explain(patient, at: now))
        } catch {
            throw Failure(message: "--explain: \(error)", code: .badInput)
        }
    }
    return arguments.checkBreaches && !breaches.isEmpty ? .failedCheck : .success
}

do {
    let code = try run(try Arguments(Array(CommandLine.arguments.dropFirst())))
    exit(code.rawValue)
} catch let failure as Failure {
    FileHandle.standardError.write(Data("triage-board: \(failure.message)\n".utf8))
    exit(failure.code.rawValue)
} catch {
    FileHandle.standardError.write(Data("triage-board: \(error)\n".utf8))
    exit(ExitCode.badInput.rawValue)
}
