import Foundation
import Testing

/// The development corpus in `../shared/fhir-corpus`, beside the repository: real FHIR R4 JSON from HL7,
/// UK Core, Synthea and NHS BaRS, plus `known-invalid/`.
enum Corpus {
    /// The corpus folder.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("shared/fhir-corpus")

    /// The valid files' paths relative to the corpus, sorted.
    static let validFiles: [String] = files(in: ["hl7-r4", "uk-core", "synthea", "nhs-bars"])

    /// The known-invalid files' paths relative to the corpus, sorted.
    static let invalidFiles: [String] = files(in: ["known-invalid"])

    static func files(in folders: [String]) -> [String] {
        var found: [String] = []
        for folder in folders {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in walker where url.pathExtension == "json" {
                found.append(folder + "/" + url.path.dropFirst(base.path.count + 1))
            }
        }
        return found.sorted()
    }

    /// The bytes of a corpus file.
    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(path)))
    }
}
