package import Appointments
package import CareCore
package import CareStore
package import ConsentAccess
package import FHIREncoding
package import Foundation
import PatientIdentity

/// Where the journeys keep what they create: a SQLite resource store (`care.sqlite`) and an audit log
/// (`audit.sqlite`) in one folder, so that a second run against the same folder finds the first run's
/// people and records.
package struct JourneyStore: Sendable {
    /// The moment the store stamps on every version it writes: fixed, so that two runs write the same bytes.
    package static let moment = Date(timeIntervalSince1970: 1_795_683_600)  // 2026-11-26 09:00 GMT
    /// The seed of the audit log's checkpoint key. A real deployment keeps its key in a key service, away from
    /// the log; the journeys derive it from a seed so that a later run can verify the stored log.
    package static let auditKeySeed: UInt64 = 6

    /// The folder.
    package let folder: URL
    /// Every FHIR resource the journeys write.
    package let resources: SQLiteResourceStore
    /// The access audit log's storage.
    package let audit: SQLiteAuditLogStorage
    /// The patient records, read and written as UK Core Patients.
    package let patients: PatientRecordRepository<SQLiteResourceStore>
    /// Consent directives, read and written as FHIR Consents.
    package let consents: ConsentDirectiveRepository<SQLiteResourceStore>
    /// The key that signs the audit log's checkpoints.
    package let auditKey: AuditCheckpointKey
    /// The seed the journeys draw generated identifiers from.
    package let seed: UInt64

    /// Opens the store in a folder, creating the folder (owner-only) when it does not exist.
    ///
    /// - Parameters:
    ///   - folder: The folder.
    ///   - seed: The seed for generated identifiers; the same seed writes the same resources.
    /// - Throws: ``JourneyStoreFailure`` when the folder is a file or cannot be made; `CareStoreError` or
    ///   `ConsentAccessError` when a file in it is not a store.
    package init(folder: URL, seed: UInt64) throws {
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
        self.seed = seed
        resources = try SQLiteResourceStore(
            file: folder.appendingPathComponent("care.sqlite"),
            clock: FixedWallClock(Self.moment),
            timeZone: try .europeLondon(),
            generator: SeededRandomNumberGenerator(seed: seed)
        )
        audit = try SQLiteAuditLogStorage(file: folder.appendingPathComponent("audit.sqlite"))
        patients = PatientRecordRepository(store: resources)
        consents = ConsentDirectiveRepository(store: resources)
        var generator = SeededRandomNumberGenerator(seed: Self.auditKeySeed)
        auditKey = AuditCheckpointKey.random(using: &generator)
    }

    /// A new folder under the system's temporary directory, for a run that names none.
    ///
    /// - Parameter prefix: The start of the folder's name.
    /// - Returns: The folder, created owner-only.
    /// - Throws: ``JourneyStoreFailure`` when it cannot be made.
    package static func temporaryFolder(prefix: String = "care-journey") throws -> URL {
        var template = Array(
            FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-XXXXXX").path.utf8CString
        )
        guard let made = mkdtemp(&template) else {
            throw JourneyStoreFailure(reason: "cannot create a temporary folder")
        }
        return URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }

    /// The resource types the journeys write, in the order they are counted and bundled.
    package static let resourceTypes = [
        "Patient", "Schedule", "Slot", "Appointment", "Communication", "CarePlan", "Consent", "Encounter",
        "Observation",
    ]

    /// How many current resources of each type the store holds, and the audit entries, in a fixed order.
    ///
    /// - Returns: One count a kind.
    /// - Throws: The store's errors.
    package func contents() throws -> [(kind: String, count: Int)] {
        var counts: [(String, Int)] = []
        for type in Self.resourceTypes {
            counts.append((type, try resources.search(StoreQuery(type: type)).count))
        }
        counts.append(("audit entries", try audit.loadEntries().count))
        return counts
    }

    /// Every version of every resource the store holds, as `Type/id/_history/n`, sorted: what a test compares
    /// to show a run wrote nothing.
    ///
    /// - Returns: The versions.
    /// - Throws: The store's errors.
    package func versions() throws -> [String] {
        var versions: [String] = []
        for type in Self.resourceTypes {
            for resource in try resources.search(StoreQuery(type: type)) {
                for version in try resources.history(type, id: resource.id) {
                    versions.append("\(type)/\(version.id)/_history/\(version.version)")
                }
            }
        }
        return versions.sorted()
    }

    /// An appointment book over the store's Schedules, Slots and Appointments, with the journeys' service-type
    /// code system.
    ///
    /// - Parameter clock: The journey's clock.
    /// - Returns: The book, holding what the store holds.
    /// - Throws: `AppointmentsError` when the stored book cannot be loaded.
    package func appointmentBook(clock: any WallClock) throws -> AppointmentBook {
        try AppointmentBook(
            store: AppointmentRepository(
                store: resources,
                context: AppointmentMappingContext(serviceTypeSystem: CodeSystem(rawValue: Journey.serviceTypes))
            ),
            clock: clock
        )
    }

    /// Writes a resource a journey produced (an observation, an encounter, a letter) under its own id.
    ///
    /// - Parameter resource: The resource; it must have an id.
    /// - Throws: `CareStoreError` (`alreadyExists` when a resource of the type has the id).
    package func keep(_ resource: some R4.ResourceModel) throws {
        _ = try resources.create(try FHIRResource(json: .object(resource.json)))
    }

    /// Builds the FHIR Bundle of what the store holds about a journey's person, with the audit entries of the
    /// journeys whose access was decided (Claire's and Lucy's).
    ///
    /// - Parameter summary: The journey's summary.
    /// - Returns: The Bundle.
    /// - Throws: The store's or the encoder's errors.
    package func bundle(of summary: JourneySummary) throws -> R4.Bundle {
        let audited = summary.journey == .claire || summary.journey == .lucy ? summary.records.first : nil
        return try bundle(summary.journey, records: summary.records, auditPatient: audited)
    }

    /// Builds the FHIR Bundle of what the store holds about a person: their Patient records, every resource
    /// that refers to one of them, and their audit entries as AuditEvents.
    ///
    /// - Parameters:
    ///   - journey: The journey, which names the Bundle.
    ///   - records: The person's record ids.
    ///   - auditPatient: The id the access audit log knows the person by.
    /// - Returns: A `collection` Bundle whose entries have full URLs under the journeys' base, sorted by type
    ///   and id, so two runs over the same store write the same bytes.
    /// - Throws: The store's or the encoder's errors.
    private func bundle(_ journey: JourneyName, records: [String], auditPatient: String?) throws -> R4.Bundle {
        var builder = SummaryBundle(
            kind: .collection,
            base: "https://integratedcarekit.example/fhir",
            allowsExternalReferences: true
        )
        var seen = Set<String>()
        var found: [StoredResource] = []
        for record in records {
            found.append(try resources.read("Patient", id: record))
            for type in Self.resourceTypes where type != "Patient" {
                found += try resources.search(StoreQuery(type: type, reference: "Patient/\(record)"))
            }
        }
        let order = Dictionary(uniqueKeysWithValues: Self.resourceTypes.enumerated().map { ($1, $0) })
        found.sort { (order[$0.resourceType] ?? 99, $0.id) < (order[$1.resourceType] ?? 99, $1.id) }
        for stored in found where seen.insert("\(stored.resourceType)/\(stored.id)").inserted {
            try builder.add(try R4.Resource(json: try stored.resource().json))
        }
        if let auditPatient {
            let log = try AuditLog(storage: audit, clock: FixedWallClock(Self.moment))
            let observer = R4.Reference(organisation: try ODSCode(parsing: "QT6"))
            for entry in try log.entries(about: try Access.PatientID(validating: auditPatient)) {
                try builder.add(
                    .auditEvent(try R4.AuditEvent(entry, observer: observer, id: "audit-\(entry.sequence)"))
                )
            }
        }
        var generator = SeededRandomNumberGenerator(seed: seed)
        return try builder.build(
            id: "care-journey-\(journey.rawValue)",
            timestamp: try Instant(Self.moment, fractionDigits: 0),
            using: &generator
        )
    }
}

/// A store folder that cannot be made or opened, or that holds a journey's earlier run only in part: bad
/// input, exit code 2.
package struct JourneyStoreFailure: Error, CustomStringConvertible {
    /// What is wrong, naming the folder or the journey but no patient data.
    package let reason: String

    /// Creates a failure.
    package init(reason: String) {
        self.reason = reason
    }

    /// The store holds some of a journey's records but not all: an earlier run stopped part way, or another
    /// program changed the store. The journey neither finishes nor repeats it.
    ///
    /// - Parameter journey: The journey.
    /// - Returns: The failure.
    package static func incomplete(_ journey: JourneyName) -> JourneyStoreFailure {
        JourneyStoreFailure(
            reason:
                "the store holds part of an earlier \(journey.rawValue) run, not all of it; use a new --store folder"
        )
    }
    /// The reason.
    package var description: String { reason }
}
