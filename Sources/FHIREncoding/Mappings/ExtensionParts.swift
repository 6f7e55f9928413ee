import CareCore
import Foundation

// Reading and writing the parts of the suite's complex extensions: an extension whose value is a list of
// sub-extensions named by a short URL such as `whatMattersToMe`.

/// The parts of one complex extension, read by name, with errors placed at the part at fault.
///
/// A part the suite does not know is skipped, so that an extension a later version of the suite wrote can
/// still be read; writers keep such parts with ``Mapping/merging(_:into:known:)``.
struct ExtensionParts {
    /// Where the extension is, such as `extension[2]`.
    let place: FieldPath
    /// What the extension describes, for error texts: "plan", "ReSPECT recommendations".
    let noun: String
    private let parts: [(name: String, position: Int, element: R4.Extension)]

    /// Reads the parts of an extension.
    ///
    /// - Parameters:
    ///   - element: The extension.
    ///   - place: Where it is.
    ///   - noun: What it describes.
    init(_ element: R4.Extension, at place: FieldPath, noun: String) {
        self.place = place
        self.noun = noun
        parts = element.extension.enumerated().map { ($0.element.url, $0.offset, $0.element) }
    }

    /// The parts of the one extension with a URL in a list, or `nil` when there is none.
    ///
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for a repeated extension.
    static func single(
        _ url: R4.SuiteExtension,
        in extensions: [R4.Extension],
        at field: FieldPath = .root,
        noun: String
    ) throws(FHIREncodingError) -> ExtensionParts? {
        guard let (index, element) = try Mapping.single(url.rawValue, in: extensions, at: field) else { return nil }
        return ExtensionParts(element, at: field.appending("extension").appending(index: index), noun: noun)
    }

    /// Where a part is, or where it belongs when it is missing.
    func place(_ name: String) -> FieldPath {
        let base = place.appending("extension")
        return parts.first { $0.name == name }.map { base.appending(index: $0.position) } ?? base
    }

    /// Every part with a name, in order.
    func all(_ name: String) -> [(place: FieldPath, element: R4.Extension)] {
        parts.filter { $0.name == name }.map {
            (place.appending("extension").appending(index: $0.position), $0.element)
        }
    }

    /// The one part with a name, refusing a repeat.
    func single(_ name: String) throws(FHIREncodingError) -> (place: FieldPath, element: R4.Extension)? {
        let found = all(name)
        guard found.count <= 1 else { throw .unmappable(found[1].place, "the \(noun)'s \(name) is repeated") }
        return found.first
    }

    func missing(_ name: String) -> FHIREncodingError {
        .unmappable(place(name), "the \(noun)'s \(name) is missing")
    }

    // MARK: Values

    private static func string(
        _ part: (place: FieldPath, element: R4.Extension),
        noun: String,
        name: String
    )
        throws(FHIREncodingError) -> String
    {
        guard case .string(let primitive)? = part.element.value, let text = primitive.value, !text.isEmpty else {
            throw .unmappable(part.place, "the \(noun)'s \(name) needs a valueString")
        }
        return text
    }

    func optionalString(_ name: String) throws(FHIREncodingError) -> String? {
        try single(name).map { (part) throws(FHIREncodingError) in try Self.string(part, noun: noun, name: name) }
    }

    func string(_ name: String) throws(FHIREncodingError) -> String {
        guard let text = try optionalString(name) else { throw missing(name) }
        return text
    }

    func strings(_ name: String) throws(FHIREncodingError) -> [String] {
        var result: [String] = []
        for part in all(name) { result.append(try Self.string(part, noun: noun, name: name)) }
        return result
    }

    func optionalCode<Value: RawRepresentable<String>>(_ name: String) throws(FHIREncodingError) -> Value? {
        guard let part = try single(name) else { return nil }
        guard case .code(let primitive)? = part.element.value, let code = primitive.value,
            let known = Value(rawValue: code)
        else {
            throw .unmappable(part.place, "the \(noun)'s \(name) needs a valueCode the suite defines")
        }
        return known
    }

    func code<Value: RawRepresentable<String>>(_ name: String) throws(FHIREncodingError) -> Value {
        guard let value: Value = try optionalCode(name) else { throw missing(name) }
        return value
    }

    func positiveInt(_ name: String) throws(FHIREncodingError) -> Int {
        guard let part = try single(name) else { throw missing(name) }
        guard case .positiveInt(let primitive)? = part.element.value, let number = primitive.value, number >= 1 else {
            throw .unmappable(part.place, "the \(noun)'s \(name) needs a valuePositiveInt")
        }
        return Int(number)
    }

    func optionalBoolean(_ name: String) throws(FHIREncodingError) -> Bool? {
        guard let part = try single(name) else { return nil }
        guard case .boolean(let primitive)? = part.element.value, let flag = primitive.value else {
            throw .unmappable(part.place, "the \(noun)'s \(name) needs a valueBoolean")
        }
        return flag
    }

    func optionalDate(_ name: String) throws(FHIREncodingError) -> CivilDate? {
        guard let part = try single(name) else { return nil }
        guard case .date(let primitive)? = part.element.value, let text = primitive.value,
            let date = try? CivilDate(parsing: text)
        else {
            throw .unmappable(part.place, "the \(noun)'s \(name) needs a valueDate with year, month and day")
        }
        return date
    }

    func date(_ name: String) throws(FHIREncodingError) -> CivilDate {
        guard let date = try optionalDate(name) else { throw missing(name) }
        return date
    }

    func moment(_ name: String) throws(FHIREncodingError) -> Date {
        guard let date = try optionalMoment(name) else { throw missing(name) }
        return date
    }

    func optionalMoment(_ name: String) throws(FHIREncodingError) -> Date? {
        guard let part = try single(name) else { return nil }
        guard case .dateTime(let primitive)? = part.element.value,
            let date = try Mapping.moment(primitive, at: part.place.appending("valueDateTime"))
        else {
            throw .unmappable(part.place, "the \(noun)'s \(name) needs a valueDateTime")
        }
        return date
    }

    func entityID<Tag>(_ name: String) throws(FHIREncodingError) -> EntityID<Tag> {
        guard let part = try single(name) else { throw missing(name) }
        guard case .id(let primitive)? = part.element.value, let text = primitive.value,
            let id = EntityID<Tag>(text)
        else {
            throw .unmappable(part.place, "the \(noun)'s \(name) needs a valueId")
        }
        return id
    }

    func instant(_ name: String) throws(FHIREncodingError) -> Date {
        guard let part = try single(name) else { throw missing(name) }
        guard case .instant(let primitive)? = part.element.value,
            let date = try Mapping.moment(primitive, at: part.place.appending("valueInstant"))
        else {
            throw .unmappable(part.place, "the \(noun)'s \(name) needs a valueInstant")
        }
        return date
    }

    func optionalOrganisation(_ name: String) throws(FHIREncodingError) -> ODSCode? {
        guard let part = try single(name) else { return nil }
        guard case .reference(let reference)? = part.element.value,
            let code = try Mapping.organisation(reference, at: part.place.appending("valueReference"))
        else {
            throw .unmappable(part.place, "the \(noun)'s \(name) needs a valueReference by ODS organisation code")
        }
        return code
    }

    func organisation(_ name: String) throws(FHIREncodingError) -> ODSCode {
        guard let code = try optionalOrganisation(name) else { throw missing(name) }
        return code
    }

    /// The parts of the one complex part with a name.
    func optionalNested(_ name: String, noun: String) throws(FHIREncodingError) -> ExtensionParts? {
        try single(name).map { ExtensionParts($0.element, at: $0.place, noun: noun) }
    }

    /// The parts of every complex part with a name.
    func nested(_ name: String, noun: String) -> [ExtensionParts] {
        all(name).map { ExtensionParts($0.element, at: $0.place, noun: noun) }
    }
}

/// Builds a complex extension part by part, refusing text FHIR cannot carry.
struct ExtensionBuilder {
    /// Where the extension will be written, for errors.
    let place: FieldPath
    /// What the extension describes, for error texts.
    let noun: String
    /// The parts so far.
    private(set) var parts: [R4.Extension] = []

    init(at place: FieldPath, noun: String) {
        self.place = place
        self.noun = noun
    }

    /// Adds a string part, when there is one; FHIR strings are never empty.
    mutating func string(_ name: String, _ text: String?) throws(FHIREncodingError) {
        guard let text else { return }
        guard !text.isEmpty else { throw .unmappable(place, "the \(noun)'s \(name) is empty, which FHIR cannot carry") }
        parts.append(R4.Extension(url: name, value: .string(R4.Primitive(text))))
    }

    mutating func code(_ name: String, _ value: (some RawRepresentable<String>)?) {
        guard let value else { return }
        parts.append(R4.Extension(url: name, value: .code(R4.Primitive(value.rawValue))))
    }

    /// Adds a code part given as text, for codes that are not `RawRepresentable` (an RBAC job role).
    mutating func code(_ name: String, text: String) {
        parts.append(R4.Extension(url: name, value: .code(R4.Primitive(text))))
    }

    mutating func boolean(_ name: String, _ flag: Bool?) {
        guard let flag else { return }
        parts.append(R4.Extension(url: name, value: .boolean(R4.Primitive(flag))))
    }

    mutating func positiveInt(_ name: String, _ number: Int) throws(FHIREncodingError) {
        guard number >= 1, let value = Int32(exactly: number) else {
            throw .unmappable(place, "the \(noun)'s \(name) is not a positive whole number FHIR can carry")
        }
        parts.append(R4.Extension(url: name, value: .positiveInt(R4.Primitive(value))))
    }

    mutating func date(_ name: String, _ date: CivilDate?) {
        guard let date else { return }
        parts.append(R4.Extension(url: name, value: .date(R4.Primitive(date.description))))
    }

    mutating func moment(_ name: String, _ date: Date) throws(FHIREncodingError) {
        parts.append(R4.Extension(url: name, value: .dateTime(try Mapping.moment(date, at: place))))
    }

    mutating func id<Tag>(_ name: String, _ id: EntityID<Tag>) {
        parts.append(R4.Extension(url: name, value: .id(R4.Primitive(id.rawValue))))
    }

    mutating func organisation(_ name: String, _ code: ODSCode?) {
        guard let code else { return }
        parts.append(R4.Extension(url: name, value: .reference(R4.Reference(organisation: code))))
    }

    mutating func nested(_ name: String, _ builder: ExtensionBuilder) {
        guard !builder.parts.isEmpty else { return }
        parts.append(R4.Extension(url: name, extension: builder.parts))
    }

    /// The extension, or `nil` when it has no parts.
    func build(_ url: R4.SuiteExtension) -> R4.Extension? {
        parts.isEmpty ? nil : R4.Extension(url: url.rawValue, extension: parts)
    }
}

extension Mapping {
    /// Sets a suite extension in a list: replaced in place, appended, or removed whole when `replacement` is
    /// `nil`. Parts of the previous extension that the suite does not know are kept beside a replacement, so
    /// that what a later version of the suite wrote survives a write-back.
    static func merging(
        _ replacement: (url: R4.SuiteExtension, element: R4.Extension?),
        into extensions: [R4.Extension],
        known: Set<String>
    ) -> [R4.Extension] {
        // Without a replacement the extension goes whole: parts left alone could read as an incomplete
        // extension (a ReSPECT form with no CPR recommendation).
        guard replacement.element != nil else { return setting(replacement.url.rawValue, to: nil, in: extensions) }
        let previous = extensions.first { $0.url == replacement.url.rawValue }
        let unknown = previous?.extension.filter { !known.contains($0.url) } ?? []
        var element = replacement.element
        element?.extension += unknown
        return setting(replacement.url.rawValue, to: element, in: extensions)
    }
}
