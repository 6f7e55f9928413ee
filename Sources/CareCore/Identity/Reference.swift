/// A typed pointer from one record to another: by the target's own id, or by a business identifier when
/// the target's id is not known (a GP practice by its ODS code, a patient by NHS number).
///
/// `Target` is the kind of record pointed at, so a reference to a practitioner cannot be stored where a
/// reference to a patient is expected.
///
/// ```swift
/// struct Practice { typealias ID = EntityID<Practice> }
///
/// let practice = Reference<Practice>.identifier(
///     try Identifier(system: .odsOrganisationCode, value: "A81001")
/// )
/// ```
public enum Reference<Target>: Hashable, Sendable, CustomStringConvertible {
    /// A reference to a record held in the suite, by its id.
    case id(EntityID<Target>)
    /// A reference by a business identifier, for a record held elsewhere or not yet resolved.
    case identifier(Identifier)

    /// The target's id, if the reference is by id.
    public var entityID: EntityID<Target>? {
        if case .id(let id) = self { return id }
        return nil
    }

    /// The business identifier, if the reference is by identifier.
    public var businessIdentifier: Identifier? {
        if case .identifier(let identifier) = self { return identifier }
        return nil
    }

    /// The reference with any identifier value hidden.
    public var description: String {
        switch self {
        case .id(let id): return "Reference(id: \(id))"
        case .identifier(let identifier): return "Reference(\(identifier))"
        }
    }
}

extension Reference: Codable {
    private enum CodingKeys: String, CodingKey {
        case id
        case identifier
    }

    /// Decodes a reference from an object with exactly one of `id` or `identifier`.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when both or neither key is present.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decodeIfPresent(EntityID<Target>.self, forKey: .id)
        let identifier = try container.decodeIfPresent(Identifier.self, forKey: .identifier)
        switch (id, identifier) {
        case (let id?, nil): self = .id(id)
        case (nil, let identifier?): self = .identifier(identifier)
        default:
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "a reference needs exactly one of id or identifier"
                )
            )
        }
    }

    /// Encodes the reference as an object with one key, `id` or `identifier`.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .id(let id): try container.encode(id, forKey: .id)
        case .identifier(let identifier): try container.encode(identifier, forKey: .identifier)
        }
    }
}
