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
    /// and a resource the suite cannot map `business-rule`. When `resourceType` is given, the error's path
    /// becomes a FHIRPath `expression` rooted at it; a JSON fault's byte offset and an NDJSON line go into
    /// `diagnostics` with the reason.
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
            Self.isResourceType(resourceType)
        {
            expression = [
                R4.Primitive(error.field.components.isEmpty ? resourceType : "\(resourceType).\(error.field)")
            ]
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

    /// An OperationOutcome for an error a domain module threw: one `error` issue, `business-rule`, whose
    /// `diagnostics` give the domain field at fault and the reason. Domain fields are not FHIR elements, so
    /// no `expression` is written; for a FHIREncoding error use ``init(_:in:)``.
    ///
    /// - Parameter error: The error, such as a `CarePlansError` or an `AppointmentsError`.
    public init(domain error: any CareError) {
        let place = error.field.components.isEmpty ? "" : "\(error.field): "
        self.init()
        issue = [
            Issue(severity: "error", code: "business-rule", diagnostics: R4.Primitive("\(place)\(error.reason)"))
        ]
    }

    /// Whether text is shaped like a resource type name: an ASCII capital, then ASCII letters.
    private static func isResourceType(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("A"..."Z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) }
    }
}
