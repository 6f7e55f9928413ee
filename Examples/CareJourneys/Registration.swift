import CareCore
import CareStore
import Foundation
import PatientIdentity

/// How one organisation's system holds a person when they present: the details its receptionist or crew
/// types in, with the organisation's own patient number. Synthetic people only; the NHS numbers are from the
/// 999 test range.
struct Presentation {
    let organisation: String
    let localNumber: String
    let nhsNumber: String?
    let given: String
    let family: String
    let birthDate: String
    let gender: AdministrativeGender
    let line: String
    let town: String
    let postcode: String
    let channels: [CommunicationChannel]
    let noDigital: Bool

    /// The system the organisation's patient numbers belong to.
    var numberSystem: IdentifierSystem {
        IdentifierSystem(rawValue: "https://integratedcarekit.example/Id/\(organisation.lowercased())-patient-number")
    }

    /// The record the organisation's system would send, under an id.
    func record(id: PatientRecord.ID) throws -> PatientRecord {
        let ods = try ODSCode(parsing: organisation)
        return PatientRecord(
            id: id,
            nhsNumber: nhsNumber.map { Recorded(text: $0, value: NHSNumber($0)) },
            identifiers: [try Identifier(system: numberSystem, value: localNumber, assigner: ods)],
            names: [try HumanName(use: .official, given: [given], family: family)],
            birthDate: Recorded(text: birthDate, value: try? FHIRDate(parsing: birthDate)),
            gender: gender,
            addresses: [
                try Address(use: .home, lines: [line], city: town, postcode: try Postcode(parsing: postcode))
            ],
            communication: try CommunicationPreferences(preferredChannels: channels, noDigital: noDigital),
            registeredPractice: try ODSCode(parsing: Journey.practice),
            sourceOrganisation: ods
        )
    }
}

/// The outcome of presenting a person to the shared patient index.
struct Registration {
    /// What the index made of the person.
    enum Outcome: Equatable {
        /// The organisation already holds the person: an earlier run registered them.
        case found
        /// The organisation had no record, but another organisation's record is the same person.
        case recognised(sameAs: PatientRecord.ID, grade: MatchGrade, probability: Double)
        /// Nobody holds the person yet.
        case new
    }

    /// The organisation's record of the person, as stored.
    let record: PatientRecord
    /// What the index made of them.
    let outcome: Outcome

    /// A line for the narrative, naming records by id and the match by grade, never by name.
    var line: String {
        let organisation = record.sourceOrganisation?.description ?? "-"
        switch outcome {
        case .found:
            return "\(organisation) already holds record \(record.id): found in the patient index, nothing added"
        case .recognised(let other, let grade, let probability):
            let match = "\(grade.rawValue), p = \(String(format: "%.4f", probability))"
            return
                "\(organisation) had no record; the index matched record \(other) (\(match)), so \(organisation)'s new "
                + "record \(record.id) takes its NHS number, marked for a PDS trace"
        case .new:
            return "\(organisation) registers new record \(record.id): nobody held this person"
        }
    }
}

extension JourneyStore {
    /// The patient index over every stored record: the real-time registration check.
    ///
    /// - Returns: The index.
    /// - Throws: The store's errors.
    func patientIndex() throws -> PatientIndex {
        var index = PatientIndex()
        try index.insert(contentsOf: try patients.records())
        return index
    }

    /// Presents a person to the index: finds the organisation's own record if it holds one; otherwise
    /// writes a new record, taking the NHS number from another organisation's record when the index is sure
    /// enough (the automatic-link threshold) that it is the same person.
    ///
    /// - Parameters:
    ///   - presentation: The details as the organisation holds them.
    ///   - index: The index, which gains the new record.
    /// - Returns: The stored record and what the index made of the person.
    /// - Throws: The store's or the index's errors.
    func register(_ presentation: Presentation, in index: inout PatientIndex) throws -> Registration {
        let incoming = try presentation.record(id: PatientRecord.ID(validating: "incoming-registration"))
        let sure = index.match(incoming).filter { $0.probability >= index.thresholds.automaticLink }
        let organisation = try ODSCode(parsing: presentation.organisation)
        if let same = sure.first(where: { index.record($0.recordID)?.sourceOrganisation == organisation }),
            let record = index.record(same.recordID)
        {
            return Registration(record: record, outcome: .found)
        }
        var record = try presentation.record(
            id: PatientRecord.ID(validating: "\(presentation.organisation.lowercased())-\(presentation.localNumber)")
        )
        var outcome = Registration.Outcome.new
        if let other = sure.first, let match = index.record(other.recordID) {
            // The number comes from a probabilistic match, not from PDS: it needs a trace before it is relied on.
            if record.nhsNumber == nil, let number = match.nhsNumber?.value {
                let copied = number.withVerificationStatus(.traceRequired)
                record.nhsNumber = Recorded(text: copied.digits, value: copied)
            }
            outcome = .recognised(sameAs: match.id, grade: other.grade, probability: other.probability)
        }
        try patients.save([record])
        try index.insert(record)
        return Registration(record: record, outcome: outcome)
    }
}

/// The journeys' people as each organisation holds them.
enum People {
    /// Claire at her GP practice.
    static let claireAtPractice = Presentation(
        organisation: Journey.practice,
        localNumber: "40017",
        nhsNumber: "9990000018",
        given: "Claire",
        family: "O'Neill-Pascoe",
        birthDate: "1958-07-14",
        gender: .female,
        line: "4 Harbour View",
        town: "Truro",
        postcode: "TR1 3LJ",
        channels: [.app, .sms],
        noDigital: false
    )
    /// Claire as the hospital's booking clerk types her in: a nickname spelling, no hyphen, no NHS number.
    static let claireAtHospital = Presentation(
        organisation: Journey.hospital,
        localNumber: "700412",
        nhsNumber: nil,
        given: "Clare",
        family: "O'Neill Pascoe",
        birthDate: "1958-07-14",
        gender: .female,
        line: "4 Harbour View",
        town: "Truro",
        postcode: "tr1 3lj",
        channels: [.app, .sms],
        noDigital: false
    )
    /// John at his GP practice.
    static let johnAtPractice = Presentation(
        organisation: Journey.practice,
        localNumber: "40233",
        nhsNumber: "9990000026",
        given: "John",
        family: "Penhaligon",
        birthDate: "1961-11-03",
        gender: .male,
        line: "12 Fore Street",
        town: "Bodmin",
        postcode: "PL31 2QN",
        channels: [.sms, .email],
        noDigital: false
    )
    /// Phil at his GP practice: no digital access, by phone and letter.
    static let philAtPractice = Presentation(
        organisation: Journey.practice,
        localNumber: "38820",
        nhsNumber: "9990000034",
        given: "Phil",
        family: "Trevithick",
        birthDate: "1944-02-21",
        gender: .male,
        line: "Chapel Cottage",
        town: "St Just",
        postcode: "TR19 7HX",
        channels: [.phone, .letter],
        noDigital: true
    )
    /// Phil as the hospital holds him, from his respiratory clinic.
    static let philAtHospital = Presentation(
        organisation: Journey.hospital,
        localNumber: "651190",
        nhsNumber: "9990000034",
        given: "Philip",
        family: "Trevithick",
        birthDate: "1944-02-21",
        gender: .male,
        line: "Chapel Cottage",
        town: "St Just",
        postcode: "TR19 7HX",
        channels: [.letter],
        noDigital: true
    )
    /// Lucy at her GP practice.
    static let lucyAtPractice = Presentation(
        organisation: Journey.practice,
        localNumber: "41502",
        nhsNumber: "9990000042",
        given: "Lucy",
        family: "Chenoweth",
        birthDate: "2011-05-02",
        gender: .female,
        line: "7 Wheal Rose",
        town: "Redruth",
        postcode: "TR15 3QE",
        channels: [.app],
        noDigital: false
    )
}
