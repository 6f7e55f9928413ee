/// How much a log record matters, from tracing detail to a failure someone must act on.
public enum LogLevel: Int, Comparable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Detail for tracing a problem, off by default.
    case debug
    /// Something worth knowing happened, such as a change written.
    case info
    /// Something a privacy officer or operator should see, such as emergency access granted.
    case notice
    /// Something went wrong or was declined but the service carries on, such as a block too large to match.
    case warning
    /// An operation failed, such as a store refusing a write.
    case error

    /// The level's name in lower case: `debug`, `info`, `notice`, `warning`, `error`.
    public var description: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        }
    }

    /// Orders levels from `debug` to `error`.
    ///
    /// - Parameters:
    ///   - lhs: A level.
    ///   - rhs: Another level.
    /// - Returns: Whether `lhs` matters less than `rhs`.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A value in a log record's fields. Identifiers, codes and counts are shown; patient data travels as
/// ``redacted(_:)`` and shows as `<redacted>` wherever the record is printed.
public enum LogValue: Hashable, Sendable, CustomStringConvertible {
    /// Text that is not patient data: an identifier the service made, a code, a status.
    case text(String)
    /// A whole number, such as a count or a size.
    case integer(Int)
    /// A number, such as a duration in seconds.
    case number(Double)
    /// A yes or no.
    case flag(Bool)
    /// Patient data: kept for a sink that is allowed to see it (through ``Redacted/value``), never printed.
    case redacted(Redacted<String>)

    /// The value as it appears in a log line: a number, `true`/`false`, `<redacted>`, or text, quoted with
    /// JSON's escapes when it is empty or holds a space, `=`, a quote, a backslash or a control character, so
    /// that no value can run into the next field or forge a line.
    public var description: String {
        switch self {
        case .text(let text): Self.quotedIfNeeded(text)
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .flag(let value): String(value)
        case .redacted(let value): value.description
        }
    }

    private static func quotedIfNeeded(_ text: String) -> String {
        let plain =
            !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.value > 0x20 && scalar.value != 0x7F && scalar != "=" && scalar != "\"" && scalar != "\\"
                    && !(0x80...0x9F).contains(scalar.value) && scalar != "\u{2028}" && scalar != "\u{2029}"
            }
        guard !plain else { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case _
            where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar == "\u{2028}" || scalar == "\u{2029}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                quoted += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// Patient data, redacted.
    ///
    /// Pass the text itself (`nhsNumber.digits`, `postcode.formatted`, a patient identifier's value), not a
    /// description: the suite's people types describe themselves as `<redacted>`, which would leave a sink
    /// entitled to the value with nothing.
    ///
    /// - Parameter text: Anything that identifies or describes a person: a name, an NHS number, a date of
    ///   birth, a postcode, a patient's identifier.
    /// - Returns: The text, redacted.
    public static func patient(_ text: String) -> LogValue {
        .redacted(Redacted(text))
    }
}

/// One thing a module reports: its level, the module, what happened in fixed words, and structured fields.
///
/// The event is a `StaticString`, so it can never be built by interpolating data; anything that varies goes
/// in ``fields``, where patient data is ``LogValue/redacted(_:)``.
public struct LogRecord: Hashable, Sendable, CustomStringConvertible {
    /// How much it matters.
    public let level: LogLevel
    /// The module that reported it, such as `PatientIdentity`.
    public let module: String
    /// What happened, in fixed words: `appointment book change written`.
    public let event: String
    /// The details, in the order the module gave them.
    public let fields: [Field]

    /// One named detail of a record.
    public struct Field: Hashable, Sendable {
        /// The detail's name, such as `appointments`.
        public let name: String
        /// Its value.
        public let value: LogValue

        /// Creates a field.
        ///
        /// - Parameters:
        ///   - name: The detail's name.
        ///   - value: Its value.
        public init(_ name: String, _ value: LogValue) {
            self.name = name
            self.value = value
        }
    }

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - level: How much it matters.
    ///   - module: The module reporting it.
    ///   - event: What happened, in fixed words.
    ///   - fields: The details.
    public init(level: LogLevel, module: String, event: StaticString, fields: [Field] = []) {
        self.level = level
        self.module = module
        self.event = event.description
        self.fields = fields
    }

    /// The value of a field, if the record has it.
    ///
    /// - Parameter name: The field's name.
    /// - Returns: Its value.
    public subscript(name: String) -> LogValue? {
        fields.first { $0.name == name }?.value
    }

    /// The record as one line, patient data shown as `<redacted>`:
    /// `warning PatientIdentity: deduplication skipped blocks over the size limit blocks=3 largest=100000 limit=1000`.
    public var description: String {
        ([("\(level) \(module): \(event)")] + fields.map { "\($0.name)=\($0.value)" }).joined(separator: " ")
    }
}

/// Where log records go: the host application provides one, to forward records to its own logging (swift-log,
/// `os.Logger`, a collector). A sink may see patient data only by reading ``Redacted/value`` on purpose.
public protocol LogSink: Sendable {
    /// Takes one record. Called on whatever thread or task the module is running on, so it must not block for
    /// long.
    ///
    /// - Parameter record: The record.
    func receive(_ record: LogRecord)
}

/// How a module reports: a minimum level and the host's sink. Named `CareLogger` so that it does not clash with
/// swift-log's or `os`'s `Logger` in a host file that imports both. The default, ``disabled``, drops
/// everything, so nothing is logged unless the host asks.
///
/// ```swift
/// let recorder = LogRecorder()
/// var index = PatientIndex()
/// index.logger = CareLogger(sink: recorder, minimumLevel: .info)
/// _ = index.deduplicate()
/// for record in recorder.records { print(record) }   // patient data shows as <redacted>
/// ```
public struct CareLogger: Sendable {
    /// The least serious level passed to the sink.
    public let minimumLevel: LogLevel
    private let sink: (any LogSink)?

    /// Creates a logger that passes records at or above a level to a sink.
    ///
    /// - Parameters:
    ///   - sink: Where records go.
    ///   - minimumLevel: The least serious level to pass on; `info` unless given.
    public init(sink: any LogSink, minimumLevel: LogLevel = .info) {
        self.sink = sink
        self.minimumLevel = minimumLevel
    }

    private init() {
        sink = nil
        minimumLevel = .error
    }

    /// A logger that drops everything: the default of every module.
    public static let disabled = CareLogger()

    /// Whether a record at a level would reach the sink, so that a module can skip working out its fields.
    ///
    /// - Parameter level: The level.
    /// - Returns: Whether records at that level are passed on.
    public func isEnabled(_ level: LogLevel) -> Bool {
        sink != nil && level >= minimumLevel
    }

    /// Reports something.
    ///
    /// - Parameters:
    ///   - level: How much it matters.
    ///   - module: The reporting module.
    ///   - event: What happened, in fixed words.
    ///   - fields: The details, patient data as ``LogValue/redacted(_:)``; worked out only when the level is
    ///     enabled.
    public func log(
        _ level: LogLevel,
        module: String,
        _ event: StaticString,
        _ fields: @autoclosure () -> [LogRecord.Field] = []
    ) {
        guard let sink, level >= minimumLevel else { return }
        sink.receive(LogRecord(level: level, module: module, event: event, fields: fields()))
    }
}

/// A sink that keeps every record in memory, for tests. It never forgets a record, so it grows without limit:
/// do not leave one attached to a running service.
public final class LogRecorder: LogSink {
    private let kept = Locked<[LogRecord]>([])

    /// Creates an empty recorder.
    public init() {}

    /// Every record received, in order.
    public var records: [LogRecord] { kept.withLock { $0 } }

    /// Keeps a record.
    ///
    /// - Parameter record: The record.
    public func receive(_ record: LogRecord) {
        kept.withLock { $0.append(record) }
    }
}
