// patient-match: deduplicate, link, explain and generate patient records with the PatientIdentity index.
// Run `swift run patient-match --help`.

import CareCore
import Foundation
import PatientIdentity

let usage = """
    USAGE:
      patient-match dedupe --input people.csv [--output pairs.csv] [--threshold P] [--clusters FILE] [--no-train]
      patient-match link --left a.csv --right b.csv [--output pairs.csv] [--threshold P] [--no-train]
      patient-match explain --input people.csv --pair ID1,ID2 [--no-train]
      patient-match generate --count N --seed S --output people.csv [--truth truth.csv]

    Finds records of the same person in demographics CSV files (header required; columns, in any order and
    any case, from id,nhs_number,given_name,family_name,date_of_birth,sex,postcode,address; dates as
    YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY; sex as male/female/other/unknown, M/F/U or 1/2/9/0; without an id
    column, ids are the 1-based data row numbers).

    dedupe and link write left_id,right_id,probability,match_weight (probability 0-1, match weight in bits),
    one row per pair at or above --threshold (default 0.5), most probable first, to --output or standard
    output. --clusters also writes id,person_id for every record. The model is trained on the input first
    (a fixed seed, so runs repeat exactly) unless --no-train is given.

    Bad values never reject a row: standard error gets a count of unreadable values per column, never the
    values. EXIT CODES: 0 success, 1 a failed check, 2 bad usage or a structurally broken file.
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

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Parses `--name value` options and bare flags.
struct Options {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    init(_ arguments: ArraySlice<String>, flags known: Set<String>, values allowed: Set<String>) throws {
        var remaining = arguments
        while let argument = remaining.popFirst() {
            if known.contains(argument) {
                flags.insert(argument)
            } else if allowed.contains(argument) {
                guard let value = remaining.popFirst() else {
                    throw Failure(message: "\(argument) needs a value (see --help)", code: .badInput)
                }
                values[argument] = value
            } else {
                throw Failure(message: "unknown option '\(argument)' (see --help)", code: .badInput)
            }
        }
    }

    func value(_ name: String) -> String? { values[name] }

    func required(_ name: String) throws -> String {
        guard let value = values[name] else {
            throw Failure(message: "\(name) is required (see --help)", code: .badInput)
        }
        return value
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func threshold() throws -> Double {
        guard let text = values["--threshold"] else { return 0.5 }
        guard let value = Double(text), value >= 0, value <= 1 else {
            throw Failure(message: "--threshold must be a probability from 0 to 1", code: .badInput)
        }
        return value
    }
}

func read(_ path: String, prefix: String) throws -> DemographicCSV {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw Failure(message: "\(path): cannot read the file", code: .badInput)
    }
    do {
        let file = try DemographicCSV(bytes: Array(data), prefix: prefix)
        let unreadable = file.unreadableValues.sorted { $0.key < $1.key }
        if !unreadable.isEmpty {
            let summary = unreadable.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            printError("patient-match: \(path): unreadable values kept as received: \(summary)")
        }
        return file
    } catch {
        throw Failure(message: "\(path): \(error)", code: .badInput)
    }
}

func index(of records: [PatientRecord], train: Bool) throws -> PatientIndex {
    var index = PatientIndex()
    try index.insert(contentsOf: records)
    if train {
        var generator = SeededRandomNumberGenerator(seed: 20_260_101)
        index.train(using: &generator)
    }
    return index
}

func pairsCSV(_ pairs: [MatchPair], names: [PatientRecord.ID: String]) -> String {
    var writer = CSVWriter()
    writer.write(["left_id", "right_id", "probability", "match_weight"])
    let rows = pairs.map { pair -> (String, String, MatchPair) in
        let left = names[pair.left] ?? pair.left.rawValue
        let right = names[pair.right] ?? pair.right.rawValue
        return left <= right ? (left, right, pair) : (right, left, pair)
    }
    .sorted { lhs, rhs in
        if lhs.2.probability != rhs.2.probability { return lhs.2.probability > rhs.2.probability }
        return (lhs.0, lhs.1) < (rhs.0, rhs.1)
    }
    for (left, right, pair) in rows {
        writer.write([left, right, String(format: "%.6f", pair.probability), String(format: "%.3f", pair.matchWeight)])
    }
    return writer.text
}

func emit(_ text: String, to path: String?) throws {
    guard let path else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    } catch {
        throw Failure(message: "\(path): cannot write the file", code: .badInput)
    }
}

func run(_ arguments: [String]) throws {
    guard let command = arguments.first else {
        throw Failure(message: "a command is required (see --help)", code: .badInput)
    }
    let rest = arguments.dropFirst()
    switch command {
    case "-h", "--help":
        print(usage)
    case "dedupe":
        let options = try Options(
            rest,
            flags: ["--no-train"],
            values: ["--input", "--output", "--threshold", "--clusters"]
        )
        let file = try read(try options.required("--input"), prefix: "r")
        var index = try index(of: file.records, train: !options.has("--no-train"))
        index.thresholds.minimum = try options.threshold()
        let pairs = index.deduplicate()
        try emit(pairsCSV(pairs, names: file.sourceIDs), to: options.value("--output"))
        if let clustersPath = options.value("--clusters") {
            var writer = CSVWriter()
            writer.write(["id", "person_id"])
            var rows: [(String, String)] = []
            for cluster in index.clusters(from: pairs, threshold: index.thresholds.minimum) {
                let person = cluster.records.compactMap { file.sourceIDs[$0] }.min() ?? cluster.personID.rawValue
                for record in cluster.records { rows.append((file.sourceIDs[record] ?? record.rawValue, person)) }
            }
            for (record, person) in rows.sorted(by: { $0 < $1 }) { writer.write([record, person]) }
            try emit(writer.text, to: clustersPath)
        }
    case "link":
        let options = try Options(
            rest,
            flags: ["--no-train"],
            values: ["--left", "--right", "--output", "--threshold"]
        )
        let left = try read(try options.required("--left"), prefix: "a")
        let right = try read(try options.required("--right"), prefix: "b")
        let trained = try index(of: left.records + right.records, train: !options.has("--no-train"))
        var thresholds = trained.thresholds
        thresholds.minimum = try options.threshold()
        let pairs = try PatientIndex.link(left.records, right.records, model: trained.model, thresholds: thresholds)
        let names = left.sourceIDs.merging(right.sourceIDs) { first, _ in first }
        // Keep left-file ids in the left column.
        var writer = CSVWriter()
        writer.write(["left_id", "right_id", "probability", "match_weight"])
        for pair in pairs {
            writer.write([
                names[pair.left] ?? pair.left.rawValue, names[pair.right] ?? pair.right.rawValue,
                String(format: "%.6f", pair.probability), String(format: "%.3f", pair.matchWeight),
            ])
        }
        try emit(writer.text, to: options.value("--output"))
    case "explain":
        let options = try Options(rest, flags: ["--no-train"], values: ["--input", "--pair"])
        let file = try read(try options.required("--input"), prefix: "r")
        let ids = try options.required("--pair").split(separator: ",").map(String.init)
        guard ids.count == 2 else {
            throw Failure(message: "--pair takes two ids separated by a comma", code: .badInput)
        }
        let byName = Dictionary(file.sourceIDs.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        guard let first = byName[ids[0]], let second = byName[ids[1]] else {
            throw Failure(message: "--pair names an id that is not in the file", code: .badInput)
        }
        let index = try index(of: file.records, train: !options.has("--no-train"))
        let explanation = try index.explain(first, second)
        print("pair \(ids[0]),\(ids[1])")
        print(String(format: "  prior                      %+8.3f bits", explanation.priorWeight))
        for contribution in explanation.contributions {
            let level = contribution.level?.name ?? "missing"
            let field = contribution.field.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
            let name = level.padding(toLength: 18, withPad: " ", startingAt: 0)
            let note = contribution.isTermFrequencyAdjusted ? "  (adjusted for how common the name is)" : ""
            print(String(format: "  %@ %@ %+8.3f bits", field, name, contribution.weight) + note)
        }
        print(String(format: "  match weight               %+8.3f bits", explanation.matchWeight))
        print(String(format: "  probability                %.6f", explanation.probability))
        for note in explanation.notes { print("  note: \(note.rawValue)") }
        if explanation.isVetoed { print("  vetoed: a rule says these are different people") }
    case "generate":
        let options = try Options(rest, flags: [], values: ["--count", "--seed", "--output", "--truth"])
        guard let count = Int(try options.required("--count")), count > 0, count <= 10_000_000 else {
            throw Failure(message: "--count must be a whole number from 1 to 10,000,000", code: .badInput)
        }
        guard let seed = UInt64(try options.required("--seed")) else {
            throw Failure(message: "--seed must be a whole number", code: .badInput)
        }
        var generator = SeededRandomNumberGenerator(seed: seed)
        let population = SyntheticPopulation.generate(recordCount: count, using: &generator)
        var writer = CSVWriter()
        writer.write(DemographicCSV.columns)
        for record in population.records {
            let name = record.currentName
            writer.write([
                record.id.rawValue, record.nhsNumber?.text ?? "", name?.given.joined(separator: " ") ?? "",
                name?.family ?? "", record.birthDate?.text ?? "", record.gender?.rawValue ?? "",
                record.currentAddress?.postcode?.formatted ?? record.receivedPostcode?.text ?? "",
                record.currentAddress?.lines.first ?? "",
            ])
        }
        try emit(writer.text, to: try options.required("--output"))
        if let truthPath = options.value("--truth") {
            var truth = CSVWriter()
            truth.write(["left_id", "right_id"])
            for (left, right) in population.truePairs { truth.write([left.rawValue, right.rawValue]) }
            try emit(truth.text, to: truthPath)
        }
    default:
        throw Failure(message: "unknown command '\(command)' (see --help)", code: .badInput)
    }
}

do {
    try run(Array(CommandLine.arguments.dropFirst()))
    exit(ExitCode.success.rawValue)
} catch let failure as Failure {
    printError("patient-match: \(failure.message)")
    exit(failure.code.rawValue)
} catch {
    printError("patient-match: \(error)")
    exit(ExitCode.failedCheck.rawValue)
}
