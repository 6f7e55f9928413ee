public import CareCore
public import ConsentAccess
import Foundation

// Role profiles <-> UK Core PractitionerRole, and break-glass grants and protected record items <-> UK Core
// Flag (issue #9).
//
// PractitionerRole, element by element:
// - the URPID <-> the `sds-role-profile-id` identifier;
// - the user <-> `practitioner` (the Practitioner by id, or by `sds-user-id` when read);
// - the organisation <-> `organization` by ODS organisation code;
// - the job role and its printable name <-> the `code` coding in UK Core's SDS job role name code system
//   (`R8000`) and its display; NHS England's combined `S…:G…:R…` job role code is read too;
// - activities granted beyond the job role's baseline <-> the suite's `granted-activity` extension.
//
// A break-glass grant is a Flag in category `admin`, coded v3-ActReason `BTG` ("break the glass"), on the
// patient, written by the user (a Practitioner), in force over `period`; the reason, the profile and the
// user's justification sit in the suite's `break-glass` extension. A protected record item is a Flag coded
// with its reason in the suite's protection-reason code system, in category `safety` for safeguarding and
// `admin` otherwise, with the item and who it is hidden from in the suite's `protected-item` extension. The
// Flag itself is labelled restricted (v3-Confidentiality `R`), and "no disclosure to patient" (v3-ActCode
// `NOPAT`) when the patient may not see the item: a flag saying a safeguarding item is hidden from a
// proxy must not reach that proxy.

/// The code systems the access mappings read and write.
enum AccessCodes {
    /// UK Core's SDS job role name code system, whose codes are RBAC job roles such as `R8000`.
    static let jobRoleName = "https://fhir.hl7.org.uk/CodeSystem/UKCore-SDSJobRoleName"
    /// NHS England's SDS job role code system, whose codes combine three levels as `S0030:G0100:R0620`.
    static let jobRoleCode = "https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode"
    /// HL7's flag-category.
    static let flagCategory = "http://terminology.hl7.org/CodeSystem/flag-category"
    /// HL7 v3 Confidentiality, for `meta.security`.
    static let confidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
    /// HL7 v3 ActCode, for the `NOPAT` security label.
    static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    /// The v3-ActReason code of emergency access: "break the glass".
    static let breakTheGlass = "BTG"
}

// MARK: - PractitionerRole

extension RoleProfile {
    /// Reads a UK Core PractitionerRole as the role profile a user acts under.
    ///
    /// What the profile has no place for (specialties, locations, services, telecoms, availability) is not
    /// read; write back with ``FHIREncoding/R4/PractitionerRole/init(_:keeping:)`` to keep it.
    ///
    /// - Parameters:
    ///   - role: The R4 PractitionerRole.
    ///   - id: The URPID, when the PractitionerRole has no `sds-role-profile-id` identifier.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a modifier
    ///   extension or `implicitRules`, a role that is not active, no URPID, no practitioner by id or SDS
    ///   user id, no organisation by ODS code, no NHS RBAC job role in `code`, or a granted activity that is
    ///   not an RBAC activity code.
    public init(fhir role: R4.PractitionerRole, id: ID? = nil) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(role.modifierExtension, implicitRules: role.implicitRules)
        if try Mapping.flag(role.active, at: FieldPath("active")) == false {
            throw .unmappable(FieldPath("active"), "an inactive role profile cannot be acted under")
        }
        // A role profile has no end in the access module: one that ends must be removed when it ends, not
        // read as a profile that can be acted under for ever.
        if role.period?.end != nil {
            throw .unmappable(FieldPath("period.end"), "the access module cannot hold a role profile that ends")
        }
        guard let profileID = try Self.urpid(role.identifier) ?? id else {
            throw .unmappable(
                FieldPath("identifier"),
                "the mapping needs the URPID: an sds-role-profile-id identifier, or one given"
            )
        }
        let user = try Self.user(role.practitioner)
        guard let reference = role.organization,
            let organisation = try Mapping.organisation(reference, at: FieldPath("organization"))
        else {
            throw .unmappable(FieldPath("organization"), "the mapping needs the organisation by ODS organisation code")
        }
        guard let (jobRole, roleName) = try Self.jobRole(role.code) else {
            throw .unmappable(
                FieldPath("code"),
                "the mapping needs an NHS RBAC job role in the SDS job role code systems"
            )
        }
        var granted: Set<ActivityCode> = []
        for (index, element) in role.extension.enumerated()
        where element.url == R4.SuiteExtension.grantedActivity.rawValue {
            guard case .code(let primitive)? = element.value, let code = primitive.value.flatMap(ActivityCode.init)
            else {
                throw .unmappable(
                    FieldPath("extension").appending(index: index),
                    "a granted activity needs a valueCode that is an NHS RBAC activity code"
                )
            }
            granted.insert(code)
        }
        self.init(
            id: profileID,
            user: user,
            organisation: organisation,
            jobRole: jobRole,
            grantedActivities: granted,
            roleName: roleName
        )
    }

    /// The URPID from the one `sds-role-profile-id` identifier, if there is one.
    static func urpid(_ identifiers: [R4.Identifier]) throws(FHIREncodingError) -> ID? {
        let found = identifiers.enumerated().filter {
            $0.element.system?.value == IdentifierSystem.sdsRoleProfileID.rawValue
        }
        guard let (index, identifier) = found.first else { return nil }
        let field = FieldPath("identifier").appending(index: index).appending("value")
        guard found.count == 1 else {
            throw .unmappable(
                FieldPath("identifier").appending(index: found[1].offset),
                "a role profile has one URPID"
            )
        }
        guard let text = try Mapping.text(identifier.value, at: field), let urpid = ID(text) else {
            throw .unmappable(field, "the URPID must be a FHIR id")
        }
        return urpid
    }

    static func user(_ reference: R4.Reference?) throws(FHIREncodingError) -> Access.UserID {
        try Mapping.user(reference, at: FieldPath("practitioner"))
    }

    /// The job role and its display from the first coding in an SDS job role code system.
    static func jobRole(
        _ concepts: [R4.CodeableConcept],
        at place: FieldPath = FieldPath("code")
    ) throws(FHIREncodingError) -> (JobRoleCode, String?)? {
        for (index, concept) in concepts.enumerated() {
            for (position, coding) in concept.coding.enumerated() {
                let field = place.appending(index: index).appending("coding").appending(index: position)
                let system = coding.system?.value
                guard system == AccessCodes.jobRoleName || system == AccessCodes.jobRoleCode else { continue }
                guard let text = try Mapping.text(coding.code, at: field.appending("code")) else {
                    throw .unmappable(field.appending("code"), "the coding has no code")
                }
                // The combined code ends with the job role: `S0030:G0100:R0620`.
                let code = system == AccessCodes.jobRoleCode ? String(text.split(separator: ":").last ?? "") : text
                guard let role = JobRoleCode(code) else {
                    throw .unmappable(field.appending("code"), "the code is not an NHS RBAC job role")
                }
                return (role, try Mapping.text(coding.display, at: field.appending("display")))
            }
        }
        return nil
    }
}

extension R4.PractitionerRole {
    /// Writes a role profile as a UK Core PractitionerRole, over the PractitionerRole it was read from when
    /// there is one: what the profile has no place for is kept, and so is each element whose value has not
    /// changed. The narrative is dropped when anything changed.
    ///
    /// - Parameters:
    ///   - profile: The role profile.
    ///   - original: The PractitionerRole it was read from, if any.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` when `original` is another role profile's
    ///   PractitionerRole.
    public init(_ profile: RoleProfile, keeping original: R4.PractitionerRole? = nil) throws(FHIREncodingError) {
        if let original, let other = try? RoleProfile.urpid(original.identifier), other != profile.id {
            throw .unmappable(FieldPath("identifier"), "the original is another role profile's PractitionerRole")
        }
        self = original ?? R4.PractitionerRole(id: profile.id.rawValue)
        meta = Mapping.meta(original?.meta, claiming: .practitionerRole)
        if (try? RoleProfile.urpid(identifier)) != profile.id {
            identifier.removeAll { $0.system?.value == IdentifierSystem.sdsRoleProfileID.rawValue }
            identifier.append(
                R4.Identifier(
                    system: R4.Primitive(IdentifierSystem.sdsRoleProfileID.rawValue),
                    value: R4.Primitive(profile.id.rawValue)
                )
            )
        }
        if (try? RoleProfile.user(practitioner)) != profile.user {
            practitioner = R4.Reference(user: profile.user)
        }
        if (try? organization.flatMap { (reference) throws(FHIREncodingError) in
            try Mapping.organisation(reference, at: .root)
        }) != profile.organisation {
            organization = R4.Reference(organisation: profile.organisation)
        }
        let read = try? RoleProfile.jobRole(code)
        if read?.0 != profile.jobRole || read?.1 != profile.roleName {
            let coding = R4.Coding(
                system: R4.Primitive(AccessCodes.jobRoleName),
                code: R4.Primitive(profile.jobRole.rawValue),
                display: profile.roleName.map { R4.Primitive($0) }
            )
            // The concept holding the old job role is replaced; concepts in other systems stay.
            let isJobRole: (R4.CodeableConcept) -> Bool = { concept in
                concept.coding.contains {
                    [AccessCodes.jobRoleName, AccessCodes.jobRoleCode].contains($0.system?.value ?? "")
                }
            }
            if let index = code.firstIndex(where: isJobRole) {
                code[index] = R4.CodeableConcept(coding: [coding])
            } else {
                code.insert(R4.CodeableConcept(coding: [coding]), at: 0)
            }
        }
        let url = R4.SuiteExtension.grantedActivity.rawValue
        let held = Set(
            self.extension.filter { $0.url == url }.compactMap { element -> ActivityCode? in
                guard case .code(let primitive)? = element.value else { return nil }
                return primitive.value.flatMap(ActivityCode.init)
            }
        )
        if held != profile.grantedActivities || self.extension.filter({ $0.url == url }).count != held.count {
            self.extension =
                self.extension.filter { $0.url != url }
                + profile.grantedActivities.sorted().map {
                    R4.Extension(url: url, value: .code(R4.Primitive($0.rawValue)))
                }
        }
        Mapping.dropStaleNarrative(&self, original: original, profile: .practitionerRole, text: \.text, meta: \.meta)
    }
}

// MARK: - Flags

extension BreakGlassGrant {
    /// Reads a UK Core Flag written for a break-glass grant.
    ///
    /// - Parameters:
    ///   - flag: The R4 Flag.
    ///   - id: The grant's key, when it is not the Flag's `id`.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a modifier
    ///   extension or `implicitRules`, a missing id, a Flag that is not active (a withdrawn grant has no
    ///   place in the access module), a code other than v3-ActReason `BTG`, no patient, no author by
    ///   Practitioner id, no period with both a start and an end, or a missing or malformed `break-glass`
    ///   extension (the reason, the profile, a justification that is not blank).
    public init(fhir flag: R4.Flag, id: ID? = nil) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(flag.modifierExtension, implicitRules: flag.implicitRules)
        let grantID: ID = try Mapping.id(id, of: flag.id)
        try Mapping.activeFlag(flag)
        guard
            try Mapping.code(
                in: flag.code,
                system: CodeSystem(rawValue: PurposeOfUse.codeSystem),
                at: FieldPath("code")
            )
                == AccessCodes.breakTheGlass
        else {
            throw .unmappable(FieldPath("code"), "a break-glass Flag is coded v3-ActReason BTG")
        }
        let patient: Access.PatientID = try Mapping.entityID(flag.subject, of: "Patient", at: FieldPath("subject"))
        let user = try Mapping.user(flag.author, at: FieldPath("author"))
        guard let period = flag.period,
            let start = try Mapping.moment(period.start, at: FieldPath("period.start")),
            let end = try Mapping.moment(period.end, at: FieldPath("period.end"))
        else {
            throw .unmappable(FieldPath("period"), "a break-glass grant needs the moments it starts and ends")
        }
        guard let parts = try ExtensionParts.single(.breakGlass, in: flag.extension, noun: "break-glass grant") else {
            throw .unmappable(FieldPath("extension"), "the Flag does not carry the suite's break-glass extension")
        }
        let reason: Reason = try parts.code("reason")
        let profile: RoleProfile.ID = try parts.entityID("profile")
        let justification = try parts.string("justification")
        do {
            try self.init(
                id: grantID,
                user: user,
                profile: profile,
                patient: patient,
                reason: reason,
                justification: Redacted(justification),
                start: start,
                expiry: end
            )
        } catch {
            let field =
                error.field == FieldPath("justification") ? parts.place("justification") : FieldPath("period.end")
            throw .unmappable(field, error.reason)
        }
    }
}

extension R4.Flag {
    /// Writes a break-glass grant as a UK Core Flag on the patient.
    ///
    /// Grants are not changed once made, so there is nothing to keep from an earlier Flag.
    ///
    /// - Parameter grant: The grant.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` when a time cannot be written as an R4
    ///   dateTime (a year outside 0001–9999).
    public init(breakGlass grant: BreakGlassGrant) throws(FHIREncodingError) {
        var parts = ExtensionBuilder(at: FieldPath("extension"), noun: "break-glass grant")
        parts.code("reason", grant.reason)
        parts.id("profile", grant.profile)
        try parts.string("justification", grant.justification.value)
        self.init(
            status: "active",
            code: R4.CodeableConcept(
                coding: [
                    R4.Coding(
                        system: R4.Primitive(PurposeOfUse.codeSystem),
                        code: R4.Primitive(AccessCodes.breakTheGlass),
                        display: "break the glass"
                    )
                ],
                text: "Emergency access to this record"
            ),
            subject: R4.Reference("Patient", id: grant.patient.rawValue),
            id: grant.id.rawValue,
            meta: Mapping.meta(nil, claiming: .flag),
            extension: parts.build(.breakGlass).map { [$0] } ?? [],
            category: [Mapping.concept(AccessCodes.flagCategory, "admin", display: "Administrative")],
            period: R4.Period(
                start: try Mapping.moment(grant.period.start ?? grant.expiry, at: FieldPath("period.start")),
                end: try Mapping.moment(grant.expiry, at: FieldPath("period.end"))
            ),
            author: R4.Reference(user: grant.user)
        )
    }
}

extension ProtectedItem {
    /// Reads a UK Core Flag written for a protected record item.
    ///
    /// - Parameter flag: The R4 Flag.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a modifier
    ///   extension or `implicitRules`, a Flag that is not active, no patient, a code outside the suite's
    ///   protection-reason code system or one that disagrees with the extension, or a missing or malformed
    ///   `protected-item` extension.
    public init(fhir flag: R4.Flag) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(flag.modifierExtension, implicitRules: flag.implicitRules)
        try Mapping.activeFlag(flag)
        let patient: Access.PatientID = try Mapping.entityID(flag.subject, of: "Patient", at: FieldPath("subject"))
        guard let parts = try ExtensionParts.single(.protectedItem, in: flag.extension, noun: "protected item") else {
            throw .unmappable(FieldPath("extension"), "the Flag does not carry the suite's protected-item extension")
        }
        let reason: Reason = try parts.code("reason")
        let coded = try Mapping.code(
            in: flag.code,
            system: CodeSystem(rawValue: R4.SuiteCodeSystem.protectionReason.rawValue),
            at: FieldPath("code")
        )
        guard coded == reason.rawValue else {
            throw .unmappable(
                FieldPath("code"),
                "the Flag's code must be the item's reason in the protection-reason code system"
            )
        }
        var roles: Set<JobRoleCode> = []
        for part in parts.all("hiddenFromRole") {
            guard case .code(let primitive)? = part.element.value, let role = primitive.value.flatMap(JobRoleCode.init)
            else {
                throw .unmappable(
                    part.place,
                    "the protected item's hiddenFromRole needs a valueCode that is a job role"
                )
            }
            roles.insert(role)
        }
        let discussed = try parts.optionalMoment("discussed")
        guard let hiddenFromPatient = try parts.optionalBoolean("hiddenFromPatient") else {
            throw parts.missing("hiddenFromPatient")
        }
        guard let hiddenFromProxies = try parts.optionalBoolean("hiddenFromProxies") else {
            throw parts.missing("hiddenFromProxies")
        }
        self.init(
            id: try parts.entityID("item"),
            patient: patient,
            dataClass: try parts.code("dataClass"),
            reason: reason,
            hiddenFromRoles: roles,
            hiddenFromPatient: hiddenFromPatient,
            hiddenFromProxies: hiddenFromProxies,
            withheldUntilDiscussed: try parts.optionalBoolean("withheldUntilDiscussed") ?? false,
            discussed: discussed
        )
    }
}

extension R4.Flag {
    /// Writes a protected record item as a UK Core Flag on the patient, labelled restricted, and "no
    /// disclosure to patient" when the patient may not see the item, over the Flag it was read from when
    /// there is one.
    ///
    /// - Parameters:
    ///   - item: The protected item.
    ///   - id: The Flag's id, if it has one yet.
    ///   - original: The Flag it was read from, if any: its identifiers, author, encounter and extensions
    ///     the suite does not know are kept.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` when `original` is another item's or another
    ///   patient's Flag, or the discussion's time cannot be written as an R4 dateTime.
    public init(
        protecting item: ProtectedItem,
        id: String? = nil,
        keeping original: R4.Flag? = nil
    )
        throws(FHIREncodingError)
    {
        if let original {
            if let read = try? ProtectedItem(fhir: original), read.id != item.id {
                throw .unmappable(FieldPath("extension"), "the original is another item's Flag")
            }
            if (try? Mapping.entityID(original.subject, of: "Patient", at: .root)) != item.patient {
                throw .unmappable(FieldPath("subject"), "the original is another patient's Flag")
            }
        }
        var parts = ExtensionBuilder(at: FieldPath("extension"), noun: "protected item")
        parts.id("item", item.id)
        parts.code("dataClass", item.dataClass)
        parts.code("reason", item.reason)
        for role in item.hiddenFromRoles.sorted() { parts.code("hiddenFromRole", text: role.rawValue) }
        parts.boolean("hiddenFromPatient", item.hiddenFromPatient)
        parts.boolean("hiddenFromProxies", item.hiddenFromProxies)
        parts.boolean("withheldUntilDiscussed", item.withheldUntilDiscussed ? true : nil)
        if let discussed = item.discussed { try parts.moment("discussed", discussed) }
        let unchanged = original.flatMap { try? ProtectedItem(fhir: $0) } == item
        self = original ?? R4.Flag(status: "active", code: R4.CodeableConcept(), subject: R4.Reference())
        self.id = original?.id ?? id
        if !unchanged {
            status = "active"
            code = R4.CodeableConcept(
                coding: [
                    R4.Coding(
                        system: R4.Primitive(R4.SuiteCodeSystem.protectionReason.rawValue),
                        code: R4.Primitive(item.reason.rawValue)
                    )
                ],
                text: "Protected record item"
            )
            subject = R4.Reference("Patient", id: item.patient.rawValue)
            category = [
                item.reason == .safeguarding
                    ? Mapping.concept(AccessCodes.flagCategory, "safety", display: "Safety")
                    : Mapping.concept(AccessCodes.flagCategory, "admin", display: "Administrative")
            ]
            self.extension = Mapping.merging(
                (.protectedItem, parts.build(.protectedItem)),
                into: self.extension,
                known: [
                    "item", "dataClass", "reason", "hiddenFromRole", "hiddenFromPatient", "hiddenFromProxies",
                    "withheldUntilDiscussed", "discussed",
                ]
            )
        }
        var meta = Mapping.meta(original?.meta, claiming: .flag)
        // NOPAT covers family and caregivers too, so it marks an item hidden from proxies as well.
        meta.security = Mapping.securityLabels(
            meta.security,
            hiddenFromPatient: item.hiddenFromPatient || item.withheldUntilDiscussed || item.hiddenFromProxies
        )
        self.meta = meta
        Mapping.dropStaleNarrative(&self, original: original, profile: .flag, text: \.text, meta: \.meta)
    }
}

extension R4.Reference {
    /// A reference to a member of staff: a Practitioner by SDS user id, the id the access module's users
    /// carry (the CIS2 `sub`).
    init(user: Access.UserID) {
        self.init(
            type: "Practitioner",
            identifier: R4.Identifier(
                system: R4.Primitive(IdentifierSystem.sdsUserID.rawValue),
                value: R4.Primitive(user.rawValue)
            )
        )
    }
}

extension Mapping {
    /// A member of staff from a reference to a Practitioner by SDS user id. A Practitioner's logical id is
    /// refused: it is another server's key, not the id the user signs in with, so a rule naming it would
    /// never match their session.
    static func user(_ reference: R4.Reference?, at field: FieldPath) throws(FHIREncodingError) -> Access.UserID {
        guard let reference, let identifier = reference.identifier,
            identifier.system?.value == IdentifierSystem.sdsUserID.rawValue
        else {
            throw .unmappable(field, "a member of staff is named by a Practitioner reference with an SDS user id")
        }
        if let type = reference.type?.value, type != "Practitioner" {
            throw .unmappable(field.appending("type"), "an SDS user id names a Practitioner")
        }
        guard let text = try Mapping.text(identifier.value, at: field.appending("identifier.value")),
            let user = Access.UserID(text)
        else {
            throw .unmappable(field.appending("identifier.value"), "the SDS user id must be a FHIR id")
        }
        return user
    }

    /// Refuses a Flag that is not active: an inactive or mistaken Flag does not grant or protect anything
    /// the access module can hold.
    static func activeFlag(_ flag: R4.Flag) throws(FHIREncodingError) {
        guard flag.status.value == "active" else {
            throw .unmappable(FieldPath("status"), "only an active Flag is read")
        }
    }

    /// The security labels of a protected item's Flag: restricted always, and no disclosure to the patient
    /// when the patient may not see the item; other labels are kept.
    static func securityLabels(_ labels: [R4.Coding], hiddenFromPatient: Bool) -> [R4.Coding] {
        func isLabel(_ coding: R4.Coding, _ system: String, _ code: String) -> Bool {
            coding.system?.value == system && coding.code?.value == code
        }
        var result = labels
        if !hiddenFromPatient { result.removeAll { isLabel($0, AccessCodes.actCode, "NOPAT") } }
        // A lower confidentiality level is replaced by restricted; very restricted (V) is stricter and stays.
        result.removeAll {
            $0.system?.value == AccessCodes.confidentiality && !["R", "V"].contains($0.code?.value ?? "")
        }
        if !result.contains(where: { $0.system?.value == AccessCodes.confidentiality }) {
            result.append(
                R4.Coding(system: R4.Primitive(AccessCodes.confidentiality), code: "R", display: "restricted")
            )
        }
        if hiddenFromPatient, !result.contains(where: { isLabel($0, AccessCodes.actCode, "NOPAT") }) {
            result.append(
                R4.Coding(
                    system: R4.Primitive(AccessCodes.actCode),
                    code: "NOPAT",
                    display: "no disclosure to patient, family or caregivers without attending provider's authorization"
                )
            )
        }
        return result
    }
}
