import CFuzzing
import CareCore
import Foundation
import TriageScoring

/// One input for TriageScoring's event reader and the board it drives.
///
/// Each line either gives an event carrying its line number or is refused with `TriageScoringError` naming
/// that line; the events that are read are applied to a three-cubicle board, which may refuse them but must
/// not crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTriageEvents(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: count)
    guard let capacity = try? CapacityPolicy(cubicles: 3) else { fatalError("a valid capacity was refused") }
    var board = TriageQueue(capacity: capacity)
    var number = 0
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
        number += 1
        let event: TriageEvent?
        do {
            event = try TriageEventReader.event(from: line, lineNumber: number)
        } catch {
            precondition(error.line == number, "an error names the wrong line")
            continue
        }
        guard let event else { continue }
        precondition(event.line == number, "an event carries the wrong line")
        _ = try? board.apply(event)
    }
    return 0
}

exit(fuzzing_run(CommandLine.argc, CommandLine.unsafeArgv) { data, count in fuzzTriageEvents(data, count) })
