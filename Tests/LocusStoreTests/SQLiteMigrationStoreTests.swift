import Foundation
import GRDB
import LocusCore
import Testing

@testable import LocusStore

@Suite("SQLite migration store")
struct SQLiteMigrationStoreTests {
    typealias F = StoreFixtures

    static let me = LoginIdentity.currentUser()
    /// The process's own login approves; the request is made by the lab, which only a lab store accepts.
    static let policy = ApprovalPolicy(approvers: [me], fourEyes: false, expireAfterSeconds: 4 * 3600)
    static let origin = AuditOrigin(
        user: "forged",
        uid: 4242,
        host: "jump-1",
        tty: "/dev/pts/3",
        sshClient: "127.0.0.9"
    )

    static func draft(id: String = "m-00000001", workload: String = "web-07", by user: String = "lab") -> Migration {
        Migration(
            id: id,
            workload: workload,
            fromSite: "dc-east",
            toSite: "dc-west",
            fromAddress: "10.1.0.7",
            toAddress: "10.1.0.7",
            reason: "rack retirement",
            requestedBy: user,
            requestedAt: F.at(0)
        )
    }

    static func preflight(_ digest: String) -> PreflightResult {
        PreflightResult(
            digest: digest,
            checks: [
                PreflightCheck(name: "destination-rlocs", ok: true, detail: "dc-west: 127.0.2.1 answered in 0.2 ms")
            ],
            plan: [PlanChange(what: "mapping", target: "10.1.0.7/32", from: "dc-east", to: "dc-west")],
            at: F.at(1)
        )
    }

    static func labStore(_ directory: borrowing TemporaryDirectory) async throws -> SQLiteHistoryStore {
        let store = try SQLiteHistoryStore(path: directory.path("locus.sqlite"))
        try await store.markAsLabStore()
        return store
    }

    @Test func aRequestPreflightAndApprovalAreRecordedWithTheirAuditChain() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.labStore(directory)
        let requested = try await store.request(Self.draft(), origin: Self.origin)
        #expect(requested.state == .requested)
        let ready = try await store.apply(
            .recordPreflight(Self.preflight("d1")),
            to: requested.id,
            expectedVersion: requested.version,
            policy: Self.policy,
            origin: Self.origin,
            at: F.at(2)
        )
        #expect(ready.state == .ready)
        let approved = try await store.apply(
            .approve(digest: "d1"),
            to: ready.id,
            expectedVersion: ready.version,
            policy: Self.policy,
            origin: Self.origin,
            at: F.at(3)
        )
        #expect(approved.state == .approved)
        let reread = try #require(try await store.migration(id: "m-00000001"))
        #expect(reread == approved)
        #expect(reread.approvals.map(\.user) == [Self.me])
        #expect(reread.approvals.first?.digest == "d1")
        #expect(reread.preflight == Self.preflight("d1"))

        let audit = try await store.auditEntries(since: nil)
        #expect(audit.map(\.action) == ["request", "preflight", "approve"])
        #expect(audit.map(\.outcome) == ["done", "done", "done"])
        #expect(audit.allSatisfy { $0.user == Self.me && $0.uid == getuid() }, "the login, never the caller's word")
        #expect(audit.allSatisfy { $0.tty == "/dev/pts/3" && $0.sshClient == "127.0.0.9" })
        #expect(audit.last?.before == "ready" && audit.last?.after == "approved")
        #expect(audit.last?.digest == "d1")
        guard case .intact(let count, let head) = AuditChain.verify(audit) else {
            Issue.record("the chain must verify")
            return
        }
        #expect(count == 3)
        #expect(head == audit.last?.hash)
    }

    @Test func aStaleVersionIsRefusedNamingWhoWonAndAudited() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.labStore(directory)
        let requested = try await store.request(Self.draft(), origin: Self.origin)
        _ = try await store.apply(
            .recordPreflight(Self.preflight("d1")),
            to: requested.id,
            expectedVersion: 1,
            policy: Self.policy,
            origin: Self.origin,
            at: F.at(2)
        )
        let error = await #expect(throws: MigrationStoreError.self) {
            try await store.apply(
                .cancel(reason: ""),
                to: requested.id,
                expectedVersion: 1,
                policy: Self.policy,
                origin: Self.origin,
                at: F.at(3)
            )
        }
        #expect(error?.description.contains("it is now ready (preflight by \(Self.me)") == true)
        let audit = try await store.auditEntries(since: nil)
        #expect(audit.last?.action == "cancel")
        #expect(audit.last?.outcome.hasPrefix("refused: migration m-00000001 changed meanwhile") == true)
        #expect(try await store.migration(id: requested.id)?.state == .ready)
    }

    @Test func aRefusedDecisionIsAuditedAndChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.labStore(directory)
        let requested = try await store.request(Self.draft(), origin: Self.origin)
        let nobody = ApprovalPolicy(approvers: ["ops1"], fourEyes: false, expireAfterSeconds: 3600)
        let error = await #expect(throws: MigrationStoreError.self) {
            try await store.apply(
                .reject(reason: "no"),
                to: requested.id,
                expectedVersion: nil,
                policy: nobody,
                origin: Self.origin,
                at: F.at(3)
            )
        }
        #expect(error?.description.contains("is not an approver") == true)
        #expect(try await store.migration(id: requested.id) == requested)
        let last = try #require(try await store.auditEntries(since: nil).last)
        #expect(last.action == "reject" && last.outcome.hasPrefix("refused: \(Self.me) is not an approver"))
        #expect(last.after == nil)
    }

    @Test func onlyALabStoreAcceptsTheLabsRequestsAndOneOpenMigrationPerWorkload() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteHistoryStore(path: directory.path("locus.sqlite"))
        let forged = await #expect(throws: MigrationStoreError.self) {
            try await store.request(Self.draft(), origin: Self.origin)
        }
        #expect(forged?.description.contains("only a store `locus lab` created accepts the lab's requests") == true)
        let mine = try await store.request(Self.draft(by: Self.me), origin: Self.origin)
        #expect(mine.requestedBy == Self.me)
        let second = await #expect(throws: MigrationStoreError.self) {
            try await store.request(Self.draft(id: "m-00000002", by: Self.me), origin: Self.origin)
        }
        #expect(second?.description.contains("web-07 already has an open migration: m-00000001") == true)
        let audit = try await store.auditEntries(since: nil)
        #expect(audit.map(\.outcome.first) == ["r", "d", "r"])
    }

    @Test func theAuditTableRefusesUpdateAndDelete() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.labStore(directory)
        _ = try await store.request(Self.draft(), origin: Self.origin)
        for sql in ["UPDATE audit SET user = 'mallory'", "DELETE FROM audit"] {
            let error = #expect(throws: (any Error).self) {
                try store.pool.write { db in try db.execute(sql: sql) }
            }
            #expect("\(error.map { $0 } as Any)".contains("append-only"))
        }
    }

    @Test func anEntryEditedBehindTheTriggersBackIsNamedByVerify() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.labStore(directory)
        let requested = try await store.request(Self.draft(), origin: Self.origin)
        _ = try await store.apply(
            .recordPreflight(Self.preflight("d1")),
            to: requested.id,
            expectedVersion: nil,
            policy: Self.policy,
            origin: Self.origin,
            at: F.at(2)
        )
        try await store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_is_append_only_update")
            try db.execute(sql: "UPDATE audit SET user = 'mallory' WHERE sequence = 1")
        }
        let entries = try await store.auditEntries(since: nil)
        guard case .broken(let entry, let reason) = AuditChain.verify(entries) else {
            Issue.record("an edited entry must break the chain")
            return
        }
        #expect(entry.sequence == 1)
        #expect(reason.contains("changed after it was written"))
    }

    @Test func aStoreWrittenByANewerLocusIsRefusedAndLeftUntouched() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locus.sqlite")
        let store = try SQLiteHistoryStore(path: path)
        try await store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: HistoryStoreError.newerSchema(path: path, unknownMigrations: ["v99"])) {
            try SQLiteHistoryStore(path: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}

@Suite("SQLite store upgrade")
struct SQLiteStoreUpgradeTests {
    @Test func aStoreOfThePreviousSchemaUpgradesInPlaceKeepingItsHistory() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locus.sqlite")
        do {
            let pool = try DatabasePool(path: path)
            try SQLiteHistoryStore.migrator.migrate(pool, upTo: "v2")
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO address (workload, address, previous) VALUES ('web-07', '10.1.0.7', NULL)"
                )
                try db.execute(
                    sql: """
                        INSERT INTO acknowledgement (alert_id, acknowledged_by, acknowledged_at)
                        VALUES ('mapping-missing:web-07', 'ops1', '2026-01-01 00:00:00.000')
                        """
                )
            }
        }
        let store = try SQLiteHistoryStore(path: path)
        #expect(try await store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5"])
        #expect(try await store.lastAddresses()["web-07"]?.address.description == "10.1.0.7")
        #expect(try await store.migrations().isEmpty)
        #expect(try await store.auditEntries(since: nil).isEmpty)
        // An acknowledgement written before occurrences were kept holds until its alert clears.
        let acknowledgement = try #require(try await store.acknowledgements().first)
        #expect(acknowledgement.by == "ops1")
        #expect(acknowledgement.firstSeen == nil)
        #expect(acknowledgement.expiresAt == nil)
    }
}

@Suite("SQLite store: void approvals")
struct SQLiteVoidApprovalTests {
    typealias F = StoreFixtures

    @Test func aPreflightWithAnotherDigestVoidsTheApprovalAndTheAuditSaysWhy() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteMigrationStoreTests.labStore(directory)
        let policy = SQLiteMigrationStoreTests.policy
        let origin = SQLiteMigrationStoreTests.origin
        let m = try await store.request(SQLiteMigrationStoreTests.draft(), origin: origin)
        for (action, time) in [
            (MigrationAction.recordPreflight(SQLiteMigrationStoreTests.preflight("d1")), 2.0),
            (.approve(digest: "d1"), 3),
            (.recordPreflight(SQLiteMigrationStoreTests.preflight("d2")), 4),
        ] {
            _ = try await store.apply(
                action,
                to: m.id,
                expectedVersion: nil,
                policy: policy,
                origin: origin,
                at: F.at(time)
            )
        }
        let current = try #require(try await store.migration(id: m.id))
        #expect(current.state == .ready)
        #expect(current.approvals.isEmpty)
        let last = try #require(try await store.auditEntries(since: nil).last)
        #expect(last.before == "approved" && last.after == "ready")
        #expect(last.detail == "all checks passed; approval void: digest changed from d1 to d2")
        let voided = try await store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM approval WHERE void_at IS NOT NULL")
        }
        #expect(voided == 1, "a void approval is kept, marked void")
    }
}
