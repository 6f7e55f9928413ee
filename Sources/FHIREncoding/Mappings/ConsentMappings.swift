public import CareCore
public import ConsentAccess
import Foundation

// Consent directives <-> UK Core Consent (issue #9).
//
// Element by element:
// - the directive's id, status and patient <-> `id`, `status` and `patient` (a Patient by id);
// - its scope <-> the `consentscope` coding in `scope`;
// - when it was recorded <-> `dateTime` (a day alone reads as the start of that day in Europe/London);
// - the provision tree <-> `provision`, nested provisions in order, so that a decision's
//   `provision.provision[1]` names the same rule on both sides:
//   - permit or deny <-> `type`, required at every level (R4 leaves the root's optional, and the access module
//     cannot decide without it);
//   - when it applies <-> `period` (moments; a day alone covers that whole day in Europe/London);
//   - a member of staff, an organisation, a proxy <-> `actor` with the role "information recipient"
//     (v3-ParticipationType `IRCP`) and a reference to the Practitioner by id, the Organization by ODS
//     code or the RelatedPerson by id;
//   - a job role <-> the suite's `consent-actor-job-role` modifier extension: no Consent element names
//     everyone holding a role, and a receiver that ignored it would widen the rule to everyone;
//   - actions <-> `action` in HL7's consentaction (`access` reads, `correct` updates);
//   - purposes <-> `purpose` in v3-ActReason;
//   - data classes <-> `class` in the suite's data-class code system.
// - `policyRule` says opt-in (v3-ActCode `OPTIN`) for a root that permits and opt-out (`OPTOUT`) for one that
//   denies when the Consent names no policy of its own; R4's invariant ppc-1 needs one or the other.
//
// Reading refuses what would change a decision if it were dropped: a provision limited by security label,
// code, data period or named data, an action or purpose outside the systems above, an actor in another
// role. Reading it without the limit would widen a permit.

/// The code systems the Consent mapping reads and writes.
enum ConsentCodes {
    /// HL7's consentscope.
    static let scope = "http://terminology.hl7.org/CodeSystem/consentscope"
    /// HL7's consentaction.
    static let action = "http://terminology.hl7.org/CodeSystem/consentaction"
    /// HL7 v3 ParticipationType, for an actor's role.
    static let participationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
    /// HL7 v3 ActCode, for the category and the policy rule.
    static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    /// The actor roles read as "the people reaching the data": information recipient and primary information
    /// recipient.
    static let recipientRoles: Set<String> = ["IRCP", "PRCP"]
    /// The suite's policy: the provision tree is the whole of the directive's rules, its root's type the base
    /// decision for the requests it matches and nested provisions exceptions to their parent.
    static let suitePolicy = "https://integratedcarekit.example/fhir/policy/consent-provision-tree"
}

extension ConsentDirective {
    /// Reads a UK Core Consent.
    ///
    /// What the directive has no place for (identifiers, categories, performers, organisations, the source
    /// document, policies, verification) is not read; write back with
    /// ``FHIREncoding/R4/Consent/init(_:keeping:)`` to keep it.
    ///
    /// - Parameters:
    ///   - consent: The R4 Consent.
    ///   - id: The directive's key, when it is not the Consent's `id`.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a modifier
    ///   extension or `implicitRules`, a missing id, status, scope, patient or `dateTime`, a `dateTime` with
    ///   no day, no `provision`, a provision with no `type`, a provision the access module cannot apply as
    ///   written (see the file's element table), or a `policyRule` of opt-in or opt-out that contradicts the
    ///   root provision.
    public init(fhir consent: R4.Consent, id: ID? = nil) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(consent.modifierExtension, implicitRules: consent.implicitRules)
        let id: ID = try Mapping.id(id, of: consent.id)
        guard let statusCode = try Mapping.text(consent.status, at: FieldPath("status")),
            let status = Status(rawValue: statusCode)
        else {
            throw .unmappable(FieldPath("status"), "the status is not a consent state")
        }
        guard
            let scopeCode = try Mapping.code(
                in: consent.scope,
                system: CodeSystem(rawValue: ConsentCodes.scope),
                at: FieldPath("scope")
            ),
            let scope = Scope(rawValue: scopeCode)
        else {
            throw .unmappable(FieldPath("scope"), "the scope needs a coding in HL7's consentscope")
        }
        let patient: Access.PatientID = try Mapping.entityID(consent.patient, of: "Patient", at: FieldPath("patient"))
        guard let recorded = try Mapping.recorded(consent.dateTime) else {
            throw .unmappable(FieldPath("dateTime"), "the mapping needs when the directive was recorded")
        }
        guard let root = consent.provision else {
            throw .unmappable(
                FieldPath("provision"),
                "a Consent without a provision leaves the decision to its policy, which the access module cannot read"
            )
        }
        let provision = try ConsentProvision(fhir: root, at: FieldPath("provision"))
        try Mapping.refuseOptOut(consent.policyRule, root: provision)
        self.init(id: id, patient: patient, status: status, scope: scope, recorded: recorded, provision: provision)
    }
}

extension ConsentProvision {
    /// Reads a provision and its nested provisions, placing errors at `place`.
    init(fhir provision: R4.Consent.Provision, at place: FieldPath) throws(FHIREncodingError) {
        let jobRoles = try Self.jobRoles(provision.modifierExtension, at: place)
        guard let typeCode = try Mapping.text(provision.type, at: place.appending("type")) else {
            throw .unmappable(place.appending("type"), "the mapping needs whether the provision permits or denies")
        }
        guard let type = Kind(rawValue: typeCode) else {
            throw .unmappable(place.appending("type"), "the type is not permit or deny")
        }
        for (name, present) in [
            ("securityLabel", !provision.securityLabel.isEmpty), ("code", !provision.code.isEmpty),
            ("dataPeriod", provision.dataPeriod != nil), ("data", !provision.data.isEmpty),
        ] where present {
            throw .unmappable(
                place.appending(name),
                "the access module cannot apply a provision limited by \(name), and dropping the limit would widen it"
            )
        }
        let period = try Mapping.validity(provision.period, at: place.appending("period"))
        var actors = Set(jobRoles.map(Actor.jobRole))
        for (index, actor) in provision.actor.enumerated() {
            actors.insert(try Actor(fhir: actor, at: place.appending("actor").appending(index: index)))
        }
        var actions: Set<AccessAction> = []
        for (index, concept) in provision.action.enumerated() {
            actions.insert(try Mapping.accessAction(concept, at: place.appending("action").appending(index: index)))
        }
        var purposes: [PurposeOfUse] = []
        for (index, coding) in provision.purpose.enumerated() {
            let field = place.appending("purpose").appending(index: index)
            guard coding.system?.value == PurposeOfUse.codeSystem,
                let code = try Mapping.text(coding.code, at: field.appending("code")), !code.isEmpty
            else {
                throw .unmappable(field, "a purpose must be a code in v3-ActReason")
            }
            // The category is not part of a provision's match, which compares codes only.
            purposes.append(PurposeOfUse(code: code, category: .directCare))
        }
        var classes: Set<DataClass> = []
        for (index, coding) in provision.class.enumerated() {
            let field = place.appending("class").appending(index: index)
            guard coding.system?.value == R4.SuiteCodeSystem.dataClass.rawValue,
                let code = try Mapping.text(coding.code, at: field.appending("code")), !code.isEmpty
            else {
                throw .unmappable(field, "a data class must be a code in the suite's data-class code system")
            }
            classes.insert(DataClass(rawValue: code))
        }
        var nested: [ConsentProvision] = []
        for (index, child) in provision.provision.enumerated() {
            nested.append(try ConsentProvision(fhir: child, at: place.appending("provision").appending(index: index)))
        }
        self.init(
            type,
            period: period,
            actors: actors,
            purposes: Set(purposes),
            dataClasses: classes,
            actions: actions,
            provisions: nested
        )
    }

    /// The job roles in the suite's modifier extension, refusing any other modifier extension.
    static func jobRoles(_ extensions: [R4.Extension], at place: FieldPath) throws(FHIREncodingError) -> [JobRoleCode] {
        var roles: [JobRoleCode] = []
        for (index, element) in extensions.enumerated() {
            let field = place.appending("modifierExtension").appending(index: index)
            guard element.url == R4.SuiteExtension.consentActorJobRole.rawValue else {
                throw .unmappable(
                    field,
                    "a modifier extension changes the meaning of the element and the mapping does not know it"
                )
            }
            guard case .code(let primitive)? = element.value, let text = primitive.value, let role = JobRoleCode(text)
            else {
                throw .unmappable(field, "the job role needs a valueCode that is an NHS RBAC job role code")
            }
            roles.append(role)
        }
        return roles
    }
}

extension ConsentProvision.Actor {
    /// Reads a provision's actor: an information recipient named by reference.
    init(fhir actor: R4.Consent.Actor, at place: FieldPath) throws(FHIREncodingError) {
        try Mapping.refuseModifierExtensions(actor.modifierExtension, at: place)
        let isRecipient = actor.role.coding.contains {
            $0.system?.value == ConsentCodes.participationType
                && ConsentCodes.recipientRoles.contains($0.code?.value ?? "")
        }
        guard isRecipient else {
            throw .unmappable(
                place.appending("role"),
                "the access module matches actors as the people reaching the record: the role must be IRCP or PRCP"
            )
        }
        let field = place.appending("reference")
        let reference = actor.reference
        if reference.identifier != nil {
            // By identifier: an organisation by ODS code or a member of staff by SDS user id, never beside a
            // literal that could name someone else.
            if reference.reference != nil {
                throw .unmappable(field, "an actor is named by a literal or by an identifier, not both")
            }
            if let organisation = try Mapping.organisation(reference, at: field) {
                if let type = reference.type?.value, type != "Organization" {
                    throw .unmappable(field.appending("type"), "an ODS organisation code names an Organization")
                }
                self = .organisation(organisation)
                return
            }
            self = .user(try Mapping.user(reference, at: field))
            return
        }
        guard let target = try Mapping.target(reference, at: field), target.type == "RelatedPerson" else {
            throw .unmappable(
                field,
                "an actor must be a RelatedPerson by id, a Practitioner by SDS user id or an Organization by ODS code"
            )
        }
        self = .proxy(try Mapping.entityID(target.id, at: field.appending("reference")))
    }

    /// Where the actor sorts in a written provision: staff, organisations, proxies, then job roles.
    var sortKey: (Int, String) {
        switch self {
        case .user(let id): (0, id.rawValue)
        case .organisation(let code): (1, code.rawValue)
        case .proxy(let id): (2, id.rawValue)
        case .jobRole(let role): (3, role.rawValue)
        }
    }

    /// The actor as a Consent actor; `nil` for a job role, which the suite's modifier extension carries.
    var fhir: R4.Consent.Actor? {
        let reference: R4.Reference
        switch self {
        case .user(let id): reference = R4.Reference(user: id)
        case .organisation(let code): reference = R4.Reference(organisation: code)
        case .proxy(let id): reference = R4.Reference("RelatedPerson", id: id.rawValue)
        case .jobRole: return nil
        }
        return R4.Consent.Actor(
            role: Mapping.concept(ConsentCodes.participationType, "IRCP", display: "information recipient"),
            reference: reference
        )
    }
}

extension Mapping {
    /// When a directive was recorded: a moment, or a day alone as the start of that day in Europe/London.
    static func recorded(_ primitive: R4.Primitive<String>?) throws(FHIREncodingError) -> Date? {
        try bound(primitive, at: FieldPath("dateTime"), isEnd: false)
    }

    /// A period's bound as a moment: a day alone starts at that day's first moment in Europe/London and, as an
    /// end, runs to the next day's first moment (the domain's ends are exclusive). A month or a year is
    /// refused: it does not say when.
    static func bound(
        _ primitive: R4.Primitive<String>?,
        at field: FieldPath,
        isEnd: Bool
    ) throws(FHIREncodingError)
        -> Date?
    {
        guard let value = try dateTime(primitive, at: field) else { return nil }
        if let instant = value.instant { return instant.date }
        guard let day = value.date.civilDate else {
            throw .unmappable(field, "the mapping needs a day or a moment, not a month or a year")
        }
        do {
            let london = try CivilTimeZone.europeLondon()
            return london.startOfDay(isEnd ? day.adding(days: 1) : day)
        } catch {
            throw .unmappable(field, error)
        }
    }

    /// Reads a provision's period.
    static func validity(_ period: R4.Period?, at field: FieldPath) throws(FHIREncodingError) -> ValidityPeriod {
        guard let period else { return .always }
        let start = try bound(period.start, at: field.appending("start"), isEnd: false)
        let end = try bound(period.end, at: field.appending("end"), isEnd: true)
        do {
            return try ValidityPeriod(from: start, until: end)
        } catch {
            throw .unmappable(field.appending("end"), error.reason)
        }
    }

    /// Reads an action: `access` reads, `correct` updates; HL7's other consent actions are refused.
    static func accessAction(
        _ concept: R4.CodeableConcept,
        at field: FieldPath
    ) throws(FHIREncodingError)
        -> AccessAction
    {
        let codes = try Set(
            concept.coding.enumerated().filter { $0.element.system?.value == ConsentCodes.action }.map {
                (entry) throws(FHIREncodingError) -> String in
                try text(entry.element.code, at: field.appending("coding").appending(index: entry.offset)) ?? ""
            }
        )
        switch codes {
        case ["access"]: return .read
        case ["correct"]: return .update
        case []: throw .unmappable(field, "the action needs a coding in HL7's consentaction")
        default:
            throw .unmappable(
                field,
                "the access module reads only access and correct, one per action; collect, use and disclose are refused"
            )
        }
    }

    /// Refuses an opt-out `policyRule` (v3-ActCode `OPTOUT` or `OPTOUTE`) unless the root provision is an
    /// unconditional deny. In R4 the provisions are exceptions to the policy's base decision, so an opt-out
    /// denies everything they do not permit; the access module reads a directive as its provisions alone, and
    /// would let through what the opt-out denies. An opt-in base is safe to leave out: what the provisions do
    /// not cover then falls to the other rules, which never permit more than the opt-in would.
    static func refuseOptOut(_ concept: R4.CodeableConcept?, root: ConsentProvision) throws(FHIREncodingError) {
        guard let concept else { return }
        let rule = try code(
            in: concept,
            system: CodeSystem(rawValue: ConsentCodes.actCode),
            at: FieldPath("policyRule")
        )
        guard rule == "OPTOUT" || rule == "OPTOUTE" else { return }
        let unconditionalDeny = ConsentProvision(.deny)
        var bare = root
        bare.provisions = []
        guard bare == unconditionalDeny else {
            throw .unmappable(
                FieldPath("policyRule"),
                "an opt-out denies all the provisions do not permit, which the access module cannot read"
            )
        }
    }

    /// The written action for a domain action.
    static func concept(_ action: AccessAction) -> R4.CodeableConcept {
        switch action {
        case .read: concept(ConsentCodes.action, "access", display: "Access")
        case .update: concept(ConsentCodes.action, "correct", display: "Access and Correct")
        }
    }
}

extension R4.Consent {
    /// Writes a consent directive as a UK Core Consent, over the Consent it was read from when there is one:
    /// what the directive has no place for is kept, and so is each element, and each provision, whose value
    /// has not changed. The narrative is dropped when anything changed.
    ///
    /// - Parameters:
    ///   - directive: The directive.
    ///   - original: The Consent it was read from, if any.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` when `original` is another directive's or
    ///   another patient's Consent, or a time cannot be written as an R4 dateTime (a year outside 0001–9999).
    public init(_ directive: ConsentDirective, keeping original: R4.Consent? = nil) throws(FHIREncodingError) {
        if let original {
            if let other = original.id, other != directive.id.rawValue {
                throw .unmappable(FieldPath("id"), "the original is another directive's Consent")
            }
            if let patient = original.patient,
                (try? Mapping.entityID(patient, of: "Patient", at: .root)) != directive.patient
            {
                throw .unmappable(FieldPath("patient"), "the original is another patient's Consent")
            }
        }
        self =
            original
            ?? R4.Consent(
                status: R4.Primitive(directive.status.rawValue),
                scope: Mapping.concept(ConsentCodes.scope, directive.scope.rawValue)
            )
        id = directive.id.rawValue
        meta = Mapping.meta(original?.meta, claiming: .consent)
        if status.value != directive.status.rawValue { status = R4.Primitive(directive.status.rawValue) }
        if (try? Mapping.code(in: scope, system: CodeSystem(rawValue: ConsentCodes.scope), at: .root))
            != directive.scope.rawValue
        {
            scope = Mapping.concept(ConsentCodes.scope, directive.scope.rawValue)
        }
        if category.isEmpty {
            // UK Core's example files a sharing directive as "information access"; LOINC's "Patient consent"
            // covers the other scopes.
            category = [
                directive.scope == .patientPrivacy
                    ? Mapping.concept(ConsentCodes.actCode, "INFA", display: "information access")
                    : Mapping.concept(CodeSystem.loinc.rawValue, "59284-0", display: "Patient Consent")
            ]
        }
        if (try? Mapping.entityID(patient, of: "Patient", at: .root)) != directive.patient {
            patient = R4.Reference("Patient", id: directive.patient.rawValue)
        }
        if (try? Mapping.recorded(dateTime)) != directive.recorded {
            dateTime = try Mapping.moment(directive.recorded, at: FieldPath("dateTime"))
        }
        provision = try R4.Consent.Provision(
            directive.provision,
            keeping: original?.provision,
            at: FieldPath("provision")
        )
        // An opt-out policy rule denies everything the provisions do not permit, which only an unconditional
        // root deny says; the suite's own policy names the provision tree as the whole of the rules.
        if (try? Mapping.refuseOptOut(policyRule, root: directive.provision)) == nil { policyRule = nil }
        if policy.isEmpty && policyRule == nil {
            policy = [R4.Consent.Policy(uri: R4.Primitive(ConsentCodes.suitePolicy))]
        }
        // What was verified or signed was the original rules: it no longer speaks for changed ones.
        if let original, original.provision != provision || original.status != status {
            verification = []
            source = nil
        }
        Mapping.dropStaleNarrative(&self, original: original, profile: .consent, text: \.text, meta: \.meta)
    }
}

extension R4.Consent.Provision {
    /// Writes a provision and its nested provisions over the provision it was read from: kept whole when it
    /// reads as the same rule; otherwise its own extensions and ids stay, what the access module cannot apply
    /// (security labels, codes, data periods, named data) goes, and nested provisions are written over the
    /// original's in order.
    init(
        _ provision: ConsentProvision,
        keeping original: R4.Consent.Provision?,
        at place: FieldPath
    ) throws(FHIREncodingError) {
        if let original, let read = try? ConsentProvision(fhir: original, at: place), read == provision {
            self = original
            return
        }
        self = original ?? R4.Consent.Provision()
        if type?.value != provision.type.rawValue { type = R4.Primitive(provision.type.rawValue) }
        if (try? Mapping.validity(period, at: .root)) != provision.period {
            period = try Mapping.validityPeriod(provision.period, at: place.appending("period"))
        }
        securityLabel = []
        code = []
        dataPeriod = nil
        data = []
        let sorted = provision.actors.sorted { $0.sortKey < $1.sortKey }
        // Each actor takes the first unused original that reads as it, whole, and is written fresh otherwise.
        var unused = actor.map { (element: $0, read: try? ConsentProvision.Actor(fhir: $0, at: .root)) }
        actor = sorted.compactMap { domain in
            guard let fresh = domain.fhir else { return nil }
            guard let index = unused.firstIndex(where: { $0.read == domain }) else { return fresh }
            return unused.remove(at: index).element
        }
        modifierExtension = sorted.compactMap { actor in
            guard case .jobRole(let role) = actor else { return nil }
            return R4.Extension(
                url: R4.SuiteExtension.consentActorJobRole.rawValue,
                value: .code(R4.Primitive(role.rawValue))
            )
        }
        action = Mapping.keepingEach(
            provision.actions.sorted(),
            originals: action,
            read: { (fhir) throws(FHIREncodingError) in try Mapping.accessAction(fhir, at: .root) },
            write: Mapping.concept
        )
        // Purposes and classes are sets: the original codings stay while they name the same codes.
        let purposeSystem = PurposeOfUse.codeSystem
        if !purpose.allSatisfy({ $0.system?.value == purposeSystem })
            || Set(purpose.compactMap { $0.code?.value }) != provision.purposes
        {
            purpose = provision.purposes.sorted().map {
                R4.Coding(system: R4.Primitive(PurposeOfUse.codeSystem), code: R4.Primitive($0))
            }
        }
        let classSystem = R4.SuiteCodeSystem.dataClass.rawValue
        if !self.class.allSatisfy({ $0.system?.value == classSystem })
            || Set(self.class.compactMap { $0.code?.value }) != Set(provision.dataClasses.map(\.rawValue))
        {
            self.class = provision.dataClasses.sorted().map {
                R4.Coding(system: R4.Primitive(R4.SuiteCodeSystem.dataClass.rawValue), code: R4.Primitive($0.rawValue))
            }
        }
        let originals = self.provision
        var nested: [R4.Consent.Provision] = []
        for (index, child) in provision.provisions.enumerated() {
            nested.append(
                try R4.Consent.Provision(
                    child,
                    keeping: index < originals.count ? originals[index] : nil,
                    at: place.appending("provision").appending(index: index)
                )
            )
        }
        self.provision = nested
    }
}

extension Mapping {
    /// Writes a provision's period as moments in UTC; `nil` for a period with no bounds.
    static func validityPeriod(_ period: ValidityPeriod, at field: FieldPath) throws(FHIREncodingError) -> R4.Period? {
        guard period.start != nil || period.end != nil else { return nil }
        return R4.Period(
            start: try period.start.map { (date) throws(FHIREncodingError) in
                try moment(date, at: field.appending("start"))
            },
            end: try period.end.map { (date) throws(FHIREncodingError) in try moment(date, at: field.appending("end")) }
        )
    }
}
