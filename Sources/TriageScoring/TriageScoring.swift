// The TriageScoring module is declared so that the package's shape, products and documentation are in place from the
// start; its issue fills it. Until then it exports nothing.
import CareCore
