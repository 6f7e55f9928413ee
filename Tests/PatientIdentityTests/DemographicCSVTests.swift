import CareCore
import PatientIdentity
import Testing

@Suite struct DemographicCSVTests {
    private func read(_ text: String, prefix: String = "r") throws(PatientIdentityError) -> DemographicCSV {
        try DemographicCSV(bytes: Array(text.utf8), prefix: prefix)
    }

    @Test func readsColumnsInAnyOrderAndCase() throws {
        let file = try read(
            "\u{FEFF}Family_Name,ID,given_name,NHS_Number,Date_Of_Birth,SEX,Postcode,Address,Ignored\r\n"
                + "Trelawny,gp-1,MRS Claire Anne,943 476 5919,14/07/1958,F,tr1 3lj,1 Lemon Street,x\r\n"
        )
        let record = try #require(file.records.first)
        #expect(file.sourceIDs[record.id] == "gp-1")
        #expect(record.nhsNumber?.value?.digits == "9434765919")
        #expect(record.currentName?.prefixes == ["MRS"])
        #expect(record.currentName?.given == ["Claire", "Anne"])
        #expect(record.currentName?.family == "Trelawny")
        #expect(record.birthDate?.value == (try FHIRDate(parsing: "1958-07-14")))
        #expect(record.gender == .female)
        #expect(record.currentAddress?.postcode?.formatted == "TR1 3LJ")
        #expect(record.currentAddress?.lines == ["1 Lemon Street"])
        #expect(file.unreadableValues.isEmpty)
    }

    @Test(arguments: [
        ("1958-07-14", "1958-07-14"), ("19580714", "1958-07-14"), ("14/07/1958", "1958-07-14"),
        ("4/7/1958", "1958-07-04"),
        ("1958", "1958"), ("1958-07", "1958-07"),
    ])
    func readsTheDateLayouts(_ text: String, _ expected: String) throws {
        let file = try read("date_of_birth\n\(text)\n")
        #expect(file.records.first?.birthDate?.value == (try FHIRDate(parsing: expected)))
    }

    @Test(arguments: [
        ("male", AdministrativeGender.male), ("M", .male), ("1", .male), ("female", .female), ("f", .female),
        ("2", .female), ("9", .other), ("other", .other), ("0", .unknown), ("U", .unknown),
    ])
    func readsTheSexCodes(_ text: String, _ expected: AdministrativeGender) throws {
        #expect(try read("sex\n\(text)\n").records.first?.gender == expected)
    }

    @Test func keepsBadValuesAndCountsThemWithoutRejectingTheRow() throws {
        let file = try read("nhs_number,date_of_birth,sex,postcode\n9434765918,19561304,X,QQ1 1QQ\n,,,\n")
        #expect(file.records.count == 2)
        let record = try #require(file.records.first)
        #expect(record.nhsNumber?.text == "9434765918" && record.nhsNumber?.value == nil)
        #expect(record.birthDate?.text == "19561304" && record.birthDate?.value == nil)
        #expect(record.gender == nil)
        #expect(record.receivedPostcode?.text == "QQ1 1QQ")
        #expect(file.unreadableValues == ["nhs_number": 1, "date_of_birth": 1, "sex": 1, "postcode": 1])
    }

    @Test func numbersRowsWhenThereIsNoIdColumn() throws {
        let file = try read("given_name\nAnn\nBob\n", prefix: "left")
        #expect(file.records.map { file.sourceIDs[$0.id] } == ["1", "2"])
        #expect(file.records.map(\.id.rawValue) == ["left1", "left2"])
    }

    @Test func refusesRepeatedIdsAndBrokenFilesNamingTheLine() {
        do {
            _ = try read("id,given_name\nA,Ann\nB,Bob\nA,Cy\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .inconsistent)
            #expect(error.reason.contains("line 4") && error.reason.contains("line 2"))
        }
        do {
            _ = try read("id,given_name\n1,\"Ann\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidFormat && error.reason.contains("line 2"))
            #expect(!error.description.contains("Ann"))
        }
        #expect(throws: PatientIdentityError.self) { try read("given_name\nAnn\n", prefix: "bad prefix") }
    }
}
