/// The twenty primitive datatypes of FHIR R4, each with the JSON form and text format the specification
/// gives it (<https://hl7.org/fhir/R4/datatypes.html#primitive>).
public enum FHIRPrimitiveType: String, Hashable, Sendable, CaseIterable {
    /// Base64-encoded content (RFC 4648): the base64 alphabet, padded, whitespace allowed.
    case base64Binary
    /// `true` or `false`, as a JSON boolean.
    case boolean
    /// A canonical URL, optionally with `|version`; no whitespace.
    case canonical
    /// A code from a code system: no leading, trailing or doubled whitespace.
    case code
    /// A date or partial date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real calendar date.
    case date
    /// A date, partial date or date and time; a time must carry seconds and a time-zone offset.
    case dateTime
    /// A decimal, as a JSON number whose text keeps its precision.
    case decimal
    /// A logical id: 1 to 64 of `A-Z a-z 0-9 - .`.
    case id
    /// An instant: a full date and time to the second, with a time-zone offset.
    case instant
    /// A 32-bit signed integer, as a JSON number with no fraction or exponent.
    case integer
    /// Markdown text: a non-empty string.
    case markdown
    /// An OID as a URI: `urn:oid:` and dotted numbers.
    case oid
    /// An integer from 1 to 2,147,483,647.
    case positiveInt
    /// Text: at least one character that is not whitespace, and no control characters but tab, carriage
    /// return and line feed.
    case string
    /// A time of day: `hh:mm:ss` with optional fractional seconds and no time zone.
    case time
    /// An integer from 0 to 2,147,483,647.
    case unsignedInt
    /// A URI: no whitespace.
    case uri
    /// A URL: no whitespace.
    case url
    /// A UUID as a URI: `urn:uuid:` and the lowercase 8-4-4-4-12 form.
    case uuid
    /// Limited XHTML for narrative: a `<div>` element, as a string.
    case xhtml

    /// Whether the JSON form is a number.
    public var isNumeric: Bool {
        switch self {
        case .decimal, .integer, .positiveInt, .unsignedInt: true
        default: false
        }
    }
}
