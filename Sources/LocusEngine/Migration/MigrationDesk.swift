import Foundation
import LocusCore
import LocusStore

/// What `locus migrate` (and the dashboard) do with migrations: request, preflight, decide, read.
///
/// Every decision goes to the store as one transaction with a compare-and-set on the version the
/// caller read; identity is the login the store records, never a parameter.
public struct MigrationDesk: Sendable {
    public let config: LocusConfig
    public let store: any HistoryStore & MigrationStore
    public let policy: ApprovalPolicy

    public init(config: LocusConfig, store: any HistoryStore & MigrationStore) {
        self.config = config
        self.store = store
        self.policy = ApprovalPolicy(config.approvals)
    }

    /// A request for `workload` to `site` (and `address`), as it would be recorded: from where the
    /// snapshot says the workload is, with the address it has now.
    public func draft(
        workload name: String,
        to site: String,
        address: String?,
        host: String?,
        reason: String,
        snapshot: Snapshot,
        requestedBy: String,
        at now: Date
    ) throws(MigrationDeskError) -> Migration {
        guard let workload = snapshot.workloads[name] else {
            throw .unknownWorkload(name, known: snapshot.workloads.count)
        }
        if let host, !Self.isHostName(host) {
            throw .invalid(
                "--host \(host) is not a host name or address (letters, digits, '.', '-', '_' and ':', "
                    + "not starting with '-')"
            )
        }
        if let address, IPAddress(address) == nil {
            throw .invalid("--address \(address) is not an IP address")
        }
        guard config.site(named: site) != nil else {
            throw .invalid(
                "no [[site]] named \(site) in \(config.file) (sites: \(config.sites.map(\.name).joined(separator: ", ")))"
            )
        }
        guard workload.spec.site != site else {
            throw .invalid("\(name) is already at \(site) (inventory \(workload.sources.joined(separator: ", ")))")
        }
        return Migration(
            id: Migration.makeID(),
            workload: name,
            fromSite: workload.spec.site,
            toSite: site,
            fromAddress: workload.spec.address.description,
            toAddress: address.flatMap { IPAddress($0)?.description } ?? workload.spec.address.description,
            destinationHost: host,
            reason: reason,
            requestedBy: requestedBy,
            requestedAt: now
        )
    }

    /// `{dest_host}` goes into the mover's argv as the approver runs it: nothing there may read as an
    /// option (`-oProxyCommand=…`) or hold anything but a name.
    static func isHostName(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 253, text.first != "-" else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || ".-_:".unicodeScalars.contains(scalar))
        }
    }

    /// The preflight of `migration` against `snapshot` and the store's other migrations.
    public func preflight(
        _ migration: Migration,
        snapshot: Snapshot,
        at now: Date
    ) async throws(MigrationStoreError) -> PreflightResult {
        let others = try await store.migrations()
        return await MigrationPreflight(config: config).run(for: migration, snapshot: snapshot, others: others, at: now)
    }

    /// Records the request, then its preflight: requesting changes nothing by itself.
    public func request(
        _ draft: Migration,
        snapshot: Snapshot,
        origin: AuditOrigin
    ) async throws(MigrationStoreError) -> Migration {
        let recorded = try await store.request(draft, origin: origin)
        let result = try await preflight(recorded, snapshot: snapshot, at: Date())
        return try await store.apply(
            .recordPreflight(result),
            to: recorded.id,
            expectedVersion: recorded.version,
            policy: policy,
            origin: origin,
            at: Date()
        )
    }

    /// Re-runs the preflight of `id` and records it.
    public func rerunPreflight(
        _ id: String,
        snapshot: Snapshot,
        origin: AuditOrigin
    ) async throws(MigrationStoreError) -> Migration {
        let current = try await existing(id)
        let result = try await preflight(current, snapshot: snapshot, at: Date())
        return try await decide(.recordPreflight(result), on: current, origin: origin)
    }

    /// Applies an operator's decision to the version of the migration the caller read. A request
    /// found expired is recorded as expired (anyone may) before the refusal is returned.
    public func decide(
        _ action: MigrationAction,
        on read: Migration,
        origin: AuditOrigin
    ) async throws(MigrationStoreError) -> Migration {
        do {
            return try await store.apply(
                action,
                to: read.id,
                expectedVersion: read.version,
                policy: policy,
                origin: origin,
                at: Date()
            )
        } catch {
            if case .refused(let refusal) = error, refusal.reason == .expired {
                _ = try? await store.apply(
                    .expire,
                    to: read.id,
                    expectedVersion: nil,
                    policy: policy,
                    origin: origin,
                    at: Date()
                )
            }
            throw error
        }
    }

    /// Every migration, newest first, with what has lapsed recorded first: a request past
    /// `expire_after` as expired, a cutover whose runner's lease ran out as interrupted. Anybody may
    /// record those; a compare-and-set on the version read keeps two readers from recording one twice
    /// (the loser reads what the winner wrote).
    public func migrations(origin: AuditOrigin) async throws(MigrationStoreError) -> [Migration] {
        var tried: Set<String> = []
        return try await migrations(origin: origin, tryingLapsesOnce: &tried)
    }

    /// The same for a reader that reads again and again: a lapse it tried on a version (`ID@VERSION`
    /// in `tried`) is not tried again, since a refused one (the server's clock disagrees) is an
    /// audit entry, which would signal the reader to read, and so on.
    func migrations(
        origin: AuditOrigin,
        tryingLapsesOnce tried: inout Set<String>
    ) async throws(MigrationStoreError) -> [Migration] {
        var migrations = try await store.migrations()
        let now = Date()
        for (index, migration) in migrations.enumerated() {
            guard let action = lapse(of: migration, at: now),
                tried.insert("\(migration.id)@\(migration.version)").inserted
            else { continue }
            migrations[index] = try await record(action, on: migration, origin: origin, at: now)
        }
        return migrations
    }

    /// The migration `id`, recorded as interrupted first when its runner's lease ran out.
    ///
    /// Only the interruption: a request past `expire_after` is left to `decide`, whose refusal says
    /// when it expired.
    public func existing(
        _ id: String,
        origin: AuditOrigin = LoginIdentity.currentOrigin()
    ) async throws(MigrationStoreError) -> Migration {
        guard let migration = try await store.migration(id: id) else { throw .notFound(id: id) }
        let now = Date()
        guard let action = lapse(of: migration, at: now), action.kind == .interrupt else { return migration }
        return try await record(action, on: migration, origin: origin, at: now)
    }

    /// What anybody reading `migration` at `now` should record, or nil when nothing has lapsed.
    func lapse(of migration: Migration, at now: Date) -> MigrationAction? {
        if migration.state.awaitsApproval, now >= migration.expiresAt(policy: policy) { return .expire }
        if migration.state.isRunning, !migration.hasLiveLease(at: now) {
            return .interrupt(reason: Self.interruptionReason(migration))
        }
        return nil
    }

    static func interruptionReason(_ migration: Migration) -> String {
        guard let lease = migration.lease else {
            return "no runner holds a lease on it while it is \(migration.state)"
        }
        return "the runner's lease expired at \(RFC3339.string(from: lease.expiresAt)) "
            + "(\(lease.holder) pid \(lease.pid) on \(lease.host))"
    }

    /// Records `action` on the version read; when another reader was first, what it recorded.
    private func record(
        _ action: MigrationAction,
        on migration: Migration,
        origin: AuditOrigin,
        at now: Date
    ) async throws(MigrationStoreError) -> Migration {
        if let recorded = try? await store.apply(
            action,
            to: migration.id,
            expectedVersion: migration.version,
            policy: policy,
            origin: origin,
            at: now
        ) {
            return recorded
        }
        return try await store.migration(id: migration.id) ?? migration
    }
}

/// Why a request could not even be drafted.
public enum MigrationDeskError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownWorkload(String, known: Int)
    case invalid(String)

    public var description: String {
        switch self {
        case .unknownWorkload(let name, let known):
            "no workload named \(name) in the inventories (\(known) known); `locus snapshot` lists them"
        case .invalid(let reason):
            reason
        }
    }
}
