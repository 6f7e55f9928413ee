import CareCore

/// A Glasgow Coma Scale assessment: the eye, verbal and motor responses, each scored or not testable.
///
/// Source: Teasdale G, Jennett B. *Assessment of coma and impaired consciousness: a practical scale*. Lancet
/// 1974; 2(7872): 81–84, with the six-level motor response and the 3–15 total in use since the late 1970s, as
/// restated in Teasdale G et al., *The Glasgow Coma Scale at 40 years: standing the test of time*, Lancet
/// Neurology 2014; 13(8): 844–854.
///
/// | Component | Range |
/// |---|---|
/// | Eye opening (E) | 1–4 |
/// | Verbal response (V) | 1–5 |
/// | Motor response (M) | 1–6 |
///
/// A component that cannot be assessed (eyes closed by swelling, an intubated patient's verbal response) is
/// recorded as ``Response/notTestable`` and written `NT`, as in `E3 VNT M6`. The components are what should be
/// reported and handed over; the ``total`` is given only when all three were scored, because a total that
/// silently leaves out a component understates the patient's state.
///
/// This type holds the adult scale's numbers only. It carries no descriptor text, and no paediatric variant:
/// a team using a paediatric GCS records its numbers here and keeps the descriptors of its own chart.
///
/// ```swift
/// let gcs = try GlasgowComaScale(eye: .score(3), verbal: .notTestable, motor: .score(6))
/// print(gcs.notation)     // E3 VNT M6
/// print(gcs.total as Any) // nil
/// ```
public struct GlasgowComaScale: Hashable, Sendable, CustomStringConvertible {
    /// One component's finding: a score, or not testable.
    public enum Response: Hashable, Sendable {
        /// The component was assessed and scored.
        case score(Int)
        /// The component could not be assessed (written `NT`).
        case notTestable

        /// The score, or `nil` when not testable.
        public var value: Int? {
            if case .score(let value) = self { return value }
            return nil
        }
    }

    /// The possible eye-opening scores, 1–4.
    public static let eyeRange: ClosedRange<Int> = 1...4
    /// The possible verbal-response scores, 1–5.
    public static let verbalRange: ClosedRange<Int> = 1...5
    /// The possible motor-response scores, 1–6.
    public static let motorRange: ClosedRange<Int> = 1...6

    /// Eye opening (E), 1–4, or not testable.
    public let eye: Response
    /// Verbal response (V), 1–5, or not testable.
    public let verbal: Response
    /// Motor response (M), 1–6, or not testable.
    public let motor: Response

    /// Records an assessment.
    ///
    /// - Parameters:
    ///   - eye: Eye opening, 1–4, or not testable.
    ///   - verbal: Verbal response, 1–5, or not testable.
    ///   - motor: Motor response, 1–6, or not testable.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/impossibleValue`` and field `eye`,
    ///   `verbal` or `motor` when a score is outside its component's range.
    public init(eye: Response, verbal: Response, motor: Response) throws(TriageScoringError) {
        try Self.check(eye, in: Self.eyeRange, field: "eye", name: "eye opening")
        try Self.check(verbal, in: Self.verbalRange, field: "verbal", name: "verbal response")
        try Self.check(motor, in: Self.motorRange, field: "motor", name: "motor response")
        self.eye = eye
        self.verbal = verbal
        self.motor = motor
    }

    /// Records an assessment in which every component was scored.
    ///
    /// - Parameters:
    ///   - eye: Eye opening, 1–4.
    ///   - verbal: Verbal response, 1–5.
    ///   - motor: Motor response, 1–6.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/impossibleValue`` and field `eye`,
    ///   `verbal` or `motor` when a score is outside its component's range.
    public init(eye: Int, verbal: Int, motor: Int) throws(TriageScoringError) {
        try self.init(eye: .score(eye), verbal: .score(verbal), motor: .score(motor))
    }

    /// Whether any component is not testable.
    public var hasNotTestableComponent: Bool {
        eye == .notTestable || verbal == .notTestable || motor == .notTestable
    }

    /// The total, 3–15, when all three components were scored; `nil` when any is not testable.
    public var total: Int? {
        guard let eye = eye.value, let verbal = verbal.value, let motor = motor.value else { return nil }
        return eye + verbal + motor
    }

    /// Whether the patient's GCS is below 15: the "altered mentation" of qSOFA.
    ///
    /// `true` when the total is below 15, and also when a component is not testable but another scored below
    /// its maximum (a GCS of 15 needs every component at its maximum). `false` only when the total is 15.
    /// `nil` when the scored components are all at their maximum but one is not testable: the scale alone cannot
    /// say.
    public var isBelow15: Bool? {
        let scored: [(Int?, ClosedRange<Int>)] = [
            (eye.value, Self.eyeRange), (verbal.value, Self.verbalRange), (motor.value, Self.motorRange),
        ]
        if scored.contains(where: { value, range in value.map { $0 < range.upperBound } ?? false }) { return true }
        return hasNotTestableComponent ? nil : false
    }

    /// The components as `E3 V4 M6`, with `NT` for a component that is not testable (`E3 VNT M6`).
    public var notation: String {
        "E\(Self.text(eye)) V\(Self.text(verbal)) M\(Self.text(motor))"
    }

    /// The assessment in one line, such as `GCS 13 (E3 V4 M6)` or `GCS E3 VNT M6 (no total)`.
    public var description: String {
        guard let total else { return "GCS \(notation) (no total)" }
        return "GCS \(total) (\(notation))"
    }

    private static func text(_ response: Response) -> String {
        switch response {
        case .score(let value): return String(value)
        case .notTestable: return "NT"
        }
    }

    private static func check(
        _ response: Response,
        in range: ClosedRange<Int>,
        field: String,
        name: String
    ) throws(TriageScoringError) {
        guard case .score(let value) = response else { return }
        try TriageScoringError.checkPossible(value, in: range, field: FieldPath(field), name: name)
    }
}
