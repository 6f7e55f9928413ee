// swift-tools-version: 6.2

import PackageDescription

// The PostgreSQL backend of CareStore, in a package of its own so that the suite itself links nothing beyond
// the system SQLite. It depends on the suite by path and on the system's libpq through a module map.
let package = Package(
    name: "PostgresStore",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PostgresStore", targets: ["PostgresStore"])
    ],
    dependencies: [
        .package(name: "IntegratedCareKit", path: "../..")
    ],
    targets: [
        // PostgreSQL's C client library, reached through a module map; nothing is downloaded.
        .systemLibrary(
            name: "CLibPQ",
            path: "Sources/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .target(
            name: "PostgresStore",
            dependencies: [
                "CLibPQ",
                .product(name: "CareCore", package: "IntegratedCareKit"),
                .product(name: "FHIREncoding", package: "IntegratedCareKit"),
                .product(name: "CareStore", package: "IntegratedCareKit"),
            ]
        ),
        .executableTarget(
            name: "PostgresStoreBenchmarks",
            dependencies: [
                "PostgresStore",
                .product(name: "CareCore", package: "IntegratedCareKit"),
                .product(name: "FHIREncoding", package: "IntegratedCareKit"),
                .product(name: "CareStore", package: "IntegratedCareKit"),
            ],
            path: "Benchmarks"
        ),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: [
                "PostgresStore",
                .product(name: "CareCore", package: "IntegratedCareKit"),
                .product(name: "FHIREncoding", package: "IntegratedCareKit"),
                .product(name: "CareStore", package: "IntegratedCareKit"),
                .product(name: "CareStoreConformance", package: "IntegratedCareKit"),
            ]
        ),
    ]
)

for target in package.targets where [.regular, .test, .executable].contains(target.type) {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"),
            .enableUpcomingFeature("InternalImportsByDefault"),
            .enableUpcomingFeature("MemberImportVisibility"),
            .treatWarning("ExplicitSendable", as: .warning),
        ]
}
