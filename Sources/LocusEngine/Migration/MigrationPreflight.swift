import DNSNet
import Foundation
import LISP
import LISPNet
import LocusCore
import LocusStore
import NIOCore
import NIOPosix

/// Runs a migration's preflight: every check ✓ or ✗ with what it compared, the plan, and the digest
/// that binds approvals to both.
///
/// Works from a snapshot of one complete engine pass (mapping, dependencies, their TTLs) and asks
/// what a snapshot cannot tell: whether the destination's RLOCs answer RLOC-probes, whether the TSIG
/// key may change each zone, whether the Runtime API is at admin level.
public struct MigrationPreflight: Sendable {
    public let config: LocusConfig
    public let probeTimeout: Duration
    let eventLoopGroup: any EventLoopGroup

    public init(
        config: LocusConfig,
        probeTimeout: Duration = .milliseconds(500),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.config = config
        self.probeTimeout = probeTimeout
        self.eventLoopGroup = eventLoopGroup
    }

    /// - Parameter others: every migration in the store, to find another open one of the workload.
    public func run(
        for migration: Migration,
        snapshot: Snapshot,
        others: [Migration],
        at now: Date
    ) async -> PreflightResult {
        let workload = snapshot.workloads[migration.workload]
        var checks: [PreflightCheck] = []
        checks.append(moverCheck())
        checks += await siteChecks(migration, workload: workload)
        checks.append(mappingCheck(migration, workload: workload))
        checks.append(otherMigrationCheck(migration, others: others))
        checks += dependencyChecks(workload)
        if migration.changesAddress, let workload {
            checks += ttlChecks(workload)
            checks += await dnsRightsChecks(migration, workload: workload.spec)
            checks += await loadBalancerRightsChecks(workload.spec)
            checks += await firewallChecks(migration, workload: workload.spec)
        }
        let plan = MigrationPlan.changes(for: migration, workload: workload?.spec, config: config)
        return PreflightResult(
            digest: PreflightResult.digest(checks: checks, plan: plan),
            checks: checks,
            plan: plan,
            at: now
        )
    }

    private func moverCheck() -> PreflightCheck {
        guard let migration = config.migration else {
            return PreflightCheck(name: "mover", ok: false, detail: "\(config.file) has no [migration] mover")
        }
        return PreflightCheck(name: "mover", ok: true, detail: "mover \(migration.mover.first ?? "")")
    }

    /// The destination exists and each of its RLOCs answers a probe; the source too, for rollback.
    private func siteChecks(_ migration: Migration, workload: Workload?) async -> [PreflightCheck] {
        guard let destination = config.site(named: migration.toSite) else {
            let known = config.sites.map(\.name).joined(separator: ", ")
            return [
                PreflightCheck(
                    name: "destination-rlocs",
                    ok: false,
                    detail: "no [[site]] named \(migration.toSite) in \(config.file) (sites: \(known))"
                )
            ]
        }
        guard let workload else {
            return [
                PreflightCheck(
                    name: "destination-rlocs",
                    ok: false,
                    detail: "workload \(migration.workload) is unknown"
                )
            ]
        }
        guard let address = LISP.IPAddress(workload.spec.eid.address.description) else {
            return [
                PreflightCheck(
                    name: "destination-rlocs",
                    ok: false,
                    detail: "EID \(workload.spec.eid) is not an address"
                )
            ]
        }
        let eid = EIDPrefix(instanceID: workload.spec.iid, address: address, length: workload.spec.eid.length)
        var checks = [await probeCheck("destination-rlocs", site: destination, eid: eid)]
        if migration.toSite == migration.fromSite {
            checks.append(
                PreflightCheck(
                    name: "destination-differs",
                    ok: false,
                    detail: "\(migration.workload) is already at \(migration.toSite)"
                )
            )
        }
        if let source = config.site(named: migration.fromSite) {
            var rollback = await probeCheck("rollback-ready", site: source, eid: eid)
            rollback.detail = "source " + rollback.detail + (rollback.ok ? ": the EID can be pointed back" : "")
            checks.append(rollback)
        } else {
            checks.append(
                PreflightCheck(
                    name: "rollback-ready",
                    ok: false,
                    detail: "the source site \(migration.fromSite) is not configured"
                )
            )
        }
        return checks
    }

    private func probeCheck(_ name: String, site: SiteConfig, eid: EIDPrefix) async -> PreflightCheck {
        guard !site.rlocs.isEmpty else {
            return PreflightCheck(name: name, ok: false, detail: "site \(site.name) has no RLOCs")
        }
        let results = await withTaskGroup(of: RLOCProbeResult.self) { group in
            for rloc in site.rlocs.compactMap({ LISP.IPAddress($0.description) }) {
                group.addTask {
                    await RLOCProbe.probe(
                        rloc,
                        port: site.probePort,
                        eid: eid,
                        timeout: probeTimeout,
                        group: eventLoopGroup
                    )
                }
            }
            var all: [RLOCProbeResult] = []
            for await result in group { all.append(result) }
            return all.sorted { $0.rloc.description < $1.rloc.description }
        }
        let detail = results.map { result in
            if let rtt = result.rtt { return "\(result.rloc) answered in \(Self.milliseconds(rtt))" }
            return result.failure ?? "\(result.rloc) did not answer"
        }
        let compared = results.map { "\($0.rloc)=\($0.answered ? "answered" : "silent")" }
        return PreflightCheck(
            name: name,
            ok: results.count == site.rlocs.count && results.allSatisfy(\.answered),
            detail: "\(site.name): " + detail.joined(separator: "; "),
            compared: "\(site.name) " + compared.joined(separator: " ")
        )
    }

    private func mappingCheck(_ migration: Migration, workload: Workload?) -> PreflightCheck {
        guard let workload else {
            return PreflightCheck(
                name: "mapping-at-source",
                ok: false,
                detail: "workload \(migration.workload) is unknown"
            )
        }
        let mapping = workload.mapping
        let rlocs = mapping.locators.map(\.address.description).sorted().joined(separator: ",")
        let site = mapping.site ?? "no known site"
        let ok = mapping.state == .registered && mapping.site == migration.fromSite
        let found = mapping.state == .registered ? "registered at \(site) (\(rlocs))" : "mapping \(mapping.state)"
        return PreflightCheck(
            name: "mapping-at-source",
            ok: ok,
            detail: ok ? found : "expected registered at \(migration.fromSite), found \(found)",
            compared: found
        )
    }

    private func otherMigrationCheck(_ migration: Migration, others: [Migration]) -> PreflightCheck {
        let open = others.filter { $0.workload == migration.workload && $0.id != migration.id && !$0.state.isClosed }
        guard let first = open.first else {
            return PreflightCheck(
                name: "no-other-migration",
                ok: true,
                detail: "no other open migration of \(migration.workload)"
            )
        }
        return PreflightCheck(
            name: "no-other-migration",
            ok: false,
            detail:
                "migration \(first.id) of \(migration.workload) is \(first.state) (requested by \(first.requestedBy))",
            compared: "\(first.id) \(first.state)"
        )
    }

    /// Each declared dependency answered in this pass (a stale record still answered).
    private func dependencyChecks(_ workload: Workload?) -> [PreflightCheck] {
        guard let workload else { return [] }
        return workload.dependencies.map { status in
            let reachable: Bool
            switch status.kind {
            case .tcp: reachable = status.state == .ok
            case .dns, .ptr, .lb, .firewall: reachable = status.state != .unreachable && status.state != .unknown
            }
            let why = status.detail.map { ": \($0)" } ?? ""
            return PreflightCheck(
                name: "reachable \(status.kind.rawValue) \(status.target)",
                ok: reachable,
                detail: reachable
                    ? "\(status.kind.rawValue) \(status.target) answered (\(status.state.rawValue))"
                    : "\(status.kind.rawValue) \(status.target) is \(status.state.rawValue)\(why)",
                compared: "\(status.state.rawValue)"
            )
        }
    }

    /// Records the cutover changes must have a TTL at or below the threshold, or resolvers keep the
    /// old address after it.
    private func ttlChecks(_ workload: Workload) -> [PreflightCheck] {
        workload.dependencies.filter { $0.kind == .dns || $0.kind == .ptr }.map { status in
            let name = "dns-ttl \(status.kind.rawValue) \(status.target)"
            guard let ttl = status.ttl else {
                return PreflightCheck(
                    name: name,
                    ok: false,
                    detail: "\(status.target): TTL unknown (\(status.state.rawValue))",
                    compared: "unknown"
                )
            }
            let seconds = ttl.components.seconds
            let limit = (status.ttlThreshold ?? DNSServerConfig.defaultTTLThreshold).components.seconds
            return PreflightCheck(
                name: name,
                ok: seconds <= limit,
                detail: seconds <= limit
                    ? "\(status.target) TTL \(seconds)s ≤ ttl_threshold \(limit)s"
                    : "\(status.target) TTL \(seconds)s is above ttl_threshold \(limit)s: resolvers would keep the old address for up to \(seconds)s after the cutover",
                compared: "ttl \(seconds) threshold \(limit)"
            )
        }
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let millis = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return String(format: "%.1f ms", millis)
    }
}
