public import CareCore
public import Foundation

/// Emergency access to one patient's record for one user and profile: with a reason, for a limited time,
/// always audited and reviewed by a privacy officer.
///
/// HL7 PHR-S FM TI.1.3.1 "Emergency Access Control": the system "SHALL provide the ability to capture a reason
/// for emergency access" and "maintain emergency access time limits". NHS SCR guidance allows emergency access
/// "if it's in the patient's best interest, if they are unconscious or can't communicate", and selecting it
/// "will generate an alert" for the privacy officer. A grant lets emergency-purpose requests through a missing
/// legitimate relationship and through consent denials; it never adds an activity the profile lacks, never
/// shows a restricted patient's location and never reveals items hidden from the user's role.
public struct BreakGlassGrant: Hashable, Sendable, Identifiable {
    /// The identifier type of grants.
    public typealias ID = EntityID<BreakGlassGrant>

    /// Why emergency access was needed.
    public struct Reason: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
        /// The reason's code.
        public let rawValue: String

        /// Creates a reason from its code.
        ///
        /// - Parameter rawValue: The code.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The patient is unconscious.
        public static let patientUnconscious = Reason(rawValue: "patient-unconscious")
        /// The patient cannot communicate.
        public static let unableToCommunicate = Reason(rawValue: "unable-to-communicate")
        /// There is an immediate risk to life.
        public static let immediateRiskToLife = Reason(rawValue: "immediate-risk-to-life")
        /// Another reason, explained in the justification.
        public static let other = Reason(rawValue: "other")

        /// The code.
        public var description: String { rawValue }

        /// Orders reasons by code.
        ///
        /// - Parameters:
        ///   - lhs: A reason.
        ///   - rhs: Another reason.
        /// - Returns: Whether `lhs` sorts first.
        public static func < (lhs: Reason, rhs: Reason) -> Bool {
            lhs.rawValue < rhs.rawValue
        }
    }

    /// The grant's identifier.
    public let id: ID
    /// The user granted access.
    public let user: Access.UserID
    /// The role profile the user acts under.
    public let profile: RoleProfile.ID
    /// The patient.
    public let patient: Access.PatientID
    /// Why.
    public let reason: Reason
    /// The user's own words; may hold clinical detail, so it is never printed.
    public let justification: Redacted<String>
    /// When the grant is in force: from the moment it was made to its expiry.
    public let period: ValidityPeriod

    /// Creates a grant; ``AccessControl/breakGlass(session:patient:reason:justification:duration:id:)`` makes
    /// grants with the checks and the audit entry.
    ///
    /// - Parameters:
    ///   - id: The grant's identifier.
    ///   - user: The user.
    ///   - profile: The profile.
    ///   - patient: The patient.
    ///   - reason: Why.
    ///   - justification: The user's own words; must not be blank.
    ///   - start: When it starts.
    ///   - expiry: When it ends; must be after `start`.
    /// - Throws: ``ConsentAccessError`` with code `invalidValue` for a blank justification or an expiry not
    ///   after the start.
    public init(
        id: ID,
        user: Access.UserID,
        profile: RoleProfile.ID,
        patient: Access.PatientID,
        reason: Reason,
        justification: Redacted<String>,
        start: Date,
        expiry: Date
    ) throws(ConsentAccessError) {
        guard justification.value.contains(where: { !$0.isWhitespace }) else {
            throw ConsentAccessError(
                .invalidValue,
                field: FieldPath("justification"),
                reason: "emergency access needs a reason in the user's own words"
            )
        }
        guard expiry > start else {
            throw ConsentAccessError(
                .invalidValue,
                field: FieldPath("expiry"),
                reason: "a grant must end after it starts"
            )
        }
        self.id = id
        self.user = user
        self.profile = profile
        self.patient = patient
        self.reason = reason
        self.justification = justification
        self.period = try ValidityPeriod(from: start, until: expiry)
    }

    /// When the grant ends.
    public var expiry: Date { period.end ?? .distantFuture }

    /// How long the grant lasts, in seconds; decisions ignore a grant longer than the rules allow.
    public var duration: TimeInterval {
        expiry.timeIntervalSince(period.start ?? .distantPast)
    }
}
