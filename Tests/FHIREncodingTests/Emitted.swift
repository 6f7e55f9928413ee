import FHIREncoding
import Foundation

/// Resources the mapping tests emit, written out for `scripts/check-fhir-schema.sh` to check against HL7's R4
/// JSON Schema when `FHIR_EMIT_DIR` names a folder; otherwise only encoded, which validates them strictly.
enum Emitted {
    /// Encodes a resource with strict validation and, when `FHIR_EMIT_DIR` is set, writes it there.
    ///
    /// - Parameters:
    ///   - resource: The resource a mapping produced.
    ///   - name: A file name unique within the run, without extension.
    /// - Returns: The encoded bytes.
    /// - Throws: The encoder's validation error, or a file system error.
    @discardableResult
    static func write<Resource: R4.ResourceModel>(_ resource: Resource, name: String) throws -> [UInt8] {
        let bytes = try FHIREncoder().encode(resource)
        if let folder = ProcessInfo.processInfo.environment["FHIR_EMIT_DIR"], !folder.isEmpty {
            let directory = URL(fileURLWithPath: folder, isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: directory.appendingPathComponent("\(name).json"))
        }
        return bytes
    }
}
