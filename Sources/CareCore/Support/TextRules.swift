/// Checks shared by the value types for free-text parts (name parts, address lines, identifier values).
enum TextRules {
    /// Checks that a part is non-empty, has no surrounding white space and no control characters.
    static func validatePart(_ part: String, field: FieldPath) throws(CareCoreError) {
        guard !part.isEmpty else {
            throw CareCoreError(.empty, field: field, reason: "this part must not be empty")
        }
        guard part.trimmingASCIIWhitespace().utf8.count == part.utf8.count,
            !part.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw CareCoreError(
                .invalidFormat,
                field: field,
                reason: "this part must not have surrounding white space or control characters"
            )
        }
    }
}
