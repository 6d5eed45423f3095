/// An `[[inventory]]`: a source of the workloads Locus watches.
public struct InventorySourceConfig: Sendable, Hashable {
    public var name: String
    public var kind: InventoryKind
    public var line: Int

    public init(name: String, kind: InventoryKind, line: Int = 0) {
        self.name = name
        self.kind = kind
        self.line = line
    }
}

/// The kind of an inventory source with its kind-specific keys.
public enum InventoryKind: Sendable, Hashable {
    /// `kind = "file"`: an `inventory.toml` at `path` (absolute).
    case file(path: String)
    /// `kind = "ovf"`: OVF descriptors in `directory` (absolute); `siteOfNetwork` maps a network
    /// name to a site; `addressProperty` names the ProductSection key holding the address
    /// (nil: `ip0`, then any ip-typed property).
    case ovf(directory: String, siteOfNetwork: [String: String], addressProperty: String?)
    /// `kind = "libvirt"`: the domains of a libvirt connection, all in one site.
    case libvirt(uri: String, site: String)

    /// The name written in `kind = "…"`.
    public var name: String {
        switch self {
        case .file: return "file"
        case .ovf: return "ovf"
        case .libvirt: return "libvirt"
        }
    }

    /// Where an operator corrects what this source says: the file, the directory, the connection.
    public var location: String {
        switch self {
        case .file(let path): path
        case .ovf(let directory, _, _): directory
        case .libvirt(let uri, _): uri
        }
    }
}

/// TSIG algorithms (RFC 8945) by the names `tsig-keygen` writes.
public enum TSIGAlgorithm: String, Sendable, Hashable, CaseIterable {
    case hmacMD5 = "hmac-md5"
    case hmacSHA1 = "hmac-sha1"
    case hmacSHA224 = "hmac-sha224"
    case hmacSHA256 = "hmac-sha256"
    case hmacSHA384 = "hmac-sha384"
    case hmacSHA512 = "hmac-sha512"
}

/// A `[[dns]]` server that dependencies of kind `dns` are checked against.
public struct DNSServerConfig: Sendable, Hashable {
    public var name: String
    public var server: Endpoint
    /// Present when records may be updated (RFC 2136) with this key.
    public var tsig: TSIGKeyConfig?
    /// A record with a TTL above this is reported, since a move would take that long to be seen.
    public var ttlThreshold: Duration
    /// The zone UPDATEs go to; nil to find it from the record's SOA.
    public var zone: String?
    public var line: Int

    public static let defaultTTLThreshold: Duration = .seconds(300)

    public init(
        name: String,
        server: Endpoint,
        tsig: TSIGKeyConfig? = nil,
        ttlThreshold: Duration = DNSServerConfig.defaultTTLThreshold,
        zone: String? = nil,
        line: Int = 0
    ) {
        self.name = name
        self.server = server
        self.tsig = tsig
        self.ttlThreshold = ttlThreshold
        self.zone = zone
        self.line = line
    }
}

/// `tsig_key_name`, `tsig_algorithm` and `tsig_key_file` of a `[[dns]]`: they go together.
public struct TSIGKeyConfig: Sendable, Hashable {
    public var keyName: String
    public var algorithm: TSIGAlgorithm
    public var keyFile: SecretFileReference

    public init(keyName: String, algorithm: TSIGAlgorithm, keyFile: SecretFileReference) {
        self.keyName = keyName
        self.algorithm = algorithm
        self.keyFile = keyFile
    }
}

/// A `[[loadbalancer]]` whose pool members dependencies of kind `lb` are checked in.
public struct LoadBalancerConfig: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case haproxy
    }

    public var name: String
    public var kind: Kind
    public var runtimeAPI: RuntimeAPIAddress
    public var line: Int

    public init(name: String, kind: Kind = .haproxy, runtimeAPI: RuntimeAPIAddress, line: Int = 0) {
        self.name = name
        self.kind = kind
        self.runtimeAPI = runtimeAPI
        self.line = line
    }
}

/// Where a load balancer's runtime API listens: `host:port` or `unix:/path`.
public enum RuntimeAPIAddress: Sendable, Hashable, CustomStringConvertible {
    case tcp(Endpoint)
    /// An absolute socket path.
    case unix(path: String)

    public var description: String {
        switch self {
        case .tcp(let endpoint): return endpoint.description
        case .unix(let path): return "unix:\(path)"
        }
    }
}

/// `[migration]`: how a workload is moved.
public struct MigrationConfig: Sendable, Hashable {
    /// The placeholders a mover argument may use.
    public static let placeholders = ["workload", "from_site", "site", "host", "dest_host", "from_address", "address"]
    public static let defaultVerifyDeadline: Duration = .seconds(120)
    public static let defaultMoverTimeout: Duration = .seconds(600)
    public static let defaultMaxRunning = 4
    public static let defaultRunnerLease: Duration = .seconds(30)

    /// The mover's argv, placeholders unfilled; run without a shell.
    public var mover: [String]
    /// How long the mover may run before it is stopped and its step failed.
    public var moverTimeout: Duration
    /// Cutovers running at once; more wait their turn.
    public var maxRunning: Int
    /// How long after the mover finishes the mapping and dependencies have to follow.
    public var verifyDeadline: Duration
    /// How long a runner's lease lasts unless renewed (every third of it): a runner silent for longer
    /// counts as gone, and its migration as interrupted.
    public var runnerLease: Duration
    /// `start = "approval"` (the default): the last approval starts the runner; `"manual"`: an
    /// approver starts it with `locus migrate run ID` (a change board that approves now, runs later).
    public var startsOnApproval: Bool
    public var line: Int

    public init(
        mover: [String],
        moverTimeout: Duration = MigrationConfig.defaultMoverTimeout,
        maxRunning: Int = MigrationConfig.defaultMaxRunning,
        verifyDeadline: Duration = MigrationConfig.defaultVerifyDeadline,
        runnerLease: Duration = MigrationConfig.defaultRunnerLease,
        startsOnApproval: Bool = true,
        line: Int = 0
    ) {
        self.runnerLease = runnerLease
        self.startsOnApproval = startsOnApproval
        self.mover = mover
        self.moverTimeout = moverTimeout
        self.maxRunning = maxRunning
        self.verifyDeadline = verifyDeadline
        self.line = line
    }

    /// The mover's argv with each placeholder replaced inside each argument (never through a shell).
    ///
    /// One pass over each argument: a value that itself holds `{address}` is taken as it is, never
    /// expanded again.
    public func moverArguments(_ values: [String: String]) -> [String] {
        mover.map { argument in
            var filled = ""
            var rest = Substring(argument)
            while let open = rest.firstIndex(of: "{") {
                filled += rest[..<open]
                let after = rest[rest.index(after: open)...]
                if let close = after.firstIndex(of: "}"), let value = values[String(after[..<close])] {
                    filled += value
                    rest = after[after.index(after: close)...]
                } else {
                    filled += "{"
                    rest = after
                }
            }
            return filled + rest
        }
    }
}

/// `[approvals]`: who may approve a migration.
public struct ApprovalsConfig: Sendable, Hashable {
    public static let defaultExpireAfter: Duration = .seconds(4 * 3600)

    /// Login names; empty means nobody may approve.
    public var approvers: [String]
    /// Two distinct approvers, neither of them the requester.
    public var fourEyes: Bool
    /// A request not approved within this time expires.
    public var expireAfter: Duration
    /// When an approved cutover may start; nil for any time.
    public var maintenanceWindow: MaintenanceWindow?
    /// The line of `[approvals]`, or 0 when the table is absent.
    public var line: Int

    public init(
        approvers: [String] = [],
        fourEyes: Bool = false,
        expireAfter: Duration = ApprovalsConfig.defaultExpireAfter,
        maintenanceWindow: MaintenanceWindow? = nil,
        line: Int = 0
    ) {
        self.approvers = approvers
        self.fourEyes = fourEyes
        self.expireAfter = expireAfter
        self.maintenanceWindow = maintenanceWindow
        self.line = line
    }
}
