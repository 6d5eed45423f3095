import LISP

/// Which lab workloads depend on what: a DNS record with its PTR each, web and api servers in HAProxy
/// pools, every workload on its home site's auth service (data roles on its storage too) and in its home
/// site's firewall set.
///
/// Pure, so the files, the responder's zone and the HAProxy config agree on names without talking.
public struct LabDependencyPlan: Sendable, Hashable {
    /// The forward zone of the lab's records: `web-07.lab.test`.
    public static let zone = "lab.test"
    /// Reverse zones covering EIDs (10/8) and the addresses re-IP moves hand out (172.16/12).
    public static let reverseZones = ["10.in-addr.arpa", "172.in-addr.arpa"]
    public static let dnsServerName = "lab-dns"
    public static let loadBalancerName = "lab-lb"
    public static let keyName = "lab-ddns"
    public static let keyFile = "keys/lab-ddns.key"
    /// Records of data workloads keep a long TTL, so a pending migration of one shows `dns-ttl-high`.
    public static let longTTL: UInt32 = 3600
    public static let shortTTL: UInt32 = 300
    public static let ttlThreshold = "300s"
    /// Every lab workload past this many gets no dependencies: each costs the engine three queries and a
    /// connect per poll, and a 100 000-workload lab is about the mapping system, not about its services.
    public static let maximumDependents = 1000

    static let pools = ["web": ("be_web", 80), "api": ("be_api", 8443)]
    static let storageRoles: Set<String> = ["db", "queue", "search", "batch"]

    /// The names of the workloads that have dependencies, in world order.
    public let dependents: [String]
    private let roleOf: [String: String]
    private let homeSiteOf: [String: String]
    /// Whether the lab runs an HAProxy: without one, no workload is a pool member.
    public let hasLoadBalancer: Bool

    public init(world: LabWorld, hasLoadBalancer: Bool) {
        let chosen = world.workloads.prefix(Self.maximumDependents)
        self.dependents = chosen.map(\.name)
        self.roleOf = Dictionary(chosen.map { ($0.name, Self.role(of: $0.name)) }, uniquingKeysWith: { a, _ in a })
        self.homeSiteOf = Dictionary(chosen.map { ($0.name, $0.site) }, uniquingKeysWith: { a, _ in a })
        self.hasLoadBalancer = hasLoadBalancer
    }

    /// `web-07` → `web`.
    static func role(of name: String) -> String {
        name.split(separator: "-").first.map(String.init) ?? name
    }

    public func hasDependencies(_ workload: String) -> Bool {
        roleOf[workload] != nil
    }

    /// The fully qualified record name of a workload, without the final dot.
    public static func recordName(of workload: String) -> String {
        workload + "." + zone
    }

    public func ttl(of workload: String) -> UInt32 {
        Self.storageRoles.contains(roleOf[workload] ?? "") ? Self.longTTL : Self.shortTTL
    }

    /// The backend and port of a workload that is a pool member.
    public func pool(of workload: String) -> (backend: String, port: Int)? {
        guard hasLoadBalancer, let role = roleOf[workload], let pool = Self.pools[role] else { return nil }
        return (pool.0, pool.1)
    }

    /// The site a workload with dependencies started at: its firewall set holds the workload wherever it goes.
    public func homeSite(of workload: String) -> String? {
        homeSiteOf[workload]
    }

    /// The services a workload needs: its home site's auth, and storage for data roles.
    public func services(of workload: String) -> [(site: String, role: LabServiceRole)] {
        guard let role = roleOf[workload], let site = homeSiteOf[workload] else { return [] }
        var services = [(site: site, role: LabServiceRole.auth)]
        if Self.storageRoles.contains(role) {
            services.append((site: site, role: .storage))
        }
        return services
    }

    /// The inventory entries of one workload, with the services' bound endpoints (`host:port` by site and role).
    public func dependencies(of workload: String, endpoints: [String: [LabServiceRole: String]]) -> [LabDependency] {
        guard hasDependencies(workload) else { return [] }
        var entries: [LabDependency] = [.dns(record: Self.recordName(of: workload), ptr: true)]
        if let pool = pool(of: workload) {
            entries.append(.pool(backend: pool.backend, server: workload, port: pool.port))
        }
        for service in services(of: workload) {
            if let target = endpoints[service.site]?[service.role] {
                entries.append(.service(target: target, role: service.role))
            }
        }
        if let site = homeSiteOf[workload] {
            entries.append(.firewall(name: LabFirewall.name(ofSite: site), set: LabFirewall.set.description))
        }
        return entries
    }
}
