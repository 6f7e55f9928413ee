import CareCore
public import ConsentAccess
import Foundation

// Audit entries <-> UK Core AuditEvent, in the pattern of IHE Basic Audit Log Patterns (BALP) for an
// authorisation decision (issue #9).
//
// Element by element:
// - the event <-> `type` DICOM 110113 "Security Alert" and a `subtype`: BALP's `AuthZ-Consent` for a decision
//   a consent directive took part in, `AuthZ-Role` for any other decision, and the suite's audit-event code
//   `break-glass` or `alert-reviewed` for the others; `action` is `E` (execute) for a decision, `C` for a
//   break-glass grant and `U` for an alert review;
// - when <-> `recorded`, to the millisecond;
// - the decision's effect <-> `outcome`: `0` for permit, `8` ("serious failure", as BALP's deny example) for
//   deny, absent for an event that is not a decision;
// - who <-> the requesting `agent`: a member of staff as the Practitioner by id with their job role in `role`
//   and a second agent for their organisation by ODS code; the patient as the Patient; a proxy as the
//   RelatedPerson; the purpose <-> the requesting agent's `purposeOfUse` in v3-ActReason;
// - whose record <-> the one `entity` with role "Patient" (object-role 1), the Patient by id;
// - the system that recorded it <-> `source.observer`, which the caller names;
// - the chain (sequence, previous hash, hash), the URPID, the data class, the action and the rules that
//   decided <-> the suite's `access-audit` extension.
//
// Reading checks the entry against its own hash, so an AuditEvent altered after it was written is refused.
// AuditEvents are never changed once written, so there is no write-back over an original.

/// The code systems the AuditEvent mapping reads and writes.
enum AuditCodes {
    /// DICOM's controlled terminology.
    static let dicom = "http://dicom.nema.org/resources/ontology/DCM"
    /// DICOM 110113, "Security Alert": BALP's type for an authorisation decision.
    static let securityAlert = "110113"
    /// BALP's authorisation subtypes.
    static let balpSubtype = "https://profiles.ihe.net/ITI/BALP/CodeSystem/AuthZsubType"
    /// HL7's audit-entity-type.
    static let entityType = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
    /// HL7's object-role.
    static let objectRole = "http://terminology.hl7.org/CodeSystem/object-role"
    /// HL7's security-source-type.
    static let sourceType = "http://terminology.hl7.org/CodeSystem/security-source-type"
}

extension AuditEntry {
    /// Reads an AuditEvent the suite wrote for an audit entry, and checks it against its own hash.
    ///
    /// - Parameters:
    ///   - event: The R4 AuditEvent.
    ///   - verifyingHash: Whether to refuse an entry whose content does not match its hash; `true` by
    ///     default. Pass `false` only where the entries go on to `AuditLog.verify(entries:checkpoints:key:)`,
    ///     which names an altered entry by its sequence number, as an audit log's storage does.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a modifier
    ///   extension or `implicitRules`, a type or subtype the suite does not write, a missing or unreadable
    ///   `recorded`, an outcome other than 0 or 8 (or one on an event that is not a decision), no requesting
    ///   agent or more than one, no patient entity or more than one, a missing or malformed `access-audit`
    ///   extension, or, when verifying, content that does not match the entry's hash.
    public init(fhir event: R4.AuditEvent, verifyingHash: Bool = true) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(event.modifierExtension, implicitRules: event.implicitRules)
        guard event.type.system?.value == AuditCodes.dicom, event.type.code?.value == AuditCodes.securityAlert else {
            throw .unmappable(FieldPath("type"), "the suite's audit entries are DICOM 110113 Security Alert events")
        }
        let kind = try Self.event(event.subtype)
        guard let recorded = try Mapping.moment(event.recorded, at: FieldPath("recorded")) else {
            throw .unmappable(FieldPath("recorded"), "the mapping needs when the entry was recorded")
        }
        let effect: AccessDecision.Effect?
        switch try Mapping.text(event.outcome, at: FieldPath("outcome")) {
        case nil: effect = nil
        case "0": effect = .permit
        case "8": effect = .deny
        default: throw .unmappable(FieldPath("outcome"), "the outcome of a decision is 0 (permit) or 8 (deny)")
        }
        guard let parts = try ExtensionParts.single(.accessAudit, in: event.extension, noun: "audit entry") else {
            throw .unmappable(
                FieldPath("extension"),
                "the AuditEvent does not carry the suite's access-audit extension"
            )
        }
        let (actor, purpose) = try Self.actor(event.agent, profile: parts)
        let patient = try Self.patient(event.entity)
        let sequence = try Self.number(parts, "sequence")
        let previousHash = try Self.digest(parts, "previousHash")
        let hash = try Self.digest(parts, "hash")
        var reasons: [DecisionReason] = []
        for part in parts.nested("reason", noun: "audit reason") {
            reasons.append(try DecisionReason(fhir: part))
        }
        let entry = AuditEntry(
            sequence: sequence,
            recorded: recorded,
            event: kind,
            actor: actor,
            patient: patient,
            dataClass: try parts.optionalCode("dataClass"),
            action: try parts.optionalCode("action"),
            purpose: purpose,
            effect: effect,
            reasons: reasons,
            previousHash: previousHash,
            hash: hash
        )
        guard !verifyingHash || entry.computedHash == hash else {
            throw .unmappable(
                parts.place("hash"),
                "the entry does not match its hash: it was changed after it was logged"
            )
        }
        self = entry
    }

    private static func event(_ subtypes: [R4.Coding]) throws(FHIREncodingError) -> Event {
        var found: [Event] = []
        for coding in subtypes {
            switch (coding.system?.value, coding.code?.value) {
            case (AuditCodes.balpSubtype, "AuthZ-Consent"?), (AuditCodes.balpSubtype, "AuthZ-Role"?):
                found.append(.decision)
            case (R4.SuiteCodeSystem.auditEvent.rawValue, let code?):
                guard let kind = Event(rawValue: code), kind != .decision else {
                    throw .unmappable(FieldPath("subtype"), "the subtype is not an audit event the suite writes")
                }
                found.append(kind)
            default: continue
            }
        }
        guard let kind = found.first, found.allSatisfy({ $0 == kind }) else {
            throw .unmappable(FieldPath("subtype"), "the mapping needs one kind of event in subtype")
        }
        return kind
    }

    private static func actor(
        _ agents: [R4.AuditEvent.Agent],
        profile parts: ExtensionParts
    ) throws(FHIREncodingError) -> (Actor, String?) {
        let requestors = agents.enumerated().filter { $0.element.requestor.value == true }
        guard let (index, agent) = requestors.first, requestors.count == 1 else {
            throw .unmappable(FieldPath("agent"), "the mapping needs exactly one requesting agent")
        }
        let place = FieldPath("agent").appending(index: index)
        try Mapping.refuseModifierExtensions(agent.modifierExtension, at: place)
        var purposes: [String] = []
        for (position, concept) in agent.purposeOfUse.enumerated() {
            let field = place.appending("purposeOfUse").appending(index: position)
            if let code = try Mapping.code(
                in: concept,
                system: CodeSystem(rawValue: PurposeOfUse.codeSystem),
                at: field
            ) {
                purposes.append(code)
            }
        }
        guard purposes.count <= 1 else {
            throw .unmappable(place.appending("purposeOfUse"), "an audit entry has one purpose")
        }
        guard let who = agent.who else {
            throw .unmappable(place.appending("who"), "the requesting agent needs a reference")
        }
        let field = place.appending("who").appending("reference")
        let target: (type: String, id: String)
        if who.identifier != nil, who.reference == nil {
            target = ("Practitioner", try Mapping.user(who, at: place.appending("who")).rawValue)
        } else if let literal = try Mapping.target(who, at: place.appending("who")), literal.type != "Practitioner" {
            target = literal
        } else {
            throw .unmappable(
                place.appending("who"),
                "the requesting agent must be a Patient or RelatedPerson by id, or a Practitioner by SDS user id"
            )
        }
        switch target.type {
        case "Patient":
            return (.patient(try Mapping.entityID(target.id, at: field)), purposes.first)
        case "RelatedPerson":
            return (.proxy(try Mapping.entityID(target.id, at: field)), purposes.first)
        case "Practitioner":
            guard let (jobRole, _) = try RoleProfile.jobRole(agent.role, at: place.appending("role")) else {
                throw .unmappable(place.appending("role"), "a member of staff's agent needs their NHS RBAC job role")
            }
            var organisations: [ODSCode] = []
            for (offset, other) in agents.enumerated() where offset != index {
                guard let reference = other.who else { continue }
                let field = FieldPath("agent").appending(index: offset).appending("who")
                if let code = try Mapping.organisation(reference, at: field) { organisations.append(code) }
            }
            guard let organisation = organisations.first, organisations.count == 1 else {
                throw .unmappable(
                    FieldPath("agent"),
                    "a member of staff's entry needs one organisation agent by ODS code"
                )
            }
            let profile: RoleProfile.ID = try parts.entityID("profile")
            return (.staff(try Mapping.entityID(target.id, at: field), profile, organisation, jobRole), purposes.first)
        default:
            throw .unmappable(field, "the requesting agent must be a Practitioner, a Patient or a RelatedPerson")
        }
    }

    private static func patient(_ entities: [R4.AuditEvent.Entity]) throws(FHIREncodingError) -> Access.PatientID {
        let patients = entities.enumerated().filter {
            $0.element.role?.system?.value == AuditCodes.objectRole && $0.element.role?.code?.value == "1"
        }
        guard let (index, entity) = patients.first, patients.count == 1 else {
            throw .unmappable(FieldPath("entity"), "the mapping needs exactly one entity in the role of patient")
        }
        return try Mapping.entityID(
            entity.what,
            of: "Patient",
            at: FieldPath("entity").appending(index: index).appending("what")
        )
    }

    private static func number(_ parts: ExtensionParts, _ name: String) throws(FHIREncodingError) -> UInt64 {
        let text = try parts.string(name)
        guard let number = UInt64(text), String(number) == text else {
            throw .unmappable(parts.place(name), "the audit entry's \(name) must be a whole number from 0")
        }
        return number
    }

    private static func digest(_ parts: ExtensionParts, _ name: String) throws(FHIREncodingError) -> SHA256Digest {
        guard let digest = SHA256Digest(hex: try parts.string(name)) else {
            throw .unmappable(parts.place(name), "the audit entry's \(name) must be 64 hexadecimal digits")
        }
        return digest
    }
}

extension R4.AuditEvent {
    /// Writes an audit entry as a UK Core AuditEvent in the pattern of IHE BALP's authorisation decision.
    ///
    /// The entry holds identifiers and codes only, so the AuditEvent holds no name, NHS number, date of birth
    /// or address.
    ///
    /// - Parameters:
    ///   - entry: The audit entry.
    ///   - observer: The system that recorded it, such as the access decision point's `Device`.
    ///   - id: The AuditEvent's id, if it has one yet.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` when the entry's time cannot be written as an R4
    ///   instant (a year outside 0001–9999).
    public init(_ entry: AuditEntry, observer: R4.Reference, id: String? = nil) throws(FHIREncodingError) {
        var parts = ExtensionBuilder(at: FieldPath("extension"), noun: "audit entry")
        try parts.string("sequence", String(entry.sequence))
        try parts.string("previousHash", entry.previousHash.description)
        try parts.string("hash", entry.hash.description)
        var agents: [R4.AuditEvent.Agent] = []
        let purpose = entry.purpose.map {
            [
                R4.CodeableConcept(coding: [
                    R4.Coding(system: R4.Primitive(PurposeOfUse.codeSystem), code: R4.Primitive($0))
                ])
            ]
        }
        switch entry.actor {
        case .staff(let user, let profile, let organisation, let role):
            parts.id("profile", profile)
            agents = [
                R4.AuditEvent.Agent(
                    requestor: true,
                    role: [Mapping.concept(AccessCodes.jobRoleName, role.rawValue)],
                    who: R4.Reference(user: user),
                    purposeOfUse: purpose ?? []
                ),
                R4.AuditEvent.Agent(requestor: false, who: R4.Reference(organisation: organisation)),
            ]
        case .patient(let patient):
            agents = [
                R4.AuditEvent.Agent(
                    requestor: true,
                    who: R4.Reference("Patient", id: patient.rawValue),
                    purposeOfUse: purpose ?? []
                )
            ]
        case .proxy(let person):
            agents = [
                R4.AuditEvent.Agent(
                    requestor: true,
                    who: R4.Reference("RelatedPerson", id: person.rawValue),
                    purposeOfUse: purpose ?? []
                )
            ]
        }
        parts.code("dataClass", entry.dataClass)
        parts.code("action", entry.action)
        var reasons: [R4.Extension] = []
        for reason in entry.reasons {
            let (kind, arguments) = reason.fhirParts
            reasons.append(
                R4.Extension(
                    url: "reason",
                    extension: [R4.Extension(url: "kind", value: .code(R4.Primitive(kind)))]
                        + arguments.map { R4.Extension(url: "argument", value: .string(R4.Primitive($0))) }
                )
            )
        }
        let subtype: R4.Coding
        switch entry.event {
        case .decision:
            let usedConsent = entry.reasons.contains {
                switch $0 {
                case .consentPermits, .consentDenies, .consentDenialOverridden: true
                default: false
                }
            }
            subtype =
                usedConsent
                ? R4.Coding(
                    system: R4.Primitive(AuditCodes.balpSubtype),
                    code: "AuthZ-Consent",
                    display: "Authorization Decision using Roles and Consent"
                )
                : R4.Coding(
                    system: R4.Primitive(AuditCodes.balpSubtype),
                    code: "AuthZ-Role",
                    display: "Authorization Decision using only Roles"
                )
        case .breakGlass, .alertReviewed:
            subtype = R4.Coding(
                system: R4.Primitive(R4.SuiteCodeSystem.auditEvent.rawValue),
                code: R4.Primitive(entry.event.rawValue)
            )
        }
        let action: String =
            switch entry.event {
            case .decision: "E"
            case .breakGlass: "C"
            case .alertReviewed: "U"
            }
        var element = parts.build(.accessAudit)
        element?.extension += reasons
        self.init(
            type: R4.Coding(system: R4.Primitive(AuditCodes.dicom), code: "110113", display: "Security Alert"),
            recorded: try Mapping.moment(entry.recorded, at: FieldPath("recorded")),
            source: R4.AuditEvent.Source(
                observer: observer,
                type: [R4.Coding(system: R4.Primitive(AuditCodes.sourceType), code: "4", display: "Application Server")]
            ),
            id: id,
            meta: Mapping.meta(nil, claiming: .auditEvent),
            extension: element.map { [$0] } ?? [],
            subtype: [subtype],
            action: R4.Primitive(action),
            outcome: entry.effect.map { R4.Primitive($0 == .permit ? "0" : "8") },
            agent: agents,
            entity: [
                R4.AuditEvent.Entity(
                    what: R4.Reference("Patient", id: entry.patient.rawValue),
                    type: R4.Coding(system: R4.Primitive(AuditCodes.entityType), code: "1", display: "Person"),
                    role: R4.Coding(system: R4.Primitive(AuditCodes.objectRole), code: "1", display: "Patient")
                )
            ]
        )
    }
}

extension DecisionReason {
    /// The reason as a kind code and its arguments in a fixed order, as the `access-audit` extension's `reason`
    /// part carries it.
    var fhirParts: (kind: String, arguments: [String]) {
        switch self {
        case .noActivityDefined(let dataClass, let action):
            return ("no-activity-defined", [dataClass.rawValue, action.rawValue])
        case .activityMissing(let required, let role):
            return ("activity-missing", [role.rawValue] + required.map(\.rawValue))
        case .activityHeld(let code): return ("activity-held", [code.rawValue])
        case .purposeNotAllowed(let category): return ("purpose-not-allowed", [category.rawValue])
        case .nationalDataOptOut: return ("national-data-opt-out", [])
        case .type1OptOut: return ("type-1-opt-out", [])
        case .noAgreement: return ("no-agreement", [])
        case .privacyUnknown: return ("privacy-unknown", [])
        case .agreement(let id): return ("agreement", [id.rawValue])
        case .relationship(let id, let kind): return ("relationship", [id.rawValue, kind.rawValue])
        case .noRelationship: return ("no-relationship", [])
        case .consentPermits(let id, let path): return ("consent-permits", [id.rawValue, path.description])
        case .consentDenies(let id, let path): return ("consent-denies", [id.rawValue, path.description])
        case .consentDenialOverridden(let id, let path):
            return ("consent-denial-overridden", [id.rawValue, path.description])
        case .breakGlass(let id): return ("break-glass", [id.rawValue])
        case .ownRecord: return ("own-record", [])
        case .notOwnRecord: return ("not-own-record", [])
        case .actionNotAllowed: return ("action-not-allowed", [])
        case .ageUnknown: return ("age-unknown", [])
        case .tooYoungForSelfAccess: return ("too-young-for-self-access", [])
        case .competenceNotEstablished: return ("competence-not-established", [])
        case .gillickCompetent: return ("gillick-competent", [])
        case .noProxyAuthority: return ("no-proxy-authority", [])
        case .proxyAuthority(let id, let basis): return ("proxy-authority", [id.rawValue, basis.rawValue])
        case .administrativeAccessOnly: return ("administrative-access-only", [])
        case .refusedByCompetentChild(let id): return ("refused-by-competent-child", [id.rawValue])
        case .basisNotValidAtAge(let id, let basis): return ("basis-not-valid-at-age", [id.rawValue, basis.rawValue])
        case .outsideProxyScope(let id): return ("outside-proxy-scope", [id.rawValue])
        }
    }

    /// Reads a reason from its `reason` part: the kind, then its arguments in order.
    init(fhir parts: ExtensionParts) throws(FHIREncodingError) {
        let kind = try parts.code("kind") as AuditReasonKind
        let arguments = try parts.strings("argument")
        let reader = ReasonArguments(
            arguments,
            places: parts.all("argument").map(\.place),
            fallback: parts.place("argument")
        )
        switch kind {
        case .noActivityDefined:
            try reader.count(2)
            self = .noActivityDefined(DataClass(rawValue: arguments[0]), try reader.value(1))
        case .activityMissing:
            try reader.atLeast(1)
            var codes: [ActivityCode] = []
            for index in arguments.indices.dropFirst() { codes.append(try reader.activity(index)) }
            self = .activityMissing(required: codes, jobRole: try reader.jobRole(0))
        case .activityHeld:
            try reader.count(1)
            self = .activityHeld(try reader.activity(0))
        case .purposeNotAllowed:
            try reader.count(1)
            self = .purposeNotAllowed(try reader.value(0))
        case .agreement:
            try reader.count(1)
            self = .agreement(try reader.id(0))
        case .relationship:
            try reader.count(2)
            self = .relationship(try reader.id(0), try reader.value(1))
        case .consentPermits, .consentDenies, .consentDenialOverridden:
            try reader.count(2)
            let id: ConsentDirective.ID = try reader.id(0)
            let path = try reader.path(1)
            self =
                kind == .consentPermits
                ? .consentPermits(id, path)
                : kind == .consentDenies ? .consentDenies(id, path) : .consentDenialOverridden(id, path)
        case .breakGlass:
            try reader.count(1)
            self = .breakGlass(try reader.id(0))
        case .proxyAuthority, .basisNotValidAtAge:
            try reader.count(2)
            let id: ProxyAuthority.ID = try reader.id(0)
            let basis: ProxyAuthority.Basis = try reader.value(1)
            self = kind == .proxyAuthority ? .proxyAuthority(id, basis) : .basisNotValidAtAge(id, basis)
        case .refusedByCompetentChild, .outsideProxyScope:
            try reader.count(1)
            let id: ProxyAuthority.ID = try reader.id(0)
            self = kind == .refusedByCompetentChild ? .refusedByCompetentChild(id) : .outsideProxyScope(id)
        default:
            try reader.count(0)
            guard let reason = kind.argumentless else {
                throw .unmappable(parts.place("kind"), "the audit reason's kind is not known")
            }
            self = reason
        }
    }
}

/// The kinds of decision reason, by the code the `access-audit` extension writes.
enum AuditReasonKind: String, CaseIterable {
    case noActivityDefined = "no-activity-defined"
    case activityMissing = "activity-missing"
    case activityHeld = "activity-held"
    case purposeNotAllowed = "purpose-not-allowed"
    case nationalDataOptOut = "national-data-opt-out"
    case type1OptOut = "type-1-opt-out"
    case noAgreement = "no-agreement"
    case privacyUnknown = "privacy-unknown"
    case agreement
    case relationship
    case noRelationship = "no-relationship"
    case consentPermits = "consent-permits"
    case consentDenies = "consent-denies"
    case consentDenialOverridden = "consent-denial-overridden"
    case breakGlass = "break-glass"
    case ownRecord = "own-record"
    case notOwnRecord = "not-own-record"
    case actionNotAllowed = "action-not-allowed"
    case ageUnknown = "age-unknown"
    case tooYoungForSelfAccess = "too-young-for-self-access"
    case competenceNotEstablished = "competence-not-established"
    case gillickCompetent = "gillick-competent"
    case noProxyAuthority = "no-proxy-authority"
    case proxyAuthority = "proxy-authority"
    case administrativeAccessOnly = "administrative-access-only"
    case refusedByCompetentChild = "refused-by-competent-child"
    case basisNotValidAtAge = "basis-not-valid-at-age"
    case outsideProxyScope = "outside-proxy-scope"

    /// The reason a kind with no arguments names.
    var argumentless: DecisionReason? {
        [DecisionReason]([
            .nationalDataOptOut, .type1OptOut, .noAgreement, .privacyUnknown, .noRelationship, .ownRecord,
            .notOwnRecord, .actionNotAllowed, .ageUnknown, .tooYoungForSelfAccess, .competenceNotEstablished,
            .gillickCompetent, .noProxyAuthority, .administrativeAccessOnly,
        ]).first { $0.fhirParts.kind == rawValue }
    }
}

/// Reads the arguments of a decision reason, placing errors at the reason's arguments.
private struct ReasonArguments {
    let arguments: [String]
    /// Where each argument is.
    let places: [FieldPath]
    /// Where the arguments belong when a count is wrong.
    let fallback: FieldPath

    init(_ arguments: [String], places: [FieldPath], fallback: FieldPath) {
        self.arguments = arguments
        self.places = places
        self.fallback = fallback
    }

    func place(_ index: Int) -> FieldPath {
        index < places.count ? places[index] : fallback
    }

    func count(_ expected: Int) throws(FHIREncodingError) {
        guard arguments.count == expected else {
            throw .unmappable(fallback, "the audit reason needs \(expected) arguments")
        }
    }

    func atLeast(_ minimum: Int) throws(FHIREncodingError) {
        guard arguments.count >= minimum else {
            throw .unmappable(fallback, "the audit reason needs at least \(minimum) arguments")
        }
    }

    func value<Value: RawRepresentable<String>>(_ index: Int) throws(FHIREncodingError) -> Value {
        guard let value = Value(rawValue: arguments[index]) else {
            throw .unmappable(place(index), "argument \(index + 1) of the audit reason is not a code the suite defines")
        }
        return value
    }

    func id<Tag>(_ index: Int) throws(FHIREncodingError) -> EntityID<Tag> {
        guard let id = EntityID<Tag>(arguments[index]) else {
            throw .unmappable(place(index), "argument \(index + 1) of the audit reason is not a FHIR id")
        }
        return id
    }

    func activity(_ index: Int) throws(FHIREncodingError) -> ActivityCode {
        guard let code = ActivityCode(arguments[index]) else {
            throw .unmappable(place(index), "argument \(index + 1) of the audit reason is not an RBAC activity code")
        }
        return code
    }

    func jobRole(_ index: Int) throws(FHIREncodingError) -> JobRoleCode {
        guard let code = JobRoleCode(arguments[index]) else {
            throw .unmappable(place(index), "argument \(index + 1) of the audit reason is not an RBAC job role code")
        }
        return code
    }

    /// A provision path as ``ProvisionPath/description`` writes it: `provision`, then `.provision[i]` per level.
    func path(_ index: Int) throws(FHIREncodingError) -> ProvisionPath {
        var rest = Substring(arguments[index])
        guard rest.hasPrefix("provision") else {
            throw .unmappable(place(index), "argument \(index + 1) of the audit reason is not a provision path")
        }
        rest = rest.dropFirst("provision".count)
        var indices: [Int] = []
        while !rest.isEmpty {
            guard rest.hasPrefix(".provision["), let close = rest.firstIndex(of: "]") else {
                throw .unmappable(place(index), "argument \(index + 1) of the audit reason is not a provision path")
            }
            let digits = rest[rest.index(rest.startIndex, offsetBy: ".provision[".count)..<close]
            guard let number = Int(digits), number >= 0, String(number) == digits else {
                throw .unmappable(place(index), "argument \(index + 1) of the audit reason is not a provision path")
            }
            indices.append(number)
            rest = rest[rest.index(after: close)...]
        }
        return ProvisionPath(indices)
    }
}
