import CareCore
import PatientIdentity

/// The UK Core rule for the value of an NHS number identifier
/// (<https://simplifier.net/hl7fhirukcorer4/ukcore-patient>, system `https://fhir.nhs.uk/Id/nhs-number`):
/// exactly ten ASCII digits, no spaces, whose tenth digit is the Modulus 11 check digit of the first nine.
enum NHSNumberCheck {
    static func isValid(_ value: String) -> Bool {
        let digits = Array(value.utf8)
        guard digits.count == 10, digits.allSatisfy(\.isASCIIDigit) else { return false }
        let values = digits.map { Int($0 - UInt8(ascii: "0")) }
        guard let check = NHSNumber.checkDigit(for: Array(values[0..<9])) else { return false }
        return check == values[9]
    }
}
