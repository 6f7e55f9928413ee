public import CareCore
public import Foundation

/// An emergency department's board: the queue of patients waiting to be seen, kept in priority order as
/// they arrive, are re-scored, are re-triaged and leave, and the cubicles in which patients are being seen.
///
/// **Order.** Waiting patients are ordered by category (red first), then by the time left before their
/// category's target is breached (measured from arrival), then by arrival, then by the order in which they
/// were added. Waiting longer never lifts a patient above a more urgent category: category comes first, and a
/// breach raises a warning instead of reordering (static priority, which protects the most urgent patients
/// under overload; accumulating-priority queues do not, Oz, Shneer and Ziedins 2020).
///
/// **Re-scoring.** A NEWS2 score raises a patient's category to the floor its response maps to
/// (``NEWS2CategoryFloors``), never lowers it. Only a clinician lowers a category, and must say why
/// (``retriage(_:to:by:at:)``).
///
/// **Time.** Every change carries the moment it happened, from the caller's clock or the event's timestamp;
/// the board refuses a moment earlier than one it has already seen.
///
/// ```swift
/// var board = TriageQueue(capacity: try CapacityPolicy(cubicles: 12))
/// try board.arrive("ED-0042", triage: CategoryAssignment(.yellow, assessedBy: "triage-rn", at: now),
///                  mode: .ambulance, at: now)
/// let notices = try board.rescore("ED-0042", with: observations, at: now.addingTimeInterval(600))
/// print(board.top(20).map(\.patient))
/// print(try board.explain("ED-0042", at: now.addingTimeInterval(900)))
/// ```
///
/// - Complexity: Arrival, re-score, re-triage and departure are O(log n) in the number of waiting patients;
///   ``top(_:)`` makes O(k²) comparisons and never more than k steps into the heap (about a microsecond
///   for k = 20); ``board(at:)`` and ``explain(_:at:)`` are O(n log n).
public struct TriageQueue: Sendable {
    /// The tag of a patient's identifier on the board.
    public enum Patient: Sendable {}
    /// A patient's identifier on the board: a local attendance number, not an NHS number.
    public typealias PatientID = EntityID<Patient>

    /// The board's settings.
    public struct Configuration: Hashable, Sendable {
        /// The target time of each category.
        public var targets: CategoryTargets
        /// The category floors NEWS2 responses raise a patient to.
        public var floors: NEWS2CategoryFloors
        /// How NEWS2 is scored.
        public var scorer: NEWS2Scorer
        /// The cubicles and the occupancy at which each capacity level begins.
        public var capacity: CapacityPolicy

        /// Creates settings.
        ///
        /// - Parameters:
        ///   - capacity: The cubicles and thresholds.
        ///   - targets: The category targets; the Manchester defaults unless given.
        ///   - floors: The NEWS2 floors; ``NEWS2CategoryFloors/standard`` unless given.
        ///   - scorer: The NEWS2 scorer; the RCP's red-score wording unless given.
        public init(
            capacity: CapacityPolicy,
            targets: CategoryTargets = .manchesterDefaults,
            floors: NEWS2CategoryFloors = .standard,
            scorer: NEWS2Scorer = NEWS2Scorer()
        ) {
            self.capacity = capacity
            self.targets = targets
            self.floors = floors
            self.scorer = scorer
        }
    }

    /// The sort key of a waiting patient; smaller is seen first.
    struct Key: Comparable {
        var rank: Int
        var deadline: Double
        var arrival: Double
        var sequence: Int

        static func < (lhs: Key, rhs: Key) -> Bool {
            if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
            if lhs.deadline != rhs.deadline { return lhs.deadline < rhs.deadline }
            if lhs.arrival != rhs.arrival { return lhs.arrival < rhs.arrival }
            return lhs.sequence < rhs.sequence
        }
    }

    /// Everything the board holds about one patient.
    struct Record {
        var patient: PatientID
        var arrival: Date
        var mode: ArrivalMode
        var category: TriageCategory
        var key: Key
        /// The patient's position in `heap`, or -1 when not waiting.
        var heapPosition: Int
        var state: BoardState
        var treatmentStarted: Date?
        var latestNEWS2: NEWS2Assessment?
        var latestNEWS2At: Date?
        var changes: [CategoryChange]
        /// Whether the slot holds a patient on the board; a departed patient's slot is reused.
        var live: Bool
    }

    /// The settings.
    public let configuration: Configuration
    /// The latest moment the board has seen.
    public private(set) var now: Date?

    private var records: [Record] = []
    private var freeSlots: [Int] = []
    private var slotOf: [PatientID: Int] = [:]
    /// A binary min-heap of record slots, ordered by `Record.key`.
    private var heap: [Int] = []
    private var occupied = 0
    private var sequence = 0
    private var warnedAmbulances = false
    private var lastLevel: CapacityLevel = .one

    /// Creates an empty board.
    ///
    /// - Parameter configuration: The settings.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Creates an empty board with the default targets, floors and scorer.
    ///
    /// - Parameter capacity: The cubicles and thresholds.
    public init(capacity: CapacityPolicy) {
        self.init(configuration: Configuration(capacity: capacity))
    }

    // MARK: Reading the board

    /// How many patients are waiting.
    public var waitingCount: Int { heap.count }

    /// How many patients are being seen.
    public var inTreatmentCount: Int { occupied }

    /// Whether a patient is on the board, waiting or being seen.
    ///
    /// - Parameter patient: The patient.
    /// - Returns: Whether the board holds them.
    public func contains(_ patient: PatientID) -> Bool { slotOf[patient] != nil }

    /// The capacity status now.
    public var capacity: CapacityStatus {
        configuration.capacity.status(occupied: occupied, waiting: heap.count)
    }

    /// The first `count` waiting patients, in order, without disturbing the queue.
    ///
    /// - Parameter count: How many, such as 20 for a board's first screen.
    /// - Returns: Up to `count` entries, most urgent first.
    /// - Complexity: O(k²) comparisons for k = `count`, independent of the number waiting.
    public func top(_ count: Int) -> [QueueEntry] {
        guard count > 0, !heap.isEmpty else { return [] }
        var result: [QueueEntry] = []
        result.reserveCapacity(min(count, heap.count))
        // Best-first walk of the heap: the frontier holds heap positions whose parents have been taken.
        var frontier = [0]
        while result.count < count, !frontier.isEmpty {
            var best = 0
            for index in 1..<frontier.count where key(at: frontier[index]) < key(at: frontier[best]) {
                best = index
            }
            frontier.swapAt(best, frontier.count - 1)
            let position = frontier.removeLast()
            result.append(entry(records[heap[position]], position: result.count + 1))
            let left = 2 * position + 1
            if left < heap.count { frontier.append(left) }
            if left + 1 < heap.count { frontier.append(left + 1) }
        }
        return result
    }

    /// Every waiting patient in order, and every patient being seen by when they were taken in.
    ///
    /// - Parameter now: The moment the board is read, for waits and time to breach.
    /// - Returns: The board.
    public func board(at now: Date) -> Board {
        let waiting = heap.sorted { records[$0].key < records[$1].key }
        let treating = records.indices.filter { records[$0].live && records[$0].state == .inTreatment }
            .sorted { lhs, rhs in
                let left = records[lhs]
                let right = records[rhs]
                return (left.treatmentStarted ?? left.arrival, left.patient)
                    < (right.treatmentStarted ?? right.arrival, right.patient)
            }
        return Board(
            at: now,
            waiting: waiting.enumerated().map { entry(records[$0.element], position: $0.offset + 1) },
            inTreatment: treating.map { entry(records[$0], position: nil) },
            capacity: capacity,
            targets: configuration.targets
        )
    }

    // MARK: Changing the board

    /// Adds a patient who has arrived and been triaged.
    ///
    /// - Parameters:
    ///   - patient: The patient's attendance identifier.
    ///   - triage: The category given at triage, and by whom.
    ///   - mode: How they came.
    ///   - at: When they arrived; their waits and target are measured from here.
    /// - Returns: Notices about capacity.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/duplicate`` when the patient is
    ///   already on the board, ``TriageScoringError/Code/invalidValue`` when nobody is named as triaging or
    ///   the identifier has the shape of an NHS number (ten digits), or
    ///   ``TriageScoringError/Code/outOfOrder`` when `at` is earlier than a moment the board has seen.
    @discardableResult
    public mutating func arrive(
        _ patient: PatientID,
        triage: CategoryAssignment,
        mode: ArrivalMode,
        at: Date
    ) throws(TriageScoringError) -> [BoardNotice] {
        try Self.refuseNHSNumberShape(patient.rawValue)
        guard slotOf[patient] == nil else {
            throw TriageScoringError(
                .duplicate,
                field: FieldPath("patient"),
                reason: "the patient is already on the board"
            )
        }
        guard !triage.assessedBy.allSatisfy(\.isWhitespace) else {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath("triage.assessedBy"),
                reason: "a triage category needs the clinician who gave it"
            )
        }
        try advance(to: at)
        sequence += 1
        let arrival = at.timeIntervalSinceReferenceDate
        let record = Record(
            patient: patient,
            arrival: at,
            mode: mode,
            category: triage.category,
            key: Key(
                rank: triage.category.rawValue,
                deadline: arrival + Double(configuration.targets[triage.category] * 60),
                arrival: arrival,
                sequence: sequence
            ),
            heapPosition: -1,
            state: .waiting,
            treatmentStarted: nil,
            latestNEWS2: nil,
            latestNEWS2At: nil,
            changes: [
                CategoryChange(from: nil, to: triage.category, at: at, cause: .triage(assessedBy: triage.assessedBy))
            ],
            live: true
        )
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            records[slot] = record
        } else {
            slot = records.count
            records.append(record)
        }
        slotOf[patient] = slot
        pushToHeap(slot)
        return capacityNotices()
    }

    /// Records a new set of observations for a waiting or treated patient and applies its NEWS2 floor.
    ///
    /// A set whose response maps to a more urgent floor raises the patient's category; a better score never
    /// lowers it. An incomplete set is never read as reassuring: it raises the category only when what was
    /// observed already reaches a response with a more urgent floor (points only add).
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - observations: The observations.
    ///   - at: When they were taken.
    /// - Returns: A ``BoardNotice/categoryRaised(_:from:to:news2:)`` or
    ///   ``BoardNotice/categoryRaisedByIncompleteSet(_:from:to:atLeast:)`` notice when the category rose.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/notFound`` for a patient not on the
    ///   board, ``TriageScoringError/Code/impossibleValue`` for an impossible observation (nothing changes),
    ///   or ``TriageScoringError/Code/outOfOrder`` for a moment earlier than one already seen.
    @discardableResult
    public mutating func rescore(
        _ patient: PatientID,
        with observations: NEWS2Observations,
        at: Date
    ) throws(TriageScoringError) -> [BoardNotice] {
        let slot = try slot(of: patient)
        let assessment = try configuration.scorer.assess(observations)
        try advance(to: at)
        records[slot].latestNEWS2 = assessment
        records[slot].latestNEWS2At = at
        let response = configuration.scorer.minimumResponse(of: assessment)
        guard let floor = configuration.floors[response], floor < records[slot].category else { return [] }
        let from = records[slot].category
        let total = assessment.minimumTotal
        let complete = assessment.isComplete
        let cause: CategoryChangeCause =
            complete ? .news2(total: total, response: response) : .incompleteNEWS2(atLeast: total, response: response)
        setCategory(floor, slot: slot, change: CategoryChange(from: from, to: floor, at: at, cause: cause))
        return [
            complete
                ? .categoryRaised(patient, from: from, to: floor, news2: total)
                : .categoryRaisedByIncompleteSet(patient, from: from, to: floor, atLeast: total)
        ]
    }

    /// Changes a patient's category on a clinician's decision: the only way a category is lowered.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - category: The new category.
    ///   - decision: Who decided, and why; a reason is required to lower a category.
    ///   - at: When.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/notFound`` for a patient not on the
    ///   board, ``TriageScoringError/Code/notPermitted`` for a lowering without a named clinician and a
    ///   reason, or ``TriageScoringError/Code/outOfOrder`` for a moment earlier than one already seen.
    public mutating func retriage(
        _ patient: PatientID,
        to category: TriageCategory,
        by decision: ClinicianDecision,
        at: Date
    ) throws(TriageScoringError) {
        let slot = try slot(of: patient)
        guard !decision.clinician.allSatisfy(\.isWhitespace) else {
            throw TriageScoringError(
                .notPermitted,
                field: FieldPath("decision.clinician"),
                reason: "only a named clinician can re-triage a patient"
            )
        }
        let from = records[slot].category
        if from < category, decision.reason.map({ $0.allSatisfy(\.isWhitespace) }) ?? true {
            throw TriageScoringError(
                .notPermitted,
                field: FieldPath("decision.reason"),
                reason: "lowering a category needs the clinician's reason"
            )
        }
        try advance(to: at)
        guard from != category else { return }
        setCategory(
            category,
            slot: slot,
            change: CategoryChange(from: from, to: category, at: at, cause: .clinician(decision))
        )
    }

    /// Takes a waiting patient into a cubicle: they leave the queue and hold capacity until they depart.
    ///
    /// A department may treat more patients than it has cubicles (corridor care); the board counts them and
    /// stays at the highest level.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - at: When.
    /// - Returns: Notices about capacity.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/notFound`` for a patient not on the
    ///   board, ``TriageScoringError/Code/notPermitted`` for one already being seen, or
    ///   ``TriageScoringError/Code/outOfOrder`` for a moment earlier than one already seen.
    @discardableResult
    public mutating func startTreatment(_ patient: PatientID, at: Date) throws(TriageScoringError) -> [BoardNotice] {
        let slot = try slot(of: patient)
        guard records[slot].state == .waiting else {
            throw TriageScoringError(
                .notPermitted,
                field: FieldPath("patient"),
                reason: "the patient is already being seen"
            )
        }
        try advance(to: at)
        removeFromHeap(slot)
        records[slot].state = .inTreatment
        records[slot].treatmentStarted = at
        occupied += 1
        return capacityNotices()
    }

    /// Removes a patient from the board: discharged, admitted, transferred or left without being seen.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - at: When.
    /// - Returns: Notices about capacity.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/notFound`` for a patient not on the
    ///   board, or ``TriageScoringError/Code/outOfOrder`` for a moment earlier than one already seen.
    @discardableResult
    public mutating func depart(_ patient: PatientID, at: Date) throws(TriageScoringError) -> [BoardNotice] {
        let slot = try slot(of: patient)
        try advance(to: at)
        if records[slot].state == .waiting {
            removeFromHeap(slot)
        } else {
            occupied -= 1
        }
        records[slot].live = false
        records[slot].changes = []
        records[slot].latestNEWS2 = nil
        slotOf[patient] = nil
        freeSlots.append(slot)
        return capacityNotices()
    }

    /// Records that the board has reached a moment without any other change.
    ///
    /// - Parameter moment: The moment.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/outOfOrder`` for a moment earlier
    ///   than one already seen.
    public mutating func advance(to moment: Date) throws(TriageScoringError) {
        try TriageScoringError.advance(&now, to: moment, holder: "board")
    }

    /// The waiting patients whose target is breached at a moment, or will be before the lead time is up.
    ///
    /// A target is breached once the moment is past arrival plus target: a red patient breaches the moment
    /// they have waited at all.
    ///
    /// - Parameters:
    ///   - now: The moment.
    ///   - lead: How far ahead to warn; zero for breaches only.
    /// - Returns: The warnings, in queue order.
    public func breachWarnings(at now: Date, within lead: Duration = .zero) -> [BreachWarning] {
        let horizon = now.timeIntervalSinceReferenceDate + Double(lead.components.seconds)
        return heap.filter { records[$0].key.deadline < horizon }
            .sorted { records[$0].key < records[$1].key }
            .map { slot in
                let record = records[slot]
                return BreachWarning(
                    patient: record.patient,
                    category: record.category,
                    target: configuration.targets[record.category],
                    secondsToBreach: wholeUnits(record.key.deadline - now.timeIntervalSinceReferenceDate, of: 1)
                )
            }
    }

    /// Explains where a patient is on the board and why.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - now: The moment, for their wait and time to breach.
    /// - Returns: The explanation.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/notFound`` for a patient not on the
    ///   board.
    public func explain(_ patient: PatientID, at now: Date) throws(TriageScoringError) -> QueueExplanation {
        let slot = try slot(of: patient)
        let record = records[slot]
        var ahead: [TriageCategory: Int] = [:]
        if record.state == .waiting {
            for other in heap where records[other].key < record.key {
                ahead[records[other].category, default: 0] += 1
            }
        }
        let floor = record.latestNEWS2.flatMap { configuration.floors[configuration.scorer.minimumResponse(of: $0)] }
        return QueueExplanation(
            entry: entry(record, position: record.state == .waiting ? ahead.values.reduce(1, +) : nil),
            waitingCount: heap.count,
            aheadByCategory: TriageCategory.allCases.compactMap { category in
                ahead[category].map { QueueExplanation.CategoryCount(category: category, count: $0) }
            },
            news2Floor: floor,
            history: record.changes,
            at: now
        )
    }

    // MARK: Internals

    /// Refuses an identifier of ten digits, the shape of an NHS number: the board holds attendance numbers.
    static func refuseNHSNumberShape(_ identifier: String) throws(TriageScoringError) {
        guard identifier.utf8.count == 10, identifier.utf8.allSatisfy({ (48...57).contains($0) }) else { return }
        throw TriageScoringError(
            .invalidValue,
            field: FieldPath("patient"),
            reason: "an identifier on the board must be a local attendance number, not an NHS number"
        )
    }

    private func slot(of patient: PatientID) throws(TriageScoringError) -> Int {
        guard let slot = slotOf[patient] else {
            throw TriageScoringError(.notFound, field: FieldPath("patient"), reason: "the patient is not on the board")
        }
        return slot
    }

    private func key(at position: Int) -> Key { records[heap[position]].key }

    private func entry(_ record: Record, position: Int?) -> QueueEntry {
        QueueEntry(
            patient: record.patient,
            position: position,
            category: record.category,
            arrival: record.arrival,
            mode: record.mode,
            target: configuration.targets[record.category],
            breachAt: Date(timeIntervalSinceReferenceDate: record.key.deadline),
            state: record.state,
            latestNEWS2: record.latestNEWS2,
            latestNEWS2At: record.latestNEWS2At
        )
    }

    private mutating func setCategory(_ category: TriageCategory, slot: Int, change: CategoryChange) {
        records[slot].category = category
        records[slot].changes.append(change)
        var key = records[slot].key
        key.rank = category.rawValue
        key.deadline = key.arrival + Double(configuration.targets[category] * 60)
        records[slot].key = key
        let position = records[slot].heapPosition
        guard position >= 0 else { return }
        siftUp(from: position)
        siftDown(from: records[slot].heapPosition)
    }

    private mutating func capacityNotices() -> [BoardNotice] {
        let status = capacity
        var notices: [BoardNotice] = []
        if status.level != lastLevel {
            notices.append(.capacityLevelChanged(from: lastLevel, to: status.level))
            lastLevel = status.level
        }
        if status.ambulanceWarning != warnedAmbulances {
            warnedAmbulances = status.ambulanceWarning
            notices.append(
                warnedAmbulances ? .ambulanceWarningRaised(waiting: status.waiting) : .ambulanceWarningCleared
            )
        }
        return notices
    }

    private mutating func pushToHeap(_ slot: Int) {
        heap.append(slot)
        records[slot].heapPosition = heap.count - 1
        siftUp(from: heap.count - 1)
    }

    private mutating func removeFromHeap(_ slot: Int) {
        let position = records[slot].heapPosition
        let last = heap.count - 1
        if position != last {
            swapHeap(position, last)
        }
        heap.removeLast()
        records[slot].heapPosition = -1
        if position < heap.count {
            siftUp(from: position)
            siftDown(from: records[heap[position]].heapPosition)
        }
    }

    private mutating func swapHeap(_ first: Int, _ second: Int) {
        heap.swapAt(first, second)
        records[heap[first]].heapPosition = first
        records[heap[second]].heapPosition = second
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard key(at: child) < key(at: parent) else { return }
            swapHeap(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            let right = left + 1
            if right < heap.count, key(at: right) < key(at: left) { smallest = right }
            guard key(at: smallest) < key(at: parent) else { return }
            swapHeap(parent, smallest)
            parent = smallest
        }
    }
}
