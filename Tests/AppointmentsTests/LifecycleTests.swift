import Testing

@testable import Appointments

@Suite struct AppointmentStatusTests {
    /// Every pair of statuses, against the table in the research notes (B6) and the documented short cuts.
    @Test func allowsExactlyTheDocumentedTransitions() {
        let allowed: Set<[AppointmentStatus]> = [
            [.proposed, .pending], [.waitlist, .pending], [.proposed, .booked], [.waitlist, .booked],
            [.pending, .booked], [.booked, .arrived], [.booked, .checkedIn], [.arrived, .checkedIn],
            [.arrived, .fulfilled], [.checkedIn, .fulfilled], [.booked, .noshow], [.proposed, .cancelled],
            [.waitlist, .cancelled], [.pending, .cancelled], [.booked, .cancelled],
        ]
        for from in AppointmentStatus.allCases {
            for to in AppointmentStatus.allCases {
                let expected = to == .enteredInError ? from != .enteredInError : allowed.contains([from, to])
                #expect(from.canMove(to: to) == expected, "\(from.rawValue) → \(to.rawValue)")
            }
        }
    }

    @Test func finalStatusesLeadNowhereButEnteredInError() {
        for status in AppointmentStatus.allCases where status.isFinal {
            let next = AppointmentStatus.allCases.filter { status.canMove(to: $0) }
            #expect(next == (status == .enteredInError ? [] : [.enteredInError]), "\(status.rawValue)")
        }
        #expect(
            Set(AppointmentStatus.allCases.filter(\.isFinal)) == [.fulfilled, .cancelled, .noshow, .enteredInError]
        )
    }

    /// FHIR R4 invariant app-3: only proposed, cancelled and waitlist appointments may lack times. The codes
    /// are FHIR's, including `noshow` (which app-4's expression misspells as `no-show`).
    @Test func knowsWhichStatusesNeedTimesAndUsesTheFHIRCodes() {
        #expect(Set(AppointmentStatus.allCases.filter { !$0.requiresTimes }) == [.proposed, .cancelled, .waitlist])
        #expect(AppointmentStatus.noshow.rawValue == "noshow")
        #expect(AppointmentStatus.checkedIn.rawValue == "checked-in")
        #expect(AppointmentStatus.enteredInError.rawValue == "entered-in-error")
    }
}
