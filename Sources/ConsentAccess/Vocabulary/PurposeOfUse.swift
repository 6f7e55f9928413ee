/// Why data is being reached: a purpose-of-use code from HL7 v3 `ActReason`, and the category a rule reads.
///
/// Codes are from `http://terminology.hl7.org/CodeSystem/v3-ActReason` (`TREAT` treatment, `ETREAT` emergency
/// treatment, `HRESCH` healthcare research, `HOPERAT` healthcare operations, `PUBHLTH` public health,
/// `PATRQT` patient requested). The category decides which rules apply: the national data opt-out and the
/// type 1 opt-out filter ``Category/secondaryUse`` only, never direct care (NHS England, "National data
/// opt-out: information for GP practices").
public struct PurposeOfUse: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The kind of purpose, which decides the rules that apply.
    public enum Category: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
        /// The care of this patient by the people treating them.
        case directCare = "direct-care"
        /// Emergency treatment, including access when the patient cannot be asked.
        case emergency
        /// Research, planning and other uses beyond the patient's own care.
        case secondaryUse = "secondary-use"
        /// The patient reading their own record, or a proxy acting for them.
        case selfAccess = "self-access"

        /// Orders categories by declaration.
        ///
        /// - Parameters:
        ///   - lhs: A category.
        ///   - rhs: Another category.
        /// - Returns: Whether `lhs` sorts first.
        public static func < (lhs: Category, rhs: Category) -> Bool {
            let order = Category.allCases
            return order.firstIndex(of: lhs) ?? 0 < order.firstIndex(of: rhs) ?? 0
        }
    }

    /// The `ActReason` code.
    public let code: String
    /// The category the code belongs to.
    public let category: Category

    /// Creates a purpose.
    ///
    /// - Parameters:
    ///   - code: The `ActReason` code, or a local code.
    ///   - category: Which rules apply to it.
    public init(code: String, category: Category) {
        self.code = code
        self.category = category
    }

    /// Treatment: `TREAT`.
    public static let directCare = PurposeOfUse(code: "TREAT", category: .directCare)
    /// Emergency treatment: `ETREAT`.
    public static let emergency = PurposeOfUse(code: "ETREAT", category: .emergency)
    /// Healthcare research: `HRESCH`.
    public static let research = PurposeOfUse(code: "HRESCH", category: .secondaryUse)
    /// Healthcare operations, including planning: `HOPERAT`.
    public static let planning = PurposeOfUse(code: "HOPERAT", category: .secondaryUse)
    /// Public health: `PUBHLTH`.
    public static let publicHealth = PurposeOfUse(code: "PUBHLTH", category: .secondaryUse)
    /// The patient's own request: `PATRQT`, used for self and proxy access.
    public static let selfAccess = PurposeOfUse(code: "PATRQT", category: .selfAccess)

    /// The code system of the codes.
    public static let codeSystem = "http://terminology.hl7.org/CodeSystem/v3-ActReason"

    /// The code.
    public var description: String { code }

    /// Orders purposes by code, then category.
    ///
    /// - Parameters:
    ///   - lhs: A purpose.
    ///   - rhs: Another purpose.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: PurposeOfUse, rhs: PurposeOfUse) -> Bool {
        (lhs.code, lhs.category.rawValue) < (rhs.code, rhs.category.rawValue)
    }
}
