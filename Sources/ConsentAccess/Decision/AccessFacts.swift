public import CareCore

/// Everything a decision reads, as plain collections: the RBAC catalogue, the rules, and the facts about
/// patients, relationships, consent, protected items, proxies, break-glass grants and sharing agreements.
///
/// ``PolicyDecisionPoint`` indexes these facts for speed; ``ReferencePolicyEvaluator`` reads them as they are.
/// Recording a fact with the identifier of one already held replaces it.
public struct AccessFacts: Sendable {
    /// The RBAC reference data.
    public var catalogue: ActivityCatalogue
    /// The configurable rules.
    public var rules: AccessRules
    /// Legitimate relationships, by identifier.
    public private(set) var relationships: [LegitimateRelationship.ID: LegitimateRelationship] = [:]
    /// Consent directives, by identifier.
    public private(set) var directives: [ConsentDirective.ID: ConsentDirective] = [:]
    /// Patients' privacy facts, by patient.
    public private(set) var privacy: [Access.PatientID: PatientPrivacy] = [:]
    /// Protected items, by identifier.
    public private(set) var items: [Access.ItemID: ProtectedItem] = [:]
    /// Proxy authorities, by identifier.
    public private(set) var proxies: [ProxyAuthority.ID: ProxyAuthority] = [:]
    /// Competence assessments, in the order recorded.
    public private(set) var assessments: [CompetenceAssessment] = []
    /// Break-glass grants, by identifier.
    public private(set) var grants: [BreakGlassGrant.ID: BreakGlassGrant] = [:]
    /// Data sharing agreements, by identifier.
    public private(set) var agreements: [DataSharingAgreement.ID: DataSharingAgreement] = [:]

    /// Creates facts with no patients yet.
    ///
    /// - Parameters:
    ///   - catalogue: The RBAC reference data.
    ///   - rules: The configurable rules.
    public init(catalogue: ActivityCatalogue = .nhsDefault, rules: AccessRules = .nhsDefault) {
        self.catalogue = catalogue
        self.rules = rules
    }

    /// Records a legitimate relationship.
    ///
    /// - Parameter relationship: The relationship.
    public mutating func record(_ relationship: LegitimateRelationship) {
        relationships[relationship.id] = relationship
    }

    /// Records a consent directive.
    ///
    /// - Parameter directive: The directive.
    public mutating func record(_ directive: ConsentDirective) {
        directives[directive.id] = directive
    }

    /// Records a patient's privacy facts.
    ///
    /// - Parameter privacy: The facts.
    public mutating func record(_ privacy: PatientPrivacy) {
        self.privacy[privacy.patient] = privacy
    }

    /// Records a protected item.
    ///
    /// - Parameter item: The item.
    public mutating func record(_ item: ProtectedItem) {
        items[item.id] = item
    }

    /// Records a proxy authority.
    ///
    /// - Parameter authority: The authority.
    public mutating func record(_ authority: ProxyAuthority) {
        proxies[authority.id] = authority
    }

    /// Records a competence assessment.
    ///
    /// - Parameter assessment: The assessment.
    public mutating func record(_ assessment: CompetenceAssessment) {
        assessments.append(assessment)
    }

    /// Records a break-glass grant.
    ///
    /// - Parameter grant: The grant.
    public mutating func record(_ grant: BreakGlassGrant) {
        grants[grant.id] = grant
    }

    /// Records a data sharing agreement.
    ///
    /// - Parameter agreement: The agreement.
    public mutating func record(_ agreement: DataSharingAgreement) {
        agreements[agreement.id] = agreement
    }
}
