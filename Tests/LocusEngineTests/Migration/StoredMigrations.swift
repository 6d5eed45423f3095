import Foundation
import LocusCore
import LocusEngine
import LocusStore
import Testing

/// Migrations taken through the real rules of a real SQLite store, as `locus migrate` and a runner in
/// this process would: the lab requests, this login approves and runs.
struct StoredMigrations {
    static let me = LoginIdentity.currentUser()
    static let origin = LoginIdentity.currentOrigin()

    let store: SQLiteHistoryStore
    let config: LocusConfig
    var policy: ApprovalPolicy { ApprovalPolicy(config.approvals) }

    init(path: String, config: LocusConfig? = nil) async throws {
        store = try SQLiteHistoryStore(path: path)
        try await store.markAsLabStore()
        self.config =
            config
            ?? LocusConfig(
                file: "locus.toml",
                name: "desk-test",
                store: .sqlite(path: path),
                approvals: ApprovalsConfig(approvers: [Self.me])
            )
    }

    var desk: MigrationDesk { MigrationDesk(config: config, store: store) }

    /// A lease of this process's, as a runner here would hold it.
    static func lease(until expiry: Date) -> MigrationLease {
        MigrationLease(holder: me, pid: getpid(), host: origin.host, expiresAt: expiry)
    }

    /// Requested (by the lab) at `start`, preflighted and approved a second later each.
    func approved(
        _ id: String,
        workload: String = "web-07",
        to site: String = "dc-west",
        from fromSite: String = "dc-east",
        address: (from: String, to: String) = ("10.1.0.7", "10.1.0.7"),
        at start: Date
    ) async throws -> Migration {
        let draft = Migration(
            id: id,
            workload: workload,
            fromSite: fromSite,
            toSite: site,
            fromAddress: address.from,
            toAddress: address.to,
            reason: "rack retirement",
            requestedBy: "lab",
            requestedAt: start
        )
        let requested = try await store.request(draft, origin: Self.origin)
        let preflight = PreflightResult(
            digest: "d-\(id)",
            checks: [PreflightCheck(name: "destination-rlocs", ok: true, detail: "\(site) answered")],
            plan: [PlanChange(what: "mapping", target: workload, from: fromSite, to: site)],
            at: start.addingTimeInterval(1)
        )
        let ready = try await apply(.recordPreflight(preflight), to: requested, at: start.addingTimeInterval(1))
        return try await apply(.approve(digest: preflight.digest), to: ready, at: start.addingTimeInterval(2))
    }

    /// Approved, then started by a runner of this process whose lease lasts until `leaseUntil`.
    func executing(
        _ id: String,
        at start: Date,
        leaseUntil: Date,
        workload: String = "web-07"
    ) async throws
        -> Migration
    {
        let approved = try await approved(id, workload: workload, at: start)
        let lease = Self.lease(until: leaseUntil)
        return try await apply(.start(lease: lease), to: approved, at: start.addingTimeInterval(3))
    }

    func apply(_ action: MigrationAction, to migration: Migration, at time: Date) async throws -> Migration {
        try await store.apply(
            action,
            to: migration.id,
            expectedVersion: migration.version,
            policy: policy,
            origin: Self.origin,
            at: time
        )
    }
}
