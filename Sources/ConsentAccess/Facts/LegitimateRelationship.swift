public import CareCore
public import Foundation

/// A legitimate relationship between a patient and a member of staff or an organisation, with a start and an
/// expiry.
///
/// NHS England, "Information governance for Summary Care Records": the controls are role-based access,
/// legitimate relationships and permission to view, and "self-claiming a legitimate relationship, or selecting
/// emergency access, will generate an alert" for the organisation's privacy officer. A relationship with an
/// organisation (the registered practice, the trust an ambulance crew works for) covers every profile working
/// for that organisation; one with a user covers only that user.
public struct LegitimateRelationship: Hashable, Sendable, Identifiable {
    /// The identifier type of relationships.
    public typealias ID = EntityID<LegitimateRelationship>

    /// How the relationship arose.
    public enum Kind: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
        /// The user is a member of the patient's care team.
        case careTeam = "care-team"
        /// The organisation is the patient's registered GP practice.
        case registeredPractice = "registered-practice"
        /// The patient was referred to the user or organisation.
        case referral
        /// The organisation is attending the patient in an emergency (an ambulance trust, an emergency
        /// department).
        case emergencyAttendance = "emergency-attendance"
        /// The user claimed the relationship themselves; every use raises a privacy-officer alert.
        case selfClaimed = "self-claimed"

        /// Orders kinds by declaration.
        ///
        /// - Parameters:
        ///   - lhs: A kind.
        ///   - rhs: Another kind.
        /// - Returns: Whether `lhs` sorts first.
        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            lhs.rawValue < rhs.rawValue
        }
    }

    /// Who holds the relationship with the patient.
    public enum Party: Hashable, Sendable, Codable {
        /// One member of staff.
        case user(Access.UserID)
        /// Everyone working for an organisation, under a profile of that organisation.
        case organisation(ODSCode)
    }

    /// The relationship's identifier.
    public let id: ID
    /// The patient.
    public let patient: Access.PatientID
    /// Who holds the relationship.
    public let party: Party
    /// How it arose.
    public let kind: Kind
    /// When it is in force. Only a registered practice may have no end.
    public let period: ValidityPeriod

    /// Creates a relationship.
    ///
    /// - Parameters:
    ///   - id: The relationship's identifier.
    ///   - patient: The patient.
    ///   - party: Who holds it.
    ///   - kind: How it arose.
    ///   - start: When it starts.
    ///   - expiry: When it ends; required for every kind except ``Kind/registeredPractice``.
    /// - Throws: ``ConsentAccessError`` with code `invalidValue` when the expiry is missing or before the start.
    public init(
        id: ID,
        patient: Access.PatientID,
        party: Party,
        kind: Kind,
        start: Date,
        expiry: Date?
    ) throws(ConsentAccessError) {
        guard expiry != nil || kind == .registeredPractice else {
            throw ConsentAccessError(
                .invalidValue,
                field: FieldPath("expiry"),
                reason: "a \(kind.rawValue) relationship needs an expiry"
            )
        }
        self.id = id
        self.patient = patient
        self.party = party
        self.kind = kind
        self.period = try ValidityPeriod(from: start, until: expiry)
    }

    /// Whether the relationship covers a session's user or organisation at an instant.
    ///
    /// - Parameters:
    ///   - profile: The acting role profile.
    ///   - instant: The instant of the request.
    /// - Returns: Whether the relationship is in force for that profile then.
    public func covers(_ profile: RoleProfile, at instant: Date) -> Bool {
        guard period.contains(instant) else { return false }
        switch party {
        case .user(let user): return user == profile.user
        case .organisation(let organisation): return organisation == profile.organisation
        }
    }
}
