import Foundation
import LocusCore
import LocusTestSupport
import Testing

@testable import LocusStore

/// A PostgreSQL cluster of the test's own, with the logins the tests act as, and stores on it.
enum PostgresFixtures {
    /// Skipped, visibly, only where the server packages are not installed at all, and never under
    /// CI, which installs them: there a missing server fails the tests that need it.
    static let installed = PostgresProcess.isInstalled || ProcessInfo.processInfo.environment["CI"] != nil

    /// ops1 and ops2 approve (ops2 through @netops); ops3 only operates.
    static let approvals = ApprovalsConfig(approvers: ["ops1", "@netops"], fourEyes: false)

    /// A running cluster with a `locus` database, and the Unix logins ops1, ops2 (in netops), ops3.
    static func cluster(rules: [String] = PostgresProcess.peerRules) throws -> PostgresProcess {
        try UnixLogins.ensure("ops1")
        try UnixLogins.ensure("ops2", groups: ["netops"])
        try UnixLogins.ensure("ops3")
        return try PostgresProcess(rules: rules)
    }

    /// The owner's store (postgres, over TCP), after `locus store init` with `approvals`; ops3 is
    /// made an operator the way a DBA would.
    static func initialized(
        _ cluster: PostgresProcess,
        approvals: ApprovalsConfig = PostgresFixtures.approvals
    ) async throws -> PostgresStore {
        let owner = try PostgresStore(url: cluster.tcpURL(user: "postgres"))
        _ = try await owner.initialize(approvals: approvals)
        try cluster.execute("DO $$ BEGIN CREATE ROLE ops3 LOGIN; EXCEPTION WHEN duplicate_object THEN END $$")
        try cluster.execute("GRANT locus_operator TO ops3")
        return owner
    }

    /// The store as `user`, over TCP (trusted on loopback in these clusters).
    static func store(_ cluster: PostgresProcess, as user: String) throws -> PostgresStore {
        try PostgresStore(url: cluster.tcpURL(user: user))
    }

    static func draft(id: String, workload: String = "web-07", by user: String) -> Migration {
        Migration(
            id: id,
            workload: workload,
            fromSite: "dc-east",
            toSite: "dc-west",
            fromAddress: "10.1.0.7",
            toAddress: "10.1.0.7",
            reason: "rack retirement",
            requestedBy: user,
            requestedAt: Date()
        )
    }

    /// A preflight whose digest is the real one: the database recomputes it.
    static func preflight(target: String = "10.1.0.7/32") -> PreflightResult {
        let checks = [
            PreflightCheck(name: "destination-rlocs", ok: true, detail: "dc-west: 127.0.2.1 answered in 0.2 ms")
        ]
        let plan = [PlanChange(what: "mapping", target: target, from: "dc-east", to: "dc-west")]
        return PreflightResult(
            digest: PreflightResult.digest(checks: checks, plan: plan),
            checks: checks,
            plan: plan,
            at: Date()
        )
    }

    static let origin = AuditOrigin(
        user: "forged",
        uid: 4242,
        host: "jump-1",
        tty: "/dev/pts/3",
        sshClient: "127.0.0.9"
    )

    /// Requested by `requester`, with a passed preflight recorded: ready for approval.
    static func ready(
        _ id: String,
        workload: String = "web-07",
        on store: PostgresStore,
        by requester: String
    )
        async throws -> Migration
    {
        let requested = try await store.request(draft(id: id, workload: workload, by: requester), origin: origin)
        return try await store.apply(
            .recordPreflight(preflight()),
            to: requested.id,
            expectedVersion: requested.version,
            policy: ApprovalPolicy(approvals),
            origin: origin,
            at: Date()
        )
    }
}
