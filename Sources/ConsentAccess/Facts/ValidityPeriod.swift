import CareCore
public import Foundation

/// When a fact holds: from `start`, if given, up to but not including `end`, if given.
///
/// A relationship, a consent provision, a proxy authority or a break-glass grant is in force at an instant
/// when `start <= instant < end`. A missing bound is open.
public struct ValidityPeriod: Hashable, Sendable, Codable {
    /// The first instant the fact holds, or `nil` for always before `end`.
    public let start: Date?
    /// The first instant the fact no longer holds, or `nil` for no end.
    public let end: Date?

    /// A period with no bounds: always in force.
    public static let always = ValidityPeriod(start: nil, end: nil)

    /// Creates a period.
    ///
    /// - Parameters:
    ///   - start: The first instant in force.
    ///   - end: The first instant no longer in force; it must not be before `start`.
    /// - Throws: ``ConsentAccessError`` with code `invalidValue` when `end` is before `start`.
    public init(from start: Date?, until end: Date?) throws(ConsentAccessError) {
        if let start, let end, end < start {
            throw ConsentAccessError(
                .invalidValue,
                field: FieldPath("period.end"),
                reason: "a period ends before it starts"
            )
        }
        self.init(start: start, end: end)
    }

    private init(start: Date?, end: Date?) {
        self.start = start
        self.end = end
    }

    /// Whether the period is in force at an instant.
    ///
    /// - Parameter instant: The instant.
    /// - Returns: `true` when `start <= instant < end`.
    public func contains(_ instant: Date) -> Bool {
        if let start, instant < start { return false }
        if let end, instant >= end { return false }
        return true
    }

    /// Decodes a period and checks its bounds.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when `end` is before `start`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let start = try container.decodeIfPresent(Date.self, forKey: .start)
        let end = try container.decodeIfPresent(Date.self, forKey: .end)
        if let start, let end, end < start {
            throw DecodingError.dataCorruptedError(
                forKey: .end,
                in: container,
                debugDescription: "ends before it starts"
            )
        }
        self.init(start: start, end: end)
    }

    private enum CodingKeys: String, CodingKey {
        case start, end
    }
}
