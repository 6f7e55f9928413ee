/// Settings for how records are read and compared, separate from the learnt model parameters.
public struct MatchOptions: Hashable, Sendable {
    /// Names that are placeholders, not evidence, in compact matching form: a baby not yet named, an
    /// unknown patient. They are treated as missing.
    public var placeholderNames: Set<String>
    /// Whether a date of birth of 1 January counts only as its year, because systems record 1 January when
    /// only the year is known. `true` by default: it costs a little evidence for people really born on
    /// 1 January and removes false agreement between unrelated people of the same birth year.
    public var treatsFirstOfJanuaryAsYearOnly: Bool
    /// The table of given names that stand for one another.
    public var nicknames: NicknameTable
    /// The largest block a blocking rule may form; larger blocks (100,000 people called SMITH born in 1950)
    /// are skipped for that rule, so one common value cannot make matching quadratic. The other rules still
    /// find those people's pairs.
    public var maximumBlockSize: Int

    /// Creates options.
    ///
    /// - Parameters:
    ///   - placeholderNames: Placeholder names in compact matching form.
    ///   - treatsFirstOfJanuaryAsYearOnly: Whether 1 January counts only as the year.
    ///   - nicknames: The nickname table.
    ///   - maximumBlockSize: The largest block a rule may form.
    public init(
        placeholderNames: Set<String> = MatchOptions.standardPlaceholderNames,
        treatsFirstOfJanuaryAsYearOnly: Bool = true,
        nicknames: NicknameTable = .standard,
        maximumBlockSize: Int = 1_000
    ) {
        self.placeholderNames = placeholderNames
        self.treatsFirstOfJanuaryAsYearOnly = treatsFirstOfJanuaryAsYearOnly
        self.nicknames = nicknames
        self.maximumBlockSize = maximumBlockSize
    }

    /// Placeholder names seen in NHS and social care records.
    public static let standardPlaceholderNames: Set<String> = [
        "BABY", "BABYBOY", "BABYGIRL", "BOY", "GIRL", "INFANT", "NEWBORN", "TWIN", "TWINA", "TWINB", "UNKNOWN",
        "UNK", "NK", "NOTKNOWN", "UNNAMED", "NONAME", "NAMEUNKNOWN", "PATIENT", "TEST", "XXX", "XX", "X", "ZZZ",
        "MALE", "FEMALE",
    ]
}
