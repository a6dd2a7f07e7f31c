// swift-tools-version:6.1
import PackageDescription

// One target per module; a domain module depends on Platform and kernels only,
// never on another domain module. RendaApp is the composition root.
let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Renda",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "renda", targets: ["renda"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "Platform",
            dependencies: [
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Leaf", package: "leaf"),
            ],
            swiftSettings: swift6
        ),
        // Kernels: import Platform only.
        .target(
            name: "Handling",
            dependencies: ["Platform", .product(name: "Fluent", package: "fluent")],
            swiftSettings: swift6
        ),
        .target(
            name: "Voting",
            dependencies: ["Platform", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")],
            swiftSettings: swift6
        ),
        .target(
            name: "Collection",
            dependencies: ["Platform", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")],
            swiftSettings: swift6
        ),
        .target(
            name: "Records",
            dependencies: ["Platform", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")],
            swiftSettings: swift6
        ),
        // Domain modules: import Platform and kernels, never another domain module.
        .target(
            name: "Suggestions",
            dependencies: ["Platform", "Handling", "Records", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")],
            swiftSettings: swift6
        ),
        .target(
            name: "Meetings",
            dependencies: ["Platform", "Voting", "Records", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")],
            swiftSettings: swift6
        ),
        .target(
            name: "Contact",
            dependencies: ["Platform", "Handling", "Records", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")],
            swiftSettings: swift6
        ),
        .target(name: "Imaging", swiftSettings: swift6),
        // Text of uploaded .docx files, read in-process; Imaging lends it raw DEFLATE and CRC-32.
        .target(name: "Documents", dependencies: ["Imaging"], swiftSettings: swift6),
        .target(
            name: "Livelihood",
            dependencies: ["Platform", "Voting", "Handling", "Records", "Imaging", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")],
            swiftSettings: swift6
        ),
        .target(
            name: "Consultation",
            dependencies: ["Platform", "Collection", "Handling", "Records", "Documents", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")],
            swiftSettings: swift6
        ),
        .target(
            name: "Supervision",
            dependencies: ["Platform", "Voting", "Handling", "Records", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")],
            swiftSettings: swift6
        ),
        .target(
            name: "Performance",
            dependencies: ["Platform", "Records", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")],
            swiftSettings: swift6
        ),
        .target(
            name: "RendaApp",
            dependencies: [
                "Collection", "Platform", "Handling", "Suggestions", "Voting", "Meetings", "Contact", "Records", "Performance", "Livelihood", "Consultation", "Supervision",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swift6
        ),
        .executableTarget(
            name: "renda",
            dependencies: ["RendaApp", .product(name: "Vapor", package: "vapor")],
            swiftSettings: swift6
        ),
        // Test support shared by every test target: app on either database, browser-like client.
        .target(
            name: "RendaTesting",
            dependencies: ["Platform", "RendaApp", .product(name: "VaporTesting", package: "vapor")],
            path: "Tests/RendaTesting",
            swiftSettings: swift6
        ),
        .testTarget(
            name: "PlatformTests",
            dependencies: ["Platform", "RendaApp", "RendaTesting", .product(name: "VaporTesting", package: "vapor")],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "HandlingTests",
            dependencies: ["Platform", "Handling", "RendaApp", "RendaTesting", .product(name: "VaporTesting", package: "vapor")],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "CollectionTests",
            dependencies: ["Platform", "Collection", "RendaApp", "RendaTesting", .product(name: "VaporTesting", package: "vapor")],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "VotingTests",
            dependencies: ["Platform", "Voting", "RendaApp", "RendaTesting", .product(name: "VaporTesting", package: "vapor"),
                           .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver")],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "MeetingsTests",
            dependencies: ["Platform", "Voting", "Meetings", "RendaApp", "RendaTesting", .product(name: "VaporTesting", package: "vapor")],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "ContactTests",
            dependencies: ["Platform", "Handling", "Contact", "RendaApp", "RendaTesting", .product(name: "VaporTesting", package: "vapor")],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "RecordsTests",
            dependencies: ["Platform", "Records", "Performance", "Suggestions", "Meetings", "Contact", "RendaApp", "RendaTesting", .product(name: "VaporTesting", package: "vapor")],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "ImagingTests",
            dependencies: ["Imaging"],
            // Fixtures are read through #filePath, so SwiftPM must not try to bundle them.
            exclude: ["Fixtures"],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "DocumentsTests",
            dependencies: ["Documents"],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "LivelihoodTests",
            dependencies: ["Platform", "Voting", "Handling", "Records", "Livelihood", "RendaApp", "RendaTesting", .product(name: "VaporTesting", package: "vapor")],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "ConsultationTests",
            dependencies: ["Platform", "Collection", "Handling", "Records", "Consultation", "Imaging", "RendaApp", "RendaTesting", .product(name: "VaporTesting", package: "vapor")],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "SupervisionTests",
            dependencies: ["Platform", "Voting", "Handling", "Records", "Supervision", "RendaApp", "RendaTesting", .product(name: "VaporTesting", package: "vapor")],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "SuggestionsTests",
            dependencies: ["Platform", "Handling", "Suggestions", "RendaApp", "RendaTesting", .product(name: "VaporTesting", package: "vapor")],
            swiftSettings: swift6
        ),
    ]
)
