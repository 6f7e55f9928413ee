public import Foundation

/// A source of the current moment, passed in wherever code needs "now".
///
/// Nothing in the suite reads the system clock directly. A component that needs the time takes a
/// `WallClock` (or a `now` value), so that tests can pin it and a replay gives the same answer. The name
/// keeps clear of the standard library's `Clock` protocol, which measures durations rather than telling
/// the time of day.
///
/// - ``SystemWallClock`` reads the operating system's clock, for production.
/// - ``FixedWallClock`` always says the same moment, for tests of one instant.
/// - ``ManualWallClock`` moves only when told to, for tests of a sequence of events.
public protocol WallClock: Sendable {
    /// The current moment.
    ///
    /// - Returns: Now, as this clock sees it.
    func now() -> Date
}

/// The operating system's real-time clock.
public struct SystemWallClock: WallClock {
    /// Creates the system clock.
    public init() {}

    /// The operating system's current time.
    ///
    /// - Returns: Now.
    public func now() -> Date {
        Date()
    }
}

/// A clock stopped at one moment.
public struct FixedWallClock: WallClock, Hashable {
    /// The moment this clock always reports.
    public let moment: Date

    /// Creates a clock stopped at a moment.
    ///
    /// - Parameter moment: The moment to report.
    public init(_ moment: Date) {
        self.moment = moment
    }

    /// The fixed moment.
    ///
    /// - Returns: ``moment``.
    public func now() -> Date {
        moment
    }
}

/// A clock that moves only when a test moves it; safe to share between tasks.
///
/// ```swift
/// let clock = ManualWallClock(startingAt: Date(timeIntervalSince1970: 1_774_746_000))
/// clock.advance(by: .seconds(3600))
/// ```
///
/// Its moment is held behind CareCore's package-level `Locked`, whose documentation explains why the suite
/// locks with `NSLock`.
public final class ManualWallClock: WallClock, Sendable {
    private let current: Locked<Date>

    /// Creates a clock at a starting moment.
    ///
    /// - Parameter start: The first moment the clock reports.
    public init(startingAt start: Date) {
        self.current = Locked(start)
    }

    /// The clock's current moment.
    ///
    /// - Returns: The moment last set or reached by advancing.
    public func now() -> Date {
        current.withLock { $0 }
    }

    /// Moves the clock forward (or back, for a negative duration).
    ///
    /// - Parameter duration: How far to move it.
    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let interval = Double(seconds) + Double(attoseconds) / 1e18
        current.withLock { $0 = $0.addingTimeInterval(interval) }
    }

    /// Sets the clock to a moment.
    ///
    /// - Parameter moment: The new moment.
    public func set(to moment: Date) {
        current.withLock { $0 = moment }
    }
}
