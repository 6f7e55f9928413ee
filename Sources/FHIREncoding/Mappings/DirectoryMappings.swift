public import CareCore
public import ConsentAccess

// Organisations and staff <-> UK Core Organization and Practitioner (issue #9).
//
// The suite knows an organisation by its ODS code and a member of staff by their SDS user id (the CIS2
// `sub`); everything else about them belongs to the directories (ODS, SDS) that publish them. So:
// - an `ODSCode` <-> an Organization's `identifier` in `https://fhir.nhs.uk/Id/ods-organization-code`;
// - an `Access.UserID` <-> a Practitioner's `identifier` in `https://fhir.nhs.uk/Id/sds-user-id`.
// Written over the resource they were read from, everything else is kept: names, telecom, addresses,
// qualifications and other identifiers. The references the other mappings write (`R4.Reference` by ODS
// code or SDS user id) resolve to these resources by identifier.

extension ODSCode {
    /// Reads an organisation's ODS code from an Organization.
    ///
    /// ```swift
    /// let trust = try ODSCode(fhir: organization)   // RR8 for the UK Core Leeds example
    /// ```
    ///
    /// - Parameter organization: The Organization.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element: a modifier extension or
    ///   `implicitRules`; no identifier in the ODS organisation code system (those marked `old` are set aside);
    ///   two that disagree, in any letter case; or a code that is not an ODS code.
    public init(fhir organization: R4.Organization) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(organization.modifierExtension, implicitRules: organization.implicitRules)
        let (text, place) = try Mapping.soleIdentifier(
            organization.identifier,
            system: .odsOrganisationCode,
            noun: "an organisation's ODS code",
            normalised: { (try? ODSCode(parsing: $0).rawValue) ?? $0 }
        )
        do {
            try self.init(parsing: text)
        } catch {
            throw .unmappable(place, error)
        }
    }
}

extension R4.Organization {
    /// Writes an organisation as a UK Core Organization identified by its ODS code, over the Organization
    /// it was read from when there is one.
    ///
    /// - Parameters:
    ///   - code: The organisation's ODS code.
    ///   - name: Its name, as ODS publishes it; by default the original's is kept, or none is written.
    ///   - original: The Organization it was read from, if any; all it holds is kept.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`: an original that is another organisation's
    ///   (its ODS code differs) or whose ODS code cannot be read (what `ODSCode(fhir:)`
    ///   refuses), or an empty name, which FHIR cannot carry.
    public init(
        _ code: ODSCode,
        name: String? = nil,
        keeping original: R4.Organization? = nil
    ) throws(FHIREncodingError) {
        // An original whose ODS code cannot be read may be another organisation's: it is refused, never
        // overwritten.
        if let original, try ODSCode(fhir: original) != code {
            throw .unmappable(FieldPath("identifier"), "the Organization written over is another organisation's")
        }
        self = original ?? R4.Organization()
        meta = Mapping.meta(original?.meta, claiming: .organization)
        identifier = Mapping.settingIdentifier(code.rawValue, system: .odsOrganisationCode, in: identifier)
        if let name {
            self.name = R4.Primitive(try Mapping.nonEmpty(name, at: FieldPath("name")))
        }
    }
}

extension Access.UserID {
    /// Reads a member of staff's SDS user id, the id they sign in with through CIS2, from a Practitioner.
    ///
    /// - Parameter practitioner: The Practitioner.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element: a modifier extension or
    ///   `implicitRules`; no identifier in the SDS user id system (those marked `old` are set aside); two that
    ///   disagree; or an id that is not a
    ///   FHIR id.
    public init(fhir practitioner: R4.Practitioner) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(practitioner.modifierExtension, implicitRules: practitioner.implicitRules)
        let (text, place) = try Mapping.soleIdentifier(
            practitioner.identifier,
            system: .sdsUserID,
            noun: "a member of staff's SDS user id"
        )
        guard let user = Access.UserID(text) else {
            throw .unmappable(place, "the SDS user id must be a FHIR id")
        }
        self = user
    }
}

extension R4.Practitioner {
    /// Writes a member of staff as a UK Core Practitioner identified by their SDS user id, over the
    /// Practitioner it was read from when there is one.
    ///
    /// - Parameters:
    ///   - user: Their SDS user id.
    ///   - name: Their name; by default the original's names are kept, or none is written. A name given
    ///     replaces the names of the original's with the same use.
    ///   - original: The Practitioner it was read from, if any; all it holds is kept.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`: an original that is another member of staff's
    ///   (its SDS user id differs) or whose SDS user id cannot be read (what `Access.UserID(fhir:)` refuses).
    public init(
        _ user: Access.UserID,
        name: HumanName? = nil,
        keeping original: R4.Practitioner? = nil
    ) throws(FHIREncodingError) {
        if let original, try Access.UserID(fhir: original) != user {
            throw .unmappable(FieldPath("identifier"), "the Practitioner written over is another member of staff's")
        }
        self = original ?? R4.Practitioner()
        meta = Mapping.meta(original?.meta, claiming: .practitioner)
        identifier = Mapping.settingIdentifier(user.rawValue, system: .sdsUserID, in: identifier)
        if let name {
            // The name with the same use is written over in place, kept whole when it is unchanged.
            let use = R4.HumanName(name).use?.value
            if let position = self.name.firstIndex(where: { $0.use?.value == use }) {
                self.name[position] = R4.HumanName(name, keeping: self.name[position])
                self.name = self.name.enumerated().filter { $0.offset == position || $0.element.use?.value != use }
                    .map(\.element)
            } else {
                self.name.insert(R4.HumanName(name), at: 0)
            }
        }
    }
}

extension Mapping {
    /// The value of the identifiers in one system, which must agree once `normalised`, with where the first
    /// is. Identifiers whose `use` is `old` are set aside: they name what the resource was once known by.
    static func soleIdentifier(
        _ identifiers: [R4.Identifier],
        system: IdentifierSystem,
        noun: String,
        normalised: (String) -> String = { $0 }
    ) throws(FHIREncodingError) -> (text: String, place: FieldPath) {
        var found: (text: String, place: FieldPath)?
        for (index, identifier) in identifiers.enumerated()
        where identifier.system?.value == system.rawValue && identifier.use?.value != "old" {
            let place = FieldPath("identifier").appending(index: index).appending("value")
            guard let text = try Mapping.text(identifier.value, at: place) else {
                throw .unmappable(place, "\(noun) needs a value")
            }
            if let found, normalised(found.text) != normalised(text) {
                throw .unmappable(place, "two identifiers give \(noun) differently")
            }
            found = found ?? (text, place)
        }
        guard let found else { throw .unmappable(FieldPath("identifier"), "\(noun) is missing") }
        return found
    }

    /// Identifiers with one in `system` set to `value`: the first such identifier not marked `old` is
    /// changed in place, keeping its other elements, and any others in the system not marked `old` are
    /// removed; one is appended, marked official, when there is none. Old identifiers are kept as they are.
    static func settingIdentifier(
        _ value: String,
        system: IdentifierSystem,
        in identifiers: [R4.Identifier]
    ) -> [R4.Identifier] {
        var result: [R4.Identifier] = []
        var placed = false
        for var identifier in identifiers {
            guard identifier.system?.value == system.rawValue, identifier.use?.value != "old" else {
                result.append(identifier)
                continue
            }
            guard !placed else { continue }
            if identifier.value?.value != value { identifier.value = R4.Primitive(value) }
            result.append(identifier)
            placed = true
        }
        if !placed {
            result.append(
                R4.Identifier(use: "official", system: R4.Primitive(system.rawValue), value: R4.Primitive(value))
            )
        }
        return result
    }
}
