import CareCore
import Foundation
import Synchronization
import TriageScoring

/// The TriageScoring benchmarks: NEWS2 scoring, an emergency board absorbing re-scores with its first screen
/// read throughout, and the event-stream reader.
enum TriageScoringBenchmarks {
    static func all(matching filter: String?) throws -> [Benchmark] {
        func wanted(_ name: String) -> Bool { filter.map { name.contains($0) || $0.contains(name) } ?? true }
        var cases: [Benchmark] = []
        if wanted("triage.news2") { cases.append(try news2()) }
        if wanted("triage.queue.rescore") { cases.append(try queueRescore()) }
        if wanted("triage.queue.churn") { cases.append(try queueChurn()) }
        if wanted("triage.queue.top20") { cases.append(try queueTop()) }
        if wanted("triage.events.read") { cases.append(try eventsRead()) }
        return cases
    }

    /// A seeded observation set spread across every band; one in ten on Scale 2, one in twenty incomplete.
    static func randomSet(
        using generator: inout SeededRandomNumberGenerator,
        prescription: Scale2Prescription
    ) -> NEWS2Observations {
        var set = NEWS2Observations(
            respirationRate: Double(Int.random(in: 6...32, using: &generator)),
            oxygenSaturation: Double(Int.random(in: 82...100, using: &generator)),
            airOrOxygen: Bool.random(using: &generator) ? .air : .oxygen,
            systolicBloodPressure: Double(Int.random(in: 80...230, using: &generator)),
            pulse: Double(Int.random(in: 35...140, using: &generator)),
            consciousness: Int.random(in: 0..<10, using: &generator) == 0
                ? ACVPU.allCases[Int.random(in: 1..<5, using: &generator)] : .alert,
            temperature: Double(Int.random(in: 340...400, using: &generator)) / 10
        )
        if Int.random(in: 0..<10, using: &generator) == 0 { set.scale = .scale2(prescription) }
        if Int.random(in: 0..<20, using: &generator) == 0 { set.temperature = nil }
        return set
    }

    /// 1,000,000 seeded observation sets scored one at a time on one core.
    static func news2() throws -> Benchmark {
        var generator = SeededRandomNumberGenerator(seed: 7_100_001)
        let prescription = try Scale2Prescription(
            prescribedBy: "resp-consultant",
            recordedAt: Date(timeIntervalSince1970: 0)
        )
        let sets = (0..<1_000_000).map { _ in randomSet(using: &generator, prescription: prescription) }
        let scorer = NEWS2Scorer()
        var responses = [Int](repeating: 0, count: NEWS2Response.allCases.count + 1)
        for set in sets {
            let assessment = try scorer.assess(set)
            responses[assessment.score.map { $0.response.rawValue } ?? NEWS2Response.allCases.count] += 1
        }
        return Benchmark(
            name: "triage.news2.score",
            operations: sets.count,
            bytes: 0,
            run: {
                var checksum = 0
                for set in sets {
                    if case .complete(let score) = try scorer.assess(set) { checksum &+= score.total }
                }
                return checksum
            },
            report: {
                let names = NEWS2Response.allCases.map(\.description) + ["incomplete"]
                return zip(names, responses).map { "\($0) \($1)" }.joined(separator: ", ")
            }
        )
    }

    /// A board of 5,000 waiting patients.
    static func filledBoard(using generator: inout SeededRandomNumberGenerator, start: Date) throws -> TriageQueue {
        var board = TriageQueue(capacity: try CapacityPolicy(cubicles: 200))
        for index in 0..<5_000 {
            guard let patient = TriageQueue.PatientID("ED-\(index)") else { throw BenchmarkFailure() }
            let category = TriageCategory.allCases[Int.random(in: 0..<5, using: &generator)]
            let at = start.addingTimeInterval(Double(index))
            try board.arrive(
                patient,
                triage: CategoryAssignment(category, assessedBy: "rn", at: at),
                mode: .walkIn,
                at: at
            )
        }
        return board
    }

    /// A board of 5,000 waiting patients absorbing 1,000,000 seeded re-scores (each scored with NEWS2, each
    /// raising the patient when its floor is more urgent), with the first 20 read after every 1,000.
    static func queueRescore() throws -> Benchmark {
        var generator = SeededRandomNumberGenerator(seed: 7_100_002)
        let start = Date(timeIntervalSince1970: 1_795_600_000)
        let prescription = try Scale2Prescription(prescribedBy: "resp-consultant", recordedAt: start)
        let board = try filledBoard(using: &generator, start: start)
        let patients = (0..<5_000).compactMap { TriageQueue.PatientID("ED-\($0)") }
        let sets = (0..<4_096).map { _ in randomSet(using: &generator, prescription: prescription) }
        let picks = (0..<1_000_000).map { _ in
            (Int.random(in: 0..<5_000, using: &generator), Int.random(in: 0..<4_096, using: &generator))
        }
        let raised = Mutex(0)
        return Benchmark(
            name: "triage.queue.rescore",
            operations: picks.count,
            bytes: 0,
            maximumSamples: 7,
            run: {
                var copy = board
                var checksum = 0
                var raises = 0
                var moment = start.addingTimeInterval(10_000)
                for (index, pick) in picks.enumerated() {
                    moment = moment.addingTimeInterval(0.001)
                    raises += try copy.rescore(patients[pick.0], with: sets[pick.1], at: moment).count
                    if index % 1_000 == 0 { checksum &+= copy.top(20).count }
                }
                raised.withLock { $0 = raises }
                return checksum &+ raises
            },
            report: { "\(raised.withLock { $0 }) re-scores raised a category; top(20) read 1,000 times" }
        )
    }

    /// The worst case for the heap: 1,000,000 clinician re-triages to a random category, so that almost every
    /// update moves a patient, with the first 20 read after every 1,000.
    static func queueChurn() throws -> Benchmark {
        var generator = SeededRandomNumberGenerator(seed: 7_100_004)
        let start = Date(timeIntervalSince1970: 1_795_600_000)
        let board = try filledBoard(using: &generator, start: start)
        let patients = (0..<5_000).compactMap { TriageQueue.PatientID("ED-\($0)") }
        let picks = (0..<1_000_000).map { _ in
            (
                Int.random(in: 0..<5_000, using: &generator),
                TriageCategory.allCases[Int.random(in: 0..<5, using: &generator)]
            )
        }
        let decision = ClinicianDecision(clinician: "ed-consultant", reason: "reassessed")
        return Benchmark(
            name: "triage.queue.churn",
            operations: picks.count,
            bytes: 0,
            maximumSamples: 7,
            run: {
                var copy = board
                var checksum = 0
                var moment = start.addingTimeInterval(10_000)
                for (index, pick) in picks.enumerated() {
                    moment = moment.addingTimeInterval(0.001)
                    try copy.retriage(patients[pick.0], to: pick.1, by: decision, at: moment)
                    if index % 1_000 == 0 { checksum &+= copy.top(20).count }
                }
                return checksum
            }
        )
    }

    /// Reading the first 20 of a 5,000-patient board.
    static func queueTop() throws -> Benchmark {
        var generator = SeededRandomNumberGenerator(seed: 7_100_003)
        let board = try filledBoard(using: &generator, start: Date(timeIntervalSince1970: 1_795_600_000))
        return Benchmark(
            name: "triage.queue.top20",
            operations: 100_000,
            bytes: 0,
            run: {
                var checksum = 0
                for _ in 0..<100_000 { checksum &+= board.top(20).count }
                return checksum
            }
        )
    }

    /// Reading 100,000 event lines (arrivals and full observation sets) from memory.
    static func eventsRead() throws -> Benchmark {
        var lines: [String] = []
        for index in 0..<50_000 {
            lines.append(
                #"{"time":"2026-11-25T09:00:00Z","event":"arrival","patient":"ED-\#(index)","category":"yellow","triagedBy":"triage-rn","mode":"ambulance"}"#
            )
            lines.append(
                #"{"time":"2026-11-25T09:05:00Z","event":"observations","patient":"ED-\#(index)","respirationRate":24,"oxygenSaturation":93,"airOrOxygen":"air","systolicBloodPressure":98,"pulse":118,"consciousness":"A","temperature":38.6}"#
            )
        }
        let text = lines.joined(separator: "\n")
        return Benchmark(
            name: "triage.events.read",
            operations: lines.count,
            bytes: text.utf8.count,
            run: { try TriageEventReader.events(in: text).count }
        )
    }
}
