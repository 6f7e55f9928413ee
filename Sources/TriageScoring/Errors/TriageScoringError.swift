public import CareCore
import Foundation

/// The error type of TriageScoring: a code, the field at fault, a reason and, for a line of an event stream,
/// the line number; never patient data and never the value that was refused.
///
/// ```swift
/// do {
///     _ = try NEWS2Scorer().assess(NEWS2Observations(oxygenSaturation: 104))
/// } catch {
///     print(error)  // impossible-value at oxygenSaturation: SpO2 must be a number from 0 to 100
/// }
/// ```
public struct TriageScoringError: CareError, Hashable {
    /// What kind of fault this is. New codes may be added in any release.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's stable text.
        public let rawValue: String

        /// Creates a code from its stable text.
        ///
        /// - Parameter rawValue: The code's text.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// A value is malformed, missing or outside the range a setting allows.
        public static let invalidValue = Code(rawValue: "invalid-value")
        /// An observation is physically impossible (a saturation above 100%, a negative rate, a value that
        /// is not a number): it is refused, never scored.
        public static let impossibleValue = Code(rawValue: "impossible-value")
        /// A line of an event stream is not a valid event.
        public static let malformedEvent = Code(rawValue: "malformed-event")
        /// A paediatric chart's data is not a complete, consistent chart.
        public static let malformedChart = Code(rawValue: "malformed-chart")
        /// The patient, alert or stay that the operation names is not known.
        public static let notFound = Code(rawValue: "not-found")
        /// The patient, alert or stay is already known.
        public static let duplicate = Code(rawValue: "duplicate")
        /// The operation is not allowed: lowering a category without a clinician's decision, for example.
        public static let notPermitted = Code(rawValue: "not-permitted")
        /// An event is dated before one already applied; time never runs backwards on a board.
        public static let outOfOrder = Code(rawValue: "out-of-order")

        /// The code's stable text.
        public var description: String { rawValue }
    }

    /// What kind of fault this is.
    public let code: Code
    /// Where the fault is.
    public let field: FieldPath
    /// The library's explanation, free of patient data.
    public let reason: String
    /// The one-based line of a text input (an event stream, a chart file) where the fault is, if any.
    public let line: Int?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of fault this is.
    ///   - field: Where the fault is.
    ///   - reason: A fixed explanation that never contains patient data.
    ///   - line: The one-based line of a text input, if the fault is in one.
    public init(_ code: Code, field: FieldPath, reason: String, line: Int? = nil) {
        self.code = code
        self.field = field
        self.reason = reason
        self.line = line
    }

    /// The same error, placed on a line of a text input.
    ///
    /// - Parameter line: The one-based line number.
    /// - Returns: The error with its line set.
    public func onLine(_ line: Int) -> TriageScoringError {
        TriageScoringError(code, field: field, reason: reason, line: line)
    }

    /// The code's stable text, such as `not-found`: what `CareError.codeText` gives to code that handles errors of
    /// several modules alike.
    public var codeText: String { code.rawValue }

    /// The error as one line: the line (for text input), the code, the field and the reason.
    public var description: String {
        let text = "\(code) at \(field): \(reason)"
        guard let line else { return text }
        return "line \(line): \(text)"
    }
}

extension TriageScoringError {
    /// Moves a board's or monitor's latest moment forward, refusing a moment earlier than one it has seen.
    static func advance(_ now: inout Date?, to moment: Date, holder: String) throws(TriageScoringError) {
        if let current = now, moment < current {
            throw TriageScoringError(
                .outOfOrder,
                field: FieldPath("at"),
                reason: "the moment is earlier than one the \(holder) has seen"
            )
        }
        now = moment
    }
}
