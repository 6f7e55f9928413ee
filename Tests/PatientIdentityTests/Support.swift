import CareCore
import PatientIdentity
import Testing

/// Builds a test record from plain text; invalid values are kept as received, as an importer would.
func record(
    _ id: String,
    nhs: String? = nil,
    verified: Bool = false,
    given: [String] = [],
    family: String? = nil,
    previousFamily: String? = nil,
    birth: String? = nil,
    gender: AdministrativeGender? = nil,
    postcode: String? = nil
) throws -> PatientRecord {
    var names: [HumanName] = []
    if !given.isEmpty || family != nil { names.append(try HumanName(use: .official, given: given, family: family)) }
    if let previousFamily { names.append(try HumanName(use: .old, given: given, family: previousFamily)) }
    let number = nhs.map { text in
        Recorded(text: text, value: NHSNumber(text)?.withVerificationStatus(verified ? .verified : nil))
    }
    var addresses: [Address] = []
    if let postcode { addresses.append(try Address(use: .home, postcode: Postcode(parsing: postcode))) }
    return PatientRecord(
        id: try PatientRecord.ID(validating: id),
        nhsNumber: number,
        names: names,
        birthDate: birth.map { Recorded(text: $0, value: try? FHIRDate(parsing: $0)) },
        gender: gender,
        addresses: addresses
    )
}

func id(_ text: String) throws -> PatientRecord.ID {
    try PatientRecord.ID(validating: text)
}

/// A synthetic population and an index of all its records.
func syntheticIndex(seed: UInt64, count: Int) throws -> (population: SyntheticPopulation, index: PatientIndex) {
    var generator = SeededRandomNumberGenerator(seed: seed)
    let population = SyntheticPopulation.generate(recordCount: count, using: &generator)
    var index = PatientIndex()
    try index.insert(contentsOf: population.records)
    return (population, index)
}
