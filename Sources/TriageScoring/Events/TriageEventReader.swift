import CareCore
public import Foundation

/// Reads an emergency department's event stream: newline-delimited JSON, one event per line.
///
/// Each line is one flat JSON object. Every event has `time` (an RFC 3339 instant with its offset, such as
/// `2026-11-25T09:14:00Z`), `event` and `patient` (the attendance identifier: up to 64 letters, digits, `-` and `.`,
/// never an NHS number). The other keys depend on the event:
///
/// | `event` | Required | Optional |
/// |---|---|---|
/// | `arrival` | `category` (`red` … `blue`), `triagedBy`, `mode` (`ambulance`, `walk-in`, `referred`) | `flowchart`, `discriminator` |
/// | `observations` | at least one observation | `respirationRate`, `oxygenSaturation`, `airOrOxygen` (`air`, `oxygen`), `systolicBloodPressure`, `pulse`, `consciousness` (`A`, `C`, `V`, `P`, `U`), `temperature`, `scale2PrescribedBy` |
/// | `retriage` | `category`, `clinician` | `reason` (required to lower a category) |
/// | `treatment` | | |
/// | `departure` | | |
///
/// Observations may be `null` or left out; a set missing any of the seven NEWS2 parameters is recorded as
/// incomplete and not scored. `scale2PrescribedBy` names who prescribed SpO2 Scale 2; without it Scale 1 is
/// used. Unknown keys, a key given twice, a wrong type, and an unknown event are errors. Blank lines are
/// skipped. A line may hold at most 65,536 bytes.
///
/// ```
/// {"time":"2026-11-25T09:00:00Z","event":"arrival","patient":"ED-0001","category":"yellow","triagedBy":"triage-rn","mode":"ambulance"}
/// {"time":"2026-11-25T09:05:00Z","event":"observations","patient":"ED-0001","respirationRate":24,"oxygenSaturation":93,"airOrOxygen":"air","systolicBloodPressure":98,"pulse":118,"consciousness":"A","temperature":38.6}
/// {"time":"2026-11-25T09:20:00Z","event":"treatment","patient":"ED-0001"}
/// ```
///
/// Errors name the line and the key at fault, never the value.
public enum TriageEventReader: Sendable {
    /// Parses one line.
    ///
    /// - Parameters:
    ///   - line: The line's bytes, without its line break.
    ///   - number: Its one-based line number.
    /// - Returns: The event, or `nil` for a blank line.
    /// - Throws: ``TriageScoringError`` with code ``TriageScoringError/Code/malformedEvent`` naming the line and
    ///   key.
    public static func event(
        from line: some Collection<UInt8>,
        lineNumber number: Int
    ) throws(TriageScoringError) -> TriageEvent? {
        guard line.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) else { return nil }
        do {
            let object = try FlatJSONObject(parsing: line)
            return try event(from: object, line: number)
        } catch {
            throw error.onLine(number)
        }
    }

    /// Parses a whole stream held in memory.
    ///
    /// - Parameter text: The stream.
    /// - Returns: Its events, in order.
    /// - Throws: ``TriageScoringError`` for the first bad line.
    public static func events(in text: String) throws(TriageScoringError) -> [TriageEvent] {
        var events: [TriageEvent] = []
        var number = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            if let event = try event(from: line, lineNumber: number) { events.append(event) }
        }
        return events
    }

    /// Reads a stream from a file handle in chunks, handing each event on as it is read, so memory does not
    /// grow with the stream's length.
    ///
    /// - Parameters:
    ///   - handle: The stream, such as standard input or an opened file.
    ///   - body: Called with each event in order; an error it throws stops the reading.
    /// - Throws: ``TriageScoringError`` for the first bad line, for an error from `body`, or with code
    ///   ``TriageScoringError/Code/invalidValue`` when the stream cannot be read.
    public static func forEachEvent(
        in handle: FileHandle,
        _ body: (TriageEvent) throws(TriageScoringError) -> Void
    ) throws(TriageScoringError) {
        var lines = ChunkedLineReader(handle: handle, maximumLineBytes: FlatJSONObject.maximumBytes)
        while true {
            let line: (number: Int, bytes: ArraySlice<UInt8>)?
            do {
                line = try lines.next()
            } catch {
                switch error {
                case .unreadable:
                    throw TriageScoringError(.invalidValue, field: .root, reason: "the event stream could not be read")
                case .lineTooLong(let number):
                    throw FlatJSONObject.error(reason: "an event line may hold at most 65,536 bytes").onLine(number)
                }
            }
            guard let line else { return }
            if let event = try event(from: line.bytes, lineNumber: line.number) { try body(event) }
        }
    }

    // MARK: Fields

    private static let commonKeys: Set<String> = ["time", "event", "patient"]
    /// The keys each event may hold besides the common ones: the one list the reader checks against.
    private static let keysOfEvent: [String: Set<String>] = [
        "arrival": ["category", "triagedBy", "mode", "flowchart", "discriminator"],
        "observations": [
            "respirationRate", "oxygenSaturation", "airOrOxygen", "systolicBloodPressure", "pulse", "consciousness",
            "temperature", "scale2PrescribedBy",
        ],
        "retriage": ["category", "clinician", "reason"],
        "treatment": [],
        "departure": [],
    ]
    private static let knownKeys = keysOfEvent.values.reduce(commonKeys) { $0.union($1) }

    private static func event(from object: FlatJSONObject, line: Int) throws(TriageScoringError) -> TriageEvent {
        let time = try instant(object, "time")
        let kind = try requiredText(object, "event")
        let patientText = try requiredText(object, "patient")
        guard let patient = TriageQueue.PatientID(patientText) else {
            throw malformed("patient", "an attendance identifier is up to 64 letters, digits, '-' and '.'")
        }
        do {
            try TriageQueue.refuseNHSNumberShape(patientText)
        } catch {
            throw malformed("patient", error.reason)
        }
        let action: TriageEvent.Action
        switch kind {
        case "arrival":
            let modeText = try requiredText(object, "mode")
            guard let mode = ArrivalMode(rawValue: modeText) else {
                throw malformed("mode", "the mode is ambulance, walk-in or referred")
            }
            let assignment = CategoryAssignment(
                try category(object),
                assessedBy: try requiredText(object, "triagedBy"),
                at: time,
                flowchart: try optionalText(object, "flowchart"),
                discriminator: try optionalText(object, "discriminator")
            )
            action = .arrival(assignment, mode)
        case "observations":
            action = .observations(try observations(object, at: time))
        case "retriage":
            let decision = ClinicianDecision(
                clinician: try requiredText(object, "clinician"),
                reason: try optionalText(object, "reason")
            )
            action = .retriage(try category(object), decision)
        case "treatment":
            action = .treatment
        case "departure":
            action = .departure
        default:
            throw malformed("event", "the event is arrival, observations, retriage, treatment or departure")
        }
        let allowed = keysOfEvent[kind] ?? []
        for member in object.members where !commonKeys.contains(member.key) && !allowed.contains(member.key) {
            // A key no event has may hold anything, even patient data: it is never repeated.
            guard knownKeys.contains(member.key) else {
                throw TriageScoringError(.malformedEvent, field: .root, reason: "the line holds a key no event has")
            }
            throw malformed(member.key, "this key is not part of a \(kind) event")
        }
        return TriageEvent(line: line, time: time, patient: patient, action: action)
    }

    private static func observations(
        _ object: FlatJSONObject,
        at time: Date
    ) throws(TriageScoringError) -> NEWS2Observations {
        var set = NEWS2Observations()
        set.respirationRate = try number(object, "respirationRate")
        set.oxygenSaturation = try number(object, "oxygenSaturation")
        set.systolicBloodPressure = try number(object, "systolicBloodPressure")
        set.pulse = try number(object, "pulse")
        set.temperature = try number(object, "temperature")
        if let text = try optionalText(object, "airOrOxygen") {
            guard let value = AirOrOxygen(rawValue: text) else { throw malformed("airOrOxygen", "air or oxygen") }
            set.airOrOxygen = value
        }
        if let text = try optionalText(object, "consciousness") {
            guard let value = ACVPU(rawValue: text) else {
                throw malformed("consciousness", "consciousness is one of A, C, V, P and U")
            }
            set.consciousness = value
        }
        if let prescriber = try optionalText(object, "scale2PrescribedBy") {
            do {
                set.scale = .scale2(try Scale2Prescription(prescribedBy: prescriber, recordedAt: time))
            } catch {
                throw malformed("scale2PrescribedBy", error.reason)
            }
        }
        guard set.missing.count < NEWS2Parameter.allCases.count else {
            throw malformed("observations", "an observations event needs at least one observation")
        }
        return set
    }

    private static func malformed(_ key: String, _ reason: String) -> TriageScoringError {
        TriageScoringError(.malformedEvent, field: FieldPath(components: [.field(key)]), reason: reason)
    }

    private static func requiredText(_ object: FlatJSONObject, _ key: String) throws(TriageScoringError) -> String {
        guard let text = try optionalText(object, key) else { throw malformed(key, "this key is required") }
        return text
    }

    private static func optionalText(_ object: FlatJSONObject, _ key: String) throws(TriageScoringError) -> String? {
        switch object[key] {
        case nil, .null: return nil
        case .string(let text):
            guard !text.allSatisfy(\.isWhitespace) else { throw malformed(key, "the text is empty") }
            return text
        default: throw malformed(key, "the value must be a string")
        }
    }

    private static func number(_ object: FlatJSONObject, _ key: String) throws(TriageScoringError) -> Double? {
        switch object[key] {
        case nil, .null: return nil
        case .number(let text):
            guard let value = Double(text) else { throw malformed(key, "the value must be a number") }
            return value
        default: throw malformed(key, "the value must be a number")
        }
    }

    private static func category(_ object: FlatJSONObject) throws(TriageScoringError) -> TriageCategory {
        guard let category = TriageCategory(colour: try requiredText(object, "category")) else {
            throw malformed("category", "the category is red, orange, yellow, green or blue")
        }
        return category
    }

    private static func instant(_ object: FlatJSONObject, _ key: String) throws(TriageScoringError) -> Date {
        let text = try requiredText(object, key)
        do {
            return try Instant(parsing: text).date
        } catch {
            throw malformed(key, "the time must be an RFC 3339 instant with its offset, such as 2026-11-25T09:14:00Z")
        }
    }
}
