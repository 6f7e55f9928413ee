import CareCore
public import Foundation

/// Which of NEWS2's two SpO2 scales scores a patient's oxygen saturation.
///
/// Scale 1 is for everyone unless a competent clinical decision-maker has prescribed Scale 2 for a patient
/// with **confirmed hypercapnic (type 2) respiratory failure** and a target saturation of 88–92% (RCP NEWS2,
/// 2017, Chart 1 and its notes). Most people with COPD stay on Scale 1. The library never infers Scale 2
/// from a diagnosis: the only way to score on Scale 2 is to pass the recorded ``Scale2Prescription``.
public enum SpO2Scale: Hashable, Sendable, CustomStringConvertible {
    /// Scale 1: the default for every patient.
    case scale1
    /// Scale 2, as prescribed and recorded.
    case scale2(Scale2Prescription)

    /// Whether this is Scale 2.
    public var isScale2: Bool {
        if case .scale2 = self { return true }
        return false
    }

    /// `Scale 1` or `Scale 2`.
    public var description: String { isScale2 ? "Scale 2" : "Scale 1" }
}

/// The recorded decision that a patient's oxygen saturation is scored on NEWS2 SpO2 Scale 2.
///
/// The target range is fixed at 88–92%, the range the RCP chart's Scale 2 is built around.
public struct Scale2Prescription: Hashable, Sendable {
    /// Who made the decision: a clinician's role or staff identifier, never the patient's details.
    public let prescribedBy: String
    /// When the decision was recorded.
    public let recordedAt: Date

    /// The prescribed target saturation range, in percent: 88–92.
    public static let targetRange: ClosedRange<Double> = 88...92

    /// Records a Scale 2 prescription.
    ///
    /// - Parameters:
    ///   - prescribedBy: The decision-maker's role or staff identifier.
    ///   - recordedAt: When the decision was recorded.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/invalidValue`` when no
    ///   decision-maker is named.
    public init(prescribedBy: String, recordedAt: Date) throws(TriageScoringError) {
        guard !prescribedBy.allSatisfy(\.isWhitespace) else {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath("scale2Prescription.prescribedBy"),
                reason: "SpO2 Scale 2 needs the clinical decision-maker who prescribed it"
            )
        }
        self.prescribedBy = prescribedBy
        self.recordedAt = recordedAt
    }
}

/// Whether the patient is breathing room air or receiving supplemental oxygen when the set is taken.
///
/// Oxygen scores 2 on either SpO2 scale, and on Scale 2 it also decides how a saturation of 93% or more is
/// scored (RCP NEWS2, 2017, Chart 1).
public enum AirOrOxygen: String, Hashable, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Room air.
    case air
    /// Any supplemental oxygen, whatever the device or flow.
    case oxygen

    /// `air` or `oxygen`.
    public var description: String { rawValue }
}
