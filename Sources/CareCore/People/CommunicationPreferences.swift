/// A way of sending a message to a person.
///
/// The channels named by the strategy are constants; others can be named with
/// ``init(rawValue:isDigital:)``. Whether a channel is digital matters: people who cannot or will not use
/// digital services must still be reached, by letter or telephone.
public struct CommunicationChannel: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The channel's stable code, such as `sms`.
    public let rawValue: String
    /// Whether the channel needs the person to use a digital device or service.
    public let isDigital: Bool

    /// Names a channel.
    ///
    /// The code is lower-cased. A code the suite defines (`sms`, `email`, `app`, `letter`, `phone`) always
    /// gets that channel's own digital status, whatever `isDigital` says, so no caller or stored value can
    /// turn a text message into a non-digital channel for someone who does not use digital services.
    ///
    /// - Parameters:
    ///   - rawValue: The channel's stable code.
    ///   - isDigital: Whether it needs a digital device or service; ignored for the suite's own codes.
    public init(rawValue: String, isDigital: Bool) {
        let code = rawValue.lowercased()
        self = Self.known.first { $0.rawValue == code } ?? CommunicationChannel(code: code, digital: isDigital)
    }

    private init(code: String, digital: Bool) {
        self.rawValue = code
        self.isDigital = digital
    }

    /// A text message to a mobile telephone.
    public static let sms = CommunicationChannel(code: "sms", digital: true)
    /// An email.
    public static let email = CommunicationChannel(code: "email", digital: true)
    /// A notification in an app, such as the NHS App.
    public static let app = CommunicationChannel(code: "app", digital: true)
    /// A letter by post.
    public static let letter = CommunicationChannel(code: "letter", digital: false)
    /// A telephone call from a person.
    public static let phone = CommunicationChannel(code: "phone", digital: false)

    /// The channels the suite defines, whose digital status cannot be overridden.
    public static let known: [CommunicationChannel] = [.app, .email, .letter, .phone, .sms]

    /// Channels are the same channel when their codes match.
    ///
    /// - Parameters:
    ///   - lhs: A channel.
    ///   - rhs: Another channel.
    /// - Returns: Whether the codes are equal.
    public static func == (lhs: CommunicationChannel, rhs: CommunicationChannel) -> Bool {
        lhs.rawValue == rhs.rawValue
    }

    /// Hashes the code.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawValue)
    }

    /// The channel's code.
    public var description: String { rawValue }

    /// Orders channels by code, for stable output.
    ///
    /// - Parameters:
    ///   - lhs: A channel.
    ///   - rhs: Another channel.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: CommunicationChannel, rhs: CommunicationChannel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

extension CommunicationChannel: Codable {
    private enum CodingKeys: String, CodingKey {
        case rawValue = "code"
        case isDigital = "digital"
    }

    /// Decodes a channel. A channel the suite defines keeps its own digital status whatever the input says, so
    /// stored data cannot turn a text message into a non-digital channel; an unknown channel with no stated
    /// status is taken to be digital, the cautious reading for someone who does not use digital services.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when the code is missing.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let code = try container.decode(String.self, forKey: .rawValue)
        self.init(rawValue: code, isDigital: try container.decodeIfPresent(Bool.self, forKey: .isDigital) ?? true)
    }

    /// Encodes the channel as its code and digital status.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rawValue, forKey: .rawValue)
        try container.encode(isDigital, forKey: .isDigital)
    }
}

/// A support a person needs to understand information or take part in a conversation.
///
/// The constants follow the categories of NHS England's Accessible Information Standard (DCB1605): the
/// format a person needs information in, and the communication support they need. The vocabulary is open:
/// other needs can be named with ``init(rawValue:)``.
public struct CommunicationNeed: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The need's stable code.
    public let rawValue: String

    /// Names a need.
    ///
    /// - Parameter rawValue: The need's stable code.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Information in large print.
    public static let largePrint = CommunicationNeed(rawValue: "large-print")
    /// Information in Easy Read.
    public static let easyRead = CommunicationNeed(rawValue: "easy-read")
    /// Information in braille.
    public static let braille = CommunicationNeed(rawValue: "braille")
    /// Information as audio.
    public static let audio = CommunicationNeed(rawValue: "audio")
    /// A British Sign Language interpreter.
    public static let britishSignLanguageInterpreter = CommunicationNeed(rawValue: "bsl-interpreter")
    /// A deafblind manual interpreter.
    public static let deafblindManualInterpreter = CommunicationNeed(rawValue: "deafblind-manual-interpreter")
    /// A lipspeaker.
    public static let lipspeaker = CommunicationNeed(rawValue: "lipspeaker")
    /// A hearing loop.
    public static let hearingLoop = CommunicationNeed(rawValue: "hearing-loop")
    /// A text relay service for telephone calls.
    public static let textRelay = CommunicationNeed(rawValue: "text-relay")

    /// The need's code.
    public var description: String { rawValue }

    /// Orders needs by code, for stable output.
    ///
    /// - Parameters:
    ///   - lhs: A need.
    ///   - rhs: Another need.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: CommunicationNeed, rhs: CommunicationNeed) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// How a person wants to be contacted and what they need to understand what is sent.
///
/// The strategy asks that digital be "by choice": a person who cannot or will not use digital services
/// (``noDigital``) is never sent a text, email or app notification in place of a letter or a call.
/// ``channelsInOrder(fallbacks:)`` is the one place that rule is applied, so every module that contacts
/// people gets it the same way.
///
/// ```swift
/// let phil = try CommunicationPreferences(preferredChannels: [.phone, .letter], noDigital: true)
/// phil.channelsInOrder()   // [.phone, .letter]
/// ```
public struct CommunicationPreferences: Hashable, Sendable, Codable {
    /// The channels the person prefers, most preferred first, with no repeats.
    public let preferredChannels: [CommunicationChannel]
    /// Whether the person cannot or will not use digital services.
    public let noDigital: Bool
    /// The supports the person needs.
    public let needs: Set<CommunicationNeed>
    /// The language the person prefers, if not English or not stated.
    public let preferredLanguage: LanguageTag?
    /// Whether the person needs an interpreter for their preferred language.
    public let interpreterRequired: Bool

    /// Creates preferences, checking that they do not contradict themselves.
    ///
    /// - Parameters:
    ///   - preferredChannels: Channels in order of preference, without repeats.
    ///   - noDigital: Whether the person cannot or will not use digital services.
    ///   - needs: Supports the person needs.
    ///   - preferredLanguage: The person's preferred language.
    ///   - interpreterRequired: Whether an interpreter is needed.
    /// - Throws: ``CareCoreError`` with code ``CareCoreError/Code/inconsistent`` when a channel is listed twice,
    ///   when a digital channel is preferred by someone who does not use digital services, or when an
    ///   interpreter is required but no language is given.
    public init(
        preferredChannels: [CommunicationChannel] = [],
        noDigital: Bool = false,
        needs: Set<CommunicationNeed> = [],
        preferredLanguage: LanguageTag? = nil,
        interpreterRequired: Bool = false
    ) throws(CareCoreError) {
        guard Set(preferredChannels).count == preferredChannels.count else {
            throw CareCoreError(
                .inconsistent,
                field: FieldPath("communication.preferredChannels"),
                reason: "a channel must not be listed twice"
            )
        }
        if noDigital, let index = preferredChannels.firstIndex(where: \.isDigital) {
            throw CareCoreError(
                .inconsistent,
                field: FieldPath("communication.preferredChannels").appending(index: index),
                reason: "a digital channel cannot be preferred by someone who does not use digital services"
            )
        }
        if interpreterRequired, preferredLanguage == nil {
            throw CareCoreError(
                .inconsistent,
                field: FieldPath("communication.preferredLanguage"),
                reason: "an interpreter is required but no language is given"
            )
        }
        self.preferredChannels = preferredChannels
        self.noDigital = noDigital
        self.needs = needs
        self.preferredLanguage = preferredLanguage
        self.interpreterRequired = interpreterRequired
    }

    /// The channels to try, in order: the preferred ones, then the fallbacks not already listed, leaving out
    /// digital channels for a person who does not use them.
    ///
    /// - Parameter fallbacks: Channels to try after the preferred ones; letter then phone by default, so the
    ///   list is never empty.
    /// - Returns: The channels to try, first choice first, without repeats.
    public func channelsInOrder(fallbacks: [CommunicationChannel] = [.letter, .phone]) -> [CommunicationChannel] {
        var seen = Set<CommunicationChannel>()
        var ordered: [CommunicationChannel] = []
        for channel in preferredChannels + fallbacks where !(noDigital && channel.isDigital) {
            if seen.insert(channel).inserted { ordered.append(channel) }
        }
        return ordered
    }
}

extension CommunicationPreferences {
    private enum CodingKeys: String, CodingKey {
        case preferredChannels
        case noDigital
        case needs
        case preferredLanguage
        case interpreterRequired
    }

    /// Decodes preferences and checks them as
    /// ``init(preferredChannels:noDigital:needs:preferredLanguage:interpreterRequired:)`` does.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a key is of the wrong type or the preferences contradict themselves.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let channels = try container.decodeIfPresent([CommunicationChannel].self, forKey: .preferredChannels) ?? []
        let noDigital = try container.decodeIfPresent(Bool.self, forKey: .noDigital) ?? false
        let needs = try container.decodeIfPresent(Set<CommunicationNeed>.self, forKey: .needs) ?? []
        let language = try container.decodeIfPresent(LanguageTag.self, forKey: .preferredLanguage)
        let interpreter = try container.decodeIfPresent(Bool.self, forKey: .interpreterRequired) ?? false
        self = try decoder.validated { () throws(CareCoreError) in
            try CommunicationPreferences(
                preferredChannels: channels,
                noDigital: noDigital,
                needs: needs,
                preferredLanguage: language,
                interpreterRequired: interpreter
            )
        }
    }

    /// Encodes the preferences, writing needs in sorted order so the output is the same on every run.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(preferredChannels, forKey: .preferredChannels)
        try container.encode(noDigital, forKey: .noDigital)
        try container.encode(needs.sorted(), forKey: .needs)
        try container.encodeIfPresent(preferredLanguage, forKey: .preferredLanguage)
        try container.encode(interpreterRequired, forKey: .interpreterRequired)
    }
}
