/// A unit of measure in UCUM, the Unified Code for Units of Measure (`http://unitsofmeasure.org`).
///
/// UCUM codes are case-sensitive: `Cel` is degrees Celsius, while `C` is the coulomb. The constants are the
/// units of the FHIR vital-signs profiles and of NEWS2. Other codes can be named with ``init(code:)``,
/// which checks only that the code is printable ASCII with no spaces (the UCUM grammar's character set);
/// it does not check the full grammar.
public struct UCUMUnit: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The UCUM code, such as `mm[Hg]`.
    public let code: String

    /// Names a unit by its UCUM code.
    ///
    /// - Parameter code: The code, such as `mmol/L`.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/empty`` or ``CareCoreError/Code/invalidFormat``
    ///   when the code is empty or has characters UCUM does not use.
    public init(code: String) throws(CareCoreError) {
        guard !code.isEmpty else {
            throw CareCoreError(.empty, field: FieldPath("unit"), reason: "a unit code must not be empty")
        }
        guard code.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw CareCoreError(
                .invalidFormat,
                field: FieldPath("unit"),
                reason: "a UCUM code is printable ASCII without spaces"
            )
        }
        self.code = code
    }

    private init(unchecked code: String) {
        self.code = code
    }

    /// Per minute, `/min`: respiratory rate, pulse rate.
    public static let perMinute = UCUMUnit(unchecked: "/min")
    /// Percent, `%`: oxygen saturation.
    public static let percent = UCUMUnit(unchecked: "%")
    /// Millimetres of mercury, `mm[Hg]`: blood pressure.
    public static let millimetresOfMercury = UCUMUnit(unchecked: "mm[Hg]")
    /// Degrees Celsius, `Cel`: body temperature.
    public static let degreesCelsius = UCUMUnit(unchecked: "Cel")
    /// Kilograms, `kg`: body weight.
    public static let kilograms = UCUMUnit(unchecked: "kg")
    /// Centimetres, `cm`: body height.
    public static let centimetres = UCUMUnit(unchecked: "cm")
    /// Millimoles per litre, `mmol/L`: blood glucose.
    public static let millimolesPerLitre = UCUMUnit(unchecked: "mmol/L")
    /// Litres per minute, `L/min`: oxygen flow, peak expiratory flow.
    public static let litresPerMinute = UCUMUnit(unchecked: "L/min")
    /// Kilograms per square metre, `kg/m2`: body mass index.
    public static let kilogramsPerSquareMetre = UCUMUnit(unchecked: "kg/m2")
    /// A score, `{score}`: a dimensionless count such as a NEWS2 total.
    public static let score = UCUMUnit(unchecked: "{score}")

    /// The UCUM code.
    public var description: String { code }

    /// Orders units by code, for stable output.
    ///
    /// - Parameters:
    ///   - lhs: A unit.
    ///   - rhs: Another unit.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: UCUMUnit, rhs: UCUMUnit) -> Bool {
        lhs.code < rhs.code
    }
}

extension UCUMUnit: Codable {
    /// Decodes a unit from its code, validating it.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the code is empty or has characters UCUM does not use.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidatedText { text throws(CareCoreError) in try UCUMUnit(code: text) }
    }

    /// Encodes the unit as its code.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeText(code)
    }
}
