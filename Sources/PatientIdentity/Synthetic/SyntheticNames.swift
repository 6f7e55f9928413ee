/// Name and place lists for the synthetic population: common UK given names and surnames (Cornish ones
/// among them) and outward codes across Cornwall, the Isles of Scilly and beyond. Earlier entries are
/// drawn more often, so common names are common, as in real data.
///
/// Real surnames have a very long tail: the commonest, Smith, is borne by about 1.3 % of people in England
/// and Wales, and there are hundreds of thousands of others. The lists here are short, so surnames are
/// drawn from the common ones a quarter of the time and otherwise from a tail composed of English and
/// Cornish place-name elements (Ashford, Trewen), which gives about 1,200 distinct surnames with the
/// commonest near 2 %: still more collisions than real data, never fewer.
enum SyntheticNames {
    /// Surnames: the common list, Zipf-weighted, a quarter of the time; otherwise the composed tail.
    static let surnameDistribution = NameDistribution(
        head: surnames,
        offset: 3,
        headShare: 0.25,
        tail: composedSurnames
    )
    /// Female given names, Zipf-weighted so that the commonest is about 5 % of women.
    static let femaleGivenDistribution = NameDistribution(head: femaleGiven, offset: 8, headShare: 1, tail: [])
    /// Male given names, Zipf-weighted so that the commonest is about 5 % of men.
    static let maleGivenDistribution = NameDistribution(head: maleGiven, offset: 8, headShare: 1, tail: [])

    /// Surnames made of two place-name elements, English and Cornish, sorted and without repeats.
    static let composedSurnames: [String] = {
        let english = [
            "Ash", "Black", "Brad", "Bram", "Brook", "Cald", "Crow", "Dun", "Fair", "Farn", "Green", "Hal", "Hart",
            "Hay", "Hol", "Kings", "Lang", "Led", "Mar", "Mid", "Nor", "Oak", "Pem", "Red", "Ridge", "Rush",
            "Sand", "Shel", "Stan", "Stock", "Sud", "Thorn", "Wake", "Wal", "Whit", "Win",
        ]
        let englishEndings = [
            "ford", "ley", "ton", "wood", "field", "well", "by", "ham", "worth", "more", "combe", "den", "stone",
            "bridge", "hurst", "wick", "brook", "cott", "land", "thorpe", "holme", "shaw", "gate", "dale",
        ]
        let cornish = ["Tre", "Pen", "Pol", "Ros", "Bos", "Car", "Lan", "Nan", "Ker", "Hel"]
        let cornishEndings = [
            "gear", "wen", "dennis", "hale", "garth", "vean", "tillian", "maine", "glaze", "warne", "rice",
            "darves", "owan", "eath", "gilly", "hallow",
        ]
        var names = Set<String>()
        for start in english { for end in englishEndings { names.insert(start + end) } }
        for start in cornish { for end in cornishEndings { names.insert(start + end) } }
        return names.subtracting(surnames).sorted()
    }()

    static let femaleGiven = [
        "Margaret", "Susan", "Sarah", "Elizabeth", "Mary", "Patricia", "Jennifer", "Linda", "Karen", "Helen",
        "Claire", "Emma", "Rachel", "Laura", "Rebecca", "Nicola", "Catherine", "Katherine", "Joanne", "Lisa",
        "Amanda", "Julie", "Deborah", "Jacqueline", "Alison", "Victoria", "Hannah", "Charlotte", "Sophie", "Lucy",
        "Emily", "Jessica", "Amy", "Chloe", "Megan", "Olivia", "Grace", "Ellie", "Isla", "Freya", "Poppy", "Ruby",
        "Evie", "Florence", "Ivy", "Willow", "Tamsin", "Morwenna", "Jenna", "Kerensa", "Demelza", "Lowenna",
        "Siân", "Zoë", "Niamh", "Aoife", "Priya", "Aisha", "Fatima", "Agnieszka", "Ewa", "Dorothy", "Joan",
        "Barbara", "Christine", "Gillian", "Pauline", "Sandra", "Valerie", "Ann", "Anne", "Frances", "Samantha",
    ]
    static let maleGiven = [
        "John", "David", "Michael", "Peter", "Robert", "James", "William", "Richard", "Thomas", "Christopher",
        "Paul", "Mark", "Andrew", "Stephen", "Ian", "Anthony", "Daniel", "Matthew", "Simon", "Philip", "Kevin",
        "Gary", "Steven", "Martin", "Jonathan", "Benjamin", "Samuel", "Joseph", "Alexander", "Edward", "Henry",
        "George", "Oliver", "Jack", "Harry", "Charlie", "Noah", "Leo", "Oscar", "Arthur", "Freddie", "Alfie",
        "Theo", "Archie", "Jago", "Tristan", "Kenver", "Piran", "Denzil", "Cador", "Dafydd", "Rhys", "Sean",
        "Ciaran", "Mohammed", "Arjun", "Tomasz", "Piotr", "Kenneth", "Raymond", "Ronald", "Gerald", "Geoffrey",
        "Frederick", "Albert", "Leonard", "Terence", "Francis", "Nicholas", "Timothy",
    ]
    static let surnames = [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
        "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
        "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward",
        "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott",
        "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly",
        "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox",
        "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
        "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell",
        "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
        "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson", "Ahmed",
        "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds", "Saunders",
        "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley",
        "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan",
        "Grant", "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett",
        "Webster", "Hunter", "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons",
        "Trelawny", "Pengelly", "Penrose", "Trevithick", "Tremayne", "Polglase", "Chenoweth", "Nancarrow",
        "Pascoe", "Penhaligon", "Trewin", "Rowe", "Hocking", "Jago", "Kitto", "Tregear", "Carlyon", "Trethewey",
        "Angove", "Curnow", "Eddy", "Opie", "Trounson", "Uren", "Vosper", "Williams-Pascoe", "O'Neill",
        "MacDonald", "McKenzie", "van der Berg", "Nowak", "Kowalski", "Wiśniewski", "Da Silva", "Nguyen",
    ]
    /// Outward codes: mostly Cornwall and the Isles of Scilly, some further afield.
    static let outwardCodes = [
        "TR1", "TR2", "TR3", "TR4", "TR5", "TR6", "TR7", "TR8", "TR9", "TR10", "TR11", "TR12", "TR13", "TR14",
        "TR15", "TR16", "TR17", "TR18", "TR19", "TR20", "TR21", "TR22", "TR23", "TR24", "TR25", "TR26", "TR27",
        "PL10", "PL11", "PL12", "PL13", "PL14", "PL15", "PL17", "PL18", "PL22", "PL23", "PL24", "PL25", "PL26",
        "PL27", "PL28", "PL29", "PL30", "PL31", "PL32", "PL33", "PL34", "PL35", "EX22", "EX23", "PL1", "PL4",
        "EX1", "EX4", "BS1", "B33", "M1", "LS1", "SW1A", "EC1A", "W1A", "CF10", "G1",
    ]
    static let streets = [
        "Lemon Street", "Fore Street", "Church Road", "Station Road", "Chapel Street", "Trelawney Road",
        "Penhale Close", "Mount Pleasant", "Higher Town", "Market Jew Street", "Boscawen Road", "Tregolls Road",
        "Harbour View", "Quay Street", "St Austell Street", "Killigrew Street", "Hugh Street", "Parc Eglos",
    ]
}

/// Names drawn with a Zipf-like skew: the common list's entry at rank *r* (from 0) has weight
/// `1 / (r + offset)`, scaled to `headShare` in all, and the tail shares the rest equally.
struct NameDistribution: Sendable {
    let names: [String]
    /// The running total of the weights, ending at 1.
    let cumulative: [Double]

    init(head: [String], offset: Double, headShare: Double, tail: [String]) {
        let headWeights = head.indices.map { 1 / (Double($0) + offset) }
        let headTotal = headWeights.reduce(0, +)
        let share = tail.isEmpty ? 1 : headShare
        var weights = headWeights.map { $0 / headTotal * share }
        weights += tail.map { _ in (1 - share) / Double(tail.count) }
        var running = 0.0
        self.cumulative = weights.map { weight in
            running += weight
            return running
        }
        self.names = head + tail
    }

    /// The share of draws that give the name at a position.
    func share(at position: Int) -> Double {
        cumulative[position] - (position == 0 ? 0 : cumulative[position - 1])
    }

    func draw(using generator: inout some RandomNumberGenerator) -> String {
        let target = Double.random(in: 0..<1, using: &generator) * (cumulative.last ?? 1)
        var low = 0
        var high = names.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return names[low]
    }
}
