public import CareCore

// Errors and validation findings -> R4 OperationOutcome (issue #9), for a service that answers a request it
// refuses with the reason, as FHIR's RESTful API expects (a 400 or 422 with an OperationOutcome).
//
// The suite's error texts never hold patient data or the refused value, so an OperationOutcome written from
// them does not either. Nothing is read back: another server's `diagnostics` are its own words and may
// repeat what it was sent.

extension R4.OperationOutcome {
    /// An OperationOutcome with one issue per validation finding, or one `informational` issue saying there
    /// were none: the typed form of ``FHIRValidationReport/operationOutcome``.
    ///
    /// - Parameter report: The report.
    public init(_ report: FHIRValidationReport) {
        self.init(issues: report.issues)
    }

    /// An OperationOutcome with one issue per finding, or one `informational` issue when there are none.
    ///
    /// A finding located by FHIRPath (`Patient.gender`) gives `expression`; any other location (a JSON fault
    /// at a byte offset) opens the `diagnostics`.
    ///
    /// - Parameter issues: The findings.
    public init(issues: [FHIRIssue]) {
        self.init()
        guard !issues.isEmpty else {
            issue = [Issue(severity: "information", code: "informational", diagnostics: "no issues found")]
            return
        }
        issue = issues.map { finding in
            finding.isFHIRPath
                ? Issue(
                    severity: R4.Primitive(finding.severity.rawValue),
                    code: R4.Primitive(finding.code.rawValue),
                    diagnostics: R4.Primitive(finding.diagnostics),
                    expression: [R4.Primitive(finding.location)]
                )
                : Issue(
                    severity: R4.Primitive(finding.severity.rawValue),
                    code: R4.Primitive(finding.code.rawValue),
                    diagnostics: R4.Primitive("\(finding.location): \(finding.diagnostics)")
                )
        }
    }

    /// An OperationOutcome for an error FHIREncoding threw while reading, validating or mapping a resource.
    ///
    /// ```swift
    /// do {
    ///     _ = try PatientRecord(fhir: patient)
    /// } catch {
    ///     let outcome = R4.OperationOutcome(error, in: "Patient")
    ///     // error business-rule at Patient.identifier[0].value: …
    /// }
    /// ```
    ///
    /// A resource that failed validation gives one issue per finding. Otherwise there is one issue: invalid
    /// JSON is `fatal` `invalid`, a limit exceeded `fatal` `too-long`, a read or write that failed `exception`,
    /// and a resource the suite cannot map `business-rule`. When `resourceType` is given and the error's path walks
    /// that resource's R4 elements, the path becomes a FHIRPath `expression` rooted at it (`_birthDate` as
    /// `birthDate`); any other path (one from a reader of several resources, `proposals[1].extension`), a
    /// JSON fault's byte offset and an NDJSON line go into `diagnostics` with the reason.
    ///
    /// - Parameters:
    ///   - error: The error.
    ///   - resourceType: The type of the resource the error is about, such as `Patient`; `nil` when the
    ///     input was not read as far as a resource.
    public init(_ error: FHIREncodingError, in resourceType: String? = nil) {
        if error.code == .invalidResource, !error.issues.isEmpty {
            self.init(issues: error.issues)
            return
        }
        let (severity, code): (String, String) =
            switch error.code {
            // As a validation report gives them (FHIRIssue(jsonError:)), so both paths agree.
            case .invalidJSON: ("fatal", "invalid")
            case .limitExceeded: ("fatal", "too-long")
            case .io: ("fatal", "exception")
            case .unmappable: ("error", "business-rule")
            default: ("error", "processing")
            }
        var diagnostics = error.reason
        var expression: [R4.Primitive<String>] = []
        let position = [
            error.line.map { "line \($0)" },
            error.byteOffset.map { "byte \($0)" },
        ].compactMap(\.self)
        if let resourceType, error.code != .invalidJSON, error.line == nil, error.byteOffset == nil,
            let path = Self.fhirPath(error.field, in: resourceType)
        {
            expression = [R4.Primitive(path)]
        } else if !error.field.components.isEmpty || !position.isEmpty {
            let place = ([error.field.components.isEmpty ? nil : error.field.description] + position).compactMap(\.self)
            diagnostics = "\(place.joined(separator: ", ")): \(error.reason)"
        }
        self.init()
        issue = [
            Issue(
                severity: R4.Primitive(severity),
                code: R4.Primitive(code),
                diagnostics: R4.Primitive(diagnostics),
                expression: expression
            )
        ]
    }

    /// An OperationOutcome for an error a domain module threw: one `error` issue whose `diagnostics` give
    /// the domain field at fault and the reason. Domain fields are not FHIR elements, so no `expression` is
    /// written; for a FHIREncoding error use ``init(_:in:)``.
    ///
    /// The issue's `code` follows the error's `codeText`: `not-found` → `not-found`, `gone` → `deleted`,
    /// `version-conflict`, `slot-unavailable` and `slot-taken` → `conflict`, `already-exists` and `duplicate`
    /// → `duplicate`, `not-permitted` → `forbidden`, `busy` → `lock-error`, `full`, `read-only` and
    /// `corrupt` → `no-store`, `io`, `storage-failure` and `time-zone-unavailable` → `exception`, `limit-exceeded` → `too-long`,
    /// `invalid-code` → `code-invalid`, codes for input that is malformed or out of range → `invalid`, and
    /// any other (a transition, window or amendment the rules refuse) → `business-rule`.
    ///
    /// - Parameter error: The error, such as a `CarePlansError` or an `AppointmentsError`.
    public init(domain error: any CareError) {
        let place = error.field.components.isEmpty ? "" : "\(error.field): "
        self.init()
        issue = [
            Issue(
                severity: "error",
                code: R4.Primitive(Self.issueType(codeText: error.codeText)),
                diagnostics: R4.Primitive("\(place)\(error.reason)")
            )
        ]
    }

    /// The R4 issue type for a domain error's code.
    private static func issueType(codeText: String) -> String {
        switch codeText {
        case "not-found": "not-found"
        case "gone": "deleted"
        case "version-conflict", "slot-unavailable", "slot-taken": "conflict"
        case "already-exists", "duplicate": "duplicate"
        case "not-permitted": "forbidden"
        case "busy": "lock-error"
        case "full", "read-only", "corrupt": "no-store"
        case "io", "storage-failure", "time-zone-unavailable": "exception"
        case "limit-exceeded": "too-long"
        case "invalid-code": "code-invalid"
        case "invalid-json", "invalid-resource", "invalid-value", "invalid-format", "empty", "missing", "out-of-range",
            "impossible-value",
            "inconsistent", "check-digit-mismatch", "no-valid-check-digit", "sentinel", "malformed-event",
            "malformed-chart", "malformed-document", "invalid-request", "unterminated-quote", "unexpected-quote",
            "field-count-mismatch", "invalid-encoding", "nonexistent-local-time", "ambiguous-local-time":
            "invalid"
        default: "business-rule"
        }
    }

    /// A field of a resource as a FHIRPath expression rooted at its type, or `nil` when the type is not an
    /// R4 resource or the field does not walk its elements, as a path from a reader of several resources
    /// (`proposals[1].extension`) does not. A choice element is named without its type (`deceasedBoolean`
    /// as `deceased`) and a primitive's extension by its element (`_birthDate` as `birthDate`); below a
    /// contained resource, whose type the path does not give, there is no expression.
    static func fhirPath(_ field: FieldPath, in resourceType: String) -> String? {
        let definitions = R4Definitions.shared
        guard definitions.isResourceType(resourceType) else { return nil }
        var path = resourceType
        var walking = definitions.definition(named: resourceType)
        for component in field.components {
            switch component {
            case .index(let index):
                path += "[\(index)]"
            case .field(let written):
                guard let type = walking else { return nil }
                let primitiveExtension = written.hasPrefix("_")
                let name = primitiveExtension ? String(written.dropFirst()) : written
                guard let element = type.element(named: name) else { return nil }
                path += ".\(element.choiceBase ?? name)"
                // A primitive's `id` and `extension` are an Element's; a primitive itself has no fields.
                walking = definitions.definition(named: primitiveExtension ? "Element" : element.typeName)
            }
        }
        return path
    }
}
