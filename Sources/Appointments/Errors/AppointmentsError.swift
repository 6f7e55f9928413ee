public import CareCore

/// The error type of Appointments: a code, the field at fault and a reason, never patient data.
///
/// The codes follow the failures NHS booking interfaces report (GP Connect's `DUPLICATE_REJECTED` for a slot
/// taken between search and book, a 409 conflict for a stale version, a 422 for a change the rules do not
/// allow), so a service built on the library can map each to its response.
public struct AppointmentsError: CareError, Hashable {
    /// What kind of fault this is. New codes may be added in any release.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's stable text.
        public let rawValue: String

        /// Creates a code from its stable text.
        ///
        /// - Parameter rawValue: The code's text.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// A value is malformed, missing or outside its allowed range.
        public static let invalidValue = Code(rawValue: "invalid-value")
        /// A slot, appointment, schedule or offer that the operation names does not exist.
        public static let notFound = Code(rawValue: "not-found")
        /// A slot is no longer free (GP Connect's `DUPLICATE_REJECTED`).
        public static let slotUnavailable = Code(rawValue: "slot-unavailable")
        /// The caller's version of the appointment is not the current one: someone else changed it first.
        public static let versionConflict = Code(rawValue: "version-conflict")
        /// The FHIR appointment lifecycle does not allow this change of status.
        public static let invalidTransition = Code(rawValue: "invalid-transition")
        /// The change touches something the rules do not allow to change (only description and comment may
        /// be amended, for example).
        public static let notAmendable = Code(rawValue: "not-amendable")
        /// The time is outside the booking window, inside the embargo, or in the past.
        public static let outsideWindow = Code(rawValue: "outside-window")
        /// The slots cannot be booked together (not back to back, different periods or channels).
        public static let incompatibleSlots = Code(rawValue: "incompatible-slots")
        /// The storage behind the book failed; nothing was changed.
        public static let storageFailure = Code(rawValue: "storage-failure")
        /// A waiting-list offer lapsed before the patient accepted it.
        public static let offerExpired = Code(rawValue: "offer-expired")

        /// The code's stable text.
        public var description: String { rawValue }
    }

    /// What kind of fault this is.
    public let code: Code
    /// Where the fault is.
    public let field: FieldPath
    /// The library's explanation, free of patient data.
    public let reason: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of fault this is.
    ///   - field: Where the fault is.
    ///   - reason: A fixed explanation that never contains patient data.
    public init(_ code: Code, field: FieldPath, reason: String) {
        self.code = code
        self.field = field
        self.reason = reason
    }

    /// The code's stable text, such as `not-found`: what `CareError.codeText` gives to code that handles errors of
    /// several modules alike.
    public var codeText: String { code.rawValue }

    /// The error as one line: the code, the field and the reason.
    public var description: String { "\(code) at \(field): \(reason)" }
}
