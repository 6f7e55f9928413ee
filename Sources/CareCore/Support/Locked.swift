import Foundation

/// A value shared between threads behind a lock, for the suite's synchronous types that hold state
/// (stores, the audit log, the manual clock).
///
/// The lock is an `NSLock`, a pthread mutex, rather than `Synchronization.Mutex`. On Linux a contended
/// `Mutex` is handed over inside the kernel (a priority-inheriting futex), in code ThreadSanitizer cannot
/// see, so the sanitizer reports races between accesses the lock does order. Those false reports come and
/// go with the machine's load, and they would hide real races in the concurrency tests that CI runs under
/// the sanitizer.
///
/// `@unchecked Sendable` because its one mutable property, `value`, is read and written only inside
/// ``withLock(_:)``, while `lock` is held; the value and every result leave the lock as `sending`, as they
/// would from `Mutex`.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    /// Creates the lock around a first value.
    ///
    /// - Parameter value: The value.
    package init(_ value: sending Value) {
        self.value = value
    }

    /// Runs `body` with the value while holding the lock.
    ///
    /// - Parameter body: The work, which may change the value.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    package func withLock<Result, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
