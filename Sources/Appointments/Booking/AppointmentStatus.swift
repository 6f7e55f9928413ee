/// The status of an appointment: FHIR R4's `AppointmentStatus` (`http://hl7.org/fhir/appointmentstatus`),
/// with the lifecycle the library enforces.
///
/// ```
/// proposed | waitlist → pending → booked → arrived → checked-in → fulfilled
/// proposed | waitlist | pending | booked → cancelled
/// booked → noshow
/// any but entered-in-error → entered-in-error
/// ```
///
/// This is the state machine in the research notes (`docs/research/access-appointments-anchors.md`, B6),
/// with three short cuts real clinics use: `proposed` or `waitlist` straight to `booked`, `booked` straight
/// to `checked-in` (self check-in at a kiosk), and `arrived` straight to `fulfilled`. `fulfilled`,
/// `cancelled`, `noshow` and `entered-in-error` are final; a patient who has arrived cannot become a no-show.
public enum AppointmentStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// No participant has finalised; times may be unset.
    case proposed
    /// Some participants have not finalised.
    case pending
    /// All participants have confirmed.
    case booked
    /// The patient has arrived and is waiting.
    case arrived
    /// The encounter is complete as far as the appointment is concerned.
    case fulfilled
    /// The appointment was cancelled.
    case cancelled
    /// The patient did not attend. FHIR's code is `noshow`, although the R4 invariant app-4 misspells it.
    case noshow
    /// The appointment was recorded in error.
    case enteredInError = "entered-in-error"
    /// Administrative check-in is complete.
    case checkedIn = "checked-in"
    /// To be scheduled when capacity exists.
    case waitlist

    /// The FHIR code system.
    public static let system = "http://hl7.org/fhir/appointmentstatus"

    /// Whether nothing can follow this status.
    public var isFinal: Bool {
        switch self {
        case .fulfilled, .cancelled, .noshow, .enteredInError: return true
        default: return false
        }
    }

    /// Whether the appointment holds its slots in this status.
    public var holdsSlots: Bool {
        switch self {
        case .pending, .booked, .arrived, .checkedIn, .fulfilled, .noshow: return true
        case .proposed, .waitlist, .cancelled, .enteredInError: return false
        }
    }

    /// Whether FHIR R4 requires a start and an end in this status (invariant app-3: only proposed, cancelled
    /// and waitlist appointments may lack them).
    public var requiresTimes: Bool {
        switch self {
        case .proposed, .cancelled, .waitlist: return false
        default: return true
        }
    }

    /// Whether the lifecycle allows moving from this status to another.
    ///
    /// - Parameter next: The proposed status.
    /// - Returns: `true` when the change is allowed.
    public func canMove(to next: AppointmentStatus) -> Bool {
        if next == .enteredInError { return self != .enteredInError }
        switch (self, next) {
        case (.proposed, .pending), (.waitlist, .pending), (.proposed, .booked), (.waitlist, .booked),
            (.pending, .booked),
            (.booked, .arrived), (.booked, .checkedIn), (.arrived, .checkedIn),
            (.arrived, .fulfilled), (.checkedIn, .fulfilled),
            (.booked, .noshow),
            (.proposed, .cancelled), (.waitlist, .cancelled), (.pending, .cancelled), (.booked, .cancelled):
            return true
        default:
            return false
        }
    }
}
