import Appointments
import CareCore
import CarePlans
import CareStore
import ConsentAccess
import FHIREncoding
import Foundation
import PatientIdentity
import Testing
import TriageScoring

// Issue #12: patient data never appears in an error message, a description or a log line by default.
//
// Every module is driven through its failing paths with recognisable patient data in the input, and every text
// a caller might log is searched for it: the error interpolated, its debug description, its `dump`, its
// `localizedDescription`, the `CareError` reason, field and code, and the OperationOutcome a FHIR service would
// send for it; for FHIR validation, every issue's location and diagnostics and the OperationOutcome too.
//
// Deliberately not asserted, because they show their content by design (left for a decision on issue #12):
// - the descriptions of the generated `R4` models, which Swift prints field by field (the domain and JSON types
//   that hold patient data describe themselves by shape; DescriptionRedactionTests checks them);
// - `FHIRDate`, `CivilDate` and `EntityID`, which print their value: a date or an id is not patient data until
//   it is someone's date of birth or someone's id, and the types holding those hide them;
// - JSON keys shaped like element names, which FHIR errors and issues show (`Patient.foo`), and logical ids,
//   which store errors show (`Patient/p1`), as CareStore documents;
// - keys of `EarlyWarningChart.assess(ageInMonths:values:concerns:)`, which its errors name (`values.<key>`).

// MARK: - Recognisable patient data

/// Recognisable patient data: a text that contains any of it, in any letter case, leaks.
private enum PatientSecret {
    static let surname = "Trelawny"
    static let given = "Morwenna"
    static let fullName = "Morwenna Trelawny"
    /// A valid NHS number: its Modulus 11 check digit is right.
    static let nhsNumber = "9434765919"
    /// The same number with a wrong check digit.
    static let badNHSNumber = "9434765918"
    /// Nine digits for which Modulus 11 gives 10, so that no check digit is valid.
    static let unissuableNHSNumber = "9434765960"
    /// A second valid NHS number, for a second person.
    static let otherNHSNumber = "9990000018"
    static let birthDate = "1950-02-28"
    static let impossibleBirthDate = "1950-02-30"
    static let postcode = "TR1 3LJ"
    static let badPostcode = "TR1 3L"
    static let phone = "07700 900461"
    static let email = "morwenna.trelawny@example.org"
    /// Free text full of it, without commas so that it can stand in a CSV field.
    static let note = "Morwenna Trelawny (NHS 9434765919) born 1950-02-28 of TR1 3LJ"

    /// Every text that must never appear, with the fragments a careless formatter might leave: the bare year of
    /// birth, the outward and inward postcode, the subscriber part of the phone number, the grouped NHS number.
    static let forbidden: [String] = [
        surname, given, nhsNumber, badNHSNumber, unissuableNHSNumber, otherNHSNumber, "943 476 5919", "943-476-5919",
        birthDate, impossibleBirthDate, "1950", postcode, badPostcode, "TR1", "3LJ", phone, "900461", email,
    ]
}

/// What a careless storage layer throws: an error whose own text is full of patient data. A module that wraps it
/// must not pass that text on.
private struct LeakyFailure: Error, CustomStringConvertible {
    var description: String {
        "could not save \(PatientSecret.fullName), NHS number \(PatientSecret.nhsNumber), born "
            + "\(PatientSecret.birthDate), of \(PatientSecret.postcode)"
    }
}

/// An appointment store that fails with patient data in its error.
private struct LeakyAppointmentStore: AppointmentStore {
    let failsToLoad: Bool

    func loadAll() throws -> AppointmentBookState {
        if failsToLoad { throw LeakyFailure() }
        return AppointmentBookState()
    }

    func commit(_ change: AppointmentBookChange) throws {
        throw LeakyFailure()
    }
}

/// A care-plan store that fails with patient data in its error.
private struct LeakyCarePlanStore: CarePlanStore {
    let failsToLoad: Bool

    func loadAll() throws -> [CarePlan] {
        if failsToLoad { throw LeakyFailure() }
        return []
    }

    func commit(_ plan: CarePlan) throws {
        throw LeakyFailure()
    }
}

/// An audit-log storage that fails with patient data in its error.
private struct LeakyAuditStorage: AuditLogStorage {
    let failsToLoad: Bool

    func loadEntries() throws -> [AuditEntry] {
        if failsToLoad { throw LeakyFailure() }
        return []
    }

    func append(_ entries: [AuditEntry]) throws {
        throw LeakyFailure()
    }

    func loadCheckpoints() throws -> [AuditCheckpoint] {
        throw LeakyFailure()
    }

    func append(_ checkpoint: AuditCheckpoint) throws {
        throw LeakyFailure()
    }
}

// MARK: - Helpers

/// Expects `body` to throw, and no text of its error to hold patient data.
///
/// - Parameters:
///   - body: The failing operation.
///   - sourceLocation: Where the check is, for failures.
private func expectNoPatientData(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        try body()
        Issue.record("expected an error, but the operation succeeded", sourceLocation: sourceLocation)
    } catch {
        expectNoSecret(in: texts(of: error), "an error", sourceLocation: sourceLocation)
    }
}

/// Expects `body` to throw, and no text of its error to hold patient data: the variant for actor APIs.
///
/// - Parameters:
///   - body: The failing operation.
///   - sourceLocation: Where the check is, for failures.
private func expectNoPatientDataAsync(
    _ body: () async throws -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    do {
        try await body()
        Issue.record("expected an error, but the operation succeeded", sourceLocation: sourceLocation)
    } catch {
        expectNoSecret(in: texts(of: error), "an error", sourceLocation: sourceLocation)
    }
}

/// Expects a value's description, debug description and `dump` to hold no patient data.
///
/// - Parameters:
///   - value: The value.
///   - sourceLocation: Where the check is, for failures.
private func expectNoPatientDataInDescription(of value: Any, sourceLocation: SourceLocation = #_sourceLocation) {
    var dumped = ""
    dump(value, to: &dumped)
    expectNoSecret(
        in: ["\(value)", String(reflecting: value), dumped],
        "a description of \(type(of: value))",
        sourceLocation: sourceLocation
    )
}

/// Expects no issue of a FHIR validation report, nor the OperationOutcome written from it, to hold patient data.
///
/// - Parameters:
///   - report: The report.
///   - sourceLocation: Where the check is, for failures.
private func expectNoPatientData(in report: FHIRValidationReport, sourceLocation: SourceLocation = #_sourceLocation) {
    var texts = report.issues.flatMap { [$0.description, $0.location, $0.diagnostics] }
    texts.append(String(reflecting: report.issues))
    texts.append(String(decoding: FHIREncoder().encode(report.operationOutcome), as: UTF8.self))
    expectNoSecret(in: texts, "a validation issue", sourceLocation: sourceLocation)
}

/// Every way an error is commonly turned into text.
private func texts(of error: any Error) -> [String] {
    var texts = ["\(error)", String(reflecting: error), error.localizedDescription]
    var dumped = ""
    dump(error, to: &dumped)
    texts.append(dumped)
    if let careError = error as? any CareError {
        texts += [careError.reason, careError.description, careError.field.description, careError.codeText]
        texts.append(outcomeText(R4.OperationOutcome(domain: careError)))
    }
    if let fhirError = error as? FHIREncodingError {
        texts += fhirError.issues.flatMap { [$0.description, $0.location, $0.diagnostics] }
        texts.append(outcomeText(R4.OperationOutcome(fhirError)))
        texts.append(outcomeText(R4.OperationOutcome(fhirError, in: "Patient")))
    }
    return texts
}

/// The OperationOutcome as the JSON a service would send.
private func outcomeText(_ outcome: R4.OperationOutcome) -> String {
    String(decoding: FHIREncoder().encode(json: .object(outcome.json)), as: UTF8.self)
}

/// Records an issue for every forbidden text found, ignoring letter case.
private func expectNoSecret(in texts: [String], _ what: String, sourceLocation: SourceLocation) {
    for text in texts {
        let folded = text.lowercased()
        for secret in PatientSecret.forbidden where folded.contains(secret.lowercased()) {
            Issue.record("\(what) reveals \"\(secret)\": \(text)", sourceLocation: sourceLocation)
        }
    }
}

/// A new, empty folder under the temporary folder; the caller removes it.
private func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "patient-data-leak-\(UUID().uuidString)",
        isDirectory: true
    )
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// A staff session for a profile with explicitly granted activities.
private func accessSession(
    _ name: String,
    organisation: String,
    role: String,
    activities: [String]
) throws -> AccessSession {
    var granted = Set<ActivityCode>()
    for activity in activities { granted.insert(try ActivityCode(parsing: activity)) }
    let profile = RoleProfile(
        id: try RoleProfile.ID(validating: "urp-\(name)"),
        user: try Access.UserID(validating: "user-\(name)"),
        organisation: try ODSCode(parsing: organisation),
        jobRole: try JobRoleCode(parsing: role),
        grantedActivities: granted
    )
    return AccessSession(profile: profile, catalogue: .nhsDefault)
}

// MARK: - The tests

/// Feeds recognisable patient data through the failing paths of every module and checks that no error text, and
/// no description of a value that holds patient data, contains any of it.
@Suite struct PatientDataLeakAcrossModulesTests {
    static let now = Date(timeIntervalSince1970: 1_795_600_800)  // 2026-11-25T10:00:00Z

    @Test func careCoreFailuresAndDescriptionsHoldNoPatientData() throws {
        // Failing paths (beyond CareCore's own PatientDataLeakTests): a malformed postcode and one followed by a
        // surname; an impossible date of birth as CivilDate text and parts, a UK-style date, a date-time at hour 25
        // and an Instant without a time; a given name with a leading space, a family name with a direction
        // override, a name of prefixes only; an address line with a trailing space; a phone "number" that is a
        // name, one with an NHS number appended, an email without a domain, one with a space, a rank of 0; an NHS
        // number identifier with a leading space; a period ending before it starts; a language tag, an entity id
        // and an ODS code made of patient data; a time zone named after a surname; a CSV table with an unclosed
        // quote and a CSV field over its limit; JSON decoding of a contact point, an address, a civil date and a
        // postcode, each invalid.
        let surname = PatientSecret.surname
        let given = PatientSecret.given
        let fullName = PatientSecret.fullName
        let nhsNumber = PatientSecret.nhsNumber
        let birthDate = PatientSecret.birthDate

        expectNoPatientData { _ = try Postcode(parsing: PatientSecret.badPostcode) }
        expectNoPatientData { _ = try Postcode(parsing: "\(PatientSecret.postcode) \(surname)") }
        expectNoPatientData { _ = try CivilDate(parsing: PatientSecret.impossibleBirthDate) }
        expectNoPatientData { _ = try CivilDate(year: 1950, month: 2, day: 30) }
        expectNoPatientData { _ = try FHIRDate(parsing: "28/02/1950") }
        expectNoPatientData { _ = try FHIRDateTime(parsing: "\(birthDate)T25:00:00Z") }
        expectNoPatientData { _ = try Instant(parsing: birthDate) }
        expectNoPatientData { _ = try HumanName(given: [" \(given)"], family: surname) }
        expectNoPatientData { _ = try HumanName(given: [given], family: "\(surname)\u{202E}") }
        expectNoPatientData { _ = try HumanName(prefixes: [fullName]) }
        expectNoPatientData { _ = try Address(lines: ["1 \(surname) Row "]) }
        expectNoPatientData { _ = try ContactPoint(system: .phone, value: fullName) }
        expectNoPatientData { _ = try ContactPoint(system: .sms, value: "\(PatientSecret.phone) \(nhsNumber)") }
        expectNoPatientData { _ = try ContactPoint(system: .email, value: "morwenna.trelawny@") }
        expectNoPatientData { _ = try ContactPoint(system: .email, value: "\(fullName)@example.org") }
        expectNoPatientData { _ = try ContactPoint(system: .phone, value: PatientSecret.phone, rank: 0) }
        expectNoPatientData { _ = try Identifier(system: .nhsNumber, value: " \(nhsNumber)") }
        expectNoPatientData {
            _ = try Period(start: try FHIRDateTime(parsing: "1950-03-01"), end: try FHIRDateTime(parsing: birthDate))
        }
        expectNoPatientData { _ = try LanguageTag(parsing: fullName) }
        expectNoPatientData { _ = try EntityID<PatientRecord>(validating: fullName) }
        expectNoPatientData { _ = try ODSCode(parsing: PatientSecret.postcode) }
        expectNoPatientData { _ = try CivilTimeZone(identifier: "Europe/\(surname)") }
        expectNoPatientData { _ = try CSVTable(string: "name,nhs\n\"\(fullName),\(nhsNumber)\n") }
        expectNoPatientData {
            var reader = CSVReader(
                string: "\(fullName),\(nhsNumber)\n",
                options: CSVReader.Options(maximumFieldBytes: 4)
            )
            _ = try reader.readAll()
        }
        expectNoPatientData {
            _ = try JSONDecoder().decode(
                ContactPoint.self,
                from: Data(#"{"system":"email","value":"morwenna.trelawny@"}"#.utf8)
            )
        }
        expectNoPatientData {
            _ = try JSONDecoder().decode(Address.self, from: Data(#"{"lines":[" 1 \#(surname) Row"]}"#.utf8))
        }
        expectNoPatientData {
            _ = try JSONDecoder().decode(
                [CivilDate].self,
                from: Data(#"["\#(PatientSecret.impossibleBirthDate)"]"#.utf8)
            )
        }
        expectNoPatientData {
            _ = try JSONDecoder().decode([Postcode].self, from: Data(#"["\#(PatientSecret.badPostcode)"]"#.utf8))
        }

        // Descriptions: every CareCore type that holds patient data hides it, alone and inside collections.
        let name = try HumanName(use: .official, prefixes: ["Mrs"], given: [given], family: surname)
        let postcode = try Postcode(parsing: PatientSecret.postcode)
        let address = try Address(use: .home, lines: ["1 \(surname) Row"], city: "Truro", postcode: postcode)
        let phone = try ContactPoint(system: .sms, value: PatientSecret.phone, use: .mobile)
        let email = try ContactPoint(system: .email, value: PatientSecret.email)
        let identifier = try Identifier(system: .nhsNumber, value: nhsNumber)
        let table = try CSVTable(
            string: "name,nhs_number,postcode\n\(fullName),\(nhsNumber),\(PatientSecret.postcode)\n"
        )
        let values: [Any] = [
            name, postcode, address, phone, email, identifier, Redacted(fullName), table, table.rows,
            [name], Optional(postcode) as Any, ["home": address], [phone, email],
        ]
        for value in values {
            expectNoPatientDataInDescription(of: value)
        }
    }

    @Test func patientIdentityFailuresAndDescriptionsHoldNoPatientData() throws {
        // Failing paths: NHSNumber parsing with a wrong check digit, nine digits with no valid check digit, the
        // tracing sentinel, nine and eleven digits, a letter O for a zero, a name, 3-4-3 grouping, mixed
        // separators, a grouped number with a wrong check digit, an empty string; an NHSNumber decoded from JSON
        // with a wrong check digit; DemographicCSV with a prefix that is too long or holds a space, an unclosed
        // quote, a stray quote, a short row, a long row, bytes that are not UTF-8, an empty column name, a
        // repeated column name (a surname), an empty file and a repeated id (an NHS number); PatientIndex
        // inserting a record twice, a batch repeating an id, explaining an unknown record, linking two sets that
        // share an id; demographic search with a name only, no name, a wildcard in fuzzy mode and a wildcard
        // inside a postcode; PersonRegistry creating with no records, an unknown record, a taken person id and a
        // record already linked, linking to an unknown person, merging a person into itself, merging people with
        // different verified NHS numbers, unmerging an unknown or an undone merge, unlinking an unlinked record or
        // a person's only record, and events that do not replay, decoded from JSON whose actor and reason hold
        // patient data; MatchModel with a prior of 1950.
        let surname = PatientSecret.surname
        let given = PatientSecret.given
        let fullName = PatientSecret.fullName
        let nhsNumber = PatientSecret.nhsNumber
        let birthDate = PatientSecret.birthDate
        let postcode = PatientSecret.postcode

        for text in [
            PatientSecret.badNHSNumber, PatientSecret.unissuableNHSNumber, "4444444444", "943476591", "94347659190",
            "943476591O", fullName, "943 4765 919", "943-476 5919", " 943 476 5918 ", "",
        ] {
            expectNoPatientData { _ = try NHSNumber(parsing: text) }
        }
        expectNoPatientData {
            _ = try JSONDecoder().decode(
                NHSNumber.self,
                from: Data(#"{"digits":"\#(PatientSecret.badNHSNumber)","verificationStatus":"01"}"#.utf8)
            )
        }

        // The demographic import.
        let header = "id,nhs_number,given_name,family_name,date_of_birth,sex,postcode,address\n"
        let row = "1,\(nhsNumber),\(given),\(surname),\(birthDate),F,\(postcode),1 \(surname) Row\n"
        let rowWithNHSNumberAsID = "\(nhsNumber),\(nhsNumber),\(given),\(surname),\(birthDate),F,\(postcode),x\n"
        expectNoPatientData { _ = try DemographicCSV(bytes: Array((header + row).utf8), prefix: surname + "9") }
        expectNoPatientData { _ = try DemographicCSV(bytes: Array((header + row).utf8), prefix: postcode) }
        let brokenTexts: [String] = [
            header + "1,\(nhsNumber),\"\(given),\(surname),\(birthDate),F,\(postcode),x\n",
            header + "1,\(nhsNumber),Mor\"wenna,\(surname),\(birthDate),F,\(postcode),x\n",
            header + "1,\(nhsNumber),\(given)\n",
            header + "1,\(nhsNumber),\(given),\(surname),\(birthDate),F,\(postcode),x,\(PatientSecret.phone)\n",
            ",\(surname),family_name\n1,\(given),\(surname)\n",
            "\(surname),\(surname)\n\(nhsNumber),\(birthDate)\n",
            "",
            header + rowWithNHSNumberAsID + rowWithNHSNumberAsID,
        ]
        var brokenFiles: [[UInt8]] = brokenTexts.map { Array($0.utf8) }
        let beforeBadBytes: [UInt8] = Array((header + "1,\(nhsNumber),").utf8)
        let afterBadBytes: [UInt8] = Array(",\(surname),\(birthDate),F,\(postcode),x\n".utf8)
        brokenFiles.append(beforeBadBytes + [0xFF, 0xFE] + afterBadBytes)
        for bytes in brokenFiles {
            expectNoPatientData { _ = try DemographicCSV(bytes: bytes) }
        }
        // Bad values never fail an import; the records read from them must still describe themselves safely.
        let dirtyRow: String =
            "1,\(PatientSecret.badNHSNumber),\(given),\(surname),\(PatientSecret.impossibleBirthDate),"
            + "\(surname),\(PatientSecret.badPostcode),1 \(surname) Row\n"
        let imported = try DemographicCSV(bytes: Array((header + dirtyRow).utf8))
        expectNoPatientDataInDescription(of: imported.records)
        expectNoPatientDataInDescription(of: imported.unreadableValues)

        // The index and search.
        let name = try HumanName(use: .official, given: [given], family: surname)
        let verified = try NHSNumber(parsing: nhsNumber, verificationStatus: .verified)
        let otherVerified = try NHSNumber(parsing: PatientSecret.otherNHSNumber, verificationStatus: .verified)
        let address = try Address(use: .home, lines: ["1 \(surname) Row"], postcode: try Postcode(parsing: postcode))
        let born = Recorded(text: birthDate, value: try FHIRDate(parsing: birthDate))
        let first = PatientRecord(
            id: try PatientRecord.ID(validating: "r1"),
            nhsNumber: Recorded(text: nhsNumber, value: verified),
            names: [name],
            birthDate: born,
            gender: .female,
            addresses: [address],
            telecom: [try ContactPoint(system: .phone, value: PatientSecret.phone)]
        )
        let second = PatientRecord(
            id: try PatientRecord.ID(validating: "r2"),
            nhsNumber: Recorded(text: PatientSecret.otherNHSNumber, value: otherVerified),
            names: [name],
            birthDate: born
        )
        let third = PatientRecord(
            id: try PatientRecord.ID(validating: "r3"),
            names: [name],
            receivedPostcode: Recorded(text: PatientSecret.badPostcode, value: nil)
        )
        let unknownRecord = try PatientRecord.ID(validating: "r404")
        var index = PatientIndex()
        try index.insert(contentsOf: [first, second, third])
        expectNoPatientData {
            var copy = index
            try copy.insert(first)
        }
        expectNoPatientData {
            var fresh = PatientIndex()
            try fresh.insert(contentsOf: [first, first])
        }
        expectNoPatientData { _ = try index.explain(first.id, unknownRecord) }
        expectNoPatientData { _ = try PatientIndex.link([first], [first]) }
        let dateOfBirth = try FHIRDate(parsing: birthDate)
        expectNoPatientData { _ = try index.search(DemographicQuery(familyName: surname)) }
        expectNoPatientData { _ = try index.search(DemographicQuery(birthDate: dateOfBirth, postcode: postcode)) }
        expectNoPatientData {
            _ = try index.search(DemographicQuery(familyName: surname + "*", birthDate: dateOfBirth, mode: .fuzzy))
        }
        expectNoPatientData { _ = try index.search(DemographicQuery(familyName: surname, postcode: "TR1 3*LJ")) }

        // The person registry.
        let at = try Instant(parsing: "2026-11-25T10:00:00Z")
        let madeBy = "\(fullName) (\(nhsNumber))"
        let reason = "matched on \(nhsNumber), born \(birthDate), living at \(postcode)"
        let personOne = try PersonRegistry.PersonID(validating: "person-1")
        let personTwo = try PersonRegistry.PersonID(validating: "person-2")
        let personThree = try PersonRegistry.PersonID(validating: "person-3")
        let unknownPerson = try PersonRegistry.PersonID(validating: "person-404")
        var registry = PersonRegistry()
        try registry.create(personOne, with: [first.id], in: index, actor: madeBy, reason: reason, at: at)
        try registry.create(personTwo, with: [second.id], in: index, actor: madeBy, reason: reason, at: at)
        try registry.create(personThree, with: [third.id], in: index, actor: madeBy, reason: reason, at: at)
        expectNoPatientData {
            try registry.create(unknownPerson, with: [], in: index, actor: madeBy, reason: reason, at: at)
        }
        expectNoPatientData {
            try registry.create(unknownPerson, with: [unknownRecord], in: index, actor: madeBy, reason: reason, at: at)
        }
        expectNoPatientData {
            try registry.create(personOne, with: [unknownRecord], in: index, actor: madeBy, reason: reason, at: at)
        }
        expectNoPatientData {
            try registry.create(unknownPerson, with: [first.id], in: index, actor: madeBy, reason: reason, at: at)
        }
        expectNoPatientData {
            try registry.link([unknownRecord], to: unknownPerson, in: index, actor: madeBy, reason: reason, at: at)
        }
        expectNoPatientData {
            _ = try registry.merge(personOne, into: personOne, in: index, actor: madeBy, reason: reason, at: at)
        }
        expectNoPatientData {
            _ = try registry.merge(personTwo, into: personOne, in: index, actor: madeBy, reason: reason, at: at)
        }
        expectNoPatientData { try registry.unmerge(99, actor: madeBy, reason: reason, at: at) }
        let merge = try registry.merge(personThree, into: personOne, in: index, actor: madeBy, reason: reason, at: at)
        try registry.unmerge(merge, actor: madeBy, reason: reason, at: at)
        expectNoPatientData { try registry.unmerge(merge, actor: madeBy, reason: reason, at: at) }
        expectNoPatientData {
            try registry.unlink(unknownRecord, as: unknownPerson, actor: madeBy, reason: reason, at: at)
        }
        expectNoPatientData { try registry.unlink(second.id, as: unknownPerson, actor: madeBy, reason: reason, at: at) }
        // The first event claims to be the second: the registry refuses to replay it.
        let outOfOrder: String =
            #"{"events":[{"sequence":2,"kind":"created","person":"person-1","records":["r1"],"#
            + #""actor":"\#(madeBy)","reason":"\#(reason)","at":"2026-11-25T10:00:00Z"}]}"#
        expectNoPatientData { _ = try JSONDecoder().decode(PersonRegistry.self, from: Data(outOfOrder.utf8)) }
        expectNoPatientData { _ = try MatchModel(prior: 1950, parameters: []) }

        // Descriptions: a record, its NHS number and its received values show none of their content.
        let values: [Any] = [
            first, [first, second, third], verified, first.nhsNumber as Any, born,
            Recorded<NHSNumber>(text: PatientSecret.badNHSNumber, value: nil),
            Recorded<FHIRDate>(text: PatientSecret.impossibleBirthDate, value: nil), third.receivedPostcode as Any,
            index.record(first.id) as Any, verified.identifier,
        ]
        for value in values {
            expectNoPatientDataInDescription(of: value)
        }
    }

    @Test func appointmentsFailuresHoldNoPatientData() async throws {
        // Failing paths (names, phone numbers and dates of birth in descriptions, comments, service types, reasons
        // and message texts): Schedule with no actors or no service type; Slot ending as it starts; adding a
        // schedule or a slot twice, a slot of an unknown schedule; opening an unknown schedule; booking with an
        // id in use, a taken slot, an unknown slot, no slots, a slot twice, a past slot, slots not back to back,
        // a description or a comment too long; amending with a stale version, an unknown id, a description too
        // long; cancelling with a blank reason, a reason too long, a stale version; moving to cancelled, to
        // no-show before the end, back to proposed; rescheduling to an unknown or past slot or from a stale
        // version; searching a window too long or backwards; withdrawing a booked or unknown slot; waiting-list
        // entries with no channel, no service type, an empty window, a window already over; accepting, declining
        // and withdrawing an unknown entry; a store that cannot be read or written, failing with patient data in
        // its own error; restoring an appointment with version 0 or with a cancellation while booked; quiet hours
        // that start as they end; a clinic session of 1950-minute slots; age bands starting at 1950; messages:
        // a cancellation for a booked appointment, a missed-appointment message for one not missed, a change
        // between two appointments, a summary too long, an empty body, a was-not-brought message to the family.
        let fullName = PatientSecret.fullName
        let now = Self.now
        let clock = FixedWallClock(now)
        let organisation = try ODSCode(parsing: "A81001")
        let scheduleID = try Schedule.ID(validating: "gp-1")
        let schedule = try Schedule(
            id: scheduleID,
            actors: [.practitioner("dr-1")],
            organisation: organisation,
            serviceType: "gp-consultation"
        )
        func slot(_ id: String, hoursFromNow hours: Double, schedule: Schedule.ID? = nil) throws -> Slot {
            let start = now.addingTimeInterval(hours * 3_600)
            return try Slot(
                id: try Slot.ID(validating: id),
                schedule: schedule ?? scheduleID,
                start: start,
                end: start.addingTimeInterval(15 * 60),
                channel: .inPerson,
                serviceType: "gp-consultation"
            )
        }
        let tomorrow = try slot("s1", hoursFromNow: 24)
        let later = try slot("s2", hoursFromNow: 24.5)
        let past = try slot("s3", hoursFromNow: -2)
        let apart = try slot("s4", hoursFromNow: 26)
        let book = try AppointmentBook(store: InMemoryAppointmentStore(), clock: clock)
        try await book.add(schedules: [schedule])
        try await book.add([tomorrow, later, past, apart])

        let patient = try Appointment.PatientID(validating: "patient-1")
        let appointmentID = try Appointment.ID(validating: "a1")
        let newID = try Appointment.ID(validating: "a2")
        let unknownID = try Appointment.ID(validating: "a404")
        let unknownSlot = try Slot.ID(validating: "s404")
        let unknownSchedule = try Schedule.ID(validating: "gp-404")
        let description = "\(fullName) review"
        let comment: String =
            "Call \(PatientSecret.phone) or \(PatientSecret.email); born \(PatientSecret.birthDate), "
            + "\(PatientSecret.postcode)"
        let tooLongDescription = String(repeating: "\(fullName) ", count: 10)
        let tooLongComment = String(repeating: "\(PatientSecret.note) ", count: 10)
        let appointment = try await book.book(
            patient: patient,
            slots: [tomorrow.id],
            id: appointmentID,
            description: description,
            comment: comment
        )

        // Building values.
        expectNoPatientData {
            _ = try Schedule(id: scheduleID, actors: [], organisation: organisation, serviceType: fullName)
        }
        expectNoPatientData {
            _ = try Schedule(
                id: scheduleID,
                actors: [.practitioner(fullName)],
                organisation: organisation,
                serviceType: ""
            )
        }
        expectNoPatientData {
            _ = try Slot(
                id: unknownSlot,
                schedule: scheduleID,
                start: now,
                end: now,
                channel: .inPerson,
                serviceType: fullName
            )
        }

        // Schedules and slots.
        await expectNoPatientDataAsync { try await book.add(schedules: [schedule]) }
        await expectNoPatientDataAsync { try await book.add([tomorrow]) }
        await expectNoPatientDataAsync {
            try await book.add([try slot("s5", hoursFromNow: 30, schedule: unknownSchedule)])
        }
        await expectNoPatientDataAsync { _ = try await book.setActive(unknownSchedule, false) }
        await expectNoPatientDataAsync { _ = try await book.withdraw(slots: [tomorrow.id]) }
        await expectNoPatientDataAsync { _ = try await book.withdraw(slots: [unknownSlot]) }
        await expectNoPatientDataAsync {
            _ = try await book.freeSlots(
                SlotQuery(from: now, to: now.addingTimeInterval(30 * 86_400), serviceType: fullName)
            )
        }
        await expectNoPatientDataAsync {
            _ = try await book.freeSlots(SlotQuery(from: now, to: now.addingTimeInterval(-60), serviceType: fullName))
        }

        // Booking.
        for slots in [
            [later.id], [tomorrow.id], [unknownSlot], [], [later.id, later.id], [past.id], [later.id, apart.id],
        ] {
            let id = slots == [later.id] ? appointmentID : newID
            await expectNoPatientDataAsync {
                _ = try await book.book(
                    patient: patient,
                    slots: slots,
                    id: id,
                    description: description,
                    comment: comment
                )
            }
        }
        await expectNoPatientDataAsync {
            _ = try await book.book(patient: patient, slots: [later.id], id: newID, description: tooLongDescription)
        }
        await expectNoPatientDataAsync {
            _ = try await book.book(patient: patient, slots: [later.id], id: newID, comment: tooLongComment)
        }

        // Changing the appointment.
        await expectNoPatientDataAsync {
            _ = try await book.amend(appointmentID, expectedVersion: 7, description: description, comment: comment)
        }
        await expectNoPatientDataAsync {
            _ = try await book.amend(unknownID, expectedVersion: 1, description: description, comment: comment)
        }
        await expectNoPatientDataAsync {
            _ = try await book.amend(appointmentID, expectedVersion: 1, description: tooLongDescription, comment: "")
        }
        await expectNoPatientDataAsync {
            _ = try await book.cancel(appointmentID, expectedVersion: 1, initiator: .patient, reason: "   ")
        }
        await expectNoPatientDataAsync {
            _ = try await book.cancel(appointmentID, expectedVersion: 1, initiator: .patient, reason: tooLongComment)
        }
        await expectNoPatientDataAsync {
            _ = try await book.cancel(
                appointmentID,
                expectedVersion: 7,
                initiator: .provider,
                reason: PatientSecret.note
            )
        }
        for status in [AppointmentStatus.cancelled, .noshow, .proposed] {
            await expectNoPatientDataAsync { _ = try await book.move(appointmentID, expectedVersion: 1, to: status) }
        }
        await expectNoPatientDataAsync {
            _ = try await book.reschedule(appointmentID, expectedVersion: 1, to: [unknownSlot])
        }
        await expectNoPatientDataAsync {
            _ = try await book.reschedule(appointmentID, expectedVersion: 1, to: [past.id])
        }
        await expectNoPatientDataAsync {
            _ = try await book.reschedule(appointmentID, expectedVersion: 7, to: [later.id])
        }

        // The waiting list.
        let entryID = try WaitlistEntry.ID(validating: "w1")
        let unknownEntry = try WaitlistEntry.ID(validating: "w404")
        let dayAfter = now.addingTimeInterval(86_400)
        expectNoPatientData {
            _ = try WaitlistEntry(
                id: entryID,
                patient: patient,
                serviceType: fullName,
                channels: [],
                earliest: now,
                latest: dayAfter,
                joined: now
            )
        }
        expectNoPatientData {
            _ = try WaitlistEntry(
                id: entryID,
                patient: patient,
                serviceType: "",
                channels: [.inPerson],
                earliest: now,
                latest: dayAfter,
                joined: now
            )
        }
        expectNoPatientData {
            _ = try WaitlistEntry(
                id: entryID,
                patient: patient,
                serviceType: fullName,
                channels: [.inPerson],
                earliest: now,
                latest: now,
                joined: now
            )
        }
        let lapsed = try WaitlistEntry(
            id: entryID,
            patient: patient,
            serviceType: fullName,
            channels: [.telephone],
            earliest: now.addingTimeInterval(-10 * 86_400),
            latest: now.addingTimeInterval(-86_400),
            joined: now.addingTimeInterval(-10 * 86_400)
        )
        await expectNoPatientDataAsync { _ = try await book.addToWaitlist(lapsed) }
        await expectNoPatientDataAsync {
            _ = try await book.acceptOffer(unknownEntry, appointment: newID, description: description, comment: comment)
        }
        await expectNoPatientDataAsync { _ = try await book.declineOffer(unknownEntry) }
        await expectNoPatientDataAsync { _ = try await book.withdraw(fromWaitlist: unknownEntry) }

        // A store failing with patient data in its own error.
        expectNoPatientData { _ = try AppointmentBook(store: LeakyAppointmentStore(failsToLoad: true), clock: clock) }
        let refusing = try AppointmentBook(store: LeakyAppointmentStore(failsToLoad: false), clock: clock)
        await expectNoPatientDataAsync { try await refusing.add(schedules: [schedule]) }

        // Restoring, reminders, templates and analytics.
        func restored(version: Int, cancellation: Appointment.Cancellation?) throws -> Appointment {
            try Appointment(
                restoring: newID,
                patient: patient,
                slots: [later.id],
                schedule: scheduleID,
                serviceType: "gp-consultation",
                start: later.start,
                end: later.end,
                channel: .inPerson,
                status: .booked,
                description: description,
                comment: comment,
                cancellation: cancellation,
                version: version,
                created: now
            )
        }
        expectNoPatientData { _ = try restored(version: 0, cancellation: nil) }
        expectNoPatientData {
            _ = try restored(
                version: 1,
                cancellation: Appointment.Cancellation(initiator: .patient, reason: PatientSecret.note)
            )
        }
        expectNoPatientData {
            _ = try QuietHours(start: try TimeOfDay(hour: 19, minute: 50), end: try TimeOfDay(hour: 19, minute: 50))
        }
        expectNoPatientData {
            _ = try ClinicTemplate.Session(
                weekday: .monday,
                start: try TimeOfDay(hour: 9, minute: 0),
                end: try TimeOfDay(hour: 12, minute: 0),
                slotMinutes: 1950,
                channel: .inPerson
            )
        }
        expectNoPatientData { _ = try AgeBands(lowerBounds: [1950, 0]) }

        // Messages.
        let messenger = AppointmentMessenger(
            zone: try CivilTimeZone.europeLondon(),
            contact: "call the practice on 01872 250000"
        )
        let preferences = try CommunicationPreferences()
        let other = try restored(version: 1, cancellation: nil)
        expectNoPatientData { _ = try messenger.cancellation(of: appointment, preferences: preferences) }
        expectNoPatientData {
            _ = try messenger.missed(
                appointment,
                birthDate: try CivilDate(parsing: PatientSecret.birthDate),
                preferences: preferences
            )
        }
        expectNoPatientData { _ = try messenger.change(from: appointment, to: other, preferences: preferences) }
        let content = AppointmentMessage.Content(
            restoring: appointmentID,
            service: "GP consultation",
            starts: try LocalDateTime(date: try CivilDate(parsing: "2026-11-26"), hour: 10, minute: 0),
            delivery: .inPerson,
            place: "Truro Health Park",
            previousStart: nil,
            previousDelivery: nil,
            cancelledBy: nil,
            contact: "call the practice"
        )
        func message(
            _ kind: AppointmentMessage.Kind,
            to audience: AppointmentMessage.Audience,
            subject: String,
            summary: String,
            body: String
        ) throws -> AppointmentMessage {
            try AppointmentMessage(
                restoring: kind,
                audience: audience,
                channel: .sms,
                largePrint: false,
                content: content,
                subject: subject,
                summary: summary,
                body: body
            )
        }
        expectNoPatientData {
            _ = try message(
                .confirmation,
                to: .patient,
                subject: fullName,
                summary: String(repeating: "\(fullName) ", count: 12),
                body: PatientSecret.note
            )
        }
        expectNoPatientData {
            _ = try message(.confirmation, to: .patient, subject: fullName, summary: PatientSecret.note, body: "")
        }
        expectNoPatientData {
            _ = try message(
                .wasNotBrought,
                to: .patient,
                subject: fullName,
                summary: fullName,
                body: PatientSecret.note
            )
        }
        // A message never carries the description or comment, so a logged message holds no patient data.
        expectNoPatientDataInDescription(of: try messenger.confirmation(for: appointment, preferences: preferences))
    }

    @Test func carePlansFailuresHoldNoPatientData() async throws {
        // Failing paths (names, phone numbers and dates of birth in titles, about-me, contacts, actions, goals,
        // change records and discharge reasons): a change with no author; content with a blank title, a blank
        // contact name, an action with no owner, a repeated contact id, a goal with a blank description, each
        // through CarePlan, validate(), revised() and restoring; a missing version; a diff to a missing version;
        // a revision from a stale version and one that changes nothing; moving a draft to completed and moving
        // from a stale version; a contribution touching the title or a contact's telephone; a proposal that
        // changes nothing; accepting or rejecting a proposal that does not exist; transferring from a stale
        // version; restoring with no versions, versions numbered from 2, a draft followed by completed, a proposal
        // numbered 2; decoding a plan whose version is numbered 1950; the registry adding a plan twice, revising
        // an unknown plan, blanking the title, completing a draft, contributing outside the person's sections,
        // proposing nothing, deciding an unknown proposal, transferring from a stale version; a store that cannot
        // be read or written, failing with patient data; a virtual-ward stay with a blank ward, recording an
        // unknown criterion, enrolling before the criteria are met and discharging before enrolment.
        let surname = PatientSecret.surname
        let fullName = PatientSecret.fullName
        let note = PatientSecret.note
        let now = Self.now
        let change = try PlanChange(author: "Dr Penrose", role: "GP", organisation: nil, at: now, reason: "first plan")
        let contactID = try NamedContact.ID(validating: "c1")
        let content = PlanContent(
            title: "\(fullName)'s plan",
            aboutMe: AboutMe(
                pleaseCallMe: PatientSecret.given,
                whatMattersToMe: "Seeing the \(surname) family in \(PatientSecret.postcode)",
                peopleImportantToMe: "Jory \(surname), \(PatientSecret.phone)"
            ),
            contacts: [
                NamedContact(
                    id: contactID,
                    name: "Jory \(surname)",
                    relationship: "son",
                    telephone: PatientSecret.phone,
                    isEmergencyContact: true
                )
            ],
            communication: try CommunicationPreferences(),
            contingency: ["Call \(PatientSecret.phone) if \(PatientSecret.given) is unwell"]
        )
        let planID = try CarePlan.ID(validating: "plan-1")
        let patient = try CarePlan.PatientID(validating: "patient-1")
        let plan = try CarePlan(id: planID, patient: patient, content: content, change: change)
        let owner = PlanOwner(name: "Dr \(surname)", role: "GP", organisation: try ODSCode(parsing: "A81001"))

        expectNoPatientData { _ = try PlanChange(author: "  ", role: "GP", organisation: nil, at: now, reason: note) }

        var untitled = content
        untitled.title = "   "
        var unnamedContact = content
        unnamedContact.contacts.append(
            NamedContact(id: try NamedContact.ID(validating: "c2"), name: " ", relationship: note, telephone: note)
        )
        var ownerless = content
        ownerless.actions = [
            PlanAction(id: try PlanAction.ID(validating: "act-1"), what: "Visit \(note)", owner: " ")
        ]
        var repeated = content
        repeated.contacts.append(content.contacts[0])
        var aimless = content
        aimless.goals = [
            Goal(id: try Goal.ID(validating: "g1"), description: " ", expressedBy: .patient, measure: note)
        ]
        for bad in [untitled, unnamedContact, ownerless, repeated, aimless] {
            expectNoPatientData { _ = try CarePlan(id: planID, patient: patient, content: bad, change: change) }
            expectNoPatientData { try bad.validate() }
            expectNoPatientData { _ = try plan.revised(expectedVersion: 1, change: change) { $0 = bad } }
            expectNoPatientData {
                _ = try CarePlan(
                    restoring: planID,
                    patient: patient,
                    versions: [PlanVersion(number: 1, status: .draft, content: bad, change: change)]
                )
            }
        }

        expectNoPatientData { _ = try plan.version(9) }
        expectNoPatientData { _ = try plan.diff(from: 1, to: 9) }
        expectNoPatientData { _ = try plan.revised(expectedVersion: 7, change: change) { $0.title = note } }
        expectNoPatientData { _ = try plan.revised(expectedVersion: 1, change: change) { _ in } }
        expectNoPatientData { _ = try plan.moved(expectedVersion: 1, to: .completed, change: change) }
        expectNoPatientData { _ = try plan.moved(expectedVersion: 4, to: .active, change: change) }
        expectNoPatientData { _ = try plan.contributed(expectedVersion: 1, change: change) { $0.title = note } }
        expectNoPatientData {
            _ = try plan.contributed(expectedVersion: 1, change: change) { $0.contacts[0].telephone = "07700 900999" }
        }
        expectNoPatientData { _ = try plan.proposing(change: change) { _ in } }
        expectNoPatientData { _ = try plan.accepting(proposal: 1, expectedVersion: 1, change: change) }
        expectNoPatientData { _ = try plan.rejecting(proposal: 0, change: change) }
        expectNoPatientData { _ = try plan.transferred(expectedVersion: 9, to: owner, change: change) }

        expectNoPatientData { _ = try CarePlan(restoring: planID, patient: patient, versions: []) }
        expectNoPatientData {
            _ = try CarePlan(
                restoring: planID,
                patient: patient,
                versions: [PlanVersion(number: 2, status: .draft, content: content, change: change)]
            )
        }
        expectNoPatientData {
            _ = try CarePlan(
                restoring: planID,
                patient: patient,
                versions: [
                    PlanVersion(number: 1, status: .draft, content: content, change: change),
                    PlanVersion(number: 2, status: .completed, content: content, change: change),
                ]
            )
        }
        expectNoPatientData {
            _ = try CarePlan(
                restoring: planID,
                patient: patient,
                versions: plan.versions,
                proposals: [Proposal(number: 2, basedOn: 1, content: content, change: change)]
            )
        }

        // Decoding a stored plan whose versions no longer follow each other.
        let encoded = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(plan))
        var object = try #require(encoded as? [String: Any])
        var versions = try #require(object["versions"] as? [[String: Any]])
        versions[0]["number"] = 1950
        object["versions"] = versions
        let tampered = try JSONSerialization.data(withJSONObject: object)
        expectNoPatientData { _ = try JSONDecoder().decode(CarePlan.self, from: tampered) }

        // The registry.
        let registry = try CarePlanRegistry()
        try await registry.add(plan)
        let unknownPlan = try CarePlan.ID(validating: "plan-404")
        await expectNoPatientDataAsync { try await registry.add(plan) }
        await expectNoPatientDataAsync {
            _ = try await registry.revise(unknownPlan, expectedVersion: 1, change: change) { $0.title = note }
        }
        await expectNoPatientDataAsync {
            _ = try await registry.revise(planID, expectedVersion: 1, change: change) { $0.title = "  " }
        }
        await expectNoPatientDataAsync {
            _ = try await registry.move(planID, expectedVersion: 1, to: .completed, change: change)
        }
        await expectNoPatientDataAsync {
            _ = try await registry.contribute(planID, expectedVersion: 1, change: change) { $0.title = note }
        }
        await expectNoPatientDataAsync { _ = try await registry.propose(planID, change: change) { _ in } }
        await expectNoPatientDataAsync {
            _ = try await registry.decide(planID, proposal: 3, accept: true, expectedVersion: 1, change: change)
        }
        await expectNoPatientDataAsync {
            _ = try await registry.transfer(planID, expectedVersion: 9, to: owner, change: change)
        }
        expectNoPatientData { _ = try CarePlanRegistry(store: LeakyCarePlanStore(failsToLoad: true)) }
        let refusing = try CarePlanRegistry(store: LeakyCarePlanStore(failsToLoad: false))
        await expectNoPatientDataAsync { try await refusing.add(plan) }

        // A virtual-ward stay.
        let monitoring = try MonitoringSchedule([
            MonitoringRequirement(kind: .heartRate, frequency: .every(.seconds(3_600)))
        ])
        let stayID = try VirtualWardEnrolment.ID(validating: "vw-1")
        expectNoPatientData {
            _ = try VirtualWardEnrolment(
                id: stayID,
                patient: patient,
                plan: planID,
                ward: "  ",
                entryCriteria: ["\(fullName) keeps SpO2 at 92% or more"],
                exitCriteria: [],
                monitoring: monitoring
            )
        }
        var stay = try VirtualWardEnrolment(
            id: stayID,
            patient: patient,
            plan: planID,
            ward: "Truro virtual ward",
            entryCriteria: ["\(fullName) keeps SpO2 at 92% or more"],
            exitCriteria: ["\(fullName) is back at \(PatientSecret.postcode)"],
            monitoring: monitoring
        )
        expectNoPatientData { try stay.record(.entry, 5, met: true) }
        expectNoPatientData { try stay.enrol(at: now) }
        expectNoPatientData { try stay.discharge(at: now, reason: .other(note)) }
    }

    @Test func consentAccessFailuresHoldNoPatientData() async throws {
        // Failing paths: break-glass by a profile without the activity, for no time, for too long and with a blank
        // justification (the justification naming the patient and postcode otherwise); a grant built directly
        // ending as it starts or with a blank justification; reviewing an alert without the activity, one's own
        // alert and an unknown alert; an audit log whose storage cannot be read, cannot be written (appending,
        // verifying) and a decision that cannot be audited, the storage failing with patient data; a care-team
        // relationship with no expiry; a period ending before it starts; a proxy authority allowing nothing; a
        // checkpoint key made of a name; RBAC job-role and activity codes made of an NHS number or a name,
        // parsed and decoded; the RBAC catalogue CSV with a missing column, an unknown kind (a surname), a
        // malformed role code (an NHS number), an empty name beside a note of patient data, a malformed included
        // activity, an unclosed quote, a short row and a repeated column name; CIS2 userinfo that is not JSON,
        // not an object, has no or a malformed sub, no roles, a role that is not an object, a malformed role
        // profile id, ODS code (a postcode), role code (an NHS number) and activity codes, and asking for a role
        // profile the user does not hold.
        let surname = PatientSecret.surname
        let fullName = PatientSecret.fullName
        let nhsNumber = PatientSecret.nhsNumber
        let note = PatientSecret.note
        let now = Self.now
        let clock = FixedWallClock(now)
        let patient = try Access.PatientID(validating: "patient-1")
        var facts = AccessFacts()
        facts.record(PatientPrivacy(patient: patient, birthDate: try CivilDate(parsing: PatientSecret.birthDate)))
        let decisionPoint = PolicyDecisionPoint(facts: facts, timeZone: try CivilTimeZone.europeLondon())
        let control = AccessControl(
            decisionPoint: decisionPoint,
            auditLog: try AuditLog(storage: InMemoryAuditLogStorage(), clock: clock),
            clock: clock
        )
        let crew = try accessSession("crew", organisation: "RYF", role: "R8003", activities: ["B0370", "B0168"])
        let receptionist = try accessSession(
            "reception",
            organisation: "A81001",
            role: "R8009",
            activities: ["B0560", "B0820"]
        )
        let crewAsOfficer = try accessSession("crew", organisation: "RYF", role: "R0001", activities: ["B0015"])
        let grantID = try BreakGlassGrant.ID(validating: "grant-1")
        let justification = Redacted("\(fullName) collapsed at home, \(PatientSecret.postcode)")

        // Break-glass and alerts.
        for (session, duration, words) in [
            (receptionist, 3_600.0, justification), (crew, 0.0, justification), (crew, 10 * 3_600.0, justification),
            (crew, 3_600.0, Redacted("   ")),
        ] {
            await expectNoPatientDataAsync {
                _ = try await control.breakGlass(
                    session: session,
                    patient: patient,
                    reason: .patientUnconscious,
                    justification: words,
                    duration: duration,
                    id: grantID
                )
            }
        }
        for (words, expiry) in [(justification, now), (Redacted(" "), now.addingTimeInterval(60))] {
            expectNoPatientData {
                _ = try BreakGlassGrant(
                    id: grantID,
                    user: crew.user,
                    profile: crew.profile.id,
                    patient: patient,
                    reason: .other,
                    justification: words,
                    start: now,
                    expiry: expiry
                )
            }
        }
        let grant = try await control.breakGlass(
            session: crew,
            patient: patient,
            reason: .patientUnconscious,
            justification: justification,
            duration: 3_600,
            id: grantID
        )
        let alerts = await control.openAlerts
        let alert = try #require(alerts.first)
        await expectNoPatientDataAsync { try await control.review(alert: alert.id, by: receptionist) }
        await expectNoPatientDataAsync { try await control.review(alert: alert.id, by: crewAsOfficer) }
        await expectNoPatientDataAsync { try await control.review(alert: 9_999, by: crewAsOfficer) }
        // The grant keeps the justification, redacted.
        expectNoPatientDataInDescription(of: grant)

        // Audit storage failing with patient data in its own error.
        expectNoPatientData { _ = try AuditLog(storage: LeakyAuditStorage(failsToLoad: true), clock: clock) }
        let failingLog = try AuditLog(storage: LeakyAuditStorage(failsToLoad: false), clock: clock)
        expectNoPatientData {
            _ = try failingLog.append(
                AuditRecord(event: .decision, actor: .patient(patient), patient: patient, purpose: note)
            )
        }
        expectNoPatientData { _ = try failingLog.verifyStorage(key: nil) }
        let unaudited = AccessControl(decisionPoint: decisionPoint, auditLog: failingLog, clock: clock)
        await expectNoPatientDataAsync {
            _ = try await unaudited.decide(
                .patient(patient),
                patient: patient,
                dataClass: .summary,
                purpose: .selfAccess
            )
        }

        // Facts.
        expectNoPatientData {
            _ = try LegitimateRelationship(
                id: try LegitimateRelationship.ID(validating: "rel-1"),
                patient: patient,
                party: .organisation(try ODSCode(parsing: "A81001")),
                kind: .careTeam,
                start: now,
                expiry: nil
            )
        }
        expectNoPatientData { _ = try ValidityPeriod(from: now, until: now.addingTimeInterval(-60)) }
        expectNoPatientData {
            _ = try ProxyAuthority(
                id: try ProxyAuthority.ID(validating: "proxy-1"),
                patient: patient,
                proxy: try Access.PersonID(validating: "person-1"),
                basis: .lastingPowerOfAttorney,
                period: try ValidityPeriod(from: now, until: nil),
                actions: []
            )
        }
        expectNoPatientData { _ = try AuditCheckpointKey(Array(fullName.utf8)) }

        // RBAC codes and the catalogue.
        for code in [nhsNumber, fullName, "R\(nhsNumber)", "B\(nhsNumber)"] {
            expectNoPatientData { _ = try JobRoleCode(parsing: code) }
            expectNoPatientData { _ = try ActivityCode(parsing: code) }
        }
        expectNoPatientData { _ = try JSONDecoder().decode([JobRoleCode].self, from: Data(#"["\#(nhsNumber)"]"#.utf8)) }
        expectNoPatientData { _ = try JSONDecoder().decode([ActivityCode].self, from: Data(#"["\#(surname)"]"#.utf8)) }
        let catalogues = [
            "kind,code,name\nrole,R8000,\(fullName)\n",
            "kind,code,name,target\n\(surname),R8000,\(fullName),\n",
            "kind,code,name,target\nrole,\(nhsNumber),\(fullName),\n",
            "kind,code,name,target,note\nrole,R8000, ,,\(note)\n",
            "kind,code,name,target\nincludes,B0825,,\(surname)\n",
            "kind,code,name,target\nrole,R8000,\"\(fullName),\n",
            "kind,code,name,target\nrole,R8000,\(fullName)\n",
            "\(surname),\(surname)\nrole,R8000\n",
        ]
        for csv in catalogues {
            expectNoPatientData { _ = try ActivityCatalogue(csv: csv) }
        }

        // CIS2 userinfo.
        let userInfos = [
            "\(fullName) \(nhsNumber)",
            #"["\#(fullName)"]"#,
            #"{"name":"\#(fullName)","nhsid_nrbac_roles":[]}"#,
            #"{"sub":"\#(fullName)","nhsid_nrbac_roles":[]}"#,
            #"{"sub":"user-1","name":"\#(fullName)"}"#,
            #"{"sub":"user-1","nhsid_nrbac_roles":["\#(fullName)"]}"#,
            #"{"sub":"user-1","nhsid_nrbac_roles":[{"person_roleid":"\#(fullName)","org_code":"A81001","role_code":"R8000"}]}"#,
            #"{"sub":"user-1","nhsid_nrbac_roles":[{"person_roleid":"urp-1","org_code":"\#(PatientSecret.postcode)","role_code":"R8000"}]}"#,
            #"{"sub":"user-1","nhsid_nrbac_roles":[{"person_roleid":"urp-1","org_code":"A81001","role_code":"S0010:G0020:\#(nhsNumber)"}]}"#,
            #"{"sub":"user-1","nhsid_nrbac_roles":[{"person_roleid":"urp-1","org_code":"A81001","role_code":"R8000","activity_codes":["\#(surname)"]}]}"#,
            #"{"sub":"user-1","nhsid_nrbac_roles":[{"person_roleid":"urp-1","org_code":"A81001","role_code":"R8000","activity_codes":"\#(surname)"}]}"#,
        ]
        for json in userInfos {
            expectNoPatientData { _ = try CIS2UserInfo(json: Data(json.utf8)) }
        }
        let info = try CIS2UserInfo(
            json: Data(
                #"{"sub":"user-1","name":"\#(fullName)","nhsid_nrbac_roles":[{"person_roleid":"urp-1","org_code":"A81001","role_code":"S0010:G0020:R8000"}]}"#
                    .utf8
            )
        )
        expectNoPatientData { _ = try info.profile(try RoleProfile.ID(validating: "urp-404")) }
    }

    @Test func triageScoringFailuresHoldNoPatientData() throws {
        // Failing paths: event lines with an NHS number as the attendance id, a name as the id, an unknown key
        // holding a name, an unknown key that is a surname, a syntax error right after a name, a nested value, an
        // impossible time (a date of birth), an unknown event kind (a surname), an unknown arrival mode and
        // category, a pulse as text, a repeated key, a blank triager beside a flowchart holding a name, an unknown
        // consciousness level, a blank re-triaging clinician beside a reason holding a name, a blank Scale 2
        // prescriber, a line that is not an object, bytes that are not UTF-8 inside a name, a raw control
        // character inside a name; a multi-line stream whose second line has an NHS number; a stream line over
        // 64 KiB of names; the board arriving with an NHS number as the id, arriving twice, a blank triager,
        // rescoring with a pulse of 1950 or for an unknown patient, lowering a category without a reason,
        // re-triaging with a blank clinician, starting treatment for, discharging or explaining an unknown patient,
        // going back in time; NEWS2 with impossible and NaN values, sub-scores of 1950 points, scoring incomplete
        // sub-scores; a blank Scale 2 prescriber; GCS of 1950; urea of -1950; no cubicles; targets of 19,500
        // minutes; the remote monitor enrolling an NHS number, the same patient twice, a baseline of 1950,
        // recording for an unknown patient or a temperature of 1950, discharging an unknown patient by a named
        // clinician, acknowledging an unknown alert, checking back in time, recording observations taken for an
        // unknown patient; a paediatric chart given a code holding a name for a numeric or coded parameter, a
        // number for a coded one, a value outside the possible range, a negative age, and a chart CSV with an
        // unclosed quote around a name.
        let surname = PatientSecret.surname
        let given = PatientSecret.given
        let fullName = PatientSecret.fullName
        let nhsNumber = PatientSecret.nhsNumber
        let now = Self.now
        let time = "2026-11-25T09:14:00Z"
        let lines = [
            #"{"time":"\#(time)","event":"arrival","patient":"\#(nhsNumber)","category":"red","triagedBy":"Nurse Pascoe","mode":"ambulance"}"#,
            #"{"time":"\#(time)","event":"arrival","patient":"\#(fullName)","category":"red","triagedBy":"Nurse Pascoe","mode":"ambulance"}"#,
            #"{"time":"\#(time)","event":"treatment","patient":"att-1","name":"\#(fullName)"}"#,
            #"{"time":"\#(time)","event":"treatment","patient":"att-1","\#(surname)":"\#(nhsNumber)"}"#,
            #"{"time":"\#(time)","event":"treatment","patient":"\#(fullName)"x}"#,
            #"{"time":"\#(time)","event":"treatment","patient":{"name":"\#(fullName)"}}"#,
            #"{"time":"\#(PatientSecret.impossibleBirthDate)T10:00:00Z","event":"treatment","patient":"att-1"}"#,
            #"{"time":"\#(time)","event":"\#(surname)","patient":"att-1"}"#,
            #"{"time":"\#(time)","event":"arrival","patient":"att-1","category":"red","triagedBy":"Nurse Pascoe","mode":"\#(given)"}"#,
            #"{"time":"\#(time)","event":"arrival","patient":"att-1","category":"\#(surname)","triagedBy":"Nurse Pascoe","mode":"walk-in"}"#,
            #"{"time":"\#(time)","event":"observations","patient":"att-1","pulse":"1950"}"#,
            #"{"time":"\#(time)","event":"treatment","patient":"att-1","patient":"\#(fullName)"}"#,
            #"{"time":"\#(time)","event":"arrival","patient":"att-1","category":"red","triagedBy":"   ","mode":"walk-in","flowchart":"\#(fullName)"}"#,
            #"{"time":"\#(time)","event":"observations","patient":"att-1","pulse":80,"consciousness":"\#(surname)"}"#,
            #"{"time":"\#(time)","event":"retriage","patient":"att-1","category":"blue","clinician":"  ","reason":"\#(PatientSecret.note)"}"#,
            #"{"time":"\#(time)","event":"observations","patient":"att-1","pulse":80,"scale2PrescribedBy":"  "}"#,
            #""\#(fullName) \#(nhsNumber)""#,
        ]
        for line in lines {
            expectNoPatientData { _ = try TriageEventReader.event(from: Array(line.utf8), lineNumber: 7) }
        }
        let opened: [UInt8] = Array(#"{"time":"\#(time)","event":"treatment","patient":"att-1","name":""#.utf8)
        let closed: [UInt8] = Array(#"\#(given)"}"#.utf8)
        let notUTF8: [UInt8] = opened + [0xC3, 0x28] + closed
        let rawControl: [UInt8] = opened + Array(surname.utf8) + [0x01] + closed
        for bytes in [notUTF8, rawControl] {
            expectNoPatientData { _ = try TriageEventReader.event(from: bytes, lineNumber: 1) }
        }
        let stream = [
            #"{"time":"\#(time)","event":"treatment","patient":"att-1"}"#,
            #"{"time":"\#(time)","event":"treatment","patient":"\#(nhsNumber)"}"#,
        ]
        expectNoPatientData { _ = try TriageEventReader.events(in: stream.joined(separator: "\n")) }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let longFile = folder.appendingPathComponent("events.ndjson")
        let longLine: String =
            #"{"time":"\#(time)","event":"treatment","patient":"att-1","note":""#
            + String(repeating: "\(PatientSecret.note) ", count: 1_200) + "\"}\n"
        try Data(longLine.utf8).write(to: longFile)
        let handle = try FileHandle(forReadingFrom: longFile)
        defer { try? handle.close() }
        expectNoPatientData { try TriageEventReader.forEachEvent(in: handle) { _ in } }

        // The board.
        var queue = TriageQueue(capacity: try CapacityPolicy(cubicles: 2))
        let attendance = try TriageQueue.PatientID(validating: "att-1")
        let stranger = try TriageQueue.PatientID(validating: "att-404")
        let assignment = CategoryAssignment(.yellow, assessedBy: "Nurse Pascoe", at: now, flowchart: fullName)
        _ = try queue.arrive(attendance, triage: assignment, mode: .walkIn, at: now)
        expectNoPatientData {
            _ = try queue.arrive(
                try TriageQueue.PatientID(validating: nhsNumber),
                triage: assignment,
                mode: .ambulance,
                at: now
            )
        }
        expectNoPatientData { _ = try queue.arrive(attendance, triage: assignment, mode: .ambulance, at: now) }
        expectNoPatientData {
            _ = try queue.arrive(
                try TriageQueue.PatientID(validating: "att-2"),
                triage: CategoryAssignment(.red, assessedBy: "  ", at: now, discriminator: fullName),
                mode: .ambulance,
                at: now
            )
        }
        expectNoPatientData { _ = try queue.rescore(attendance, with: NEWS2Observations(pulse: 1950), at: now) }
        expectNoPatientData { _ = try queue.rescore(stranger, with: NEWS2Observations(pulse: 80), at: now) }
        expectNoPatientData {
            try queue.retriage(attendance, to: .blue, by: ClinicianDecision(clinician: "Dr \(surname)"), at: now)
        }
        expectNoPatientData {
            try queue.retriage(
                attendance,
                to: .red,
                by: ClinicianDecision(clinician: " ", reason: PatientSecret.note),
                at: now
            )
        }
        expectNoPatientData { _ = try queue.startTreatment(stranger, at: now) }
        expectNoPatientData { _ = try queue.depart(stranger, at: now) }
        expectNoPatientData { _ = try queue.explain(stranger, at: now) }
        expectNoPatientData { try queue.advance(to: now.addingTimeInterval(-3_600)) }

        // Scores.
        let scorer = NEWS2Scorer()
        expectNoPatientData { _ = try scorer.assess(NEWS2Observations(respirationRate: 1950)) }
        expectNoPatientData { _ = try scorer.assess(NEWS2Observations(temperature: -1950)) }
        expectNoPatientData { _ = try scorer.assess(NEWS2Observations(oxygenSaturation: Double.nan)) }
        expectNoPatientData { _ = try NEWS2SubScores(points: [.pulse: 1950]) }
        expectNoPatientData { _ = try scorer.score(try NEWS2SubScores(points: [.pulse: 3]), scale: .scale1) }
        expectNoPatientData { _ = try Scale2Prescription(prescribedBy: "  ", recordedAt: now) }
        expectNoPatientData { _ = try GlasgowComaScale(eye: 1950, verbal: 5, motor: 6) }
        expectNoPatientData { _ = try Urea(millimolesPerLitre: -1950) }
        expectNoPatientData { _ = try CapacityPolicy(cubicles: 0) }
        expectNoPatientData { _ = try CategoryTargets(red: 19_500, orange: 10, yellow: 60, green: 120, blue: 240) }

        // The remote monitor.
        var monitor = try RemoteMonitor()
        let monitoring = try MonitoringSchedule([
            MonitoringRequirement(kind: .heartRate, frequency: .every(.seconds(3_600)))
        ])
        let wardPatient = try RemoteMonitor.PatientID(validating: "vw-1")
        let unknownWardPatient = try RemoteMonitor.PatientID(validating: "vw-404")
        try monitor.enrol(wardPatient, schedule: monitoring, at: now)
        expectNoPatientData {
            try monitor.enrol(try RemoteMonitor.PatientID(validating: nhsNumber), schedule: monitoring, at: now)
        }
        expectNoPatientData { try monitor.enrol(wardPatient, schedule: monitoring, at: now) }
        expectNoPatientData {
            try monitor.enrol(
                try RemoteMonitor.PatientID(validating: "vw-2"),
                schedule: monitoring,
                baseline: 1950,
                at: now
            )
        }
        expectNoPatientData { _ = try monitor.record(unknownWardPatient, NEWS2Observations(pulse: 80), at: now) }
        expectNoPatientData { _ = try monitor.record(wardPatient, NEWS2Observations(temperature: 1950), at: now) }
        expectNoPatientData { try monitor.discharge(unknownWardPatient, by: "Dr \(surname)", at: now) }
        expectNoPatientData { try monitor.acknowledge(99, by: fullName, at: now) }
        expectNoPatientData { _ = try monitor.check(at: now.addingTimeInterval(-86_400)) }
        expectNoPatientData { try monitor.recordTaken(unknownWardPatient, [.heartRate], at: now) }

        // A paediatric chart.
        let chart = try EarlyWarningChart(
            name: "Leak test chart",
            source: "Transcribed for issue #12",
            ageBands: [
                EarlyWarningChart.AgeBand(
                    fromMonths: 0,
                    toMonths: nil,
                    numericParameters: ["heart-rate": [EarlyWarningChart.NumericBand(upTo: nil, points: 0)]],
                    codedParameters: ["consciousness": ["alert": 0]]
                )
            ],
            escalationTiers: [EarlyWarningChart.EscalationTier(name: "routine", minimumTotal: 0)],
            mandatoryTriggers: [EarlyWarningChart.MandatoryTrigger(concern: "parent-concern", tier: "routine")],
            possibleRanges: ["heart-rate": 0...300]
        )
        expectNoPatientData { _ = try chart.assess(ageInMonths: 12, values: ["heart-rate": .code(fullName)]) }
        expectNoPatientData { _ = try chart.assess(ageInMonths: 12, values: ["consciousness": .code(fullName)]) }
        expectNoPatientData { _ = try chart.assess(ageInMonths: 12, values: ["consciousness": .number(1950)]) }
        expectNoPatientData { _ = try chart.assess(ageInMonths: 12, values: ["heart-rate": .number(1950)]) }
        expectNoPatientData { _ = try chart.assess(ageInMonths: -1950, values: [:]) }
        expectNoPatientData {
            _ = try EarlyWarningChart(
                csv: "kind,age_from_months,age_to_months,parameter,value,points\nname,,,,\"\(fullName),\n"
            )
        }
    }

    @Test func fhirEncodingFailuresAndIssuesHoldNoPatientData() throws {
        // Failing paths, each through decoding (strict, and lenient where it still fails), typed decoding and the
        // validation report with its OperationOutcome: a Patient with an impossible birthDate (1950-02-30), a
        // birthDate as a number, given names as a string, a control character in a phone number, an id made of a
        // name, two deceased variants, postalCode as an array, `_birthDate` as a string, resourceType a surname, a
        // JSON array of names; strict only: an NHS number identifier with a wrong check digit or written with
        // spaces, unknown elements holding names, gender a surname, a null birthDate; JSON syntax errors right
        // after a name, inside an unclosed name, invalid UTF-8 and a raw control character inside a name, a bad
        // escape after a name, a repeated birthDate, names after the document, a date of birth as a bare number,
        // a trailing comma; a string over the reader's limit; a whitespace-only family name (a warning); the
        // wrong model for a resource and an array for a model; mapping to PatientRecord: postalCode TR1 3L, a
        // name that is only text, a phone number that is a name, an email without a domain, a local identifier
        // with a leading space, two NHS numbers, a language that is a name, a death without a date, a practice
        // ODS code that is a postcode, a received date of birth that is not a valueString, no id; mapping an
        // Appointment with no lead diary, a Consent with no provision, a CarePlan with no about-me, no CarePlan
        // versions; encoding a Patient built with an impossible birthDate; stamping with an id made of a name
        // and with version 0; NDJSON lines that are invalid or not JSON, and a line over the limit; a summary
        // Bundle given the same Patient twice, and built over a member whose key holds patient data (a known leak).
        let surname = PatientSecret.surname
        let given = PatientSecret.given
        let fullName = PatientSecret.fullName
        let nhsNumber = PatientSecret.nhsNumber
        let birthDate = PatientSecret.birthDate
        let impossible = PatientSecret.impossibleBirthDate
        let nhsSystem = IdentifierSystem.nhsNumber.rawValue
        let name = #""name":[{"family":"\#(surname)","given":["\#(given)"]}]"#
        func patient(_ members: String) -> [UInt8] {
            Array(#"{"resourceType":"Patient","id":"p1",\#(members)}"#.utf8)
        }

        let failingInBothModes: [[UInt8]] = [
            patient(#"\#(name),"birthDate":"\#(impossible)""#),
            patient(#"\#(name),"birthDate":19500228"#),
            patient(#""name":[{"family":"\#(surname)","given":"\#(given)"}]"#),
            patient(#"\#(name),"telecom":[{"system":"phone","value":"07700\u0001900461"}]"#),
            Array(#"{"resourceType":"Patient","id":"\#(fullName)",\#(name)}"#.utf8),
            patient(#"\#(name),"deceasedBoolean":true,"deceasedDateTime":"\#(birthDate)""#),
            patient(#""address":[{"line":["1 \#(surname) Row"],"postalCode":["\#(PatientSecret.badPostcode)"]}]"#),
            patient(#"\#(name),"_birthDate":"\#(birthDate)""#),
            Array(#"{"resourceType":"\#(surname)","name":"\#(fullName)"}"#.utf8),
            Array(#"["\#(fullName)","\#(nhsNumber)"]"#.utf8),
        ]
        let failingWhenStrict: [[UInt8]] = [
            patient(#""identifier":[{"system":"\#(nhsSystem)","value":"\#(PatientSecret.badNHSNumber)"}],\#(name)"#),
            patient(#""identifier":[{"system":"\#(nhsSystem)","value":"943 476 5919"}],\#(name)"#),
            patient(#"\#(name),"nickname":"\#(fullName)","mothersMaidenName":"\#(surname)""#),
            patient(#"\#(name),"gender":"\#(surname)""#),
            patient(#"\#(name),"birthDate":null"#),
        ]
        let familyOpened: [UInt8] = Array(#"{"resourceType":"Patient","name":[{"family":""#.utf8)
        let surnameBytes: [UInt8] = Array(surname.utf8)
        let givenClosed: [UInt8] = Array(#"\#(given)"}]}"#.utf8)
        let notUTF8: [UInt8] = familyOpened + [0xC3, 0x28] + givenClosed
        let rawControl: [UInt8] = familyOpened + surnameBytes + [0x01] + givenClosed
        let notJSONTexts: [String] = [
            #"{"resourceType":"Patient","name":[{"family":"\#(surname)"x}]}"#,
            #"{"resourceType":"Patient","name":[{"family":"\#(surname)"#,
            #"{"resourceType":"Patient","name":[{"family":"\#(surname)\q"}]}"#,
            #"{"resourceType":"Patient","birthDate":"\#(birthDate)","birthDate":"\#(impossible)"}"#,
            #"{"resourceType":"Patient"} \#(fullName) \#(nhsNumber)"#,
            #"{"resourceType":"Patient","birthDate":1950-02-28}"#,
            #"{"resourceType":"Patient","telecom":[{"value":"\#(PatientSecret.phone)"},]}"#,
        ]
        let notJSON: [[UInt8]] = notJSONTexts.map { Array($0.utf8) } + [notUTF8, rawControl]
        let failingEverywhere: [[UInt8]] = failingInBothModes + notJSON
        for bytes in failingEverywhere {
            expectNoPatientData { _ = try FHIRDecoder().decode(bytes) }
            expectNoPatientData { _ = try FHIRDecoder(mode: .lenient).decode(bytes) }
            expectNoPatientData { _ = try FHIRDecoder(mode: .lenient).decode(R4.Patient.self, from: bytes) }
        }
        for bytes in failingWhenStrict {
            expectNoPatientData { _ = try FHIRDecoder().decode(bytes) }
            expectNoPatientData { _ = try FHIRDecoder().decode(R4.Patient.self, from: bytes) }
        }
        let whitespaceFamily = patient(#""name":[{"family":"   ","given":["\#(given)"]}]"#)
        let everything: [[UInt8]] = failingInBothModes + failingWhenStrict + notJSON + [whitespaceFamily]
        for bytes in everything {
            expectNoPatientData(in: FHIRDecoder().validate(bytes))
            expectNoPatientData(in: FHIRDecoder(mode: .lenient).validate(bytes))
        }
        expectNoPatientData {
            _ = try FHIRDecoder(limits: JSONReader.Limits(maximumStringBytes: 4)).decode(patient(name))
        }
        expectNoPatientData { _ = try FHIRDecoder().decode(R4.Appointment.self, from: patient(name)) }
        expectNoPatientData { _ = try FHIRDecoder().decode(R4.Patient.self, from: Array(#"["\#(fullName)"]"#.utf8)) }

        // Mapping to the domain.
        let unmappable: [[UInt8]] = [
            patient(
                #"\#(name),"address":[{"line":["1 \#(surname) Row"],"postalCode":"\#(PatientSecret.badPostcode)"}]"#
            ),
            patient(#""name":[{"text":"\#(fullName)"}]"#),
            patient(#"\#(name),"telecom":[{"system":"phone","value":"\#(fullName)"}]"#),
            patient(#"\#(name),"telecom":[{"system":"email","value":"morwenna.trelawny@"}]"#),
            patient(#""identifier":[{"system":"https://example.org/mrn","value":" \#(nhsNumber)"}],\#(name)"#),
            patient(
                #""identifier":[{"system":"\#(nhsSystem)","value":"\#(nhsNumber)"},{"system":"\#(nhsSystem)","value":"\#(PatientSecret.otherNHSNumber)"}],\#(name)"#
            ),
            patient(
                #"\#(name),"communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"\#(fullName)"}]},"preferred":true}]"#
            ),
            patient(#"\#(name),"deceasedBoolean":true"#),
            patient(
                #"\#(name),"generalPractitioner":[{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"\#(PatientSecret.postcode)"}}]"#
            ),
            patient(
                #"\#(name),"_birthDate":{"extension":[{"url":"https://integratedcarekit.example/fhir/StructureDefinition/received-birth-date","valueCode":"19500230"}]}"#
            ),
            Array(#"{"resourceType":"Patient",\#(name),"birthDate":"\#(birthDate)"}"#.utf8),
        ]
        for bytes in unmappable {
            expectNoPatientData { _ = try PatientRecord(fhir: try FHIRDecoder().decode(R4.Patient.self, from: bytes)) }
        }
        let context = AppointmentMappingContext(
            serviceTypeSystem: CodeSystem(rawValue: "https://example.org/service-type")
        )
        let appointment = Array(
            #"{"resourceType":"Appointment","id":"a1","status":"booked","description":"\#(fullName) review","comment":"Call \#(PatientSecret.phone)","start":"2026-11-26T10:00:00Z","end":"2026-11-26T10:15:00Z","created":"2026-11-25T10:00:00Z","slot":[{"reference":"Slot/s1"}],"participant":[{"actor":{"reference":"Patient/p1","display":"\#(fullName)"},"status":"accepted"}]}"#
                .utf8
        )
        expectNoPatientData {
            _ = try Appointment(
                fhir: try FHIRDecoder().decode(R4.Appointment.self, from: appointment),
                context: context
            )
        }
        let consent = Array(
            #"{"resourceType":"Consent","id":"c1","status":"active","scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},"category":[{"text":"\#(fullName)"}],"patient":{"reference":"Patient/p1","display":"\#(fullName)"},"dateTime":"2026-11-25T10:00:00Z"}"#
                .utf8
        )
        expectNoPatientData { _ = try ConsentDirective(fhir: try FHIRDecoder().decode(R4.Consent.self, from: consent)) }
        let carePlan = Array(
            #"{"resourceType":"CarePlan","id":"cp1","status":"active","intent":"plan","subject":{"reference":"Patient/p1","display":"\#(fullName)"},"title":"\#(fullName)'s plan","description":"Lives at \#(PatientSecret.postcode)"}"#
                .utf8
        )
        expectNoPatientData { _ = try PlanContent(fhir: try FHIRDecoder().decode(R4.CarePlan.self, from: carePlan)) }
        expectNoPatientData { _ = try CarePlan(fhirVersions: []) }

        // Encoding, stamping and typed reading.
        let invalidModel = R4.Patient(
            id: "p1",
            name: [R4.HumanName(try HumanName(given: [given], family: surname))],
            birthDate: R4.Primitive(impossible)
        )
        expectNoPatientData { _ = try FHIREncoder().encode(invalidModel) }
        let resource = try FHIRDecoder().decode(patient(name))
        let instant = try Instant(parsing: "2026-11-25T10:00:00Z")
        expectNoPatientData { _ = try resource.stamped(id: fullName, versionId: 1, lastUpdated: instant) }
        expectNoPatientData { _ = try resource.stamped(id: "p1", versionId: 0, lastUpdated: instant) }
        expectNoPatientData { _ = try R4.Appointment(resource) }

        // A record read leniently from an NHS number with a wrong check digit describes itself safely.
        let lenient = try PatientRecord(
            fhir: try FHIRDecoder(mode: .lenient).decode(
                R4.Patient.self,
                from: patient(
                    #""identifier":[{"system":"\#(nhsSystem)","value":"\#(PatientSecret.badNHSNumber)"}],\#(name),"birthDate":"\#(birthDate)","address":[{"line":["1 \#(surname) Row"],"postalCode":"\#(PatientSecret.postcode)"}],"telecom":[{"system":"phone","value":"\#(PatientSecret.phone)"}]"#
                )
            )
        )
        expectNoPatientDataInDescription(of: lenient)

        // NDJSON.
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = [
            #"{"resourceType":"Patient","id":"p1",\#(name),"birthDate":"\#(birthDate)"}"#,
            #"{"resourceType":"Patient","id":"p2",\#(name),"birthDate":"\#(impossible)"}"#,
            #"{"resourceType":"Patient","id":"p3","name":[{"family":"\#(surname)"x}]}"#,
        ]
        let bulk = folder.appendingPathComponent("bulk.ndjson")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: bulk)
        let bulkHandle = try FileHandle(forReadingFrom: bulk)
        defer { try? bulkHandle.close() }
        var reader = NDJSONReader(handle: bulkHandle)
        _ = try reader.next()
        expectNoPatientData { _ = try reader.next() }
        expectNoPatientData { _ = try reader.next() }
        let long = folder.appendingPathComponent("long.ndjson")
        try Data((lines[0] + "\n").utf8).write(to: long)
        let longHandle = try FileHandle(forReadingFrom: long)
        defer { try? longHandle.close() }
        var longReader = NDJSONReader(
            handle: longHandle,
            decoder: FHIRDecoder(limits: JSONReader.Limits(maximumBytes: 64))
        )
        expectNoPatientData { _ = try longReader.next() }

        // A summary Bundle. The Patient, read leniently, keeps a member no R4 element names; its key holds a name
        // and an NHS number, and its value a reference to a resource outside the Bundle.
        let strayKey = patient(#"\#(name),"\#(fullName) \#(nhsNumber)":{"reference":"Patient/elsewhere"}"#)
        // The validator shows such a key as `(key)`.
        expectNoPatientData(in: FHIRDecoder(mode: .lenient).validate(strayKey))
        let stray = try FHIRDecoder(mode: .lenient).decode(R4.Patient.self, from: strayKey)
        var bundle = SummaryBundle(kind: .collection)
        try bundle.add(.patient(stray))
        expectNoPatientData { try bundle.add(.patient(stray)) }
        var generator = SeededRandomNumberGenerator(seed: 12)
        // The Bundle's paths show such a key as `(key)` too (it once appeared verbatim).
        expectNoPatientData { _ = try bundle.build(timestamp: instant, using: &generator) }
    }

    @Test func careStoreFailuresHoldNoPatientData() throws {
        // Failing paths (resources full of patient data, opaque ids, files named after the patient): the in-memory
        // store creating an existing resource, updating from a stale version, updating without an id, reading a
        // missing resource or version, the history of a missing resource, deleting from a stale version, a
        // transaction whose second operation is stale, reading and updating a deleted resource, an appointment
        // taking a slot another holds, reading a stored Patient as an Appointment; stored JSON that is invalid
        // (a date of birth of 1950-02-30) or not JSON (a syntax error after a name), read as a resource and as a
        // model, and a tombstone read as a resource; repositories reading a Patient whose postcode is TR1 3L,
        // reading a missing record, an Appointment with no lead diary (and an AppointmentBook opened over it),
        // a CarePlan with no about-me (and a CarePlanRegistry opened over it); SQLite opening a file of patient
        // text named after the patient, opening in a missing folder named after the patient, creating an
        // existing resource, updating from a stale version, reading a missing resource or version, the history
        // of a missing resource, backing up over an existing file, restoring from a file that is not a database
        // and over an existing file, and writing to a read-only store.
        let surname = PatientSecret.surname
        let given = PatientSecret.given
        let fullName = PatientSecret.fullName
        let nhsNumber = PatientSecret.nhsNumber
        let birthDate = PatientSecret.birthDate
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = FixedWallClock(Self.now)
        let zone = try CivilTimeZone.europeLondon()
        let instant = try Instant(parsing: "2026-11-25T10:00:00Z")
        let name = #""name":[{"family":"\#(surname)","given":["\#(given)"]}]"#
        let details: String =
            #""identifier":[{"system":"\#(IdentifierSystem.nhsNumber.rawValue)","value":"\#(nhsNumber)"}],\#(name),"#
            + #""telecom":[{"system":"phone","value":"\#(PatientSecret.phone)"}],"birthDate":"\#(birthDate)","#
            + #""address":[{"line":["1 \#(surname) Row"],"postalCode":"\#(PatientSecret.postcode)"}]"#
        func patient(_ id: String, _ members: String) throws -> FHIRResource {
            try FHIRDecoder().decode(Array(#"{"resourceType":"Patient","id":"\#(id)",\#(members)}"#.utf8))
        }
        func appointment(_ id: String) throws -> FHIRResource {
            try FHIRDecoder().decode(
                Array(
                    #"{"resourceType":"Appointment","id":"\#(id)","status":"booked","description":"\#(fullName) review","start":"2026-11-26T10:00:00Z","end":"2026-11-26T10:15:00Z","created":"2026-11-25T10:00:00Z","slot":[{"reference":"Slot/s1"}],"participant":[{"actor":{"reference":"Patient/p1","display":"\#(fullName)"},"status":"accepted"}]}"#
                        .utf8
                )
            )
        }
        func carePlan(_ id: String) throws -> FHIRResource {
            try FHIRDecoder().decode(
                Array(
                    #"{"resourceType":"CarePlan","id":"\#(id)","status":"active","intent":"plan","subject":{"reference":"Patient/p1","display":"\#(fullName)"},"title":"\#(fullName)'s plan","description":"Lives at \#(PatientSecret.postcode)"}"#
                        .utf8
                )
            )
        }
        let claire = try patient("p1", details)

        // The in-memory store.
        let memory = InMemoryResourceStore(
            clock: clock,
            timeZone: zone,
            generator: SeededRandomNumberGenerator(seed: 12)
        )
        _ = try memory.create(claire)
        expectNoPatientData { _ = try memory.create(claire) }
        expectNoPatientData { _ = try memory.update(claire, expectedVersion: 7) }
        expectNoPatientData {
            _ = try memory.update(
                try FHIRDecoder().decode(Array(#"{"resourceType":"Patient",\#(details)}"#.utf8)),
                expectedVersion: 1
            )
        }
        expectNoPatientData { _ = try memory.read("Patient", id: "p404") }
        expectNoPatientData { _ = try memory.read("Patient", id: "p1", version: 9) }
        expectNoPatientData { _ = try memory.history("Patient", id: "p404") }
        expectNoPatientData { _ = try memory.delete("Patient", id: "p1", expectedVersion: 9) }
        expectNoPatientData {
            _ = try memory.transaction([.create(try patient("p2", details)), .update(claire, expectedVersion: 9)])
        }
        _ = try memory.create(try patient("p3", details))
        _ = try memory.delete("Patient", id: "p3", expectedVersion: 1)
        expectNoPatientData { _ = try memory.read("Patient", id: "p3") }
        expectNoPatientData { _ = try memory.update(try patient("p3", details), expectedVersion: 2) }
        _ = try memory.create(try appointment("a1"))
        expectNoPatientData { _ = try memory.create(try appointment("a2")) }
        let stored = try memory.read("Patient", id: "p1")
        expectNoPatientData { _ = try stored.decode(R4.Appointment.self) }

        // Stored versions that no longer read.
        func storedPatient(_ json: String, isDeleted: Bool = false) -> StoredResource {
            StoredResource(
                resourceType: "Patient",
                id: "p9",
                version: 1,
                lastUpdated: instant,
                isDeleted: isDeleted,
                json: Array(json.utf8)
            )
        }
        let invalid = storedPatient(
            #"{"resourceType":"Patient",\#(name),"birthDate":"\#(PatientSecret.impossibleBirthDate)"}"#
        )
        let garbled = storedPatient(#"{"resourceType":"Patient","name":[{"family":"\#(surname)"x}]}"#)
        for version in [invalid, garbled] {
            expectNoPatientData { _ = try version.resource() }
            expectNoPatientData { _ = try version.decode(R4.Patient.self) }
        }
        expectNoPatientData { _ = try storedPatient("", isDeleted: true).resource() }

        // Repositories over resources that no longer map.
        let records = InMemoryResourceStore(
            clock: clock,
            timeZone: zone,
            generator: SeededRandomNumberGenerator(seed: 13)
        )
        _ = try records.create(
            try patient("p-bad", #"\#(name),"address":[{"postalCode":"\#(PatientSecret.badPostcode)"}]"#)
        )
        _ = try records.create(try appointment("a1"))
        _ = try records.create(try carePlan("cp1"))
        let patients = PatientRecordRepository(store: records)
        expectNoPatientData { _ = try patients.records() }
        expectNoPatientData { _ = try patients.record(try PatientRecord.ID(validating: "p404")) }
        let context = AppointmentMappingContext(
            serviceTypeSystem: CodeSystem(rawValue: "https://example.org/service-type")
        )
        let appointments = AppointmentRepository(store: records, context: context)
        expectNoPatientData { _ = try appointments.loadAll() }
        expectNoPatientData { _ = try AppointmentBook(store: appointments, clock: clock) }
        expectNoPatientData { _ = try CarePlanRepository(store: records).loadAll() }
        expectNoPatientData { _ = try CarePlanRegistry(store: CarePlanRepository(store: records)) }

        // SQLite, with files named after the patient.
        func openSQLite(_ file: URL, readOnly: Bool = false) throws -> SQLiteResourceStore {
            try SQLiteResourceStore(
                file: file,
                options: SQLiteResourceStore.Options(readOnly: readOnly),
                clock: clock,
                timeZone: zone,
                generator: SeededRandomNumberGenerator(seed: 14)
            )
        }
        let notADatabase = folder.appendingPathComponent("\(fullName) \(nhsNumber).sqlite")
        try Data(String(repeating: "\(PatientSecret.note)\n", count: 200).utf8).write(to: notADatabase)
        expectNoPatientData { _ = try openSQLite(notADatabase) }
        expectNoPatientData {
            _ = try openSQLite(
                folder.appendingPathComponent("\(surname)-\(birthDate)", isDirectory: true)
                    .appendingPathComponent("\(nhsNumber).sqlite")
            )
        }
        let file = folder.appendingPathComponent("\(surname)-\(nhsNumber).sqlite")
        do {
            let sqlite = try openSQLite(file)
            _ = try sqlite.create(claire)
            expectNoPatientData { _ = try sqlite.create(claire) }
            expectNoPatientData { _ = try sqlite.update(claire, expectedVersion: 7) }
            expectNoPatientData { _ = try sqlite.read("Patient", id: "p404") }
            expectNoPatientData { _ = try sqlite.read("Patient", id: "p1", version: 9) }
            expectNoPatientData { _ = try sqlite.history("Patient", id: "p404") }
            expectNoPatientData { try sqlite.backup(to: notADatabase) }
        }
        expectNoPatientData {
            try SQLiteResourceStore.restore(from: notADatabase, to: folder.appendingPathComponent("\(given).sqlite"))
        }
        expectNoPatientData { try SQLiteResourceStore.restore(from: file, to: notADatabase) }
        let readOnly = try openSQLite(file, readOnly: true)
        expectNoPatientData { _ = try readOnly.create(try patient("p5", details)) }
    }

    @Test func logLinesHoldNoPatientData() async throws {
        // The modules that report through CareCore's CareLogger, driven with an NHS number as the patient's identifier
        // and names everywhere else: the matcher skipping an oversized block of one family name, and its
        // deduplication; an appointment book writing a booking and a store refusing one; access control deciding,
        // granting emergency access and failing to audit. Every record, printed and reflected, must hold none of
        // it, and the patient must still be there for a sink that reads the redacted value on purpose.
        let recorder = LogRecorder()
        let logger = CareLogger(sink: recorder, minimumLevel: .debug)
        let now = Self.now
        let clock = FixedWallClock(now)

        var index = PatientIndex()
        index.logger = logger
        let crowd = try (0..<1_200).map { number in
            try PatientRecord(
                id: PatientRecord.ID(validating: "r\(number)"),
                names: [HumanName(use: .official, given: [PatientSecret.given], family: PatientSecret.surname)],
                birthDate: Recorded(
                    text: PatientSecret.birthDate,
                    value: try FHIRDate(parsing: PatientSecret.birthDate)
                )
            )
        }
        try index.insert(contentsOf: crowd)
        _ = index.match(crowd[0])
        _ = index.deduplicate()

        let organisation = try ODSCode(parsing: "A81001")
        let scheduleID = try Schedule.ID(validating: "gp-1")
        let schedule = try Schedule(
            id: scheduleID,
            actors: [.practitioner("dr-1")],
            organisation: organisation,
            serviceType: "gp-consultation"
        )
        let slot = try Slot(
            id: try Slot.ID(validating: "s1"),
            schedule: scheduleID,
            start: now.addingTimeInterval(86_400),
            end: now.addingTimeInterval(86_400 + 900),
            channel: .inPerson,
            serviceType: "gp-consultation"
        )
        let book = try AppointmentBook(store: InMemoryAppointmentStore(), clock: clock, logger: logger)
        try await book.add(schedules: [schedule])
        try await book.add([slot])
        let patient = try Appointment.PatientID(validating: PatientSecret.nhsNumber)
        _ = try await book.book(
            patient: patient,
            slots: [slot.id],
            id: try Appointment.ID(validating: "a1"),
            description: PatientSecret.fullName,
            comment: PatientSecret.note
        )
        let refusing = try AppointmentBook(
            store: LeakyAppointmentStore(failsToLoad: false),
            clock: clock,
            logger: logger
        )
        await expectNoPatientDataAsync { try await refusing.add(schedules: [schedule]) }

        let accessPatient = try Access.PatientID(validating: PatientSecret.nhsNumber)
        var facts = AccessFacts()
        facts.record(PatientPrivacy(patient: accessPatient, birthDate: try CivilDate(parsing: PatientSecret.birthDate)))
        let decisionPoint = PolicyDecisionPoint(facts: facts, timeZone: try CivilTimeZone.europeLondon())
        let control = AccessControl(
            decisionPoint: decisionPoint,
            auditLog: try AuditLog(storage: InMemoryAuditLogStorage(), clock: clock),
            clock: clock,
            logger: logger
        )
        let crew = try accessSession("crew", organisation: "RYF", role: "R8003", activities: ["B0370", "B0168"])
        _ = try await control.decide(.staff(crew), patient: accessPatient, dataClass: .summary, purpose: .emergency)
        _ = try await control.breakGlass(
            session: crew,
            patient: accessPatient,
            reason: .patientUnconscious,
            justification: Redacted(PatientSecret.note),
            duration: 3_600,
            id: try BreakGlassGrant.ID(validating: "grant-1")
        )
        let unaudited = AccessControl(
            decisionPoint: decisionPoint,
            auditLog: try AuditLog(storage: LeakyAuditStorage(failsToLoad: false), clock: clock),
            clock: clock,
            logger: logger
        )
        await expectNoPatientDataAsync {
            _ = try await unaudited.decide(
                .staff(crew),
                patient: accessPatient,
                dataClass: .summary,
                purpose: .emergency
            )
        }

        let records = recorder.records
        let events = Set(records.map(\.event))
        for expected in [
            "match skipped blocks over the size limit", "deduplication skipped blocks over the size limit",
            "deduplication finished", "appointment book change written",
            "the store refused an appointment book change", "access decided", "emergency access granted",
            "an access could not be audited and did not go ahead",
        ] {
            #expect(events.contains(expected), "no record of \(expected)")
        }
        for record in records {
            var dumped = ""
            dump(record, to: &dumped)
            expectNoSecret(
                in: [record.description, String(reflecting: record), dumped],
                "a log record",
                sourceLocation: #_sourceLocation
            )
        }
        // The patient is there, redacted, for a sink entitled to read it.
        let granted = try #require(records.first { $0.event == "emergency access granted" })
        guard case .redacted(let redacted)? = granted["patient"] else {
            Issue.record("the patient is not a redacted field")
            return
        }
        #expect(redacted.value == PatientSecret.nhsNumber)
    }
}
