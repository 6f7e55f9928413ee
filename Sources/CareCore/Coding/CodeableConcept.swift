/// A concept expressed as one or more codings from different systems, with optional free text.
///
/// The same clinical idea is often coded in several systems at once (SNOMED CT and a local code); a
/// concept may also be text only, when no code fits. A concept with neither codings nor text says nothing
/// and cannot be created.
public struct CodeableConcept: Hashable, Sendable, Codable {
    /// The codings, in the order they were given.
    public let codings: [Coding]
    /// Free text as the user entered or saw it.
    public let text: String?

    /// Creates a concept.
    ///
    /// - Parameters:
    ///   - codings: The codings, possibly empty.
    ///   - text: Free text, if any.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/empty`` when there is neither a coding nor
    ///   text with something other than white space in it.
    public init(codings: [Coding], text: String? = nil) throws(CareCoreError) {
        guard !codings.isEmpty || !(text ?? "").trimmingASCIIWhitespace().isEmpty else {
            throw CareCoreError(
                .empty,
                field: FieldPath("codeableConcept"),
                reason: "a concept needs at least one coding or some text"
            )
        }
        self.codings = codings
        self.text = text
    }

    /// Creates a concept with a single coding.
    ///
    /// - Parameter coding: The coding.
    public init(_ coding: Coding) {
        self.codings = [coding]
        self.text = nil
    }

    /// The first coding from the given system, if any.
    ///
    /// - Parameter system: The code system to look for.
    /// - Returns: The first coding whose system is `system`.
    public func coding(in system: CodeSystem) -> Coding? {
        codings.first { $0.system == system }
    }

    /// Whether any of this concept's codings names the same concept as the given coding.
    ///
    /// - Parameter coding: The coding to look for.
    /// - Returns: `true` when some coding has the same system and code.
    public func contains(_ coding: Coding) -> Bool {
        codings.contains { $0.isSameConcept(as: coding) }
    }
}

extension CodeableConcept {
    /// Decodes a concept and checks that it has a coding or text.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a key is of the wrong type or the concept is empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let codings = try container.decodeIfPresent([Coding].self, forKey: .codings) ?? []
        let text = try container.decodeIfPresent(String.self, forKey: .text)
        self = try decoder.validated { () throws(CareCoreError) in try CodeableConcept(codings: codings, text: text) }
    }
}
