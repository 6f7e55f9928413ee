import Appointments
import CareCore
import CareJourneys
import CarePlans
import CareStore
import ConsentAccess
import FHIREncoding
import Foundation
import PatientIdentity
import Testing
import TriageScoring

/// A new folder for one test's store.
func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "care-journeys-tests-\(UUID().uuidString)",
        isDirectory: true
    )
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// The narrative a journey printed, kept for the few checks that read it.
final class Transcript: Sendable {
    private let lines = Locked<[String]>([])

    /// The narrator that appends to the transcript.
    var narrator: Narrator { { [lines] line in lines.withLock { $0.append(line) } } }

    /// Everything said so far, one line per element.
    var text: [String] { lines.withLock { $0 } }
}

/// Every outcome of one run of all four journeys.
struct AllJourneys {
    let claire: ClairesJourney.Outcome
    let john: JohnsJourney.Outcome
    let phil: PhilsJourney.Outcome
    let lucy: LucysJourney.Outcome
    let transcript: Transcript

    static func run(in store: JourneyStore) async throws -> AllJourneys {
        let transcript = Transcript()
        let say = transcript.narrator
        return AllJourneys(
            claire: try await ClairesJourney(store: store, say: say).run(),
            john: try await JohnsJourney(store: store, say: say).run(),
            phil: try await PhilsJourney(store: store, say: say).run(),
            lucy: try await LucysJourney(store: store, say: say).run(),
            transcript: transcript
        )
    }

    var summaries: [JourneySummary] { [claire.summary, john.summary, phil.summary, lucy.summary] }
}

/// Each journey's FHIR Bundle, as `care-journey` writes it.
func bundles(of outcomes: AllJourneys, in store: JourneyStore) throws -> [JourneyName: [UInt8]] {
    var written: [JourneyName: [UInt8]] = [:]
    for summary in outcomes.summaries {
        let bundle = try store.bundle(of: summary)
        written[summary.journey] = JSONWriter(style: .pretty).write(.object(bundle.json))
    }
    return written
}

@Suite("The strategy's journeys, end to end on the real modules and a SQLite store")
struct JourneyTests {
    @Test("Claire is recognised across organisations, cared for in an emergency and followed home")
    func claire() async throws {
        let store = try JourneyStore(folder: try temporaryFolder(), seed: 2026)
        let outcome = try await ClairesJourney(store: store, say: { _ in }).run()

        // Two organisations' records, the hospital's recognised as the GP's through the index.
        #expect(outcome.summary.records == ["l82999-40017", "ref-700412"])
        #expect(!outcome.summary.foundEarlierRun)
        #expect(outcome.hospitalRecognition == .certain)
        let records = try store.patients.records().filter { outcome.summary.records.contains($0.id.rawValue) }
        #expect(records.count == 2)
        #expect(Set(records.compactMap { $0.nhsNumber?.value?.digits }) == ["9990000018"])

        // The clinic appointment was moved once; the change and both reminders joined her record.
        let appointment = try #require(outcome.appointment)
        #expect(appointment.status == .booked)
        #expect(appointment.version == 2)
        let messages = try store.resources.search(StoreQuery(type: "Communication", reference: "Patient/l82999-40017"))
        #expect(
            messages.map(\.id).sorted() == [
                "claire-hf-clinic-1-change", "claire-hf-clinic-1-day-before", "claire-hf-clinic-1-hour-before",
            ]
        )
        let hospitalRecord = try #require(records.first { $0.id.rawValue == "ref-700412" })
        #expect(hospitalRecord.nhsNumber?.value?.verificationStatus == .traceRequired)

        // Her plan: five versions, active, ReSPECT in force, and the proposal she made accepted.
        let plan = try #require(outcome.plan)
        #expect(plan.version == 5)
        #expect(plan.status == .active)
        #expect(plan.content.advanceCarePlan.respect?.cpr == .attemptsNotRecommended)
        #expect(plan.content.goals.first?.target == "2 miles")
        #expect(plan.proposals.map { $0.decision?.accepted } == [true])

        // The crew's read was permitted, audited, and kept the safeguarding note out.
        let crew = try #require(outcome.crewDecision)
        #expect(crew.isPermitted)
        #expect(crew.obligations.contains(.audit))
        #expect(crew.hiddenItems.map(\.rawValue) == ["claire-safeguarding-note"])

        // NEWS2 9 on arrival raises her to orange, second on the board.
        let score = try #require(outcome.arrivalScore)
        #expect(score.total == 9)
        #expect(score.response == .high)
        #expect(outcome.boardPosition == 2)

        // The community team is refused before discharge and permitted after it.
        #expect(outcome.communityDecisions.map(\.effect) == [.deny, .permit])
        #expect(outcome.communityDecisions.first?.reasons.contains(.noRelationship) == true)

        // The virtual ward raised an urgent alert and escalated it when nobody acknowledged it in time.
        #expect(
            outcome.wardEvents.contains {
                if case .raised(let alert) = $0 { alert.severity == .urgent } else { false }
            }
        )
        #expect(
            outcome.wardEvents.contains {
                if case .escalated(_, let recipient) = $0 { recipient == "virtual-ward clinician" } else { false }
            }
        )

        // Claire sees every look at her record, and the stored log verifies.
        #expect(outcome.accessHistory.map(\.effect) == [.permit, .deny, .permit, .permit])
        #expect(outcome.audit.isIntact)
        #expect(try store.audit.loadEntries().count == 4)
    }

    @Test("John books from the diary, is reminded the day before and the hour before, and moves to video")
    func john() async throws {
        let store = try JourneyStore(folder: try temporaryFolder(), seed: 2026)
        let outcome = try await JohnsJourney(store: store, say: { _ in }).run()
        let london = try CivilTimeZone.europeLondon()

        let ids = outcome.appointments.map(\.id.rawValue)
        #expect(ids == ["john-follow-up-1", "john-follow-up-2"])
        let first = try #require(outcome.appointments.first)
        #expect(first.status == .fulfilled)
        #expect(outcome.appointments.last?.status == .booked)
        #expect(outcome.appointments.last?.channel == .video)

        // The day-before reminder keeps the London clock time across the October change; the hour-before
        // one is 3,600 seconds before.
        #expect(outcome.reminders.map(\.kind) == [.dayBefore, .hourBefore])
        try #require(outcome.reminders.count == 2)
        let start = try london.localDateTime(at: first.start)
        let dayBefore = try london.localDateTime(at: outcome.reminders[0].sendAt)
        #expect(dayBefore.date == start.date.adding(days: -1))
        #expect(dayBefore.secondsSinceMidnight == start.secondsSinceMidnight)
        #expect(outcome.reminders[1].sendAt == first.start.addingTimeInterval(-3_600))
        #expect(outcome.messages.map(\.kind) == [.confirmation, .reminder, .reminder, .change])

        // The messages joined his record as Communications.
        let kept = try store.resources.search(StoreQuery(type: "Communication", reference: "Patient/l82999-40233"))
        #expect(kept.count == 4)
    }

    @Test("Phil is reached only by phone and letter, and his plan passes from consultant to GP")
    func phil() async throws {
        let store = try JourneyStore(folder: try temporaryFolder(), seed: 2026)
        let outcome = try await PhilsJourney(store: store, say: { _ in }).run()

        let plan = try #require(outcome.plan)
        #expect(plan.versions.first?.content.owner?.role == "consultant respiratory physician")
        #expect(plan.content.owner?.role == "GP")
        #expect(plan.content.owner?.organisation.description == "L82999")
        #expect(plan.version == 3)

        #expect(outcome.messages.count == 3)
        #expect(outcome.messages.allSatisfy { $0.channel.map { !$0.isDigital } ?? false })
        #expect(outcome.messages.first?.channel == .letter)
        #expect(outcome.messages.first?.largePrint == true)
        #expect(outcome.reminders.map(\.channel) == [.phone, .phone])
        #expect(outcome.appointment?.status == .booked)
    }

    @Test("Lucy's own access and her mother's follow the rules for a 15-year-old")
    func lucy() async throws {
        let store = try JourneyStore(folder: try temporaryFolder(), seed: 2026)
        let outcome = try await LucysJourney(store: store, say: { _ in }).run()

        let effects = outcome.decisions.map { "\($0.label): \($0.decision.effect.rawValue)" }
        #expect(
            effects == [
                "her mother reads her appointments: permit",
                "her mother reads her care plan: deny",
                "Lucy reads her own care plan: deny",
                "Lucy reads her own care plan: permit",
                "her mother reads her care plan: permit",
                "her mother reads her sexual health: deny",
                "her mother reads safeguarding records: deny",
            ]
        )
        let reasons = outcome.decisions.map(\.decision.reasons)
        try #require(reasons.count == 7)
        #expect(reasons[0].contains(.administrativeAccessOnly))
        #expect(reasons[2] == [.competenceNotEstablished])
        #expect(reasons[3].contains(.gillickCompetent))
        #expect(reasons[5].contains { if case .consentDenies = $0 { true } else { false } })

        // The safeguarding note reaches Lucy's view and never her mother's.
        #expect(outcome.lucysView.map(\.id).contains(outcome.safeguardingNote))
        #expect(!outcome.mothersView.map(\.id).contains(outcome.safeguardingNote))
        #expect(!outcome.mothersView.isEmpty)
        #expect(outcome.directives.map(\.id.rawValue) == ["lucy-proxy-sexual-health"])
        #expect(outcome.audit.isIntact)
        #expect(try store.audit.loadEntries().count == outcome.decisions.count)
    }

    @Test("A view shows nothing under a refusal and never an item the decision hides")
    func views() {
        let items = [
            LucysJourney.Item(id: "a", text: "first"),
            LucysJourney.Item(id: "note", text: "withheld"),
        ]
        let refused = AccessDecision(effect: .deny, reasons: [.noProxyAuthority], obligations: [.audit])
        #expect(LucysJourney.view(of: items, under: refused).isEmpty)
        let note = Access.ItemID(unchecked: "note")
        let permitted = AccessDecision(
            effect: .permit,
            reasons: [.ownRecord],
            obligations: [.audit, .hideItems([note])]
        )
        #expect(LucysJourney.view(of: items, under: permitted).map(\.id) == ["a"])
    }

    @Test("A second run finds every person through the index, writes nothing and writes the same Bundles")
    func secondRun() async throws {
        let folder = try temporaryFolder()
        let first = try JourneyStore(folder: folder, seed: 2026)
        let firstRun = try await AllJourneys.run(in: first)
        #expect(firstRun.summaries.allSatisfy { !$0.foundEarlierRun })
        let versions = try first.versions()
        let auditEntries = try first.audit.loadEntries()
        let firstBundles = try bundles(of: firstRun, in: first)

        let second = try JourneyStore(folder: folder, seed: 2026)
        let secondRun = try await AllJourneys.run(in: second)
        #expect(secondRun.summaries.allSatisfy { $0.foundEarlierRun })
        #expect(secondRun.summaries.map(\.records) == firstRun.summaries.map(\.records))
        #expect(try second.versions() == versions)
        #expect(try second.audit.loadEntries() == auditEntries)
        #expect(try second.patients.records().count == 6)
        #expect(try bundles(of: secondRun, in: second) == firstBundles)
        #expect(secondRun.transcript.text.filter { $0.contains("found in the patient index") }.count == 6)

        // What the second run read back is what the first wrote.
        #expect(secondRun.claire.plan == firstRun.claire.plan)
        #expect(secondRun.john.appointments == firstRun.john.appointments)
        #expect(secondRun.phil.plan == firstRun.phil.plan)
        #expect(secondRun.lucy.directives == firstRun.lucy.directives)
    }

    @Test(
        "Each journey also runs alone, and a later journey finds the earlier one's people",
        arguments: JourneyName.allCases
    )
    func alone(_ journey: JourneyName) async throws {
        let store = try JourneyStore(folder: try temporaryFolder(), seed: 7)
        func run() async throws -> JourneySummary {
            switch journey {
            case .claire: try await ClairesJourney(store: store, say: { _ in }).run().summary
            case .john: try await JohnsJourney(store: store, say: { _ in }).run().summary
            case .phil: try await PhilsJourney(store: store, say: { _ in }).run().summary
            case .lucy: try await LucysJourney(store: store, say: { _ in }).run().summary
            }
        }
        let first = try await run()
        #expect(!first.foundEarlierRun)
        let versions = try store.versions()
        let again = try await run()
        #expect(again.foundEarlierRun)
        #expect(again.records == first.records)
        #expect(try store.versions() == versions)
    }

    @Test("Journeys run in another order share one patient index and register each person once")
    func laterJourneyFindsEarlierPeople() async throws {
        let store = try JourneyStore(folder: try temporaryFolder(), seed: 2026)
        _ = try await LucysJourney(store: store, say: { _ in }).run()
        let claire = try await ClairesJourney(store: store, say: { _ in }).run()
        _ = try await PhilsJourney(store: store, say: { _ in }).run()
        #expect(claire.summary.records == ["l82999-40017", "ref-700412"])
        let ids = try store.patients.records().map(\.id.rawValue).sorted()
        #expect(ids == ["l82999-38820", "l82999-40017", "l82999-41502", "ref-651190", "ref-700412"])
    }

    @Test("A store holding part of an earlier run is refused, and nothing more is written")
    func partialEarlierRun() async throws {
        let store = try JourneyStore(folder: try temporaryFolder(), seed: 2026)
        _ = try await ClairesJourney(store: store, say: { _ in }).run()
        // Take away Claire's plans, as if the first run had stopped before writing them.
        for plan in try store.resources.search(StoreQuery(type: "CarePlan")) {
            _ = try store.resources.delete("CarePlan", id: plan.id, expectedVersion: plan.version)
        }
        let versions = try store.versions()
        await #expect(throws: JourneyStoreFailure.self) {
            _ = try await ClairesJourney(store: store, say: { _ in }).run()
        }
        #expect(try store.versions() == versions)
    }

    @Test("Every Bundle holds the person's records and reads back as strict FHIR R4")
    func bundleContents() async throws {
        let store = try JourneyStore(folder: try temporaryFolder(), seed: 2026)
        let outcomes = try await AllJourneys.run(in: store)
        for (journey, bytes) in try bundles(of: outcomes, in: store) {
            let bundle = try R4.Bundle(json: try #require(JSONReader().read(bytes).object), mode: .strict)
            let types = bundle.entry.compactMap { $0.resource?.resourceType }
            let summary = try #require(outcomes.summaries.first { $0.journey == journey })
            #expect(types.filter { $0 == "Patient" }.count == summary.records.count, "\(journey)")
            switch journey {
            case .claire:
                #expect(
                    Set(types).isSuperset(of: ["Appointment", "CarePlan", "Observation", "Encounter", "AuditEvent"])
                )
            case .john: #expect(types.filter { $0 == "Appointment" }.count == 2)
            case .phil: #expect(types.filter { $0 == "Communication" }.count == 3)
            case .lucy: #expect(Set(types).isSuperset(of: ["CarePlan", "Consent", "AuditEvent"]))
            }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.contains("\"fullUrl\": \"https://integratedcarekit.example/fhir/Patient/"))
            // No NHS number, name or date of birth appears in an AuditEvent: the log knows people by record id.
            for entry in bundle.entry {
                guard case .auditEvent(let event)? = entry.resource else { continue }
                let json = String(decoding: JSONWriter().write(.object(event.json)), as: UTF8.self)
                for value in ["9990000", "Claire", "Clare", "O'Neill", "Lucy", "Chenoweth", "1958-07-14", "2011-05-02"]
                {
                    #expect(!json.contains(value), "\(journey): an AuditEvent holds patient data")
                }
            }
        }
    }
}
