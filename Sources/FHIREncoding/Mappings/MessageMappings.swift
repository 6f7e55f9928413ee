public import Appointments
public import CareCore
import Foundation

// Appointment messages and planned reminders <-> UK Core Communication (issue #9).
//
// Element by element:
// - what the message is about <-> `category`: HL7's communication-category (`reminder`, `alert` for a child
//   not brought, `notification` otherwise) and the suite's appointment-message-kind code;
// - the patient <-> `subject`, and `recipient` when the message is for them; the appointment <-> `about`;
// - the channel <-> `medium`, a code in the suite's communication-channel system;
// - the subject line <-> `topic.text`; the full text <-> `payload[0].contentString`;
// - the structured facts, the one-line summary, large print and a planned reminder's kind, time and whether
//   quiet hours moved it <-> the suite's `appointment-message` extension.
// A new Communication is `preparation` (ready to send); the sending system moves it on, and writing back
// keeps its status, `sent`, `sender` and everything else the message has no place for.

/// HL7's communication-category code system.
private let communicationCategorySystem = "http://terminology.hl7.org/CodeSystem/communication-category"

extension AppointmentMessage {
    /// Reads an appointment message from a Communication the suite wrote.
    ///
    /// - Parameter communication: The R4 Communication.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a modifier
    ///   extension or `implicitRules`, a status of `entered-in-error`, no suite `appointment-message`
    ///   extension or a part of it missing, repeated or of the wrong type, no kind, no appointment in
    ///   `about`, no subject line or text, or what the message itself refuses.
    public init(fhir communication: R4.Communication) throws(FHIREncodingError) {
        let parts = try MessageParts.read(communication)
        guard
            let code = try Mapping.code(
                in: communication.category,
                system: CodeSystem(rawValue: R4.SuiteCodeSystem.appointmentMessageKind.rawValue),
                at: FieldPath("category")
            )
        else {
            throw .unmappable(FieldPath("category"), "the message needs a kind in the suite's appointment-message-kind")
        }
        guard let kind = Kind(rawValue: code) else {
            throw .unmappable(FieldPath("category"), "the message kind is not one the Appointments module has")
        }
        let appointment = try Self.appointment(communication.about)
        let content = Content(
            restoring: appointment,
            service: try parts.string("service"),
            starts: try parts.time("starts"),
            delivery: try parts.code("delivery"),
            place: try parts.optionalString("place"),
            previousStart: try parts.optionalTime("previousStart"),
            previousDelivery: try parts.optionalCode("previousDelivery"),
            cancelledBy: try parts.optionalCode("cancelledBy"),
            contact: try parts.string("contact")
        )
        guard let subject = try Mapping.text(communication.topic?.text, at: FieldPath("topic.text")), !subject.isEmpty
        else {
            throw .unmappable(FieldPath("topic.text"), "the message needs a subject line")
        }
        guard case .string(let text)? = communication.payload.first?.content,
            let body = try Mapping.text(text, at: FieldPath("payload[0].contentString"))
        else {
            throw .unmappable(FieldPath("payload"), "the message needs its text as the first payload's contentString")
        }
        let channel = try Self.channel(communication.medium, parts: parts)
        let audience: Audience = try parts.code("audience")
        let largePrint = try parts.optionalBoolean("largePrint") ?? false
        let summary = try parts.string("summary")
        do {
            try self.init(
                restoring: kind,
                audience: audience,
                channel: channel,
                largePrint: largePrint,
                content: content,
                subject: subject,
                summary: summary,
                body: body
            )
        } catch {
            switch error.field.description {
            case "message.summary": throw .unmappable(parts.place("summary"), error.reason)
            case "message.audience": throw .unmappable(parts.place("audience"), error.reason)
            default: throw .unmappable(FieldPath("payload"), error.reason)
            }
        }
    }

    /// The one Appointment in `about`, refusing none or two.
    private static func appointment(_ about: [R4.Reference]) throws(FHIREncodingError) -> Appointment.ID {
        var found: Appointment.ID?
        for (index, reference) in about.enumerated() {
            let place = FieldPath("about").appending(index: index)
            guard try Mapping.target(reference, at: place)?.type == "Appointment" else { continue }
            guard found == nil else { throw .unmappable(place, "a message is about one appointment") }
            found = try Mapping.entityID(reference, of: "Appointment", at: place)
        }
        guard let found else {
            throw .unmappable(FieldPath("about"), "the message needs a reference to its Appointment")
        }
        return found
    }

    /// The channel coded in `medium`, with its digital flag from the message's parts unless the suite
    /// defines the channel.
    fileprivate static func channel(
        _ medium: [R4.CodeableConcept],
        parts: ExtensionParts
    ) throws(FHIREncodingError) -> CommunicationChannel? {
        guard
            let code = try Mapping.code(
                in: medium,
                system: CodeSystem(rawValue: R4.SuiteCodeSystem.communicationChannel.rawValue),
                at: FieldPath("medium")
            )
        else { return nil }
        let known = CommunicationChannel.known.first { $0.rawValue == code }
        guard let digital = try parts.optionalBoolean("digital") ?? known?.isDigital else {
            throw .unmappable(parts.place("digital"), "a channel the suite does not define needs its digital flag")
        }
        return CommunicationChannel(rawValue: code, isDigital: digital)
    }
}

extension Reminder {
    /// Reads the planned reminder a Communication was written with, or gives `nil` when it records no plan.
    ///
    /// - Parameter communication: The R4 Communication.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for a plan with a part missing or of the wrong
    ///   type, with no channel in `medium`, or with a channel the suite does not define and no digital flag.
    public init?(fhir communication: R4.Communication) throws(FHIREncodingError) {
        let parts = try MessageParts.read(communication)
        guard let kind: Kind = try parts.optionalCode("reminderKind") else { return nil }
        guard
            let channel = try AppointmentMessage.channel(communication.medium, parts: parts)
        else {
            throw .unmappable(FieldPath("medium"), "a planned reminder needs its channel")
        }
        self.init(
            restoring: kind,
            sendAt: try parts.instant("sendAt"),
            channel: channel,
            movedForQuietHours: try parts.optionalBoolean("movedForQuietHours") ?? false
        )
    }
}

/// Reads the suite's `appointment-message` extension of a Communication with the shared ``ExtensionParts``.
private enum MessageParts {
    /// The extension's parts, refusing first what makes the Communication unusable: modifier extensions,
    /// `implicitRules`, or a status of `entered-in-error`; then a part that is repeated or has no value.
    static func read(_ communication: R4.Communication) throws(FHIREncodingError) -> ExtensionParts {
        try Mapping.refuseModifiers(communication.modifierExtension, implicitRules: communication.implicitRules)
        if communication.status.value == "entered-in-error" {
            throw .unmappable(FieldPath("status"), "a message recorded in error must not be acted on")
        }
        guard
            let (index, element) = try Mapping.single(
                R4.SuiteExtension.appointmentMessage.rawValue,
                in: communication.extension,
                at: .root
            )
        else {
            throw .unmappable(
                FieldPath("extension"),
                "the Communication is not an appointment message: the suite's appointment-message extension is missing"
            )
        }
        let place = FieldPath("extension").appending(index: index)
        var seen: Set<String> = []
        for (position, part) in element.extension.enumerated()
        where part.value == nil || !seen.insert(part.url).inserted {
            throw .unmappable(
                place.appending("extension").appending(index: position),
                "each part of the message is given once, with a value"
            )
        }
        return ExtensionParts(element, at: place, noun: "message")
    }
}

extension ExtensionParts {
    fileprivate func optionalTime(_ name: String) throws(FHIREncodingError) -> LocalDateTime? {
        guard let text = try optionalString(name) else { return nil }
        guard let time = LocalDateTime(text) else {
            throw .unmappable(place(name), "the \(noun)'s \(name) needs a wall-clock time as YYYY-MM-DDThh:mm:ss")
        }
        return time
    }

    fileprivate func time(_ name: String) throws(FHIREncodingError) -> LocalDateTime {
        guard let time = try optionalTime(name) else { throw missing(name) }
        return time
    }
}

extension LocalDateTime {
    /// Parses `YYYY-MM-DDThh:mm:ss`, as ``description`` writes it.
    fileprivate init?(_ text: String) {
        let halves = text.split(separator: "T", omittingEmptySubsequences: false)
        guard halves.count == 2, let date = try? CivilDate(parsing: String(halves[0])) else { return nil }
        let clock = halves[1].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
            let time = try? LocalDateTime(date: date, hour: hour, minute: minute, second: second)
        else { return nil }
        self = time
    }
}

extension R4.Communication {
    /// Writes an appointment message as a UK Core Communication, `preparation` until the sending system
    /// records it as sent.
    ///
    /// Written over the Communication it was read from, the original is kept whole when the message, the
    /// patient and the reminder read from it are unchanged; otherwise what the message has no place for
    /// (status, `sent`, `sender`, notes, identifiers) is kept and the narrative is dropped.
    ///
    /// - Parameters:
    ///   - message: The message.
    ///   - patient: The patient it is about (and for, unless it is for the care team).
    ///   - reminder: The planned reminder it was written for, if any.
    ///   - id: The Communication's id, if it has one.
    ///   - original: The Communication it was read from, if any.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for a reminder on another channel than its
    ///   message, an empty text (FHIR strings are never empty), or a reminder time no FHIR instant can hold.
    public init(
        _ message: AppointmentMessage,
        patient: Appointment.PatientID,
        reminder: Reminder? = nil,
        id: EntityID<AppointmentMessage>? = nil,
        keeping original: R4.Communication? = nil
    ) throws(FHIREncodingError) {
        if let reminder, reminder.channel != message.channel {
            throw .unmappable(FieldPath("medium"), "a reminder's message goes on the reminder's channel")
        }
        try Self.refuseEmptyText(message)
        let subject = R4.Reference("Patient", id: patient.rawValue)
        // The digital flag is compared too: channels are equal by code alone.
        if var kept = original, let read = try? AppointmentMessage(fhir: kept), read == message,
            read.channel?.isDigital == message.channel?.isDigital,
            (try? Reminder(fhir: kept)) == reminder,
            (try? Mapping.entityID(kept.subject, of: "Patient", at: .root)) == patient
        {
            kept.id = id?.rawValue ?? kept.id
            kept.meta = Mapping.meta(kept.meta, claiming: .communication)
            self = kept
            return
        }
        self = original ?? R4.Communication(status: "preparation")
        self.id = id?.rawValue ?? original?.id
        meta = Mapping.meta(original?.meta, claiming: .communication)
        text = nil
        // Each element keeps what the message does not write: other categories, media, recipients, the
        // references `about` other resources, the topic's codings and further payloads.
        let categorySystems = [communicationCategorySystem, R4.SuiteCodeSystem.appointmentMessageKind.rawValue]
        category =
            [
                Mapping.concept(communicationCategorySystem, Self.category(message.kind)),
                Mapping.concept(R4.SuiteCodeSystem.appointmentMessageKind.rawValue, message.kind.rawValue),
            ]
            + category.filter { concept in
                !concept.coding.contains { categorySystems.contains($0.system?.value ?? "") }
            }
        let channelSystem = R4.SuiteCodeSystem.communicationChannel.rawValue
        medium =
            (message.channel.map { [Mapping.concept(channelSystem, $0.rawValue)] } ?? [])
            + medium.filter { concept in !concept.coding.contains { $0.system?.value == channelSystem } }
        self.subject = subject
        let others = recipient.filter { (try? Mapping.target($0, at: .root))?.type != "Patient" }
        recipient = (message.audience == .patient ? [subject] : []) + others
        about =
            [R4.Reference("Appointment", id: message.content.appointment.rawValue)]
            + about.filter { (try? Mapping.target($0, at: .root))?.type != "Appointment" }
        var topic = self.topic ?? R4.CodeableConcept()
        topic.text = R4.Primitive(message.subject)
        self.topic = topic
        let body = R4.Communication.Payload(content: .string(R4.Primitive(message.body)))
        if case .string? = payload.first?.content {
            payload[0] = body
        } else {
            payload.insert(body, at: 0)
        }
        let parts = try Self.parts(message, reminder: reminder)
        // Parts a later version of the suite may add are kept.
        let known = Set(parts.extension.map(\.url) + Self.partNames)
        var element = parts
        if let previous = self.extension.first(where: { $0.url == parts.url }) {
            element.extension += previous.extension.filter { !known.contains($0.url) }
        }
        self.extension = Mapping.setting(parts.url, to: element, in: self.extension)
    }

    /// Every part name of the suite's `appointment-message` extension.
    private static let partNames = [
        "audience", "service", "starts", "delivery", "place", "previousStart", "previousDelivery", "cancelledBy",
        "contact", "summary", "largePrint", "digital", "reminderKind", "sendAt", "movedForQuietHours",
    ]

    /// Refuses text FHIR cannot carry: a string element is never empty.
    private static func refuseEmptyText(_ message: AppointmentMessage) throws(FHIREncodingError) {
        let content = message.content
        // Each is named by the element it would be written to; the facts go in the suite's extension.
        let texts: [(field: String, name: String, text: String?)] = [
            ("topic.text", "subject", message.subject), ("payload", "body", message.body),
            ("extension", "service", content.service), ("extension", "place", content.place),
            ("extension", "contact", content.contact), ("extension", "summary", message.summary),
        ]
        for (field, name, text) in texts where text?.isEmpty == true {
            throw .unmappable(FieldPath(field), "the message's \(name) is empty, which FHIR cannot carry")
        }
    }

    private static func category(_ kind: AppointmentMessage.Kind) -> String {
        switch kind {
        case .reminder: return "reminder"
        case .wasNotBrought: return "alert"
        case .confirmation, .change, .cancellation, .didNotAttend: return "notification"
        }
    }

    private static func parts(
        _ message: AppointmentMessage,
        reminder: Reminder?
    ) throws(FHIREncodingError) -> R4.Extension {
        let content = message.content
        var parts: [(String, R4.Extension.Value?)] = [
            ("audience", .code(R4.Primitive(message.audience.rawValue))),
            ("service", .string(R4.Primitive(content.service))),
            ("starts", .string(R4.Primitive(content.starts.description))),
            ("delivery", .code(R4.Primitive(content.delivery.rawValue))),
            ("place", content.place.map { .string(R4.Primitive($0)) }),
            ("previousStart", content.previousStart.map { .string(R4.Primitive($0.description)) }),
            ("previousDelivery", content.previousDelivery.map { .code(R4.Primitive($0.rawValue)) }),
            ("cancelledBy", content.cancelledBy.map { .code(R4.Primitive($0.rawValue)) }),
            ("contact", .string(R4.Primitive(content.contact))),
            ("summary", .string(R4.Primitive(message.summary))),
            ("largePrint", message.largePrint ? .boolean(true) : nil),
        ]
        if let channel = message.channel,
            !CommunicationChannel.known.contains(where: { $0.rawValue == channel.rawValue })
        {
            parts.append(("digital", .boolean(R4.Primitive(channel.isDigital))))
        }
        if let reminder {
            parts.append(("reminderKind", .code(R4.Primitive(reminder.kind.rawValue))))
            parts.append(("sendAt", .instant(try Mapping.moment(reminder.sendAt, at: FieldPath("extension")))))
            if reminder.movedForQuietHours { parts.append(("movedForQuietHours", .boolean(true))) }
        }
        return R4.Extension(
            url: R4.SuiteExtension.appointmentMessage.rawValue,
            extension: parts.compactMap { name, value in value.map { R4.Extension(url: name, value: $0) } }
        )
    }
}
