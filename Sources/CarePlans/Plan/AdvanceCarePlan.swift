public import CareCore

/// Advance care planning: the ReSPECT recommendations, where the person would like to be cared for, and
/// references to an advance decision to refuse treatment and a lasting power of attorney.
///
/// The plan holds references to the legal documents, not the documents: an ADRT is legally binding when it
/// is valid and applicable (Mental Capacity Act 2005, ss.24–26), so a crew must see where the signed copy is.
public struct AdvanceCarePlan: Hashable, Sendable, Codable {
    /// The ReSPECT recommendations, if a ReSPECT form has been completed.
    public var respect: ReSPECTRecommendations?
    /// Where the person would prefer to be cared for, in their words: "at home", "St Julia's Hospice".
    public var preferredPlaceOfCare: String?
    /// An advance decision to refuse treatment.
    public var advanceDecisionToRefuseTreatment: LegalDocument
    /// A lasting power of attorney for health and welfare.
    public var lastingPowerOfAttorney: LegalDocument

    /// Creates the section; with no arguments, nothing is known.
    ///
    /// - Parameters:
    ///   - respect: The ReSPECT recommendations.
    ///   - preferredPlaceOfCare: The preferred place of care.
    ///   - advanceDecisionToRefuseTreatment: The ADRT reference.
    ///   - lastingPowerOfAttorney: The LPA reference.
    public init(
        respect: ReSPECTRecommendations? = nil,
        preferredPlaceOfCare: String? = nil,
        advanceDecisionToRefuseTreatment: LegalDocument = LegalDocument(),
        lastingPowerOfAttorney: LegalDocument = LegalDocument()
    ) {
        self.respect = respect
        self.preferredPlaceOfCare = preferredPlaceOfCare
        self.advanceDecisionToRefuseTreatment = advanceDecisionToRefuseTreatment
        self.lastingPowerOfAttorney = lastingPowerOfAttorney
    }
}

/// Whether a legal document exists and where it is.
public struct LegalDocument: Hashable, Sendable, Codable {
    /// What is known of the document.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// It exists.
        case present
        /// The person has said there is none.
        case absent
        /// Nobody has asked, or the answer is not known.
        case unknown
    }

    /// What is known of it.
    public var status: Status
    /// Where the signed copy is, or who holds it.
    public var location: String?
    /// For a lasting power of attorney, the attorney's name.
    public var holder: String?

    /// Creates a reference; with no arguments, unknown.
    ///
    /// - Parameters:
    ///   - status: What is known.
    ///   - location: Where the copy is.
    ///   - holder: The attorney, for an LPA.
    public init(status: Status = .unknown, location: String? = nil, holder: String? = nil) {
        self.status = status
        self.location = location
        self.holder = holder
    }
}

/// The clinical recommendations of a ReSPECT form (Resuscitation Council UK), sections 3 and 4: the
/// person's priorities, the CPR recommendation and specific recommendations for emergency care.
///
/// ReSPECT recommendations are not legally binding but must be considered in an emergency. The library
/// stores the recommendations and who made them; the form itself stays with the person.
public struct ReSPECTRecommendations: Hashable, Sendable, Codable {
    /// The CPR recommendation, ReSPECT section 4.
    public enum CPR: String, Hashable, Sendable, Codable, CaseIterable {
        /// CPR attempts recommended.
        case attemptsRecommended = "cpr-attempts-recommended"
        /// CPR attempts not recommended.
        case attemptsNotRecommended = "cpr-attempts-not-recommended"
        /// For a child: modified CPR, as described on the form.
        case modifiedForChild = "modified-cpr-child"
    }

    /// Where the person's priorities lie, ReSPECT section 3's scale.
    public enum CareFocus: String, Hashable, Sendable, Codable, CaseIterable {
        /// Prioritise sustaining life, even at the expense of some comfort.
        case sustainingLife = "prioritise-sustaining-life"
        /// Between the two.
        case balanced
        /// Prioritise comfort, even at the expense of sustaining life.
        case comfort = "prioritise-comfort"
    }

    /// The CPR recommendation.
    public var cpr: CPR
    /// The focus of care.
    public var careFocus: CareFocus
    /// Treatments to consider or not, as written on the form: "for ward-based care, not for intensive care".
    public var specificRecommendations: [String]
    /// Whether the person would want to be admitted to hospital, when the form says.
    public var hospitalAdmissionWanted: Bool?
    /// The clinician who signed the recommendations, with their designation.
    public var recordedBy: String
    /// The day they were signed.
    public var recordedOn: CivilDate
    /// When the form should next be reviewed.
    public var reviewBy: CivilDate?

    /// Creates the recommendations.
    ///
    /// - Parameters:
    ///   - cpr: The CPR recommendation.
    ///   - careFocus: The focus of care.
    ///   - specificRecommendations: Treatments to consider or not.
    ///   - hospitalAdmissionWanted: Whether admission would be wanted.
    ///   - recordedBy: The signing clinician.
    ///   - recordedOn: The day signed.
    ///   - reviewBy: The next review.
    public init(
        cpr: CPR,
        careFocus: CareFocus,
        specificRecommendations: [String] = [],
        hospitalAdmissionWanted: Bool? = nil,
        recordedBy: String,
        recordedOn: CivilDate,
        reviewBy: CivilDate? = nil
    ) {
        self.cpr = cpr
        self.careFocus = careFocus
        self.specificRecommendations = specificRecommendations
        self.hospitalAdmissionWanted = hospitalAdmissionWanted
        self.recordedBy = recordedBy
        self.recordedOn = recordedOn
        self.reviewBy = reviewBy
    }
}
