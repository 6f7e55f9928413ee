import CareCore
import ConsentAccess
import Foundation
import Testing

/// Self and proxy access by age, checked at each band edge: the day before and the day of the 11th and 16th
/// birthdays, in Europe/London civil dates.
@Suite struct SelfAndProxyAccessTests {
    let lucy: Access.PatientID
    let mum: Access.PersonID
    let dayBefore = Fixtures.now - Fixtures.day
    var facts = AccessFacts()

    init() throws {
        lucy = try Fixtures.patient("lucy")
        mum = try Fixtures.person("mum")
    }

    /// Lucy's privacy facts with a birthday falling on the test's "now", `age` years earlier.
    mutating func born(yearsBeforeNow age: Int) throws {
        facts.record(PatientPrivacy(patient: lucy, birthDate: try CivilDate(year: 2026 - age, month: 11, day: 25)))
    }

    mutating func authority(
        _ basis: ProxyAuthority.Basis,
        classes: Set<DataClass> = [],
        actions: Set<AccessAction> = [.read]
    ) throws {
        facts.record(
            try ProxyAuthority(
                id: try ProxyAuthority.ID(validating: "authority-\(basis.rawValue)"),
                patient: lucy,
                proxy: mum,
                basis: basis,
                period: try ValidityPeriod(from: Fixtures.now - 400 * Fixtures.day, until: nil),
                dataClasses: classes,
                actions: actions
            )
        )
    }

    mutating func assessed(competent: Bool, consents: Bool, at time: Date? = nil) {
        facts.record(
            CompetenceAssessment(
                patient: lucy,
                assessed: time ?? Fixtures.now - 10 * Fixtures.day,
                competent: competent,
                consentsToProxyAccess: consents
            )
        )
    }

    func selfRequest(
        _ dataClass: DataClass = .carePlan,
        _ action: AccessAction = .read,
        at time: Date = Fixtures.now
    ) -> AccessRequest {
        Fixtures.request(.patient(lucy), lucy, dataClass, action, purpose: .selfAccess, at: time)
    }

    func proxyRequest(
        _ dataClass: DataClass = .carePlan,
        _ action: AccessAction = .read,
        at time: Date = Fixtures.now
    ) -> AccessRequest {
        Fixtures.request(.proxy(mum), lucy, dataClass, action, purpose: .selfAccess, at: time)
    }

    // MARK: Self access

    @Test mutating func selfAccessStartsAt16WithoutAnAssessment() throws {
        try born(yearsBeforeNow: 16)
        #expect(try Fixtures.decide(facts, selfRequest()).reasons == [.ownRecord])
        let at15 = try Fixtures.decide(facts, selfRequest(at: dayBefore))
        #expect(at15.reasons == [.competenceNotEstablished])
    }

    @Test mutating func from11To15SelfAccessNeedsACompetentAssessment() throws {
        try born(yearsBeforeNow: 11)
        #expect(try Fixtures.decide(facts, selfRequest()).reasons == [.competenceNotEstablished])
        #expect(try Fixtures.decide(facts, selfRequest(at: dayBefore)).reasons == [.tooYoungForSelfAccess])
        assessed(competent: true, consents: false, at: Fixtures.now - 60)
        #expect(try Fixtures.decide(facts, selfRequest()).reasons == [.ownRecord, .gillickCompetent])
        // An assessment made after the request does not count.
        #expect(try Fixtures.decide(facts, selfRequest(at: Fixtures.now - 120)).reasons == [.competenceNotEstablished])
        // A later finding of not competent replaces it.
        assessed(competent: false, consents: false, at: Fixtures.now - 30)
        #expect(try Fixtures.decide(facts, selfRequest()).reasons == [.competenceNotEstablished])
    }

    @Test mutating func aPatientWithNoDateOfBirthIsDeniedRatherThanGuessed() throws {
        facts.record(PatientPrivacy(patient: lucy))
        #expect(try Fixtures.decide(facts, selfRequest()).reasons == [.ageUnknown])
    }

    @Test mutating func aPatientReachesOnlyTheirOwnRecordForSelfAccess() throws {
        try born(yearsBeforeNow: 40)
        let other = try Fixtures.patient("someone-else")
        let request = Fixtures.request(.patient(lucy), other, .carePlan, purpose: .selfAccess)
        #expect(try Fixtures.decide(facts, request).reasons == [.notOwnRecord])
        let asCare = Fixtures.request(.patient(lucy), lucy, .carePlan, purpose: .directCare)
        #expect(try Fixtures.decide(facts, asCare).reasons == [.purposeNotAllowed(.directCare)])
        #expect(try Fixtures.decide(facts, selfRequest(.detailedRecord, .update)).reasons == [.actionNotAllowed])
        #expect(try Fixtures.decide(facts, selfRequest(.appointments, .update)).isPermitted)
    }

    @Test mutating func itemsWithheldUntilDiscussedAppearOnceDiscussed() throws {
        try born(yearsBeforeNow: 40)
        let result = ProtectedItem(
            id: try Access.ItemID(validating: "result-1"),
            patient: lucy,
            dataClass: .results,
            reason: .awaitingDiscussion,
            withheldUntilDiscussed: true
        )
        facts.record(result)
        #expect(try Fixtures.decide(facts, selfRequest(.results)).hiddenItems == [result.id])
        var discussed = result
        discussed.discussed = Fixtures.now - 60
        facts.record(discussed)
        #expect(try Fixtures.decide(facts, selfRequest(.results)).hiddenItems.isEmpty)
        #expect(try Fixtures.decide(facts, selfRequest(.results, at: Fixtures.now - 61)).hiddenItems == [result.id])
        // A restricted record's location is never hidden from the patient themselves.
        facts.record(
            PatientPrivacy(patient: lucy, restricted: true, birthDate: try CivilDate(year: 1986, month: 11, day: 25))
        )
        #expect(try Fixtures.decide(facts, selfRequest(.contactDetails)).redactedFields.isEmpty)
    }

    // MARK: Proxy access

    @Test mutating func aParentHasFullProxyAccessUntilTheChildTurns11() throws {
        try born(yearsBeforeNow: 11)
        try authority(.parentalResponsibility)
        let at10 = try Fixtures.decide(facts, proxyRequest(at: dayBefore))
        #expect(
            at10.reasons == [
                .proxyAuthority(
                    try ProxyAuthority.ID(validating: "authority-parental-responsibility"),
                    .parentalResponsibility
                )
            ]
        )
        // On the 11th birthday, without an assessment, only the administrative classes remain.
        let at11 = try Fixtures.decide(facts, proxyRequest())
        #expect(
            at11.reasons == [.outsideProxyScope(try ProxyAuthority.ID(validating: "authority-parental-responsibility"))]
        )
        let appointments = try Fixtures.decide(facts, proxyRequest(.appointments))
        #expect(appointments.isPermitted)
        #expect(appointments.reasons.last == .administrativeAccessOnly)
    }

    @Test mutating func aCompetentChildDecidesAboutProxyAccess() throws {
        try born(yearsBeforeNow: 15)
        try authority(.parentalResponsibility)
        assessed(competent: true, consents: true)
        #expect(try Fixtures.decide(facts, proxyRequest()).reasons.last == .gillickCompetent)
        assessed(competent: true, consents: false, at: Fixtures.now - Fixtures.day)
        let refused = try Fixtures.decide(facts, proxyRequest(.appointments))
        #expect(
            refused.reasons == [
                .refusedByCompetentChild(try ProxyAuthority.ID(validating: "authority-parental-responsibility"))
            ]
        )
        // A child assessed as not competent stays under the parent's full proxy access.
        assessed(competent: false, consents: false, at: Fixtures.now - 60)
        #expect(try Fixtures.decide(facts, proxyRequest()).isPermitted)
    }

    @Test mutating func parentalResponsibilityAloneEndsAt16() throws {
        try born(yearsBeforeNow: 16)
        try authority(.parentalResponsibility)
        let id = try ProxyAuthority.ID(validating: "authority-parental-responsibility")
        #expect(
            try Fixtures.decide(facts, proxyRequest()).reasons == [.basisNotValidAtAge(id, .parentalResponsibility)]
        )
        // At 15 and unassessed, a parent keeps only the administrative classes.
        #expect(try Fixtures.decide(facts, proxyRequest(at: dayBefore)).isPermitted == false)
        try authority(.patientConsent)
        #expect(try Fixtures.decide(facts, proxyRequest()).isPermitted)
    }

    @Test mutating func deputiesActFrom16AndAttorneysFrom18() throws {
        try born(yearsBeforeNow: 16)
        try authority(.courtAppointedDeputy)
        #expect(try Fixtures.decide(facts, proxyRequest()).isPermitted)
        let deputy = try ProxyAuthority.ID(validating: "authority-court-appointed-deputy")
        #expect(
            try Fixtures.decide(facts, proxyRequest(at: dayBefore)).reasons == [
                .basisNotValidAtAge(deputy, .courtAppointedDeputy)
            ]
        )
        facts = AccessFacts()
        try born(yearsBeforeNow: 18)
        try authority(.lastingPowerOfAttorney)
        #expect(try Fixtures.decide(facts, proxyRequest()).isPermitted)
        let attorney = try ProxyAuthority.ID(validating: "authority-lasting-power-of-attorney")
        #expect(
            try Fixtures.decide(facts, proxyRequest(at: dayBefore)).reasons == [
                .basisNotValidAtAge(attorney, .lastingPowerOfAttorney)
            ]
        )
    }

    @Test mutating func aProxyReachesSafeguardingDataOnlyWhenTheAuthorityNamesIt() throws {
        try born(yearsBeforeNow: 8)
        try authority(.parentalResponsibility)
        #expect(try Fixtures.decide(facts, proxyRequest(.safeguarding)).isPermitted == false)
        try authority(.parentalResponsibility, classes: [.safeguarding])
        #expect(try Fixtures.decide(facts, proxyRequest(.safeguarding)).isPermitted)
    }

    @Test mutating func aProxyNeverSeesWhatIsWithheldFromThePatientOrHiddenFromProxies() throws {
        try born(yearsBeforeNow: 8)
        try authority(.parentalResponsibility)
        let safeguarding = ProtectedItem(
            id: try Access.ItemID(validating: "sg-1"),
            patient: lucy,
            dataClass: .carePlan,
            reason: .safeguarding,
            hiddenFromProxies: true
        )
        let harmful = ProtectedItem(
            id: try Access.ItemID(validating: "harm-1"),
            patient: lucy,
            dataClass: .carePlan,
            reason: .seriousHarm,
            hiddenFromPatient: true
        )
        facts.record(safeguarding)
        facts.record(harmful)
        #expect(try Fixtures.decide(facts, proxyRequest()).hiddenItems == [harmful.id, safeguarding.id])
    }

    @Test mutating func aConsentProvisionNamingTheProxyDeniesThem() throws {
        try born(yearsBeforeNow: 30)
        try authority(.patientConsent)
        let directive = ConsentDirective(
            id: try ConsentDirective.ID(validating: "consent-mum"),
            patient: lucy,
            recorded: Fixtures.now,
            provision: ConsentProvision(.deny, actors: [.proxy(mum)], dataClasses: [.sexualHealth])
        )
        facts.record(directive)
        #expect(
            try Fixtures.decide(facts, proxyRequest(.sexualHealth)).reasons.last
                == .consentDenies(directive.id, ProvisionPath([]))
        )
        #expect(try Fixtures.decide(facts, proxyRequest(.appointments)).isPermitted)
    }

    @Test mutating func aProxyChangesOnlyWhatTheAuthorityAndTheRulesAllow() throws {
        try born(yearsBeforeNow: 30)
        try authority(.patientConsent, classes: [.appointments, .carePlan], actions: [.read, .update])
        #expect(try Fixtures.decide(facts, proxyRequest(.appointments, .update)).isPermitted)
        #expect(try Fixtures.decide(facts, proxyRequest(.results)).isPermitted == false)
        #expect(
            try Fixtures.decide(facts, proxyRequest(.appointments, .read, at: Fixtures.now - 500 * Fixtures.day))
                .reasons == [.noProxyAuthority]
        )
        let stranger = Fixtures.request(.proxy(try Fixtures.person("stranger")), lucy, .carePlan, purpose: .selfAccess)
        #expect(try Fixtures.decide(facts, stranger).reasons == [.noProxyAuthority])
    }

    @Test func anAuthorityMustAllowSomeAction() throws {
        #expect(throws: ConsentAccessError.self) {
            try ProxyAuthority(
                id: try ProxyAuthority.ID(validating: "a"),
                patient: lucy,
                proxy: mum,
                basis: .patientConsent,
                period: .always,
                actions: []
            )
        }
    }
}
