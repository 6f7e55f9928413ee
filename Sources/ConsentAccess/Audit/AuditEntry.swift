public import CareCore
public import Foundation

/// One entry of the audit log: who reached which patient's record, what for, when, the decision and why,
/// chained to the entry before it by SHA-256.
///
/// An entry holds identifiers and codes, never names, NHS numbers, dates of birth or addresses. Its
/// ``hash`` is SHA-256 over the previous entry's hash and the entry's canonical bytes (a fixed,
/// length-prefixed encoding of every field, sequence number included), so changing, removing or reordering an
/// entry breaks the chain at that point; see ``AuditLog/verify(entries:checkpoints:key:)``.
public struct AuditEntry: Hashable, Sendable, Identifiable {
    /// What the entry records.
    public enum Event: String, Hashable, Sendable, Codable, CaseIterable {
        /// An access decision, permit or deny.
        case decision
        /// A break-glass grant.
        case breakGlass = "break-glass"
        /// A privacy officer's review of an alert.
        case alertReviewed = "alert-reviewed"
    }

    /// Who acted.
    public enum Actor: Hashable, Sendable {
        /// A member of staff under a role profile: the user, the URPID, the organisation and the job role.
        case staff(Access.UserID, RoleProfile.ID, ODSCode, JobRoleCode)
        /// The patient.
        case patient(Access.PatientID)
        /// A proxy acting for the patient.
        case proxy(Access.PersonID)
    }

    /// The entry's position in the log, from 0.
    public let sequence: UInt64
    /// When it was recorded, to the millisecond.
    public let recorded: Date
    /// What the entry says: the event, who, whose record, which data, why and the decision.
    public let record: AuditRecord
    /// What it records.
    public var event: Event { record.event }
    /// Who acted.
    public var actor: Actor { record.actor }
    /// Whose record.
    public var patient: Access.PatientID { record.patient }
    /// Which data, for a decision.
    public var dataClass: DataClass? { record.dataClass }
    /// Which action, for a decision.
    public var action: AccessAction? { record.action }
    /// Why, by `ActReason` code.
    public var purpose: String? { record.purpose }
    /// The decision's effect, for a decision.
    public var effect: AccessDecision.Effect? { record.effect }
    /// The rules that decided, or for a break-glass grant the grant.
    public var reasons: [DecisionReason] { record.reasons }
    /// The previous entry's hash; for the first entry, ``AuditLog/genesisHash``.
    public let previousHash: SHA256Digest
    /// SHA-256 over ``previousHash`` and the entry's canonical bytes.
    public let hash: SHA256Digest

    /// The entry's sequence number.
    public var id: UInt64 { sequence }

    /// Creates an entry as read back from storage, without checking its hash; verification does that.
    ///
    /// - Parameters:
    ///   - sequence: The position.
    ///   - recorded: When.
    ///   - event: What.
    ///   - actor: Who.
    ///   - patient: Whose record.
    ///   - dataClass: Which data.
    ///   - action: Which action.
    ///   - purpose: Why.
    ///   - effect: The decision's effect.
    ///   - reasons: The rules.
    ///   - previousHash: The previous entry's hash.
    ///   - hash: This entry's hash.
    public init(
        sequence: UInt64,
        recorded: Date,
        event: Event,
        actor: Actor,
        patient: Access.PatientID,
        dataClass: DataClass?,
        action: AccessAction?,
        purpose: String?,
        effect: AccessDecision.Effect?,
        reasons: [DecisionReason],
        previousHash: SHA256Digest,
        hash: SHA256Digest
    ) {
        self.init(
            sequence: sequence,
            recorded: recorded,
            record: AuditRecord(
                event: event,
                actor: actor,
                patient: patient,
                dataClass: dataClass,
                action: action,
                purpose: purpose,
                effect: effect,
                reasons: reasons
            ),
            previousHash: previousHash,
            hash: hash
        )
    }

    /// Creates an entry from what it says and where it sits in the chain.
    init(sequence: UInt64, recorded: Date, record: AuditRecord, previousHash: SHA256Digest, hash: SHA256Digest) {
        self.sequence = sequence
        self.recorded = recorded
        self.record = record
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The hash the entry's content and previous hash give, whatever its stored ``hash`` says.
    public var computedHash: SHA256Digest {
        var encoder = AuditEncoder()
        encoder.encode(sequence: sequence, recorded: recorded, record: record)
        return encoder.hash(after: previousHash)
    }
}

/// What an audit entry will say, before the log numbers, times and chains it.
public struct AuditRecord: Hashable, Sendable {
    /// What it records.
    public let event: AuditEntry.Event
    /// Who acted.
    public let actor: AuditEntry.Actor
    /// Whose record.
    public let patient: Access.PatientID
    /// Which data.
    public let dataClass: DataClass?
    /// Which action.
    public let action: AccessAction?
    /// Why, by `ActReason` code.
    public let purpose: String?
    /// The decision's effect.
    public let effect: AccessDecision.Effect?
    /// The rules.
    public let reasons: [DecisionReason]

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - event: What it records.
    ///   - actor: Who acted.
    ///   - patient: Whose record.
    ///   - dataClass: Which data.
    ///   - action: Which action.
    ///   - purpose: Why.
    ///   - effect: The decision's effect.
    ///   - reasons: The rules.
    public init(
        event: AuditEntry.Event,
        actor: AuditEntry.Actor,
        patient: Access.PatientID,
        dataClass: DataClass? = nil,
        action: AccessAction? = nil,
        purpose: String? = nil,
        effect: AccessDecision.Effect? = nil,
        reasons: [DecisionReason] = []
    ) {
        self.event = event
        self.actor = actor
        self.patient = patient
        self.dataClass = dataClass
        self.action = action
        self.purpose = purpose
        self.effect = effect
        self.reasons = reasons
    }

    /// The record of a decision on a request.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - decision: The decision.
    public init(_ request: AccessRequest, _ decision: AccessDecision) {
        let actor: AuditEntry.Actor
        switch request.requester {
        case .staff(let session):
            let profile = session.profile
            actor = .staff(profile.user, profile.id, profile.organisation, profile.jobRole)
        case .patient(let patient): actor = .patient(patient)
        case .proxy(let person): actor = .proxy(person)
        }
        self.init(
            event: .decision,
            actor: actor,
            patient: request.patient,
            dataClass: request.dataClass,
            action: request.action,
            purpose: request.purpose.code,
            effect: decision.effect,
            reasons: decision.reasons
        )
    }
}
