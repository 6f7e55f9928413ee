public import Foundation

/// A measured amount with a UCUM unit, such as 37.8 Cel or 96 %.
///
/// The value is a `Decimal`, so `37.8` stays 37.8 rather than becoming 37.799999…; clinical thresholds
/// compare exactly. A ``comparator`` records values reported as "< 0.5" or ">= 100", which must never be
/// treated as the plain number.
public struct Quantity: Hashable, Sendable, Codable, CustomStringConvertible {
    /// How to read a value that was reported as a bound, from FHIR R4's `quantity-comparator` code system
    /// (`http://hl7.org/fhir/quantity-comparator`).
    public enum Comparator: String, Hashable, Sendable, Codable, CaseIterable {
        /// The real value is less than the stated value.
        case lessThan = "<"
        /// The real value is less than or equal to the stated value.
        case lessThanOrEqual = "<="
        /// The real value is greater than or equal to the stated value.
        case greaterThanOrEqual = ">="
        /// The real value is greater than the stated value.
        case greaterThan = ">"
    }

    /// The amount.
    public let value: Decimal
    /// The unit.
    public let unit: UCUMUnit
    /// How to read the value when it is a bound rather than a measurement.
    public let comparator: Comparator?

    /// Creates a quantity.
    ///
    /// - Parameters:
    ///   - value: The amount; it must be a number, not NaN.
    ///   - unit: The unit.
    ///   - comparator: The bound, if the value is one.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/invalidFormat`` when `value` is NaN.
    public init(_ value: Decimal, _ unit: UCUMUnit, comparator: Comparator? = nil) throws(CareCoreError) {
        guard !value.isNaN else {
            throw CareCoreError(
                .invalidFormat,
                field: FieldPath("quantity.value"),
                reason: "a quantity must be a number"
            )
        }
        self.value = value
        self.unit = unit
        self.comparator = comparator
    }

    /// Whether the value is an exact measurement rather than a bound.
    public var isExact: Bool { comparator == nil }

    /// The quantity as `[comparator]value unit`, such as `37.8 Cel` or `<0.5 mmol/L`.
    public var description: String {
        (comparator?.rawValue ?? "") + "\(value) \(unit.code)"
    }
}

extension Quantity {
    /// Decodes a quantity and checks that its value is a number.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a key is missing or of the wrong type, or the value is NaN.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let value = try container.decode(Decimal.self, forKey: .value)
        let unit = try container.decode(UCUMUnit.self, forKey: .unit)
        let comparator = try container.decodeIfPresent(Comparator.self, forKey: .comparator)
        self = try decoder.validated { () throws(CareCoreError) in try Quantity(value, unit, comparator: comparator) }
    }
}
