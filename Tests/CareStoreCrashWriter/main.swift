// The child process of CareStoreTests' crash test: writes transactions to a SQLite store until it is killed.
//
//     CareStoreCrashWriter DATABASE FIRST [PER-TRANSACTION]
//
// Transaction n creates PER-TRANSACTION Patients (5 by default), each carrying the identifier
// `urn:integratedcarekit:crash-test` | n, and numbers them n, n + 1, … from FIRST. After each commit it
// prints `committed n` and flushes, so the parent knows which transactions must survive a SIGKILL.
// Exit codes: 1 when the store fails, 2 for bad arguments.

import CareCore
import CareStore
import FHIREncoding
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2, let first = Int(arguments[1]), first >= 0,
    let perTransaction = Int(arguments.count > 2 ? arguments[2] : "5"), perTransaction > 0
else {
    FileHandle.standardError.write(Data("usage: CareStoreCrashWriter DATABASE FIRST [PER-TRANSACTION]\n".utf8))
    exit(2)
}

/// A Patient of transaction `number`, the `index`th in it.
func patient(transaction number: Int, index: Int) throws -> FHIRResource {
    let json =
        #"{"resourceType":"Patient","id":"crash-\#(number)-\#(index)","identifier":[{"system":"urn:integratedcarekit:crash-test","value":"\#(number)"}],"#
        + #""name":[{"family":"Written","given":["Crash"]}],"birthDate":"1970-01-01"}"#
    return try FHIRDecoder().decode(Array(json.utf8))
}

do {
    let store = try SQLiteResourceStore(
        file: URL(fileURLWithPath: arguments[0]),
        clock: SystemWallClock(),
        timeZone: try .europeLondon(),
        generator: SeededRandomNumberGenerator(seed: UInt64(first))
    )
    var number = first
    while true {
        let operations = try (0..<perTransaction).map {
            StoreOperation.create(try patient(transaction: number, index: $0))
        }
        _ = try store.transaction(operations)
        FileHandle.standardOutput.write(Data("committed \(number)\n".utf8))
        number += 1
    }
} catch {
    FileHandle.standardError.write(Data("CareStoreCrashWriter: \(error)\n".utf8))
    exit(1)
}
