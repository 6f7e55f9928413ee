// swift-tools-version: 6.2

import PackageDescription

/// The library modules of the suite, in dependency order. Each one gets a product, a test target and a DocC
/// catalog inside its source folder.
let libraries: [(name: String, dependencies: [Target.Dependency])] = [
    ("CareCore", []),
    ("PatientIdentity", ["CareCore"]),
    ("Appointments", ["CareCore"]),
    ("CarePlans", ["CareCore"]),
    ("ConsentAccess", ["CareCore"]),
    ("TriageScoring", ["CareCore"]),
    (
        "FHIREncoding",
        ["CareCore", "PatientIdentity", "Appointments", "CarePlans", "ConsentAccess", "TriageScoring"]
    ),
]

let package = Package(
    name: "IntegratedCareKit",
    platforms: [
        .macOS(.v15),
        .iOS(.v18),
        .tvOS(.v18),
        .watchOS(.v11),
        .visionOS(.v2),
    ],
    products: libraries.map { .library(name: $0.name, targets: [$0.name]) } + [
        .library(name: "CareStore", targets: ["CareStore"]),
        .library(name: "CareStoreConformance", targets: ["CareStoreConformance"]),
    ],
    targets: libraries.flatMap { library -> [Target] in
        [
            .target(name: library.name, dependencies: library.dependencies),
            .testTarget(name: "\(library.name)Tests", dependencies: [.target(name: library.name)]),
        ]
    } + [
        // The system's SQLite, reached through a module map; nothing is downloaded.
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .target(name: "CareStore", dependencies: ["CareCore", "ConsentAccess", "FHIREncoding", "CSQLite"]),
        .target(name: "CareStoreConformance", dependencies: ["CareCore", "FHIREncoding", "CareStore"]),
        .testTarget(
            name: "CareStoreTests",
            dependencies: [
                "CareCore", "PatientIdentity", "Appointments", "CarePlans", "ConsentAccess", "FHIREncoding",
                "CareStore", "CareStoreConformance", "CSQLite",
            ]
        ),
        // Checks that cross every module: no patient data in any error or description.
        .testTarget(
            name: "HardeningTests",
            dependencies: [
                "CareCore", "PatientIdentity", "Appointments", "CarePlans", "ConsentAccess", "TriageScoring",
                "FHIREncoding", "CareStore",
            ]
        ),
        // The child process the crash test kills; not a product.
        .executableTarget(
            name: "CareStoreCrashWriter",
            dependencies: ["CareCore", "FHIREncoding", "CareStore"],
            path: "Tests/CareStoreCrashWriter"
        ),
        // The strategy's journeys, composed from every module: a library so that tests can check what they
        // do, not only what they print. Not a product.
        .target(
            name: "CareJourneys",
            dependencies: libraries.map { .target(name: $0.name) } + ["CareStore"],
            path: "Examples/CareJourneys"
        ),
        .testTarget(
            name: "CareJourneysTests",
            dependencies: [
                "CareCore", "PatientIdentity", "Appointments", "CarePlans", "ConsentAccess", "TriageScoring",
                "FHIREncoding", "CareStore", "CareJourneys",
            ]
        ),
        .executableTarget(
            name: "care-journey",
            dependencies: ["CareCore", "PatientIdentity", "Appointments", "FHIREncoding", "CareJourneys"],
            path: "Examples/care-journey"
        ),
        .executableTarget(
            name: "fhir-tool",
            dependencies: ["FHIREncoding"],
            path: "Examples/fhir-tool"
        ),
        .executableTarget(
            name: "patient-match",
            dependencies: ["CareCore", "PatientIdentity"],
            path: "Examples/patient-match"
        ),
        .executableTarget(
            name: "triage-board",
            dependencies: ["CareCore", "TriageScoring"],
            path: "Examples/triage-board"
        ),
        .executableTarget(
            name: "Benchmarks",
            dependencies: [
                "CareCore", "PatientIdentity", "Appointments", "ConsentAccess", "TriageScoring", "FHIREncoding",
                "CareStore",
            ],
            path: "Benchmarks"
        ),
    ]
)

// One set of settings for every target, with no exceptions. Warnings stay warnings here so that a newer
// compiler cannot break a package that merely depends on us; `scripts/check.sh` and CI turn them into errors.
for target in package.targets where [.regular, .test, .executable].contains(target.type) {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"),
            .enableUpcomingFeature("InternalImportsByDefault"),
            .enableUpcomingFeature("MemberImportVisibility"),
            .treatWarning("ExplicitSendable", as: .warning),
        ]
}
