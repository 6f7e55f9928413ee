import Appointments
import CareCore
import FHIREncoding
import Foundation
import Testing

@Suite("Schedules, slots and appointments and UK Core")
struct AppointmentMappingTests {
    static let context = AppointmentMappingContext(
        serviceTypeSystem: CodeSystem(rawValue: "https://fhir.example.nhs.uk/CodeSystem/service-type")
    )

    /// Decodes an R4 resource of a type from JSON text, leniently, so that the mapping's own checks are reached.
    ///
    /// - Throws: The decoder's error.
    static func decode<Resource: R4.ResourceModel>(_ json: String, as type: Resource.Type) throws -> Resource {
        try FHIRDecoder(mode: .lenient).decode(type, from: Array(json.utf8))
    }

    /// A moment a whole number of minutes after 2026-11-30 08:00 UTC.
    static func minutes(_ count: Int) -> Date {
        Date(timeIntervalSince1970: 1_796_025_600 + Double(count) * 60)
    }

    /// A seeded schedule with one to three actors of any kind.
    ///
    /// - Throws: ``AppointmentsError`` only if the generator produced an invalid schedule, a defect.
    static func schedule(_ index: Int, using generator: inout SeededRandomNumberGenerator) throws -> Schedule {
        let actors: [ScheduleActor] = (0..<Int.random(in: 1...3, using: &generator)).map { position in
            let id = "a\(index)-\(position)"
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: return .practitioner(id)
            case 1: return .location(id)
            case 2: return .device(id)
            default: return .service(id)
            }
        }
        return try Schedule(
            id: try Schedule.ID(validating: "schedule-\(index)"),
            actors: actors,
            organisation: try ODSCode(parsing: ["A81001", "RK9", "Y05868"].randomElement(using: &generator) ?? "RK9"),
            serviceType: ["diabetes-review", "gp-consultation", "708190004"].randomElement(using: &generator) ?? "",
            isActive: Int.random(in: 0..<5, using: &generator) != 0
        )
    }

    /// A seeded slot of a schedule, with any status and a booked count that the status may or may not imply.
    ///
    /// - Throws: ``AppointmentsError`` only if the generator produced an invalid slot, a defect.
    static func slot(
        _ index: Int,
        of schedule: Schedule,
        from start: Date,
        using generator: inout SeededRandomNumberGenerator
    ) throws -> Slot {
        var slot = try Slot(
            id: try Slot.ID(validating: "slot-\(index)"),
            schedule: schedule.id,
            start: start,
            end: start.addingTimeInterval(Double(Int.random(in: 1...12, using: &generator) * 5 * 60)),
            channel: DeliveryChannel.allCases.randomElement(using: &generator) ?? .inPerson,
            serviceType: schedule.serviceType,
            status: SlotStatus.allCases.randomElement(using: &generator) ?? .free
        )
        slot.bookedCount = slot.status == .busy ? Int.random(in: 1...3, using: &generator) : 0
        if Int.random(in: 0..<10, using: &generator) == 0 {
            slot.bookedCount = Int.random(in: 0...4, using: &generator)
        }
        return slot
    }

    /// A seeded appointment holding one to three slots, in any status.
    ///
    /// - Throws: ``AppointmentsError`` only if the generator produced an invalid appointment, a defect.
    static func appointment(
        _ index: Int,
        slots: [Slot],
        using generator: inout SeededRandomNumberGenerator
    ) throws -> Appointment {
        let status = AppointmentStatus.allCases.randomElement(using: &generator) ?? .booked
        let held = status.holdsSlots || Bool.random(using: &generator) ? slots : []
        let start = slots.first?.start ?? minutes(index)
        let cancellation: Appointment.Cancellation? =
            status == .cancelled
            ? Appointment.Cancellation(
                initiator: Bool.random(using: &generator) ? .patient : .provider,
                reason: ["", "Feeling better", "Clinician unwell"].randomElement(using: &generator) ?? ""
            ) : nil
        return try Appointment(
            restoring: try Appointment.ID(validating: "appointment-\(index)"),
            patient: try Appointment.PatientID(validating: "patient-\(index % 37)"),
            slots: held.map(\.id),
            schedule: slots.first?.schedule ?? Schedule.ID(validating: "schedule-0"),
            serviceType: slots.first?.serviceType ?? "gp-consultation",
            start: start,
            end: slots.last?.end ?? start.addingTimeInterval(600),
            channel: slots.first?.channel ?? .telephone,
            status: status,
            description: Bool.random(using: &generator) ? "Annual review" : "",
            comment: Bool.random(using: &generator) ? "Bring your blood glucose diary" : "",
            cancellation: cancellation,
            version: Int.random(in: 1...9, using: &generator),
            created: start.addingTimeInterval(-Double(Int.random(in: 1...40_000, using: &generator)) * 60)
        )
    }

    @Test("seeded schedules, slots and appointments in every status survive domain to FHIR JSON to domain")
    func seededRoundTrips() throws {
        var generator = SeededRandomNumberGenerator(seed: 20_261_125)
        var statuses: Set<AppointmentStatus> = []
        var countsWritten = 0
        for index in 0..<120 {
            let schedule = try Self.schedule(index, using: &generator)
            let fhirSchedule = try R4.Schedule(schedule, context: Self.context)
            let scheduleBytes = try Emitted.write(fhirSchedule, name: "schedule-synthetic-\(index)")
            let scheduleBack = try Schedule(
                fhir: try FHIRDecoder().decode(R4.Schedule.self, from: scheduleBytes),
                context: Self.context
            )
            #expect(scheduleBack == schedule, "schedule \(index)")

            var slots: [Slot] = []
            var start = Self.minutes(Int.random(in: 0..<100_000, using: &generator))
            for position in 0..<Int.random(in: 1...3, using: &generator) {
                let slot = try Self.slot(index * 10 + position, of: schedule, from: start, using: &generator)
                start = slot.end
                let fhirSlot = try R4.Slot(slot, context: Self.context)
                if fhirSlot.extension.contains(where: { $0.url == R4.SuiteExtension.bookedCount.rawValue }) {
                    countsWritten += 1
                }
                let bytes = try Emitted.write(fhirSlot, name: "slot-synthetic-\(index)-\(position)")
                let back = try Slot(fhir: try FHIRDecoder().decode(R4.Slot.self, from: bytes), context: Self.context)
                #expect(back == slot, "slot \(index)-\(position)")
                slots.append(slot)
            }

            let appointment = try Self.appointment(index, slots: slots, using: &generator)
            statuses.insert(appointment.status)
            let bytes = try Emitted.write(
                try R4.Appointment(appointment, context: Self.context),
                name: "appointment-synthetic-\(index)"
            )
            let decoded = try FHIRDecoder().decode(R4.Appointment.self, from: bytes)
            #expect(try Appointment(fhir: decoded, context: Self.context) == appointment, "appointment \(index)")
        }
        #expect(statuses == Set(AppointmentStatus.allCases))
        // Some slots held counts their status does not imply, so the suite's extension was exercised.
        #expect(countsWritten > 0)
    }

    @Test("the written Appointment follows UK Core: profile, channel, patient participant, version, reason")
    func writtenAppointmentFollowsUKCore() throws {
        let appointment = try Appointment(
            restoring: try Appointment.ID(validating: "a1"),
            patient: try Appointment.PatientID(validating: "claire"),
            slots: [try Slot.ID(validating: "s1"), try Slot.ID(validating: "s2")],
            schedule: try Schedule.ID(validating: "gp-diary"),
            serviceType: "gp-consultation",
            start: Self.minutes(0),
            end: Self.minutes(20),
            channel: .video,
            status: .cancelled,
            description: "",
            comment: "",
            cancellation: Appointment.Cancellation(initiator: .patient, reason: "Feeling better"),
            version: 3,
            created: Self.minutes(-1_440).addingTimeInterval(0.25)
        )
        let fhir = try R4.Appointment(appointment, context: Self.context)
        #expect(fhir.meta?.profile.map(\.value) == [R4.UKCoreProfile.appointment.rawValue])
        #expect(fhir.meta?.versionId?.value == "3")
        #expect(fhir.status.value == "cancelled")
        #expect(fhir.start?.value == "2026-11-30T08:00:00Z")
        #expect(fhir.created?.value == "2026-11-29T08:00:00.250Z")
        #expect(fhir.slot.map(\.reference?.value) == ["Slot/s1", "Slot/s2"])
        #expect(fhir.participant.count == 1)
        #expect(fhir.participant.first?.actor?.reference?.value == "Patient/claire")
        #expect(fhir.participant.first?.status.value == "declined")
        #expect(fhir.cancelationReason?.coding.first?.code?.value == "pat")
        #expect(fhir.cancelationReason?.text?.value == "Feeling better")
        #expect(fhir.description == nil && fhir.comment == nil)
        let channel = fhir.extension.first {
            $0.url == "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeliveryChannel"
        }
        guard case .codeableConcept(let concept)? = channel?.value else {
            Issue.record("no delivery channel")
            return
        }
        #expect(concept.coding.first?.system?.value == "https://fhir.hl7.org.uk/CodeSystem/UKCore-DeliveryChannel")
        #expect(concept.coding.first?.code?.value == "Video")
        try Emitted.write(fhir, name: "appointment-cancelled-by-patient")
        #expect(try Appointment(fhir: fhir, context: Self.context) == appointment)
    }

    @Test("a slot writes the suite's booked count only when its status and overbooked flag do not say it")
    func bookedCountExtension() throws {
        let schedule = try Schedule.ID(validating: "d")
        func slot(_ status: SlotStatus, count: Int) throws -> Slot {
            var slot = try Slot(
                id: try Slot.ID(validating: "s"),
                schedule: schedule,
                start: Self.minutes(0),
                end: Self.minutes(10),
                channel: .inPerson,
                serviceType: "gp-consultation",
                status: status
            )
            slot.bookedCount = count
            return slot
        }
        let cases: [(SlotStatus, Int, overbooked: Bool?, written: Int32?)] = [
            (.free, 0, nil, nil),
            (.busy, 1, nil, nil),
            (.busy, 2, true, nil),
            (.busy, 3, true, 3),
            (.busyUnavailable, 0, nil, nil),
            (.busyTentative, 1, nil, nil),
            (.free, 1, nil, 1),
            (.busy, 0, nil, 0),
        ]
        for (status, count, overbooked, written) in cases {
            let fhir = try R4.Slot(try slot(status, count: count), context: Self.context)
            #expect(fhir.overbooked?.value == overbooked, "\(status) \(count)")
            let extensionValue = fhir.extension.first { $0.url == R4.SuiteExtension.bookedCount.rawValue }?.value
            if case .unsignedInt(let value)? = extensionValue {
                #expect(value.value == written, "\(status) \(count)")
            } else {
                #expect(written == nil, "\(status) \(count)")
            }
            #expect(try Slot(fhir: fhir, context: Self.context).bookedCount == count, "\(status) \(count)")
        }
    }

    static let slotJSON =
        #"{"resourceType":"Slot","id":"s","schedule":{"reference":"Schedule/d"},"status":"free","start":"2026-11-30T09:00:00Z","end":"2026-11-30T09:10:00Z","serviceType":[{"coding":[{"system":"https://fhir.example.nhs.uk/CodeSystem/service-type","code":"gp"}]}],"extension":[{"url":"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeliveryChannel","valueCodeableConcept":{"coding":[{"system":"https://fhir.hl7.org.uk/CodeSystem/UKCore-DeliveryChannel","code":"Telephone"}]}}]}"#

    @Test(
        "what a slot cannot take is refused, naming the element: times, schedule, status, channel, service type, modifiers",
        arguments: [
            (
                "\"start\":\"2026-11-30T09:00:00Z\"",
                "\"_start\":{\"extension\":[{\"url\":\"http://hl7.org/fhir/StructureDefinition/data-absent-reason\",\"valueCode\":\"unknown\"}]}",
                "start"
            ),
            ("\"end\":\"2026-11-30T09:10:00Z\"", "\"end\":\"2026-11-30T08:59:00Z\"", "end"),
            ("Schedule/d", "Location/d", "schedule.reference"),
            ("Schedule/d", "urn:uuid:5b2c6a1e-8d7f-4c0b-9a3e-2f1d0c9b8a7e", "schedule"),
            ("Schedule/d", "Schedule/not a valid id", "schedule.reference"),
            ("\"status\":\"free\"", "\"status\":\"held\"", "status"),
            ("\"code\":\"Telephone\"", "\"code\":\"Carrier-pigeon\"", "extension[0].valueCodeableConcept"),
            ("service-type\",\"code\"", "other-system\",\"code\"", "serviceType"),
            (
                "\"status\":\"free\"",
                "\"status\":\"free\",\"modifierExtension\":[{\"url\":\"http://example.org/x\",\"valueBoolean\":true}]",
                "modifierExtension[0]"
            ),
            (
                "\"status\":\"free\"", "\"status\":\"free\",\"implicitRules\":\"http://example.org/rules\"",
                "implicitRules"
            ),
            (
                "\"extension\":[",
                "\"overbooked\":false,\"extension\":[{\"url\":\"https://integratedcarekit.example/fhir/StructureDefinition/booked-count\",\"valueUnsignedInt\":2},",
                "extension[0]"
            ),
        ]
    )
    func slotElementChecks(original: String, replacement: String, field: String) throws {
        #expect(Self.slotJSON.contains(original))
        let slot = try Self.decode(
            Self.slotJSON.replacingOccurrences(of: original, with: replacement),
            as: R4.Slot.self
        )
        let error = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
            _ = try Slot(fhir: slot, context: Self.context)
        }
        #expect(error?.field.description == field)
    }

    @Test("a versioned reference reads as its logical id; an absolute URL, a search or a bad type is refused")
    func referenceForms() throws {
        let versioned = try Self.decode(
            Self.slotJSON.replacingOccurrences(of: "Schedule/d", with: "Schedule/d/_history/4"),
            as: R4.Slot.self
        )
        #expect(try Slot(fhir: versioned, context: Self.context).schedule.rawValue == "d")
        for form in [
            "https://other-trust.example/fhir/Schedule/d", "Schedule?identifier=https://x.example/Id/d|1",
            "Schedule/d/", "schedule/d", "Id/d", "Schedule/d/_history",
        ] {
            let slot = try Self.decode(
                Self.slotJSON.replacingOccurrences(of: "Schedule/d", with: form),
                as: R4.Slot.self
            )
            let error = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
                _ = try Slot(fhir: slot, context: Self.context)
            }
            #expect(error?.field.description == "schedule.reference", "\(form)")
        }
    }

    @Test("a moment from a clock, to the microsecond or beyond, survives the round trip")
    func subMillisecondMoments() throws {
        for interval in [1_796_025_600.123_456_7, 1_796_025_600.5, 1_796_025_600.000_001] {
            let created = Date(timeIntervalSince1970: interval)
            let appointment = try Appointment(
                restoring: try Appointment.ID(validating: "a"),
                patient: try Appointment.PatientID(validating: "p"),
                slots: [try Slot.ID(validating: "s")],
                schedule: try Schedule.ID(validating: "d"),
                serviceType: "gp",
                start: Self.minutes(0),
                end: Self.minutes(10),
                channel: .telephone,
                status: .booked,
                description: "",
                comment: "",
                cancellation: nil,
                version: 1,
                created: created
            )
            let fhir = try R4.Appointment(appointment, context: Self.context)
            #expect(try Appointment(fhir: fhir, context: Self.context).created == created, "\(interval)")
        }
    }

    static let appointmentJSON =
        #"{"resourceType":"Appointment","id":"a","status":"booked","slot":[{"reference":"Slot/s"}],"start":"2026-11-30T09:00:00Z","end":"2026-11-30T09:10:00Z","created":"2026-11-20T10:00:00Z","participant":[{"actor":{"reference":"Patient/p"},"status":"accepted"},{"actor":{"reference":"Practitioner/gp"},"status":"accepted"}]}"#

    @Test("an Appointment with no lead diary, service or channel takes them from its first slot, when given")
    func appointmentFromItsSlot() throws {
        let fhir = try Self.decode(Self.appointmentJSON, as: R4.Appointment.self)
        let noSlots = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
            _ = try Appointment(fhir: fhir, context: Self.context)
        }
        #expect(noSlots?.field.description == "extension")
        let slot = try Slot(fhir: try Self.decode(Self.slotJSON, as: R4.Slot.self), context: Self.context)
        let appointment = try Appointment(fhir: fhir, context: Self.context, slots: [slot])
        #expect(appointment.schedule == slot.schedule)
        #expect(appointment.serviceType == "gp")
        #expect(appointment.channel == .telephone)
        #expect(appointment.patient.rawValue == "p")
        #expect(appointment.version == 1)
        // Writing it back keeps the practitioner and adds what the Appointment did not say.
        let written = try R4.Appointment(appointment, context: Self.context, keeping: fhir)
        #expect(written.participant == fhir.participant)
        #expect(written.extension.contains { $0.url == R4.SuiteExtension.leadSchedule.rawValue })
        try Emitted.write(written, name: "appointment-from-slot")
        #expect(try Appointment(fhir: written, context: Self.context) == appointment)
    }

    @Test("a service type in another system is kept beside the one the context's system gives")
    func serviceTypeInAnotherSystemKept() throws {
        let snomed = #""serviceType":[{"coding":[{"system":"http://snomed.info/sct","code":"394802001"}]}],"#
        let fhir = try Self.decode(
            Self.appointmentJSON.replacingOccurrences(of: #""slot":"#, with: snomed + #""slot":"#),
            as: R4.Appointment.self
        )
        let slot = try Slot(fhir: try Self.decode(Self.slotJSON, as: R4.Slot.self), context: Self.context)
        let appointment = try Appointment(fhir: fhir, context: Self.context, slots: [slot])
        #expect(appointment.serviceType == "gp")
        let written = try R4.Appointment(appointment, context: Self.context, keeping: fhir)
        #expect(written.serviceType.count == 2)
        #expect(written.serviceType.first == fhir.serviceType.first)
        #expect(written.serviceType.last?.coding.first?.code?.value == "gp")
        #expect(try Appointment(fhir: written, context: Self.context) == appointment)
    }

    @Test(
        "what an appointment cannot take is refused, naming the element",
        arguments: [
            (
                #""status":"booked""#,
                #""status":"booked","modifierExtension":[{"url":"http://example.org/x","valueBoolean":true}]"#,
                "modifierExtension[0]"
            ),
            (#""status":"booked""#, #""status":"planned""#, "status"),
            (#""slot":[{"reference":"Slot/s"}],"#, "", "slot"),
            (#""created":"2026-11-20T10:00:00Z""#, #""created":"2026-11-20""#, "created"),
            (#""start":"2026-11-30T09:00:00Z","#, "", "start"),
            (#"{"actor":{"reference":"Patient/p"},"status":"accepted"},"#, "", "participant"),
            (#""Practitioner/gp""#, #""Patient/q""#, "participant[1].actor"),
            (#""Patient/p""#, #""Patient/p","type":"RelatedPerson""#, "participant[0].actor.type"),
            (#""status":"booked""#, #""status":"booked","meta":{"versionId":"3.0"}"#, "meta.versionId"),
            (#""status":"booked""#, #""status":"booked","meta":{"versionId":"0"}"#, "meta.versionId"),
            (
                #""status":"booked""#, #""status":"booked","description":"\#(String(repeating: "x", count: 101))""#,
                "description"
            ),
            (
                #""status":"booked""#,
                #""status":"booked","cancelationReason":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason","code":"prov"}]}"#,
                "cancelationReason"
            ),
            (
                #""status":"booked""#, #""status":"cancelled","cancelationReason":{"text":"ill"}"#,
                "cancelationReason.coding"
            ),
            (
                #""status":"booked""#, #""status":"booked","comment":"\#(String(repeating: "x", count: 501))""#,
                "comment"
            ),
            (
                #""status":"booked""#,
                #""status":"booked","extension":[{"url":"https://integratedcarekit.example/fhir/StructureDefinition/lead-schedule","valueReference":{"reference":"Schedule/other"}}]"#,
                "extension"
            ),
            (
                #""status":"booked""#,
                #""status":"noshow","cancelationReason":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason","code":"pat"}]}"#,
                "cancelationReason"
            ),
        ]
    )
    func appointmentRefusals(original: String, replacement: String, field: String) throws {
        #expect(Self.appointmentJSON.contains(original))
        let fhir = try Self.decode(
            Self.appointmentJSON.replacingOccurrences(of: original, with: replacement),
            as: R4.Appointment.self
        )
        let slot = try Slot(fhir: try Self.decode(Self.slotJSON, as: R4.Slot.self), context: Self.context)
        let error = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
            _ = try Appointment(fhir: fhir, context: Self.context, slots: [slot])
        }
        #expect(error?.code == .unmappable)
        #expect(error?.field.description == field, "\(String(describing: error))")
    }

    @Test("a cancellation reason coded pat… is the patient's and any other code the provider's")
    func cancellationInitiators() throws {
        let codes = [
            "pat": Appointment.Initiator.patient, "pat-mv": .patient, "prov": .provider, "maint": .provider,
            "oth-weath": .provider, "patient": .provider,
        ]
        for (code, initiator) in codes {
            let reason =
                #""status":"cancelled","cancelationReason":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason","code":"\#(code)"}]}"#
            let fhir = try Self.decode(
                Self.appointmentJSON.replacingOccurrences(of: #""status":"booked""#, with: reason),
                as: R4.Appointment.self
            )
            let slot = try Slot(fhir: try Self.decode(Self.slotJSON, as: R4.Slot.self), context: Self.context)
            let appointment = try Appointment(fhir: fhir, context: Self.context, slots: [slot])
            #expect(appointment.cancellation?.initiator == initiator, "\(code)")
            #expect(appointment.cancellation?.reason == "")
        }
    }

    @Test("a read, change and write keeps the rest; an unchanged write gives back the original with the profile")
    func writingBackKeepsTheRest() throws {
        let path = "uk-core/UKCore-Slot-AvailableWalkInVisit-Example.json"
        let original = try FHIRDecoder().decode(R4.Slot.self, from: try Corpus.bytes(path))
        let context = AppointmentMappingContext(serviceTypeSystem: .snomedCT, channel: .inPerson)
        var slot = try Slot(fhir: original, context: context)
        // The channel came from the context, so writing back adds UK Core's extension and drops the narrative.
        let unchanged = try R4.Slot(slot, context: context, keeping: original)
        #expect(unchanged.start == original.start && unchanged.end == original.end)
        #expect(unchanged.identifier == original.identifier && unchanged.comment == original.comment)
        #expect(unchanged.text == nil)
        // A Slot that already says its channel is given back as it was, narrative included, with the profile.
        var withChannel = original
        withChannel.extension = unchanged.extension
        let same = try R4.Slot(try Slot(fhir: withChannel, context: context), context: context, keeping: withChannel)
        #expect(same.text != nil && same.text == original.text)
        var expected = withChannel
        expected.meta = same.meta
        #expect(same == expected)
        #expect(same.meta?.profile.map(\.value) == [R4.UKCoreProfile.slot.rawValue])

        slot.status = .busy
        slot.bookedCount = 1
        let changed = try R4.Slot(slot, context: context, keeping: unchanged)
        #expect(changed.status.value == "busy")
        #expect(changed.serviceType == original.serviceType)
        #expect(changed.specialty == original.specialty && changed.appointmentType == original.appointmentType)
        // The offset the original was written in is kept while the moment is the same.
        #expect(changed.start.value == "2022-12-20T11:20:00+07:00")
        try Emitted.write(changed, name: "slot-uk-core-walk-in-booked")
        #expect(try Slot(fhir: changed, context: context) == slot)
    }

    @Test("an appointment whose status changes updates the patient's participation and keeps the others")
    func participantStatusFollowsTheAppointment() throws {
        let fhir = try Self.decode(
            Self.appointmentJSON.replacingOccurrences(of: #""status":"booked""#, with: #""status":"pending""#)
                .replacingOccurrences(
                    of: #""reference":"Patient/p"},"status":"accepted""#,
                    with: #""reference":"Patient/p"},"status":"tentative""#
                ),
            as: R4.Appointment.self
        )
        let slot = try Slot(fhir: try Self.decode(Self.slotJSON, as: R4.Slot.self), context: Self.context)
        let pending = try Appointment(fhir: fhir, context: Self.context, slots: [slot])
        // Unchanged, the participant keeps what it said.
        let kept = try R4.Appointment(pending, context: Self.context, keeping: fhir)
        #expect(kept.participant == fhir.participant)
        let booked = try Appointment(
            restoring: pending.id,
            patient: pending.patient,
            slots: pending.slots,
            schedule: pending.schedule,
            serviceType: pending.serviceType,
            start: pending.start,
            end: pending.end,
            channel: pending.channel,
            status: .booked,
            description: pending.description,
            comment: pending.comment,
            cancellation: nil,
            version: 2,
            created: pending.created
        )
        let written = try R4.Appointment(booked, context: Self.context, keeping: fhir)
        #expect(written.participant.map(\.status.value) == ["accepted", "accepted"])
        #expect(written.participant[1] == fhir.participant[1])
        #expect(written.meta?.versionId?.value == "2")
    }

    @Test("the UK Core Schedule and Slot examples map; the Appointment example is refused only for what it lacks")
    func ukCoreExamples() throws {
        let gp = try ODSCode(parsing: "B82005")
        let context = AppointmentMappingContext(serviceTypeSystem: .snomedCT, organisation: gp, channel: .inPerson)
        let schedule = try Schedule(
            fhir: try FHIRDecoder().decode(
                R4.Schedule.self,
                from: try Corpus.bytes("uk-core/UKCore-Schedule-Immunization-Example.json")
            ),
            context: context
        )
        #expect(schedule.id.rawValue == "UKCore-Schedule-Immunization-Example")
        #expect(schedule.actors == [.location("UKCore-Location-GeneralPracticeNurseClinic-Example")])
        #expect(schedule.serviceType == "708190004")
        #expect(schedule.organisation == gp && schedule.isActive)
        let slot = try Slot(
            fhir: try FHIRDecoder().decode(
                R4.Slot.self,
                from: try Corpus.bytes("uk-core/UKCore-Slot-AvailableWalkInVisit-Example.json")
            ),
            context: context
        )
        #expect(slot.schedule == schedule.id && slot.status == .free && slot.bookedCount == 0)
        #expect(slot.start == (try Instant(parsing: "2022-12-20T04:20:00Z")).date)
        #expect(slot.end.timeIntervalSince(slot.start) == 20 * 60)

        // The Appointment example is booked but holds no slot, and gives `created` as a date alone.
        var appointment = try FHIRDecoder().decode(
            R4.Appointment.self,
            from: try Corpus.bytes("uk-core/UKCore-Appointment-OrthopaedicSurgery-Example.json")
        )
        let serviceTypes = AppointmentMappingContext(
            serviceTypeSystem: CodeSystem(rawValue: "http://terminology.hl7.org/CodeSystem/service-type")
        )
        let noSlot = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
            _ = try Appointment(fhir: appointment, context: serviceTypes)
        }
        #expect(noSlot?.field.description == "slot")
        appointment.slot = [R4.Reference(reference: "Slot/orthopaedic-1")]
        appointment.extension.append(
            R4.Extension(
                url: R4.SuiteExtension.leadSchedule.rawValue,
                value: .reference(R4.Reference(reference: "Schedule/orthopaedic-clinic"))
            )
        )
        let dateOnly = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
            _ = try Appointment(fhir: appointment, context: serviceTypes)
        }
        #expect(dateOnly?.field.description == "created")
        appointment.created = "2022-02-14T09:00:00+00:00"
        let read = try Appointment(fhir: appointment, context: serviceTypes)
        #expect(read.patient.rawValue == "UKCore-Patient-RichardSmith-Example")
        #expect(read.serviceType == "218" && read.channel == .inPerson && read.status == .booked)
        #expect(read.description == "Appointment to investigate the pain in both hips")
        #expect(read.start == (try Instant(parsing: "2022-03-11T10:46:00+00:00")).date)
        let written = try R4.Appointment(read, context: serviceTypes, keeping: appointment)
        // Everything the appointment does not model is written back as it was.
        #expect(written.participant == appointment.participant && written.basedOn == appointment.basedOn)
        #expect(written.reasonReference == appointment.reasonReference && written.priority == appointment.priority)
        #expect(written.patientInstruction == appointment.patientInstruction)
        #expect(written.extension.count == appointment.extension.count)
        // The example has no version, which reads as 1; writing it back unchanged adds none.
        #expect(written.meta?.versionId == nil && written.serviceType == appointment.serviceType)
        try Emitted.write(written, name: "appointment-uk-core-orthopaedic")
    }

    @Test("a Schedule names its organisation in the suite's extension, or the context must give it")
    func scheduleOrganisation() throws {
        let json =
            #"{"resourceType":"Schedule","id":"d","actor":[{"reference":"Practitioner/gp"}],"serviceType":[{"coding":[{"system":"https://fhir.example.nhs.uk/CodeSystem/service-type","code":"gp"}]}]}"#
        let fhir = try Self.decode(json, as: R4.Schedule.self)
        let missing = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
            _ = try Schedule(fhir: fhir, context: Self.context)
        }
        #expect(missing?.field.description == "extension")
        var context = Self.context
        context.organisation = try ODSCode(parsing: "A81001")
        let schedule = try Schedule(fhir: fhir, context: context)
        let written = try R4.Schedule(schedule, context: Self.context, keeping: fhir)
        #expect(try Schedule(fhir: written, context: Self.context) == schedule)
        #expect(written.active == nil)

        let patientActor = try Self.decode(
            json.replacingOccurrences(of: "Practitioner/gp", with: "Patient/p"),
            as: R4.Schedule.self
        )
        let refused = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
            _ = try Schedule(fhir: patientActor, context: context)
        }
        #expect(refused?.field.description == "actor[0].reference")
        let badActor = try Schedule(
            id: schedule.id,
            actors: [.practitioner("not a FHIR id")],
            organisation: schedule.organisation,
            serviceType: "gp"
        )
        let unwritable = DatatypeMappingTests.failure { () throws(FHIREncodingError) in
            _ = try R4.Schedule(badActor, context: Self.context)
        }
        #expect(unwritable?.field.description == "actor[0]")
    }
}
