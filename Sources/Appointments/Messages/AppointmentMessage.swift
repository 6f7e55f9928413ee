public import CareCore
import Foundation

/// A message about an appointment: structured content a system can render in its own templates, and
/// plain-language text ready to send.
///
/// Messages never include the appointment's free-text description or comment, which staff may have filled
/// with clinical detail, nor the patient's name: they say what, when and how, and what to do next.
public struct AppointmentMessage: Hashable, Sendable {
    /// What the message is about.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A new booking.
        case confirmation
        /// A reminder before the appointment.
        case reminder
        /// A move to another time or channel.
        case change
        /// A cancellation.
        case cancellation
        /// A missed appointment, to an adult patient.
        case didNotAttend = "did-not-attend"
        /// A child or young person was not brought: for the care team to follow up, never sent to the family
        /// automatically.
        case wasNotBrought = "was-not-brought"
    }

    /// Who the message is for.
    public enum Audience: String, Hashable, Sendable, Codable {
        /// The patient, or the person who manages their appointments.
        case patient
        /// The team responsible for the patient's care.
        case careTeam = "care-team"
    }

    /// The facts the message states, for systems that render their own templates.
    public struct Content: Hashable, Sendable {
        /// The appointment.
        public let appointment: Appointment.ID
        /// The service, as patients know it.
        public let service: String
        /// When the appointment starts, Europe/London wall-clock time.
        public let starts: LocalDateTime
        /// How it is delivered.
        public let delivery: DeliveryChannel
        /// Where, for an appointment in person.
        public let place: String?
        /// When it started before a change.
        public let previousStart: LocalDateTime?
        /// How it was delivered before a change.
        public let previousDelivery: DeliveryChannel?
        /// Who cancelled, for a cancellation.
        public let cancelledBy: Appointment.Initiator?
        /// How to contact the service.
        public let contact: String
    }

    /// What the message is about.
    public let kind: Kind
    /// Who it is for.
    public let audience: Audience
    /// How to send it: the first of the person's channels, or the care team's own route.
    public let channel: CommunicationChannel?
    /// Whether it must be produced in large print (16 point or larger); the text is laid out in short lines.
    public let largePrint: Bool
    /// The facts.
    public let content: Content
    /// A subject line.
    public let subject: String
    /// One line of at most 160 characters, for a text message.
    public let summary: String
    /// The full text, in plain language.
    public let body: String
}

extension AppointmentMessage.Content {
    /// Restores the facts of a message as a store or a FHIR mapping recorded them. New messages come from
    /// ``AppointmentMessenger``.
    ///
    /// - Parameters:
    ///   - appointment: The appointment.
    ///   - service: The service, as patients know it.
    ///   - starts: When it starts, Europe/London wall-clock time.
    ///   - delivery: How it is delivered.
    ///   - place: Where, for an appointment in person.
    ///   - previousStart: When it started before a change.
    ///   - previousDelivery: How it was delivered before a change.
    ///   - cancelledBy: Who cancelled, for a cancellation.
    ///   - contact: How to contact the service.
    public init(
        restoring appointment: Appointment.ID,
        service: String,
        starts: LocalDateTime,
        delivery: DeliveryChannel,
        place: String?,
        previousStart: LocalDateTime?,
        previousDelivery: DeliveryChannel?,
        cancelledBy: Appointment.Initiator?,
        contact: String
    ) {
        self.init(
            appointment: appointment,
            service: service,
            starts: starts,
            delivery: delivery,
            place: place,
            previousStart: previousStart,
            previousDelivery: previousDelivery,
            cancelledBy: cancelledBy,
            contact: contact
        )
    }
}

extension AppointmentMessage {
    /// Restores a message as a store or a FHIR mapping recorded it. New messages come from
    /// ``AppointmentMessenger``; this initialiser checks only what every message the messenger writes
    /// satisfies.
    ///
    /// - Parameters:
    ///   - kind: What the message is about.
    ///   - audience: Who it is for.
    ///   - channel: How to send it.
    ///   - largePrint: Whether it must be produced in large print.
    ///   - content: The facts.
    ///   - subject: The subject line.
    ///   - summary: The one-line text.
    ///   - body: The full text.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` for a summary longer than 160 characters, an
    ///   empty subject or body, or a "was not brought" message addressed to anyone but the care team.
    public init(
        restoring kind: Kind,
        audience: Audience,
        channel: CommunicationChannel?,
        largePrint: Bool,
        content: Content,
        subject: String,
        summary: String,
        body: String
    ) throws(AppointmentsError) {
        func refuse(_ field: String, _ reason: String) -> AppointmentsError {
            AppointmentsError(.invalidValue, field: FieldPath(field), reason: reason)
        }
        guard summary.count <= 160 else { throw refuse("message.summary", "a summary is at most 160 characters") }
        guard !subject.isEmpty, !body.isEmpty else {
            throw refuse("message.body", "a message needs a subject and a body")
        }
        guard kind != .wasNotBrought || audience == .careTeam else {
            throw refuse("message.audience", "a child not brought is for the care team to follow up, never the family")
        }
        self.init(
            kind: kind,
            audience: audience,
            channel: channel,
            largePrint: largePrint,
            content: content,
            subject: subject,
            summary: summary,
            body: body
        )
    }
}

/// Writes appointment messages in plain language, following the NHS content style for times ("9am",
/// "2:30pm") and dates ("Tuesday 7 July 2026").
///
/// A missed appointment of a patient under ``childAgeLimit`` on the day makes a
/// ``AppointmentMessage/Kind/wasNotBrought`` message for the care team instead of a letter to the family:
/// a child's missed appointments are associated with safeguarding concerns, and UK practice policies exempt
/// under-16s from automated did-not-attend warnings (see `docs/research/access-appointments-anchors.md`).
public struct AppointmentMessenger: Sendable {
    /// The zone wall-clock times are written in: Europe/London.
    public let zone: CivilTimeZone
    /// How to contact the service, as a sentence ending: "call 01872 000000" or "use the NHS App".
    public let contact: String
    /// The names patients know services by, by service type; the service type itself when missing.
    public let serviceNames: [String: String]
    /// Where in-person appointments take place, by schedule.
    public let places: [Schedule.ID: String]
    /// Below this age on the day, a missed appointment is "was not brought": 16 by default.
    public let childAgeLimit: Int

    /// The characters per line of large-print text.
    public static let largePrintLineLength = 40

    /// Creates a messenger.
    ///
    /// - Parameters:
    ///   - zone: Europe/London.
    ///   - contact: How to contact the service, to follow "please" (for example "call 01872 000000").
    ///   - serviceNames: The names patients know services by.
    ///   - places: Where in-person appointments take place, by schedule.
    ///   - childAgeLimit: The age below which a missed appointment is "was not brought".
    public init(
        zone: CivilTimeZone,
        contact: String,
        serviceNames: [String: String] = [:],
        places: [Schedule.ID: String] = [:],
        childAgeLimit: Int = 16
    ) {
        self.zone = zone
        self.contact = contact
        self.serviceNames = serviceNames
        self.places = places
        self.childAgeLimit = childAgeLimit
    }

    /// A confirmation of a new booking.
    ///
    /// - Parameters:
    ///   - appointment: The appointment.
    ///   - preferences: The patient's communication preferences.
    /// - Returns: The message.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` when the start cannot be written in London time.
    public func confirmation(
        for appointment: Appointment,
        preferences: CommunicationPreferences
    ) throws(AppointmentsError) -> AppointmentMessage {
        let content = try content(appointment)
        return message(
            .confirmation,
            content: content,
            preferences: preferences,
            subject: "Appointment booked",
            summary: "Booked: \(content.service), \(when(content.starts)). \(how(content, short: true))",
            paragraphs: [
                "Your appointment is booked.",
                "What: \(content.service)\nWhen: \(when(content.starts))\nHow: \(how(content, short: false))",
                "If you cannot come, please tell us as soon as you can so we can offer the time to someone else: "
                    + "please \(contact).",
            ]
        )
    }

    /// A reminder from a reminder plan.
    ///
    /// - Parameters:
    ///   - reminder: The planned reminder.
    ///   - appointment: The appointment.
    ///   - preferences: The patient's communication preferences.
    /// - Returns: The message, on the reminder's channel.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` when the start cannot be written in London time.
    public func reminder(
        _ reminder: Reminder,
        for appointment: Appointment,
        preferences: CommunicationPreferences
    ) throws(AppointmentsError) -> AppointmentMessage {
        let content = try content(appointment)
        let lead = reminder.kind == .dayBefore ? "tomorrow" : "in one hour"
        let full = message(
            .reminder,
            content: content,
            preferences: preferences,
            subject: "Appointment reminder",
            summary: "Reminder: \(content.service) \(lead), \(when(content.starts)). "
                + how(content, short: true),
            paragraphs: [
                "This is a reminder of your appointment \(lead).",
                "What: \(content.service)\nWhen: \(when(content.starts))\nHow: \(how(content, short: false))",
                "If you cannot come, please \(contact).",
            ]
        )
        return AppointmentMessage(
            kind: full.kind,
            audience: full.audience,
            channel: reminder.channel,
            largePrint: full.largePrint,
            content: full.content,
            subject: full.subject,
            summary: full.summary,
            body: full.body
        )
    }

    /// A change of time or channel.
    ///
    /// - Parameters:
    ///   - previous: The appointment before the change.
    ///   - current: The appointment after it.
    ///   - preferences: The patient's communication preferences.
    /// - Returns: The message.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` when the times cannot be written in London time
    ///   or the two are different appointments.
    public func change(
        from previous: Appointment,
        to current: Appointment,
        preferences: CommunicationPreferences
    ) throws(AppointmentsError) -> AppointmentMessage {
        guard previous.id == current.id else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("appointment.id"),
                reason: "a change message compares two versions of one appointment"
            )
        }
        let before = try content(previous)
        let after = try content(current, previous: before)
        return message(
            .change,
            content: after,
            preferences: preferences,
            subject: "Appointment changed",
            summary: "Changed: \(after.service) is now \(when(after.starts)). \(how(after, short: true))",
            paragraphs: [
                "Your appointment has changed.",
                "What: \(after.service)\nWas: \(when(before.starts)), \(delivery(before.delivery))\n"
                    + "Now: \(when(after.starts))\nHow: \(how(after, short: false))",
                "If the new time does not suit you, please \(contact).",
            ]
        )
    }

    /// A cancellation.
    ///
    /// - Parameters:
    ///   - appointment: The cancelled appointment.
    ///   - preferences: The patient's communication preferences.
    /// - Returns: The message.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` for an appointment that is not cancelled or
    ///   whose start cannot be written in London time.
    public func cancellation(
        of appointment: Appointment,
        preferences: CommunicationPreferences
    ) throws(AppointmentsError) -> AppointmentMessage {
        guard appointment.status == .cancelled, let cancellation = appointment.cancellation else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("appointment.status"),
                reason: "a cancellation message needs a cancelled appointment"
            )
        }
        let content = try content(appointment, cancelledBy: cancellation.initiator)
        let opening =
            cancellation.initiator == .patient
            ? "Your appointment has been cancelled, as you asked."
            : "We are sorry, but we have had to cancel your appointment."
        return message(
            .cancellation,
            content: content,
            preferences: preferences,
            subject: "Appointment cancelled",
            summary: "Cancelled: \(content.service), \(when(content.starts)). To rebook, please \(contact).",
            paragraphs: [
                opening,
                "What: \(content.service)\nWhen: \(when(content.starts))",
                "To book another appointment, please \(contact).",
            ]
        )
    }

    /// The message for a missed appointment: a did-not-attend message to an adult, or a was-not-brought
    /// notice to the care team for a child.
    ///
    /// - Parameters:
    ///   - appointment: The appointment, `noshow`.
    ///   - birthDate: The patient's date of birth, when known; without it the patient is treated as a child,
    ///     so no automated letter is sent to someone who may be one.
    ///   - preferences: The patient's communication preferences.
    /// - Returns: The message.
    /// - Throws: ``AppointmentsError`` with code `invalidValue` for an appointment that is not `noshow` or
    ///   whose start cannot be written in London time.
    public func missed(
        _ appointment: Appointment,
        birthDate: CivilDate?,
        preferences: CommunicationPreferences
    ) throws(AppointmentsError) -> AppointmentMessage {
        guard appointment.status == .noshow else {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("appointment.status"),
                reason: "a missed-appointment message needs an appointment marked as not attended"
            )
        }
        let content = try content(appointment)
        let isChild = birthDate.map { $0.age(on: content.starts.date) < childAgeLimit } ?? true
        if isChild {
            let body = [
                "Was not brought: please follow up.",
                "A patient under \(childAgeLimit), or whose age is not recorded, was not brought to \(content.service) "
                    + "on \(when(content.starts)) (appointment \(appointment.id)).",
                "Review this under your was-not-brought policy. No automated letter has been sent.",
            ]
            return AppointmentMessage(
                kind: .wasNotBrought,
                audience: .careTeam,
                channel: nil,
                largePrint: false,
                content: content,
                subject: "Was not brought: follow up",
                summary: "Was not brought: appointment \(appointment.id), \(when(content.starts)).",
                body: body.joined(separator: "\n\n")
            )
        }
        return message(
            .didNotAttend,
            content: content,
            preferences: preferences,
            subject: "We missed you at your appointment",
            summary: "We missed you at \(content.service), \(when(content.starts)). "
                + "If you still need care, please \(contact).",
            paragraphs: [
                "We missed you at your appointment.",
                "What: \(content.service)\nWhen: \(when(content.starts))",
                "If you still need care, or you think this is wrong, please \(contact). "
                    + "If you cannot come to an appointment in future, please tell us so we can offer the time to "
                    + "someone else.",
            ]
        )
    }

    // MARK: - Writing

    private func content(
        _ appointment: Appointment,
        previous: AppointmentMessage.Content? = nil,
        cancelledBy: Appointment.Initiator? = nil
    ) throws(AppointmentsError) -> AppointmentMessage.Content {
        let starts: LocalDateTime
        do {
            starts = try zone.localDateTime(at: appointment.start)
        } catch {
            throw AppointmentsError(
                .invalidValue,
                field: FieldPath("appointment.start"),
                reason: "the start cannot be written as a London time"
            )
        }
        return AppointmentMessage.Content(
            appointment: appointment.id,
            service: serviceNames[appointment.serviceType] ?? appointment.serviceType,
            starts: starts,
            delivery: appointment.channel,
            place: appointment.channel == .inPerson ? places[appointment.schedule] : nil,
            previousStart: previous?.starts,
            previousDelivery: previous?.delivery,
            cancelledBy: cancelledBy,
            contact: contact
        )
    }

    private func message(
        _ kind: AppointmentMessage.Kind,
        content: AppointmentMessage.Content,
        preferences: CommunicationPreferences,
        subject: String,
        summary: String,
        paragraphs: [String]
    ) -> AppointmentMessage {
        let largePrint = preferences.needs.contains(.largePrint)
        let body =
            largePrint
            ? paragraphs.map { Self.wrap($0, width: Self.largePrintLineLength) }.joined(separator: "\n\n")
            : paragraphs.joined(separator: "\n\n")
        return AppointmentMessage(
            kind: kind,
            audience: .patient,
            channel: preferences.channelsInOrder().first,
            largePrint: largePrint,
            content: content,
            subject: subject,
            // "..." rather than "…", which is outside the GSM 7-bit alphabet and would cut a text to 70 characters.
            summary: summary.count <= 160 ? summary : String(summary.prefix(157)) + "...",
            body: body
        )
    }

    /// "Tuesday 7 July 2026 at 9:30am".
    func when(_ time: LocalDateTime) -> String {
        "\(time.date.weekday.name) \(time.date.day) \(Self.months[time.date.month - 1]) \(time.date.year) at "
            + Self.clockTime(hour: time.hour, minute: time.minute)
    }

    /// The NHS style for a time of day: "9am", "2:30pm", "midday", "midnight".
    static func clockTime(hour: Int, minute: Int) -> String {
        if minute == 0 && hour == 12 { return "midday" }
        if minute == 0 && hour == 0 { return "midnight" }
        let twelve = hour % 12 == 0 ? 12 : hour % 12
        let suffix = hour < 12 ? "am" : "pm"
        return minute == 0 ? "\(twelve)\(suffix)" : "\(twelve):\(minute < 10 ? "0" : "")\(minute)\(suffix)"
    }

    private func delivery(_ channel: DeliveryChannel) -> String {
        switch channel {
        case .inPerson: return "in person"
        case .telephone: return "by telephone"
        case .video: return "by video"
        }
    }

    private func how(_ content: AppointmentMessage.Content, short: Bool) -> String {
        switch content.delivery {
        case .inPerson:
            guard let place = content.place else { return short ? "In person." : "In person" }
            return short ? "In person at \(place)." : "In person at \(place)"
        case .telephone:
            return short ? "We will phone you." : "By telephone: we will phone you at the appointment time"
        case .video:
            return short ? "By video: we will send a link." : "By video: we will send you a link to join"
        }
    }

    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// Breaks each line of a paragraph into lines of at most `width` characters, at spaces.
    static func wrap(_ paragraph: String, width: Int) -> String {
        paragraph.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var lines: [String] = []
            var current = ""
            for word in line.split(separator: " ") {
                if current.isEmpty {
                    current = String(word)
                } else if current.count + 1 + word.count <= width {
                    current += " " + word
                } else {
                    lines.append(current)
                    current = String(word)
                }
            }
            lines.append(current)
            return lines.joined(separator: "\n")
        }
        .joined(separator: "\n")
    }
}
