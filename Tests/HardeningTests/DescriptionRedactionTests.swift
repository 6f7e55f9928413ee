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

// Issue #12: patient data never appears in a description by default.
//
// Each type that holds patient data and once printed it field by field is built here with recognisable patient
// data, and its description, debug description and `dump` are searched for it. Each also says what it does show:
// its shape and safe identifiers, pinned here so that a change to the format is a decision, not an accident.

// MARK: - Recognisable patient data

/// Recognisable patient data: a text that contains any of it, in any letter case, leaks.
private enum Secret {
    static let surname = "Trelawny"
    static let given = "Morwenna"
    static let fullName = "Morwenna Trelawny"
    /// A valid NHS number: its Modulus 11 check digit is right.
    static let nhsNumber = "9434765919"
    /// A second valid NHS number, for a second person.
    static let otherNHSNumber = "9990000018"
    static let birthDate = "1950-02-28"
    static let postcode = "TR1 3LJ"
    static let phone = "07700 900461"
    static let email = "morwenna.trelawny@example.org"
    /// Free text full of it, without commas so that it can stand in a CSV field.
    static let note = "Morwenna Trelawny (NHS 9434765919) born 1950-02-28 of TR1 3LJ"

    /// Every text that must never appear, with the fragments a careless formatter might leave: the bare year of
    /// birth, the outward and inward postcode, the subscriber part of the phone number, the grouped NHS number.
    static let forbidden: [String] = [
        surname, given, nhsNumber, otherNHSNumber, "943 476 5919", "943-476-5919", birthDate, "1950", postcode,
        "TR1", "3LJ", phone, "900461", email,
    ]

    /// A Patient resource full of it, valid in strict mode.
    static let patientJSON: String =
        #"{"resourceType":"Patient","id":"p1","#
        + #""identifier":[{"system":"\#(IdentifierSystem.nhsNumber.rawValue)","value":"\#(nhsNumber)"}],"#
        + #""name":[{"family":"\#(surname)","given":["\#(given)"]}],"#
        + #""telecom":[{"system":"phone","value":"\#(phone)"}],"birthDate":"\#(birthDate)","#
        + #""address":[{"line":["1 \#(surname) Row"],"postalCode":"\#(postcode)"}]}"#
}

// MARK: - Helpers

/// Expects no description, debug description or `dump` of any of the values to hold patient data.
///
/// - Parameters:
///   - values: The values, each checked on its own.
///   - sourceLocation: Where the check is, for failures.
private func expectNoPatientData(in values: [Any], sourceLocation: SourceLocation = #_sourceLocation) {
    for value in values {
        var dumped = ""
        dump(value, to: &dumped)
        for text in ["\(value)", String(describing: value), String(reflecting: value), dumped] {
            let folded = text.lowercased()
            for secret in Secret.forbidden where folded.contains(secret.lowercased()) {
                Issue.record(
                    "a description of \(type(of: value)) reveals \"\(secret)\": \(text)",
                    sourceLocation: sourceLocation
                )
            }
        }
    }
}

// MARK: - The tests

/// Builds every type that holds patient data and once described itself field by field, and checks that its
/// descriptions show its shape and safe identifiers only.
@Suite struct DescriptionRedactionTests {
    static let now = Date(timeIntervalSince1970: 1_795_600_800)  // 2026-11-25T10:00:00Z

    @Test func patientIdentityDescribesQueriesImportsAndEventsByShape() throws {
        // A search for the patient; a file whose first id is the patient's NHS number; a registry whose events'
        // actor and reason name the patient.
        let query = DemographicQuery(
            familyName: Secret.surname,
            givenName: Secret.given,
            birthDate: try FHIRDate(parsing: Secret.birthDate),
            postcode: Secret.postcode
        )
        let file: String =
            "id,nhs_number,given_name,family_name,date_of_birth,sex,postcode,address\n"
            + "\(Secret.nhsNumber),\(Secret.nhsNumber),\(Secret.given),\(Secret.surname),"
            + "\(Secret.birthDate),F,\(Secret.postcode),1 \(Secret.surname) Row\n"
            + "2,\(Secret.otherNHSNumber),Jory,\(Secret.surname),1952-03-01,M,\(Secret.postcode),"
            + "1 \(Secret.surname) Row\n"
        let csv = try DemographicCSV(bytes: Array(file.utf8))
        var index = PatientIndex()
        try index.insert(contentsOf: csv.records)
        let at = try Instant(parsing: "2026-11-25T10:00:00Z")
        let actor = "\(Secret.fullName) (\(Secret.nhsNumber))"
        let reason = "matched on \(Secret.nhsNumber), born \(Secret.birthDate), living at \(Secret.postcode)"
        let personOne = try PersonRegistry.PersonID(validating: "person-1")
        let personTwo = try PersonRegistry.PersonID(validating: "person-2")
        var registry = PersonRegistry()
        try registry.create(personOne, with: [csv.records[0].id], in: index, actor: actor, reason: reason, at: at)
        try registry.create(personTwo, with: [csv.records[1].id], in: index, actor: actor, reason: reason, at: at)
        try registry.merge(personTwo, into: personOne, in: index, actor: actor, reason: reason, at: at)

        #expect("\(query)" == "DemographicQuery(4 fields, exact)")
        #expect("\(csv)" == "DemographicCSV(2 records, 0 unreadable values)")
        #expect("\(registry)" == "PersonRegistry(1 person, 3 events)")
        #expect("\(registry.events[0])" == "PersonRegistry.Event(sequence: 1, created, person: person-1, 1 record)")
        expectNoPatientData(in: [query, csv, csv.records, registry, registry.events, registry.events[2]])
    }

    @Test func appointmentsDescribeAppointmentsByIdAndStatus() throws {
        // The patient's id is their NHS number; the description and comment name them; the cancellation reason is
        // free text about them.
        let patient = try Appointment.PatientID(validating: Secret.nhsNumber)
        let start = Self.now.addingTimeInterval(86_400)
        func appointment(
            _ id: String,
            status: AppointmentStatus,
            version: Int,
            cancellation: Appointment.Cancellation?
        ) throws -> Appointment {
            try Appointment(
                restoring: try Appointment.ID(validating: id),
                patient: patient,
                slots: [try Slot.ID(validating: "s1")],
                schedule: try Schedule.ID(validating: "gp-1"),
                serviceType: "gp-consultation",
                start: start,
                end: start.addingTimeInterval(15 * 60),
                channel: .inPerson,
                status: status,
                description: "\(Secret.fullName) review",
                comment: "Call \(Secret.phone) or \(Secret.email); born \(Secret.birthDate), \(Secret.postcode)",
                cancellation: cancellation,
                version: version,
                created: Self.now
            )
        }
        let booked = try appointment("a1", status: .booked, version: 1, cancellation: nil)
        let cancellation = Appointment.Cancellation(initiator: .patient, reason: Secret.note)
        let cancelled = try appointment("a2", status: .cancelled, version: 2, cancellation: cancellation)

        // `Appointment` has a stored `description`, so interpolation falls back to its debug description.
        #expect("\(booked)" == "Appointment(id: a1, status: booked, version: 1, 1 slot)")
        #expect(String(reflecting: cancelled) == "Appointment(id: a2, status: cancelled, version: 2, 1 slot)")
        #expect("\(cancellation)" == "Appointment.Cancellation(initiator: patient)")
        expectNoPatientData(in: [booked, cancelled, cancellation, [booked, cancelled], Optional(booked) as Any])
    }

    @Test func carePlansDescribeContentChangesAndSummariesByShape() throws {
        // A plan written by the patient, in their own words, with their family's names and telephone numbers, a
        // goal and an action about them, a revision whose diff holds their words, and the emergency summary.
        let change = try PlanChange(
            author: Secret.fullName,
            role: "patient",
            organisation: nil,
            at: Self.now,
            reason: Secret.note
        )
        let goal = Goal(
            id: try Goal.ID(validating: "goal-1"),
            description: "\(Secret.given) walks to \(Secret.postcode) and back",
            expressedBy: .patient,
            measure: Secret.note,
            target: "Born \(Secret.birthDate)",
            achievement: .improving,
            progress: [
                Goal.Progress(
                    date: try CivilDate(parsing: "2026-11-20"),
                    note: Secret.note,
                    achievement: .improving,
                    recordedBy: .carer
                )
            ]
        )
        let action = PlanAction(
            id: try PlanAction.ID(validating: "action-1"),
            what: "Visit \(Secret.fullName) at \(Secret.postcode)",
            owner: "Jory \(Secret.surname)"
        )
        let contact = NamedContact(
            id: try NamedContact.ID(validating: "contact-1"),
            name: "Jory \(Secret.surname)",
            relationship: "son of \(Secret.fullName)",
            telephone: Secret.phone,
            isEmergencyContact: true
        )
        let member = CareTeamMember(
            name: "Dr \(Secret.surname)",
            role: "GP to \(Secret.fullName)",
            organisation: try ODSCode(parsing: "A81001"),
            telephone: Secret.phone,
            isLead: true
        )
        let aboutMe = AboutMe(
            pleaseCallMe: Secret.given,
            whatMattersToMe: "Seeing the \(Secret.surname) family in \(Secret.postcode)",
            howToCommunicateWithMe: Secret.note,
            peopleImportantToMe: "Jory \(Secret.surname), \(Secret.phone)",
            aGoodDay: Secret.note
        )
        let content = PlanContent(
            title: "\(Secret.fullName)'s plan",
            aboutMe: aboutMe,
            goals: [goal],
            actions: [action],
            contacts: [contact],
            careTeam: [member],
            mentalHealthAndWellbeing: Secret.note,
            communication: try CommunicationPreferences(),
            contingency: ["Call \(Secret.phone) if \(Secret.given) is unwell"]
        )
        let draft = try CarePlan(
            id: try CarePlan.ID(validating: "plan-1"),
            patient: try CarePlan.PatientID(validating: "patient-1"),
            content: content,
            change: change
        )
        let active = try draft.moved(expectedVersion: draft.version, to: .active, change: change)
        let revised = try active.revised(expectedVersion: active.version, change: change) { content in
            content.aboutMe.whatMattersToMe = "Staying at home in \(Secret.postcode), \(Secret.note)"
            content.contingency.append("Tell \(Secret.fullName)'s son on \(Secret.phone)")
        }
        let changes = try revised.diff(from: active.version, to: revised.version)
        let summary = EmergencySummary.of([revised], on: try CivilDate(parsing: "2026-11-25"))

        #expect("\(content)" == "PlanContent(goals: 1, actions: 1, contacts: 1, careTeam: 1)")
        #expect("\(aboutMe)" == "AboutMe(<redacted>)")
        // `Goal` has a stored `description`, so interpolation falls back to its debug description.
        #expect("\(goal)" == "Goal(id: goal-1, lifecycle: active, achievement: improving, 1 progress entry)")
        #expect("\(action)" == "PlanAction(id: action-1, status: not-started)")
        #expect("\(contact)" == "NamedContact(id: contact-1, isEmergencyContact: true, isSafeguardingContact: false)")
        #expect("\(member)" == "CareTeamMember(organisation: A81001, isLead: true)")
        #expect(changes.map(\.description).contains("FieldChange(aboutMe.whatMattersToMe, changed)"))
        #expect("\(summary)" == "EmergencySummary(current, plan: plan-1, version: \(revised.version), 2 contacts)")
        expectNoPatientData(
            in: [
                change, goal, goal.progress, action, contact, member, aboutMe, content, revised, changes, summary,
                summary.contacts,
            ]
        )
    }

    @Test func consentAccessDescribesPrivacyFactsByFlags() throws {
        // The patient's id is their NHS number; the facts hold their date of birth and practice.
        let privacy = PatientPrivacy(
            patient: try Access.PatientID(validating: Secret.nhsNumber),
            restricted: true,
            nationalDataOptOut: true,
            registeredPractice: try ODSCode(parsing: "A81001"),
            birthDate: try CivilDate(parsing: Secret.birthDate)
        )

        #expect("\(privacy)" == "PatientPrivacy(restricted: true, nationalDataOptOut: true, type1OptOut: false)")
        #expect(!"\(privacy)".contains("A81001"))
        expectNoPatientData(in: [privacy, [privacy]])
    }

    @Test func careStoreDescribesStoredVersionsAndSearchesWithoutTheirContent() throws {
        // A stored Patient full of patient data, read back from a store, and a search for an NHS number.
        let instant = try Instant(parsing: "2026-11-25T10:00:00Z")
        let direct = StoredResource(
            resourceType: "Patient",
            id: "p1",
            version: 1,
            lastUpdated: instant,
            isDeleted: false,
            json: Array(Secret.patientJSON.utf8)
        )
        let store = InMemoryResourceStore(
            clock: FixedWallClock(Self.now),
            timeZone: try CivilTimeZone.europeLondon(),
            generator: SeededRandomNumberGenerator(seed: 12)
        )
        _ = try store.create(try FHIRDecoder().decode(Array(Secret.patientJSON.utf8)))
        let stored = try store.read("Patient", id: "p1")
        let token = StoreQuery.IdentifierToken(system: IdentifierSystem.nhsNumber.rawValue, value: Secret.nhsNumber)
        let query = StoreQuery(type: "Patient", identifier: token)

        #expect("\(direct)" == "StoredResource(Patient/p1, version: 1, \(direct.json.count) bytes)")
        let nhsSystem = IdentifierSystem.nhsNumber.rawValue
        #expect("\(token)" == "StoreQuery.IdentifierToken(system: \(nhsSystem), value: <redacted>)")
        expectNoPatientData(in: [direct, stored, [stored], token, query])
    }

    @Test func fhirEncodingDescribesResourcesJSONAndReportsByShape() throws {
        // A Patient full of patient data as a resource, its JSON, its members and its validation report; loose
        // JSON values holding a name, an NHS number and a date of birth as a number.
        let bytes = Array(Secret.patientJSON.utf8)
        let resource = try FHIRDecoder().decode(bytes)
        let report = FHIRDecoder().validate(bytes)
        let impossible = Secret.patientJSON.replacingOccurrences(of: "02-28", with: "02-30")
        let invalid = FHIRDecoder().validate(Array(impossible.utf8))
        let name = JSONValue.string(Secret.fullName)
        let list = JSONValue.array([.string(Secret.nhsNumber), .number(JSONNumber(19_500_228))])

        #expect("\(resource)" == "FHIRResource(Patient, 7 members)")
        #expect("\(resource.jsonValue)" == "JSONValue(object, 7 members)")
        #expect("\(resource.json)" == "JSONObject(7 members)")
        #expect("\(name)" == "JSONValue(string)")
        #expect("\(list)" == "JSONValue(array, 2 elements)")
        #expect("\(resource.json.members[0])" == "JSONMember(key: <redacted>, value: string)")
        #expect(report.isValid)
        #expect("\(report)".hasPrefix("FHIRValidationReport(valid, "))
        #expect("\(report)".hasSuffix(", Patient)"))
        #expect(!invalid.isValid)
        #expect("\(invalid)".hasPrefix("FHIRValidationReport(invalid, "))
        expectNoPatientData(
            in: [
                resource, [resource], resource.jsonValue, resource.json, resource.json.members, name, list,
                JSONValue.number(JSONNumber(19_500_228)), report, invalid,
            ]
        )
    }

    @Test func triageScoringDescribesDecisionsAndExplanationsWithoutReasons() throws {
        // A clinician lowers a category with a reason that names the patient; the board explains itself.
        let decision = ClinicianDecision(clinician: "ed-consultant", reason: Secret.note)
        let cause = CategoryChangeCause.clinician(decision)
        var queue = TriageQueue(capacity: try CapacityPolicy(cubicles: 2))
        let attendance = try TriageQueue.PatientID(validating: "att-1")
        try queue.arrive(
            attendance,
            triage: CategoryAssignment(.yellow, assessedBy: "triage-rn", at: Self.now),
            mode: .walkIn,
            at: Self.now
        )
        try queue.retriage(attendance, to: .green, by: decision, at: Self.now.addingTimeInterval(60))
        let explanation = try queue.explain(attendance, at: Self.now.addingTimeInterval(120))

        #expect("\(decision)" == "ClinicianDecision(clinician: ed-consultant, reason: <redacted>)")
        let withoutReason = ClinicianDecision(clinician: "ed-reg")
        #expect("\(withoutReason)" == "ClinicianDecision(clinician: ed-reg)")
        #expect("\(cause)" == "re-triaged by ed-consultant (reason recorded)")
        #expect(explanation.description.contains("re-triaged by ed-consultant (reason recorded)"))
        #expect(explanation.history.last?.cause == cause)
        expectNoPatientData(in: [decision, cause, explanation, explanation.history])
    }
}
