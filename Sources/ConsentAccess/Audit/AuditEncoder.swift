import CareCore
import Foundation

/// Writes an audit entry's canonical bytes: every field in a fixed order, integers big-endian, strings as a
/// 32-bit length and UTF-8, absent values as a zero byte, so that equal entries give equal bytes and no two
/// different entries give the same bytes.
struct AuditEncoder {
    private(set) var bytes: [UInt8] = []

    static let formatVersion: UInt8 = 1

    init() {
        bytes.reserveCapacity(256)
    }

    mutating func encode(
        sequence: UInt64,
        recorded: Date,
        event: AuditEntry.Event,
        actor: AuditEntry.Actor,
        patient: Access.PatientID,
        dataClass: DataClass?,
        action: AccessAction?,
        purpose: String?,
        effect: AccessDecision.Effect?,
        reasons: [DecisionReason]
    ) {
        bytes.append(Self.formatVersion)
        write(sequence)
        write(UInt64(bitPattern: Self.milliseconds(recorded)))
        write(event.rawValue)
        switch actor {
        case .staff(let user, let profile, let organisation, let role):
            bytes.append(1)
            write(user.rawValue)
            write(profile.rawValue)
            write(organisation.rawValue)
            write(role.rawValue)
        case .patient(let patient):
            bytes.append(2)
            write(patient.rawValue)
        case .proxy(let person):
            bytes.append(3)
            write(person.rawValue)
        }
        write(patient.rawValue)
        writeOptional(dataClass?.rawValue)
        writeOptional(action?.rawValue)
        writeOptional(purpose)
        writeOptional(effect?.rawValue)
        write(UInt64(reasons.count))
        for reason in reasons { write(reason) }
    }

    /// SHA-256 over the previous hash and the bytes written.
    func hash(after previous: SHA256Digest) -> SHA256Digest {
        var hasher = SHA256()
        previous.withUnsafeBytes { hasher.update($0) }
        bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private mutating func write(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    private mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            let count = UInt32(truncatingIfNeeded: utf8.count)
            for shift in stride(from: 24, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: count >> UInt32(shift)))
            }
            bytes.append(contentsOf: utf8)
        }
    }

    private mutating func writeOptional(_ text: String?) {
        guard let text else {
            bytes.append(0)
            return
        }
        bytes.append(1)
        write(text)
    }

    // The tag numbers are part of the format: never renumber one, only add new ones.
    private mutating func write(_ reason: DecisionReason) {
        switch reason {
        case .noActivityDefined(let dataClass, let action):
            tag(1, dataClass.rawValue, action.rawValue)
        case .activityMissing(let required, let role):
            tag(2, role.rawValue)
            write(UInt64(required.count))
            for code in required { write(code.rawValue) }
        case .activityHeld(let code): tag(3, code.rawValue)
        case .purposeNotAllowed(let category): tag(4, category.rawValue)
        case .nationalDataOptOut: tag(5)
        case .type1OptOut: tag(6)
        case .noAgreement: tag(7)
        case .agreement(let id): tag(8, id.rawValue)
        case .relationship(let id, let kind): tag(9, id.rawValue, kind.rawValue)
        case .noRelationship: tag(10)
        case .consentPermits(let id, let path): tag(11, id.rawValue, path.description)
        case .consentDenies(let id, let path): tag(12, id.rawValue, path.description)
        case .consentDenialOverridden(let id, let path): tag(13, id.rawValue, path.description)
        case .breakGlass(let id): tag(14, id.rawValue)
        case .ownRecord: tag(15)
        case .notOwnRecord: tag(16)
        case .actionNotAllowed: tag(17)
        case .ageUnknown: tag(18)
        case .tooYoungForSelfAccess: tag(19)
        case .competenceNotEstablished: tag(20)
        case .gillickCompetent: tag(21)
        case .noProxyAuthority: tag(22)
        case .proxyAuthority(let id, let basis): tag(23, id.rawValue, basis.rawValue)
        case .administrativeAccessOnly: tag(24)
        case .refusedByCompetentChild(let id): tag(25, id.rawValue)
        case .basisNotValidAtAge(let id, let basis): tag(26, id.rawValue, basis.rawValue)
        case .outsideProxyScope(let id): tag(27, id.rawValue)
        }
    }

    private mutating func tag(_ number: UInt8, _ arguments: String...) {
        bytes.append(number)
        bytes.append(UInt8(arguments.count))
        for argument in arguments { write(argument) }
    }
}
