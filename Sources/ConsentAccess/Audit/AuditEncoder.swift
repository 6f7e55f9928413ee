import CareCore
import Foundation

/// Writes an audit entry's canonical bytes: every field in a fixed order; integers and string lengths as
/// LEB128 variable-length numbers; strings as UTF-8; closed vocabularies as one-byte codes; an absent value as
/// a zero byte. Equal entries give equal bytes and no two different entries give the same bytes, and an entry
/// usually fits three SHA-256 blocks with its previous hash.
struct AuditEncoder {
    private(set) var bytes: [UInt8] = []

    static let formatVersion: UInt8 = 1

    init() {
        bytes.reserveCapacity(256)
    }

    /// Empties the buffer, keeping its storage for the next entry.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func encode(sequence: UInt64, recorded: Date, record: AuditRecord) {
        bytes.append(Self.formatVersion)
        write(sequence)
        write(UInt64(bitPattern: Self.milliseconds(recorded)))
        bytes.append(Self.code(record.event))
        switch record.actor {
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
        write(record.patient.rawValue)
        writeOptional(record.dataClass?.rawValue)
        bytes.append(record.action.map(Self.code) ?? 0)
        writeOptional(record.purpose)
        bytes.append(record.effect.map(Self.code) ?? 0)
        write(UInt64(record.reasons.count))
        for reason in record.reasons { write(reason) }
    }

    /// SHA-256 over the previous hash and the bytes written.
    func hash(after previous: SHA256Digest) -> SHA256Digest {
        var hasher = SHA256()
        previous.withUnsafeBytes { hasher.update($0) }
        bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }

    /// Milliseconds since 1970; a time that is not a number or out of range (only ever from hostile stored
    /// data) becomes `Int64.min`, so its hash no longer matches instead of the process trapping.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64(exactly: (date.timeIntervalSince1970 * 1000).rounded()) ?? Int64.min
    }

    private mutating func write(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func write(_ text: String) {
        write(UInt64(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    /// One-byte codes for closed vocabularies: the case's position plus one, so that 0 can mean absent.
    /// Cases are only ever added at the end, so codes never change.
    /// `AuditLogTests` pins the bytes of a known entry, so a reordering fails a test.
    private static func code<Vocabulary: CaseIterable & Equatable>(_ value: Vocabulary) -> UInt8
    where Vocabulary.AllCases == [Vocabulary] {
        UInt8(truncatingIfNeeded: (Vocabulary.allCases.firstIndex(of: value) ?? 254) + 1)
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
            tag(1, dataClass.rawValue)
            bytes.append(Self.code(action))
        case .activityMissing(let required, let role):
            tag(2, role.rawValue)
            write(UInt64(required.count))
            for code in required { write(code.rawValue) }
        case .activityHeld(let code): tag(3, code.rawValue)
        case .purposeNotAllowed(let category):
            tag(4)
            bytes.append(Self.code(category))
        case .nationalDataOptOut: tag(5)
        case .type1OptOut: tag(6)
        case .noAgreement: tag(7)
        case .agreement(let id): tag(8, id.rawValue)
        case .relationship(let id, let kind):
            tag(9, id.rawValue)
            bytes.append(Self.code(kind))
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
        case .proxyAuthority(let id, let basis):
            tag(23, id.rawValue)
            bytes.append(Self.code(basis))
        case .administrativeAccessOnly: tag(24)
        case .refusedByCompetentChild(let id): tag(25, id.rawValue)
        case .basisNotValidAtAge(let id, let basis):
            tag(26, id.rawValue)
            bytes.append(Self.code(basis))
        case .outsideProxyScope(let id): tag(27, id.rawValue)
        case .privacyUnknown: tag(28)
        }
    }

    // A reason is its tag, then its arguments in a fixed order per tag, so no count is needed.
    private mutating func tag(_ number: UInt8) {
        bytes.append(number)
    }

    private mutating func tag(_ number: UInt8, _ argument: String) {
        bytes.append(number)
        write(argument)
    }

    private mutating func tag(_ number: UInt8, _ first: String, _ second: String) {
        bytes.append(number)
        write(first)
        write(second)
    }
}
