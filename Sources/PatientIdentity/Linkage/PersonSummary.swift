public import CareCore

/// One view of a person drawn from all their records by explicit survivorship rules, with the record each
/// value came from. The records themselves are never changed.
///
/// The rules, in order:
/// - **NHS number**: a verified number outranks an unverified one; among equals, the record updated most
///   recently wins (a record with no update time counts as oldest); only valid numbers are considered.
/// - **Name, address, gender**: from the record updated most recently that has one.
/// - **Date of birth**: a full date outranks a partial one; among full dates, the one most records agree on,
///   then the most recently updated.
///
/// Ties left after these rules go to the record with the smallest id, so the summary is the same every time.
public struct PersonSummary: Hashable, Sendable {
    /// The surviving NHS number, and the record it came from.
    public let nhsNumber: (value: NHSNumber, source: PatientRecord.ID)?
    /// The surviving name, and its record.
    public let name: (value: HumanName, source: PatientRecord.ID)?
    /// The surviving date of birth, and its record.
    public let birthDate: (value: FHIRDate, source: PatientRecord.ID)?
    /// The surviving gender, and its record.
    public let gender: (value: AdministrativeGender, source: PatientRecord.ID)?
    /// The surviving address, and its record.
    public let address: (value: Address, source: PatientRecord.ID)?

    /// Builds the summary of records.
    ///
    /// - Parameter records: The person's records.
    public init(_ records: [PatientRecord]) {
        // Most recently updated first; no update time counts as oldest; ties by smallest id.
        let ordered = records.sorted { lhs, rhs in
            switch (lhs.lastUpdated, rhs.lastUpdated) {
            case (let left?, let right?) where !left.isSameMoment(as: right): return left > right
            case (.some, nil): return true
            case (nil, .some): return false
            default: return lhs.id < rhs.id
            }
        }
        let numbers = ordered.compactMap { record in record.nhsNumber?.value.map { ($0, record.id) } }
        nhsNumber =
            numbers.first { $0.0.isVerified }.map { (value: $0.0, source: $0.1) }
            ?? numbers.first.map { (value: $0.0, source: $0.1) }
        name = ordered.lazy.compactMap { record in record.currentName.map { (value: $0, source: record.id) } }.first
        address =
            ordered.lazy.compactMap { record in record.currentAddress.map { (value: $0, source: record.id) } }.first
        gender =
            ordered.lazy.compactMap { record in
                record.gender.flatMap { $0 == .unknown ? nil : (value: $0, source: record.id) }
            }.first

        let dates = ordered.compactMap { record in record.birthDate?.value.map { ($0, record.id) } }
        let full = dates.filter { $0.0.precision == .day }
        if !full.isEmpty {
            var votes: [FHIRDate: Int] = [:]
            for (date, _) in full { votes[date, default: 0] += 1 }
            let most = votes.values.max() ?? 0
            birthDate = full.first { votes[$0.0] == most }.map { (value: $0.0, source: $0.1) }
        } else {
            birthDate = dates.first.map { (value: $0.0, source: $0.1) }
        }
    }

    /// Compares summaries value by value and source by source.
    ///
    /// - Parameters:
    ///   - lhs: A summary.
    ///   - rhs: Another summary.
    /// - Returns: Whether every value and source is equal.
    public static func == (lhs: PersonSummary, rhs: PersonSummary) -> Bool {
        lhs.nhsNumber?.value == rhs.nhsNumber?.value && lhs.nhsNumber?.source == rhs.nhsNumber?.source
            && lhs.name?.value == rhs.name?.value && lhs.name?.source == rhs.name?.source
            && lhs.birthDate?.value == rhs.birthDate?.value && lhs.birthDate?.source == rhs.birthDate?.source
            && lhs.gender?.value == rhs.gender?.value && lhs.gender?.source == rhs.gender?.source
            && lhs.address?.value == rhs.address?.value && lhs.address?.source == rhs.address?.source
    }

    /// Hashes the values and sources.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(nhsNumber?.value)
        hasher.combine(nhsNumber?.source)
        hasher.combine(name?.value)
        hasher.combine(birthDate?.value)
        hasher.combine(gender?.value)
        hasher.combine(address?.value)
    }
}

extension PersonRegistry {
    /// The summary of a current person's records in an index.
    ///
    /// - Parameters:
    ///   - person: The person.
    ///   - index: The index holding the records.
    /// - Returns: The summary, or `nil` when the person is not current.
    public func summary(of person: PersonID, in index: PatientIndex) -> PersonSummary? {
        let records = records(of: person).compactMap { index.record($0) }
        return records.isEmpty ? nil : PersonSummary(records)
    }
}
