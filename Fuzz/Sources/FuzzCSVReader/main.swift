import CFuzzing
import CareCore
import Foundation

/// One input for CareCore's CSV reader.
///
/// Any input may be refused, but only with `CareCoreError`. Records that are read survive a round trip
/// through ``CSVWriter``: the same fields come back in the same order. Reading record by record and reading
/// everything agree.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    var reader = CSVReader(bytes: bytes)
    guard let records = try? reader.readAll() else { return 0 }
    var stepping = CSVReader(bytes: bytes)
    var stepped: [CSVRecord] = []
    while let record = try? stepping.next() { stepped.append(record) }
    precondition(stepped == records, "reading record by record and reading everything disagree")
    var writer = CSVWriter()
    for record in records { writer.write(record.fields) }
    var again = CSVReader(string: writer.text)
    guard let reread = try? again.readAll() else {
        fatalError("the reader refused what the writer wrote from accepted records")
    }
    precondition(reread.map(\.fields) == records.map(\.fields), "written records read back differently")
    _ = try? CSVTable(bytes: bytes)
    return 0
}

exit(fuzzing_run(CommandLine.argc, CommandLine.unsafeArgv) { data, count in fuzzCSVReader(data, count) })
