import CareCore
public import Foundation

/// Writes FHIR Bulk Data NDJSON: each resource as one compact line, buffered and written in chunks, so
/// memory does not grow with the number of resources.
///
/// Call ``finish()`` at the end: it writes what is still buffered.
///
/// ```swift
/// var writer = NDJSONWriter(handle: try FileHandle(forWritingTo: url))
/// for resource in resources { try writer.write(resource) }
/// try writer.finish()
/// ```
public struct NDJSONWriter: Sendable {
    private let handle: FileHandle
    private let encoder: FHIREncoder
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    /// How many resources have been written.
    public private(set) var count = 0

    /// Creates a writer.
    ///
    /// - Parameters:
    ///   - handle: The output, opened for writing.
    ///   - definitions: The definitions giving element order; R4's unless given.
    ///   - chunkSize: How many bytes to gather before each write; 1 MiB unless given.
    public init(handle: FileHandle, definitions: R4Definitions = .shared, chunkSize: Int = 1024 * 1024) {
        self.handle = handle
        self.encoder = FHIREncoder(style: .compact, definitions: definitions)
        self.chunkSize = max(chunkSize, 1)
        buffer.reserveCapacity(self.chunkSize)
    }

    /// Appends one resource as a line.
    ///
    /// - Parameter resource: The resource.
    /// - Throws: ``FHIREncodingError`` with ``FHIREncodingError/Code-swift.struct/io`` when the output
    ///   cannot be written.
    public mutating func write(_ resource: FHIRResource) throws(FHIREncodingError) {
        buffer.append(contentsOf: encoder.encode(resource))
        buffer.append(UInt8(ascii: "\n"))
        count += 1
        if buffer.count >= chunkSize { try flush() }
    }

    /// Writes whatever is still buffered.
    ///
    /// - Throws: ``FHIREncodingError`` with ``FHIREncodingError/Code-swift.struct/io`` when the output
    ///   cannot be written.
    public mutating func finish() throws(FHIREncodingError) {
        try flush()
    }

    private mutating func flush() throws(FHIREncodingError) {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw FHIREncodingError(.io, field: .root, reason: "the NDJSON output could not be written")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
