import CFuzzing
import FHIREncoding
import Foundation

/// One input for the FHIR decoder.
///
/// Validation never throws, and agrees with decoding: strict decoding succeeds exactly when the strict
/// report is valid. A resource that decodes strictly survives a round trip through the encoder, both as
/// JSON and as a typed model: the encoder may reorder members, but decoding what it wrote and encoding again
/// gives the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFHIRDecoder(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: count)
    let limits = JSONReader.Limits(maximumBytes: 1 << 20)
    let strict = FHIRDecoder(mode: .strict, limits: limits)
    let report = strict.validate(bytes)
    _ = FHIRDecoder(mode: .lenient, limits: limits).validate(bytes)
    _ = try? FHIRDecoder(mode: .lenient, limits: limits).decode(R4.Resource.self, from: bytes)
    let resource = try? strict.decode(bytes)
    precondition((resource != nil) == report.isValid, "decoding and validation disagree")
    guard let resource else { return 0 }
    let encoded = FHIREncoder().encode(resource)
    guard let again = try? strict.decode(encoded) else {
        fatalError("the decoder refused what the encoder wrote from a valid resource")
    }
    precondition(again.resourceType == resource.resourceType, "an encoded resource changes type")
    precondition(FHIREncoder().encode(again) == encoded, "an encoded resource reads back differently")
    if let model = try? strict.decode(R4.Resource.self, from: bytes) {
        guard let modelBytes = try? FHIREncoder().encode(model) else {
            fatalError("the encoder refused a model the decoder built")
        }
        guard let modelAgain = try? strict.decode(R4.Resource.self, from: modelBytes) else {
            fatalError("the decoder refused what the encoder wrote from a model")
        }
        // Not `modelAgain == model`: a resource with no typed model keeps its JSON, whose members compare in
        // the order they were read, and the encoder writes them in R4's order.
        guard let modelBytesAgain = try? FHIREncoder().encode(modelAgain) else {
            fatalError("the encoder refused a model it had written")
        }
        precondition(modelBytesAgain == modelBytes, "an encoded model reads back differently")
    }
    return 0
}

exit(fuzzing_run(CommandLine.argc, CommandLine.unsafeArgv) { data, count in fuzzFHIRDecoder(data, count) })
