import CFuzzing
import Foundation
import PatientIdentity

/// One input for NHS number parsing.
///
/// Any text may be refused, but only with `PatientIdentityError`. An accepted number has ten ASCII digits
/// whose check digit is right, and its bare and formatted forms both parse back to the same number.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNHSNumber(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    guard let number = try? NHSNumber(parsing: text) else { return 0 }
    let digits = Array(number.digits.utf8)
    precondition(digits.count == 10 && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, "not ten ASCII digits")
    let stem = digits.prefix(9).map { Int($0 - 0x30) }
    precondition(NHSNumber.checkDigit(for: stem) == Int(digits[9] - 0x30), "the check digit is wrong")
    precondition(NHSNumber(number.digits) == number, "the bare digits parse differently")
    precondition(NHSNumber(number.formatted) == number, "the formatted number parses differently")
    return 0
}

exit(fuzzing_run(CommandLine.argc, CommandLine.unsafeArgv) { data, count in fuzzNHSNumber(data, count) })
