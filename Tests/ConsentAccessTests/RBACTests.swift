import CareCore
import ConsentAccess
import Foundation
import Testing

@Suite struct RBACTests {
    @Test(arguments: ["R8000", "R0001", "R12345", "R123456"])
    func validJobRoleCodes(_ text: String) throws {
        #expect(try JobRoleCode(parsing: text).rawValue == text)
    }

    @Test(arguments: ["", "R800", "B8000", "r8000", "R80000000", "R80O0", " R8000"])
    func invalidJobRoleCodes(_ text: String) throws {
        #expect(JobRoleCode(text) == nil)
        let error = try #require(throws: ConsentAccessError.self) { try JobRoleCode(parsing: text) }
        #expect(error.code == .invalidCode)
    }

    @Test func includedActivitiesExpandTransitivelyAndSurviveCycles() throws {
        var catalogue = ActivityCatalogue()
        let a = try Fixtures.code("B0001")
        let b = try Fixtures.code("B0002")
        let c = try Fixtures.code("B0003")
        let d = try Fixtures.code("B0004")
        catalogue.add(a, includes: b)
        catalogue.add(b, includes: c)
        catalogue.add(c, includes: a)
        #expect(catalogue.expanding([a]) == [a, b, c])
        #expect(catalogue.expanding([d]) == [d])
        #expect(catalogue.expanding([]).isEmpty)
    }

    @Test func theDefaultCatalogueCarriesTheVerifiedCodes() throws {
        let catalogue = ActivityCatalogue.nhsDefault
        #expect(catalogue.name(of: try Fixtures.code("B0825")) == "Amend Patient Demographics")
        #expect(catalogue.name(of: try Fixtures.role("R0001")) == "Privacy Officer")
        #expect(catalogue.expanding([try Fixtures.code("B0825")]).contains(try Fixtures.code("B0820")))
        // R8000's baseline holds B0825 (the published example), so it may also view demographics.
        let profile = RoleProfile(
            id: try RoleProfile.ID(validating: "1"),
            user: try Access.UserID(validating: "u"),
            organisation: try Fixtures.ods("A81001"),
            jobRole: try Fixtures.role("R8000")
        )
        #expect(catalogue.effectiveActivities(of: profile) == [try Fixtures.code("B0825"), try Fixtures.code("B0820")])
        // An unknown code prints as itself.
        #expect(catalogue.name(of: try Fixtures.code("B9999")) == "B9999")
    }

    @Test func aCatalogueRoundTripsThroughCSVAndMerges() throws {
        let text = ActivityCatalogue.nhsDefault.csv
        let read = try ActivityCatalogue(csv: text)
        #expect(read == ActivityCatalogue.nhsDefault)
        let local = try ActivityCatalogue(
            csv: """
                kind,code,name,target
                activity,B9001,"Read virtual ward, observations",
                includes,B9001,,B0370
                baseline,R8001,,B9001
                """
        )
        let merged = ActivityCatalogue.nhsDefault.merging(local)
        #expect(merged.name(of: try Fixtures.code("B9001")) == "Read virtual ward, observations")
        #expect(merged.baseline[try Fixtures.role("R8001")] == [try Fixtures.code("B9001")])
        #expect(try ActivityCatalogue(csv: merged.csv) == merged)
    }

    /// A quote followed by a combining mark is one `Character` to Swift; the CSV it is written to must still
    /// double it, or the catalogue does not read back (the CSV writer's fuzz finding, in the RBAC writer).
    @Test func aNameWithAQuoteBeforeACombiningMarkRoundTrips() throws {
        let local = try ActivityCatalogue(
            csv: "kind,code,name,target\nactivity,B9002,\"Say \"\"\u{0301}hi\"\" to the ward\",\n"
        )
        #expect(local.name(of: try Fixtures.code("B9002")) == "Say \"\u{0301}hi\" to the ward")
        #expect(try ActivityCatalogue(csv: local.csv) == local)
    }

    @Test func aBadCatalogueNamesTheLine() throws {
        let badCode = try #require(throws: ConsentAccessError.self) {
            try ActivityCatalogue(csv: "kind,code,name,target\nrole,R8000,Clinician,\nrole,X1,Broken,\n")
        }
        #expect(badCode.code == .invalidCode)
        #expect(badCode.reason.contains("line 3"))
        let badKind = try #require(throws: ConsentAccessError.self) {
            try ActivityCatalogue(csv: "kind,code,name,target\nteam,R8000,Clinician,\n")
        }
        #expect(badKind.code == .malformedDocument)
        #expect(badKind.reason.contains("line 2"))
        let missing = try #require(throws: ConsentAccessError.self) { try ActivityCatalogue(csv: "kind,code\n") }
        #expect(missing.code == .malformedDocument)
        let noName = try #require(throws: ConsentAccessError.self) {
            try ActivityCatalogue(csv: "kind,code,name,target\nactivity,B0001, ,\n")
        }
        #expect(noName.field == FieldPath("name"))
    }

    static let userInfo = """
        {
          "sub": "910000000001",
          "nhsid_useruid": "910000000001",
          "nhsid_nrbac_roles": [
            {
              "person_orgid": "555254239107",
              "person_roleid": "555254240100",
              "org_code": "RYF",
              "role_name": "\\"Clinical\\":\\"Clinical Provision\\":\\"Nurse Access Role\\"",
              "role_code": "S8000:G8000:R8001",
              "activities": ["Receive Self Claimed LR Alerts", "Amend Patient Demographics"],
              "activity_codes": ["B0016", "B0825"]
            },
            {
              "person_orgid": "555254239108",
              "person_roleid": "555254240101",
              "org_code": "A81001",
              "role_name": "\\"Admin\\":\\"Reception\\":\\"Receptionist\\"",
              "role_code": "S8002:G8003:R8009"
            }
          ]
        }
        """

    @Test func aCIS2UserInfoGivesProfilesThatExpandIncludedActivities() throws {
        let info = try CIS2UserInfo(json: Data(Self.userInfo.utf8))
        #expect(info.user.rawValue == "910000000001")
        #expect(info.profiles.count == 2)
        let nurse = try info.profile(try RoleProfile.ID(validating: "555254240100"))
        #expect(nurse.organisation == (try Fixtures.ods("RYF")))
        #expect(nurse.jobRole == (try Fixtures.role("R8001")))
        #expect(nurse.grantedActivities == [try Fixtures.code("B0016"), try Fixtures.code("B0825")])
        let session = AccessSession(profile: nurse, catalogue: .nhsDefault)
        #expect(session.effectiveActivities.contains(try Fixtures.code("B0820")))
        let reception = info.profiles[1]
        #expect(reception.grantedActivities.isEmpty)
        let error = try #require(throws: ConsentAccessError.self) {
            try info.profile(try RoleProfile.ID(validating: "999"))
        }
        #expect(error.code == .notFound)
    }

    @Test(arguments: [
        ("[]", "", "malformed-document"),
        ("{\"nhsid_nrbac_roles\": []}", "sub", "malformed-document"),
        ("{\"sub\": \"1\"}", "nhsid_nrbac_roles", "malformed-document"),
        ("{\"sub\": \"1\", \"nhsid_nrbac_roles\": [3]}", "nhsid_nrbac_roles[0]", "malformed-document"),
        (
            "{\"sub\": \"1\", \"nhsid_nrbac_roles\": [{\"person_roleid\": \"2\", \"org_code\": \"RYF\", \"role_code\": \"S1:G1:X1\"}]}",
            "nhsid_nrbac_roles[0].role_code", "invalid-code"
        ),
        (
            "{\"sub\": \"1\", \"nhsid_nrbac_roles\": [{\"person_roleid\": \"2\", \"org_code\": \"RYF\", \"role_code\": \"R8000\", \"activity_codes\": [\"B1\"]}]}",
            "nhsid_nrbac_roles[0].activity_codes[0]", "invalid-code"
        ),
        (
            "{\"sub\": \"1\", \"nhsid_nrbac_roles\": [{\"person_roleid\": \"2\", \"org_code\": \"??\", \"role_code\": \"R8000\"}]}",
            "nhsid_nrbac_roles[0].org_code", "invalid-value"
        ),
        ("{not json", "", "malformed-document"),
    ])
    func aBadUserInfoNamesTheJSONPath(json: String, path: String, code: String) throws {
        let error = try #require(throws: ConsentAccessError.self) { try CIS2UserInfo(json: Data(json.utf8)) }
        #expect(error.code.rawValue == code)
        #expect(error.field.description == (path.isEmpty ? FieldPath.root.description : path))
    }
}
