/// A way of sending a message to a person.
///
/// The channels named by the strategy are constants; others can be named with
/// ``init(rawValue:isDigital:)``. Whether a channel is digital matters: people who cannot or will not use
/// digital services must still be reached, by letter or telephone.
public struct CommunicationChannel: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The channel's stable code, such as `sms`.
    public let rawValue: String
    /// Whether the channel needs the person to use a digital device or service.
    public let isDigital: Bool

    /// Names a channel.
    ///
    /// - Parameters:
    ///   - rawValue: The channel's stable code.
    ///   - isDigital: Whether it needs a digital device or service.
    public init(rawValue: String, isDigital: Bool) {
        self.rawValue = rawValue
        self.isDigital = isDigital
    }

    /// A text message to a mobile telephone.
    public static let sms = CommunicationChannel(rawValue: "sms", isDigital: true)
    /// An email.
    public static let email = CommunicationChannel(rawValue: "email", isDigital: true)
    /// A notification in an app, such as the NHS App.
    public static let app = CommunicationChannel(rawValue: "app", isDigital: true)
    /// A letter by post.
    public static let letter = CommunicationChannel(rawValue: "letter", isDigital: false)
    /// A telephone call from a person.
    public static let phone = CommunicationChannel(rawValue: "phone", isDigital: false)

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
