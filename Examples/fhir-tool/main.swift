// fhir-tool: validates FHIR R4 JSON and NDJSON, checks that it round-trips without loss, and joins or splits
// NDJSON bulk files. Run `swift run fhir-tool --help`.

import FHIREncoding
import Foundation

let usage = """
    USAGE:
      fhir-tool validate [--lenient] PATH...
      fhir-tool roundtrip [--lenient] [--output DIR] PATH...
      fhir-tool ndjson join [--lenient] PATH... --output OUT.ndjson
      fhir-tool ndjson split [--lenient] IN.ndjson --output DIR

    A PATH is a file or a folder searched recursively for *.json and *.ndjson files (other files are ignored).
    Each .json file is one unit, and so is each non-blank line of an .ndjson file. A unit that cannot be
    read or is not JSON fails.

      validate    checks every unit against FHIR R4 (strict unless --lenient, which reports what it
                  tolerates as warnings; warnings never fail) and UK Core's NHS number check digit
      roundtrip   decodes each unit into the typed R4 models (R4.Resource: typed for the suite's nineteen
                  resource types, carried whole for the rest), encodes it and compares it with the original
                  as JSON (members in any order, decimals compared as written): nothing may be lost or
                  changed, so a null or [] that --lenient lets through is reported as dropped; with --output,
                  each unit's encoding is also written to DIR as NNNNN-name.json (NNNNN counts units in order)
      ndjson join writes every resource to one NDJSON file, a Bundle as its entries' resources
      ndjson split writes each line of an NDJSON file to DIR/Type-id.json, pretty-printed

    Each failure is named on standard output with its first issue; the last line is "N passed, N failed".
    EXIT CODES: 0 nothing failed, 1 something failed, 2 bad usage or a PATH that does not exist.
    """

/// Exit codes shared by every example.
enum ExitCode: Int32 {
    case success = 0
    case failedCheck = 1
    case badInput = 2
}

/// A fault that ends the run with one line on standard error and an exit code.
struct Failure: Error {
    let message: String
}

/// The command the arguments ask for.
enum Command {
    case help
    case validate(paths: [String])
    case roundTrip(paths: [String], output: String?)
    case join(paths: [String], output: String)
    case split(input: String, output: String)
}

/// Parses the command line.
func parse(_ arguments: [String]) throws(Failure) -> (Command, FHIRValidator.Mode) {
    if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") { return (.help, .strict) }
    var mode = FHIRValidator.Mode.strict
    var output: String?
    var words: [String] = []
    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
        switch argument {
        case "--lenient": mode = .lenient
        case "--output":
            guard let value = remaining.popFirst() else { throw Failure(message: "--output needs a path") }
            output = value
        default:
            guard !argument.hasPrefix("-") else { throw Failure(message: "unknown option '\(argument)' (see --help)") }
            words.append(argument)
        }
    }
    guard !words.isEmpty else { throw Failure(message: "no command given (see --help)") }
    let verb = words.removeFirst()
    switch verb {
    case "validate":
        guard !words.isEmpty else { throw Failure(message: "validate needs at least one PATH") }
        guard output == nil else { throw Failure(message: "validate takes no --output") }
        return (.validate(paths: words), mode)
    case "roundtrip":
        guard !words.isEmpty else { throw Failure(message: "roundtrip needs at least one PATH") }
        return (.roundTrip(paths: words, output: output), mode)
    case "ndjson":
        guard let action = words.first, action == "join" || action == "split" else {
            throw Failure(message: "ndjson needs 'join' or 'split'")
        }
        let paths = Array(words.dropFirst())
        guard let output else { throw Failure(message: "ndjson \(action) needs --output") }
        if action == "join" {
            guard !paths.isEmpty else { throw Failure(message: "ndjson join needs at least one PATH") }
            return (.join(paths: paths, output: output), mode)
        }
        guard paths.count == 1 else { throw Failure(message: "ndjson split takes exactly one IN.ndjson") }
        return (.split(input: paths[0], output: output), mode)
    default:
        throw Failure(message: "unknown command '\(verb)' (see --help)")
    }
}

/// A file the paths name, as it will be shown, and where it is.
struct InputFile {
    let name: String
    let url: URL
    var isNDJSON: Bool { url.pathExtension == "ndjson" }
}

/// Expands the PATHs into files: a file as given, a folder's *.json and *.ndjson files recursively, sorted.
func inputFiles(_ paths: [String]) throws(Failure) -> [InputFile] {
    var files: [InputFile] = []
    for path in paths {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw Failure(message: "\(path): no such file or folder")
        }
        guard isFolder.boolValue else {
            files.append(InputFile(name: path, url: URL(fileURLWithPath: path)))
            continue
        }
        let base = URL(fileURLWithPath: path, isDirectory: true)
        var found: [InputFile] = []
        var unreadable: [URL] = []
        let walker = FileManager.default.enumerator(
            at: base,
            includingPropertiesForKeys: [.isDirectoryKey],
            options: [],
            errorHandler: { url, _ in
                unreadable.append(url)
                return true
            }
        )
        if let walker {
            for case let url as URL in walker where ["json", "ndjson"].contains(url.pathExtension) {
                if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true { continue }
                let relative = String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count))
                let name = path.hasSuffix("/") ? path + relative.drop { $0 == "/" } : path + relative
                found.append(InputFile(name: name, url: url))
            }
        }
        for url in unreadable {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count))
            found.append(InputFile(name: path + relative, url: url))
        }
        files += found.sorted { $0.name < $1.name }
    }
    return files
}

/// One unit of input: a .json file or one line of an .ndjson file.
struct Unit {
    let name: String
    let bytes: [UInt8]
}

/// Tallies outcomes and prints each failure.
struct Tally {
    var passed = 0
    var failed = 0

    mutating func pass() {
        passed += 1
    }

    mutating func fail(_ name: String, _ reason: String) {
        failed += 1
        print("FAIL \(name): \(reason)")
    }

    var summary: String { "\(passed) passed, \(failed) failed" }
}

/// Calls `body` with every unit of the files; a file that cannot be read fails as one unit.
func forEachUnit(in files: [InputFile], tally: inout Tally, _ body: (Unit, inout Tally) -> Void) {
    for file in files {
        if file.isNDJSON {
            guard let handle = try? FileHandle(forReadingFrom: file.url) else {
                tally.fail(file.name, "the file could not be read")
                continue
            }
            defer { try? handle.close() }
            var reader = NDJSONReader(handle: handle)
            while true {
                do {
                    guard let line = try reader.nextLine() else { break }
                    body(Unit(name: "\(file.name):\(line.number)", bytes: line.bytes), &tally)
                } catch {
                    tally.fail(file.name + (error.line.map { ":\($0)" } ?? ""), error.reason)
                    // An over-long line is skipped and reading goes on; a read failure ends the file.
                    if error.code != .limitExceeded { break }
                }
            }
        } else {
            guard let data = try? Data(contentsOf: file.url) else {
                tally.fail(file.name, "the file could not be read")
                continue
            }
            body(Unit(name: file.name, bytes: Array(data)), &tally)
        }
    }
}

/// The first issue that fails, or the first of any kind, as text for a FAIL line.
func firstIssue(_ report: FHIRValidationReport) -> String {
    (report.firstFailure ?? report.issues.first).map(\.description) ?? "no issue"
}

/// A key as it may be printed: element-shaped keys as they are, anything else as `(key)`.
func shown(_ key: String) -> String {
    guard let first = key.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII, key.utf8.count <= 64,
        key.unicodeScalars.allSatisfy({
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
        })
    else { return "(key)" }
    return key
}

/// Where two JSON values first differ, as a JSON path, or `nil` when they are the same JSON.
func firstDifference(_ left: JSONValue, _ right: JSONValue, at path: String = "$") -> String? {
    switch (left, right) {
    case (.object(let leftObject), .object(let rightObject)):
        for member in leftObject.members {
            let step = "\(path).\(shown(member.key))"
            guard let other = rightObject[member.key] else { return "\(step) is missing" }
            if let difference = firstDifference(member.value, other, at: step) { return difference }
        }
        return leftObject.count == rightObject.count ? nil : "\(path) gained a member"
    case (.array(let leftItems), .array(let rightItems)):
        guard leftItems.count == rightItems.count else { return "\(path) changed length" }
        for (index, pair) in zip(leftItems, rightItems).enumerated() {
            if let difference = firstDifference(pair.0, pair.1, at: "\(path)[\(index)]") { return difference }
        }
        return nil
    default:
        return left.isEquivalent(to: right) ? nil : "\(path) changed"
    }
}

func validate(_ files: [InputFile], mode: FHIRValidator.Mode) -> Tally {
    var tally = Tally()
    let decoder = FHIRDecoder(mode: mode)
    forEachUnit(in: files, tally: &tally) { unit, tally in
        let report = decoder.validate(unit.bytes)
        if report.isValid { tally.pass() } else { tally.fail(unit.name, firstIssue(report)) }
    }
    return tally
}

func roundTrip(_ files: [InputFile], output: String?, mode: FHIRValidator.Mode) throws(Failure) -> Tally {
    if let output {
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw Failure(message: "\(output): the folder cannot be created")
        }
    }
    var tally = Tally()
    var units = 0
    let decoder = FHIRDecoder(mode: mode)
    forEachUnit(in: files, tally: &tally) { unit, tally in
        units += 1
        let report = decoder.validate(unit.bytes)
        guard let resource = report.resource else {
            tally.fail(unit.name, firstIssue(report))
            return
        }
        do throws(FHIREncodingError) {
            let original = resource.jsonValue
            let model = try R4.Resource(resource)
            let encoded = FHIREncoder().encode(json: .object(model.json))
            if let output {
                let base = unit.name.split(separator: "/").last.map(String.init) ?? "unit"
                let name = String(format: "%05d-", units) + base.replacingOccurrences(of: ":", with: "-line-")
                let url = URL(fileURLWithPath: output).appendingPathComponent(
                    name.hasSuffix(".json") ? name : name + ".json"
                )
                guard (try? Data(encoded).write(to: url)) != nil else {
                    tally.fail(unit.name, "the encoding could not be written to \(output)")
                    return
                }
            }
            let again = try JSONReader().read(encoded)
            if let difference = firstDifference(original, again) {
                tally.fail(unit.name, "the round trip changed the JSON: \(difference)")
            } else {
                tally.pass()
            }
        } catch {
            tally.fail(unit.name, error.description)
        }
    }
    return tally
}

func join(_ files: [InputFile], output: String, mode: FHIRValidator.Mode) throws(Failure) -> Tally {
    let outputURL = URL(fileURLWithPath: output)
    guard FileManager.default.createFile(atPath: output, contents: nil),
        let handle = try? FileHandle(forWritingTo: outputURL)
    else { throw Failure(message: "\(output): cannot be written") }
    defer { try? handle.close() }
    var writer = NDJSONWriter(handle: handle)
    var tally = Tally()
    let decoder = FHIRDecoder(mode: mode)
    let inputs = files.filter { $0.url.standardizedFileURL != outputURL.standardizedFileURL }
    forEachUnit(in: inputs, tally: &tally) { unit, tally in
        let report = decoder.validate(unit.bytes)
        guard let resource = report.resource else {
            tally.fail(unit.name, firstIssue(report))
            return
        }
        let resources = resource.resourceType == "Bundle" ? resource.bundleEntryResources : [resource]
        do throws(FHIREncodingError) {
            for inner in resources { try writer.write(inner) }
            tally.pass()
        } catch {
            tally.fail(unit.name, "\(output) could not be written")
        }
    }
    do {
        try writer.finish()
        print("wrote \(writer.count) resources to \(output)")
    } catch {
        tally.fail(output, "the last resources could not be written")
    }
    return tally
}

func split(_ input: String, output: String, mode: FHIRValidator.Mode) throws(Failure) -> Tally {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: input, isDirectory: &isFolder), !isFolder.boolValue else {
        throw Failure(message: "\(input): no such file")
    }
    do {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    } catch {
        throw Failure(message: "\(output): the folder cannot be created")
    }
    var tally = Tally()
    var written = Set<String>()
    let decoder = FHIRDecoder(mode: mode)
    let encoder = FHIREncoder(style: .pretty)
    forEachUnit(in: [InputFile(name: input, url: URL(fileURLWithPath: input))], tally: &tally) { unit, tally in
        let report = decoder.validate(unit.bytes)
        guard let resource = report.resource else {
            tally.fail(unit.name, firstIssue(report))
            return
        }
        guard let id = resource.id else {
            tally.fail(unit.name, "a resource without an id cannot be named Type-id.json")
            return
        }
        let name = "\(resource.resourceType)-\(id).json"
        guard written.insert(name.lowercased()).inserted else {
            tally.fail(unit.name, "\(name) was already written from an earlier line")
            return
        }
        let url = URL(fileURLWithPath: output).appendingPathComponent(name)
        do {
            try Data(encoder.encode(resource) + [UInt8(ascii: "\n")]).write(to: url)
            tally.pass()
        } catch {
            tally.fail(unit.name, "\(name) could not be written")
        }
    }
    print("wrote \(written.count) files to \(output)")
    return tally
}

func run() -> ExitCode {
    do {
        let (command, mode) = try parse(Array(CommandLine.arguments.dropFirst()))
        let tally: Tally
        switch command {
        case .help:
            print(usage)
            return .success
        case .validate(let paths): tally = validate(try inputFiles(paths), mode: mode)
        case .roundTrip(let paths, let output): tally = try roundTrip(try inputFiles(paths), output: output, mode: mode)
        case .join(let paths, let output): tally = try join(try inputFiles(paths), output: output, mode: mode)
        case .split(let input, let output): tally = try split(input, output: output, mode: mode)
        }
        print(tally.summary)
        return tally.failed == 0 ? .success : .failedCheck
    } catch {
        FileHandle.standardError.write(Data("fhir-tool: \(error.message)\n".utf8))
        return .badInput
    }
}

exit(run().rawValue)
