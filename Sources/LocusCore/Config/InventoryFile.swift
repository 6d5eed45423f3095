/// `inventory.toml`: the workloads of an inventory source of kind `file`.
public struct InventoryFile: Sendable, Equatable {
    public var file: String
    public var workloads: [InventoryWorkload]

    public init(file: String, workloads: [InventoryWorkload]) {
        self.file = file
        self.workloads = workloads
    }
}

/// One `[[workload]]`: a VM (or container) with its EID and what depends on where it lives.
public struct InventoryWorkload: Sendable, Hashable {
    public var name: String
    public var eid: IPPrefix
    /// LISP instance ID, 0…16777215.
    public var iid: UInt32
    /// The site the inventory says it is in: a configured `[[site]]` name.
    public var site: String
    /// Where it answers now (equals the EID address for a LISP move).
    public var address: IPAddress
    /// Joins records of different inventory sources.
    public var mac: MACAddress?
    /// The hypervisor host (`{host}` for the mover).
    public var host: String?
    public var owner: String?
    public var tags: [String]
    public var dependencies: [DependencySpec]
    public var line: Int
    /// What the source knows beyond the declaration, for the detail pane: a libvirt domain's
    /// `state` and `address_source` (lease, agent, arp), an OVF system's `os`, `cpus`, `memory`.
    public var attributes: [String: String]

    public static let maximumIID: UInt32 = 16_777_215

    public init(
        name: String,
        eid: IPPrefix,
        iid: UInt32 = 0,
        site: String,
        address: IPAddress,
        mac: MACAddress? = nil,
        host: String? = nil,
        owner: String? = nil,
        tags: [String] = [],
        dependencies: [DependencySpec] = [],
        line: Int = 0,
        attributes: [String: String] = [:]
    ) {
        self.name = name
        self.eid = eid
        self.iid = iid
        self.site = site
        self.address = address
        self.mac = mac
        self.host = host
        self.owner = owner
        self.tags = tags
        self.dependencies = dependencies
        self.line = line
        self.attributes = attributes
    }
}

/// One `[[workload.depends]]`: something that must follow the workload when it moves.
public enum DependencySpec: Sendable, Hashable {
    case dns(DNSDependencySpec)
    case loadBalancer(LoadBalancerDependencySpec)
    case tcp(TCPDependencySpec)
    case firewall(FirewallDependencySpec)

    /// The name written in `kind = "…"`.
    public var kind: String {
        switch self {
        case .dns: return "dns"
        case .loadBalancer: return "lb"
        case .tcp: return "tcp"
        case .firewall: return "firewall"
        }
    }

    public var line: Int {
        switch self {
        case .dns(let spec): return spec.line
        case .loadBalancer(let spec): return spec.line
        case .tcp(let spec): return spec.line
        case .firewall(let spec): return spec.line
        }
    }
}

/// `kind = "dns"`: the record `name` on the `[[dns]]` server `server` must point at the workload.
public struct DNSDependencySpec: Sendable, Hashable {
    public var name: String
    /// A `[[dns]]` name from `locus.toml`.
    public var server: String
    /// Also check the PTR record of the workload's address.
    public var ptr: Bool
    public var line: Int

    public init(name: String, server: String, ptr: Bool = false, line: Int = 0) {
        self.name = name
        self.server = server
        self.ptr = ptr
        self.line = line
    }
}

/// `kind = "lb"`: the server `server` of backend `backend` on `balancer` must point at the workload.
public struct LoadBalancerDependencySpec: Sendable, Hashable {
    /// A `[[loadbalancer]]` name from `locus.toml`.
    public var balancer: String
    public var backend: String
    public var server: String
    public var port: UInt16
    public var line: Int

    public init(balancer: String, backend: String, server: String, port: UInt16, line: Int = 0) {
        self.balancer = balancer
        self.backend = backend
        self.server = server
        self.port = port
        self.line = line
    }
}

/// What a TCP dependency is to the workload, for the operator reading an alert.
public enum DependencyRole: String, Sendable, Hashable, CaseIterable {
    case auth
    case database
    case storage
    case license
    case other
}

/// `kind = "tcp"`: a service the workload needs that must be reachable from where it lives.
public struct TCPDependencySpec: Sendable, Hashable {
    public var target: Endpoint
    public var role: DependencyRole
    public var line: Int

    public init(target: Endpoint, role: DependencyRole = .other, line: Int = 0) {
        self.target = target
        self.role = role
        self.line = line
    }
}
