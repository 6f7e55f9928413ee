import Appointments
import CareCore
import FHIREncoding
import Foundation
import Testing

@Suite("Appointment messages and reminders and UK Core Communication")
struct MessageMappingTests {
    /// An appointment in a status, at 09:30 London time on Monday 30 November 2026 (GMT).
    ///
    /// - Throws: ``AppointmentsError`` only for an incoherent appointment, a defect in the test.
    static func appointment(
        _ status: AppointmentStatus,
        minutes: Int = 90,
        channel: DeliveryChannel = .inPerson,
        version: Int = 1
    ) throws -> Appointment {
        let start = AppointmentMappingTests.minutes(minutes)
        return try Appointment(
            restoring: try Appointment.ID(validating: "john-review"),
            patient: try Appointment.PatientID(validating: "john"),
            slots: [try Slot.ID(validating: "s1")],
            schedule: try Schedule.ID(validating: "diabetes-clinic"),
            serviceType: "diabetes-review",
            start: start,
            end: start.addingTimeInterval(1_200),
            channel: channel,
            status: status,
            description: "",
            comment: "",
            cancellation: status == .cancelled ? Appointment.Cancellation(initiator: .provider, reason: "") : nil,
            version: version,
            created: AppointmentMappingTests.minutes(-10_000)
        )
    }

    /// Every kind of message the messenger writes, for patients with different preferences, with the
    /// reminders planned for them.
    ///
    /// - Throws: The messenger's or planner's error, a defect in the test.
    static func messages() throws -> [(AppointmentMessage, Reminder?)] {
        let zone = try CivilTimeZone.europeLondon()
        let messenger = AppointmentMessenger(
            zone: zone,
            contact: "call 01872 000000",
            serviceNames: ["diabetes-review": "Diabetes review"],
            places: [try Schedule.ID(validating: "diabetes-clinic"): "Truro Health Park, Room 4"]
        )
        let everyone = [
            try CommunicationPreferences(preferredChannels: [.sms, .email]),
            try CommunicationPreferences(preferredChannels: [.letter], noDigital: true, needs: [.largePrint]),
            try CommunicationPreferences(
                preferredChannels: [CommunicationChannel(rawValue: "carer-visit", isDigital: false)],
                noDigital: true
            ),
            try CommunicationPreferences(),
        ]
        let booked = try appointment(.booked)
        var result: [(AppointmentMessage, Reminder?)] = []
        for preferences in everyone {
            result.append((try messenger.confirmation(for: booked, preferences: preferences), nil))
            let planner = ReminderPlanner(preferences: preferences, quietHours: nil, zone: zone)
            for reminder in planner.plan(for: booked, now: AppointmentMappingTests.minutes(-5_000)) {
                result.append((try messenger.reminder(reminder, for: booked, preferences: preferences), reminder))
            }
            let moved = try appointment(.booked, minutes: 1_530, channel: .video, version: 2)
            result.append((try messenger.change(from: booked, to: moved, preferences: preferences), nil))
            result.append((try messenger.cancellation(of: try appointment(.cancelled), preferences: preferences), nil))
            let missed = try appointment(.noshow)
            for birthDate in [
                try CivilDate(year: 1_961, month: 4, day: 2), try CivilDate(year: 2_015, month: 6, day: 9),
            ] {
                result.append((try messenger.missed(missed, birthDate: birthDate, preferences: preferences), nil))
            }
        }
        return result
    }

    @Test("every kind of message, with its reminder plan, survives message to Communication JSON to message")
    func everyMessageRoundTrips() throws {
        let patient = try Appointment.PatientID(validating: "john")
        var kinds: Set<AppointmentMessage.Kind> = []
        var reminders = 0
        for (index, (message, reminder)) in try Self.messages().enumerated() {
            kinds.insert(message.kind)
            let communication = try R4.Communication(message, patient: patient, reminder: reminder)
            #expect(communication.status.value == "preparation")
            #expect(communication.meta?.profile.map(\.value) == [R4.UKCoreProfile.communication.rawValue])
            let bytes = try Emitted.write(communication, name: "communication-\(index)")
            let decoded = try FHIRDecoder().decode(R4.Communication.self, from: bytes)
            #expect(try AppointmentMessage(fhir: decoded) == message, "message \(index)")
            let back = try Reminder(fhir: decoded)
            #expect(back == reminder, "reminder \(index)")
            #expect(back?.channel.isDigital == reminder?.channel.isDigital)
            if reminder != nil { reminders += 1 }
            // A message for the care team is not addressed to the patient.
            #expect(communication.recipient.isEmpty == (message.audience == .careTeam))
        }
        #expect(kinds == Set(AppointmentMessage.Kind.allCases))
        #expect(reminders >= 4)
    }

    @Test("the Communication says what it is in HL7's terms: category, subject, about, topic, text")
    func writtenShape() throws {
        let messages = try Self.messages()
        let patient = try Appointment.PatientID(validating: "john")
        guard let (reminder, plan) = messages.first(where: { $0.1 != nil }),
            let notBrought = messages.first(where: { $0.0.kind == .wasNotBrought })?.0
        else {
            Issue.record("the messenger wrote no reminder or was-not-brought message")
            return
        }
        let communication = try R4.Communication(reminder, patient: patient, reminder: plan)
        #expect(communication.category.first?.coding.first?.code?.value == "reminder")
        #expect(communication.subject?.reference?.value == "Patient/john")
        #expect(communication.about.map(\.reference?.value) == ["Appointment/john-review"])
        #expect(communication.topic?.text?.value == "Appointment reminder")
        #expect(communication.medium.first?.coding.first?.code?.value == plan?.channel.rawValue)
        guard case .string(let body)? = communication.payload.first?.content else {
            Issue.record("no text")
            return
        }
        #expect(body.value == reminder.body)
        let alert = try R4.Communication(notBrought, patient: patient)
        #expect(alert.category.first?.coding.first?.code?.value == "alert")
        #expect(alert.recipient.isEmpty)
    }

    @Test("written back unchanged, the sending system's status and time are kept; changed, the narrative goes")
    func writingBackKeepsWhatTheSenderRecorded() throws {
        let messages = try Self.messages()
        let patient = try Appointment.PatientID(validating: "john")
        let (message, plan) = messages[1]
        var sent = try R4.Communication(
            message,
            patient: patient,
            reminder: plan,
            id: try EntityID<AppointmentMessage>(validating: "m1")
        )
        sent.status = "completed"
        sent.sent = "2026-11-29T09:30:00Z"
        sent.text = R4.Narrative(status: "generated", div: "<div xmlns=\"http://www.w3.org/1999/xhtml\">Sent</div>")
        #expect(try R4.Communication(message, patient: patient, reminder: plan, keeping: sent) == sent)
        let other = messages[0].0
        let changed = try R4.Communication(other, patient: patient, keeping: sent)
        #expect(changed.id == "m1" && changed.status.value == "completed" && changed.sent == sent.sent)
        #expect(changed.text == nil)
        #expect(try Reminder(fhir: changed) == nil)
        #expect(try AppointmentMessage(fhir: changed) == other)
    }

    @Test("a changed message written back keeps other references, recipients, payloads and unknown parts")
    func changedWriteBackKeepsTheRest() throws {
        let messages = try Self.messages()
        let patient = try Appointment.PatientID(validating: "john")
        var original = try R4.Communication(messages[0].0, patient: patient)
        original.about.append(R4.Reference(reference: "ServiceRequest/referral-1"))
        original.recipient.append(R4.Reference(reference: "RelatedPerson/carer"))
        original.payload.append(
            R4.Communication.Payload(content: .reference(R4.Reference(reference: "DocumentReference/leaflet")))
        )
        original.topic?.coding = [R4.Coding(system: "http://example.org/topics", code: "diabetes")]
        original.extension[0].extension.append(R4.Extension(url: "futurePart", value: .string("kept")))
        let (other, plan) = messages[1]
        let changed = try R4.Communication(other, patient: patient, reminder: plan, keeping: original)
        #expect(changed.about.map(\.reference?.value) == ["Appointment/john-review", "ServiceRequest/referral-1"])
        #expect(changed.recipient.map(\.reference?.value) == ["Patient/john", "RelatedPerson/carer"])
        #expect(changed.payload.count == 2 && changed.payload.last == original.payload.last)
        #expect(changed.topic?.coding == original.topic?.coding)
        #expect(changed.extension[0].extension.last?.url == "futurePart")
        #expect(try AppointmentMessage(fhir: changed) == other)
        #expect(try Reminder(fhir: changed) == plan)
    }

    @Test("a channel whose digital flag changed is written again; a reminder recorded in error is refused")
    func digitalFlagAndRecordedInError() throws {
        let patient = try Appointment.PatientID(validating: "john")
        guard let (message, _) = try Self.messages().first(where: { $0.0.channel?.rawValue == "carer-visit" }) else {
            Issue.record("no message on the service's own channel")
            return
        }
        let original = try R4.Communication(message, patient: patient)
        let digital = try AppointmentMessage(
            restoring: message.kind,
            audience: message.audience,
            channel: CommunicationChannel(rawValue: "carer-visit", isDigital: true),
            largePrint: message.largePrint,
            content: message.content,
            subject: message.subject,
            summary: message.summary,
            body: message.body
        )
        let written = try R4.Communication(digital, patient: patient, keeping: original)
        #expect(try AppointmentMessage(fhir: written).channel?.isDigital == true)
        #expect(try AppointmentMessage(fhir: original).channel?.isDigital == false)

        let (reminder, plan) = try Self.messages()[1]
        var inError = try R4.Communication(reminder, patient: patient, reminder: plan)
        inError.status = "entered-in-error"
        let error = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
            _ = try Reminder(fhir: inError)
        }
        #expect(error?.field.description == "status")
    }

    @Test("what a message cannot take is refused, naming the element")
    func refusals() throws {
        let patient = try Appointment.PatientID(validating: "john")
        let (message, plan) = try Self.messages()[1]
        let good = try R4.Communication(message, patient: patient, reminder: plan)
        var cases: [(R4.Communication, String)] = []
        var inError = good
        inError.status = "entered-in-error"
        cases.append((inError, "status"))
        var noExtension = good
        noExtension.extension = []
        cases.append((noExtension, "extension"))
        var noAbout = good
        noAbout.about = []
        cases.append((noAbout, "about"))
        var noText = good
        noText.payload = []
        cases.append((noText, "payload"))
        var noKind = good
        noKind.category.removeLast()
        cases.append((noKind, "category"))
        var missingPart = good
        missingPart.extension[0].extension.removeAll { $0.url == "service" }
        cases.append((missingPart, "extension[0].extension"))
        var badTime = good
        if let index = badTime.extension[0].extension.firstIndex(where: { $0.url == "starts" }) {
            badTime.extension[0].extension[index].value = .string("30/11/2026 09:30")
            cases.append((badTime, "extension[0].extension[\(index)]"))
        }
        var longSummary = good
        if let index = longSummary.extension[0].extension.firstIndex(where: { $0.url == "summary" }) {
            longSummary.extension[0].extension[index].value = .string(R4.Primitive(String(repeating: "x", count: 161)))
            cases.append((longSummary, "extension[0].extension[\(index)]"))
        }
        #expect(cases.count == 8)
        for (communication, field) in cases {
            let error = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
                _ = try AppointmentMessage(fhir: communication)
            }
            #expect(error?.code == .unmappable)
            #expect(error?.field.description == field, "\(String(describing: error))")
        }
        // Text FHIR cannot carry is refused when written, at the element it would go to.
        let content = message.content
        let emptyPlace = try AppointmentMessage(
            restoring: message.kind,
            audience: message.audience,
            channel: message.channel,
            largePrint: message.largePrint,
            content: AppointmentMessage.Content(
                restoring: content.appointment,
                service: content.service,
                starts: content.starts,
                delivery: content.delivery,
                place: "",
                previousStart: content.previousStart,
                previousDelivery: content.previousDelivery,
                cancelledBy: content.cancelledBy,
                contact: content.contact
            ),
            subject: message.subject,
            summary: message.summary,
            body: message.body
        )
        let empty = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
            _ = try R4.Communication(emptyPlace, patient: patient, reminder: plan)
        }
        #expect(empty?.field.description == "extension")
        // A reminder's message must go on the reminder's channel.
        if let plan {
            let elsewhere = Reminder(
                restoring: plan.kind,
                sendAt: plan.sendAt,
                channel: plan.channel == .sms ? .email : .sms,
                movedForQuietHours: false
            )
            let error = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
                _ = try R4.Communication(message, patient: patient, reminder: elsewhere)
            }
            #expect(error?.field.description == "medium")
        }
    }
}
