import CareCore
import Foundation
import Synchronization
import Testing

@testable import CarePlans

func moment(_ text: String) throws -> Date { try Instant(parsing: text).date }
func day(_ text: String) throws -> CivilDate { try CivilDate(parsing: text) }

/// The code of the `CarePlansError` a body throws, or `nil` when it throws nothing.
func code(_ body: () throws -> Void) -> CarePlansError.Code? {
    do {
        try body()
        return nil
    } catch {
        return (error as? CarePlansError)?.code
    }
}

func change(
    _ author: String = "Dr Pascoe",
    role: String = "GP",
    at: String = "2026-07-06T09:00:00+01:00",
    reason: String = "Review"
) throws -> PlanChange {
    try PlanChange(author: author, role: role, organisation: ODSCode("L82999"), at: moment(at), reason: reason)
}

/// Claire's plan as she first writes it with her GP.
func clairesDraft() throws -> PlanContent {
    PlanContent(
        title: "Claire's heart failure plan",
        aboutMe: AboutMe(pleaseCallMe: "Claire", whatMattersToMe: "Staying at home and walking my dog"),
        goals: [
            Goal(
                id: Goal.ID(unchecked: "walk"),
                description: "Walk the dog to the harbour",
                expressedBy: .patient,
                measure: "walking distance",
                target: "1 mile",
                due: try day("2026-09-30")
            )
        ],
        actions: [
            PlanAction(id: PlanAction.ID(unchecked: "weigh"), what: "Weigh every morning", owner: "Claire")
        ],
        contacts: [
            NamedContact(
                id: NamedContact.ID(unchecked: "daughter"),
                name: "Amy",
                relationship: "daughter",
                telephone: "07700 900123",
                isEmergencyContact: true
            )
        ],
        careTeam: [CareTeamMember(name: "Dr Pascoe", role: "GP", organisation: ODSCode("L82999"), isLead: true)],
        communication: try CommunicationPreferences(preferredChannels: [.sms]),
        reviewDate: try day("2026-10-01")
    )
}

@Suite struct PlanStatusTests {
    @Test func followsTheLifecycleTableExactly() {
        let allowed: Set<String> = [
            "draft>active", "draft>revoked", "draft>entered-in-error",
            "active>on-hold", "active>completed", "active>revoked", "active>entered-in-error",
            "on-hold>active", "on-hold>revoked", "on-hold>entered-in-error",
            "completed>entered-in-error", "revoked>entered-in-error",
        ]
        for from in PlanStatus.allCases {
            for to in PlanStatus.allCases {
                #expect(from.canMove(to: to) == allowed.contains("\(from.rawValue)>\(to.rawValue)"), "\(from) → \(to)")
            }
        }
        #expect(PlanStatus.allCases.filter(\.isEditable) == [.draft, .active, .onHold])
    }
}

@Suite struct CarePlanVersionTests {
    private func draft() throws -> CarePlan {
        try CarePlan(
            id: CarePlan.ID(unchecked: "plan-1"),
            patient: CarePlan.PatientID(unchecked: "claire"),
            content: clairesDraft(),
            change: change("Claire", role: "patient", reason: "First draft")
        )
    }

    @Test func everyChangeIsANewVersionWithItsAuthorAndReason() throws {
        var plan = try draft()
        #expect(plan.version == 1 && plan.status == .draft)
        let respect = ReSPECTRecommendations(
            cpr: .attemptsNotRecommended,
            careFocus: .comfort,
            specificRecommendations: ["For ward-based care; not for intensive care"],
            hospitalAdmissionWanted: true,
            recordedBy: "Dr Pascoe, GP",
            recordedOn: try day("2026-07-06")
        )
        plan = try plan.revised(expectedVersion: 1, change: change(reason: "ReSPECT discussion")) { content in
            content.advanceCarePlan.respect = respect
        }
        plan = try plan.moved(expectedVersion: 2, to: .active, change: change(reason: "Agreed with Claire"))
        #expect(plan.versions.map(\.number) == [1, 2, 3])
        #expect(plan.versions.map(\.status) == [.draft, .draft, .active])
        #expect(plan.versions.map(\.change.reason) == ["First draft", "ReSPECT discussion", "Agreed with Claire"])
        #expect(try plan.version(1).content.advanceCarePlan.respect == nil)
        #expect(plan.content.advanceCarePlan.respect?.cpr == .attemptsNotRecommended)
        #expect(throws: CarePlansError.self) { try plan.version(4) }
    }

    @Test func aStaleVersionIsAConflict() throws {
        let plan = try draft()
        let first = try plan.revised(expectedVersion: 1, change: change()) { $0.title = "Claire's plan" }
        #expect(
            throws: CarePlansError(
                .versionConflict,
                field: FieldPath("version"),
                reason: "the plan has changed since this version; read it again"
            )
        ) {
            _ = try first.revised(expectedVersion: 1, change: change()) { $0.title = "Another" }
        }
        #expect(throws: CarePlansError.self) { _ = try first.moved(expectedVersion: 1, to: .active, change: change()) }
    }

    @Test func refusesInvalidContentAndEmptyChanges() throws {
        let plan = try draft()
        func code(_ edit: (inout PlanContent) -> Void) -> CarePlansError.Code? {
            do {
                _ = try plan.revised(expectedVersion: 1, change: change()) { content in edit(&content) }
                return nil
            } catch {
                return (error as? CarePlansError)?.code
            }
        }
        #expect(code { $0.title = "  " } == .invalidValue)
        #expect(code { $0.aboutMe.whatMattersToMe = "" } == .invalidValue)
        #expect(code { $0.goals.append($0.goals[0]) } == .invalidValue)
        #expect(code { $0.actions[0].owner = "" } == .invalidValue)
        #expect(code { $0.contacts[0].name = "" } == .invalidValue)
        #expect(code { _ in } == .invalidValue)
        #expect(throws: CarePlansError.self) {
            _ = try PlanChange(
                author: "Dr Pascoe",
                role: "GP",
                organisation: nil,
                at: moment("2026-07-06T09:00:00Z"),
                reason: ""
            )
        }
    }

    @Test func finalPlansCannotChangeAndCompletionNeedsEveryActionFinished() throws {
        var plan = try draft().moved(expectedVersion: 1, to: .active, change: change())
        #expect(throws: CarePlansError.self) {
            _ = try plan.moved(expectedVersion: 2, to: .completed, change: change())
        }
        plan = try plan.revised(expectedVersion: 2, change: change()) { $0.actions[0].status = .completed }
        plan = try plan.moved(expectedVersion: 3, to: .completed, change: change())
        do {
            _ = try plan.revised(expectedVersion: 4, change: change()) { $0.title = "Reopened" }
            Issue.record("a completed plan was edited")
        } catch {
            #expect((error as? CarePlansError)?.code == .notEditable)
        }
        do {
            _ = try plan.moved(expectedVersion: 4, to: .active, change: change())
            Issue.record("a completed plan was reopened")
        } catch {
            #expect((error as? CarePlansError)?.code == .invalidTransition)
        }
        plan = try plan.moved(expectedVersion: 4, to: .enteredInError, change: change(reason: "Wrong patient"))
        #expect(plan.status == .enteredInError)
    }

    @Test func diffsAnyTwoVersionsFieldByField() throws {
        var plan = try draft()
        let entry = Goal.Progress(
            date: try day("2026-07-20"),
            note: "Half a mile",
            achievement: .improving,
            recordedBy: .patient
        )
        plan = try plan.revised(expectedVersion: 1, change: change("Claire", role: "patient")) { content in
            content.goals.insert(
                Goal(id: Goal.ID(unchecked: "garden"), description: "Plant the vegetable bed", expressedBy: .patient),
                at: 0
            )
            content.goals[1].progress.append(entry)
        }
        plan = try plan.moved(expectedVersion: 2, to: .active, change: change())
        let changes = try plan.diff(from: 1, to: 3)
        let paths = changes.map(\.path)
        #expect(paths.first == "status")
        #expect(changes.first?.before == "draft" && changes.first?.after == "active")
        // The inserted goal is named by its id; the existing goal is not reported as moved.
        #expect(paths.contains("goals[garden].description"))
        #expect(!paths.contains("goals[walk].description"))
        #expect(paths.contains("goals[walk].progress[0].note"))
        // The list that was empty is reported by its new member, not as a change of its own.
        #expect(!paths.contains("goals[walk].progress"))
        let note = try #require(changes.first { $0.path == "goals[walk].progress[0].note" })
        #expect(note.before == nil && note.after == "\"Half a mile\"")
        #expect(try plan.diff(from: 2, to: 2).isEmpty)
        #expect(try plan.diff(from: 3, to: 1).count == changes.count)
    }
}

@Suite struct CarePlanRestoringTests {
    private let id = CarePlan.ID(unchecked: "plan-1")
    private let patient = CarePlan.PatientID(unchecked: "claire")

    private func version(_ number: Int, _ status: PlanStatus, content: PlanContent? = nil) throws -> PlanVersion {
        PlanVersion(
            number: number,
            status: status,
            content: try content ?? clairesDraft(),
            change: try change("Dr Pascoe", role: "GP", reason: "restored")
        )
    }

    @Test func restoresAWholeHistoryAndRefusesOneThatCouldNotHaveHappened() throws {
        let history = [
            try version(1, .draft), try version(2, .active), try version(3, .active), try version(4, .onHold),
        ]
        let plan = try CarePlan(restoring: id, patient: patient, versions: history)
        #expect(plan.versions == history && plan.status == .onHold && plan.proposals.isEmpty)

        func refusal(_ versions: [PlanVersion]) -> CarePlansError? {
            do {
                _ = try CarePlan(restoring: id, patient: patient, versions: versions)
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal([])?.field.description == "versions")
        #expect(refusal([try version(1, .draft), try version(3, .active)])?.field.description == "versions[1].number")
        #expect(
            refusal([try version(1, .revoked), try version(2, .active)])?.field.description == "versions[1].status"
        )
        #expect(
            refusal([try version(1, .revoked), try version(2, .revoked)])?.field.description == "versions[1].status"
        )
        var open = try clairesDraft()
        open.actions = [PlanAction(id: PlanAction.ID(unchecked: "a"), what: "Walk", owner: "the person")]
        #expect(
            refusal([try version(1, .active), try version(2, .completed, content: open)])?.field.description
                == "versions[1].content.actions"
        )
        var untitled = try clairesDraft()
        untitled.title = " "
        #expect(refusal([try version(1, .draft, content: untitled)])?.field.description == "versions[0].content.title")
    }
}

@Suite struct CarePlanRegistryTests {
    @Test func concurrentEditsAgainstOneVersionLetExactlyOneThrough() async throws {
        let registry = try CarePlanRegistry()
        let plan = try CarePlan(
            id: CarePlan.ID(unchecked: "plan-1"),
            patient: CarePlan.PatientID(unchecked: "claire"),
            content: clairesDraft(),
            change: change()
        )
        try await registry.add(plan)
        await #expect(throws: CarePlansError.self) { try await registry.add(plan) }
        let outcomes = await withTaskGroup(of: CarePlansError.Code?.self) { group in
            for writer in 0..<20 {
                group.addTask {
                    do {
                        let edit = try change("Writer \(writer)")
                        _ = try await registry.revise(plan.id, expectedVersion: 1, change: edit) {
                            $0.title = "Edited by writer \(writer)"
                        }
                        return nil
                    } catch let error as CarePlansError {
                        return error.code
                    } catch {
                        return CarePlansError.Code(rawValue: "unexpected")
                    }
                }
            }
            var collected: [CarePlansError.Code?] = []
            for await outcome in group { collected.append(outcome) }
            return collected
        }
        #expect(outcomes.filter { $0 == nil }.count == 1)
        #expect(outcomes.filter { $0 == .versionConflict }.count == 19)
        #expect(await registry.plan(plan.id)?.version == 2)
        #expect(await registry.plans(of: CarePlan.PatientID(unchecked: "claire")).count == 1)
        await #expect(throws: CarePlansError.self) {
            _ = try await registry.move(
                CarePlan.ID(unchecked: "nope"),
                expectedVersion: 1,
                to: .active,
                change: change()
            )
        }
    }
}

/// A store that can be told to fail.
final class FailingPlanStore: CarePlanStore {
    let inner = InMemoryCarePlanStore()
    let failing = Mutex(false)

    func loadAll() -> [CarePlan] { inner.loadAll() }

    func commit(_ plan: CarePlan) throws {
        struct Refused: Error {}
        if failing.withLock({ $0 }) { throw Refused() }
        inner.commit(plan)
    }
}

@Suite struct CarePlanStoreTests {
    /// A plan with every section filled, so that storing it exercises every field.
    private func fullPlan() throws -> CarePlan {
        var content = try clairesDraft()
        content.aboutMe = AboutMe(
            pleaseCallMe: "Claire",
            whatMattersToMe: "Home",
            howToCommunicateWithMe: "Slowly",
            peopleImportantToMe: "Amy",
            aGoodDay: "Sun"
        )
        content.goals[0].progress = [
            Goal.Progress(date: try day("2026-07-20"), note: "Better", achievement: .improving, recordedBy: .carer)
        ]
        content.goals[0].achievement = .improving
        content.actions[0].due = try day("2026-08-01")
        content.contacts.append(
            NamedContact(
                id: NamedContact.ID(unchecked: "sg"),
                name: "Team",
                relationship: "safeguarding lead",
                isSafeguardingContact: true
            )
        )
        content.advanceCarePlan = AdvanceCarePlan(
            respect: ReSPECTRecommendations(
                cpr: .modifiedForChild,
                careFocus: .balanced,
                specificRecommendations: ["One", "Two"],
                hospitalAdmissionWanted: false,
                recordedBy: "Dr A",
                recordedOn: try day("2026-07-06"),
                reviewBy: try day("2027-07-06")
            ),
            preferredPlaceOfCare: "Home",
            advanceDecisionToRefuseTreatment: LegalDocument(status: .present, location: "GP record"),
            lastingPowerOfAttorney: LegalDocument(status: .absent)
        )
        content.mentalHealthAndWellbeing = "Low mood in winter"
        content.contingency = ["Call Amy"]
        content.owner = PlanOwner(name: "Dr Pascoe", role: "GP", organisation: try ODSCode(parsing: "L82999"))
        var plan = try CarePlan(
            id: CarePlan.ID(unchecked: "full"),
            patient: CarePlan.PatientID(unchecked: "claire"),
            content: content,
            change: change()
        )
        plan = try plan.moved(expectedVersion: 1, to: .active, change: change())
        return try plan.proposing(change: change("Claire", role: "patient")) { $0.title = "My plan" }
    }

    @Test func everySectionSurvivesEncodingAndARestart() async throws {
        let plan = try fullPlan()
        let data = try JSONEncoder().encode(plan)
        #expect(try JSONDecoder().decode(CarePlan.self, from: data) == plan)
        let store = InMemoryCarePlanStore()
        let first = try CarePlanRegistry(store: store)
        try await first.add(plan)
        _ = try await first.revise(plan.id, expectedVersion: 2, change: try change()) {
            $0.contingency.append("Call 111")
        }
        let restarted = try CarePlanRegistry(store: store)
        let reloaded = try #require(await restarted.plan(plan.id))
        #expect(reloaded.version == 3 && reloaded.proposals.count == 1)
        #expect(reloaded == (await first.plan(plan.id)))
    }

    @Test func aStoredPlanWithABrokenHistoryIsRefused() throws {
        let plan = try fullPlan()
        let data = try JSONEncoder().encode(plan)
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var versions = try #require(json["versions"] as? [Any])
        json["versions"] = [Any]()
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(CarePlan.self, from: try JSONSerialization.data(withJSONObject: json))
        }
        versions.removeFirst()
        json["versions"] = versions
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(CarePlan.self, from: try JSONSerialization.data(withJSONObject: json))
        }
    }

    @Test func aFailedWriteChangesNothing() async throws {
        let store = FailingPlanStore()
        let registry = try CarePlanRegistry(store: store)
        let plan = try fullPlan()
        try await registry.add(plan)
        store.failing.withLock { $0 = true }
        let edit = try change()
        do {
            _ = try await registry.revise(plan.id, expectedVersion: 2, change: edit) { $0.contingency = [] }
            Issue.record("the write should have failed")
        } catch {
            #expect(error.code == .storageFailure)
        }
        #expect(await registry.plan(plan.id)?.version == 2)
        #expect(store.inner.loadAll().first?.version == 2)
    }
}
