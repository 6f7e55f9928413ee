import CareCore
import ConsentAccess
import Foundation
import Testing

@Suite struct StaffAccessTests {
    let claire: Access.PatientID
    var facts = AccessFacts()

    init() throws {
        claire = try Fixtures.patient("claire")
        facts.record(PatientPrivacy(patient: claire, registeredPractice: try Fixtures.ods("A81001")))
    }

    @Test mutating func withNoPermittingRuleTheAnswerIsDeny() throws {
        let decision = try Fixtures.decide(facts, Fixtures.request(.staff(Fixtures.gp()), claire, .carePlan))
        #expect(decision.effect == .deny)
        #expect(decision.reasons == [.activityHeld(try Fixtures.code("B0380")), .noRelationship])
        #expect(decision.obligations == [.audit])
    }

    @Test mutating func anUnconfiguredDataClassIsDeniedToStaff() throws {
        let odd = DataClass(rawValue: "genomics")
        let decision = try Fixtures.decide(facts, Fixtures.request(.staff(Fixtures.gp()), claire, odd))
        #expect(decision.reasons == [.noActivityDefined(odd, .read)])
    }

    @Test mutating func aRelationshipWithTheProfilesOrganisationPermitsUntilItExpires() throws {
        let end = Fixtures.now + 5 * Fixtures.day
        facts.record(
            try Fixtures.relationship(
                "rel-gp",
                patient: claire,
                organisation: "A81001",
                kind: .registeredPractice,
                until: end
            )
        )
        let gp = try Fixtures.gp()
        let decision = try Fixtures.decide(facts, Fixtures.request(.staff(gp), claire, .carePlan))
        #expect(decision.effect == .permit)
        #expect(
            decision.reasons.last
                == .relationship(try LegitimateRelationship.ID(validating: "rel-gp"), .registeredPractice)
        )
        #expect(decision.expiry == end)
        // The end is exclusive: at the expiry the relationship no longer covers the request.
        let atEnd = try Fixtures.decide(facts, Fixtures.request(.staff(gp), claire, .carePlan, at: end))
        #expect(atEnd.reasons.last == .noRelationship)
        let justBefore = try Fixtures.decide(facts, Fixtures.request(.staff(gp), claire, .carePlan, at: end - 1))
        #expect(justBefore.isPermitted)
        // Another organisation's profile is not covered.
        let crew = try Fixtures.decide(facts, Fixtures.request(.staff(Fixtures.crew()), claire, .summary))
        #expect(crew.reasons.last == .noRelationship)
    }

    @Test mutating func anIncludedActivityIsEnough() throws {
        // B0825 Amend Patient Demographics includes B0820 View Patient Demographics.
        facts.record(try Fixtures.relationship("rel", patient: claire, organisation: "A81001"))
        let amender = try Fixtures.session("amender", organisation: "A81001", role: "R8010", activities: ["B0825"])
        #expect(amender.effectiveActivities.contains(try Fixtures.code("B0820")))
        let decision = try Fixtures.decide(facts, Fixtures.request(.staff(amender), claire, .demographics))
        #expect(decision.reasons.first == .activityHeld(try Fixtures.code("B0820")))
        #expect(decision.isPermitted)
        let viewer = try Fixtures.session("viewer", organisation: "A81001", role: "R8010", activities: ["B0820"])
        let change = try Fixtures.decide(facts, Fixtures.request(.staff(viewer), claire, .demographics, .update))
        #expect(
            change.reasons == [
                .activityMissing(required: [try Fixtures.code("B0825")], jobRole: try Fixtures.role("R8010"))
            ]
        )
    }

    @Test mutating func aConsentDenialRefusesDirectCareAndANestedPermitOverridesIt() throws {
        facts.record(try Fixtures.relationship("rel", patient: claire, organisation: "A81001"))
        // Claire denies sharing her mental health record, except with her GP practice.
        let directive = ConsentDirective(
            id: try ConsentDirective.ID(validating: "consent-1"),
            patient: claire,
            recorded: Fixtures.now - Fixtures.day,
            provision: ConsentProvision(
                .permit,
                provisions: [
                    ConsentProvision(
                        .deny,
                        dataClasses: [.mentalHealth],
                        provisions: [ConsentProvision(.permit, actors: [.organisation(try Fixtures.ods("A81001"))])]
                    )
                ]
            )
        )
        facts.record(directive)
        let gp = try Fixtures.decide(facts, Fixtures.request(.staff(Fixtures.gp()), claire, .mentalHealth))
        #expect(gp.isPermitted)
        let nurse = try Fixtures.session("nurse", organisation: "REF", role: "R8001", activities: ["B0380"])
        facts.record(try Fixtures.relationship("rel-ref", patient: claire, organisation: "REF"))
        let denied = try Fixtures.decide(facts, Fixtures.request(.staff(nurse), claire, .mentalHealth))
        #expect(denied.reasons.last == .consentDenies(directive.id, ProvisionPath([0])))
        let otherClass = try Fixtures.decide(facts, Fixtures.request(.staff(nurse), claire, .carePlan))
        #expect(otherClass.isPermitted)
    }

    @Test mutating func anInactiveDirectiveTakesNoPart() throws {
        facts.record(try Fixtures.relationship("rel", patient: claire, organisation: "A81001"))
        facts.record(
            ConsentDirective(
                id: try ConsentDirective.ID(validating: "consent-old"),
                patient: claire,
                status: .inactive,
                recorded: Fixtures.now,
                provision: ConsentProvision(.deny)
            )
        )
        #expect(try Fixtures.decide(facts, Fixtures.request(.staff(Fixtures.gp()), claire, .carePlan)).isPermitted)
    }

    @Test mutating func breakGlassOverridesAConsentDenialAndAMissingRelationshipButNeverRBAC() throws {
        let crew = try Fixtures.crew()
        facts.record(
            ConsentDirective(
                id: try ConsentDirective.ID(validating: "consent-deny"),
                patient: claire,
                recorded: Fixtures.now,
                provision: ConsentProvision(.deny)
            )
        )
        let grant = try BreakGlassGrant(
            id: try BreakGlassGrant.ID(validating: "grant-1"),
            user: crew.user,
            profile: crew.profile.id,
            patient: claire,
            reason: .patientUnconscious,
            justification: Redacted("unresponsive at home"),
            start: Fixtures.now - 60,
            expiry: Fixtures.now + 3_600
        )
        facts.record(grant)
        let emergency = try Fixtures.decide(
            facts,
            Fixtures.request(.staff(crew), claire, .summary, purpose: .emergency)
        )
        #expect(emergency.isPermitted)
        #expect(emergency.reasons.contains(.breakGlass(grant.id)))
        #expect(emergency.obligations.contains(.alertPrivacyOfficer(.breakGlass)))
        #expect(emergency.expiry == grant.expiry)
        // Not for direct care, not after expiry, not for data the profile has no activity for.
        let direct = try Fixtures.decide(facts, Fixtures.request(.staff(crew), claire, .summary))
        #expect(direct.effect == .deny)
        let late = try Fixtures.decide(
            facts,
            Fixtures.request(.staff(crew), claire, .summary, purpose: .emergency, at: grant.expiry)
        )
        #expect(late.effect == .deny)
        let detailed = try Fixtures.decide(
            facts,
            Fixtures.request(.staff(crew), claire, .mentalHealth, purpose: .emergency)
        )
        #expect(
            detailed.reasons.first
                == .activityMissing(required: [try Fixtures.code("B0380")], jobRole: crew.profile.jobRole)
        )
    }

    @Test mutating func theNationalDataOptOutNeverAffectsDirectCareButRefusesResearch() throws {
        facts.record(PatientPrivacy(patient: claire, nationalDataOptOut: true))
        facts.record(try Fixtures.relationship("rel", patient: claire, organisation: "A81001"))
        facts.record(
            DataSharingAgreement(
                id: try DataSharingAgreement.ID(validating: "dsa-1"),
                organisations: [try Fixtures.ods("REF")],
                purposes: [.research],
                period: .always
            )
        )
        #expect(try Fixtures.decide(facts, Fixtures.request(.staff(Fixtures.gp()), claire, .summary)).isPermitted)
        let research = try Fixtures.decide(
            facts,
            Fixtures.request(.staff(Fixtures.researcher()), claire, .summary, purpose: .research)
        )
        #expect(research.reasons.last == .nationalDataOptOut)
        // Explicit consent to the research overrides the opt-out.
        facts.record(
            ConsentDirective(
                id: try ConsentDirective.ID(validating: "consent-study"),
                patient: claire,
                scope: .research,
                recorded: Fixtures.now,
                provision: ConsentProvision(
                    .permit,
                    actors: [.organisation(try Fixtures.ods("REF"))],
                    purposes: [.research]
                )
            )
        )
        let consented = try Fixtures.decide(
            facts,
            Fixtures.request(.staff(Fixtures.researcher()), claire, .summary, purpose: .research)
        )
        #expect(consented.isPermitted)
    }

    @Test mutating func secondaryUseNeedsAnAgreementAndRespectsTheType1OptOut() throws {
        let researcher = try Fixtures.researcher()
        let none = try Fixtures.decide(
            facts,
            Fixtures.request(.staff(researcher), claire, .summary, purpose: .planning)
        )
        #expect(none.reasons.last == .noAgreement)
        facts.record(
            DataSharingAgreement(
                id: try DataSharingAgreement.ID(validating: "dsa-plan"),
                organisations: [researcher.profile.organisation],
                purposes: [.planning],
                dataClasses: [.summary],
                period: .always
            )
        )
        #expect(
            try Fixtures.decide(facts, Fixtures.request(.staff(researcher), claire, .summary, purpose: .planning))
                .isPermitted
        )
        facts.record(PatientPrivacy(patient: claire, type1OptOut: true))
        let optedOut = try Fixtures.decide(
            facts,
            Fixtures.request(.staff(researcher), claire, .summary, purpose: .planning)
        )
        #expect(optedOut.reasons.last == .type1OptOut)
    }

    @Test mutating func aRestrictedRecordWithholdsLocationAndSafeguardingItemsAreHiddenFromChosenRoles() throws {
        facts.record(PatientPrivacy(patient: claire, restricted: true))
        facts.record(try Fixtures.relationship("rel", patient: claire, organisation: "A81001"))
        let item = ProtectedItem(
            id: try Access.ItemID(validating: "note-7"),
            patient: claire,
            dataClass: .carePlan,
            reason: .safeguarding,
            hiddenFromRoles: [try Fixtures.role("R8009")],
            hiddenFromPatient: true,
            hiddenFromProxies: true
        )
        facts.record(item)
        let receptionist = try Fixtures.session("desk", organisation: "A81001", role: "R8009", activities: ["B0380"])
        let decision = try Fixtures.decide(facts, Fixtures.request(.staff(receptionist), claire, .carePlan))
        #expect(decision.redactedFields == [.address, .registeredPractice, .telecom])
        #expect(decision.hiddenItems == [item.id])
        let gp = try Fixtures.decide(facts, Fixtures.request(.staff(Fixtures.gp()), claire, .carePlan))
        #expect(gp.hiddenItems.isEmpty)
        #expect(gp.redactedFields == RedactedField.location)
    }

    @Test mutating func aSelfClaimedRelationshipAlertsThePrivacyOfficer() throws {
        facts.record(try Fixtures.relationship("rel-self", patient: claire, organisation: "A81001", kind: .selfClaimed))
        let decision = try Fixtures.decide(facts, Fixtures.request(.staff(Fixtures.gp()), claire, .summary))
        #expect(decision.obligations.contains(.alertPrivacyOfficer(.selfClaimedRelationship)))
    }

    @Test mutating func aConsentPermitStandsInForARelationshipOnlyWhenItNamesWhoAndWhy() throws {
        let nurse = try Fixtures.session("nurse", organisation: "REF", role: "R8001", activities: ["B0380", "B0370"])
        facts.record(
            ConsentDirective(
                id: try ConsentDirective.ID(validating: "consent-broad"),
                patient: claire,
                recorded: Fixtures.now,
                provision: ConsentProvision(.permit)
            )
        )
        #expect(
            try Fixtures.decide(facts, Fixtures.request(.staff(nurse), claire, .carePlan)).reasons.last
                == .noRelationship
        )
        facts.record(
            ConsentDirective(
                id: try ConsentDirective.ID(validating: "consent-broad"),
                patient: claire,
                recorded: Fixtures.now,
                provision: ConsentProvision(.permit, actors: [.organisation(try Fixtures.ods("REF"))])
            )
        )
        #expect(try Fixtures.decide(facts, Fixtures.request(.staff(nurse), claire, .carePlan)).isPermitted)
        // Treatment consent is not a sharing choice and takes no part.
        facts.record(
            ConsentDirective(
                id: try ConsentDirective.ID(validating: "consent-broad"),
                patient: claire,
                scope: .treatment,
                recorded: Fixtures.now,
                provision: ConsentProvision(.permit, actors: [.organisation(try Fixtures.ods("REF"))])
            )
        )
        #expect(!(try Fixtures.decide(facts, Fixtures.request(.staff(nurse), claire, .carePlan)).isPermitted))
    }

    @Test mutating func secondaryUseOfAPatientWithUnknownPrivacyFactsIsRefused() throws {
        var facts = AccessFacts()
        facts.record(
            DataSharingAgreement(
                id: try DataSharingAgreement.ID(validating: "dsa"),
                organisations: [try Fixtures.ods("REF")],
                purposes: [.research],
                period: .always
            )
        )
        let unknown = try Fixtures.patient("unknown")
        let decision = try Fixtures.decide(
            facts,
            Fixtures.request(.staff(Fixtures.researcher()), unknown, .summary, purpose: .research)
        )
        #expect(decision.reasons.last == .privacyUnknown)
    }

    @Test mutating func staffMayNotClaimSelfAccess() throws {
        let decision = try Fixtures.decide(
            facts,
            Fixtures.request(.staff(Fixtures.gp()), claire, .summary, purpose: .selfAccess)
        )
        #expect(decision.reasons.last == .purposeNotAllowed(.selfAccess))
    }

    @Test mutating func theExplanationNamesRulesAndCodesButNoPatientData() throws {
        facts.record(try Fixtures.relationship("rel", patient: claire, organisation: "A81001"))
        let decision = try Fixtures.decide(facts, Fixtures.request(.staff(Fixtures.gp()), claire, .carePlan))
        let text = decision.explanation()
        #expect(text.hasPrefix("Permitted."))
        #expect(text.contains("B0380 Perform Detailed Health Record"))
        #expect(text.contains("Legitimate relationship rel (care-team) is in force."))
        #expect(text.contains("Obligation: record the access in the audit log."))
        #expect(!text.contains(claire.rawValue))
    }

    @Test mutating func aRelationshipNeedsAnExpiryUnlessItIsTheRegisteredPractice() throws {
        #expect(throws: ConsentAccessError.self) {
            try Fixtures.relationship("rel", patient: claire, organisation: "A81001", kind: .careTeam, until: nil)
        }
        let practice = try Fixtures.relationship(
            "rel",
            patient: claire,
            organisation: "A81001",
            kind: .registeredPractice,
            until: nil
        )
        #expect(practice.period.end == nil)
    }
}
