// swift-tools-version: 6.2

import PackageDescription

// libFuzzer targets for the suite's parsers, in a package of their own: each is built with
// `-sanitize=fuzzer,address` and hands its input callback to libFuzzer's driver, so it does not link as an
// ordinary executable. Run them with `scripts/fuzz.sh`; `Documentation/Security.md` says what each one checks.
let targets: [(name: String, dependencies: [String])] = [
    ("FuzzJSONReader", ["FHIREncoding"]),
    ("FuzzFHIRDecoder", ["FHIREncoding"]),
    ("FuzzCSVReader", ["CareCore"]),
    ("FuzzTriageEvents", ["CareCore", "TriageScoring"]),
    ("FuzzNHSNumber", ["PatientIdentity"]),
    ("FuzzPostcode", ["CareCore"]),
]

let package = Package(
    name: "Fuzz",
    platforms: [.macOS(.v15)],
    products: targets.map { .executable(name: $0.name, targets: [$0.name]) },
    dependencies: [
        .package(name: "IntegratedCareKit", path: "..")
    ],
    targets: [.target(name: "CFuzzing")]
        + targets.map { target in
            .executableTarget(
                name: target.name,
                dependencies: ["CFuzzing"]
                    + target.dependencies.map { .product(name: $0, package: "IntegratedCareKit") },
                swiftSettings: [
                    .enableUpcomingFeature("ExistentialAny"),
                    .enableUpcomingFeature("InternalImportsByDefault"),
                    .enableUpcomingFeature("MemberImportVisibility"),
                ]
            )
        }
)
