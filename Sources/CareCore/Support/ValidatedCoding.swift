extension Decoder {
    /// Decodes a single string and parses it with a validating initialiser, reporting a failure as
    /// `DecodingError.dataCorrupted` with the library's reason (never the value).
    func decodeValidatedText<Value>(_ parse: (String) throws(CareCoreError) -> Value) throws -> Value {
        let container = try singleValueContainer()
        let text = try container.decode(String.self)
        do {
            return try parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Runs a validating initialiser on decoded parts, reporting a failure as `DecodingError.dataCorrupted`
    /// at this decoder's path.
    func validated<Value>(_ build: () throws(CareCoreError) -> Value) throws -> Value {
        do {
            return try build()
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: codingPath, debugDescription: error.description)
            )
        }
    }
}

extension Encoder {
    /// Encodes a value as a single string.
    func encodeText(_ text: String) throws {
        var container = singleValueContainer()
        try container.encode(text)
    }
}
