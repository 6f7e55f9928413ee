public import CareCore
public import Foundation

/// A patient's consent directive about sharing their record, modelled on FHIR R4 Consent.
///
/// Only an ``Status/active`` directive takes part in decisions. Its ``provision`` tree decides what it
/// permits or denies (see ``ConsentProvision``); across a patient's directives, a matching deny overrides a
/// matching permit. The directive's scope follows FHIR `consent-scope`: `patient-privacy` for sharing
/// choices, `research` for consent to research, `treatment` for consent to treatment.
public struct ConsentDirective: Hashable, Sendable, Codable, Identifiable {
    /// The identifier type of directives.
    public typealias ID = EntityID<ConsentDirective>

    /// The directive's state: FHIR `consent-state-codes`.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// Being drafted; not in force.
        case draft
        /// Offered to the patient; not in force.
        case proposed
        /// In force.
        case active
        /// Declined; not in force.
        case rejected
        /// No longer in force.
        case inactive
        /// Recorded by mistake; never in force.
        case enteredInError = "entered-in-error"
    }

    /// What the directive is about: FHIR `consent-scope`.
    public enum Scope: String, Hashable, Sendable, Codable, CaseIterable {
        /// Consent to share or withhold the record.
        case patientPrivacy = "patient-privacy"
        /// Consent to take part in research.
        case research
        /// Consent to treatment.
        case treatment
        /// An advance directive.
        case advanceDirective = "adr"
    }

    /// The directive's identifier.
    public let id: ID
    /// The patient whose directive it is.
    public let patient: Access.PatientID
    /// Its state.
    public var status: Status
    /// What it is about.
    public let scope: Scope
    /// When it was recorded.
    public let recorded: Date
    /// The rules, as a tree.
    public var provision: ConsentProvision

    /// Creates a directive.
    ///
    /// - Parameters:
    ///   - id: The directive's identifier.
    ///   - patient: The patient.
    ///   - status: Its state.
    ///   - scope: What it is about.
    ///   - recorded: When it was recorded.
    ///   - provision: The rules.
    public init(
        id: ID,
        patient: Access.PatientID,
        status: Status = .active,
        scope: Scope = .patientPrivacy,
        recorded: Date,
        provision: ConsentProvision
    ) {
        self.id = id
        self.patient = patient
        self.status = status
        self.scope = scope
        self.recorded = recorded
        self.provision = provision
    }
}
