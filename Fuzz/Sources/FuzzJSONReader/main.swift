import CFuzzing
import FHIREncoding
import Foundation

/// One input for the JSON reader.
///
/// Any input may be refused, but only with `FHIREncodingError`; a crash, a hang or a sanitizer report is a
/// finding. What is accepted must survive a round trip: writing the value and reading it back gives the
/// same value, and writing that again gives the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONReader(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: count)
    let reader = JSONReader(limits: JSONReader.Limits(maximumBytes: 1 << 20))
    guard let value = try? reader.read(bytes) else { return 0 }
    // Pretty output indents every line by its depth, so it can be far larger than the input: read it back with
    // no byte limit.
    let unlimited = JSONReader(limits: JSONReader.Limits(maximumBytes: .max, maximumStringBytes: .max))
    for style in [JSONWriter.Style.compact, .pretty] {
        let written = JSONWriter(style: style).write(value)
        guard let again = try? unlimited.read(written) else {
            fatalError("the reader refused what the writer wrote from an accepted value")
        }
        precondition(again == value, "a written value reads back differently")
        precondition(JSONWriter(style: style).write(again) == written, "writing is not stable")
    }
    return 0
}

exit(fuzzing_run(CommandLine.argc, CommandLine.unsafeArgv) { data, count in fuzzJSONReader(data, count) })
