import DNS
import DNSNet
import LocusCore
import NIOCore

/// A `[[dns]]` server as a source: its probe and its consecutive failures.
final class DNSProbeSource: Sendable {
    let probe: DNSProbe
    let failures = FailureCounter()
    var name: String { probe.config.name }

    init(config: DNSServerConfig, tuning: EngineTuning, eventLoopGroup: any EventLoopGroup) {
        let client = DNSClient(
            server: DNSServerAddress(host: config.server.host, port: Int(config.server.port)),
            configuration: DNSClientConfiguration(
                timeout: tuning.probeTimeout,
                maximumTimeout: tuning.probeTimeout,
                // A second try absorbs one lost datagram before the source counts a failure.
                attempts: 2
            ),
            eventLoopGroup: eventLoopGroup
        )
        probe = DNSProbe(config: config, client: client)
    }
}

/// A `[[loadbalancer]]` as a source: its probe and its consecutive failures.
final class LoadBalancerProbeSource: Sendable {
    let probe: LoadBalancerProbe
    let failures = FailureCounter()
    var name: String { probe.config.name }

    init(config: LoadBalancerConfig, tuning: EngineTuning, eventLoopGroup: any EventLoopGroup) {
        let client = HAProxyRuntimeClient(
            address: config.runtimeAPI,
            timeout: tuning.probeTimeout,
            eventLoopGroup: eventLoopGroup
        )
        probe = LoadBalancerProbe(config: config, client: client)
    }
}

/// A `[[firewall]]` as a source: its probe and its consecutive failures.
final class FirewallProbeSource: Sendable {
    let probe: FirewallProbe
    let failures = FailureCounter()
    var name: String { probe.config.name }

    init(config: FirewallConfig) {
        probe = FirewallProbe(config: config)
    }
}

/// Where a dependency's last result is kept between polls of the different sources.
enum DependencyKey {
    static func dns(_ spec: DNSDependencySpec) -> String { "dns|\(spec.server)|\(spec.name)" }
    static func ptr(_ spec: DNSDependencySpec) -> String { "ptr|\(spec.server)|\(spec.name)" }
    static func lb(_ spec: LoadBalancerDependencySpec) -> String {
        "lb|\(spec.balancer)|\(spec.backend)/\(spec.server)"
    }
    static func tcp(_ spec: TCPDependencySpec) -> String { "tcp|\(spec.target)" }
    static func firewall(_ spec: FirewallDependencySpec) -> String { "firewall|\(spec.firewall)|\(spec.target)" }

    /// Whether the check's verdict holds whatever the workload's address (a TCP service's answer).
    static func isAddressIndependent(_ key: String) -> Bool { key.hasPrefix("tcp|") }

    /// The keys of every check `workload` declares now.
    static func keys(of workload: InventoryWorkload) -> Set<String> {
        var keys: Set<String> = []
        for dependency in workload.dependencies {
            switch dependency {
            case .dns(let spec):
                keys.insert(dns(spec))
                if spec.ptr { keys.insert(ptr(spec)) }
            case .loadBalancer(let spec): keys.insert(lb(spec))
            case .tcp(let spec): keys.insert(tcp(spec))
            case .firewall(let spec): keys.insert(firewall(spec))
            }
        }
        return keys
    }
}
