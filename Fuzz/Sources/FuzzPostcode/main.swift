import CFuzzing
import CareCore
import Foundation

/// One input for postcode parsing.
///
/// Any text may be refused, but only with `CareCoreError`. An accepted postcode is upper-case ASCII, and its
/// formatted form parses back to the same postcode.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPostcode(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    guard let postcode = try? Postcode(parsing: text) else { return 0 }
    let formatted = postcode.formatted
    precondition(
        formatted.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x20 },
        "a postcode holds more than upper-case letters, digits and one space"
    )
    precondition(formatted.utf8.filter { $0 == 0x20 }.count == 1, "a formatted postcode has one space")
    precondition(Postcode(formatted) == postcode, "the formatted postcode parses differently")
    return 0
}

exit(fuzzing_run(CommandLine.argc, CommandLine.unsafeArgv) { data, count in fuzzPostcode(data, count) })
