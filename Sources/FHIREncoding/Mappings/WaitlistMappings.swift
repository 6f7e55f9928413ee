public import Appointments
import CareCore
import Foundation

// A waiting-list entry <-> an R4 Appointment with status `waitlist` (issue #10).
//
// R4 has no waiting-list resource; its Appointment status `waitlist` is the one the specification gives for
// a request to be scheduled when a slot is available, and invariant app-3 lets such an Appointment have no
// start or end. Element by element:
// - the entry's id <-> `id`; the patient <-> the one participant who is a Patient (`needs-action`);
// - its service type <-> `serviceType`, in the context's code system;
// - the window it can be seen in <-> the one `requestedPeriod`; when it joined <-> `created`;
// - where it stands <-> `status`: `waitlist` while waiting or holding an offer, `cancelled` once it stopped
//   waiting (booked or withdrawn), since app-3 allows no other status without times; the suite's
//   `waitlist-entry` extension says which, and names the appointment booked from it, which a consumer
//   should show in its place;
// - the organisation, the channels, the open offer and the slots passed over <-> parts of that extension.

extension WaitlistEntry {
    /// Reads a waiting-list entry from an Appointment the suite wrote for one (see the waiting-list writer of
    /// `R4.Appointment`).
    ///
    /// - Parameters:
    ///   - appointment: The R4 Appointment.
    ///   - context: The service-type code system.
    /// - Throws: ``FHIREncodingError`` with code `unmappable`, naming the element: a modifier extension or
    ///   `implicitRules`; a missing id; a `slot`, `start` or `end`; a status other than `waitlist` or `cancelled`, or one that contradicts
    ///   the entry's; no patient or two; no service type in the context's system; not exactly one
    ///   `requestedPeriod` with a start and an end; no `created`; no suite `waitlist-entry` extension, or a
    ///   part of it missing or of the wrong type; or what the entry itself refuses (no channel, an empty
    ///   window, an offer without the offered status).
    public init(fhir appointment: R4.Appointment, context: AppointmentMappingContext) throws(FHIREncodingError) {
        try Mapping.refuseModifiers(appointment.modifierExtension, implicitRules: appointment.implicitRules)
        let id: ID = try Mapping.id(nil, of: appointment.id)
        // An entry waits for a slot: one that names a slot or a time is a booking, not an entry.
        for (element, present) in [
            ("slot", !appointment.slot.isEmpty), ("start", appointment.start != nil), ("end", appointment.end != nil),
        ] where present {
            throw .unmappable(FieldPath(element), "a waiting-list entry has no slot and no time of its own")
        }
        let patient = try Appointment.patient(appointment.participant)
        let service = try Mapping.serviceType(appointment.serviceType, context: context, resource: "Appointment")
        guard appointment.requestedPeriod.count == 1, let window = appointment.requestedPeriod.first else {
            throw .unmappable(FieldPath("requestedPeriod"), "a waiting-list entry has one requested period")
        }
        let place = FieldPath("requestedPeriod").appending(index: 0)
        guard let earliest = try Mapping.moment(window.start, at: place.appending("start")),
            let latest = try Mapping.moment(window.end, at: place.appending("end"))
        else {
            throw .unmappable(place, "a waiting-list entry's requested period has a start and an end")
        }
        guard let joined = try Mapping.moment(appointment.created, at: FieldPath("created")) else {
            throw .unmappable(FieldPath("created"), "the mapping needs the moment the patient joined the list")
        }
        guard let parts = try ExtensionParts.single(.waitlistEntry, in: appointment.extension, noun: "entry") else {
            throw .unmappable(FieldPath("extension"), "a waiting-list entry needs the suite's waitlist-entry extension")
        }
        let status: Status = try parts.code("status")
        guard appointment.status.value == Self.fhirStatus(status) else {
            throw .unmappable(FieldPath("status"), "the Appointment's status contradicts the entry's")
        }
        var channels: Set<DeliveryChannel> = []
        for part in parts.all("channel") {
            guard case .code(let primitive)? = part.element.value, let code = primitive.value,
                let channel = DeliveryChannel(rawValue: code)
            else {
                throw .unmappable(part.place, "the entry's channel needs a valueCode the suite defines")
            }
            channels.insert(channel)
        }
        let offer = try parts.optionalNested("offer", noun: "offer").map { (offer) throws(FHIREncodingError) in
            Offer(
                slot: try offer.entityID("slot"),
                made: try offer.moment("made"),
                expires: try offer.moment("expires")
            )
        }
        var passedOver: Set<Slot.ID> = []
        for part in parts.all("passedOver") {
            guard case .id(let primitive)? = part.element.value, let slot = primitive.value.flatMap(Slot.ID.init) else {
                throw .unmappable(part.place, "the entry's passedOver needs a valueId")
            }
            passedOver.insert(slot)
        }
        let booked: Appointment.ID? =
            try parts.single("appointment") == nil ? nil : try parts.entityID("appointment")
        let organisation = try parts.optionalOrganisation("organisation")
        do throws(AppointmentsError) {
            let entry = try WaitlistEntry(
                id: id,
                patient: patient,
                serviceType: service,
                organisation: organisation,
                channels: channels,
                earliest: earliest,
                latest: latest,
                joined: joined
            )
            try self.init(restoring: entry, status: status, offer: offer, passedOver: passedOver, appointment: booked)
        } catch {
            throw .unmappable(parts.place, error.reason)
        }
    }

    /// The Appointment status an entry is written with.
    static func fhirStatus(_ status: Status) -> String {
        switch status {
        case .waiting, .offered: "waitlist"
        case .booked, .withdrawn: "cancelled"
        }
    }
}

extension R4.Appointment {
    /// Where a waiting-list entry's window is written.
    private static let window = FieldPath("requestedPeriod").appending(index: 0)

    /// Writes a waiting-list entry as an Appointment with status `waitlist`, or `cancelled` once it stopped
    /// waiting, and the suite's `waitlist-entry` extension.
    ///
    /// - Parameters:
    ///   - entry: The entry.
    ///   - context: The service-type code system.
    /// - Throws: ``FHIREncodingError`` with code `unmappable` for a moment no FHIR dateTime can hold.
    public init(_ entry: WaitlistEntry, context: AppointmentMappingContext) throws(FHIREncodingError) {
        self.init(status: R4.Primitive(WaitlistEntry.fhirStatus(entry.status)))
        id = entry.id.rawValue
        meta = Mapping.meta(nil, claiming: .appointment)
        serviceType = Mapping.serviceTypes(entry.serviceType, context: context, original: [])
        requestedPeriod = [
            R4.Period(
                start: try Mapping.moment(entry.earliest, at: Self.window.appending("start")),
                end: try Mapping.moment(entry.latest, at: Self.window.appending("end"))
            )
        ]
        created = try Mapping.moment(entry.joined, at: FieldPath("created"))
        participant = [
            R4.Appointment.Participant(
                status: "needs-action",
                actor: R4.Reference("Patient", id: entry.patient.rawValue),
                required: "required"
            )
        ]
        var parts = ExtensionBuilder(at: FieldPath("extension"), noun: "entry")
        parts.code("status", entry.status)
        parts.organisation("organisation", entry.organisation)
        for channel in entry.channels.sorted(by: { $0.rawValue < $1.rawValue }) { parts.code("channel", channel) }
        if let offer = entry.offer {
            var nested = ExtensionBuilder(at: FieldPath("extension"), noun: "offer")
            nested.id("slot", offer.slot)
            try nested.moment("made", offer.made)
            try nested.moment("expires", offer.expires)
            parts.nested("offer", nested)
        }
        for slot in entry.passedOver.sorted() { parts.id("passedOver", slot) }
        if let booked = entry.appointment { parts.id("appointment", booked) }
        self.extension = parts.build(.waitlistEntry).map { [$0] } ?? []
    }
}
