import CareCore
import Foundation

/// The CareCore benchmarks: parsing of postcodes, dates and CSV, name normalisation and London time.
enum CareCoreBenchmarks {
    static func all() -> [Benchmark] {
        var generator = SeededRandomNumberGenerator(seed: 20_260_329)
        let postcodes = (0..<100_000).map { _ in randomPostcode(using: &generator) }
        let dates = (0..<100_000).map { _ in randomDate(using: &generator) }
        let instants = (0..<100_000).map { _ in randomInstant(using: &generator) }
        let names = (0..<100_000).map { _ in randomName(using: &generator) }
        let asciiNames = names.filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        let accentedNames = names.filter { !$0.utf8.allSatisfy { $0 < 0x80 } }
        let csv = demographicsCSV(rows: 50_000, using: &generator)
        let moments = (0..<100_000).map { _ in
            Date(timeIntervalSince1970: Double(Int.random(in: 1_767_225_600...1_798_761_600, using: &generator)))
        }
        let london = try? CivilTimeZone.europeLondon()
        let locals = moments.compactMap { try? london?.localDateTime(at: $0) }

        return [
            Benchmark(name: "postcode.parse", operations: postcodes.count, bytes: 0) {
                var total = 0
                for text in postcodes { total &+= try Postcode(parsing: text).inward.utf8.count }
                return total
            },
            Benchmark(name: "fhirdate.parse", operations: dates.count, bytes: 0) {
                var total = 0
                for text in dates { total &+= try FHIRDate(parsing: text).year }
                return total
            },
            Benchmark(name: "instant.parse", operations: instants.count, bytes: 0) {
                var total = 0
                for text in instants { total &+= Int(try Instant(parsing: text).secondsSinceUnixEpoch & 0xFF) }
                return total
            },
            Benchmark(name: "name.normalise.ascii", operations: asciiNames.count, bytes: 0) {
                var total = 0
                for name in asciiNames { total &+= HumanName.normalisedForMatching(name).utf8.count }
                return total
            },
            Benchmark(name: "name.normalise.unicode", operations: accentedNames.count, bytes: 0) {
                var total = 0
                for name in accentedNames { total &+= HumanName.normalisedForMatching(name).utf8.count }
                return total
            },
            Benchmark(name: "london.civilDate", operations: moments.count, bytes: 0) {
                guard let london else { throw CancellationError() }
                var total = 0
                for moment in moments { total &+= try london.civilDate(at: moment).day }
                return total
            },
            Benchmark(name: "london.resolve", operations: locals.count, bytes: 0) {
                guard let london else { throw CancellationError() }
                var total = 0
                for local in locals {
                    if case .unique = london.resolve(local) { total &+= 1 }
                }
                return total
            },
            Benchmark(name: "csv.read", operations: 50_000, bytes: csv.count) {
                var reader = CSVReader(bytes: csv)
                var total = 0
                while let record = try reader.next() { total &+= record.fields.count }
                return total
            },
        ]
    }

    private static let letters = Array("ABDEFGHJLNPQRSTUWXYZ")

    private static func randomPostcode(using generator: inout SeededRandomNumberGenerator) -> String {
        let areas = ["TR", "PL", "EX", "B", "M", "EC1A", "W1A", "SW1A", "TR21", "PL31"]
        let area = areas.randomElement(using: &generator) ?? "TR"
        let outward =
            area.last?.isLetter == true && area.count <= 2
            ? area + "\(Int.random(in: 1...29, using: &generator))" : area
        let inward =
            "\(Int.random(in: 0...9, using: &generator))"
            + String(letters.randomElement(using: &generator) ?? "A")
            + String(letters.randomElement(using: &generator) ?? "B")
        return Bool.random(using: &generator) ? outward + " " + inward : (outward + inward).lowercased()
    }

    private static func randomDate(using generator: inout SeededRandomNumberGenerator) -> String {
        let year = Int.random(in: 1900...2026, using: &generator)
        let month = Int.random(in: 1...12, using: &generator)
        let day = Int.random(in: 1...28, using: &generator)
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: return "\(year)"
        case 1: return String(format: "%04d-%02d", year, month)
        default: return String(format: "%04d-%02d-%02d", year, month, day)
        }
    }

    private static func randomInstant(using generator: inout SeededRandomNumberGenerator) -> String {
        let offsets = ["Z", "+01:00", "+00:00", "-05:00"]
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d",
            Int.random(in: 2000...2030, using: &generator),
            Int.random(in: 1...12, using: &generator),
            Int.random(in: 1...28, using: &generator),
            Int.random(in: 0...23, using: &generator),
            Int.random(in: 0...59, using: &generator),
            Int.random(in: 0...59, using: &generator),
            Int.random(in: 0...999, using: &generator)
        ) + (offsets.randomElement(using: &generator) ?? "Z")
    }

    private static func randomName(using generator: inout SeededRandomNumberGenerator) -> String {
        let names = [
            "O'Neill-Pascoe", "Trevithick", "Penhaligon", "Zoë", "Siân", "van der Berg", "Strauß", "Chenoweth",
        ]
        return names.randomElement(using: &generator) ?? "Smith"
    }

    private static func demographicsCSV(rows: Int, using generator: inout SeededRandomNumberGenerator) -> [UInt8] {
        var text = "id,given,family,birth_date,postcode,channels,no_digital\r\n"
        for row in 0..<rows {
            let family = randomName(using: &generator)
            let quoted = family.contains("'") || Bool.random(using: &generator) ? "\"\(family), Jr\"" : family
            text +=
                "p\(row),Claire,\(quoted),\(randomDate(using: &generator)),\(randomPostcode(using: &generator)),app sms,false\r\n"
        }
        return Array(text.utf8)
    }
}
