import CareCore
import Foundation

// What every resource mapping shares: the UK Core profile URLs it claims, the suite's own extension URLs for
// what UK Core has no element for, and helpers to read and write extensions, references and meta.

extension R4 {
    /// The NHS England UK Core STU2 (2.0.0) profiles the mappings claim in `meta.profile`.
    public enum UKCoreProfile: String, Hashable, Sendable, CaseIterable {
        /// `UKCore-Patient`.
        case patient = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"
        /// `UKCore-Observation`, the profile NEWS2 observations are written against.
        case observation = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation"
        /// `UKCore-Bundle`.
        case bundle = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Bundle"
        /// `UKCore-Schedule`.
        case schedule = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Schedule"
        /// `UKCore-Slot`.
        case slot = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Slot"
        /// `UKCore-Appointment`.
        case appointment = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Appointment"
        /// `UKCore-Communication`.
        case communication = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Communication"
        /// `UKCore-CarePlan`.
        case carePlan = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-CarePlan"
        /// `UKCore-CareTeam`.
        case careTeam = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-CareTeam"
        /// `UKCore-Consent`.
        case consent = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Consent"
        /// `UKCore-PractitionerRole`.
        case practitionerRole = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-PractitionerRole"
        /// `UKCore-Practitioner`, the profile a member of staff is written against.
        case practitioner = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Practitioner"
        /// `UKCore-Organization`, the profile an organisation is written against.
        case organization = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization"
        /// `UKCore-Flag`.
        case flag = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Flag"
        /// `UKCore-AuditEvent`.
        case auditEvent = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-AuditEvent"
        /// `UKCore-Encounter`.
        case encounter = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter"
    }

    /// The suite's own extensions, for what the domain models and neither R4 nor UK Core has an element for.
    ///
    /// Their URLs sit under `https://integratedcarekit.example/fhir/StructureDefinition/`, a reserved
    /// example domain (RFC 2606) that names no real server: a receiving system that does not know them
    /// ignores them, as FHIR requires of any non-modifier extension. The DocC article "Mapping domain
    /// values to UK Core resources" lists each with its shape.
    public enum SuiteExtension: String, Hashable, Sendable, CaseIterable {
        /// A date of birth as received when it is not a calendar date, on `Patient._birthDate`
        /// (`valueString`).
        case receivedBirthDate = "https://integratedcarekit.example/fhir/StructureDefinition/received-birth-date"
        /// An NHS number as received when it fails the Modulus 11 check, on `Patient` (`valueString`): it is
        /// evidence for matching, but never written under the NHS number system, which UK Core reserves for
        /// valid numbers.
        case receivedNHSNumber = "https://integratedcarekit.example/fhir/StructureDefinition/received-nhs-number"
        /// A postcode as received when it could not be placed in an address, on `Patient` (`valueString`).
        case receivedPostcode = "https://integratedcarekit.example/fhir/StructureDefinition/received-postcode"
        /// How a person wants to be contacted, on `Patient`: sub-extensions `channel` (in order of
        /// preference, each with `code` and `digital`), `need` (`valueCode`) and `noDigital`
        /// (`valueBoolean`).
        case communicationPreferences =
            "https://integratedcarekit.example/fhir/StructureDefinition/communication-preferences"
        /// The recorded decision to score SpO2 on NEWS2 Scale 2, on an `Observation`: sub-extensions
        /// `prescribedBy` (`valueString`) and `recordedAt` (`valueInstant`).
        case scale2Prescription = "https://integratedcarekit.example/fhir/StructureDefinition/spo2-scale2-prescription"
        /// The organisation that runs a diary, on a `Schedule` (`valueReference` by ODS organisation code):
        /// R4's Schedule has no element for it.
        case scheduleOrganisation =
            "https://integratedcarekit.example/fhir/StructureDefinition/schedule-organisation"
        /// How many appointments a slot holds, on a `Slot` (`valueUnsignedInt`), written only when its status
        /// and `overbooked` do not already say it (busy is one, overbooked two, anything else none).
        case bookedCount = "https://integratedcarekit.example/fhir/StructureDefinition/booked-count"
        /// The lead diary of an appointment, the schedule of its first slot, on an `Appointment`
        /// (`valueReference` to the `Schedule`): R4's Appointment names its slots but not their diary.
        case leadSchedule = "https://integratedcarekit.example/fhir/StructureDefinition/lead-schedule"
        /// What a waiting-list entry holds beyond its Appointment's elements, on an `Appointment` whose
        /// status is `waitlist` or, once the entry stopped waiting, `cancelled`: sub-extensions `status`
        /// (`valueCode`: `waiting`, `offered`, `booked`, `withdrawn`), `organisation` (`valueReference` by ODS
        /// code), `channel` (repeating `valueCode`), `offer` (`slot` as `valueId`, `made` and `expires` as
        /// `valueDateTime`), `passedOver` (repeating `valueId`, a slot) and `appointment` (`valueId`, the
        /// appointment booked from it).
        case waitlistEntry = "https://integratedcarekit.example/fhir/StructureDefinition/waitlist-entry"
        /// The structured facts of an appointment message, on a `Communication`: sub-extensions `audience`,
        /// `delivery`, `previousDelivery`, `cancelledBy`, `reminderKind` (`valueCode`); `service`, `starts`,
        /// `previousStart` (Europe/London wall-clock times as `YYYY-MM-DDThh:mm:ss`), `place`, `contact`,
        /// `summary` (`valueString`); `largePrint`, `digital`, `movedForQuietHours` (`valueBoolean`); and
        /// `sendAt` (`valueInstant`) for a planned reminder.
        case appointmentMessage = "https://integratedcarekit.example/fhir/StructureDefinition/appointment-message"
        /// The PRSB "About me" section of a care plan, in the person's words, on a `CarePlan`: sub-extensions
        /// `pleaseCallMe`, `whatMattersToMe` (required), `howToCommunicateWithMe`, `peopleImportantToMe` and
        /// `aGoodDay` (`valueString`).
        case aboutMe = "https://integratedcarekit.example/fhir/StructureDefinition/about-me"
        /// The sections of a care plan R4's CarePlan has no element for, on a `CarePlan`: sub-extensions
        /// `mentalHealthAndWellbeing` and `contingency` (repeating) (`valueString`), `reviewDate`
        /// (`valueDate`), `owner` (`name`, `role` as `valueString`, `organisation` as `valueReference` by
        /// ODS code) and `contact` (repeating: `id` as `valueId`; `name`, `relationship`, `telephone` as
        /// `valueString`; `emergency`, `safeguarding` as `valueBoolean`).
        case carePlanSections = "https://integratedcarekit.example/fhir/StructureDefinition/care-plan-sections"
        /// Advance care planning other than ReSPECT, on a `CarePlan`: sub-extensions `preferredPlaceOfCare`
        /// (`valueString`), `adrt` and `lpa` (each with `status` as `valueCode` `present`, `absent` or
        /// `unknown`, and `location` and `holder` as `valueString`).
        case advanceCarePlan = "https://integratedcarekit.example/fhir/StructureDefinition/advance-care-plan"
        /// The ReSPECT recommendations (Resuscitation Council UK form, sections 3 and 4), on a `CarePlan`:
        /// sub-extensions `cpr` (`valueCode`: `cpr-attempts-recommended`, `cpr-attempts-not-recommended`,
        /// `modified-cpr-child`), `careFocus` (`valueCode`: `prioritise-sustaining-life`, `balanced`,
        /// `prioritise-comfort`), `recommendation` (repeating, `valueString`), `hospitalAdmissionWanted`
        /// (`valueBoolean`), `recordedBy` (`valueString`), `recordedOn` and `reviewBy` (`valueDate`).
        case respectRecommendations =
            "https://integratedcarekit.example/fhir/StructureDefinition/respect-recommendations"
        /// Who made a care plan's version, for which organisation, when and why, on a `CarePlan`:
        /// sub-extensions `author`, `role`, `reason` (`valueString`), `organisation` (`valueReference` by ODS
        /// code) and `at` (`valueDateTime`).
        case planChange = "https://integratedcarekit.example/fhir/StructureDefinition/plan-change"
        /// A care plan proposal's plan, the version it was made against, its number and, once made, the
        /// decision on it, on a `CarePlan` whose intent is `proposal`: sub-extensions `plan` (`valueId`),
        /// `version` and `number` (`valuePositiveInt`) and `decision`, whose sub-extensions are `accepted`
        /// (`valueBoolean`) and those of ``planChange``.
        case carePlanProposal = "https://integratedcarekit.example/fhir/StructureDefinition/care-plan-proposal"
        /// A goal's target when it has no measure, on a `Goal` (`valueString`): R4 allows `target.detail`
        /// only beside `target.measure` (invariant gol-1).
        case goalTarget = "https://integratedcarekit.example/fhir/StructureDefinition/goal-target"
        /// How a goal stood when a progress entry was recorded, on a `Goal.note` (`valueCode` from HL7's
        /// goal-achievement).
        case progressAchievement = "https://integratedcarekit.example/fhir/StructureDefinition/progress-achievement"
        /// What a care team member's participant has no element for, on `CareTeam.participant`: sub-extensions
        /// `telephone` (`valueString`) and `lead` (`valueBoolean`).
        case careTeamMember = "https://integratedcarekit.example/fhir/StructureDefinition/care-team-member"
        /// Everyone acting under an NHS RBAC job role, as an actor of a consent provision (`valueCode`, such as
        /// `R8000`), repeating, on `Consent.provision`. It is the suite's one **modifier** extension, carried in
        /// `modifierExtension`: no Consent element names everyone holding a role, and a receiver that ignored
        /// it would apply the provision to everyone. FHIR requires a receiver that does not know a modifier
        /// extension to refuse the element.
        case consentActorJobRole = "https://integratedcarekit.example/fhir/StructureDefinition/consent-actor-job-role"
        /// An NHS RBAC activity granted to a role profile beyond its job role's baseline, on a
        /// `PractitionerRole` (`valueCode`, such as `B0825`), repeating.
        case grantedActivity = "https://integratedcarekit.example/fhir/StructureDefinition/granted-activity"
        /// What a break-glass grant's Flag has no element for, on a `Flag`: sub-extensions `reason`
        /// (`valueCode`: `patient-unconscious`, `unable-to-communicate`, `immediate-risk-to-life`, `other`, or a
        /// reason a team defines), `profile` (the URPID, `valueId`) and `justification` (the user's own
        /// words, `valueString`).
        case breakGlass = "https://integratedcarekit.example/fhir/StructureDefinition/break-glass"
        /// A protected record item, on a `Flag`: sub-extensions `item` (`valueId`), `dataClass` and `reason`
        /// (`valueCode`), `hiddenFromRole` (repeating `valueCode`, an RBAC job role), `hiddenFromPatient`,
        /// `hiddenFromProxies` and `withheldUntilDiscussed` (`valueBoolean`) and `discussed`
        /// (`valueDateTime`).
        case protectedItem = "https://integratedcarekit.example/fhir/StructureDefinition/protected-item"
        /// What an audit entry's AuditEvent has no element for, on an `AuditEvent`: sub-extensions `sequence`,
        /// `previousHash` and `hash` (the chain, as decimal and 64 hexadecimal digits, `valueString`), `profile`
        /// (the URPID of a member of staff, `valueId`), `dataClass` and `action` (`valueCode`), and `reason`
        /// (repeating, in order: `kind` as `valueCode` and each `argument` as `valueString`).
        case accessAudit = "https://integratedcarekit.example/fhir/StructureDefinition/access-audit"
        /// Who gave a triage category and when, on an `Encounter.priority`: sub-extensions `assessedBy`,
        /// `flowchart` and `discriminator` (the licensed triage system's identifiers, `valueString`) and `at`
        /// (`valueDateTime`).
        case triageAssessment = "https://integratedcarekit.example/fhir/StructureDefinition/triage-assessment"
    }

    /// The suite's own code systems, for codes the domain defines and neither R4 nor UK Core has: under the
    /// same reserved example domain as ``SuiteExtension``.
    public enum SuiteCodeSystem: String, Hashable, Sendable, CaseIterable {
        /// What an appointment message is about: `confirmation`, `reminder`, `change`, `cancellation`,
        /// `did-not-attend`, `was-not-brought` (the Appointments module's `AppointmentMessage.Kind`).
        case appointmentMessageKind = "https://integratedcarekit.example/fhir/CodeSystem/appointment-message-kind"
        /// A way of sending a message to a person, by CareCore's `CommunicationChannel` code (`sms`, `email`,
        /// `app`, `letter`, `phone`, or a channel a service names).
        case communicationChannel = "https://integratedcarekit.example/fhir/CodeSystem/communication-channel"
        /// A class of record data a consent provision names, by the ConsentAccess module's `DataClass` code
        /// (`demographics`, `care-plan`, `sexual-health`, or a class a team defines).
        case dataClass = "https://integratedcarekit.example/fhir/CodeSystem/data-class"
        /// Why a record item is protected, by the ConsentAccess module's `ProtectedItem.Reason` code
        /// (`safeguarding`, `third-party`, `serious-harm`, `awaiting-discussion`): the code of its Flag.
        case protectionReason = "https://integratedcarekit.example/fhir/CodeSystem/protection-reason"
        /// An audit event that is not an authorisation decision (BALP has codes for those): `break-glass` and
        /// `alert-reviewed`, the ConsentAccess module's `AuditEntry.Event` codes.
        case auditEvent = "https://integratedcarekit.example/fhir/CodeSystem/audit-event"
        /// A triage category by its colour: `red`, `orange`, `yellow`, `green`, `blue` (the TriageScoring
        /// module's `TriageCategory`).
        case triageCategory = "https://integratedcarekit.example/fhir/CodeSystem/triage-category"
        /// A NEWS2 clinical risk: `none`, `low`, `low-medium`, `medium`, `high` (the TriageScoring module's
        /// `NEWS2Response`), finer than HL7's risk-probability.
        case news2ClinicalRisk = "https://integratedcarekit.example/fhir/CodeSystem/news2-clinical-risk"
    }

    /// Extensions defined by HL7 that the mappings read and write.
    enum CoreExtension {
        /// Whether the patient needs an interpreter (`valueBoolean`), as UK Core's examples carry it.
        static let interpreterRequired = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
        /// UK Core's delivery channel of an appointment or slot (`valueCodeableConcept` in
        /// `UKCore-DeliveryChannel`).
        static let deliveryChannel = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeliveryChannel"
        /// UK Core's delivery channel code system: `In-person`, `Telephone`, `Video`.
        static let deliveryChannelSystem = "https://fhir.hl7.org.uk/CodeSystem/UKCore-DeliveryChannel"
        /// UK Core's NHS number verification status, on the NHS number identifier (`valueCodeableConcept`).
        static let nhsNumberVerificationStatus =
            "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus"
    }
}

extension Mapping {
    /// Refuses a resource or element carrying modifier extensions: they change the meaning of what they sit
    /// on, and a reader that does not know them must not act on it (R4 §2.1.0.2, "Modifier Extensions").
    static func refuseModifierExtensions(_ extensions: [R4.Extension], at field: FieldPath) throws(FHIREncodingError) {
        guard !extensions.isEmpty else { return }
        throw .unmappable(
            field.appending("modifierExtension").appending(index: 0),
            "a modifier extension changes the meaning of the element and the mapping does not know it"
        )
    }

    /// The one extension with a URL, refusing a repeat.
    static func single(
        _ url: String,
        in extensions: [R4.Extension],
        at field: FieldPath
    ) throws(FHIREncodingError) -> (index: Int, element: R4.Extension)? {
        var found: (Int, R4.Extension)?
        for (index, element) in extensions.enumerated() where element.url == url {
            guard found == nil else {
                throw .unmappable(field.appending("extension").appending(index: index), "the extension is repeated")
            }
            found = (index, element)
        }
        return found
    }

    /// Replaces the extensions with a URL by `replacement`, in the place of the first one, or appends it.
    static func setting(_ url: String, to replacement: R4.Extension?, in extensions: [R4.Extension]) -> [R4.Extension] {
        var result: [R4.Extension] = []
        var placed = false
        for element in extensions {
            guard element.url == url else {
                result.append(element)
                continue
            }
            if !placed, let replacement {
                result.append(replacement)
            }
            placed = true
        }
        if !placed, let replacement { result.append(replacement) }
        return result
    }

    /// Meta with a profile claimed: the original meta kept, the profile added when it is not already there.
    static func meta(_ original: R4.Meta?, claiming profile: R4.UKCoreProfile) -> R4.Meta {
        var meta = original ?? R4.Meta()
        if !meta.profile.contains(where: { $0.value == profile.rawValue }) {
            meta.profile.append(R4.Primitive(profile.rawValue))
        }
        return meta
    }

    /// Reads an instant element.
    static func instant(_ primitive: R4.Primitive<String>?, at field: FieldPath) throws(FHIREncodingError) -> Instant? {
        guard let text = try text(primitive, at: field) else { return nil }
        do {
            return try Instant(parsing: text)
        } catch {
            throw .unmappable(field, error)
        }
    }

    /// Reads a dateTime element.
    static func dateTime(
        _ primitive: R4.Primitive<String>?,
        at field: FieldPath
    ) throws(FHIREncodingError) -> FHIRDateTime? {
        guard let text = try text(primitive, at: field) else { return nil }
        do {
            return try FHIRDateTime(parsing: text)
        } catch {
            throw .unmappable(field, error)
        }
    }

    /// The ODS organisation code a reference gives, or `nil` when it identifies its target another way.
    static func organisation(_ reference: R4.Reference, at field: FieldPath) throws(FHIREncodingError) -> ODSCode? {
        guard let identifier = reference.identifier,
            identifier.system?.value == IdentifierSystem.odsOrganisationCode.rawValue
        else { return nil }
        guard let text = try Self.text(identifier.value, at: field.appending("identifier.value")) else {
            throw .unmappable(field.appending("identifier.value"), "an ODS organisation reference needs a code")
        }
        do {
            return try ODSCode(parsing: text)
        } catch {
            throw .unmappable(field.appending("identifier.value"), error)
        }
    }

    /// Reads each element of a repeating element, placing errors under the element's name and index.
    static func each<Element, Domain>(
        _ elements: [Element],
        at name: String,
        _ read: (Element) throws(FHIREncodingError) -> Domain
    ) throws(FHIREncodingError) -> [Domain] {
        var result: [Domain] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            do {
                result.append(try read(element))
            } catch {
                throw error.nested(under: FieldPath(name).appending(index: index))
            }
        }
        return result
    }

    /// Writes domain values back over the R4 elements they may have been read from: each value takes the
    /// first unused original that still reads as it, whole, and is written fresh otherwise.
    static func keepingEach<Domain: Equatable, Element>(
        _ values: [Domain],
        originals: [Element],
        read: (Element) throws(FHIREncodingError) -> Domain,
        write: (Domain) -> Element
    ) -> [Element] {
        var candidates: [(element: Element, value: Domain)?] = originals.map { original in
            (try? read(original)).map { (original, $0) }
        }
        return values.map { value in
            if let index = candidates.firstIndex(where: { $0?.value == value }), let match = candidates[index] {
                candidates[index] = nil
                return match.element
            }
            return write(value)
        }
    }
}

extension R4.Reference {
    /// A relative literal reference to a resource by type and logical id, such as `Slot/3f2a`.
    init(_ type: String, id: String) {
        self.init(reference: R4.Primitive("\(type)/\(id)"))
    }
}

extension Mapping {
    /// The resource type and logical id a literal reference names: `Type/id` or `Type/id/_history/n`.
    /// `nil` for a reference with no literal (one by identifier or display only), to a contained resource
    /// (`#id`) or by `urn:` (inside a Bundle).
    ///
    /// An absolute URL is refused: it may name a resource on another server, whose id is not the suite's
    /// id for the same record, and reading it as a local id could point at another patient. So is a search
    /// (`Type?…`), a type that is not a resource type name, and an id that breaks the FHIR `id` rule.
    static func target(
        _ reference: R4.Reference,
        at field: FieldPath
    ) throws(FHIREncodingError) -> (type: String, id: String)? {
        let place = field.appending("reference")
        guard let text = try text(reference.reference, at: place), !text.hasPrefix("#"), !text.hasPrefix("urn:")
        else { return nil }
        if text.contains("://") {
            throw .unmappable(place, "an absolute reference may name another server's resource, not the suite's")
        }
        var parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 4, parts[2] == "_history" { parts.removeLast(2) }
        guard parts.count == 2, let initial = parts[0].first, initial.isASCII, initial.isUppercase,
            parts[0].allSatisfy({ $0.isASCII && $0.isLetter }), EntityID<Never>(String(parts[1])) != nil
        else {
            throw .unmappable(place, "a literal reference must be Type/id, with a FHIR id")
        }
        let type = String(parts[0])
        if let declared = reference.type?.value, declared != type {
            throw .unmappable(field.appending("type"), "the declared type contradicts the literal reference")
        }
        return (type, String(parts[1]))
    }

    /// The id of one of the suite's records from a reference that must name a resource of `type` by its
    /// logical id.
    static func entityID<Tag>(
        _ reference: R4.Reference?,
        of type: String,
        at field: FieldPath
    ) throws(FHIREncodingError) -> EntityID<Tag> {
        guard let reference, let target = try target(reference, at: field) else {
            throw .unmappable(field, "the mapping needs a literal reference to the \(type) by its id")
        }
        guard target.type == type else {
            throw .unmappable(field.appending("reference"), "the reference must be to a \(type)")
        }
        do {
            return try EntityID(validating: target.id)
        } catch {
            throw .unmappable(field.appending("reference"), error)
        }
    }

    /// An id from its text, refusing one that breaks the FHIR `id` rule, placed at `field`.
    static func entityID<Tag>(_ text: String, at field: FieldPath) throws(FHIREncodingError) -> EntityID<Tag> {
        do {
            return try EntityID(validating: text)
        } catch {
            throw .unmappable(field, error)
        }
    }

    /// Reads an instant or a dateTime given to the second with an offset, as a `Date`.
    static func moment(_ primitive: R4.Primitive<String>?, at field: FieldPath) throws(FHIREncodingError) -> Date? {
        guard let dateTime = try dateTime(primitive, at: field) else { return nil }
        guard let instant = dateTime.instant else {
            throw .unmappable(field, "the mapping needs a moment: a date and a time with its offset")
        }
        return instant.date
    }

    /// Writes a moment in UTC, with the fewest fractional digits (none, 3, 6 or 9) that read back as the same
    /// `Date`.
    static func moment(_ date: Date, at field: FieldPath) throws(FHIREncodingError) -> R4.Primitive<String> {
        do {
            // The fewest digits that read back as the same `Date`: none for whole seconds, up to nine for a
            // clock's reading.
            for digits in [0, 3, 6] {
                let instant = try Instant(date, fractionDigits: digits)
                if instant.date == date { return R4.Primitive(instant.description) }
            }
            return R4.Primitive(try Instant(date, fractionDigits: 9).description)
        } catch {
            throw .unmappable(field, error)
        }
    }

    /// Writes a moment over the element it was read from, keeping the original's text (and its offset) when
    /// it names the same moment.
    static func moment(
        _ date: Date,
        original: R4.Primitive<String>?,
        at field: FieldPath
    ) throws(FHIREncodingError) -> R4.Primitive<String> {
        if let original, let kept = try? moment(original, at: field), kept == date { return original }
        return try moment(date, at: field)
    }

    /// A concept with one coding.
    static func concept(_ system: String, _ code: String, display: String? = nil) -> R4.CodeableConcept {
        R4.CodeableConcept(
            coding: [
                R4.Coding(
                    system: R4.Primitive(system),
                    code: R4.Primitive(code),
                    display: display.map { R4.Primitive($0) }
                )
            ]
        )
    }

    /// The code of the first coding in a system within one concept, refusing a coding in it with no code.
    static func code(
        in concept: R4.CodeableConcept,
        system: CodeSystem,
        at field: FieldPath
    ) throws(FHIREncodingError) -> String? {
        for (position, coding) in concept.coding.enumerated() where coding.system?.value == system.rawValue {
            let place = field.appending("coding").appending(index: position).appending("code")
            guard let code = try text(coding.code, at: place), !code.isEmpty else {
                throw .unmappable(place, "the coding has no code")
            }
            return code
        }
        return nil
    }

    /// Reads a boolean element, refusing one given only by extensions.
    static func flag(_ primitive: R4.Primitive<Bool>?, at field: FieldPath) throws(FHIREncodingError) -> Bool? {
        guard let primitive else { return nil }
        guard let value = primitive.value else {
            throw .unmappable(field, "a value given only by extensions cannot be mapped")
        }
        return value
    }

    /// The code of the first coding in a system within the concepts of a repeating element.
    static func code(
        in concepts: [R4.CodeableConcept],
        system: CodeSystem,
        at field: FieldPath
    ) throws(FHIREncodingError) -> String? {
        for (index, concept) in concepts.enumerated() {
            if let code = try code(in: concept, system: system, at: field.appending(index: index)) { return code }
        }
        return nil
    }
}
