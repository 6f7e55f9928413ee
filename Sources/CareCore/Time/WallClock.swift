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
/// `@unchecked Sendable` because its one mutable property, `current`, is read and written only while `lock`
/// is held. The lock is an `NSLock` (a pthread mutex) rather than `Synchronization.Mutex` because
/// ThreadSanitizer on Linux cannot see the futex-based synchronisation inside `Mutex` and reports races
/// that do not exist, which would hide real ones in the suite's concurrency tests.
public final class ManualWallClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// Creates a clock at a starting moment.
    ///
    /// - Parameter start: The first moment the clock reports.
    public init(startingAt start: Date) {
        self.current = start
    }

    /// The clock's current moment.
    ///
    /// - Returns: The moment last set or reached by advancing.
    public func now() -> Date {
        lock.withLock { current }
    }

    /// Moves the clock forward (or back, for a negative duration).
    ///
    /// - Parameter duration: How far to move it.
    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let interval = Double(seconds) + Double(attoseconds) / 1e18
        lock.withLock { current = current.addingTimeInterval(interval) }
    }

    /// Sets the clock to a moment.
    ///
    /// - Parameter moment: The new moment.
    public func set(to moment: Date) {
        lock.withLock { current = moment }
    }
}
