import Foundation
import LocusCore
import LocusTestSupport
import Testing

@testable import LocusStore

@Suite("SQLite history store")
struct SQLiteHistoryStoreTests {
    typealias F = StoreFixtures

    static let east = LastKnownMapping(
        site: "dc-east",
        locators: [
            Locator(address: "127.0.1.1", site: "dc-east", priority: 1, weight: 50, reachable: true, isLocal: true)
        ],
        checkedAt: F.at(0)
    )

    static let move = Event.move(
        Move(fromSite: "dc-east", toSite: "dc-west", fromLocators: ["127.0.1.1"], toLocators: ["127.0.2.1"]),
        of: "web-07",
        at: F.at(10)
    )

    static let mismatch = Alert(
        kind: .locatorMismatch,
        severity: .critical,
        subject: "web-07",
        message: "web-07: inventory says dc-east, mapping says dc-west",
        firstSeen: F.at(10)
    )

    /// An acknowledgement of `mismatch`'s occurrence for four hours.
    static let timedAcknowledgement = Acknowledgement(
        alertID: mismatch.id,
        by: "ops1",
        at: F.at(11),
        firstSeen: F.at(10),
        expiresAt: F.at(11 + 4 * 3600)
    )

    @Test func aFreshFileIsMigratedInWALModeWithItsDirectoryCreated() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("state/locus/locus.sqlite")
        let store = try SQLiteHistoryStore(path: path)
        #expect(try await store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5"])
        let tables = try await store.tableNames()
        for table in ["acknowledgement", "alert_history", "event", "mapping", "move"] {
            #expect(tables.contains(table))
        }
        #expect(try await store.journalMode() == "wal")
        #expect(try await store.lastMappings().isEmpty)
        #expect(try await store.recentEvents(limit: 10).isEmpty)
    }

    @Test func theFilesAreCreatedGroupWritable() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locus.sqlite")
        let store = try SQLiteHistoryStore(path: path)
        try await store.record(events: [Self.move])
        #expect(try F.permissions(of: path) == 0o660)
        // The companions exist while a connection is open in WAL mode.
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            #expect(try F.permissions(of: path + suffix) == 0o660, "\(suffix)")
        }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    /// Files another user's process would otherwise re-create under its umask each time the store is
    /// opened afresh, finding them read-only for that moment and failing its write.
    @Test func theCompanionFilesOutliveTheLastConnectionStillGroupWritable() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locus.sqlite")
        do {
            let store = try SQLiteHistoryStore(path: path)
            try await store.record(events: [Self.move])
        }
        for suffix in ["", "-wal", "-shm"] {
            #expect(FileManager.default.fileExists(atPath: path + suffix), "\(suffix)")
            #expect(try F.permissions(of: path + suffix) == 0o660, "\(suffix)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(leftovers.sorted() == ["locus.sqlite", "locus.sqlite-shm", "locus.sqlite-wal"])
        let reopened = try SQLiteHistoryStore(path: path)
        #expect(try await reopened.recentEvents(limit: 10) == [Self.move])
    }

    @Test func historySurvivesReopeningTheFile() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locus.sqlite")
        do {
            let store = try SQLiteHistoryStore(path: path)
            let raised = AlertTransition(change: .raised, alert: Self.mismatch, at: F.at(10))
            try await store.record(
                HistoryBatch(
                    mappings: ["web-07": Self.east],
                    events: [Self.move, raised.event!],
                    alertTransitions: [raised]
                )
            )
        }

        let reopened = try SQLiteHistoryStore(path: path)
        #expect(try await reopened.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5"])
        #expect(try await reopened.lastMappings() == ["web-07": Self.east])
        let events = try await reopened.recentEvents(limit: 10)
        #expect(events.map(\.kind) == [.move, .alertRaised] || events.map(\.kind) == [.alertRaised, .move])
        #expect(events.first { $0.kind == .move } == Self.move)
        #expect(try await reopened.moves(of: "web-07", limit: 10) == [Self.move])
        let history = try await reopened.alertHistory(limit: 10, alertID: Self.mismatch.id)
        #expect(history.map(\.change) == [.raised])
        #expect(history.first?.alert.message == Self.mismatch.message)
        #expect(history.first?.alert.firstSeen == F.at(10))
    }

    @Test func addressesAreReplacedAndSurviveReopening() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locus.sqlite")
        let first = KnownAddress(address: IPAddress("10.1.0.7")!)
        let moved = KnownAddress(address: IPAddress("172.16.1.5")!, previous: IPAddress("10.1.0.7")!)
        do {
            let store = try SQLiteHistoryStore(path: path)
            try await store.record(HistoryBatch(addresses: ["web-07": first, "db-01": first]))
            try await store.record(HistoryBatch(addresses: ["web-07": moved]))
        }
        let reopened = try SQLiteHistoryStore(path: path)
        #expect(try await reopened.lastAddresses() == ["web-07": moved, "db-01": first])
    }

    @Test func mappingsAreReplacedNotDuplicated() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteHistoryStore(path: directory.path("locus.sqlite"))
        try await store.record(mappings: ["web-07": Self.east])
        let west = LastKnownMapping(site: "dc-west", locators: [Locator(address: "127.0.2.1")], checkedAt: F.at(20))
        try await store.record(mappings: ["web-07": west])
        #expect(try await store.lastMappings() == ["web-07": west])
    }

    @Test func recentEventsAreNewestFirstLimitedAndFilteredBySubject() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteHistoryStore(path: directory.path("locus.sqlite"))
        // Seeded: a failure comes back with the same order.
        var shuffling = SeededRandom(seed: 20)
        let events = (0..<20).map { index in
            Event(
                time: F.at(Double(index)),
                kind: .sourceState,
                subject: index % 2 == 0 ? "mr-1" : "mr-2",
                detail: "\(index)"
            )
        }
        try await store.record(events: events.shuffled(using: &shuffling))
        #expect(try await store.recentEvents(limit: 3).map(\.detail) == ["19", "18", "17"])
        #expect(try await store.recentEvents(limit: 3, subject: "mr-1").map(\.detail) == ["18", "16", "14"])
        #expect(try await store.recentEvents(limit: 0).isEmpty)
    }

    @Test func acknowledgementsPersistUntilTheAlertClears() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locus.sqlite")
        let id = Self.mismatch.id
        do {
            let store = try SQLiteHistoryStore(path: path)
            try await store.record(alertTransitions: [
                AlertTransition(change: .raised, alert: Self.mismatch, at: F.at(10))
            ])
            try await store.acknowledge(alertID: id, by: "ops1", at: F.at(11))
            try await store.acknowledge(alertID: id, by: "ops2", at: F.at(12))
        }
        let reopened = try SQLiteHistoryStore(path: path)
        #expect(try await reopened.acknowledgements() == [Acknowledgement(alertID: id, by: "ops2", at: F.at(12))])

        try await reopened.record(alertTransitions: [
            AlertTransition(change: .cleared, alert: Self.mismatch, at: F.at(20))
        ])
        #expect(try await reopened.acknowledgements().isEmpty)

        try await reopened.acknowledge(alertID: id, by: "ops1", at: F.at(30))
        #expect(try await reopened.acknowledgements().map(\.by) == ["ops1"])
    }

    @Test func anAcknowledgementKeepsItsOccurrenceAndExpiryAcrossAReopen() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locus.sqlite")
        let given = Self.timedAcknowledgement
        do {
            let store = try SQLiteHistoryStore(path: path)
            try await store.record(alertTransitions: [
                AlertTransition(change: .raised, alert: Self.mismatch, at: F.at(10))
            ])
            try await store.acknowledge(given)
        }
        #expect(try await SQLiteHistoryStore(path: path).acknowledgements() == [given])
    }

    @Test func twoWritersOnOneFileLoseNoEvent() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("shared/locus.sqlite")
        let perWriter = 500
        // Each writer opens the fresh file itself, so they also race to create the schema.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    let store = try SQLiteHistoryStore(path: path)
                    for index in 0..<perWriter {
                        let event = Event(
                            time: F.at(Double(index)),
                            kind: .sourceState,
                            subject: "writer-\(writer)",
                            detail: "\(index)"
                        )
                        try await store.record(events: [event])
                    }
                }
            }
            try await group.waitForAll()
        }
        let store = try SQLiteHistoryStore(path: path)
        #expect(try await store.recentEvents(limit: 10_000).count == 2 * perWriter)
        for writer in 0..<2 {
            let details = try await store.recentEvents(limit: 10_000, subject: "writer-\(writer)").map(\.detail)
            #expect(Set(details) == Set((0..<perWriter).map(String.init)))
        }
    }

    @Test func aDirectoryThatCannotBeCreatedIsANamedError() throws {
        let directory = try TemporaryDirectory()
        let blocker = directory.path("file")
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        #expect {
            try SQLiteHistoryStore(path: blocker + "/locus/locus.sqlite")
        } throws: { error in
            guard case .cannotCreateDirectory(let path, _) = error as? HistoryStoreError else { return false }
            return path.hasSuffix("file/locus")
        }
    }

    @Test func aFileThatIsNotADatabaseIsANamedError() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locus.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 4096)))
        #expect {
            try SQLiteHistoryStore(path: path)
        } throws: { error in
            let description = String(describing: error)
            return description.contains(path)
        }
    }
}
