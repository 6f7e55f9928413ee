public import Appointments
public import CareCore
import Foundation

// Schedule, Slot and Appointment <-> UK Core Schedule, Slot and Appointment (issue #9).
//
// Element by element:
// - ids <-> `id`; the appointment's version <-> `meta.versionId` (absent reads as 1, a resource not yet
//   stored);
// - a schedule's actors <-> `Schedule.actor` (Practitioner, Location, Device or HealthcareService by id); its
//   organisation <-> the suite's `schedule-organisation` extension (R4's Schedule has no element for it);
//   whether it is in use <-> `active` (absent reads as in use, as R4 assumes);
// - service types <-> the first coding in the context's code system in `serviceType`;
// - the delivery channel <-> UK Core's `Extension-UKCore-DeliveryChannel`;
// - a slot's schedule, start, end and status <-> `schedule`, `start`, `end`, `status`; how many appointments
//   it holds <-> `overbooked`, and the suite's `booked-count` when the status and flag do not say it;
// - an appointment's patient <-> the one participant whose actor is a Patient; its slots <-> `slot` in order;
//   its lead diary <-> the suite's `lead-schedule` extension, or the schedule of its first slot when the
//   caller gives the slots; status, times, description, comment and `created` <-> the same elements; who
//   cancelled and why <-> `cancelationReason` (HL7's appointment-cancellation-reason: `pat…` codes are the
//   patient, any other code the provider; the reason is the concept's text).

/// What the appointment mappings need to know that a Schedule, Slot or Appointment may not say itself.
///
/// The Appointments module holds service types as plain codes ("diabetes-review", or a SNOMED CT concept
/// id); FHIR needs the code system they belong to. A Schedule or Slot from another system may also leave
/// out what the module requires: the organisation that runs the diary (R4's Schedule has no element for it)
/// or the delivery channel (UK Core's extension is optional). The context supplies them, and only when the
/// resource does not: nothing here overrides what a resource says.
public struct AppointmentMappingContext: Hashable, Sendable {
    /// The code system the service types are codes in: written as the coding's system, and the system whose
    /// coding is read.
    public var serviceTypeSystem: CodeSystem
    /// The organisation running a Schedule that does not name its own; `nil` refuses such a Schedule.
    public var organisation: ODSCode?
    /// The delivery channel of a Slot or Appointment that names none (and whose first slot, if given, does
    /// not either); `nil` refuses such a resource.
    public var channel: DeliveryChannel?

    /// Creates a context.
    ///
    /// - Parameters:
    ///   - serviceTypeSystem: The code system of service types.
    ///   - organisation: The organisation of Schedules that do not name one, if any.
    ///   - channel: The channel of Slots and Appointments that do not name one, if any.
    public init(serviceTypeSystem: CodeSystem, organisation: ODSCode? = nil, channel: DeliveryChannel? = nil) {
        self.serviceTypeSystem = serviceTypeSystem
        self.organisation = organisation
        self.channel = channel
    }
}

// MARK: - Schedule

extension Schedule {
    /// Reads a UK Core Schedule.
    ///
    /// What the schedule has no place for (identifiers, categories, specialties, the planning horizon, a
    /// comment) is not read; write back with ``FHIREncoding/R4/Schedule/init(_:context:keeping:)`` to keep it.
    ///
    /// - Parameters:
    ///   - schedule: The R4 Schedule.
    ///   - context: The service-type code system, and the organisation when the Schedule names none.
    ///   - id: The schedule's key, when it is not the Schedule's `id`.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a modifier
    ///   extension or `implicitRules`, a missing id, no actor or one that is not a Practitioner, Location,
    ///   Device or HealthcareService by id, no organisation, or no service type in the context's system.
    public init(fhir schedule: R4.Schedule, context: AppointmentMappingContext, id: ID? = nil) throws(FHIREncodingError)
    {
        try Mapping.refuseModifiers(schedule.modifierExtension, implicitRules: schedule.implicitRules)
        let id = try Mapping.id(id, of: schedule.id)
        let actors = try Mapping.each(schedule.actor, at: "actor") { (reference) throws(FHIREncodingError) in
            try Self.actor(reference)
        }
        guard !actors.isEmpty else {
            throw .unmappable(FieldPath("actor"), "a schedule needs at least one actor")
        }
        guard let organisation = try Self.organisation(schedule.extension) ?? context.organisation else {
            throw .unmappable(
                FieldPath("extension"),
                "the Schedule does not name the organisation that runs it and the context gives none"
            )
        }
        let service = try Mapping.serviceType(schedule.serviceType, context: context, resource: "Schedule")
        let isActive = try Mapping.flag(schedule.active, at: FieldPath("active")) ?? true
        do {
            try self.init(
                id: id,
                actors: actors,
                organisation: organisation,
                serviceType: service,
                isActive: isActive
            )
        } catch {
            throw .unmappable(.root, error.reason)
        }
    }

    static func actor(_ reference: R4.Reference) throws(FHIREncodingError) -> ScheduleActor {
        guard let target = try Mapping.target(reference, at: .root) else {
            throw .unmappable(.root, "an actor needs a literal reference by type and id")
        }
        switch target.type {
        case "Practitioner": return .practitioner(target.id)
        case "Location": return .location(target.id)
        case "Device": return .device(target.id)
        case "HealthcareService": return .service(target.id)
        default:
            throw .unmappable(
                FieldPath("reference"),
                "an actor must be a Practitioner, Location, Device or HealthcareService"
            )
        }
    }

    static func organisation(_ extensions: [R4.Extension]) throws(FHIREncodingError) -> ODSCode? {
        guard
            let (index, element) = try Mapping.single(
                R4.SuiteExtension.scheduleOrganisation.rawValue,
                in: extensions,
                at: .root
            )
        else { return nil }
        let place = FieldPath("extension").appending(index: index)
        guard case .reference(let reference) = element.value,
            let code = try Mapping.organisation(reference, at: place.appending("valueReference"))
        else {
            throw .unmappable(place, "the organisation needs a valueReference by ODS organisation code")
        }
        return code
    }
}

extension ScheduleActor {
    /// The actor as an R4 resource type and logical id.
    var target: (type: String, id: String) {
        switch self {
        case .practitioner(let id): return ("Practitioner", id)
        case .location(let id): return ("Location", id)
        case .device(let id): return ("Device", id)
        case .service(let id): return ("HealthcareService", id)
        }
    }
}

extension R4.Schedule {
    /// Writes a schedule as a UK Core Schedule, over the Schedule it was read from when there is one: what
    /// the schedule has no place for is kept, and so is each element whose value has not changed. The
    /// narrative is dropped when anything changed.
    ///
    /// - Parameters:
    ///   - schedule: The schedule.
    ///   - context: The service-type code system.
    ///   - original: The Schedule it was read from, if any.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` at `actor[i]` for an actor whose id is not a
    ///   FHIR id.
    public init(
        _ schedule: Schedule,
        context: AppointmentMappingContext,
        keeping original: R4.Schedule? = nil
    ) throws(FHIREncodingError) {
        for (index, actor) in schedule.actors.enumerated() where EntityID<ScheduleActor>(actor.target.id) == nil {
            throw .unmappable(FieldPath("actor").appending(index: index), "the actor's id is not a FHIR id")
        }
        self = original ?? R4.Schedule()
        id = schedule.id.rawValue
        meta = Mapping.meta(original?.meta, claiming: .schedule)
        // An absent `active` reads as in use; a fresh Schedule says so explicitly.
        if original.map({ $0.active?.value ?? true }) != schedule.isActive {
            active = R4.Primitive(schedule.isActive)
        }
        serviceType = Mapping.serviceTypes(schedule.serviceType, context: context, original: serviceType)
        actor = Mapping.keepingEach(
            schedule.actors,
            originals: actor,
            read: { (fhir) throws(FHIREncodingError) in try Schedule.actor(fhir) },
            write: { R4.Reference($0.target.type, id: $0.target.id) }
        )
        if (try? Schedule.organisation(self.extension)) != schedule.organisation {
            self.extension = Mapping.setting(
                R4.SuiteExtension.scheduleOrganisation.rawValue,
                to: R4.Extension(
                    url: R4.SuiteExtension.scheduleOrganisation.rawValue,
                    value: .reference(R4.Reference(organisation: schedule.organisation))
                ),
                in: self.extension
            )
        }
        Mapping.dropStaleNarrative(&self, original: original, profile: .schedule, text: \.text, meta: \.meta)
    }
}

// MARK: - Slot

extension Slot {
    /// Reads a UK Core Slot.
    ///
    /// How many appointments the slot holds comes from the suite's `booked-count` extension when present;
    /// otherwise from what the Slot says: two when `overbooked`, one when `busy` or `busy-tentative`, none
    /// otherwise.
    ///
    /// - Parameters:
    ///   - slot: The R4 Slot.
    ///   - context: The service-type code system, and the channel when the Slot names none.
    ///   - id: The slot's key, when it is not the Slot's `id`.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a modifier
    ///   extension or `implicitRules`, a missing id, a schedule that is not a relative reference by id, a start or end
    ///   that is not a moment, an end not after the start, an unknown status, no channel, no service type in
    ///   the context's system, or a booked count that contradicts `overbooked`.
    public init(fhir slot: R4.Slot, context: AppointmentMappingContext, id: ID? = nil) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(slot.modifierExtension, implicitRules: slot.implicitRules)
        let id = try Mapping.id(id, of: slot.id)
        let schedule: Schedule.ID = try Mapping.entityID(slot.schedule, of: "Schedule", at: FieldPath("schedule"))
        let (start, end) = try Mapping.times(slot.start, slot.end)
        guard let status: SlotStatus = try Mapping.code(slot.status, at: FieldPath("status")) else {
            throw .unmappable(FieldPath("status"), "a slot needs a status")
        }
        guard let channel = try Mapping.deliveryChannel(slot.extension) ?? context.channel else {
            throw .unmappable(
                FieldPath("extension"),
                "the Slot has no delivery channel and the context gives none"
            )
        }
        let service = try Mapping.serviceType(slot.serviceType, context: context, resource: "Slot")
        do {
            try self.init(
                id: id,
                schedule: schedule,
                start: start,
                end: end,
                channel: channel,
                serviceType: service,
                status: status
            )
        } catch {
            throw .unmappable(FieldPath("end"), error.reason)
        }
        bookedCount = try Self.bookedCount(slot, status: status)
    }

    /// The count a status and overbooked flag imply: two when overbooked, one when held, none otherwise.
    static func impliedCount(_ status: SlotStatus, overbooked: Bool) -> Int {
        if overbooked { return 2 }
        return status == .busy || status == .busyTentative ? 1 : 0
    }

    private static func bookedCount(_ slot: R4.Slot, status: SlotStatus) throws(FHIREncodingError) -> Int {
        let overbooked = try Mapping.flag(slot.overbooked, at: FieldPath("overbooked"))
        guard
            let (index, element) = try Mapping.single(
                R4.SuiteExtension.bookedCount.rawValue,
                in: slot.extension,
                at: .root
            )
        else { return impliedCount(status, overbooked: overbooked ?? false) }
        let place = FieldPath("extension").appending(index: index)
        guard case .unsignedInt(let primitive) = element.value, let count = primitive.value, count >= 0 else {
            throw .unmappable(place, "the booked count needs a valueUnsignedInt")
        }
        if let overbooked, overbooked != (count > 1) {
            throw .unmappable(place, "the booked count contradicts overbooked")
        }
        return Int(count)
    }
}

extension R4.Slot {
    /// Writes a slot as a UK Core Slot, over the Slot it was read from when there is one: what the slot has
    /// no place for is kept, and so is each element whose value has not changed. The narrative is dropped
    /// when anything changed. Times are written in UTC with the fewest fractional digits that read back as
    /// the same moment.
    ///
    /// - Parameters:
    ///   - slot: The slot.
    ///   - context: The service-type code system.
    ///   - original: The Slot it was read from, if any.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for an empty service type, a negative booked
    ///   count, or a time no FHIR instant can hold (outside
    ///   the years 1 to 9999).
    public init(
        _ slot: Slot,
        context: AppointmentMappingContext,
        keeping original: R4.Slot? = nil
    )
        throws(FHIREncodingError)
    {
        let schedule = Mapping.keeping(
            slot.schedule,
            original: original?.schedule,
            read: { (fhir) throws(FHIREncodingError) in try Mapping.entityID(fhir, of: "Schedule", at: .root) },
            write: { R4.Reference("Schedule", id: $0.rawValue) }
        )
        guard !slot.serviceType.isEmpty else {
            throw .unmappable(FieldPath("serviceType"), "a slot needs a service type")
        }
        guard slot.bookedCount >= 0 else {
            throw .unmappable(FieldPath("extension"), "a slot cannot hold fewer than no appointments")
        }
        let start = try Mapping.moment(slot.start, original: original?.start, at: FieldPath("start"))
        let end = try Mapping.moment(slot.end, original: original?.end, at: FieldPath("end"))
        self =
            original ?? R4.Slot(schedule: schedule, status: R4.Primitive(slot.status.rawValue), start: start, end: end)
        id = slot.id.rawValue
        meta = Mapping.meta(original?.meta, claiming: .slot)
        self.schedule = schedule
        self.start = start
        self.end = end
        if status.value != slot.status.rawValue { status = R4.Primitive(slot.status.rawValue) }
        serviceType = Mapping.serviceTypes(slot.serviceType, context: context, original: serviceType)
        if (overbooked?.value ?? false) != slot.overbooked {
            overbooked = slot.overbooked ? true : nil
        }
        self.extension = Mapping.settingChannel(slot.channel, in: self.extension)
        let implied = Slot.impliedCount(slot.status, overbooked: slot.overbooked)
        self.extension = Mapping.setting(
            R4.SuiteExtension.bookedCount.rawValue,
            to: slot.bookedCount == implied
                ? nil
                : R4.Extension(
                    url: R4.SuiteExtension.bookedCount.rawValue,
                    value: .unsignedInt(R4.Primitive(Int32(clamping: slot.bookedCount)))
                ),
            in: self.extension
        )
        Mapping.dropStaleNarrative(&self, original: original, profile: .slot, text: \.text, meta: \.meta)
    }
}

// MARK: - Appointment

extension Appointment {
    /// Reads a UK Core Appointment.
    ///
    /// The lead diary comes from the suite's `lead-schedule` extension, or else from the first slot when it
    /// is among `slots`; the service type and channel come from the Appointment, or else from that slot, or
    /// (the channel only) from the context. What the appointment has no place for (other participants,
    /// reasons, instructions, identifiers) is not read; write back with
    /// ``FHIREncoding/R4/Appointment/init(_:context:keeping:)`` to keep it.
    ///
    /// - Parameters:
    ///   - appointment: The R4 Appointment.
    ///   - context: The service-type code system, and the channel when neither the Appointment nor its first
    ///     slot names one.
    ///   - slots: Slots the caller holds, to find the lead diary, service and channel the Appointment does not
    ///     name; usually the slots of the book it is restored into.
    ///   - id: The appointment's key, when it is not the Appointment's `id`.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element and why: a modifier
    ///   extension or `implicitRules`, a missing id, an unknown status, no patient or two, a slot that is not
    ///   a reference by id, no lead diary, service type or channel, a missing start or end, a version that is
    ///   not a whole number from 1, a `created` that is not a moment, a cancellation reason that does not say
    ///   who cancelled, or what the appointment itself refuses (no slots while booked, text too long, a
    ///   cancellation reason on an appointment that is not cancelled).
    public init(
        fhir appointment: R4.Appointment,
        context: AppointmentMappingContext,
        slots: [Slot] = [],
        id: ID? = nil
    ) throws(FHIREncodingError) {
        try Self.refuseModifiers(appointment)
        let id = try Mapping.id(id, of: appointment.id)
        guard let status: AppointmentStatus = try Mapping.code(appointment.status, at: FieldPath("status")) else {
            throw .unmappable(FieldPath("status"), "an appointment needs a status")
        }
        let patient = try Self.patient(appointment.participant)
        let held = try Mapping.each(appointment.slot, at: "slot") { (reference) throws(FHIREncodingError) in
            let slot: Slot.ID = try Mapping.entityID(reference, of: "Slot", at: .root)
            return slot
        }
        guard !held.isEmpty || !status.holdsSlots else {
            throw .unmappable(FieldPath("slot"), "an appointment in this status holds at least one slot")
        }
        let lead = held.first.flatMap { first in slots.first { $0.id == first } }
        let named = try Self.leadSchedule(appointment.extension)
        if let named, let lead, named != lead.schedule {
            throw .unmappable(FieldPath("extension"), "the lead diary named contradicts the schedule of the first slot")
        }
        guard let schedule = named ?? lead?.schedule else {
            throw .unmappable(
                FieldPath("extension"),
                "the lead diary is not named and the first slot is not among the slots given"
            )
        }
        let service =
            try Mapping.code(
                in: appointment.serviceType,
                system: context.serviceTypeSystem,
                at: FieldPath("serviceType")
            ) ?? lead?.serviceType
        guard let service else {
            throw .unmappable(
                FieldPath("serviceType"),
                "the Appointment has no service type in the context's code system and its first slot is not given"
            )
        }
        guard let channel = try Mapping.deliveryChannel(appointment.extension) ?? lead?.channel ?? context.channel
        else {
            throw .unmappable(
                FieldPath("extension"),
                "the Appointment has no delivery channel, its first slot is not given and the context gives none"
            )
        }
        let (start, end) = try Mapping.times(appointment.start, appointment.end)
        guard let created = try Mapping.moment(appointment.created, at: FieldPath("created")) else {
            throw .unmappable(FieldPath("created"), "the mapping needs the moment the appointment was booked")
        }
        let cancellation = try appointment.cancelationReason.map { (concept) throws(FHIREncodingError) in
            try Self.cancellation(concept)
        }
        let description = try Mapping.text(appointment.description, at: FieldPath("description")) ?? ""
        let comment = try Mapping.text(appointment.comment, at: FieldPath("comment")) ?? ""
        guard comment.count <= Appointment.maximumCommentLength else {
            throw .unmappable(FieldPath("comment"), "a comment is at most 500 characters")
        }
        let version = try Mapping.version(appointment.meta)
        do {
            try self.init(
                restoring: id,
                patient: patient,
                slots: held,
                schedule: schedule,
                serviceType: service,
                start: start,
                end: end,
                channel: channel,
                status: status,
                description: description,
                comment: comment,
                cancellation: cancellation,
                version: version,
                created: created
            )
        } catch {
            throw .unmappable(Self.element(of: error.field), error.reason)
        }
    }

    /// The R4 element a domain refusal of ``init(restoring:patient:slots:schedule:serviceType:start:end:channel:status:description:comment:cancellation:version:created:)``
    /// is about.
    private static func element(of field: FieldPath) -> FieldPath {
        switch field.description {
        case "appointment.version": return FieldPath("meta.versionId")
        case "appointment.end": return FieldPath("end")
        case "appointment.slots": return FieldPath("slot")
        case "appointment.description": return FieldPath("description")
        case "appointment.cancellation": return FieldPath("cancelationReason")
        default: return .root
        }
    }

    /// Refuses what changes the meaning of the Appointment: modifier extensions on it or a participant, and
    /// `implicitRules`.
    private static func refuseModifiers(_ appointment: R4.Appointment) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(appointment.modifierExtension, implicitRules: appointment.implicitRules)
        for (index, participant) in appointment.participant.enumerated() {
            try Mapping.refuseModifierExtensions(
                participant.modifierExtension,
                at: FieldPath("participant").appending(index: index)
            )
        }
    }

    /// Whether a participant's actor is a patient: a literal reference to a Patient, or a reference of type
    /// Patient.
    static func isPatient(_ participant: R4.Appointment.Participant) -> Bool {
        guard let actor = participant.actor else { return false }
        if actor.type?.value == "Patient" { return true }
        return (try? Mapping.target(actor, at: .root))?.type == "Patient"
    }

    static func patient(_ participants: [R4.Appointment.Participant]) throws(FHIREncodingError) -> PatientID {
        var found: PatientID?
        for (index, participant) in participants.enumerated() {
            guard let actor = participant.actor else { continue }
            let place = FieldPath("participant").appending(index: index).appending("actor")
            // A reference whose declared type contradicts its literal is refused here rather than skipped.
            let target = try Mapping.target(actor, at: place)
            guard actor.type?.value == "Patient" || target?.type == "Patient" else { continue }
            guard found == nil else { throw .unmappable(place, "an appointment is for one patient") }
            found = try Mapping.entityID(participant.actor, of: "Patient", at: place)
        }
        guard let found else {
            throw .unmappable(FieldPath("participant"), "an appointment needs a participant who is the patient")
        }
        return found
    }

    static func leadSchedule(_ extensions: [R4.Extension]) throws(FHIREncodingError) -> Schedule.ID? {
        guard
            let (index, element) = try Mapping.single(
                R4.SuiteExtension.leadSchedule.rawValue,
                in: extensions,
                at: .root
            )
        else { return nil }
        let place = FieldPath("extension").appending(index: index)
        guard case .reference(let reference) = element.value else {
            throw .unmappable(place, "the lead diary needs a valueReference to the Schedule")
        }
        return try Mapping.entityID(reference, of: "Schedule", at: place.appending("valueReference"))
    }

    /// HL7's appointment-cancellation-reason code system (R4 value set `appointment-cancellation-reason`).
    static let cancellationSystem = "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason"

    static func cancellation(_ concept: R4.CodeableConcept) throws(FHIREncodingError) -> Cancellation {
        let field = FieldPath("cancelationReason")
        guard let code = try Mapping.code(in: concept, system: CodeSystem(rawValue: cancellationSystem), at: field)
        else {
            throw .unmappable(
                field.appending("coding"),
                "a cancellation reason needs a code in appointment-cancellation-reason to say who cancelled"
            )
        }
        let initiator: Initiator = code == "pat" || code.hasPrefix("pat-") ? .patient : .provider
        return Cancellation(
            initiator: initiator,
            reason: try Mapping.text(concept.text, at: field.appending("text")) ?? ""
        )
    }
}

extension R4.Appointment {
    /// Writes an appointment as a UK Core Appointment, over the Appointment it was read from when there is
    /// one: what the appointment has no place for is kept (other participants, reasons, instructions), and
    /// so is each element whose value has not changed. The narrative is dropped when anything changed.
    ///
    /// The patient is written as a required participant, `accepted` once booked, `needs-action` while
    /// proposed, pending or on the waitlist, and `declined` when they cancelled; the version goes in
    /// `meta.versionId`.
    ///
    /// - Parameters:
    ///   - appointment: The appointment.
    ///   - context: The service-type code system.
    ///   - original: The Appointment it was read from, if any.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for an empty service type or a time no FHIR
    ///   instant can hold.
    public init(
        _ appointment: Appointment,
        context: AppointmentMappingContext,
        keeping original: R4.Appointment? = nil
    ) throws(FHIREncodingError) {
        guard !appointment.serviceType.isEmpty else {
            throw .unmappable(FieldPath("serviceType"), "an appointment needs a service type")
        }
        let status = R4.Primitive(appointment.status.rawValue)
        let statusChanged = original?.status.value != appointment.status.rawValue
        self = original ?? R4.Appointment(status: status)
        id = appointment.id.rawValue
        meta = Mapping.meta(original?.meta, claiming: .appointment)
        // An absent version reads as 1, so an unchanged version 1 adds nothing.
        if original == nil || (try? Mapping.version(original?.meta)) != appointment.version {
            meta?.versionId = R4.Primitive(String(appointment.version))
        }
        self.status = Mapping.keeping(
            appointment.status,
            original: original?.status,
            read: { (fhir) throws(FHIREncodingError) in
                guard let value: AppointmentStatus = try Mapping.code(fhir, at: .root) else {
                    throw .unmappable(.root, "no status")
                }
                return value
            },
            write: { _ in status }
        )
        cancelationReason = Self.cancellation(appointment.cancellation, original: original?.cancelationReason)
        serviceType = Mapping.serviceTypes(appointment.serviceType, context: context, original: serviceType)
        description = Self.text(appointment.description, original: original?.description)
        comment = Self.text(appointment.comment, original: original?.comment)
        start = try Mapping.moment(appointment.start, original: original?.start, at: FieldPath("start"))
        end = try Mapping.moment(appointment.end, original: original?.end, at: FieldPath("end"))
        created = try Mapping.moment(appointment.created, original: original?.created, at: FieldPath("created"))
        slot = Mapping.keepingEach(
            appointment.slots,
            originals: slot,
            read: { (fhir) throws(FHIREncodingError) in try Mapping.entityID(fhir, of: "Slot", at: .root) },
            write: { R4.Reference("Slot", id: $0.rawValue) }
        )
        participant = Self.participants(appointment, original: participant, statusChanged: statusChanged)
        self.extension = Mapping.settingChannel(appointment.channel, in: self.extension)
        if (try? Appointment.leadSchedule(self.extension)) != appointment.schedule {
            self.extension = Mapping.setting(
                R4.SuiteExtension.leadSchedule.rawValue,
                to: R4.Extension(
                    url: R4.SuiteExtension.leadSchedule.rawValue,
                    value: .reference(R4.Reference("Schedule", id: appointment.schedule.rawValue))
                ),
                in: self.extension
            )
        }
        Mapping.dropStaleNarrative(&self, original: original, profile: .appointment, text: \.text, meta: \.meta)
    }

    private static func text(_ value: String, original: R4.Primitive<String>?) -> R4.Primitive<String>? {
        if original?.value == value { return original }
        return value.isEmpty ? nil : R4.Primitive(value)
    }

    private static func cancellation(
        _ cancellation: Appointment.Cancellation?,
        original: R4.CodeableConcept?
    ) -> R4.CodeableConcept? {
        guard let cancellation else { return nil }
        if let original, (try? Appointment.cancellation(original)) == cancellation { return original }
        let (code, display) = cancellation.initiator == .patient ? ("pat", "Patient") : ("prov", "Provider")
        var concept = Mapping.concept(Appointment.cancellationSystem, code, display: display)
        concept.text = cancellation.reason.isEmpty ? nil : R4.Primitive(cancellation.reason)
        return concept
    }

    /// The participants: the patient's entry first when there was none, others kept as they were.
    private static func participants(
        _ appointment: Appointment,
        original: [R4.Appointment.Participant],
        statusChanged: Bool
    ) -> [R4.Appointment.Participant] {
        let acceptance: String
        switch appointment.status {
        case .proposed, .pending, .waitlist: acceptance = "needs-action"
        case .cancelled where appointment.cancellation?.initiator == .patient: acceptance = "declined"
        default: acceptance = "accepted"
        }
        var result = original
        if let index = result.firstIndex(where: Appointment.isPatient) {
            let same = (try? Mapping.entityID(result[index].actor, of: "Patient", at: .root)) == appointment.patient
            if same && !statusChanged { return result }
            if !same { result[index].actor = R4.Reference("Patient", id: appointment.patient.rawValue) }
            result[index].status = R4.Primitive(acceptance)
            return result
        }
        result.insert(
            R4.Appointment.Participant(
                status: R4.Primitive(acceptance),
                actor: R4.Reference("Patient", id: appointment.patient.rawValue),
                required: "required"
            ),
            at: 0
        )
        return result
    }
}

// MARK: - Shared

extension Mapping {
    /// Refuses modifier extensions and `implicitRules` on a resource.
    static func refuseModifiers(
        _ modifierExtension: [R4.Extension],
        implicitRules: R4.Primitive<String>?
    ) throws(FHIREncodingError) {
        try refuseModifierExtensions(modifierExtension, at: .root)
        if implicitRules != nil {
            throw .unmappable(
                FieldPath("implicitRules"),
                "the resource was written under rules the mapping does not know"
            )
        }
    }

    /// The version a resource's `meta.versionId` gives; absent reads as 1.
    static func version(_ meta: R4.Meta?) throws(FHIREncodingError) -> Int {
        guard let text = try Mapping.text(meta?.versionId, at: FieldPath("meta.versionId")) else { return 1 }
        guard let version = Int(text), version >= 1, String(version) == text else {
            throw .unmappable(FieldPath("meta.versionId"), "the version must be a whole number from 1")
        }
        return version
    }

    /// The key of a record: the one given, or the resource's `id`.
    static func id<Tag>(_ given: EntityID<Tag>?, of text: String?) throws(FHIREncodingError) -> EntityID<Tag> {
        if let given { return given }
        guard let text else {
            throw .unmappable(FieldPath("id"), "the record needs an id: the resource has none and none was given")
        }
        do {
            return try EntityID(validating: text)
        } catch {
            throw .unmappable(FieldPath("id"), error)
        }
    }

    /// Both times of a slot or appointment, each required.
    static func times(
        _ start: R4.Primitive<String>?,
        _ end: R4.Primitive<String>?
    ) throws(FHIREncodingError) -> (Date, Date) {
        guard let from = try moment(start, at: FieldPath("start")) else {
            throw .unmappable(FieldPath("start"), "the mapping needs a start")
        }
        guard let to = try moment(end, at: FieldPath("end")) else {
            throw .unmappable(FieldPath("end"), "the mapping needs an end")
        }
        return (from, to)
    }

    /// The service type: the first coding in the context's system.
    static func serviceType(
        _ concepts: [R4.CodeableConcept],
        context: AppointmentMappingContext,
        resource: String
    ) throws(FHIREncodingError) -> String {
        guard let code = try code(in: concepts, system: context.serviceTypeSystem, at: FieldPath("serviceType")) else {
            throw .unmappable(
                FieldPath("serviceType"),
                "the \(resource) has no service type in the context's code system"
            )
        }
        return code
    }

    /// The service types, kept whole while their first coding in the context's system is unchanged; otherwise
    /// the concept holding that coding is replaced, or a concept is added, and the others are kept.
    static func serviceTypes(
        _ value: String,
        context: AppointmentMappingContext,
        original: [R4.CodeableConcept]
    ) -> [R4.CodeableConcept] {
        let system = context.serviceTypeSystem
        if (try? code(in: original, system: system, at: .root)) == value { return original }
        let concept = Mapping.concept(system.rawValue, value)
        // The concept that held the old code is replaced; concepts in other systems are kept.
        var result = original
        if let index = original.firstIndex(where: { (try? code(in: $0, system: system, at: .root)) != nil }) {
            result[index] = concept
        } else {
            result.append(concept)
        }
        return result
    }

    /// The delivery channel in UK Core's extension, if present.
    static func deliveryChannel(_ extensions: [R4.Extension]) throws(FHIREncodingError) -> DeliveryChannel? {
        guard let (index, element) = try single(R4.CoreExtension.deliveryChannel, in: extensions, at: .root) else {
            return nil
        }
        let place = FieldPath("extension").appending(index: index).appending("valueCodeableConcept")
        guard case .codeableConcept(let concept) = element.value,
            let code = try code(
                in: concept,
                system: CodeSystem(rawValue: R4.CoreExtension.deliveryChannelSystem),
                at: place
            )
        else {
            throw .unmappable(place, "the delivery channel needs a coding in UKCore-DeliveryChannel")
        }
        guard let channel = DeliveryChannel(rawValue: code) else {
            throw .unmappable(place, "the delivery channel is not In-person, Telephone or Video")
        }
        return channel
    }

    /// The extensions with the delivery channel set, the original extension kept while it says the same.
    static func settingChannel(_ channel: DeliveryChannel, in extensions: [R4.Extension]) -> [R4.Extension] {
        if (try? deliveryChannel(extensions)) == channel { return extensions }
        let display = channel == .inPerson ? "In person" : channel.rawValue
        let element = R4.Extension(
            url: R4.CoreExtension.deliveryChannel,
            value: .codeableConcept(
                concept(R4.CoreExtension.deliveryChannelSystem, channel.rawValue, display: display)
            )
        )
        return setting(R4.CoreExtension.deliveryChannel, to: element, in: extensions)
    }

    /// Drops a narrative that may no longer match a resource written over its original: one that changed
    /// in anything but the profile the mapping claims.
    static func dropStaleNarrative<Resource: Equatable>(
        _ written: inout Resource,
        original: Resource?,
        profile: R4.UKCoreProfile,
        text: WritableKeyPath<Resource, R4.Narrative?>,
        meta: WritableKeyPath<Resource, R4.Meta?>
    ) {
        guard let original, written[keyPath: text] != nil else { return }
        var unchanged = original
        unchanged[keyPath: meta] = Mapping.meta(original[keyPath: meta], claiming: profile)
        if written != unchanged { written[keyPath: text] = nil }
    }
}
