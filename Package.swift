// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Locus",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "locus", targets: ["locus"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        // No pkgConfig: SwiftPM would warn about the -D flags ncursesw.pc carries, and the shim header
        // defines what those flags would.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        .target(
            name: "LISP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "LISPNet",
            dependencies: [
                "LISP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "DNS",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "DNSNet",
            dependencies: [
                "DNS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(name: "LocusCore"),
        .target(
            name: "LocusStore",
            dependencies: [
                "LocusCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "LocusEngine",
            dependencies: [
                "LocusCore",
                "LocusStore",
                "LISP",
                "LISPNet",
                "DNS",
                "DNSNet",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(name: "LocusTUI", dependencies: ["LocusCore", "CNcurses"]),
        .target(
            name: "LocusLab",
            dependencies: [
                "LocusCore",
                "LocusEngine",
                "LocusStore",
                "LISP",
                "LISPNet",
                "DNS",
                "DNSNet",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "locus",
            dependencies: [
                "LocusCore", "LocusStore", "LocusEngine", "LocusTUI", "LocusLab", "LISP", "LISPNet", "DNS", "DNSNet",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The parsers libFuzzer drives (scripts/fuzz), and the binary it drives them through.
        .target(
            name: "LocusFuzzing",
            dependencies: ["LISP", "DNS", "LocusCore", "LocusTUI", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .executableTarget(name: "locus-fuzz", dependencies: ["LocusFuzzing"]),
        .target(name: "LocusTestSupport", path: "Tests/LocusTestSupport"),
        .testTarget(name: "LISPTests", dependencies: ["LISP", "LocusTestSupport"]),
        .testTarget(name: "LISPNetTests", dependencies: ["LISP", "LISPNet", "LocusCore", "LocusTestSupport"]),
        .testTarget(name: "DNSTests", dependencies: ["DNS", "LocusTestSupport"]),
        .testTarget(name: "DNSNetTests", dependencies: ["DNS", "DNSNet", "LocusTestSupport"]),
        .testTarget(name: "LocusCoreTests", dependencies: ["LocusCore", "LocusTestSupport"]),
        .testTarget(
            name: "LocusStoreTests",
            dependencies: [
                "LocusStore", "LocusCore", "LocusTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "LocusEngineTests",
            dependencies: [
                "LocusEngine", "LocusLab", "LocusCore", "LocusStore", "LISP", "LISPNet", "DNS", "DNSNet",
                "LocusTestSupport",
            ]
        ),
        .testTarget(name: "LocusTUITests", dependencies: ["LocusTUI", "LocusCore"]),
        .testTarget(
            name: "LocusLabTests",
            dependencies: [
                "LocusLab", "LocusCore", "LocusEngine", "LISP", "LISPNet", "DNS", "DNSNet",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "LocusFuzzingTests", dependencies: ["LocusFuzzing", "LocusTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["LocusCore", "LocusTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
