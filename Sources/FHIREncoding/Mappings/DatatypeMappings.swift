public import CareCore

// Mappings between CareCore's datatypes and their R4 datatypes, the building blocks of every resource
// mapping (issue #9).
//
// Reading (`init(fhir:)`) throws `FHIREncodingError` with code `unmappable`, naming the element (relative
// to the datatype) and why, when R4 holds something the domain type refuses: a telephone number with
// letters, a name with no parts. What the domain type has no place for (an element's extensions, a
// `text` rendering) is not read; `R4.<Type>(_:keeping:)` writes a domain value back over the R4 element
// it was read from and keeps that element whole when the domain value has not changed, so a read, change
// and write loses nothing the domain did not change.

extension FHIREncodingError.Code {
    /// An R4 element holds something the domain type cannot take: the field names the element, the reason
    /// says why.
    public static let unmappable = FHIREncodingError.Code(rawValue: "unmappable")
}

extension FHIREncodingError {
    /// A mapping failure at an element.
    static func unmappable(_ field: FieldPath, _ reason: String) -> FHIREncodingError {
        FHIREncodingError(.unmappable, field: field, reason: reason)
    }

    /// A domain type's refusal, placed at the R4 element it was read from; the domain error's reason never
    /// holds the refused value.
    static func unmappable(_ field: FieldPath, _ error: CareCoreError) -> FHIREncodingError {
        FHIREncodingError(.unmappable, field: field, reason: error.reason)
    }
}

/// Helpers shared by the mappings.
enum Mapping {
    /// Reads a code into a domain enum, refusing one the enum does not have.
    static func code<Value: RawRepresentable<String>>(
        _ primitive: R4.Primitive<String>?,
        at field: FieldPath
    ) throws(FHIREncodingError) -> Value? {
        guard let text = primitive?.value else { return nil }
        guard let value = Value(rawValue: text) else {
            throw .unmappable(field, "the code is not one the domain type knows")
        }
        return value
    }

    /// The text values of a repeating primitive, refusing an entry with no value (only extensions).
    static func texts(_ primitives: [R4.Primitive<String>], at field: FieldPath) throws(FHIREncodingError) -> [String] {
        var texts: [String] = []
        for (index, primitive) in primitives.enumerated() {
            guard let value = primitive.value else {
                throw .unmappable(field.appending(index: index), "a value given only by extensions cannot be mapped")
            }
            texts.append(value)
        }
        return texts
    }

    /// Writes a domain value back over the R4 element it was read from: the original element, whole, when it
    /// still reads as the same domain value, and a fresh element otherwise.
    static func keeping<Domain: Equatable, Element>(
        _ value: Domain,
        original: Element?,
        read: (Element) throws(FHIREncodingError) -> Domain,
        write: (Domain) -> Element
    ) -> Element {
        if let original, let unchanged = try? read(original), unchanged == value { return original }
        return write(value)
    }
}

extension Period {
    /// Reads an R4 Period.
    ///
    /// - Parameter period: The R4 element.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for a date that is not a FHIR date-time, one
    ///   given only by extensions, or an end before the start.
    public init(fhir period: R4.Period) throws(FHIREncodingError) {
        let start = try Mapping.dateTime(period.start, at: FieldPath("start"))
        let end = try Mapping.dateTime(period.end, at: FieldPath("end"))
        do {
            try self.init(start: start, end: end)
        } catch {
            throw .unmappable(FieldPath("end"), error)
        }
    }
}

extension R4.Period {
    /// Writes a period.
    ///
    /// - Parameter period: The domain period.
    public init(_ period: Period) {
        self.init(
            start: period.start.map { R4.Primitive($0.description) },
            end: period.end.map { R4.Primitive($0.description) }
        )
    }
}

extension Mapping {
    /// Reads a nested period, placing its errors under `period`.
    static func period(_ period: R4.Period?) throws(FHIREncodingError) -> Period? {
        guard let period else { return nil }
        do {
            return try Period(fhir: period)
        } catch {
            throw error.nested(under: FieldPath("period"))
        }
    }

    /// The text of an optional primitive, refusing one given only by extensions.
    static func text(_ primitive: R4.Primitive<String>?, at field: FieldPath) throws(FHIREncodingError) -> String? {
        guard let primitive else { return nil }
        guard let value = primitive.value else {
            throw .unmappable(field, "a value given only by extensions cannot be mapped")
        }
        return value
    }
}

extension CareCore.HumanName {
    /// Reads an R4 HumanName: use, prefixes, given names, family name, suffixes and period. Its `text` is a
    /// rendering the domain builds itself, so it is not read.
    ///
    /// - Parameter name: The R4 element.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for a use the domain does not have, a part given
    ///   only by extensions, a part the domain refuses, or a name with no given or family name.
    public init(fhir name: R4.HumanName) throws(FHIREncodingError) {
        let use: Use? = try Mapping.code(name.use, at: FieldPath("use"))
        let prefixes = try Mapping.texts(name.prefix, at: FieldPath("prefix"))
        let given = try Mapping.texts(name.given, at: FieldPath("given"))
        let family = try Mapping.text(name.family, at: FieldPath("family"))
        let suffixes = try Mapping.texts(name.suffix, at: FieldPath("suffix"))
        let period = try Mapping.period(name.period)
        do {
            try self.init(
                use: use,
                prefixes: prefixes,
                given: given,
                family: family,
                suffixes: suffixes,
                period: period
            )
        } catch {
            throw .unmappable(.root, error)
        }
    }
}

extension R4.HumanName {
    /// Writes a name.
    ///
    /// - Parameter name: The domain name.
    public init(_ name: CareCore.HumanName) {
        self.init(
            use: name.use.map { R4.Primitive($0.rawValue) },
            family: name.family.map { R4.Primitive($0) },
            given: name.given.map { R4.Primitive($0) },
            prefix: name.prefixes.map { R4.Primitive($0) },
            suffix: name.suffixes.map { R4.Primitive($0) },
            period: name.period.map(R4.Period.init)
        )
    }
}

extension CareCore.Address {
    /// Reads an R4 Address: use, type, lines, city, district, postcode, country and period. Its `text` and
    /// `state` are not read.
    ///
    /// - Parameter address: The R4 element.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for a use or type the domain does not have, a
    ///   part given only by extensions, a postcode that is not a UK postcode, or a part the domain refuses.
    public init(fhir address: R4.Address) throws(FHIREncodingError) {
        let use: Use? = try Mapping.code(address.use, at: FieldPath("use"))
        let kind: Kind? = try Mapping.code(address.type, at: FieldPath("type"))
        let lines = try Mapping.texts(address.line, at: FieldPath("line"))
        var postcode: Postcode?
        if let text = try Mapping.text(address.postalCode, at: FieldPath("postalCode")) {
            do {
                postcode = try Postcode(parsing: text)
            } catch {
                throw .unmappable(FieldPath("postalCode"), error)
            }
        }
        let city = try Mapping.text(address.city, at: FieldPath("city"))
        let district = try Mapping.text(address.district, at: FieldPath("district"))
        let country = try Mapping.text(address.country, at: FieldPath("country"))
        let period = try Mapping.period(address.period)
        do {
            try self.init(
                use: use,
                kind: kind,
                lines: lines,
                city: city,
                district: district,
                postcode: postcode,
                country: country,
                period: period
            )
        } catch {
            throw .unmappable(.root, error)
        }
    }
}

extension R4.Address {
    /// Writes an address, with its postcode formatted (`PL1 2AB`).
    ///
    /// - Parameter address: The domain address.
    public init(_ address: CareCore.Address) {
        self.init(
            use: address.use.map { R4.Primitive($0.rawValue) },
            type: address.kind.map { R4.Primitive($0.rawValue) },
            line: address.lines.map { R4.Primitive($0) },
            city: address.city.map { R4.Primitive($0) },
            district: address.district.map { R4.Primitive($0) },
            postalCode: address.postcode.map { R4.Primitive($0.formatted) },
            country: address.country.map { R4.Primitive($0) },
            period: address.period.map(R4.Period.init)
        )
    }
}

extension CareCore.ContactPoint {
    /// Reads an R4 ContactPoint: system, value, use, rank and period.
    ///
    /// - Parameter contact: The R4 element.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for a missing system or value, a code the
    ///   domain does not have, or a value the domain refuses (a telephone number with letters).
    public init(fhir contact: R4.ContactPoint) throws(FHIREncodingError) {
        guard let system: System = try Mapping.code(contact.system, at: FieldPath("system")) else {
            throw .unmappable(FieldPath("system"), "a contact point needs a system")
        }
        guard let value = try Mapping.text(contact.value, at: FieldPath("value")) else {
            throw .unmappable(FieldPath("value"), "a contact point needs a value")
        }
        let use: Use? = try Mapping.code(contact.use, at: FieldPath("use"))
        let period = try Mapping.period(contact.period)
        do {
            try self.init(
                system: system,
                value: value,
                use: use,
                rank: contact.rank?.value.map(Int.init),
                period: period
            )
        } catch {
            throw .unmappable(
                error.field == FieldPath("contactPoint.rank") ? FieldPath("rank") : FieldPath("value"),
                error
            )
        }
    }
}

extension R4.ContactPoint {
    /// Writes a contact point.
    ///
    /// - Parameter contact: The domain contact point.
    public init(_ contact: CareCore.ContactPoint) {
        self.init(
            system: R4.Primitive(contact.system.rawValue),
            value: R4.Primitive(contact.value),
            use: contact.use.map { R4.Primitive($0.rawValue) },
            rank: contact.rank.flatMap { Int32(exactly: $0) }.map { R4.Primitive($0) },
            period: contact.period.map(R4.Period.init)
        )
    }
}

extension CareCore.Identifier {
    /// Reads an R4 Identifier: system, value, use, period, and an assigner given by ODS organisation code
    /// (`assigner.identifier`). Its `type` is not read.
    ///
    /// - Parameter identifier: The R4 element.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for a missing system or value, a use the domain
    ///   does not have, an assigner that is not an ODS code, or a value the domain refuses.
    public init(fhir identifier: R4.Identifier) throws(FHIREncodingError) {
        guard let system = try Mapping.text(identifier.system, at: FieldPath("system")) else {
            throw .unmappable(FieldPath("system"), "an identifier needs a system")
        }
        guard let value = try Mapping.text(identifier.value, at: FieldPath("value")) else {
            throw .unmappable(FieldPath("value"), "an identifier needs a value")
        }
        let use: Use? = try Mapping.code(identifier.use, at: FieldPath("use"))
        var assigner: ODSCode?
        if let reference = identifier.assigner {
            guard let code = reference.identifier, code.system?.value == IdentifierSystem.odsOrganisationCode.rawValue,
                let text = code.value?.value
            else {
                throw .unmappable(FieldPath("assigner"), "an assigner must be given by its ODS organisation code")
            }
            do {
                assigner = try ODSCode(parsing: text)
            } catch {
                throw .unmappable(FieldPath("assigner.identifier.value"), error)
            }
        }
        let period = try Mapping.period(identifier.period)
        do {
            try self.init(
                system: IdentifierSystem(rawValue: system),
                value: value,
                assigner: assigner,
                use: use,
                period: period
            )
        } catch {
            throw .unmappable(FieldPath("value"), error)
        }
    }
}

extension R4.Identifier {
    /// Writes an identifier, with its assigner as a reference by ODS organisation code.
    ///
    /// - Parameter identifier: The domain identifier.
    public init(_ identifier: CareCore.Identifier) {
        self.init(
            use: identifier.use.map { R4.Primitive($0.rawValue) },
            system: R4.Primitive(identifier.system.rawValue),
            value: R4.Primitive(identifier.value),
            period: identifier.period.map(R4.Period.init),
            assigner: identifier.assigner.map(R4.Reference.init(organisation:))
        )
    }
}

extension R4.Reference {
    /// A reference to an organisation by its ODS organisation code, as UK Core gives a GP practice or an
    /// identifier's assigner.
    ///
    /// - Parameter organisation: The organisation's ODS code.
    public init(organisation: ODSCode) {
        self.init(
            type: "Organization",
            identifier: R4.Identifier(
                system: R4.Primitive(IdentifierSystem.odsOrganisationCode.rawValue),
                value: R4.Primitive(organisation.rawValue)
            )
        )
    }
}

extension CareCore.Coding {
    /// Reads an R4 Coding.
    ///
    /// - Parameter coding: The R4 element.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for a missing system or code, or a code the
    ///   domain refuses.
    public init(fhir coding: R4.Coding) throws(FHIREncodingError) {
        guard let system = try Mapping.text(coding.system, at: FieldPath("system")) else {
            throw .unmappable(FieldPath("system"), "a coding needs a system")
        }
        guard let code = try Mapping.text(coding.code, at: FieldPath("code")) else {
            throw .unmappable(FieldPath("code"), "a coding needs a code")
        }
        let version = try Mapping.text(coding.version, at: FieldPath("version"))
        let display = try Mapping.text(coding.display, at: FieldPath("display"))
        do {
            try self.init(system: CodeSystem(rawValue: system), version: version, code: code, display: display)
        } catch {
            throw .unmappable(FieldPath("code"), error)
        }
    }
}

extension R4.Coding {
    /// Writes a coding.
    ///
    /// - Parameter coding: The domain coding.
    public init(_ coding: CareCore.Coding) {
        self.init(
            system: R4.Primitive(coding.system.rawValue),
            version: coding.version.map { R4.Primitive($0) },
            code: R4.Primitive(coding.code),
            display: coding.display.map { R4.Primitive($0) }
        )
    }
}

extension CareCore.CodeableConcept {
    /// Reads an R4 CodeableConcept.
    ///
    /// - Parameter concept: The R4 element.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` naming the coding that cannot be read, or for a
    ///   concept the domain refuses.
    public init(fhir concept: R4.CodeableConcept) throws(FHIREncodingError) {
        var codings: [Coding] = []
        for (index, coding) in concept.coding.enumerated() {
            do {
                codings.append(try Coding(fhir: coding))
            } catch {
                throw error.nested(under: FieldPath("coding").appending(index: index))
            }
        }
        let text = try Mapping.text(concept.text, at: FieldPath("text"))
        do {
            try self.init(codings: codings, text: text)
        } catch {
            throw .unmappable(.root, error)
        }
    }
}

extension R4.CodeableConcept {
    /// Writes a concept.
    ///
    /// - Parameter concept: The domain concept.
    public init(_ concept: CareCore.CodeableConcept) {
        self.init(coding: concept.codings.map(R4.Coding.init), text: concept.text.map { R4.Primitive($0) })
    }
}

// Writing back over what was read: each keeps the original R4 element whole, with its extensions and any
// element the domain does not read, when the domain value it reads as has not changed.

extension R4.HumanName {
    /// Writes a name over the R4 name it was read from.
    ///
    /// - Parameters:
    ///   - name: The domain name.
    ///   - original: The R4 name it was read from, if any.
    public init(_ name: CareCore.HumanName, keeping original: R4.HumanName?) {
        self = Mapping.keeping(
            name,
            original: original,
            read: { (fhir) throws(FHIREncodingError) in try .init(fhir: fhir) },
            write: R4.HumanName.init(_:)
        )
    }
}

extension R4.Address {
    /// Writes an address over the R4 address it was read from.
    ///
    /// - Parameters:
    ///   - address: The domain address.
    ///   - original: The R4 address it was read from, if any.
    public init(_ address: CareCore.Address, keeping original: R4.Address?) {
        self = Mapping.keeping(
            address,
            original: original,
            read: { (fhir) throws(FHIREncodingError) in try .init(fhir: fhir) },
            write: R4.Address.init(_:)
        )
    }
}

extension R4.ContactPoint {
    /// Writes a contact point over the R4 contact point it was read from.
    ///
    /// - Parameters:
    ///   - contact: The domain contact point.
    ///   - original: The R4 contact point it was read from, if any.
    public init(_ contact: CareCore.ContactPoint, keeping original: R4.ContactPoint?) {
        self = Mapping.keeping(
            contact,
            original: original,
            read: { (fhir) throws(FHIREncodingError) in try .init(fhir: fhir) },
            write: R4.ContactPoint.init(_:)
        )
    }
}

extension R4.Identifier {
    /// Writes an identifier over the R4 identifier it was read from.
    ///
    /// - Parameters:
    ///   - identifier: The domain identifier.
    ///   - original: The R4 identifier it was read from, if any.
    public init(_ identifier: CareCore.Identifier, keeping original: R4.Identifier?) {
        self = Mapping.keeping(
            identifier,
            original: original,
            read: { (fhir) throws(FHIREncodingError) in try .init(fhir: fhir) },
            write: R4.Identifier.init(_:)
        )
    }
}
