import CareCore

/// Groups of given names that people use for one another (William, Bill, Will, Liam), so that a record
/// saying "Bill" is not counted as disagreeing with one saying "William".
///
/// The table is data: ``standard`` holds common English forms, and a team can add its own groups (Cornish,
/// Welsh or other local forms) with ``adding(_:)``. Names are compared in their matching form, so case,
/// accents and punctuation do not matter. A name may belong to several groups (Sam: Samuel and Samantha);
/// two names are equivalent when some group holds both.
public struct NicknameTable: Hashable, Sendable {
    /// For each name in matching form, the indices of the groups that hold it.
    private var groupsByName: [String: Set<Int>]
    /// The groups, each a set of names in matching form.
    public private(set) var groups: [Set<String>]
    /// Each group's names of five or more characters as Unicode scalars, sorted, for the one-edit check.
    private var longMembers: [[[Unicode.Scalar]]] = []

    /// Creates a table from groups of names.
    ///
    /// - Parameter groups: Each inner array is one set of names for the same given name.
    public init(_ groups: [[String]]) {
        self.groups = []
        self.groupsByName = [:]
        for group in groups { add(group) }
    }

    /// A new table with one more group.
    ///
    /// - Parameter group: Names that stand for one another.
    /// - Returns: The extended table.
    public func adding(_ group: [String]) -> NicknameTable {
        var copy = self
        copy.add(group)
        return copy
    }

    private mutating func add(_ group: [String]) {
        let names = Set(group.map { HumanName.normalisedForMatching($0, options: .compact) }.filter { !$0.isEmpty })
        guard names.count > 1 else { return }
        let index = groups.count
        groups.append(names)
        longMembers.append(names.sorted().map { Array($0.unicodeScalars) }.filter { $0.count >= 5 })
        for name in names { groupsByName[name, default: []].insert(index) }
    }

    /// Whether two given names are the same name or nicknames of each other.
    ///
    /// - Parameters:
    ///   - a: A given name, in any form.
    ///   - b: Another given name.
    /// - Returns: `true` when the names are equal in matching form or share a group.
    public func areEquivalent(_ a: String, _ b: String) -> Bool {
        let left = HumanName.normalisedForMatching(a, options: .compact)
        let right = HumanName.normalisedForMatching(b, options: .compact)
        guard !left.isEmpty, !right.isEmpty else { return false }
        if left == right { return true }
        guard let leftGroups = groupsByName[left], let rightGroups = groupsByName[right] else { return false }
        return !leftGroups.isDisjoint(with: rightGroups)
    }

    /// The groups that hold a name already in compact matching form, in ascending order; empty when none does.
    func groupIndices(ofCompact name: String) -> [Int] {
        groupsByName[name].map { $0.sorted() } ?? []
    }

    /// Whether a name that is in no group is one typing slip from a name in one of `groups`: `MAGRARET` for
    /// the group of Margaret and Peggy. Only names of five or more characters count, since short names are
    /// one edit from too many others (Kim, Jim).
    func isOneEditFromMember(_ name: [Unicode.Scalar], ofGroups indices: [Int]) -> Bool {
        guard name.count >= 5 else { return false }
        for index in indices {
            for member in longMembers[index] where StringSimilarity.isWithinOneEdit(name, member) { return true }
        }
        return false
    }

    /// Common English given names and their usual short forms.
    public static let standard = NicknameTable([
        ["William", "Bill", "Billy", "Will", "Willie", "Liam"],
        ["Margaret", "Peggy", "Maggie", "Meg", "Madge", "Marge", "Greta"],
        ["Robert", "Bob", "Bobby", "Rob", "Robbie", "Bert"],
        ["Elizabeth", "Liz", "Lizzie", "Beth", "Betty", "Bess", "Eliza", "Libby", "Elsie"],
        ["Richard", "Dick", "Rick", "Ricky", "Rich", "Richie"],
        ["James", "Jim", "Jimmy", "Jamie"],
        ["John", "Jack", "Johnny", "Jon"],
        ["Katherine", "Catherine", "Kathryn", "Kate", "Katie", "Kathy", "Cathy", "Kay", "Kit"],
        ["Edward", "Ted", "Teddy", "Ed", "Eddie", "Ned"],
        ["Anthony", "Tony"],
        ["Michael", "Mike", "Mick", "Mickey"],
        ["Christopher", "Chris", "Kit"],
        ["Christine", "Chris", "Chrissie", "Tina"],
        ["Thomas", "Tom", "Tommy"],
        ["Alexander", "Alex", "Alec", "Sandy", "Xander"],
        ["Alexandra", "Alex", "Sandra", "Sandy", "Lexi"],
        ["Susan", "Sue", "Susie", "Suzanne"],
        ["Patricia", "Pat", "Patsy", "Trish", "Tricia"],
        ["Patrick", "Pat", "Paddy"],
        ["Jennifer", "Jenny", "Jen"],
        ["Deborah", "Debbie", "Debra", "Deb"],
        ["Henry", "Harry", "Hal", "Hank"],
        ["Charles", "Charlie", "Chas", "Chuck"],
        ["Philip", "Phillip", "Phil", "Pip"],
        ["Stephen", "Steven", "Steve", "Stevie"],
        ["Daniel", "Dan", "Danny"],
        ["David", "Dave", "Davy", "Dai"],
        ["Joseph", "Joe", "Joey"],
        ["Samuel", "Sam", "Sammy"],
        ["Samantha", "Sam", "Sammy"],
        ["Frances", "Fran", "Fanny", "Frankie"],
        ["Francis", "Frank", "Frankie"],
        ["Victoria", "Vicky", "Vikki", "Tori"],
        ["Rebecca", "Becky", "Becca"],
        ["Nicholas", "Nick", "Nicky"],
        ["Matthew", "Matt"],
        ["Andrew", "Andy", "Drew"],
        ["Peter", "Pete"],
        ["Timothy", "Tim", "Timmy"],
        ["Benjamin", "Ben", "Benny"],
        ["Jacqueline", "Jackie", "Jacqui"],
        ["Dorothy", "Dot", "Dolly", "Dottie"],
        ["Mary", "Molly", "Polly", "May"],
        ["Sarah", "Sara", "Sally"],
        ["Ann", "Anne", "Anna", "Annie", "Nan", "Nancy"],
        ["Gerald", "Gerry", "Jerry"],
        ["Geoffrey", "Jeffrey", "Geoff", "Jeff"],
        ["Leonard", "Len", "Lenny", "Leo"],
        ["Raymond", "Ray"],
        ["Ronald", "Ron", "Ronnie"],
        ["Donald", "Don", "Donny"],
        ["Kenneth", "Ken", "Kenny"],
        ["Terence", "Terry"],
        ["Lawrence", "Laurence", "Larry", "Laurie"],
        ["Albert", "Al", "Bert", "Bertie"],
        ["Frederick", "Fred", "Freddie", "Freddy"],
        ["Gwendolen", "Gwen", "Wendy"],
        ["Rhiannon", "Rhi"],
        ["Dafydd", "Dai", "Dewi"],
    ])
}
