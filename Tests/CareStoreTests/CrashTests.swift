import CSQLite
import CareCore
import CareStore
import FHIREncoding
import Foundation
import Testing

/// A child process writing transactions to a SQLite store is killed with SIGKILL at random moments, 50
/// times. After each kill the store reopens, every transaction the child reported committed is there
/// whole, and no transaction is there in part.
@Suite("A store survives its writer being killed mid-transaction")
struct CrashTests {
    static let kills = 50
    static let perTransaction = 5

    /// The crash writer, built beside the test binary.
    static func writer() throws -> URL {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = binary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("CareStoreCrashWriter")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw CrashTestFailure("CareStoreCrashWriter is not built beside the tests: run swift build --build-tests")
    }

    /// How many Patients each transaction number has, read straight from the database's index.
    static func transactions(in file: URL) throws -> [Int: Int] {
        var database: OpaquePointer?
        guard sqlite3_open_v2(file.path, &database, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else {
            sqlite3_close(database)
            throw CrashTestFailure("the database could not be opened to count")
        }
        defer { sqlite3_close(database) }
        var statement: OpaquePointer?
        let sql = """
            SELECT i.value, COUNT(*) FROM resource_identifiers i
            JOIN resources r ON r.type = i.type AND r.id = i.id
            WHERE i.system = 'urn:integratedcarekit:crash-test' AND r.deleted = 0
            GROUP BY i.value
            """
        guard sqlite3_prepare_v2(database, sql, -1, &statement, nil) == SQLITE_OK else {
            throw CrashTestFailure("the count query could not be prepared")
        }
        defer { sqlite3_finalize(statement) }
        var counts: [Int: Int] = [:]
        while sqlite3_step(statement) == SQLITE_ROW {
            let value = String(cString: sqlite3_column_text(statement, 0))
            guard let number = Int(value) else { throw CrashTestFailure("a transaction number is not a number") }
            counts[number] = Int(sqlite3_column_int64(statement, 1))
        }
        return counts
    }

    @Test("50 SIGKILLs: every committed transaction survives whole and none survives in part")
    func killedWriter() async throws {
        let writer = try Self.writer()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("crash.sqlite")
        var generator = SeededRandomNumberGenerator(seed: 20_261_126)
        var next = 0
        var roundsThatWrote = 0
        for round in 0..<Self.kills {
            let process = Process()
            process.executableURL = writer
            process.arguments = [file.path, String(next), String(Self.perTransaction)]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Every other round waits for the writer's first commit, so that most kills land mid-stream
            // whatever the machine's load; the rest kill at any moment, opening and recovery included.
            var early = Data()
            let midStream = round % 2 == 0
            if midStream {
                while !String(decoding: early, as: UTF8.self).contains("committed") {
                    let data = output.fileHandleForReading.availableData
                    if data.isEmpty { break }
                    early += data
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...40, using: &generator)))
            } else {
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...120, using: &generator)))
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "round \(round): the writer ended by itself")
            let printed = String(
                decoding: early + output.fileHandleForReading.readDataToEndOfFile(),
                as: UTF8.self
            )
            let committed = printed.split(separator: "\n").compactMap { line in
                line.hasPrefix("committed ") ? Int(line.dropFirst("committed ".count)) : nil
            }

            if midStream && !committed.isEmpty { roundsThatWrote += 1 }
            // Reopening recovers the WAL; the database must be whole.
            let store = try SQLiteResourceStore(
                file: file,
                clock: SteppingClock(),
                timeZone: try .europeLondon(),
                generator: SeededRandomNumberGenerator(seed: UInt64(round))
            )
            try store.checkIntegrity()
            let counts = try Self.transactions(in: file)
            for number in committed {
                #expect(counts[number] == Self.perTransaction, "round \(round): committed transaction \(number) lost")
            }
            for (number, count) in counts {
                #expect(count == Self.perTransaction, "round \(round): transaction \(number) is there in part")
            }
            let highest = counts.keys.max() ?? -1
            // A transaction may commit after its last report was read; never one beyond the next.
            #expect(highest <= (committed.max() ?? next - 1) + 1, "round \(round): a transaction from nowhere")
            #expect(highest < 0 || Set(counts.keys) == Set(0...highest), "round \(round): a gap")
            // Through the store too: the last transaction's Patients read back.
            if highest >= 0 {
                let found = try store.search(
                    StoreQuery(
                        type: "Patient",
                        identifier: .init(system: "urn:integratedcarekit:crash-test", value: String(highest))
                    )
                )
                #expect(found.count == Self.perTransaction)
            }
            next = highest + 1
        }
        // Every round that waited for a commit killed a writer in the middle of its stream.
        #expect(roundsThatWrote == Self.kills / 2, "only \(roundsThatWrote) rounds wrote anything")
        #expect(next > Self.kills)
    }
}

/// A crash test that could not run as it must.
struct CrashTestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
