import Foundation
import LocusCore
import LocusTestSupport
import Testing

@testable import LocusStore

@Suite(
    "PostgreSQL store schema",
    .enabled(if: PostgresFixtures.installed, "needs PostgreSQL 15 in /usr/lib/postgresql/15/bin")
)
struct PostgresSchemaTests {
    typealias P = PostgresFixtures

    /// `locus_schema` once every step ran, as psql prints it.
    static let everyVersion = (1...PostgresSchema.latestVersion).map { "\($0)\n" }.joined()

    @Test func initCreatesTheSchemaRolesAndPolicyAndIsIdempotent() async throws {
        let cluster = try P.cluster()
        let owner = try PostgresStore(url: cluster.tcpURL(user: "postgres"))
        let first = try await owner.initialize(approvals: P.approvals)
        #expect(first.contains("schema created at version \(PostgresSchema.latestVersion)"))
        #expect(first.contains("granted locus_approver to ops1"))
        #expect(first.contains("granted locus_approver to ops2"), "@netops expands to its members")
        #expect(!first.contains("granted locus_approver to ops3"))
        let tables = try cluster.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        for table in ["audit", "approval", "lease", "migration", "plan_change", "preflight", "step", "store_meta"] {
            #expect(tables.split(separator: "\n").contains(Substring(table)), "\(table)")
        }
        await owner.close()

        let reopened = try PostgresStore(url: cluster.tcpURL(user: "postgres"))
        let second = try await reopened.initialize(approvals: P.approvals)
        #expect(second.contains("schema at version \(PostgresSchema.latestVersion)"))
        #expect(second.contains("locus_approver unchanged: ops1, ops2"))
        #expect(try await reopened.lastMappings().isEmpty)
        #expect(try cluster.execute("SELECT version FROM locus_schema ORDER BY version") == Self.everyVersion)
        await reopened.close()
    }

    @Test func aSchemaWrittenByANewerLocusIsRefusedAndLeftUntouched() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        await owner.close()
        try cluster.execute("INSERT INTO locus_schema (version) VALUES (99)")
        let snapshot = "SELECT string_agg(version::text, ',' ORDER BY version) FROM locus_schema"
        let objects = "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
        let before = try cluster.execute(snapshot) + (try cluster.execute(objects))

        let url = cluster.tcpURL(user: "postgres")
        let newer = try PostgresStore(url: url)
        await #expect(throws: HistoryStoreError.newerSchema(path: url, unknownMigrations: ["v99"])) {
            try await newer.lastMappings()
        }
        let refused = await #expect(throws: MigrationStoreError.self) {
            try await newer.initialize(approvals: P.approvals)
        }
        #expect(refused?.description.contains("was written by a newer Locus") == true)
        #expect(try cluster.execute(snapshot) + (try cluster.execute(objects)) == before)
        await newer.close()
    }

    @Test func aStoreOfThePreviousSchemaUpgradesInPlaceKeepingItsHistory() async throws {
        let cluster = try P.cluster()
        let old = try PostgresStore(url: cluster.tcpURL(user: "postgres"))
        let client = try await old.running()
        _ = try await client.withConnection { connection in
            try await PostgresInstall.upgrade(on: connection, upTo: 1, logger: old.logger)
        }
        await old.close()
        try cluster.execute("INSERT INTO address (workload, address) VALUES ('web-07', '10.1.0.7')")
        try cluster.execute(
            "INSERT INTO acknowledgement (alert_id, acknowledged_by, acknowledged_at) "
                + "VALUES ('mapping-missing:web-07', 'ops1', now())"
        )

        let store = try PostgresStore(url: cluster.tcpURL(user: "postgres"))
        #expect(try await store.lastAddresses()["web-07"]?.address.description == "10.1.0.7")
        #expect(try cluster.execute("SELECT version FROM locus_schema ORDER BY version") == Self.everyVersion)
        #expect(try await store.migrations().isEmpty)
        // An acknowledgement written before occurrences were kept holds until its alert clears.
        let acknowledgement = try #require(try await store.acknowledgements().first)
        #expect(acknowledgement.firstSeen == nil && acknowledgement.expiresAt == nil)
        await store.close()
    }

    @Test func aStoreOfVersionTwoGainsTheAbortRequestAtInitKeepingItsMigrations() async throws {
        let cluster = try P.cluster()
        let old = try PostgresStore(url: cluster.tcpURL(user: "postgres"))
        let client = try await old.running()
        _ = try await client.withConnection { connection in
            try await PostgresInstall.upgrade(on: connection, upTo: 2, logger: old.logger)
        }
        await old.close()
        try cluster.execute(
            """
            INSERT INTO migration (id, workload, from_site, to_site, from_address, to_address, reason, requested_by,
                requested_at, state, version, last_user, last_at, last_action)
            VALUES ('m-00000001', 'web-07', 'dc-east', 'dc-west', '10.1.0.7', '10.1.0.7', 'rack retirement', 'ops1',
                0, 'requested', 1, 'ops1', 0, 'request')
            """
        )
        try cluster.execute("CREATE ROLE ops1 LOGIN IN ROLE locus_operator")

        // Until the owner upgrades, an operator is told who must.
        let early = try PostgresStore(url: cluster.tcpURL(user: "ops1"))
        let refused = await #expect(throws: MigrationStoreError.self) { try await early.migrations() }
        #expect(
            refused?.description.contains(
                "the schema is at version 2, this Locus needs \(PostgresSchema.latestVersion)"
            ) == true
        )
        await early.close()

        let owner = try PostgresStore(url: cluster.tcpURL(user: "postgres"))
        let lines = try await owner.initialize(approvals: P.approvals)
        #expect(lines.contains("schema upgraded from version 2 to \(PostgresSchema.latestVersion)"), "\(lines)")
        #expect(try cluster.execute("SELECT version FROM locus_schema ORDER BY version") == Self.everyVersion)
        let kept = try #require(try await owner.migration(id: "m-00000001"))
        #expect(kept.workload == "web-07" && kept.state == .requested && kept.abortRequested == nil)
        await owner.close()
    }

    @Test func anOperatorCannotCreateTheSchemaAndIsToldWhoMust() async throws {
        let cluster = try P.cluster()
        try cluster.execute("CREATE ROLE ops1 LOGIN")
        let url = cluster.tcpURL(user: "ops1")
        let store = try PostgresStore(url: url)
        let error = await #expect(throws: HistoryStoreError.self) { try await store.recentEvents(limit: 1) }
        #expect(error?.description.contains("the database owner must run `locus store init`") == true)
        await store.close()
    }
}
