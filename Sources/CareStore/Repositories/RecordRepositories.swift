public import CareCore
public import ConsentAccess
import FHIREncoding
import Foundation
public import PatientIdentity

/// The patient index's records kept in a resource store as UK Core Patients, so that the index can be
/// rebuilt after a restart.
///
/// Saving writes over the Patient last stored, so what the record has no place for (contacts, photos,
/// links another system added) is kept. Every write expects the version this repository last read or
/// wrote: a record another process changed since is refused (`versionConflict`); read it again and
/// reapply the change. Reading a record again makes the version read the one the next save expects, so
/// read, change and save without reading in between; saves through one repository from several tasks
/// are serialised, the later one written over the earlier, as in memory. A record's `lastUpdated` reads
/// back as the moment the store recorded it (FHIR's `meta.lastUpdated` is the server's).
///
/// ```swift
/// let patients = PatientRecordRepository(store: store)
/// try patients.save(arriving)
/// var index = PatientIndex()
/// try index.insert(contentsOf: try patients.records())
/// ```
public final class PatientRecordRepository<Store: SynchronousResourceStore>: Sendable {
    /// The store.
    public let store: Store
    private let ledger = Ledger()

    /// Creates a repository on a store.
    ///
    /// - Parameter store: The store.
    public init(store: Store) {
        self.store = store
    }

    /// Every record stored, ordered by id.
    ///
    /// - Returns: The records.
    /// - Throws: ``CareStoreError``: the store's errors; `corrupt`, naming the resource, for a Patient that
    ///   no longer reads as a record.
    public func records() throws(CareStoreError) -> [PatientRecord] {
        try records(matching: StoreQuery(type: "Patient"))
    }

    /// The records that carry an identifier, such as an NHS number (system
    /// `https://fhir.nhs.uk/Id/nhs-number`) or a local hospital number.
    ///
    /// - Parameter identifier: The identifier's system and value.
    /// - Returns: The records, ordered by id.
    /// - Throws: ``CareStoreError`` as ``records()``.
    public func records(identifiedBy identifier: StoreQuery.IdentifierToken) throws(CareStoreError) -> [PatientRecord] {
        try records(matching: StoreQuery(type: "Patient", identifier: identifier))
    }

    /// One record.
    ///
    /// - Parameter id: The record's id.
    /// - Returns: The record.
    /// - Throws: ``CareStoreError``: `notFound`; `gone`; `corrupt`; the store's errors.
    public func record(_ id: PatientRecord.ID) throws(CareStoreError) -> PatientRecord {
        let stored = try store.read("Patient", id: id.rawValue)
        ledger.saw([stored])
        return try Restoring.record(R4.Patient.self, from: stored) { (fhir) throws(FHIREncodingError) in
            try PatientRecord(fhir: fhir)
        }
    }

    /// Stores records, new or changed, in one transaction.
    ///
    /// - Parameter records: The records.
    /// - Throws: ``CareStoreError``: `versionConflict` or `alreadyExists` when another process changed or
    ///   created a record since this repository read it; the store's errors. Nothing is written.
    public func save(_ records: [PatientRecord]) throws(CareStoreError) {
        _ = try ledger.write(to: store) { (known) throws(CareStoreError) in
            var writes: [Ledger.Write] = []
            for record in records {
                let id = record.id.rawValue
                let original = try Restoring.current(R4.Patient.self, "Patient", id, in: store, known: known)
                let patient = try Restoring.resource("Patient", id) { R4.Patient(record, keeping: original) }
                writes.append(Ledger.Write(patient))
            }
            return writes
        }
    }

    private func records(matching query: StoreQuery) throws(CareStoreError) -> [PatientRecord] {
        let stored = try store.search(query)
        ledger.saw(stored)
        var records: [PatientRecord] = []
        for resource in stored {
            records.append(
                try Restoring.record(R4.Patient.self, from: resource) { (fhir) throws(FHIREncodingError) in
                    try PatientRecord(fhir: fhir)
                }
            )
        }
        return records
    }
}

/// Consent directives kept in a resource store as UK Core Consents, so that access decisions after a
/// restart still follow what patients decided.
///
/// A changed directive (withdrawn, replaced) is a new version of its Consent, so the store's history shows
/// what was in force when. Saving writes over the Consent last stored, keeping what the directive has no
/// place for. Every write expects the version this repository last read or wrote.
///
/// ```swift
/// let consents = ConsentDirectiveRepository(store: store)
/// try consents.save(lucysDirective)
/// for directive in try consents.directives(for: lucy) { await control.record(directive) }
/// ```
public final class ConsentDirectiveRepository<Store: SynchronousResourceStore>: Sendable {
    /// The store.
    public let store: Store
    private let ledger = Ledger()

    /// Creates a repository on a store.
    ///
    /// - Parameter store: The store.
    public init(store: Store) {
        self.store = store
    }

    /// Every directive stored, ordered by id.
    ///
    /// - Returns: The directives.
    /// - Throws: ``CareStoreError``: the store's errors; `corrupt`, naming the resource, for a Consent that
    ///   no longer reads as a directive.
    public func directives() throws(CareStoreError) -> [ConsentDirective] {
        try directives(matching: StoreQuery(type: "Consent"))
    }

    /// The directives of one patient, ordered by id.
    ///
    /// - Parameter patient: The patient.
    /// - Returns: The directives.
    /// - Throws: ``CareStoreError`` as ``directives()``.
    public func directives(for patient: Access.PatientID) throws(CareStoreError) -> [ConsentDirective] {
        try directives(matching: StoreQuery(type: "Consent", reference: "Patient/\(patient.rawValue)"))
    }

    /// Stores directives, new or changed, in one transaction.
    ///
    /// - Parameter directives: The directives.
    /// - Throws: ``CareStoreError``: `versionConflict` or `alreadyExists` when another process changed or
    ///   created a directive since this repository read it; `invalidRequest` for one FHIR cannot carry; the
    ///   store's errors. Nothing is written.
    public func save(_ directives: [ConsentDirective]) throws(CareStoreError) {
        _ = try ledger.write(to: store) { (known) throws(CareStoreError) in
            var writes: [Ledger.Write] = []
            for directive in directives {
                let id = directive.id.rawValue
                let original = try Restoring.current(R4.Consent.self, "Consent", id, in: store, known: known)
                let consent = try Restoring.resource("Consent", id) { () throws(FHIREncodingError) in
                    try R4.Consent(directive, keeping: original)
                }
                writes.append(Ledger.Write(consent))
            }
            return writes
        }
    }

    private func directives(matching query: StoreQuery) throws(CareStoreError) -> [ConsentDirective] {
        let stored = try store.search(query)
        ledger.saw(stored)
        var directives: [ConsentDirective] = []
        for resource in stored {
            directives.append(
                try Restoring.record(R4.Consent.self, from: resource) { (fhir) throws(FHIREncodingError) in
                    try ConsentDirective(fhir: fhir)
                }
            )
        }
        return directives
    }
}

extension Restoring {
    /// The stored version of a resource the repository has seen, to write over; `nil` for one it has not,
    /// which the write then creates.
    ///
    /// - Throws: ``CareStoreError`` with code `versionConflict` when the stored version is not the one the
    ///   repository last read or wrote: another process changed it since.
    static func current<Model: R4.ResourceModel>(
        _ type: Model.Type,
        _ resourceType: String,
        _ id: String,
        in store: some SynchronousResourceStore,
        known: Ledger.Snapshot
    ) throws(CareStoreError) -> Model? {
        guard let version = known.version(resourceType, id) else { return nil }
        let stored = try store.read(resourceType, id: id)
        guard stored.version == version else {
            throw CareStoreError(
                .versionConflict,
                field: .resource(resourceType, id),
                reason: "the record changed in the store since it was read; read it again"
            )
        }
        return try stored.decode(type)
    }
}
