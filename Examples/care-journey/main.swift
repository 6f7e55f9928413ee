// care-journey: the suite's main example. It walks the strategy's four journeys (Claire, John, Phil and
// Lucy) on the real modules and a CareStore folder, prints what happens, and writes each journey's FHIR
// Bundle. Run `swift run care-journey --help`.

import CareCore
import CareJourneys
import FHIREncoding
import Foundation

/// Exit codes shared by every example: 0 success, 1 a failed check, 2 bad usage or bad input.
enum ExitCode: Int32 {
    case success = 0
    case failedCheck = 1
    case badInput = 2
}

let usage = """
    USAGE: care-journey [claire | john | phil | lucy | core]... [--store DIR] [--output DIR] [--seed N]
                        [--csv FILE]

    Walks through the strategy's journeys on the IntegratedCareKit modules and a CareStore folder. With no
    journey named it runs claire, john, phil and lucy, one after the other.

    JOURNEYS:
      claire  Claire's GP and hospital records are recognised as one person; she books and moves a clinic
              appointment with reminders; she writes her care plan with her GP, ReSPECT included; in an
              emergency the ambulance crew reads her emergency summary under an audited decision; she is
              scored with NEWS2 and placed on the emergency board; discharged, her community team can see
              her plan; the virtual ward escalates an alert; and she sees who looked at her record.
      john    John books a follow-up in his physician's diary, gets the day-before and hour-before
              reminders (across the October clock change), checks in, and moves his next one to video.
      phil    Phil does not use digital services: his review is booked by phone, confirmed by large-print
              letter and reminded by phone; his COPD plan passes from his consultant to his GP.
      lucy    Lucy is 15: her own access waits for her GP's competence assessment, her mother's follows
              what Lucy decides, and a safeguarding note never reaches her mother's view.
      core    (not run by default) A tour of CareCore on a demographics file: names, postcodes, partial
              dates of birth, reminders across the March clock change, and contact channels.

    OPTIONS:
      --store DIR   Keep the people and records in DIR (care.sqlite and audit.sqlite, owner-only); by
                    default a new temporary folder, whose path is printed. Run again with the same DIR and
                    each journey finds its people through the patient index and its records in the store,
                    says what it found, and writes nothing twice.
      --output DIR  Write each journey's FHIR R4 Bundle to DIR/<journey>.json (DIR is created if needed); by
                    default a new temporary folder, whose path is printed.
      --seed N      Seed for generated identifiers (default 2026). Output is identical for the same seed.
      --csv FILE    For core (and alone, core only): import FILE instead of the built-in demographics.
                    Columns (header required):
                    id,given,family,birth_date,postcode,channels,no_digital
      -h, --help    Show this help.

    EXIT CODES: 0 success, 1 a check failed, 2 bad usage or bad input (one line on stderr says where).
    """

/// Prints one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Stops with a usage error.
func badUsage(_ message: String) -> Never {
    printError("care-journey: \(message) (see --help)")
    exit(ExitCode.badInput.rawValue)
}

var arguments = CommandLine.arguments.dropFirst()
var csvPath: String?
var storePath: String?
var outputPath: String?
var seed: UInt64 = 2026
var journeys: [String] = []
while let argument = arguments.popFirst() {
    switch argument {
    case "claire", "john", "phil", "lucy", "core":
        if !journeys.contains(argument) { journeys.append(argument) }
    case "-h", "--help":
        print(usage)
        exit(ExitCode.success.rawValue)
    case "--store":
        guard let path = arguments.popFirst() else { badUsage("--store needs a folder path") }
        storePath = path
    case "--output":
        guard let path = arguments.popFirst() else { badUsage("--output needs a folder path") }
        outputPath = path
    case "--csv":
        guard let path = arguments.popFirst() else { badUsage("--csv needs a file path") }
        csvPath = path
    case "--seed":
        guard let text = arguments.popFirst(), let value = UInt64(text) else {
            badUsage("--seed needs a whole number from 0 to \(UInt64.max)")
        }
        seed = value
    default:
        badUsage("unknown option '\(argument)'")
    }
}
if csvPath != nil {
    // A demographics file is for the CareCore tour: alone it means that tour.
    if journeys.isEmpty { journeys = ["core"] }
    guard journeys.contains("core") else { badUsage("--csv is read only by the core journey") }
}
if journeys.isEmpty { journeys = JourneyName.allCases.map(\.rawValue) }
// Read the demographics file before any journey writes, so that a bad path stops the run at once.
var source = DemographicsSource.builtIn
if let csvPath {
    guard let data = FileManager.default.contents(atPath: csvPath) else {
        printError("care-journey: \(csvPath): cannot read the file")
        exit(ExitCode.badInput.rawValue)
    }
    source = DemographicsSource(name: csvPath, bytes: Array(data))
}

/// Opens a folder for writing, creating it owner-only when needed; exits 2 when it is a file or cannot be made.
func outputFolder(_ path: String?) -> URL {
    guard let path else {
        do {
            return try JourneyStore.temporaryFolder(prefix: "care-journey-output")
        } catch {
            printError("care-journey: --output: \(error)")
            exit(ExitCode.badInput.rawValue)
        }
    }
    let folder = URL(fileURLWithPath: path, isDirectory: true)
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
        guard isFolder.boolValue else {
            printError("care-journey: --output: \(folder.path) is a file, not a folder")
            exit(ExitCode.badInput.rawValue)
        }
        return folder
    }
    do {
        try FileManager.default.createDirectory(
            at: folder,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
    } catch {
        printError("care-journey: --output: cannot create the folder \(folder.path)")
        exit(ExitCode.badInput.rawValue)
    }
    return folder
}

let store: JourneyStore
let output: URL
do {
    let folder = try storePath.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? JourneyStore.temporaryFolder()
    store = try JourneyStore(folder: folder, seed: seed)
    let held = try store.contents().filter { $0.count > 0 }
    print("Store: \(folder.path)\(storePath == nil ? " (a new temporary folder)" : "")")
    if held.isEmpty {
        print("It is empty: this run creates the records.")
    } else {
        print("It holds from an earlier run: \(held.map { "\($0.count) \($0.kind)" }.joined(separator: ", "))")
    }
} catch {
    printError("care-journey: --store: \(error)")
    exit(ExitCode.badInput.rawValue)
}
output = outputFolder(outputPath)
print("Output: \(output.path)\(outputPath == nil ? " (a new temporary folder)" : "")")

let say: Narrator = { print($0) }
var outcome = ExitCode.success
journeys: for journey in journeys {
    print("")
    do {
        let summary: JourneySummary
        switch JourneyName(rawValue: journey) {
        case .claire: summary = try await ClairesJourney(store: store, say: say).run().summary
        case .john: summary = try await JohnsJourney(store: store, say: say).run().summary
        case .phil: summary = try await PhilsJourney(store: store, say: say).run().summary
        case .lucy: summary = try await LucysJourney(store: store, say: say).run().summary
        case nil:
            outcome = try CareCoreTour(seed: seed).run(importing: source)
            if outcome != .success { break journeys }
            continue
        }
        let bundle = try store.bundle(of: summary)
        let file = output.appendingPathComponent("\(journey).json")
        let bytes = JSONWriter(style: .pretty).write(.object(bundle.json)) + Array("\n".utf8)
        guard FileManager.default.createFile(atPath: file.path, contents: Data(bytes)) else {
            printError("care-journey: --output: cannot write \(file.path)")
            exit(ExitCode.badInput.rawValue)
        }
        print("")
        print(
            "FHIR Bundle: \(journey).json in the output folder, \(bundle.entry.count) resources (\(summary.foundEarlierRun ? "read back from the store" : "as written"))"
        )
    } catch let error as ImportFailure {
        printError("care-journey: \(error)")
        exit(ExitCode.badInput.rawValue)
    } catch let error as JourneyStoreFailure {
        printError("care-journey: --store: \(error)")
        exit(ExitCode.badInput.rawValue)
    } catch let error as JourneyCheckFailure {
        printError("care-journey: \(error)")
        outcome = .failedCheck
        break journeys
    } catch {
        printError("care-journey: \(journey): \(error)")
        outcome = .failedCheck
        break journeys
    }
}
exit(outcome.rawValue)
