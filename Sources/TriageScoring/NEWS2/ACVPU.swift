public import CareCore

/// Level of consciousness on the ACVPU scale, as NEWS2 scores it.
///
/// "C" is **new** confusion: new disorientation, agitation or delirium. Confusion that is the patient's
/// known baseline is recorded as ``alert``, not ``newConfusion``. New confusion, voice, pain and unresponsive
/// all score 3 (RCP NEWS2, 2017, Chart 1). The codes are those of the NHS England UK Core `UKCore-ACVPU` value
/// set.
public enum ACVPU: String, Hashable, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Alert.
    case alert = "A"
    /// New confusion.
    case newConfusion = "C"
    /// Responds to voice.
    case voice = "V"
    /// Responds to pain.
    case pain = "P"
    /// Unresponsive.
    case unresponsive = "U"

    /// Whether the patient is anything other than alert: the "altered mentation" that other scores ask about.
    public var isAltered: Bool { self != .alert }

    /// The SNOMED CT concept of the UK Core ACVPU value set.
    public var coding: Coding {
        switch self {
        case .alert: return Coding(unchecked: .snomedCT, "248234008", "Mentally alert")
        case .newConfusion: return Coding(unchecked: .snomedCT, "130987000", "Acute confusion")
        case .voice: return Coding(unchecked: .snomedCT, "300202002", "Responds to voice")
        case .pain: return Coding(unchecked: .snomedCT, "450847001", "Responds to pain")
        case .unresponsive: return Coding(unchecked: .snomedCT, "422768004", "Unresponsive")
        }
    }

    /// The level in words, such as `new confusion`.
    public var description: String {
        switch self {
        case .alert: return "alert"
        case .newConfusion: return "new confusion"
        case .voice: return "responds to voice"
        case .pain: return "responds to pain"
        case .unresponsive: return "unresponsive"
        }
    }
}
