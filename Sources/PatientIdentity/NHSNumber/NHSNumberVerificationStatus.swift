public import CareCore

/// How far an NHS number has been checked against the national register (PDS), as the NHS Data Dictionary's
/// NHS NUMBER STATUS INDICATOR CODE records it.
///
/// The codes and meanings are those of UK Core's code system
/// `https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland` (earlier published as
/// CareConnect-NHSNumberVerificationStatus-1). A number that was traced and verified (`01`) is much stronger
/// evidence of identity than one keyed locally and never traced (`02`).
public enum NHSNumberVerificationStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// `01` Number present and verified.
    case verified = "01"
    /// `02` Number present but not traced.
    case presentNotTraced = "02"
    /// `03` Trace required.
    case traceRequired = "03"
    /// `04` Trace attempted — no match or multiple match found.
    case traceAttemptedNoMatch = "04"
    /// `05` Trace needs to be resolved (NHS number or patient detail conflict).
    case traceNeedsResolving = "05"
    /// `06` Trace in progress.
    case traceInProgress = "06"
    /// `07` Number not present and trace not required.
    case notPresentTraceNotRequired = "07"
    /// `08` Trace postponed (baby under six weeks old).
    case tracePostponed = "08"

    /// The code's display text in the code system.
    public var display: String {
        switch self {
        case .verified: return "Number present and verified"
        case .presentNotTraced: return "Number present but not traced"
        case .traceRequired: return "Trace required"
        case .traceAttemptedNoMatch: return "Trace attempted - No match or multiple match found"
        case .traceNeedsResolving: return "Trace needs to be resolved - (NHS Number or patient detail conflict)"
        case .traceInProgress: return "Trace in progress"
        case .notPresentTraceNotRequired: return "Number not present and trace not required"
        case .tracePostponed: return "Trace postponed (baby under six weeks old)"
        }
    }

    /// The status as a coding in the UK Core code system.
    public var coding: Coding {
        Coding(unchecked: .nhsNumberVerificationStatus, rawValue, display)
    }
}
