import DNS
import DNSNet
import LocusCore
import NIOCore
import NIOPosix

/// The changes a re-addressing cutover makes beside the mover and the mapping, in journal order:
/// each DNS record and PTR, then each pool member, then each firewall (CONFIG.md `plan[]`).
///
/// A move that keeps its address changes none of them.
public struct CutoverChanges: Sendable {
    let config: LocusConfig
    let eventLoopGroup: any EventLoopGroup

    public init(config: LocusConfig, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.config = config
        self.eventLoopGroup = eventLoopGroup
    }

    /// The forward steps of `migration` for `workload`'s declared dependencies.
    ///
    /// - Throws: a step error naming what cannot be built (an unreadable TSIG key, a zone that cannot
    ///   be found, an address that is not one).
    public func steps(
        for migration: Migration,
        workload: InventoryWorkload
    ) async throws(CutoverStepError) -> [any CutoverStep] {
        guard migration.changesAddress else { return [] }
        guard let from = DNSAddress(migration.fromAddress), let to = DNSAddress(migration.toAddress) else {
            throw CutoverStepError(
                step: "dns",
                reason: "\(migration.fromAddress) → \(migration.toAddress) is not a pair of IP addresses"
            )
        }
        var records: [any CutoverStep] = []
        var members: [any CutoverStep] = []
        for dependency in workload.dependencies {
            switch dependency {
            case .dns(let spec):
                let updater = try self.updater(for: spec)
                let record = try Self.name(spec.name, step: "dns \(spec.name)")
                let zone = try await self.zone(of: spec.name, updater: updater, step: "dns \(spec.name)")
                records.append(
                    DNSAddressStep(
                        record: record,
                        zone: zone,
                        from: from,
                        to: to,
                        client: updater.client,
                        key: updater.key
                    )
                )
                if spec.ptr {
                    let step = "ptr \(record)"
                    let fromZone = try await self.zone(
                        of: DNSName.reverse(of: from).description,
                        updater: updater,
                        step: step
                    )
                    let toZone = try await self.zone(
                        of: DNSName.reverse(of: to).description,
                        updater: updater,
                        step: step
                    )
                    records.append(
                        PointerStep(
                            target: record,
                            from: from,
                            fromZone: fromZone,
                            to: to,
                            toZone: toZone,
                            client: updater.client,
                            key: updater.key
                        )
                    )
                }
            case .loadBalancer(let spec):
                guard let balancer = config.loadBalancers.first(where: { $0.name == spec.balancer }) else {
                    throw CutoverStepError(
                        step: "loadbalancer \(spec.balancer)",
                        reason: "no [[loadbalancer]] named \(spec.balancer) in \(config.file)"
                    )
                }
                members.append(
                    PoolMemberStep(
                        balancer: spec.balancer,
                        backend: spec.backend,
                        server: spec.server,
                        port: spec.port,
                        from: migration.fromAddress,
                        to: migration.toAddress,
                        client: HAProxyRuntimeClient(
                            address: balancer.runtimeAPI,
                            timeout: .seconds(2),
                            eventLoopGroup: eventLoopGroup
                        )
                    )
                )
            case .tcp, .firewall:
                break
            }
        }
        guard let fromAddress = IPAddress(migration.fromAddress), let toAddress = IPAddress(migration.toAddress) else {
            throw CutoverStepError(
                step: "firewall",
                reason: "\(migration.fromAddress) → \(migration.toAddress) is not a pair of IP addresses"
            )
        }
        var rules: [any CutoverStep] = []
        for (name, targets) in workload.firewallTargets {
            guard let firewall = config.firewalls.first(where: { $0.name == name }) else {
                throw CutoverStepError(
                    step: "firewall \(name)",
                    reason: "no [[firewall]] named \(name) in \(config.file)"
                )
            }
            rules.append(FirewallStep(firewall: firewall, targets: targets, from: fromAddress, to: toAddress))
        }
        return records + members + rules
    }

    private func updater(for spec: DNSDependencySpec) throws(CutoverStepError) -> DNSRecordUpdater {
        guard let server = config.dnsServers.first(where: { $0.name == spec.server }) else {
            throw CutoverStepError(
                step: "dns \(spec.name)",
                reason: "no [[dns]] named \(spec.server) in \(config.file)"
            )
        }
        let client = DNSClient(
            server: DNSServerAddress(host: server.server.host, port: Int(server.server.port)),
            configuration: DNSClientConfiguration(timeout: .seconds(1), maximumTimeout: .seconds(2), attempts: 3),
            eventLoopGroup: eventLoopGroup
        )
        do {
            return try DNSRecordUpdater(server: server, client: client)
        } catch {
            throw CutoverStepError(step: "dns \(spec.name)", reason: error.description)
        }
    }

    private func zone(
        of name: String,
        updater: DNSRecordUpdater,
        step: String
    ) async throws(CutoverStepError) -> DNSName {
        switch await DNSUpdateRights(updater: updater).zone(of: name) {
        case .success(let zone): return try Self.name(zone, step: step)
        case .failure(let problem): throw CutoverStepError(step: step, reason: problem.description)
        }
    }

    private static func name(_ text: String, step: String) throws(CutoverStepError) -> DNSName {
        do {
            return try DNSName(parsing: text)
        } catch {
            throw CutoverStepError(step: step, reason: "\(text) is not a DNS name: \(error)")
        }
    }
}
