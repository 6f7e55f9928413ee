import CareCore
import ConsentAccess
import Foundation
import Testing

@Suite struct AccessControlTests {
    let claire: Access.PatientID
    let clock = ManualWallClock(startingAt: Fixtures.now)
    let storage = InMemoryAuditLogStorage()
    let control: AccessControl

    init() throws {
        claire = try Fixtures.patient("claire")
        var facts = AccessFacts()
        facts.record(PatientPrivacy(patient: claire, birthDate: try CivilDate(year: 1968, month: 3, day: 2)))
        facts.record(
            try Fixtures.relationship("rel-gp", patient: claire, organisation: "A81001", kind: .registeredPractice)
        )
        let log = try AuditLog(storage: storage, clock: clock)
        control = AccessControl(decisionPoint: try Fixtures.decisionPoint(facts), auditLog: log, clock: clock)
    }

    @Test func everyDecisionIsAuditedBeforeItIsReturned() async throws {
        let permitted = try await control.decide(
            .staff(Fixtures.gp()),
            patient: claire,
            dataClass: .carePlan,
            purpose: .directCare
        )
        let denied = try await control.decide(
            .staff(Fixtures.crew()),
            patient: claire,
            dataClass: .summary,
            purpose: .directCare
        )
        #expect(permitted.isPermitted)
        #expect(!denied.isPermitted)
        let entries = storage.loadEntries()
        #expect(entries.map(\.effect) == [.permit, .deny])
        #expect(entries[1].reasons == denied.reasons)
        #expect(AuditLog.verify(entries: entries, checkpoints: [], key: nil).isIntact)
    }

    @Test func breakGlassNeedsTheActivityAReasonAndALimitAndAlertsThePrivacyOfficer() async throws {
        let crew = try Fixtures.crew()
        let id = try BreakGlassGrant.ID(validating: "grant-1")
        let tooLong = try await #require(throws: ConsentAccessError.self) {
            try await control.breakGlass(
                session: crew,
                patient: claire,
                reason: .patientUnconscious,
                justification: Redacted("unresponsive"),
                duration: 5 * 3_600,
                id: id
            )
        }
        #expect(tooLong.code == .invalidValue)
        let blank = try await #require(throws: ConsentAccessError.self) {
            try await control.breakGlass(
                session: crew,
                patient: claire,
                reason: .other,
                justification: Redacted("  "),
                duration: 3_600,
                id: id
            )
        }
        #expect(blank.code == .invalidValue)
        let receptionist = try Fixtures.receptionist()
        let noActivity = try await #require(throws: ConsentAccessError.self) {
            try await control.breakGlass(
                session: receptionist,
                patient: claire,
                reason: .patientUnconscious,
                justification: Redacted("collapsed"),
                duration: 3_600,
                id: id
            )
        }
        #expect(noActivity.code == .notPermitted)
        #expect(storage.loadEntries().isEmpty)

        let grant = try await control.breakGlass(
            session: crew,
            patient: claire,
            reason: .patientUnconscious,
            justification: Redacted("unresponsive at home"),
            duration: 3_600,
            id: id
        )
        let decision = try await control.decide(.staff(crew), patient: claire, dataClass: .summary, purpose: .emergency)
        #expect(decision.isPermitted)
        #expect(decision.expiry == grant.expiry)
        let alerts = await control.openAlerts
        #expect(alerts.map(\.kind) == [.breakGlass, .breakGlass])
        #expect(storage.loadEntries().map(\.event) == [.breakGlass, .decision])

        clock.advance(by: .seconds(3_600))
        let after = try await control.decide(.staff(crew), patient: claire, dataClass: .summary, purpose: .emergency)
        #expect(!after.isPermitted)

        // Only a privacy officer reviews, never one reviewing their own access, and the review is audited.
        let selfReviewer = try Fixtures.session("crew", organisation: "RYF", role: "R0001", activities: ["B0015"])
        let own = try await #require(throws: ConsentAccessError.self) {
            try await control.review(alert: alerts[0].id, by: selfReviewer)
        }
        #expect(own.code == .notPermitted)
        let wrong = try await #require(throws: ConsentAccessError.self) {
            try await control.review(alert: alerts[0].id, by: crew)
        }
        #expect(wrong.code == .notPermitted)
        try await control.review(alert: alerts[0].id, by: Fixtures.privacyOfficer())
        #expect(await control.openAlerts.count == 1)
        #expect(storage.loadEntries().last?.event == .alertReviewed)
        let again = try await #require(throws: ConsentAccessError.self) {
            try await control.review(alert: alerts[0].id, by: Fixtures.privacyOfficer())
        }
        #expect(again.code == .notFound)
    }

    @Test func aPatientSeesWhoLookedAtTheirRecord() async throws {
        _ = try await control.decide(.staff(Fixtures.gp()), patient: claire, dataClass: .carePlan, purpose: .directCare)
        clock.advance(by: .seconds(60))
        let history = try #require(try await control.accessHistory(of: claire, for: .patient(claire)))
        #expect(history.count == 2)
        #expect(history[0].who == "Clinical Practitioner Access Role at A81001")
        #expect(history[0].what == "read care-plan")
        #expect(history[0].effect == .permit)
        #expect(history[1].who == "You")
        #expect(history[1].what == "read access-history")
        // Someone else cannot read it.
        let other = try Fixtures.patient("someone")
        #expect(try await control.accessHistory(of: claire, for: .patient(other)) == nil)
    }

    @Test func anAccessThatCannotBeAuditedDoesNotGoAhead() async throws {
        let log = try AuditLog(storage: AuditLogTests.FailingStorage(), clock: clock)
        let failing = AccessControl(decisionPoint: await control.decisionPoint, auditLog: log, clock: clock)
        let error = try await #require(throws: ConsentAccessError.self) {
            try await failing.decide(.staff(Fixtures.gp()), patient: claire, dataClass: .carePlan, purpose: .directCare)
        }
        #expect(error.code == .storageFailure)
    }

    @Test func factsRecordedThroughControlTakePartInDecisions() async throws {
        let nurse = try Fixtures.session("nurse", organisation: "REF", role: "R8001", activities: ["B0380"])
        #expect(
            try await !control.decide(.staff(nurse), patient: claire, dataClass: .carePlan, purpose: .directCare)
                .isPermitted
        )
        await control.record(
            try Fixtures.relationship("rel-ref", patient: claire, organisation: "REF", kind: .referral)
        )
        #expect(
            try await control.decide(.staff(nurse), patient: claire, dataClass: .carePlan, purpose: .directCare)
                .isPermitted
        )
        await control.record(
            ConsentDirective(
                id: try ConsentDirective.ID(validating: "c-1"),
                patient: claire,
                recorded: Fixtures.now,
                provision: ConsentProvision(.deny, actors: [.organisation(try Fixtures.ods("REF"))])
            )
        )
        #expect(
            try await !control.decide(.staff(nurse), patient: claire, dataClass: .carePlan, purpose: .directCare)
                .isPermitted
        )
        // Replacing the directive with an inactive one lifts the denial.
        await control.record(
            ConsentDirective(
                id: try ConsentDirective.ID(validating: "c-1"),
                patient: claire,
                status: .inactive,
                recorded: Fixtures.now,
                provision: ConsentProvision(.deny, actors: [.organisation(try Fixtures.ods("REF"))])
            )
        )
        #expect(
            try await control.decide(.staff(nurse), patient: claire, dataClass: .carePlan, purpose: .directCare)
                .isPermitted
        )
    }
}
