public import CareCore

/// The error type of CareStore: a code, the place at fault and a reason; never patient data, never a
/// resource's content and never a file path.
///
/// ```swift
/// do {
///     _ = try await store.update(changed, expectedVersion: 3)
/// } catch {
///     print(error)  // version-conflict at Appointment/a1: the resource has changed since version 3 was read
/// }
/// ```
public struct CareStoreError: CareError, Hashable {
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

        /// No resource has this type and id, or no version has this number.
        public static let notFound = Code(rawValue: "not-found")
        /// The resource was deleted: its latest version is a tombstone.
        public static let gone = Code(rawValue: "gone")
        /// A resource with this type and id already exists.
        public static let alreadyExists = Code(rawValue: "already-exists")
        /// The resource changed since the version the caller read.
        public static let versionConflict = Code(rawValue: "version-conflict")
        /// An active appointment already holds one of the slots: the store forbids double booking.
        public static let slotTaken = Code(rawValue: "slot-taken")
        /// The resource or request is not valid: no id where one is needed, a resource type that does not
        /// match, a transaction naming one resource twice.
        public static let invalidRequest = Code(rawValue: "invalid-request")
        /// Another connection holds the lock for longer than the store waits.
        public static let busy = Code(rawValue: "busy")
        /// The disk or the database is full.
        public static let full = Code(rawValue: "full")
        /// The database is read-only: its file, its folder or the connection.
        public static let readOnly = Code(rawValue: "read-only")
        /// The database file is damaged, is not a database, or was written by a newer version of the suite.
        public static let corrupt = Code(rawValue: "corrupt")
        /// The database could not be opened, read or written for another reason.
        public static let io = Code(rawValue: "io")

        /// The code's stable text.
        public var description: String { rawValue }
    }

    /// What kind of fault this is.
    public let code: Code
    /// Where the fault is: a resource as `Type/id`, an element of a resource, or the root for the store.
    public let field: FieldPath
    /// The library's explanation, free of patient data.
    public let reason: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of fault this is.
    ///   - field: Where the fault is.
    ///   - reason: The explanation, free of patient data.
    public init(_ code: Code, field: FieldPath = .root, reason: String) {
        self.code = code
        self.field = field
        self.reason = reason
    }

    /// The code's stable text, such as `not-found`: what `CareError.codeText` gives to code that handles errors of
    /// several modules alike.
    public var codeText: String { code.rawValue }

    /// The error as one line: code, place and reason.
    public var description: String {
        field.components.isEmpty ? "\(code): \(reason)" : "\(code) at \(field): \(reason)"
    }
}

extension FieldPath {
    /// The place of a resource, `Type/id`, as one field: where a store's errors point.
    ///
    /// - Parameters:
    ///   - type: The resource type.
    ///   - id: The logical id.
    /// - Returns: The path.
    public static func resource(_ type: String, _ id: String) -> FieldPath {
        FieldPath("\(type)/\(id)")
    }
}
