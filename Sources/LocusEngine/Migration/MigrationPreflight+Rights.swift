import DNS
import DNSNet
import LocusCore

extension MigrationPreflight {
    /// The TSIG key of each `[[dns]]` server is accepted by every zone the cutover must change: the
    /// record's zone, and the reverse zones of the old and new address for a PTR.
    func dnsRightsChecks(_ migration: Migration, workload: InventoryWorkload) async -> [PreflightCheck] {
        var names: [(server: String, name: String)] = []
        for case .dns(let spec) in workload.dependencies {
            names.append((spec.server, spec.name))
            if spec.ptr {
                names.append((spec.server, MigrationPlan.reverseName(migration.fromAddress)))
                names.append((spec.server, MigrationPlan.reverseName(migration.toAddress)))
            }
        }
        var checked: Set<String> = []
        var checks: [PreflightCheck] = []
        for (serverName, name) in names {
            guard let server = config.dnsServers.first(where: { $0.name == serverName }) else { continue }
            let updater: DNSRecordUpdater
            do {
                updater = try DNSRecordUpdater(server: server, client: dnsClient(for: server))
            } catch {
                if checked.insert("\(serverName)|key").inserted {
                    checks.append(
                        PreflightCheck(name: "dns-rights \(serverName)", ok: false, detail: error.description)
                    )
                }
                continue
            }
            let rights = DNSUpdateRights(updater: updater)
            let zone: String
            switch await rights.zone(of: name) {
            case .success(let found): zone = found
            case .failure(let problem):
                checks.append(
                    PreflightCheck(
                        name: "dns-rights \(serverName) \(name)",
                        ok: false,
                        detail: problem.description,
                        compared: "no zone"
                    )
                )
                continue
            }
            guard checked.insert("\(serverName)|\(zone)").inserted else { continue }
            switch await rights.check(zone: zone) {
            case .success(let detail):
                checks.append(
                    PreflightCheck(
                        name: "dns-rights \(serverName) \(zone)",
                        ok: true,
                        detail: detail,
                        compared: "accepted"
                    )
                )
            case .failure(let problem):
                checks.append(
                    PreflightCheck(
                        name: "dns-rights \(serverName) \(zone)",
                        ok: false,
                        detail: "the TSIG key may not change zone \(zone): \(problem)",
                        compared: "refused"
                    )
                )
            }
        }
        return checks
    }

    /// Each load balancer the cutover must change answers its Runtime API at admin level.
    func loadBalancerRightsChecks(_ workload: InventoryWorkload) async -> [PreflightCheck] {
        var balancers: [String] = []
        for case .loadBalancer(let spec) in workload.dependencies where !balancers.contains(spec.balancer) {
            balancers.append(spec.balancer)
        }
        var checks: [PreflightCheck] = []
        for name in balancers {
            guard let balancer = config.loadBalancers.first(where: { $0.name == name }) else { continue }
            let client = HAProxyRuntimeClient(
                address: balancer.runtimeAPI,
                timeout: .seconds(2),
                eventLoopGroup: eventLoopGroup
            )
            let check: PreflightCheck
            do {
                let level = try await client.send("show cli level").trimmingCharacters(in: .whitespacesAndNewlines)
                check = PreflightCheck(
                    name: "loadbalancer-rights \(name)",
                    ok: level == "admin",
                    detail: level == "admin"
                        ? "\(name) Runtime API at \(balancer.runtimeAPI) is at admin level"
                        : "\(name) Runtime API at \(balancer.runtimeAPI) is at level \"\(level)\", not admin: `set server` would be refused",
                    compared: level
                )
            } catch {
                check = PreflightCheck(
                    name: "loadbalancer-rights \(name)",
                    ok: false,
                    detail: "\(name) Runtime API at \(balancer.runtimeAPI): \(error)",
                    compared: "unreachable"
                )
            }
            checks.append(check)
        }
        return checks
    }

    private func dnsClient(for server: DNSServerConfig) -> DNSClient {
        DNSClient(
            server: DNSServerAddress(host: server.server.host, port: Int(server.server.port)),
            configuration: DNSClientConfiguration(timeout: .seconds(1), maximumTimeout: .seconds(2), attempts: 2),
            eventLoopGroup: eventLoopGroup
        )
    }
}
