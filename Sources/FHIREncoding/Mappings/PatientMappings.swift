public import CareCore
public import PatientIdentity

// PatientRecord <-> UK Core Patient (issue #9).
//
// Element by element:
// - `id` <-> `Patient.id`;
// - the NHS number <-> the identifier in `https://fhir.nhs.uk/Id/nhs-number`, its verification status in UK
//   Core's `Extension-UKCore-NHSNumberVerificationStatus` on that identifier; a number that fails the
//   Modulus 11 check <-> the suite's `received-nhs-number` extension, unless it was read from an identifier
//   and is written back unchanged;
// - other identifiers, names, addresses and contacts <-> `identifier`, `name`, `address`, `telecom`;
// - the date of birth <-> `birthDate`, or, when it is not a calendar date, the suite's `received-birth-date`
//   extension on `_birthDate`;
// - gender <-> `gender`; the date of death <-> `deceasedDateTime`;
// - the preferred language <-> the `communication` entry marked `preferred` (BCP 47 coding), the interpreter
//   flag <-> HL7's `patient-interpreterRequired`, channels, needs and "no digital" <-> the suite's
//   `communication-preferences` extension;
// - the registered practice <-> the `generalPractitioner` reference by ODS organisation code; the source
//   organisation <-> `managingOrganization` by ODS code;
// - the restriction (S-flag) <-> `meta.security` code `R` (or `V`) in HL7's v3 Confidentiality code system;
// - the last update <-> `meta.lastUpdated`; an unplaced postcode <-> the suite's `received-postcode`.

/// HL7's v3 Confidentiality code system, whose `R` (restricted) and `V` (very restricted) mark a record
/// whose contact details must not be disclosed, as NHS England's PDS marks a restricted (S-flagged) patient.
let confidentialitySystem = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"

extension PatientRecord {
    /// Reads a UK Core Patient.
    ///
    /// What the record has no place for (other extensions, contacts, photos, marital status, links,
    /// references that are not by ODS code) is not read; write back with ``FHIREncoding/R4/Patient/init(_:keeping:)``
    /// to keep it.
    ///
    /// - Parameters:
    ///   - patient: The R4 Patient.
    ///   - id: The record's key, when it is not the Patient's `id` (a Patient to be created has none).
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a missing or
    ///   unusable id, a modifier extension, two NHS numbers, a verification status the code system does not
    ///   have, a name, address, contact or identifier the domain refuses, a death with no date, two registered
    ///   practices, a language not coded in BCP 47, or preferences that contradict themselves.
    public init(fhir patient: R4.Patient, id: ID? = nil) throws(FHIREncodingError) {
        try Self.refuseModifiers(patient)
        self.init(id: try Mapping.id(id, of: patient.id))
        for (index, element) in patient.identifier.enumerated() {
            let place = FieldPath("identifier").appending(index: index)
            if element.system?.value == IdentifierSystem.nhsNumber.rawValue {
                guard nhsNumber == nil else {
                    throw .unmappable(place, "a patient has one NHS number")
                }
                do {
                    nhsNumber = try Self.nhsNumber(element)
                } catch {
                    throw error.nested(under: place)
                }
            } else {
                do {
                    identifiers.append(try Identifier(fhir: element))
                } catch {
                    throw error.nested(under: place)
                }
            }
        }
        names = try Mapping.each(patient.name, at: "name") { (name) throws(FHIREncodingError) in
            try HumanName(fhir: name)
        }
        addresses = try Mapping.each(patient.address, at: "address") { (address) throws(FHIREncodingError) in
            try Address(fhir: address)
        }
        telecom = try Mapping.each(patient.telecom, at: "telecom") { (contact) throws(FHIREncodingError) in
            try ContactPoint(fhir: contact)
        }
        birthDate = try Self.birthDate(patient.birthDate)
        gender = try Mapping.code(patient.gender, at: FieldPath("gender"))
        deceased = try Self.deceased(patient.deceased)
        receivedPostcode = try Self.receivedText(.receivedPostcode, in: patient.extension).map {
            Recorded(text: $0, value: try? Postcode(parsing: $0))
        }
        if let text = try Self.receivedText(.receivedNHSNumber, in: patient.extension) {
            guard nhsNumber == nil else {
                throw .unmappable(
                    FieldPath("extension"),
                    "a patient has one NHS number, as an identifier or as received"
                )
            }
            nhsNumber = Recorded(text: text, value: nil)
        }
        communication = try Self.communication(patient)
        registeredPractice = try Self.registeredPractice(patient.generalPractitioner)
        if let reference = patient.managingOrganization {
            sourceOrganisation = try Mapping.organisation(reference, at: FieldPath("managingOrganization"))
        }
        isRestricted = Self.isRestricted(patient.meta)
        lastUpdated = try Mapping.instant(patient.meta?.lastUpdated, at: FieldPath("meta.lastUpdated"))
    }

    /// Refuses what changes the meaning of the whole Patient, or of the part the record reads: modifier
    /// extensions, `implicitRules`, an inactive record, and a record another replaces (R4 marks `active`,
    /// `link` and `implicitRules` as modifiers).
    private static func refuseModifiers(_ patient: R4.Patient) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(patient.modifierExtension, implicitRules: patient.implicitRules)
        if patient.active?.value == false {
            throw .unmappable(FieldPath("active"), "an inactive Patient record is not in use")
        }
        if let index = patient.link.firstIndex(where: { $0.type.value == "replaced-by" }) {
            throw .unmappable(
                FieldPath("link").appending(index: index),
                "the Patient record is replaced by another and must no longer be used"
            )
        }
        for (index, entry) in patient.communication.enumerated() {
            try Mapping.refuseModifierExtensions(
                entry.modifierExtension,
                at: FieldPath("communication").appending(index: index)
            )
        }
    }

    /// Reads the NHS number identifier: its value as received, parsed with its verification status when it
    /// is a valid number.
    static func nhsNumber(_ identifier: R4.Identifier) throws(FHIREncodingError) -> Recorded<NHSNumber> {
        guard let text = try Mapping.text(identifier.value, at: FieldPath("value")) else {
            throw .unmappable(FieldPath("value"), "the NHS number identifier has no value")
        }
        var status: NHSNumberVerificationStatus?
        if let (index, element) = try Mapping.single(
            R4.CoreExtension.nhsNumberVerificationStatus,
            in: identifier.extension,
            at: .root
        ) {
            let place = FieldPath("extension").appending(index: index)
            guard case .codeableConcept(let concept) = element.value,
                let coding = concept.coding.first(where: {
                    $0.system?.value == CodeSystem.nhsNumberVerificationStatus.rawValue
                })
            else {
                throw .unmappable(
                    place,
                    "the verification status needs a coding in UKCore-NHSNumberVerificationStatusEngland"
                )
            }
            guard let code = coding.code?.value, let known = NHSNumberVerificationStatus(rawValue: code) else {
                throw .unmappable(
                    place.appending("valueCodeableConcept.coding"),
                    "the verification status code is not in the code system"
                )
            }
            status = known
        }
        return Recorded(text: text, value: try? NHSNumber(parsing: text, verificationStatus: status))
    }

    private static func birthDate(_ primitive: R4.Primitive<String>?) throws(FHIREncodingError) -> Recorded<FHIRDate>? {
        guard let primitive else { return nil }
        if let text = primitive.value {
            return Recorded(text: text, value: try? FHIRDate(parsing: text))
        }
        guard
            let (index, element) = try Mapping.single(
                R4.SuiteExtension.receivedBirthDate.rawValue,
                in: primitive.extension,
                at: FieldPath("_birthDate")
            )
        else { return nil }
        guard case .string(let string) = element.value, let text = string.value else {
            throw .unmappable(
                FieldPath("_birthDate.extension").appending(index: index),
                "a received date of birth needs a valueString"
            )
        }
        return Recorded(text: text, value: nil)
    }

    private static func deceased(_ deceased: R4.Patient.Deceased?) throws(FHIREncodingError) -> FHIRDateTime? {
        switch deceased {
        case nil:
            return nil
        case .boolean(let flag):
            guard flag.value == true else { return nil }
            throw .unmappable(
                FieldPath("deceasedBoolean"),
                "a death with no date cannot be held: the record needs the date and time of death"
            )
        case .dateTime(let dateTime):
            return try Mapping.dateTime(dateTime, at: FieldPath("deceasedDateTime"))
        }
    }

    private static func receivedText(
        _ suite: R4.SuiteExtension,
        in extensions: [R4.Extension]
    ) throws(FHIREncodingError) -> String? {
        guard let (index, element) = try Mapping.single(suite.rawValue, in: extensions, at: .root) else { return nil }
        guard case .string(let string) = element.value, let text = string.value else {
            throw .unmappable(FieldPath("extension").appending(index: index), "a received value needs a valueString")
        }
        return text
    }

    /// The index of the `communication` entry that gives the preferred language: the one marked
    /// `preferred`, or the only entry when it is not marked as not preferred.
    static func preferredLanguageIndex(_ communication: [R4.Patient.Communication]) -> Int? {
        if let marked = communication.firstIndex(where: { $0.preferred?.value == true }) { return marked }
        return communication.count == 1 && communication[0].preferred?.value != false ? 0 : nil
    }

    private static func communication(_ patient: R4.Patient) throws(FHIREncodingError) -> CommunicationPreferences? {
        var language: LanguageTag?
        if let index = preferredLanguageIndex(patient.communication) {
            let place = FieldPath("communication").appending(index: index).appending("language")
            guard
                let coding = patient.communication[index].language.coding.first(where: {
                    $0.system?.value == CodeSystem.bcp47.rawValue
                }), let code = coding.code?.value
            else {
                throw .unmappable(place, "the preferred language must be coded in BCP 47 (urn:ietf:bcp:47)")
            }
            do {
                language = try LanguageTag(parsing: code)
            } catch {
                throw .unmappable(place, error)
            }
        }
        var interpreter = false
        if let (index, element) = try Mapping.single(
            R4.CoreExtension.interpreterRequired,
            in: patient.extension,
            at: .root
        ) {
            guard case .boolean(let flag) = element.value, let value = flag.value else {
                throw .unmappable(
                    FieldPath("extension").appending(index: index),
                    "the interpreter flag needs a valueBoolean"
                )
            }
            interpreter = value
        }
        var channels: [CommunicationChannel] = []
        var needs: Set<CommunicationNeed> = []
        var noDigital = false
        if let (index, element) = try Mapping.single(
            R4.SuiteExtension.communicationPreferences.rawValue,
            in: patient.extension,
            at: .root
        ) {
            do {
                let parts = try Self.suitePreferences(element)
                (channels, needs, noDigital) = (parts.channels, parts.needs, parts.noDigital)
            } catch {
                throw error.nested(under: FieldPath("extension").appending(index: index))
            }
        }
        if language == nil, !interpreter, channels.isEmpty, needs.isEmpty, !noDigital { return nil }
        do {
            return try CommunicationPreferences(
                preferredChannels: channels,
                noDigital: noDigital,
                needs: needs,
                preferredLanguage: language,
                interpreterRequired: interpreter
            )
        } catch {
            throw .unmappable(FieldPath("communication"), error)
        }
    }

    /// What the suite's communication preferences extension holds.
    struct SuitePreferences {
        var channels: [CommunicationChannel] = []
        var needs: Set<CommunicationNeed> = []
        var noDigital = false
        /// On a care plan only.
        var language: LanguageTag?
        /// On a care plan only.
        var interpreterRequired = false
    }

    /// Reads the suite's communication preferences extension; the parts only a care plan carries
    /// (`language`, `interpreterRequired`) are refused unless `onPlan` is set.
    static func suitePreferences(
        _ element: R4.Extension,
        onPlan: Bool = false
    ) throws(FHIREncodingError) -> SuitePreferences {
        var result = SuitePreferences()
        for (index, part) in element.extension.enumerated() {
            let place = FieldPath("extension").appending(index: index)
            switch (part.url, part.value) {
            case ("channel", nil):
                var code: String?
                var digital: Bool?
                for inner in part.extension {
                    switch (inner.url, inner.value) {
                    case ("code", .code(let value)?): code = value.value
                    case ("digital", .boolean(let value)?): digital = value.value
                    default: throw .unmappable(place, "a channel holds a code and a digital flag only")
                    }
                }
                guard let code, let digital else {
                    throw .unmappable(place, "a channel needs a code and a digital flag")
                }
                result.channels.append(CommunicationChannel(rawValue: code, isDigital: digital))
            case ("need", .code(let value)?):
                guard let code = value.value else { throw .unmappable(place, "a need needs a code") }
                result.needs.insert(CommunicationNeed(rawValue: code))
            case ("noDigital", .boolean(let value)?):
                result.noDigital = value.value ?? false
            case ("language", .code(let value)?) where onPlan:
                guard result.language == nil else { throw .unmappable(place, "the language is given once") }
                do {
                    result.language = try LanguageTag(parsing: value.value ?? "")
                } catch {
                    throw .unmappable(place, error)
                }
            case ("interpreterRequired", .boolean(let value)?) where onPlan:
                guard let flag = try Mapping.flag(value, at: place) else { break }
                result.interpreterRequired = flag
            default:
                throw .unmappable(place, "the communication preferences extension has no such part")
            }
        }
        return result
    }

    private static func registeredPractice(_ references: [R4.Reference]) throws(FHIREncodingError) -> ODSCode? {
        var practice: ODSCode?
        for (index, reference) in references.enumerated() {
            let place = FieldPath("generalPractitioner").appending(index: index)
            guard let code = try Mapping.organisation(reference, at: place) else { continue }
            guard practice == nil else {
                throw .unmappable(place, "a patient is registered with one practice")
            }
            practice = code
        }
        return practice
    }

    static func isRestricted(_ meta: R4.Meta?) -> Bool {
        meta?.security.contains {
            $0.system?.value == confidentialitySystem && ($0.code?.value == "R" || $0.code?.value == "V")
        } ?? false
    }
}

extension R4.Patient {
    /// Writes a record as a UK Core Patient.
    ///
    /// A parsed NHS number is written as its ten digits, whatever spacing it was received with; one that
    /// fails the check goes in the suite's `received-nhs-number` extension, never under the NHS number
    /// system. A date of birth that is not a calendar date goes in the suite's `received-birth-date`
    /// extension. Preferences with nothing in them are not written, so they read back as `nil`.
    ///
    /// - Parameter record: The record.
    public init(_ record: PatientRecord) {
        self.init(record, keeping: nil)
    }

    /// Writes a record over the Patient it was read from, keeping everything the record has no place for
    /// and every element whose domain value has not changed.
    ///
    /// - Parameters:
    ///   - record: The record.
    ///   - original: The Patient the record was read from, if any.
    public init(_ record: PatientRecord, keeping original: R4.Patient?) {
        self = original ?? R4.Patient()
        id = record.id.rawValue
        meta = Self.meta(record, original: original?.meta)
        identifier = Self.identifiers(record, original: original?.identifier ?? [])
        name = Mapping.keepingEach(
            record.names,
            originals: original?.name ?? [],
            read: { (fhir) throws(FHIREncodingError) in try HumanName(fhir: fhir) },
            write: R4.HumanName.init(_:)
        )
        telecom = Mapping.keepingEach(
            record.telecom,
            originals: original?.telecom ?? [],
            read: { (fhir) throws(FHIREncodingError) in try ContactPoint(fhir: fhir) },
            write: R4.ContactPoint.init(_:)
        )
        address = Mapping.keepingEach(
            record.addresses,
            originals: original?.address ?? [],
            read: { (fhir) throws(FHIREncodingError) in try Address(fhir: fhir) },
            write: R4.Address.init(_:)
        )
        gender = Mapping.keeping(
            record.gender,
            original: original?.gender,
            read: { (fhir) throws(FHIREncodingError) in try Mapping.code(fhir, at: .root) },
            write: { $0.map { R4.Primitive($0.rawValue) } }
        )
        birthDate = Self.birthDate(record.birthDate, original: original?.birthDate)
        deceased = Self.deceased(record.deceased, original: original?.deceased)
        self.extension = Self.extensions(record, original: original)
        communication = Self.communication(
            record.communication?.preferredLanguage,
            original: original?.communication ?? []
        )
        generalPractitioner = Self.organisations(
            record.registeredPractice.map { [$0] } ?? [],
            original: original?.generalPractitioner ?? []
        )
        defer {
            // A narrative that no longer matches what changed could show, say, an old address: drop it.
            if let original, text != nil {
                var unchanged = original
                unchanged.meta = Mapping.meta(original.meta, claiming: .patient)
                if self != unchanged { text = nil }
            }
        }
        managingOrganization =
            Self.organisations(
                record.sourceOrganisation.map { [$0] } ?? [],
                original: original?.managingOrganization.map { [$0] } ?? []
            ).first
    }

    private static func meta(_ record: PatientRecord, original: R4.Meta?) -> R4.Meta {
        var meta = Mapping.meta(original, claiming: .patient)
        meta.lastUpdated = Mapping.keeping(
            record.lastUpdated,
            original: meta.lastUpdated,
            read: { (fhir) throws(FHIREncodingError) in try Mapping.instant(fhir, at: .root) },
            write: { $0.map { R4.Primitive($0.description) } }
        )
        if record.isRestricted != PatientRecord.isRestricted(meta) {
            if record.isRestricted {
                // Any other confidentiality code (PDS sends `U` for an unrestricted patient) would contradict it.
                meta.security.removeAll { $0.system?.value == confidentialitySystem }
                meta.security.append(
                    R4.Coding(system: R4.Primitive(confidentialitySystem), code: "R", display: "restricted")
                )
            } else {
                meta.security.removeAll {
                    $0.system?.value == confidentialitySystem && ($0.code?.value == "R" || $0.code?.value == "V")
                }
            }
        }
        return meta
    }

    private static func identifiers(_ record: PatientRecord, original: [R4.Identifier]) -> [R4.Identifier] {
        let isNHS: (R4.Identifier) -> Bool = { $0.system?.value == IdentifierSystem.nhsNumber.rawValue }
        var result: [R4.Identifier] = []
        if let kept = keptNHSNumber(record, original: original) {
            result.append(kept)
        } else if let number = record.nhsNumber, number.value != nil {
            result.append(nhsNumberIdentifier(number))
        }
        result += Mapping.keepingEach(
            record.identifiers,
            originals: original.filter { !isNHS($0) },
            read: { (fhir) throws(FHIREncodingError) in try Identifier(fhir: fhir) },
            write: R4.Identifier.init(_:)
        )
        return result
    }

    /// The original NHS number identifier, whole, when it still reads as the record's number and holds it as
    /// UK Core requires (ten digits that pass the check); a number that fails the check is never written
    /// back under the NHS number system.
    private static func keptNHSNumber(_ record: PatientRecord, original: [R4.Identifier]) -> R4.Identifier? {
        guard let number = record.nhsNumber, let digits = number.value?.digits,
            let identifier = original.first(where: { $0.system?.value == IdentifierSystem.nhsNumber.rawValue }),
            identifier.value?.value == digits, (try? PatientRecord.nhsNumber(identifier)) == number
        else { return nil }
        return identifier
    }

    private static func nhsNumberIdentifier(_ number: Recorded<NHSNumber>) -> R4.Identifier {
        var identifier = R4.Identifier(
            system: R4.Primitive(IdentifierSystem.nhsNumber.rawValue),
            value: R4.Primitive(number.value?.digits)
        )
        if let status = number.value?.verificationStatus {
            identifier.extension = [
                R4.Extension(
                    url: R4.CoreExtension.nhsNumberVerificationStatus,
                    value: .codeableConcept(R4.CodeableConcept(CodeableConcept(status.coding)))
                )
            ]
        }
        return identifier
    }

    private static func birthDate(_ date: Recorded<FHIRDate>?, original: R4.Primitive<String>?) -> R4.Primitive<String>?
    {
        guard let date else {
            // An element with no date and other extensions, such as a data-absent reason, says something the
            // record has no place for: keep it, without a received date the record no longer holds.
            guard var kept = original, kept.value == nil else { return nil }
            kept.extension = Mapping.setting(R4.SuiteExtension.receivedBirthDate.rawValue, to: nil, in: kept.extension)
            return kept.extension.isEmpty && kept.id == nil ? nil : kept
        }
        if let value = date.value {
            // The element is kept whole, with a birth time or other extensions, while it holds the same date.
            if var kept = original, kept.value.flatMap({ try? FHIRDate(parsing: $0) }) == value {
                kept.extension = Mapping.setting(
                    R4.SuiteExtension.receivedBirthDate.rawValue,
                    to: nil,
                    in: kept.extension
                )
                return kept
            }
            return R4.Primitive(value.description)
        }
        let received = R4.Extension(
            url: R4.SuiteExtension.receivedBirthDate.rawValue,
            value: .string(R4.Primitive(date.text))
        )
        return R4.Primitive(
            nil,
            extension: Mapping.setting(
                R4.SuiteExtension.receivedBirthDate.rawValue,
                to: received,
                in: original?.value == nil ? original?.extension ?? [] : []
            )
        )
    }

    private static func deceased(_ death: FHIRDateTime?, original: R4.Patient.Deceased?) -> R4.Patient.Deceased? {
        guard let death else {
            // A false flag says what an absent one does; keep it.
            if case .boolean(let flag) = original, flag.value == false { return original }
            return nil
        }
        if case .dateTime(let kept) = original, kept.value.flatMap({ try? FHIRDateTime(parsing: $0) }) == death {
            return original
        }
        return .dateTime(R4.Primitive(death.description))
    }

    private static func extensions(_ record: PatientRecord, original: R4.Patient?) -> [R4.Extension] {
        var result = original?.extension ?? []
        let unplacedNumber = record.nhsNumber != nil && record.nhsNumber?.value == nil
        for (suite, text) in [
            (R4.SuiteExtension.receivedPostcode, record.receivedPostcode?.text),
            (.receivedNHSNumber, unplacedNumber ? record.nhsNumber?.text : nil),
        ] {
            let received = text.map { R4.Extension(url: suite.rawValue, value: .string(R4.Primitive($0))) }
            result = Mapping.setting(suite.rawValue, to: received, in: result)
        }
        let preferences = record.communication
        let interpreter =
            preferences?.interpreterRequired == true
            ? R4.Extension(url: R4.CoreExtension.interpreterRequired, value: .boolean(true)) : nil
        let flags = result.filter { $0.url == R4.CoreExtension.interpreterRequired }
        if flags.count == 1, case .boolean(let flag) = flags[0].value,
            flag.value == preferences?.interpreterRequired ?? false
        {
            // Unchanged, including an explicit `false`: keep it as it was.
        } else {
            result = Mapping.setting(R4.CoreExtension.interpreterRequired, to: interpreter, in: result)
        }
        result = Mapping.setting(
            R4.SuiteExtension.communicationPreferences.rawValue,
            to: preferences.flatMap { Self.suitePreferences($0) },
            in: result
        )
        return result
    }

    /// Writes the suite's communication preferences extension; on a care plan (`onPlan`) with the language
    /// and interpreter flag, which a Patient gives elsewhere.
    static func suitePreferences(_ preferences: CommunicationPreferences, onPlan: Bool = false) -> R4.Extension? {
        var parts: [R4.Extension] = preferences.preferredChannels.map { channel in
            R4.Extension(
                url: "channel",
                extension: [
                    R4.Extension(url: "code", value: .code(R4.Primitive(channel.rawValue))),
                    R4.Extension(url: "digital", value: .boolean(R4.Primitive(channel.isDigital))),
                ]
            )
        }
        parts += preferences.needs.sorted().map { R4.Extension(url: "need", value: .code(R4.Primitive($0.rawValue))) }
        if preferences.noDigital {
            parts.append(R4.Extension(url: "noDigital", value: .boolean(true)))
        }
        if onPlan, let language = preferences.preferredLanguage {
            parts.append(R4.Extension(url: "language", value: .code(R4.Primitive(language.rawValue))))
        }
        if onPlan, preferences.interpreterRequired {
            parts.append(R4.Extension(url: "interpreterRequired", value: .boolean(true)))
        }
        guard !parts.isEmpty else { return nil }
        return R4.Extension(url: R4.SuiteExtension.communicationPreferences.rawValue, extension: parts)
    }

    private static func communication(
        _ language: LanguageTag?,
        original: [R4.Patient.Communication]
    ) -> [R4.Patient.Communication] {
        func tag(_ entry: R4.Patient.Communication) -> LanguageTag? {
            let code = entry.language.coding.first { $0.system?.value == CodeSystem.bcp47.rawValue }?.code?.value
            return code.flatMap { try? LanguageTag(parsing: $0) }
        }
        var result = original
        let chosen = PatientRecord.preferredLanguageIndex(original)
        if let chosen {
            if let language, tag(original[chosen]) == language { return original }
            result.remove(at: chosen)
        }
        guard let language else { return result }
        // An entry already naming the language becomes the preferred one, rather than a second entry for it.
        if let existing = result.firstIndex(where: { tag($0) == language }) {
            result[existing].preferred = true
            return result
        }
        let entry = R4.Patient.Communication(
            language: R4.CodeableConcept(
                coding: [
                    R4.Coding(system: R4.Primitive(CodeSystem.bcp47.rawValue), code: R4.Primitive(language.rawValue))
                ]
            ),
            preferred: true
        )
        result.insert(entry, at: chosen ?? 0)
        return result
    }

    /// References by ODS code for the organisations given, over the original references: those not by ODS
    /// code are kept after them, and an unchanged one is kept whole.
    private static func organisations(_ codes: [ODSCode], original: [R4.Reference]) -> [R4.Reference] {
        var byCode: [R4.Reference] = []
        var others: [R4.Reference] = []
        for reference in original {
            if (try? Mapping.organisation(reference, at: .root)) != nil {
                byCode.append(reference)
            } else {
                others.append(reference)
            }
        }
        return Mapping.keepingEach(
            codes,
            originals: byCode,
            read: { (fhir) throws(FHIREncodingError) in
                guard let code = try Mapping.organisation(fhir, at: .root) else {
                    throw .unmappable(.root, "not a reference by ODS code")
                }
                return code
            },
            write: R4.Reference.init(organisation:)
        ) + others
    }
}
