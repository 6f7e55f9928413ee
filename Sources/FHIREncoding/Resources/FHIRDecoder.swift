import CareCore

/// Reads FHIR R4 JSON into resources, validating as it goes.
///
/// ```swift
/// let decoder = FHIRDecoder()                 // strict
/// let patient = try decoder.decode(bytes)      // throws with every issue when invalid
/// let report = decoder.validate(bytes)         // never throws: JSON faults become a fatal issue
/// print(report.isValid, report.issues.count)
/// ```
public struct FHIRDecoder: Sendable {
    /// How strictly to validate.
    public var mode: FHIRValidator.Mode
    /// The limits the JSON reader applies.
    public var limits: JSONReader.Limits

    /// Creates a decoder.
    ///
    /// - Parameters:
    ///   - mode: How strictly to validate; strict unless given.
    ///   - limits: The JSON reader's limits; the defaults suit any real resource.
    public init(mode: FHIRValidator.Mode = .strict, limits: JSONReader.Limits = JSONReader.Limits()) {
        self.mode = mode
        self.limits = limits
    }

    /// Reads and validates one resource.
    ///
    /// - Parameter bytes: The resource's UTF-8 JSON.
    /// - Returns: The resource. In lenient mode it may carry what produced warnings; use
    ///   ``validate(_:)`` to see them.
    /// - Throws: ``FHIREncodingError``: ``FHIREncodingError/Code-swift.struct/invalidJSON`` or
    ///   ``FHIREncodingError/Code-swift.struct/limitExceeded`` for the JSON, or
    ///   ``FHIREncodingError/Code-swift.struct/invalidResource`` with every issue.
    public func decode(_ bytes: some Collection<UInt8>) throws(FHIREncodingError) -> FHIRResource {
        let json = try JSONReader(limits: limits).read(bytes)
        return try FHIRResource(json: json, mode: mode)
    }

    /// Reads and validates one resource, or any R4 element, into a typed model.
    ///
    /// ```swift
    /// let patient = try FHIRDecoder().decode(R4.Patient.self, from: bytes)
    /// let any = try FHIRDecoder().decode(R4.Resource.self, from: bytes)  // .patient, .bundle, ... or .other
    /// ```
    ///
    /// - Parameters:
    ///   - type: The model's type: a typed resource, ``R4/Resource`` for any resource, or a datatype.
    ///   - bytes: The UTF-8 JSON.
    /// - Returns: The model.
    /// - Throws: ``FHIREncodingError`` for JSON faults, with every issue when validation fails, or naming the
    ///   element a typed model cannot hold (in lenient mode, a missing required element).
    public func decode<Model: R4.Model>(
        _ type: Model.Type,
        from bytes: some Collection<UInt8>
    ) throws(FHIREncodingError) -> Model {
        let json = try JSONReader(limits: limits).read(bytes)
        guard case .object(let object) = json else {
            throw FHIREncodingError(.invalidResource, field: .root, reason: "the JSON must be an object")
        }
        return try Model(json: object, mode: mode)
    }

    /// Reads and validates one resource, reporting instead of throwing.
    ///
    /// - Parameter bytes: The resource's UTF-8 JSON.
    /// - Returns: The resource, when it is valid, and every issue found; a JSON fault is one `fatal` issue.
    public func validate(_ bytes: some Collection<UInt8>) -> FHIRValidationReport {
        let json: JSONValue
        do {
            json = try JSONReader(limits: limits).read(bytes)
        } catch {
            return FHIRValidationReport(issues: [FHIRIssue(jsonError: error)], resource: nil)
        }
        return FHIRValidationReport(validating: json, mode: mode)
    }
}

extension FHIRIssue {
    /// A fatal issue for input that is not JSON, or is past a limit.
    ///
    /// - Parameter jsonError: The reader's error.
    public init(jsonError: FHIREncodingError) {
        let location = jsonError.field.isRoot ? "(document)" : jsonError.field.description
        var diagnostics = jsonError.reason
        if let offset = jsonError.byteOffset { diagnostics += " (byte \(offset))" }
        self.init(
            severity: .fatal,
            code: jsonError.code == .limitExceeded ? .tooLong : .invalid,
            location: location,
            diagnostics: diagnostics
        )
    }
}

/// The outcome of validating one resource: its issues, and the resource when it is valid.
public struct FHIRValidationReport: Hashable, Sendable {
    /// Every issue found, in document order.
    public let issues: [FHIRIssue]
    /// The resource, when no issue is an error.
    public let resource: FHIRResource?

    /// Creates a report.
    ///
    /// - Parameters:
    ///   - issues: The issues.
    ///   - resource: The resource, when valid.
    public init(issues: [FHIRIssue], resource: FHIRResource?) {
        self.issues = issues
        self.resource = resource
    }

    /// Validates JSON and reports.
    ///
    /// - Parameters:
    ///   - json: The resource's JSON.
    ///   - mode: How strictly to validate.
    public init(validating json: JSONValue, mode: FHIRValidator.Mode) {
        let issues = FHIRValidator(mode: mode).validate(json)
        var resource: FHIRResource?
        if !issues.contains(where: \.isFailure), case .object(let object) = json,
            case .string(let type)? = object["resourceType"]
        {
            resource = FHIRResource(unchecked: object, resourceType: type)
        }
        self.init(issues: issues, resource: resource)
    }

    /// Whether nothing failed: warnings and information never fail.
    public var isValid: Bool {
        !issues.contains(where: \.isFailure)
    }

    /// The first issue that fails validation, if any.
    public var firstFailure: FHIRIssue? {
        issues.first(where: \.isFailure)
    }

    /// The report as an R4 `OperationOutcome`: one issue per finding with its severity, code, diagnostics
    /// and location as a FHIRPath `expression`, or a single `informational` issue when there is nothing.
    public var operationOutcome: FHIRResource {
        FHIRResource(unchecked: R4.OperationOutcome(self).json, resourceType: "OperationOutcome")
    }
}

extension FHIRValidationReport: CustomStringConvertible, CustomReflectable {
    /// Whether the resource is valid, how many issues were found and the resource's type only, such as
    /// `FHIRValidationReport(valid, 1 issue, Patient)` or `FHIRValidationReport(invalid, 3 issues)`: the
    /// resource is patient data. Read ``issues`` for what was found.
    public var description: String {
        let issueText = issues.count == 1 ? "1 issue" : "\(issues.count) issues"
        let typeText = resource.map { ", \($0.resourceType)" } ?? ""
        return "FHIRValidationReport(\(isValid ? "valid" : "invalid"), \(issueText)\(typeText))"
    }

    /// A mirror that shows validity, the number of issues and the resource's type only.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "isValid": isValid, "issueCount": issues.count, "resourceType": resource?.resourceType as Any,
            ],
            displayStyle: .struct
        )
    }
}
