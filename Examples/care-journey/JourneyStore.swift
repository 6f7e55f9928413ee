import CareCore
import CareStore
import Foundation

/// Where the journeys keep what they create: a SQLite resource store (`care.sqlite`) and an audit log
/// (`audit.sqlite`) in one folder, so that a second run against the same folder finds the first run's
/// records.
struct JourneyStore {
    let folder: URL
    let resources: SQLiteResourceStore
    let audit: SQLiteAuditLogStorage

    /// Opens the store in a folder, creating the folder (owner-only) when it does not exist.
    ///
    /// The store's clock is fixed at `moment`, and its ids come from `seed`, so that two runs write the same
    /// resources.
    init(folder: URL, moment: Date, seed: UInt64) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw JourneyStoreFailure(reason: "\(folder.path) is a file, not a folder")
            }
        } else {
            do {
                try FileManager.default.createDirectory(
                    at: folder,
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700]
                )
            } catch {
                throw JourneyStoreFailure(reason: "cannot create the folder \(folder.path)")
            }
        }
        self.folder = folder
        resources = try SQLiteResourceStore(
            file: folder.appendingPathComponent("care.sqlite"),
            clock: FixedWallClock(moment),
            timeZone: try .europeLondon(),
            generator: SeededRandomNumberGenerator(seed: seed)
        )
        audit = try SQLiteAuditLogStorage(file: folder.appendingPathComponent("audit.sqlite"))
    }

    /// A new folder under the system's temporary directory, for a run that names none.
    static func temporaryFolder() throws -> URL {
        var template = Array(
            FileManager.default.temporaryDirectory.appendingPathComponent("care-journey-XXXXXX").path.utf8CString
        )
        guard let made = mkdtemp(&template) else {
            throw JourneyStoreFailure(reason: "cannot create a temporary folder")
        }
        return URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }

    /// How many current resources of each type the store holds, and the audit entries, in a fixed order.
    func contents() throws -> [(kind: String, count: Int)] {
        var counts: [(String, Int)] = []
        for type in ["Patient", "Schedule", "Slot", "Appointment", "CarePlan", "Consent"] {
            counts.append((type, try resources.search(StoreQuery(type: type)).count))
        }
        counts.append(("audit entries", try audit.loadEntries().count))
        return counts
    }
}

/// A store folder that cannot be made or opened: bad input, exit code 2.
struct JourneyStoreFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
