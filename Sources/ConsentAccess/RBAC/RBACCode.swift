import CareCore

/// Checks the shape of NHS RBAC codes: one capital letter and four to six digits (`R8000`, `B0825`).
enum RBACCode {
    static func validate(_ text: String, prefix: UInt8, field: FieldPath) throws(ConsentAccessError) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 5, bytes.count <= 7, bytes[0] == prefix,
            bytes.dropFirst().allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else {
            let letter = Character(Unicode.Scalar(prefix))
            throw ConsentAccessError(
                .invalidCode,
                field: field,
                reason: "an NHS RBAC code is the letter \(letter) followed by four to six digits"
            )
        }
    }
}
