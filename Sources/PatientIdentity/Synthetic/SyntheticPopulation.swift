public import CareCore

/// A deterministic generator of UK-like synthetic patient records with a known truth, for testing and
/// tuning record linkage without real patient data.
///
/// Each synthetic person has one clean record; some people have further records, as a second organisation
/// or a later registration would hold them, each carrying perturbations of the kinds real data shows. With
/// the default configuration, measured over 100,000 records (see the tests):
/// - every duplicate record carries about 2.2 perturbations on average (at least one, at most one per
///   field), not counting a missing NHS number;
/// - about 12 % of records have no NHS number, and a few carry one with a keying error;
/// - at least 5 % of duplicates have day and month swapped in the date of birth (more where the day allows);
/// - at least 10 % of duplicates are from after a house move, at least 5 % after a change of family name;
/// - given names carry typos and nicknames, family names typos;
/// - about 2.5 % of people have a twin: same family name, date of birth and address, and a given name that
///   differs in spelling and in sound.
///
/// The same seed always gives the same records.
///
/// ```swift
/// var generator = SeededRandomNumberGenerator(seed: 7)
/// let population = SyntheticPopulation.generate(recordCount: 10_000, using: &generator)
/// population.records.count          // 10,000
/// population.truePairs.count        // pairs of records of the same person
/// ```
public struct SyntheticPopulation: Sendable {
    /// How the population is made.
    public struct Configuration: Hashable, Sendable {
        /// The share of people who have more than one record.
        public var duplicatedShare: Double
        /// The most extra records one person may have.
        public var maximumExtraRecords: Int
        /// The share of people who have a twin.
        public var twinShare: Double
        /// The share of records with no NHS number.
        public var missingNHSNumberShare: Double

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - duplicatedShare: The share of people with more than one record.
        ///   - maximumExtraRecords: The most extra records per person.
        ///   - twinShare: The share of people with a twin.
        ///   - missingNHSNumberShare: The share of records with no NHS number.
        public init(
            duplicatedShare: Double = 0.35,
            maximumExtraRecords: Int = 3,
            twinShare: Double = 0.025,
            missingNHSNumberShare: Double = 0.12
        ) {
            self.duplicatedShare = duplicatedShare
            self.maximumExtraRecords = maximumExtraRecords
            self.twinShare = twinShare
            self.missingNHSNumberShare = missingNHSNumberShare
        }
    }

    /// A kind of error or change applied to a duplicate record.
    public enum Perturbation: String, Hashable, Sendable, CaseIterable {
        /// A typo in the given name.
        case givenNameTypo
        /// A nickname in place of the given name.
        case nickname
        /// A typo in the family name.
        case familyNameTypo
        /// A new family name (marriage or deed poll), with the old one sometimes kept as a previous name.
        case familyNameChange
        /// Day and month of birth swapped.
        case dayMonthSwapped
        /// One digit of the date of birth mistyped; the result may not be a calendar date.
        case birthDateTypo
        /// A house move: a new address and postcode, the old one sometimes kept.
        case movedHouse
        /// A typo in the postcode.
        case postcodeTypo
        /// The NHS number left out.
        case missingNHSNumber
        /// One digit of the NHS number mistyped, so it fails the check digit.
        case nhsNumberTypo
        /// The gender left out.
        case missingGender

        /// The field the perturbation changes; a duplicate gets at most one perturbation per field.
        var field: String {
            switch self {
            case .givenNameTypo, .nickname: return "given"
            case .familyNameTypo, .familyNameChange: return "family"
            case .dayMonthSwapped, .birthDateTypo: return "birth"
            case .movedHouse, .postcodeTypo: return "address"
            case .missingNHSNumber, .nhsNumberTypo: return "nhs"
            case .missingGender: return "gender"
            }
        }
    }

    /// The records, in a shuffled order so that duplicates are not next to each other.
    public let records: [PatientRecord]
    /// The person each record belongs to.
    public let personOfRecord: [PatientRecord.ID: String]
    /// How many times each perturbation was applied.
    public let perturbationCounts: [Perturbation: Int]
    /// The number of duplicate records (records beyond each person's first).
    public let duplicateRecordCount: Int
    /// The number of people who have a twin in the population.
    public let twinCount: Int
    /// For each person who has a twin, the twin's person id.
    public let twinOfPerson: [String: String]

    /// Every pair of records of the same person, each as (smaller id, larger id), sorted.
    public var truePairs: [(PatientRecord.ID, PatientRecord.ID)] {
        var byPerson: [String: [PatientRecord.ID]] = [:]
        for (record, person) in personOfRecord { byPerson[person, default: []].append(record) }
        var pairs: [(PatientRecord.ID, PatientRecord.ID)] = []
        for ids in byPerson.values where ids.count > 1 {
            let sorted = ids.sorted()
            for i in 0..<(sorted.count - 1) {
                for j in (i + 1)..<sorted.count { pairs.append((sorted[i], sorted[j])) }
            }
        }
        return pairs.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }

    /// Generates a population.
    ///
    /// - Parameters:
    ///   - recordCount: How many records to make in total.
    ///   - configuration: The shares of duplicates, twins and missing numbers.
    ///   - generator: The source of randomness; the same seed gives the same population.
    /// - Returns: The records and their truth.
    public static func generate(
        recordCount: Int,
        configuration: Configuration = Configuration(),
        using generator: inout some RandomNumberGenerator
    ) -> SyntheticPopulation {
        var maker = Maker(configuration: configuration)
        return maker.make(recordCount: max(0, recordCount), using: &generator)
    }

    fileprivate init(
        records: [PatientRecord],
        personOfRecord: [PatientRecord.ID: String],
        perturbationCounts: [Perturbation: Int],
        duplicateRecordCount: Int,
        twinOfPerson: [String: String]
    ) {
        self.records = records
        self.personOfRecord = personOfRecord
        self.perturbationCounts = perturbationCounts
        self.duplicateRecordCount = duplicateRecordCount
        self.twinCount = twinOfPerson.count
        self.twinOfPerson = twinOfPerson
    }
}

/// One synthetic person's true details.
private struct Person {
    var id: String
    var given: String
    var middle: String?
    var family: String
    var birth: CivilDate
    var gender: AdministrativeGender
    var nhsNumber: String
    var postcode: String
    var street: String
    var houseNumber: Int
}

private struct Maker {
    let configuration: SyntheticPopulation.Configuration
    var counts: [SyntheticPopulation.Perturbation: Int] = [:]

    init(configuration: SyntheticPopulation.Configuration) {
        self.configuration = configuration
    }

    mutating func make(recordCount: Int, using generator: inout some RandomNumberGenerator) -> SyntheticPopulation {
        var records: [PatientRecord] = []
        var personOf: [PatientRecord.ID: String] = [:]
        var duplicates = 0
        var twins: [String: String] = [:]
        var personNumber = 0
        records.reserveCapacity(recordCount)
        while records.count < recordCount {
            personNumber += 1
            let person = makePerson(number: personNumber, using: &generator)
            var people = [person]
            // A twin event makes two people with a twin; this rate gives the configured share of people.
            let twinEventRate = configuration.twinShare / (2 - configuration.twinShare)
            if Double.random(in: 0..<1, using: &generator) < twinEventRate, records.count + 2 <= recordCount {
                personNumber += 1
                let twin = makeTwin(of: person, number: personNumber, using: &generator)
                people.append(twin)
                twins[person.id] = twin.id
                twins[twin.id] = person.id
            }
            for member in people {
                guard records.count < recordCount else { break }
                append(clean(member, using: &generator), for: member, to: &records, &personOf)
                if Double.random(in: 0..<1, using: &generator) < configuration.duplicatedShare {
                    let extra = Int.random(in: 1...max(1, configuration.maximumExtraRecords), using: &generator)
                    for _ in 0..<extra where records.count < recordCount {
                        append(perturbed(member, using: &generator), for: member, to: &records, &personOf)
                        duplicates += 1
                    }
                }
            }
        }
        records.shuffle(using: &generator)
        return SyntheticPopulation(
            records: records,
            personOfRecord: personOf,
            perturbationCounts: counts,
            duplicateRecordCount: duplicates,
            twinOfPerson: twins
        )
    }

    private func append(
        _ parts: RecordParts,
        for person: Person,
        to records: inout [PatientRecord],
        _ personOf: inout [PatientRecord.ID: String]
    ) {
        let id = PatientRecord.ID(unchecked: "r\(records.count + 1)")
        records.append(parts.record(id: id))
        personOf[id] = person.id
    }

    // MARK: - People

    private func makePerson(number: Int, using generator: inout some RandomNumberGenerator) -> Person {
        let gender: AdministrativeGender = Bool.random(using: &generator) ? .female : .male
        let names =
            gender == .female ? SyntheticNames.femaleGivenDistribution : SyntheticNames.maleGivenDistribution
        let birth = CivilDate.fromDays(Int.random(in: -16_436...19_723, using: &generator))  // 1925 to 2023
        return Person(
            id: "p\(number)",
            given: names.draw(using: &generator),
            middle: Double.random(in: 0..<1, using: &generator) < 0.4 ? names.draw(using: &generator) : nil,
            family: SyntheticNames.surnameDistribution.draw(using: &generator),
            birth: birth,
            gender: gender,
            nhsNumber: randomNHSNumber(using: &generator),
            postcode: randomPostcode(using: &generator),
            street: SyntheticNames.streets.randomElement(using: &generator) ?? "Fore Street",
            houseNumber: Int.random(in: 1...120, using: &generator)
        )
    }

    private func makeTwin(of person: Person, number: Int, using generator: inout some RandomNumberGenerator) -> Person {
        var twin = person
        twin.id = "p\(number)"
        twin.gender = Bool.random(using: &generator) ? person.gender : (person.gender == .female ? .male : .female)
        let names = twin.gender == .female ? SyntheticNames.femaleGiven : SyntheticNames.maleGiven
        repeat {
            twin.given = names.randomElement(using: &generator) ?? "Jo"
        } while Self.soundOrLookAlike(twin.given, person.given)
        twin.middle = nil
        twin.nhsNumber = randomNHSNumber(using: &generator)
        return twin
    }

    /// Whether two given names are nicknames of each other, look alike or sound alike.
    private static func soundOrLookAlike(_ first: String, _ second: String) -> Bool {
        let a = HumanName.normalisedForMatching(first)
        let b = HumanName.normalisedForMatching(second)
        return NicknameTable.standard.areEquivalent(a, b) || StringSimilarity.jaroWinkler(a, b) >= 0.8
            || DoubleMetaphone(a).primary == DoubleMetaphone(b).primary
    }

    private func randomNHSNumber(using generator: inout some RandomNumberGenerator) -> String {
        while true {
            let prefix = [4, 6, 7].randomElement(using: &generator) ?? 4
            var stem = [prefix]
            for _ in 0..<8 { stem.append(Int.random(in: 0...9, using: &generator)) }
            if let check = NHSNumber.checkDigit(for: stem) {
                stem.append(check)
                return stem.map { String($0) }.joined()
            }
        }
    }

    private static let inwardLetters = Array("ABDEFGHJLNPQRSTUWXYZ")

    private func randomPostcode(using generator: inout some RandomNumberGenerator) -> String {
        let outward = SyntheticNames.outwardCodes.randomElement(using: &generator) ?? "TR1"
        let letters = Self.inwardLetters
        return outward + " " + String(Int.random(in: 0...9, using: &generator))
            + String(letters.randomElement(using: &generator) ?? "A")
            + String(letters.randomElement(using: &generator) ?? "B")
    }

    // MARK: - Records

    private func clean(_ person: Person, using generator: inout some RandomNumberGenerator) -> RecordParts {
        var parts = RecordParts(person: person)
        if Double.random(in: 0..<1, using: &generator) < configuration.missingNHSNumberShare { parts.nhsNumber = nil }
        return parts
    }

    private mutating func perturbed(_ person: Person, using generator: inout some RandomNumberGenerator) -> RecordParts
    {
        var parts = RecordParts(person: person)
        if Double.random(in: 0..<1, using: &generator) < configuration.missingNHSNumberShare {
            parts.nhsNumber = nil
            counts[.missingNHSNumber, default: 0] += 1
        }
        let roll = Double.random(in: 0..<1, using: &generator)
        let perturbationCount = roll < 0.20 ? 1 : roll < 0.60 ? 2 : roll < 0.90 ? 3 : 4
        // Distinct kinds, at most one per field, in random order, until enough have applied.
        var applied = 0
        var touched = Set<String>()
        for kind in SyntheticPopulation.Perturbation.allCases.shuffled(using: &generator)
        where applied < perturbationCount {
            guard !touched.contains(kind.field) else { continue }
            if apply(kind, to: &parts, person: person, using: &generator) {
                counts[kind, default: 0] += 1
                touched.insert(kind.field)
                applied += 1
            }
        }
        return parts
    }

    /// Applies one perturbation; returns `false` when it does not apply to this record.
    private func apply(
        _ kind: SyntheticPopulation.Perturbation,
        to parts: inout RecordParts,
        person: Person,
        using generator: inout some RandomNumberGenerator
    ) -> Bool {
        switch kind {
        case .givenNameTypo:
            parts.given = typo(parts.given, using: &generator)
        case .nickname:
            let compact = HumanName.normalisedForMatching(person.given, options: .compact)
            let groups = NicknameTable.standard.groups.filter { $0.contains(compact) }
            let choices = groups.flatMap { $0 }.filter { $0 != compact }.sorted()
            guard let nickname = choices.randomElement(using: &generator) else { return false }
            parts.given = String(nickname.prefix(1)) + nickname.dropFirst().lowercased()
        case .familyNameTypo:
            parts.family = typo(parts.family, using: &generator)
        case .familyNameChange:
            parts.previousFamily = Bool.random(using: &generator) ? parts.family : nil
            parts.family = SyntheticNames.surnameDistribution.draw(using: &generator)
        case .dayMonthSwapped:
            guard person.birth.day <= 12, person.birth.day != person.birth.month else { return false }
            parts.birthText =
                fourDigits(person.birth.year) + "-" + twoDigits(person.birth.day) + "-"
                + twoDigits(person.birth.month)
        case .birthDateTypo:
            var digits = Array(parts.birthText.filter(\.isNumber))
            let position = Int.random(in: 2..<digits.count, using: &generator)
            let replacement = Character(String(Int.random(in: 0...9, using: &generator)))
            guard digits[position] != replacement else { return false }
            digits[position] = replacement
            parts.birthText = String(digits[0..<4]) + "-" + String(digits[4..<6]) + "-" + String(digits[6..<8])
        case .movedHouse:
            parts.previousPostcode = Bool.random(using: &generator) ? parts.postcode : nil
            parts.postcode = randomPostcode(using: &generator)
            parts.street = SyntheticNames.streets.randomElement(using: &generator) ?? "Fore Street"
        case .postcodeTypo:
            var characters = Array(parts.postcode)
            let inwardLetterPositions = [characters.count - 2, characters.count - 1]
            let position = inwardLetterPositions.randomElement(using: &generator) ?? characters.count - 1
            characters[position] = Self.inwardLetters.randomElement(using: &generator) ?? "A"
            parts.postcode = String(characters)
        case .missingNHSNumber:
            guard parts.nhsNumber != nil else { return false }
            parts.nhsNumber = nil
        case .nhsNumberTypo:
            guard var digits = parts.nhsNumber.map(Array.init) else { return false }
            let position = Int.random(in: 0..<10, using: &generator)
            let current = Int(String(digits[position])) ?? 0
            let replacement = Character(String((current + Int.random(in: 1...9, using: &generator)) % 10))
            guard replacement != digits[position] else { return false }
            digits[position] = replacement
            parts.nhsNumber = String(digits)
        case .missingGender:
            guard parts.gender != nil else { return false }
            parts.gender = nil
        }
        return true
    }

    private func typo(_ text: String, using generator: inout some RandomNumberGenerator) -> String {
        var characters = Array(text)
        guard characters.count >= 3 else { return text }
        let position = Int.random(in: 1..<characters.count, using: &generator)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: characters[position] = letters.randomElement(using: &generator) ?? "e"
        case 1: characters.remove(at: position)
        case 2: characters.insert(letters.randomElement(using: &generator) ?? "e", at: position)
        default:
            if position + 1 < characters.count {
                characters.swapAt(position, position + 1)
            } else {
                characters.remove(at: position)
            }
        }
        return String(characters)
    }
}

/// A record being built, as text, before it becomes a ``PatientRecord``.
private struct RecordParts {
    var nhsNumber: String?
    var given: String
    var middle: String?
    var family: String
    var previousFamily: String?
    var birthText: String
    var gender: AdministrativeGender?
    var postcode: String
    var previousPostcode: String?
    var street: String
    var houseNumber: Int

    init(person: Person) {
        nhsNumber = person.nhsNumber
        given = person.given
        middle = person.middle
        family = person.family
        birthText = person.birth.description
        gender = person.gender
        postcode = person.postcode
        street = person.street
        houseNumber = person.houseNumber
    }

    func record(id: PatientRecord.ID) -> PatientRecord {
        var names: [HumanName] = []
        if let current = try? HumanName(use: .official, given: [given] + [middle].compactMap { $0 }, family: family) {
            names.append(current)
        }
        if let previousFamily, let previous = try? HumanName(use: .old, given: [given], family: previousFamily) {
            names.append(previous)
        }
        var addresses: [Address] = []
        var received: Recorded<Postcode>?
        if let parsed = Postcode(postcode),
            let address = try? Address(use: .home, lines: ["\(houseNumber) \(street)"], postcode: parsed)
        {
            addresses.append(address)
        } else {
            received = Recorded(text: postcode, value: nil)
        }
        if let previousPostcode, let parsed = Postcode(previousPostcode),
            let address = try? Address(use: .old, lines: ["\(houseNumber) \(street)"], postcode: parsed)
        {
            addresses.append(address)
        }
        return PatientRecord(
            id: id,
            nhsNumber: nhsNumber.map { Recorded(text: $0, value: NHSNumber($0)) },
            names: names,
            birthDate: Recorded(text: birthText, value: try? FHIRDate(parsing: birthText)),
            gender: gender,
            addresses: addresses,
            receivedPostcode: received
        )
    }
}

/// A number written with at least two digits.
private func twoDigits(_ value: Int) -> String {
    value < 10 ? "0\(value)" : "\(value)"
}

/// A number written with at least four digits.
private func fourDigits(_ value: Int) -> String {
    let digits = "\(value)"
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
