import CareCore

extension TriageScoringError {
    /// Refuses a measurement that is not a number or lies outside the range any patient or device can give.
    ///
    /// The reason names the field and the possible range, never the value that was refused.
    ///
    /// - Parameters:
    ///   - value: The measurement.
    ///   - range: The possible range; an infinite upper bound means "no upper limit".
    ///   - field: The field's name, used as the error's path.
    ///   - name: The measurement in words, for the reason.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/impossibleValue``.
    static func checkPossible(
        _ value: Double,
        in range: ClosedRange<Double>,
        field: FieldPath,
        name: String
    ) throws(TriageScoringError) {
        // A NaN fails the range test too, since every comparison with NaN is false.
        guard value.isFinite, range.contains(value) else {
            throw TriageScoringError(.impossibleValue, field: field, reason: "\(name) must be \(text(of: range))")
        }
    }

    /// Refuses a whole-number quantity (an age, a count) outside its possible range.
    ///
    /// - Parameters:
    ///   - value: The quantity.
    ///   - range: The possible range.
    ///   - field: The field's name, used as the error's path.
    ///   - name: The quantity in words, for the reason.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/impossibleValue``.
    static func checkPossible(
        _ value: Int,
        in range: ClosedRange<Int>,
        field: FieldPath,
        name: String
    ) throws(TriageScoringError) {
        guard range.contains(value) else {
            throw TriageScoringError(
                .impossibleValue,
                field: field,
                reason: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)"
            )
        }
    }

    /// The range as `a number from 0 to 200`, or `a number of 0 or more` when it has no upper limit.
    private static func text(of range: ClosedRange<Double>) -> String {
        guard range.upperBound.isFinite else { return "a number of \(plain(range.lowerBound)) or more" }
        return "a number from \(plain(range.lowerBound)) to \(plain(range.upperBound))"
    }

    /// A bound without a needless `.0`: `200` rather than `200.0`.
    static func plain(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
        return String(number)
    }
}
