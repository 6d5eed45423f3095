import Foundation
import LocusCore
import LocusEngine
import LocusStore
import Testing

/// A runner that dies leaves its lease to expire; whoever reads the migrations next records the
/// cutover as interrupted, once.
@Suite("Migration desk: interrupted cutovers")
struct MigrationDeskInterruptionTests {
    /// Ten minutes ago, in whole seconds (the store keeps milliseconds): the lease of a runner that
    /// renewed it last then ran out long since.
    static let earlier = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 600).rounded(.down))

    /// What a reader sees of a migration, without the time of the change (kept to the millisecond).
    static func seen(_ migration: Migration?) -> [String] {
        guard let migration else { return [] }
        return [migration.id, migration.state.rawValue, "\(migration.version)", migration.outcome ?? "-"]
    }

    @Test func aCutoverWhoseLeaseExpiredIsRecordedInterruptedNamingTheRunner() async throws {
        let directory = try TemporaryDirectory()
        let stored = try await StoredMigrations(path: directory.file("locus.sqlite"))
        let leaseEnd = Self.earlier.addingTimeInterval(30)
        let running = try await stored.executing("m-0000000a", at: Self.earlier, leaseUntil: leaseEnd)
        #expect(running.state == .executing)

        let listed = try await stored.desk.migrations(origin: StoredMigrations.origin)
        let interrupted = try #require(listed.first { $0.id == running.id })
        #expect(interrupted.state == .interrupted)
        #expect(interrupted.version == running.version + 1)
        #expect(interrupted.lease == nil)
        #expect(
            interrupted.outcome
                == "the runner's lease expired at \(RFC3339.string(from: leaseEnd)) "
                + "(\(StoredMigrations.me) pid \(getpid()) on \(StoredMigrations.origin.host))"
        )
        #expect(Self.seen(try await stored.store.migration(id: running.id)) == Self.seen(interrupted), "recorded")

        let audit = try await stored.store.auditEntries(since: nil).filter { $0.after == "interrupted" }
        #expect(audit.count == 1)
        #expect(audit.first?.action == "fail")
        #expect(audit.first?.before == "executing")
    }

    @Test func showRecordsTheInterruptionToo() async throws {
        let directory = try TemporaryDirectory()
        let stored = try await StoredMigrations(path: directory.file("locus.sqlite"))
        let running = try await stored.executing(
            "m-0000000b",
            at: Self.earlier,
            leaseUntil: Self.earlier.addingTimeInterval(30)
        )
        let shown = try await stored.desk.existing(running.id)
        #expect(shown.state == .interrupted)
        #expect(try await stored.store.migration(id: running.id)?.state == .interrupted)
    }

    @Test func aRunnerWhoseLeaseLastsKeepsItsCutover() async throws {
        let directory = try TemporaryDirectory()
        let stored = try await StoredMigrations(path: directory.file("locus.sqlite"))
        let running = try await stored.executing(
            "m-0000000c",
            at: Self.earlier,
            leaseUntil: Self.earlier.addingTimeInterval(900)
        )
        let listed = try await stored.desk.migrations(origin: StoredMigrations.origin)
        #expect(listed.first { $0.id == running.id } == running)
        #expect(try await stored.desk.existing(running.id) == running)
    }

    @Test func aWaitingRunnersExpiredClaimIsNotAnInterruption() async throws {
        let directory = try TemporaryDirectory()
        let stored = try await StoredMigrations(path: directory.file("locus.sqlite"))
        let approved = try await stored.approved("m-0000000d", at: Self.earlier)
        let claimed = try await stored.apply(
            .claim(lease: StoredMigrations.lease(until: Self.earlier.addingTimeInterval(30))),
            to: approved,
            at: Self.earlier.addingTimeInterval(3)
        )
        let listed = try await stored.desk.migrations(origin: StoredMigrations.origin)
        #expect(listed.first { $0.id == claimed.id }?.state == .approved)
    }

    @Test func twoReadersAtOnceRecordOneInterruptionAndBothSeeIt() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("locus.sqlite")
        let stored = try await StoredMigrations(path: path)
        let running = try await stored.executing(
            "m-0000000e",
            at: Self.earlier,
            leaseUntil: Self.earlier.addingTimeInterval(30)
        )
        // A second process's view: its own connection to the same file.
        let other = MigrationDesk(config: stored.config, store: try SQLiteHistoryStore(path: path))
        async let first = stored.desk.migrations(origin: StoredMigrations.origin)
        async let second = other.migrations(origin: StoredMigrations.origin)
        let (a, b) = try await (first, second)
        #expect(Self.seen(a.first { $0.id == running.id }) == Self.seen(b.first { $0.id == running.id }))
        #expect(a.first?.state == .interrupted)
        #expect(a.first?.version == running.version + 1)
        let recorded = try await stored.store.auditEntries(since: nil).filter {
            $0.after == "interrupted" && $0.outcome == "done"
        }
        #expect(recorded.count == 1)
    }
}
