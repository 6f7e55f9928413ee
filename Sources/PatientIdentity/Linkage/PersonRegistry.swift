public import CareCore

/// Which records belong to which person, with every link, merge and unmerge kept so that each can be
/// explained and undone.
///
/// The index proposes; the registry records what was decided. Records are never changed or discarded: a
/// merge moves records from one person to another and marks the first as replaced by the second (as FHIR's
/// `Patient/$merge` does with `replaced-by` and `replaces` links), and an unmerge moves exactly those
/// records back. Every change is an event with who made it, why and when.
///
/// Two safety rules are enforced rather than left to the caller:
/// - records whose verified NHS numbers differ are never put in one person;
/// - a person that has been replaced cannot be merged again or receive records; follow
///   ``currentPerson(for:)`` to the person that replaced it.
///
/// The registry is a value type; wrap it in an actor to share it. It encodes as its events alone, in order,
/// and decoding replays them, so the stored form is deterministic and every state can be rebuilt.
public struct PersonRegistry: Hashable, Sendable, Codable {
    /// The identifier type of persons.
    public typealias PersonID = EntityID<PersonRegistry>

    /// A change to the registry.
    public struct Event: Hashable, Sendable, Codable {
        /// What kind of change it was.
        public enum Kind: String, Hashable, Sendable, Codable {
            /// A person was created with its first records.
            case created
            /// Records were added to a person.
            case linked
            /// All records of one person were moved to another, which replaces it.
            case merged
            /// A merge was undone: its records went back to the person it replaced.
            case unmerged
            /// A record was taken out of a person and made a person of its own.
            case unlinked
        }

        /// The event's position in the history, from 1.
        public let sequence: Int
        /// What kind of change it was.
        public let kind: Kind
        /// The person changed (the target of a merge).
        public let person: PersonID
        /// The other person involved: the source of a merge or unmerge, the new person of an unlink.
        public let otherPerson: PersonID?
        /// The records moved, sorted.
        public let records: [PatientRecord.ID]
        /// Who made the change: a user, a role profile or an automated process.
        public let actor: String
        /// Why, in the actor's words; for an automated link, the rule and probability.
        public let reason: String
        /// When.
        public let at: Instant
        /// For a merge that was later undone, the sequence of the unmerge.
        public let undoneBy: Int?
    }

    private var recordsOfPerson: [PersonID: [PatientRecord.ID]] = [:]
    private var personOfRecord: [PatientRecord.ID: PersonID] = [:]
    private var replacedBy: [PersonID: PersonID] = [:]
    /// Every change, oldest first.
    public private(set) var events: [Event] = []

    /// Creates an empty registry.
    public init() {}

    /// The person a record belongs to, if it has been linked.
    ///
    /// - Parameter record: The record.
    /// - Returns: Its person.
    public func person(of record: PatientRecord.ID) -> PersonID? {
        personOfRecord[record]
    }

    /// The records of a person, sorted; empty for a replaced or unknown person.
    ///
    /// - Parameter person: The person.
    /// - Returns: Its records.
    public func records(of person: PersonID) -> [PatientRecord.ID] {
        recordsOfPerson[person] ?? []
    }

    /// The person that now stands for a person id: itself, or whatever replaced it, followed to the end.
    ///
    /// - Parameter person: A person id, current or replaced.
    /// - Returns: The current person.
    public func currentPerson(for person: PersonID) -> PersonID {
        var current = person
        var seen: Set<PersonID> = [current]
        while let next = replacedBy[current], seen.insert(next).inserted { current = next }
        return current
    }

    /// Every current person, sorted.
    public var persons: [PersonID] { recordsOfPerson.keys.sorted() }

    /// Creates a person from records that belong to no person yet.
    ///
    /// - Parameters:
    ///   - person: The new person's id.
    ///   - records: Its records, at least one.
    ///   - index: The index holding the records, for the safety checks.
    ///   - actor: Who is making the change.
    ///   - reason: Why.
    ///   - now: When, from the caller's `WallClock`.
    /// - Throws: ``PatientIdentityError``: `inconsistent` when the id is taken, a record already belongs to a
    ///   person or two records have different verified NHS numbers; `notFound` for a record not in `index`.
    public mutating func create(
        _ person: PersonID,
        with records: [PatientRecord.ID],
        in index: PatientIndex,
        actor: String,
        reason: String,
        at now: Instant
    ) throws(PatientIdentityError) {
        guard !records.isEmpty else {
            throw PatientIdentityError(
                .empty,
                field: FieldPath("records"),
                reason: "a person needs at least one record"
            )
        }
        guard recordsOfPerson[person] == nil, replacedBy[person] == nil else {
            throw PatientIdentityError(
                .inconsistent,
                field: FieldPath("person"),
                reason: "a person with this id already exists"
            )
        }
        try checkUnlinked(records)
        try checkCompatible(records, in: index)
        let sorted = Array(Set(records)).sorted()
        recordsOfPerson[person] = sorted
        for record in sorted { personOfRecord[record] = person }
        append(.created, person: person, other: nil, records: sorted, actor: actor, reason: reason, at: now)
    }

    /// Adds records that belong to no person yet to an existing person.
    ///
    /// - Parameters:
    ///   - records: The records.
    ///   - person: The current person to add them to.
    ///   - index: The index holding the records, for the safety checks.
    ///   - actor: Who is making the change.
    ///   - reason: Why.
    ///   - now: When.
    /// - Throws: ``PatientIdentityError`` as ``create(_:with:in:actor:reason:at:)`` does, and `notFound` when the
    ///   person is not current.
    public mutating func link(
        _ records: [PatientRecord.ID],
        to person: PersonID,
        in index: PatientIndex,
        actor: String,
        reason: String,
        at now: Instant
    ) throws(PatientIdentityError) {
        let existing = try currentRecords(of: person)
        try checkUnlinked(records)
        try checkCompatible(existing + records, in: index)
        let added = Array(Set(records)).sorted()
        recordsOfPerson[person] = (existing + added).sorted()
        for record in added { personOfRecord[record] = person }
        append(.linked, person: person, other: nil, records: added, actor: actor, reason: reason, at: now)
    }

    /// Merges one person into another: every record of `source` moves to `target`, and `source` is marked as
    /// replaced by `target`. Nothing is discarded, and ``unmerge(_:actor:reason:at:)`` undoes it exactly.
    ///
    /// - Parameters:
    ///   - source: The person to merge away.
    ///   - target: The person that survives.
    ///   - index: The index holding the records, for the safety checks.
    ///   - actor: Who is making the change.
    ///   - reason: Why.
    ///   - now: When.
    /// - Returns: The merge event's sequence number, which ``unmerge(_:actor:reason:at:)`` takes.
    /// - Throws: ``PatientIdentityError``: `notFound` when either person is not current; `inconsistent` when
    ///   they are the same person or their records have different verified NHS numbers.
    @discardableResult
    public mutating func merge(
        _ source: PersonID,
        into target: PersonID,
        in index: PatientIndex,
        actor: String,
        reason: String,
        at now: Instant
    ) throws(PatientIdentityError) -> Int {
        guard source != target else {
            throw PatientIdentityError(
                .inconsistent,
                field: FieldPath("person"),
                reason: "a person cannot be merged into itself"
            )
        }
        let moving = try currentRecords(of: source)
        let staying = try currentRecords(of: target)
        try checkCompatible(staying + moving, in: index)
        recordsOfPerson[target] = (staying + moving).sorted()
        recordsOfPerson[source] = nil
        replacedBy[source] = target
        for record in moving { personOfRecord[record] = target }
        return append(.merged, person: target, other: source, records: moving, actor: actor, reason: reason, at: now)
    }

    /// Undoes a merge: the records it moved go back to the person it replaced, which becomes current again.
    ///
    /// Records added to the surviving person after the merge stay with it. A merge can be undone once, and
    /// only while its records are still with the surviving person.
    ///
    /// - Parameters:
    ///   - mergeSequence: The sequence number ``merge(_:into:in:actor:reason:at:)`` returned.
    ///   - actor: Who is making the change.
    ///   - reason: Why.
    ///   - now: When.
    /// - Throws: ``PatientIdentityError``: `notFound` when there is no such merge; `inconsistent` when it was
    ///   already undone or its records have moved since.
    public mutating func unmerge(
        _ mergeSequence: Int,
        actor: String,
        reason: String,
        at now: Instant
    )
        throws(PatientIdentityError)
    {
        guard mergeSequence >= 1, mergeSequence <= events.count, events[mergeSequence - 1].kind == .merged,
            let source = events[mergeSequence - 1].otherPerson
        else {
            throw PatientIdentityError(
                .notFound,
                field: FieldPath("merge"),
                reason: "there is no merge with this number"
            )
        }
        let merge = events[mergeSequence - 1]
        guard merge.undoneBy == nil else {
            throw PatientIdentityError(
                .inconsistent,
                field: FieldPath("merge"),
                reason: "this merge has already been undone"
            )
        }
        let target = merge.person
        guard let current = recordsOfPerson[target], merge.records.allSatisfy({ personOfRecord[$0] == target }) else {
            throw PatientIdentityError(
                .inconsistent,
                field: FieldPath("merge"),
                reason: "records of this merge have moved since; undo the later changes first"
            )
        }
        let moving = Set(merge.records)
        recordsOfPerson[target] = current.filter { !moving.contains($0) }
        recordsOfPerson[source] = merge.records
        replacedBy[source] = nil
        for record in merge.records { personOfRecord[record] = source }
        let sequence = append(
            .unmerged,
            person: target,
            other: source,
            records: merge.records,
            actor: actor,
            reason: reason,
            at: now
        )
        events[mergeSequence - 1] = Event(
            sequence: merge.sequence,
            kind: merge.kind,
            person: merge.person,
            otherPerson: merge.otherPerson,
            records: merge.records,
            actor: merge.actor,
            reason: merge.reason,
            at: merge.at,
            undoneBy: sequence
        )
    }

    /// Takes a record out of its person and makes it a person of its own.
    ///
    /// - Parameters:
    ///   - record: The record.
    ///   - newPerson: The id of the person it will form.
    ///   - actor: Who is making the change.
    ///   - reason: Why.
    ///   - now: When.
    /// - Throws: ``PatientIdentityError``: `notFound` when the record belongs to no person; `inconsistent` when
    ///   it is its person's only record or `newPerson` is taken.
    public mutating func unlink(
        _ record: PatientRecord.ID,
        as newPerson: PersonID,
        actor: String,
        reason: String,
        at now: Instant
    ) throws(PatientIdentityError) {
        guard let person = personOfRecord[record], let members = recordsOfPerson[person] else {
            throw PatientIdentityError(.notFound, field: FieldPath("record"), reason: "the record belongs to no person")
        }
        guard members.count > 1 else {
            throw PatientIdentityError(
                .inconsistent,
                field: FieldPath("record"),
                reason: "the record is its person's only record"
            )
        }
        guard recordsOfPerson[newPerson] == nil, replacedBy[newPerson] == nil else {
            throw PatientIdentityError(
                .inconsistent,
                field: FieldPath("person"),
                reason: "a person with this id already exists"
            )
        }
        recordsOfPerson[person] = members.filter { $0 != record }
        recordsOfPerson[newPerson] = [record]
        personOfRecord[record] = newPerson
        append(.unlinked, person: person, other: newPerson, records: [record], actor: actor, reason: reason, at: now)
    }

    // MARK: - Checks

    private func currentRecords(of person: PersonID) throws(PatientIdentityError) -> [PatientRecord.ID] {
        guard let records = recordsOfPerson[person] else {
            let reason =
                replacedBy[person] != nil ? "the person has been replaced by a merge" : "there is no such person"
            throw PatientIdentityError(.notFound, field: FieldPath("person"), reason: reason)
        }
        return records
    }

    private func checkUnlinked(_ records: [PatientRecord.ID]) throws(PatientIdentityError) {
        for record in records where personOfRecord[record] != nil {
            throw PatientIdentityError(
                .inconsistent,
                field: FieldPath("records"),
                reason: "a record already belongs to a person"
            )
        }
    }

    /// Refuses a set of records holding two different verified NHS numbers.
    func checkCompatible(_ records: [PatientRecord.ID], in index: PatientIndex) throws(PatientIdentityError) {
        var verified: String?
        for id in records {
            guard let record = index.record(id) else {
                throw PatientIdentityError(
                    .notFound,
                    field: FieldPath("records"),
                    reason: "a record is not in the index"
                )
            }
            guard let number = record.nhsNumber?.value, number.isVerified else { continue }
            if let verified, verified != number.digits {
                throw PatientIdentityError(
                    .inconsistent,
                    field: FieldPath("records"),
                    reason: "the records hold different verified NHS numbers, so they are different people"
                )
            }
            verified = number.digits
        }
    }

    @discardableResult
    private mutating func append(
        _ kind: Event.Kind,
        person: PersonID,
        other: PersonID?,
        records: [PatientRecord.ID],
        actor: String,
        reason: String,
        at now: Instant
    ) -> Int {
        let sequence = events.count + 1
        events.append(
            Event(
                sequence: sequence,
                kind: kind,
                person: person,
                otherPerson: other,
                records: records,
                actor: actor,
                reason: reason,
                at: now,
                undoneBy: nil
            )
        )
        return sequence
    }

    // MARK: - Coding

    private enum CodingKeys: String, CodingKey {
        case events
    }

    /// Encodes the events, oldest first.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(events, forKey: .events)
    }

    /// Rebuilds a registry by replaying its events.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the events are out of order or contradict each other.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let events = try container.decode([Event].self, forKey: .events)
        do {
            try self.init(replaying: events)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .events, in: container, debugDescription: error.description)
        }
    }

    /// Rebuilds a registry from its events.
    ///
    /// - Parameter events: Every event, oldest first, as ``events`` gave them.
    /// - Throws: ``PatientIdentityError`` with code `inconsistent` when the events are out of order or one
    ///   cannot follow the state the earlier ones made.
    public init(replaying events: [Event]) throws(PatientIdentityError) {
        self.init()
        func broken() -> PatientIdentityError {
            PatientIdentityError(.inconsistent, field: FieldPath("events"), reason: "the events do not replay in order")
        }
        for (offset, event) in events.enumerated() {
            guard event.sequence == offset + 1 else { throw broken() }
            switch event.kind {
            case .created:
                guard recordsOfPerson[event.person] == nil, event.records.allSatisfy({ personOfRecord[$0] == nil })
                else {
                    throw broken()
                }
                recordsOfPerson[event.person] = event.records
                for record in event.records { personOfRecord[record] = event.person }
            case .linked:
                guard let existing = recordsOfPerson[event.person],
                    event.records.allSatisfy({ personOfRecord[$0] == nil })
                else { throw broken() }
                recordsOfPerson[event.person] = (existing + event.records).sorted()
                for record in event.records { personOfRecord[record] = event.person }
            case .merged:
                guard let source = event.otherPerson, let moving = recordsOfPerson[source],
                    let staying = recordsOfPerson[event.person], Set(moving) == Set(event.records)
                else { throw broken() }
                recordsOfPerson[event.person] = (staying + moving).sorted()
                recordsOfPerson[source] = nil
                replacedBy[source] = event.person
                for record in moving { personOfRecord[record] = event.person }
            case .unmerged:
                guard let source = event.otherPerson, let current = recordsOfPerson[event.person],
                    event.records.allSatisfy({ personOfRecord[$0] == event.person })
                else { throw broken() }
                let moving = Set(event.records)
                recordsOfPerson[event.person] = current.filter { !moving.contains($0) }
                recordsOfPerson[source] = event.records
                replacedBy[source] = nil
                for record in event.records { personOfRecord[record] = source }
            case .unlinked:
                guard let newPerson = event.otherPerson, let record = event.records.first, event.records.count == 1,
                    let members = recordsOfPerson[event.person], personOfRecord[record] == event.person,
                    recordsOfPerson[newPerson] == nil
                else { throw broken() }
                recordsOfPerson[event.person] = members.filter { $0 != record }
                recordsOfPerson[newPerson] = [record]
                personOfRecord[record] = newPerson
            }
            self.events.append(event)
        }
    }
}

extension PersonRegistry: CustomStringConvertible, CustomReflectable {
    /// The number of persons and events only, such as `PersonRegistry(3 persons, 5 events)`: each event's
    /// actor and reason may hold patient data.
    public var description: String {
        let personText = recordsOfPerson.count == 1 ? "1 person" : "\(recordsOfPerson.count) persons"
        let eventText = events.count == 1 ? "1 event" : "\(events.count) events"
        return "PersonRegistry(\(personText), \(eventText))"
    }

    /// A mirror that shows the number of persons and events only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["personCount": recordsOfPerson.count, "eventCount": events.count],
            displayStyle: .struct
        )
    }
}

extension PersonRegistry.Event: CustomStringConvertible, CustomReflectable {
    /// The sequence, kind, person and number of records only, such as
    /// `PersonRegistry.Event(sequence: 2, merged, person: person-1, 3 records)`: the actor and reason are free
    /// text that may name the patient.
    public var description: String {
        let recordText = records.count == 1 ? "1 record" : "\(records.count) records"
        return "PersonRegistry.Event(sequence: \(sequence), \(kind.rawValue), person: \(person), \(recordText))"
    }

    /// A mirror that shows everything but the actor and reason.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "sequence": sequence, "kind": kind, "person": person, "otherPerson": otherPerson as Any,
                "records": records, "at": at, "undoneBy": undoneBy as Any,
            ],
            displayStyle: .struct
        )
    }
}
