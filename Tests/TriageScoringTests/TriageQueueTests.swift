import CareCore
import Foundation
import Testing

@testable import TriageScoring

let start = Date(timeIntervalSince1970: 1_795_600_000)

func minutes(_ count: Double) -> Date { start.addingTimeInterval(count * 60) }

func patient(_ text: String) -> TriageQueue.PatientID { TriageQueue.PatientID(unchecked: text) }

func triaged(_ category: TriageCategory, at: Date) -> CategoryAssignment {
    CategoryAssignment(category, assessedBy: "triage-rn", at: at)
}

/// Observations scoring NEWS2 7 (high): SBP 85 (3), pulse 115 (2), oxygen (2).
let highSet = varied {
    $0.systolicBloodPressure = 85
    $0.pulse = 115
    $0.airOrOxygen = .oxygen
}

/// Observations scoring NEWS2 5 (medium) with no single 3.
let mediumSet = varied {
    $0.pulse = 115
    $0.respirationRate = 22
    $0.temperature = 38.5
}

func newBoard(cubicles: Int = 4) throws -> TriageQueue {
    TriageQueue(capacity: try CapacityPolicy(cubicles: cubicles))
}

@Suite("TriageQueue ordering")
struct TriageQueueOrderingTests {
    @Test("category first, then time to breach, then arrival")
    func order() throws {
        var board = try newBoard()
        try board.arrive(patient("A"), triage: triaged(.green, at: minutes(0)), mode: .walkIn, at: minutes(0))
        try board.arrive(patient("B"), triage: triaged(.yellow, at: minutes(1)), mode: .walkIn, at: minutes(1))
        try board.arrive(patient("C"), triage: triaged(.green, at: minutes(2)), mode: .walkIn, at: minutes(2))
        try board.arrive(patient("D"), triage: triaged(.orange, at: minutes(3)), mode: .ambulance, at: minutes(3))
        try board.arrive(patient("E"), triage: triaged(.yellow, at: minutes(3)), mode: .walkIn, at: minutes(3))
        #expect(board.top(10).map(\.patient.rawValue) == ["D", "B", "E", "A", "C"])
        #expect(board.board(at: minutes(4)).waiting.map(\.patient.rawValue) == ["D", "B", "E", "A", "C"])
        #expect(board.top(2).map(\.position) == [1, 2])
    }

    @Test("waiting never lifts a patient above a more urgent category, even long after a breach")
    func waitingNeverLifts() throws {
        var board = try newBoard()
        try board.arrive(patient("long"), triage: triaged(.blue, at: minutes(0)), mode: .walkIn, at: minutes(0))
        try board.arrive(patient("new"), triage: triaged(.green, at: minutes(600)), mode: .walkIn, at: minutes(600))
        #expect(board.top(2).map(\.patient.rawValue) == ["new", "long"])
        let warnings = board.breachWarnings(at: minutes(601))
        #expect(warnings.map(\.patient.rawValue) == ["long"])
        #expect(warnings.first?.isBreached == true)
    }

    @Test("a patient is reordered when re-scored and when others leave")
    func reorder() throws {
        var board = try newBoard()
        try board.arrive(patient("A"), triage: triaged(.yellow, at: minutes(0)), mode: .walkIn, at: minutes(0))
        try board.arrive(patient("B"), triage: triaged(.green, at: minutes(1)), mode: .walkIn, at: minutes(1))
        try board.arrive(patient("C"), triage: triaged(.green, at: minutes(2)), mode: .walkIn, at: minutes(2))
        let notices = try board.rescore(patient("C"), with: highSet, at: minutes(5))
        #expect(notices == [.categoryRaised(patient("C"), from: .green, to: .orange, news2: 7)])
        #expect(board.top(3).map(\.patient.rawValue) == ["C", "A", "B"])
        try board.depart(patient("A"), at: minutes(6))
        #expect(board.top(3).map(\.patient.rawValue) == ["C", "B"])
        #expect(!board.contains(patient("A")))
    }

    @Test("top(k) always equals the first k of the full order, through random changes")
    func topMatchesFullOrder() throws {
        var generator = SeededRandomNumberGenerator(seed: 7)
        var board = try newBoard(cubicles: 50)
        var present: [String] = []
        var clock = 0.0
        var nextID = 0
        for _ in 0..<3000 {
            clock += Double(generator.next() % 3)
            let choice = generator.next() % 10
            if choice < 4 || present.isEmpty {
                nextID += 1
                let id = "P\(nextID)"
                let category = TriageCategory.allCases[Int(generator.next() % 5)]
                try board.arrive(
                    patient(id),
                    triage: triaged(category, at: minutes(clock)),
                    mode: .walkIn,
                    at: minutes(clock)
                )
                present.append(id)
            } else if choice < 7 {
                let id = present[Int(generator.next() % UInt64(present.count))]
                let set = varied { $0.pulse = Double(40 + generator.next() % 100) }
                try board.rescore(patient(id), with: set, at: minutes(clock))
            } else if choice < 8 {
                let id = present[Int(generator.next() % UInt64(present.count))]
                let category = TriageCategory.allCases[Int(generator.next() % 5)]
                try board.retriage(
                    patient(id),
                    to: category,
                    by: ClinicianDecision(clinician: "ed-consultant", reason: "reassessed"),
                    at: minutes(clock)
                )
            } else {
                let index = Int(generator.next() % UInt64(present.count))
                try board.depart(patient(present[index]), at: minutes(clock))
                present.remove(at: index)
            }
            let full = board.board(at: minutes(clock)).waiting
            let expected = full.sorted { lhs, rhs in
                (lhs.category.rawValue, lhs.breachAt, lhs.arrival) < (rhs.category.rawValue, rhs.breachAt, rhs.arrival)
            }
            #expect(full.map(\.patient) == expected.map(\.patient))
            #expect(board.top(20).map(\.patient) == Array(full.prefix(20).map(\.patient)))
            #expect(board.waitingCount == present.count)
        }
    }
}

@Suite("TriageQueue re-scoring and re-triage")
struct TriageQueueRescoreTests {
    @Test("a NEWS2 response raises the category to its floor")
    func raises() throws {
        var board = try newBoard()
        try board.arrive(patient("A"), triage: triaged(.blue, at: minutes(0)), mode: .walkIn, at: minutes(0))
        let medium = try board.rescore(patient("A"), with: mediumSet, at: minutes(1))
        #expect(medium == [.categoryRaised(patient("A"), from: .blue, to: .yellow, news2: 5)])
        let high = try board.rescore(patient("A"), with: highSet, at: minutes(2))
        #expect(high == [.categoryRaised(patient("A"), from: .yellow, to: .orange, news2: 7)])
        #expect(board.top(1).first?.category == .orange)
    }

    @Test("a better score never lowers a category, and an incomplete set changes nothing")
    func neverLowers() throws {
        var board = try newBoard()
        try board.arrive(patient("A"), triage: triaged(.green, at: minutes(0)), mode: .walkIn, at: minutes(0))
        try board.rescore(patient("A"), with: highSet, at: minutes(1))
        #expect(try board.rescore(patient("A"), with: normalSet, at: minutes(2)).isEmpty)
        #expect(board.top(1).first?.category == .orange)
        var incomplete = highSet
        incomplete.temperature = nil
        var worse = incomplete
        worse.consciousness = .unresponsive
        #expect(try board.rescore(patient("A"), with: worse, at: minutes(3)).isEmpty)
        #expect(board.top(1).first?.latestNEWS2?.score == nil)
        #expect(board.top(1).first?.category == .orange)
    }

    @Test("an incomplete set raises when what was observed already reaches a floor, and says so")
    func incompleteRaises() throws {
        var board = try newBoard()
        try board.arrive(patient("A"), triage: triaged(.green, at: minutes(0)), mode: .walkIn, at: minutes(0))
        let confused = try board.rescore(
            patient("A"),
            with: NEWS2Observations(consciousness: .newConfusion),
            at: minutes(1)
        )
        #expect(confused == [.categoryRaisedByIncompleteSet(patient("A"), from: .green, to: .yellow, atLeast: 3)])
        let text = try board.explain(patient("A"), at: minutes(2)).description
        #expect(text.contains("raised by an incomplete set already scoring 3 (at least a low-medium response)"))
        #expect(text.contains("what was observed already scores 3: at least yellow while it stands"))
        var partialHigh = highSet
        partialHigh.temperature = nil
        let high = try board.rescore(patient("A"), with: partialHigh, at: minutes(3))
        #expect(high == [.categoryRaisedByIncompleteSet(patient("A"), from: .yellow, to: .orange, atLeast: 7)])
    }

    @Test("explain says when a clinician has lowered a patient below the NEWS2 floor")
    func explainBelowFloor() throws {
        var board = try newBoard()
        try board.arrive(patient("A"), triage: triaged(.green, at: minutes(0)), mode: .walkIn, at: minutes(0))
        try board.rescore(patient("A"), with: highSet, at: minutes(1))
        try board.retriage(
            patient("A"),
            to: .yellow,
            by: ClinicianDecision(clinician: "ed-consultant", reason: "chronic hypotension, reviewed"),
            at: minutes(2)
        )
        let text = try board.explain(patient("A"), at: minutes(3)).description
        #expect(text.contains("a clinician has lowered the category below the orange this score would set"))
        #expect(!text.contains("at least orange while it stands"))
    }

    @Test("re-triage applies to a patient being seen, and capacity warns with nobody waiting")
    func inTreatment() throws {
        var board = try newBoard(cubicles: 1)
        try board.arrive(patient("A"), triage: triaged(.yellow, at: minutes(0)), mode: .walkIn, at: minutes(0))
        let full = try board.startTreatment(patient("A"), at: minutes(1))
        #expect(full == [.capacityLevelChanged(from: .one, to: .three), .ambulanceWarningRaised(waiting: 0)])
        try board.retriage(patient("A"), to: .red, by: ClinicianDecision(clinician: "ed-reg"), at: minutes(2))
        let entry = try #require(board.board(at: minutes(3)).inTreatment.first)
        #expect(entry.category == .red)
        #expect(board.waitingCount == 0)
    }

    @Test("a NEWS2 floor never lowers a more urgent category")
    func floorBelowCategory() throws {
        var board = try newBoard()
        try board.arrive(patient("A"), triage: triaged(.red, at: minutes(0)), mode: .ambulance, at: minutes(0))
        #expect(try board.rescore(patient("A"), with: highSet, at: minutes(1)).isEmpty)
        #expect(board.top(1).first?.category == .red)
    }

    @Test("only a named clinician with a reason lowers a category")
    func clinicianLowers() throws {
        var board = try newBoard()
        try board.arrive(patient("A"), triage: triaged(.orange, at: minutes(0)), mode: .walkIn, at: minutes(0))
        let noReason = try #require(throws: TriageScoringError.self) {
            try board.retriage(patient("A"), to: .green, by: ClinicianDecision(clinician: "ed-reg"), at: minutes(1))
        }
        #expect(noReason.code == .notPermitted)
        #expect(noReason.field == FieldPath("decision.reason"))
        let noClinician = try #require(throws: TriageScoringError.self) {
            try board.retriage(
                patient("A"),
                to: .red,
                by: ClinicianDecision(clinician: " ", reason: "x"),
                at: minutes(1)
            )
        }
        #expect(noClinician.code == .notPermitted)
        try board.retriage(patient("A"), to: .red, by: ClinicianDecision(clinician: "ed-reg"), at: minutes(1))
        #expect(board.top(1).first?.category == .red)
        try board.retriage(
            patient("A"),
            to: .green,
            by: ClinicianDecision(clinician: "ed-reg", reason: "symptoms resolved"),
            at: minutes(2)
        )
        #expect(board.top(1).first?.category == .green)
        #expect(board.top(1).first?.breachAt == minutes(120))
    }

    @Test("the floors mapping is monotonic and configurable")
    func floors() {
        let standard = NEWS2CategoryFloors.standard
        #expect(standard[.high] == .orange)
        #expect(standard[.medium] == .yellow)
        #expect(standard[.lowMedium] == .yellow)
        #expect(standard[.low] == nil)
        #expect(standard[.none] == nil)
        let odd = NEWS2CategoryFloors(high: .yellow, medium: .orange)
        #expect(odd[.high] == .orange)
        #expect(NEWS2CategoryFloors.none[.high] == nil)
        #expect(standard.description == "high → orange, medium → yellow, low-medium → yellow")
    }
}

@Suite("TriageQueue rules, capacity and explanations")
struct TriageQueueRulesTests {
    @Test("bad changes are refused with typed errors and change nothing")
    func refusals() throws {
        var board = try newBoard()
        try board.arrive(patient("A"), triage: triaged(.yellow, at: minutes(0)), mode: .walkIn, at: minutes(5))
        let duplicate = try #require(throws: TriageScoringError.self) {
            try board.arrive(patient("A"), triage: triaged(.red, at: minutes(6)), mode: .walkIn, at: minutes(6))
        }
        #expect(duplicate.code == .duplicate)
        let backwards = try #require(throws: TriageScoringError.self) {
            try board.rescore(patient("A"), with: highSet, at: minutes(4))
        }
        #expect(backwards.code == .outOfOrder)
        #expect(board.top(1).first?.category == .yellow)
        let missing = try #require(throws: TriageScoringError.self) { try board.depart(patient("Z"), at: minutes(7)) }
        #expect(missing.code == .notFound)
        let impossible = try #require(throws: TriageScoringError.self) {
            try board.rescore(patient("A"), with: varied { $0.oxygenSaturation = 101 }, at: minutes(8))
        }
        #expect(impossible.code == .impossibleValue)
        #expect(board.now == minutes(5))
        let future = try #require(throws: TriageScoringError.self) {
            try board.arrive(patient("A"), triage: triaged(.red, at: minutes(9_000)), mode: .walkIn, at: minutes(9_000))
        }
        #expect(future.code == .duplicate)
        #expect(board.now == minutes(5))
        let nhsShaped = try #require(throws: TriageScoringError.self) {
            try board.arrive(
                patient("9434765919"),
                triage: triaged(.red, at: minutes(9)),
                mode: .walkIn,
                at: minutes(9)
            )
        }
        #expect(nhsShaped.code == .invalidValue)
        let unnamed = try #require(throws: TriageScoringError.self) {
            try board.arrive(
                patient("B"),
                triage: CategoryAssignment(.red, assessedBy: "", at: minutes(9)),
                mode: .walkIn,
                at: minutes(9)
            )
        }
        #expect(unnamed.code == .invalidValue)
        #expect(!board.contains(patient("B")))
    }

    @Test("capacity levels rise with occupancy and an ambulance warning comes when no cubicle is free")
    func capacity() throws {
        var board = TriageQueue(
            capacity: try CapacityPolicy(cubicles: 4, pressureOccupancy: 0.5, majorPressureOccupancy: 0.75)
        )
        for index in 1...5 {
            try board.arrive(
                patient("P\(index)"),
                triage: triaged(.yellow, at: minutes(0)),
                mode: .walkIn,
                at: minutes(0)
            )
        }
        #expect(board.capacity.level == .one)
        #expect(try board.startTreatment(patient("P1"), at: minutes(1)).isEmpty)
        #expect(
            try board.startTreatment(patient("P2"), at: minutes(2)) == [.capacityLevelChanged(from: .one, to: .two)]
        )
        #expect(
            try board.startTreatment(patient("P3"), at: minutes(3)) == [.capacityLevelChanged(from: .two, to: .three)]
        )
        let full = try board.startTreatment(patient("P4"), at: minutes(4))
        #expect(full == [.capacityLevelChanged(from: .three, to: .four), .ambulanceWarningRaised(waiting: 1)])
        #expect(board.capacity.ambulanceWarning)
        #expect(board.capacity.description == "level 4 (no capacity): 4/4 cubicles, 1 waiting, warn ambulances")
        let freed = try board.depart(patient("P1"), at: minutes(5))
        #expect(freed == [.capacityLevelChanged(from: .four, to: .three), .ambulanceWarningCleared])
        let refused = try #require(throws: TriageScoringError.self) {
            try board.startTreatment(patient("P2"), at: minutes(6))
        }
        #expect(refused.code == .notPermitted)
        let treating = board.board(at: minutes(6)).inTreatment.map(\.patient.rawValue)
        #expect(treating == ["P2", "P3", "P4"])
    }

    @Test("capacity settings are checked")
    func capacitySettings() {
        #expect(throws: TriageScoringError.self) { try CapacityPolicy(cubicles: 0) }
        #expect(throws: TriageScoringError.self) {
            try CapacityPolicy(cubicles: 3, pressureOccupancy: 0.9, majorPressureOccupancy: 0.8)
        }
    }

    @Test("target times default to Manchester's and are checked")
    func targets() throws {
        let defaults = CategoryTargets.manchesterDefaults
        #expect(TriageCategory.allCases.map { defaults[$0] } == [0, 10, 60, 120, 240])
        let german = try CategoryTargets(red: 0, orange: 10, yellow: 30, green: 90, blue: 120)
        #expect(german[.yellow] == 30)
        let inverted = try #require(throws: TriageScoringError.self) {
            try CategoryTargets(red: 0, orange: 60, yellow: 10, green: 120, blue: 240)
        }
        #expect(inverted.field == FieldPath("targets.yellow"))
        #expect(throws: TriageScoringError.self) {
            try CategoryTargets(red: -1, orange: 10, yellow: 60, green: 120, blue: 240)
        }
        var board = TriageQueue(configuration: .init(capacity: try CapacityPolicy(cubicles: 2), targets: german))
        try board.arrive(patient("A"), triage: triaged(.yellow, at: minutes(0)), mode: .walkIn, at: minutes(0))
        #expect(board.top(1).first?.breachAt == minutes(30))
    }

    @Test("breach warnings come in queue order, with a lead time")
    func breaches() throws {
        var board = try newBoard()
        try board.arrive(patient("G"), triage: triaged(.green, at: minutes(0)), mode: .walkIn, at: minutes(0))
        try board.arrive(patient("O"), triage: triaged(.orange, at: minutes(0)), mode: .walkIn, at: minutes(0))
        #expect(board.breachWarnings(at: minutes(10)).isEmpty)
        #expect(board.breachWarnings(at: minutes(10.5)).map(\.patient.rawValue) == ["O"])
        let soon = board.breachWarnings(at: minutes(100), within: .seconds(30 * 60))
        #expect(soon.map(\.patient.rawValue) == ["O", "G"])
        #expect(soon.map(\.isBreached) == [true, false])
        #expect(soon.last?.description == "G (green, target 120 min): breach in 20 min")
    }

    @Test("explain says where a patient is and why")
    func explain() throws {
        var board = try newBoard()
        try board.arrive(patient("R"), triage: triaged(.red, at: minutes(0)), mode: .ambulance, at: minutes(0))
        try board.arrive(patient("Y"), triage: triaged(.yellow, at: minutes(1)), mode: .walkIn, at: minutes(1))
        try board.arrive(patient("G"), triage: triaged(.green, at: minutes(2)), mode: .walkIn, at: minutes(2))
        try board.rescore(patient("G"), with: mediumSet, at: minutes(10))
        let explanation = try board.explain(patient("G"), at: minutes(20))
        #expect(explanation.entry.position == 3)
        #expect(explanation.aheadByCategory.map(\.category) == [.red, .yellow])
        #expect(explanation.news2Floor == .yellow)
        #expect(explanation.history.map(\.to) == [.green, .yellow])
        let text = explanation.description
        #expect(text.contains("G is number 3 of 3 waiting."))
        #expect(text.contains("from green to yellow, raised by NEWS2 5 (medium response)"))
        #expect(text.contains("Ahead: 1 red, 1 yellow"))
        #expect(text.contains("Waited 18 min; 42 min to target."))
        #expect(throws: TriageScoringError.self) { try board.explain(patient("nobody"), at: minutes(20)) }
    }
}
