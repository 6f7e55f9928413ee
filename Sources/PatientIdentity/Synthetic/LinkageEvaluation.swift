public import CareCore

/// Pairwise precision, recall and F1 of predicted pairs against the true pairs: the measure record-linkage
/// benchmarks (and this suite's targets) use.
///
/// A predicted pair is a true positive when both records belong to the same person. Every true pair counts
/// towards recall, including pairs blocking never compared.
public struct LinkageEvaluation: Hashable, Sendable, CustomStringConvertible {
    /// Predicted pairs that are true.
    public let truePositives: Int
    /// Predicted pairs that are not true.
    public let falsePositives: Int
    /// True pairs that were not predicted.
    public let falseNegatives: Int

    /// Compares predicted pairs with the truth.
    ///
    /// - Parameters:
    ///   - predicted: The predicted pairs, in either order within each pair.
    ///   - personOfRecord: The true person of every record.
    public init(predicted: [(PatientRecord.ID, PatientRecord.ID)], personOfRecord: [PatientRecord.ID: String]) {
        var seen = Set<String>()
        var truePositives = 0
        var falsePositives = 0
        for (a, b) in predicted {
            let (left, right) = a < b ? (a, b) : (b, a)
            guard seen.insert(left.rawValue + "|" + right.rawValue).inserted else { continue }
            if let person = personOfRecord[left], person == personOfRecord[right] {
                truePositives += 1
            } else {
                falsePositives += 1
            }
        }
        var recordsPerPerson: [String: Int] = [:]
        for person in personOfRecord.values { recordsPerPerson[person, default: 0] += 1 }
        let truePairs = recordsPerPerson.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = truePairs - truePositives
    }

    /// The share of predicted pairs that are true; 1 when nothing was predicted.
    public var precision: Double {
        truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
    }

    /// The share of true pairs that were predicted; 1 when there are none.
    public var recall: Double {
        truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
    }

    /// The harmonic mean of precision and recall.
    public var f1: Double {
        precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }

    /// The figures in one line.
    public var description: String {
        let p = (precision * 10_000).rounded() / 10_000
        let r = (recall * 10_000).rounded() / 10_000
        let f = (f1 * 10_000).rounded() / 10_000
        return "precision \(p), recall \(r), F1 \(f) (TP \(truePositives), FP \(falsePositives), FN \(falseNegatives))"
    }
}
