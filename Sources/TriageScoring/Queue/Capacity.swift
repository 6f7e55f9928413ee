import CareCore

/// How stretched the department is, in four levels modelled on the shape of NHS England's Operational
/// Pressures Escalation Levels (OPEL 1–4).
///
/// The levels here are computed only from cubicle occupancy and the queue, with thresholds the department
/// sets (``CapacityPolicy``); they are a prompt for the people who declare the real OPEL level, not that
/// declaration. Diverting ambulances stays a human decision.
public enum CapacityLevel: Int, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    /// Able to maintain flow.
    case one = 1
    /// Signs of pressure.
    case two = 2
    /// Major pressures compromising flow.
    case three = 3
    /// No cubicle free and patients waiting.
    case four = 4

    /// Orders levels from least to most stretched.
    ///
    /// - Parameters:
    ///   - lhs: A level.
    ///   - rhs: Another level.
    /// - Returns: Whether `lhs` is less stretched.
    public static func < (lhs: CapacityLevel, rhs: CapacityLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The level in words.
    public var description: String {
        switch self {
        case .one: return "able to maintain flow"
        case .two: return "signs of pressure"
        case .three: return "major pressures"
        case .four: return "no capacity"
        }
    }
}

/// The department's cubicles and the occupancy at which each capacity level begins.
public struct CapacityPolicy: Hashable, Sendable {
    /// The cubicles or beds in which patients are seen.
    public let cubicles: Int
    /// The occupied share (0–1) from which the level is at least two.
    public let pressureOccupancy: Double
    /// The occupied share (0–1) from which the level is at least three.
    public let majorPressureOccupancy: Double

    /// Creates a policy.
    ///
    /// Level four is reached when every cubicle is occupied and someone is waiting; an ambulance warning is
    /// raised whenever no cubicle is free.
    ///
    /// - Parameters:
    ///   - cubicles: The cubicles or beds, at least one.
    ///   - pressureOccupancy: The occupied share from which the level is two; 0.85 by default.
    ///   - majorPressureOccupancy: The occupied share from which the level is three; 0.95 by default.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/invalidValue`` for no cubicles or
    ///   shares that are not ascending within 0–1.
    public init(
        cubicles: Int,
        pressureOccupancy: Double = 0.85,
        majorPressureOccupancy: Double = 0.95
    ) throws(TriageScoringError) {
        guard cubicles >= 1 else {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath("capacity.cubicles"),
                reason: "a department needs at least one cubicle"
            )
        }
        guard pressureOccupancy > 0, pressureOccupancy <= majorPressureOccupancy, majorPressureOccupancy <= 1 else {
            throw TriageScoringError(
                .invalidValue,
                field: FieldPath("capacity.occupancy"),
                reason: "the occupancy thresholds must rise within 0 to 1"
            )
        }
        self.cubicles = cubicles
        self.pressureOccupancy = pressureOccupancy
        self.majorPressureOccupancy = majorPressureOccupancy
    }

    /// The level for an occupancy and a queue length.
    ///
    /// - Parameters:
    ///   - occupied: Cubicles in use.
    ///   - waiting: Patients waiting.
    /// - Returns: The capacity status.
    public func status(occupied: Int, waiting: Int) -> CapacityStatus {
        let share = Double(occupied) / Double(cubicles)
        let level: CapacityLevel
        if occupied >= cubicles && waiting > 0 {
            level = .four
        } else if share >= majorPressureOccupancy {
            level = .three
        } else if share >= pressureOccupancy {
            level = .two
        } else {
            level = .one
        }
        return CapacityStatus(cubicles: cubicles, occupied: occupied, waiting: waiting, level: level)
    }
}

/// The department's capacity at a moment: what drove the level, and whether to warn ambulances.
public struct CapacityStatus: Hashable, Sendable, CustomStringConvertible {
    /// The cubicles or beds.
    public let cubicles: Int
    /// How many are in use.
    public let occupied: Int
    /// How many patients are waiting.
    public let waiting: Int
    /// The level.
    public let level: CapacityLevel

    /// The cubicles free.
    public var free: Int { max(cubicles - occupied, 0) }

    /// Whether ambulances should be warned: no cubicle is free.
    public var ambulanceWarning: Bool { free == 0 }

    /// The status in one line, such as `level 4 (no capacity): 12/12 cubicles, 5 waiting, warn ambulances`.
    public var description: String {
        var text = "level \(level.rawValue) (\(level)): \(occupied)/\(cubicles) cubicles, \(waiting) waiting"
        if ambulanceWarning { text += ", warn ambulances" }
        return text
    }
}
