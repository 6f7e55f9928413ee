import CareCore
import Foundation
import Testing

@Suite struct AddressTests {
    @Test func keepsLinesAndValidatesThePostcode() throws {
        let address = try Address(
            use: .home,
            kind: .both,
            lines: ["1 Lemon Street"],
            city: "Truro",
            district: "Cornwall",
            postcode: Postcode(parsing: "tr1 2lw"),
            period: Period(start: FHIRDateTime(parsing: "2019-05"))
        )
        #expect(address.postalLines == ["1 Lemon Street", "Truro", "Cornwall", "TR1 2LW"])
        #expect("\(address)" == "Address(<redacted>)")
        var dumped = ""
        dump(address, to: &dumped)
        #expect(!dumped.contains("Lemon") && !dumped.contains("Truro"))
    }

    @Test func needsAtLeastOnePartAndCleanLines() throws {
        expectCareCoreError(.empty) { try Address(use: .home) }
        expectCareCoreError(.empty) { try Address(lines: ["1 Lemon Street", ""]) }
        expectCareCoreError(.invalidFormat) { try Address(city: "Truro\n") }
    }

    @Test func decodingRunsTheSameChecks() throws {
        let address = try Address(lines: ["Hugh Town"], city: "St Mary's", postcode: Postcode(parsing: "TR21 0LW"))
        #expect(try JSONDecoder().decode(Address.self, from: JSONEncoder().encode(address)) == address)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Address.self, from: Data("{}".utf8)) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Address.self, from: Data(#"{"postcode":"TR1"}"#.utf8))
        }
    }
}

@Suite struct ContactPointTests {
    @Test(arguments: ["01872 250000", "+44 1872 250000", "07700 900123", "(01872) 250-000"])
    func acceptsTelephoneNumbersAsPeopleWriteThem(_ number: String) throws {
        #expect(try ContactPoint(system: .phone, value: number).value == number)
        #expect(try ContactPoint(system: .sms, value: number, use: .mobile).value == number)
    }

    @Test(arguments: ["123456", "01872 ext 250", "+44 1872 250000 1234567", "0187２250000"])
    func rejectsWhatCannotBeATelephoneNumber(_ number: String) {
        expectCareCoreError(.invalidFormat) { try ContactPoint(system: .phone, value: number) }
    }

    @Test(arguments: ["claire@example.nhs.uk", "a.b+c@example.org"])
    func acceptsEmailAddresses(_ email: String) throws {
        #expect(try ContactPoint(system: .email, value: email).system == .email)
    }

    @Test(arguments: [
        "claire", "@example.org", "claire@", "claire@example", "claire@@example.org", "cl aire@example.org",
        "claire@.org",
    ])
    func rejectsMalformedEmailAddresses(_ email: String) {
        expectCareCoreError(.invalidFormat) { try ContactPoint(system: .email, value: email) }
    }

    @Test func checksRankAndHidesTheValue() throws {
        expectCareCoreError(.outOfRange) { try ContactPoint(system: .phone, value: "01872 250000", rank: 0) }
        let contact = try ContactPoint(system: .phone, value: "01872 250000", use: .home, rank: 1)
        #expect(contact.description == "ContactPoint(system: phone, value: <redacted>, use: home)")
        #expect(try JSONDecoder().decode(ContactPoint.self, from: JSONEncoder().encode(contact)) == contact)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ContactPoint.self, from: Data(#"{"system":"email","value":"nope"}"#.utf8))
        }
    }
}

@Suite struct CommunicationPreferencesTests {
    @Test func neverOffersDigitalChannelsToSomeoneWhoDoesNotUseThem() throws {
        let phil = try CommunicationPreferences(preferredChannels: [.phone], noDigital: true)
        #expect(phil.channelsInOrder() == [.phone, .letter])
        #expect(phil.channelsInOrder(fallbacks: [.sms, .email, .app, .letter]) == [.phone, .letter])
        #expect(phil.channelsInOrder(fallbacks: []) == [.phone])
    }

    @Test func putsPreferencesFirstThenFallbacksWithoutRepeats() throws {
        let lucy = try CommunicationPreferences(preferredChannels: [.app, .sms])
        #expect(lucy.channelsInOrder() == [.app, .sms, .letter, .phone])
        let john = try CommunicationPreferences(preferredChannels: [.email, .letter])
        #expect(john.channelsInOrder() == [.email, .letter, .phone])
        #expect(try CommunicationPreferences().channelsInOrder() == [.letter, .phone])
    }

    @Test func rejectsPreferencesThatContradictThemselves() {
        expectCareCoreError(.inconsistent) { try CommunicationPreferences(preferredChannels: [.sms, .sms]) }
        expectCareCoreError(.inconsistent) {
            try CommunicationPreferences(preferredChannels: [.letter, .sms], noDigital: true)
        }
        expectCareCoreError(.inconsistent) { try CommunicationPreferences(interpreterRequired: true) }
    }

    @Test func recordsAccessibleInformationNeedsAndLanguage() throws {
        let preferences = try CommunicationPreferences(
            preferredChannels: [.letter],
            needs: [.largePrint, .britishSignLanguageInterpreter],
            preferredLanguage: LanguageTag(parsing: "BFI"),
            interpreterRequired: true
        )
        #expect(preferences.preferredLanguage == .britishSignLanguage)
        let json = try JSONEncoder().encode(preferences)
        #expect(String(decoding: json, as: UTF8.self).contains(#""needs":["bsl-interpreter","large-print"]"#))
        #expect(try JSONDecoder().decode(CommunicationPreferences.self, from: json) == preferences)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(
                CommunicationPreferences.self,
                from: Data(#"{"preferredChannels":[{"code":"sms","digital":false}],"noDigital":true}"#.utf8)
            )
        }
        let unknown = try JSONDecoder().decode(CommunicationChannel.self, from: Data(#"{"code":"pigeon"}"#.utf8))
        #expect(unknown.isDigital)
    }

    @Test func theSuitesOwnChannelsCannotBeMadeNonDigital() throws {
        let disguised = CommunicationChannel(rawValue: "SMS", isDigital: false)
        #expect(disguised.isDigital && disguised == .sms)
        expectCareCoreError(.inconsistent) {
            try CommunicationPreferences(preferredChannels: [disguised], noDigital: true)
        }
        let decoded = try JSONDecoder().decode(
            CommunicationChannel.self,
            from: Data(#"{"code":"SMS","digital":false}"#.utf8)
        )
        #expect(decoded.isDigital)
        // Preferences written by this version always decode again.
        let phil = try CommunicationPreferences(preferredChannels: [.phone], noDigital: true)
        #expect(try JSONDecoder().decode(CommunicationPreferences.self, from: JSONEncoder().encode(phil)) == phil)
    }

    @Test func customChannelsSayWhetherTheyAreDigital() {
        let video = CommunicationChannel(rawValue: "video", isDigital: true)
        #expect(video.isDigital)
        #expect(!CommunicationChannel.letter.isDigital && !CommunicationChannel.phone.isDigital)
        #expect(
            CommunicationChannel.sms.isDigital && CommunicationChannel.email.isDigital
                && CommunicationChannel.app.isDigital
        )
    }
}

@Suite struct LanguageTagTests {
    @Test(arguments: [
        ("en", "en"), ("EN-gb", "en-GB"), ("zh-hant-tw", "zh-Hant-TW"), ("cy", "cy"), ("kw", "kw"),
        ("es-419", "es-419"), ("en-x-AB", "en-x-ab"), ("en-GB-u-CA-gregory", "en-GB-u-ca-gregory"),
    ])
    func normalisesCase(_ input: String, _ expected: String) throws {
        #expect(try LanguageTag(parsing: input).rawValue == expected)
    }

    @Test(arguments: ["", "e", "en_GB", "en-", "-en", "en-toolongsubtag", "ê"])
    func rejectsMalformedTags(_ input: String) {
        expectCareCoreError(.invalidFormat) { try LanguageTag(parsing: input) }
    }
}
