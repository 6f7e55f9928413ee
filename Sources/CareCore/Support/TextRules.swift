/// Checks shared by the value types for free-text parts (name parts, address lines, identifier values).
enum TextRules {
    /// Checks that a part is non-empty, has no surrounding white space and no control characters.
    static func validatePart(_ part: String, field: FieldPath) throws(CareCoreError) {
        guard !part.isEmpty else {
            throw CareCoreError(.empty, field: field, reason: "this part must not be empty")
        }
        let scalars = part.unicodeScalars
        let edgeIsSpace =
            (scalars.first?.properties.isWhitespace ?? false) || (scalars.last?.properties.isWhitespace ?? false)
        guard !edgeIsSpace, !scalars.contains(where: isForbidden) else {
            throw CareCoreError(
                .invalidFormat,
                field: field,
                reason: "this part must not have surrounding white space, control characters or direction overrides"
            )
        }
    }

    /// Control characters and invisible format characters, except the zero-width joiner and non-joiner that
    /// some scripts need in names.
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control: return true
        case .format: return scalar != "\u{200C}" && scalar != "\u{200D}"
        default: return false
        }
    }
}
