public import CareCore

/// A data sharing agreement that lets organisations use records for purposes beyond direct care.
///
/// Secondary use (research, planning, public health) needs an agreement covering the requesting
/// organisation, the purpose and the data class, and is still refused for a patient with a national data
/// opt-out or a type 1 opt-out, unless the patient gave explicit consent to that use.
public struct DataSharingAgreement: Hashable, Sendable, Identifiable {
    /// The identifier type of agreements.
    public typealias ID = EntityID<DataSharingAgreement>

    /// The agreement's identifier.
    public let id: ID
    /// The organisations it covers.
    public let organisations: Set<ODSCode>
    /// The purposes it covers, by `ActReason` code.
    public let purposes: Set<String>
    /// The data classes it covers; empty for all.
    public let dataClasses: Set<DataClass>
    /// When it is in force.
    public let period: ValidityPeriod

    /// Creates an agreement.
    ///
    /// - Parameters:
    ///   - id: The agreement's identifier.
    ///   - organisations: The organisations it covers.
    ///   - purposes: The purposes it covers.
    ///   - dataClasses: The data classes it covers; empty for all.
    ///   - period: When it is in force.
    public init(
        id: ID,
        organisations: Set<ODSCode>,
        purposes: Set<PurposeOfUse>,
        dataClasses: Set<DataClass> = [],
        period: ValidityPeriod
    ) {
        self.id = id
        self.organisations = organisations
        self.purposes = Set(purposes.map(\.code))
        self.dataClasses = dataClasses
        self.period = period
    }
}
