public import CareCore
public import Foundation

/// A recorded authority for someone to act for a patient as a proxy.
///
/// The basis decides which ages it works for (GP practice proxy-access policies, following the RCGP and NHS
/// England guidance on proxy access):
/// - **parental responsibility**: full proxy access for a child under 11; from 11 to 15, case by case on
///   Gillick competence (see ``CompetenceAssessment``); none from 16, when capacity is presumed;
/// - **the patient's consent**, a **court-appointed deputy** or a **best-interests decision** under the
///   Mental Capacity Act 2005: for patients aged 16 and over (the patient's consent also from a
///   Gillick-competent child); a **lasting power of attorney** for health and welfare from 18, the age at
///   which one can be made (Mental Capacity Act 2005 section 9).
///
/// An authority with no data classes covers every class except safeguarding, which it must name.
///
/// A practice may refuse or withdraw proxy access for safeguarding reasons: end the authority's period.
public struct ProxyAuthority: Hashable, Sendable, Identifiable {
    /// The identifier type of authorities.
    public typealias ID = EntityID<ProxyAuthority>

    /// What the authority rests on.
    public enum Basis: String, Hashable, Sendable, Codable, CaseIterable {
        /// A parent or guardian with parental responsibility.
        case parentalResponsibility = "parental-responsibility"
        /// The patient's own consent.
        case patientConsent = "patient-consent"
        /// A registered lasting power of attorney for health and welfare.
        case lastingPowerOfAttorney = "lasting-power-of-attorney"
        /// A deputy appointed by the Court of Protection.
        case courtAppointedDeputy = "court-appointed-deputy"
        /// A best-interests decision under the Mental Capacity Act 2005.
        case bestInterests = "best-interests"
    }

    /// The authority's identifier.
    public let id: ID
    /// The patient.
    public let patient: Access.PatientID
    /// The proxy.
    public let proxy: Access.PersonID
    /// What it rests on.
    public let basis: Basis
    /// When it is in force.
    public var period: ValidityPeriod
    /// The data classes the proxy may reach; empty for all.
    public var dataClasses: Set<DataClass>
    /// What the proxy may do.
    public var actions: Set<AccessAction>

    /// Creates an authority.
    ///
    /// - Parameters:
    ///   - id: The authority's identifier.
    ///   - patient: The patient.
    ///   - proxy: The proxy.
    ///   - basis: What it rests on.
    ///   - period: When it is in force.
    ///   - dataClasses: The data classes the proxy may reach; empty for all.
    ///   - actions: What the proxy may do; must not be empty.
    /// - Throws: ``ConsentAccessError`` with code `invalidValue` when `actions` is empty.
    public init(
        id: ID,
        patient: Access.PatientID,
        proxy: Access.PersonID,
        basis: Basis,
        period: ValidityPeriod,
        dataClasses: Set<DataClass> = [],
        actions: Set<AccessAction> = [.read]
    ) throws(ConsentAccessError) {
        guard !actions.isEmpty else {
            throw ConsentAccessError(
                .invalidValue,
                field: FieldPath("actions"),
                reason: "an authority allows no action"
            )
        }
        self.id = id
        self.patient = patient
        self.proxy = proxy
        self.basis = basis
        self.period = period
        self.dataClasses = dataClasses
        self.actions = actions
    }
}

/// A clinician's dated assessment of a child's Gillick competence, and the child's wish about proxy access.
///
/// From 11 to 15, a parent's proxy access is decided case by case: a competent child may consent to it or
/// refuse it. Until a child of 11 or over has been assessed, a parent keeps only the administrative classes
/// (demographics, contact details and appointments).
public struct CompetenceAssessment: Hashable, Sendable {
    /// The patient assessed.
    public let patient: Access.PatientID
    /// When the assessment was made.
    public let assessed: Date
    /// Whether the child was judged Gillick competent.
    public let competent: Bool
    /// Whether a competent child agreed to proxy access by those with parental responsibility.
    public let consentsToProxyAccess: Bool

    /// Records an assessment.
    ///
    /// - Parameters:
    ///   - patient: The patient.
    ///   - assessed: When it was made.
    ///   - competent: Whether the child was judged competent.
    ///   - consentsToProxyAccess: Whether a competent child agreed to proxy access.
    public init(patient: Access.PatientID, assessed: Date, competent: Bool, consentsToProxyAccess: Bool) {
        self.patient = patient
        self.assessed = assessed
        self.competent = competent
        self.consentsToProxyAccess = consentsToProxyAccess
    }
}
