// care-journey: the suite's main example. It shows CareCore at work on the strategy's people, John's
// appointments and Claire's care plan, kept in a CareStore folder that a second run finds again. Run
// `swift run care-journey --help`.

import Appointments
import CareCore
import CarePlans
import CareStore
import Foundation

/// Exit codes shared by every example: 0 success, 1 a failed check, 2 bad usage or bad input.
enum ExitCode: Int32 {
    case success = 0
    case failedCheck = 1
    case badInput = 2
}

let usage = """
    USAGE: care-journey [core | john | claire] [--store DIR] [--csv FILE] [--seed N]

    Walks through the strategy's journeys using the IntegratedCareKit modules; with no journey named, all of
    them, one after the other.

    JOURNEYS:
      core         Imports a built-in demographics file for Claire, John, Phil and Lucy and shows how
                   CareCore recognises names and postcodes, keeps partial dates of birth partial, plans
                   reminders across the March clock change and picks contact channels for people who do not
                   use digital services.
      john         John books a follow-up in his physician's diary, sees the day-before and hour-before
                   reminders, checks in on the day, and moves his next follow-up to video.
      claire       Claire writes her care plan, her GP adds ReSPECT recommendations, she records progress
                   and proposes a change; an ambulance crew reads her emergency summary under an
                   audited access decision that hides a safeguarding note from their role; she arrives
                   by ambulance, is scored with NEWS2 and placed on the emergency board; and Claire
                   sees who looked at her record.

    OPTIONS:
      --store DIR  Keep what the journeys create in DIR (care.sqlite and audit.sqlite, created owner-only);
                   by default a new temporary folder, whose path is printed. Run again with the same DIR
                   and the journeys find John's appointments and Claire's plan from the first run, say
                   what they found, and book or write nothing twice.
      --csv FILE   Import FILE instead of the built-in demographics. Columns (header required):
                   id,given,family,birth_date,postcode,channels,no_digital
                   channels is a space-separated list of sms, email, app, letter, phone.
      --seed N     Seed for generated identifiers (default 2026). Output is identical for the same seed.
      -h, --help   Show this help.

    EXIT CODES: 0 success, 1 a check failed, 2 bad usage or bad input (one line on stderr says where).
    """

/// Prints one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

var arguments = CommandLine.arguments.dropFirst()
var csvPath: String?
var storePath: String?
var seed: UInt64 = 2026
var journeys: [String] = []
while let argument = arguments.popFirst() {
    switch argument {
    case "core", "john", "claire":
        journeys.append(argument)
    case "-h", "--help":
        print(usage)
        exit(ExitCode.success.rawValue)
    case "--store":
        guard let path = arguments.popFirst() else {
            printError("care-journey: --store needs a folder path (see --help)")
            exit(ExitCode.badInput.rawValue)
        }
        storePath = path
    case "--csv":
        guard let path = arguments.popFirst() else {
            printError("care-journey: --csv needs a file path (see --help)")
            exit(ExitCode.badInput.rawValue)
        }
        csvPath = path
    case "--seed":
        guard let text = arguments.popFirst(), let value = UInt64(text) else {
            printError("care-journey: --seed needs a whole number from 0 to \(UInt64.max) (see --help)")
            exit(ExitCode.badInput.rawValue)
        }
        seed = value
    default:
        printError("care-journey: unknown option '\(argument)' (see --help)")
        exit(ExitCode.badInput.rawValue)
    }
}

do {
    let source: DemographicsSource
    if let csvPath {
        guard let data = FileManager.default.contents(atPath: csvPath) else {
            printError("care-journey: \(csvPath): cannot read the file")
            exit(ExitCode.badInput.rawValue)
        }
        source = DemographicsSource(name: csvPath, bytes: Array(data))
    } else {
        source = .builtIn
    }
    if journeys.isEmpty { journeys = ["core", "john", "claire"] }
    let store: JourneyStore
    do {
        let folder = try storePath.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? JourneyStore.temporaryFolder()
        store = try JourneyStore(folder: folder, moment: JohnsJourney.start, seed: seed)
        let held = try store.contents().filter { $0.count > 0 }
        print("Store: \(folder.path)\(storePath == nil ? " (a new temporary folder)" : "")")
        if held.isEmpty {
            print("It is empty: this run creates the records.")
        } else {
            print("It holds from an earlier run: \(held.map { "\($0.count) \($0.kind)" }.joined(separator: ", "))")
        }
        print("")
    } catch {
        printError("care-journey: --store: \(error)")
        exit(ExitCode.badInput.rawValue)
    }
    var outcome = ExitCode.success
    for (number, journey) in journeys.enumerated() {
        if number > 0 { print("") }
        let result: ExitCode
        switch journey {
        case "john": result = try await JohnsJourney(store: store).run()
        case "claire": result = try await ClairesPlan(store: store).run()
        default: result = try CareCoreTour(seed: seed).run(importing: source)
        }
        if result != .success {
            outcome = result
            break
        }
    }
    exit(outcome.rawValue)
} catch let error as ImportFailure {
    printError("care-journey: \(error)")
    exit(ExitCode.badInput.rawValue)
} catch {
    printError("care-journey: \(error)")
    exit(ExitCode.failedCheck.rawValue)
}
