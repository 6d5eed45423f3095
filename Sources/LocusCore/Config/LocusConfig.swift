/// `locus.toml`: the dashboard and engine configuration (see CONFIG.md).
///
/// Paths in it are already resolved against the directory of the file; every item keeps the
/// line it was defined on so later problems (a missing key file, a source that is down) can
/// point at it.
public struct LocusConfig: Sendable, Equatable {
    /// The path of the file this was parsed from.
    public var file: String
    /// Shown in the header of the dashboard.
    public var name: String
    /// How often dependency probes run and inventories are re-read.
    public var pollInterval: Duration
    /// `history_keep`: events, moves and alert history older than this are pruned from the store.
    public var historyKeep: Duration
    public var store: StoreLocation
    /// `store_password_file`: the password of a PostgreSQL login, for a store that asks for one.
    public var storePasswordFile: SecretFileReference?
    public var sites: [SiteConfig]
    public var mappings: [MappingConfig]
    public var inventories: [InventorySourceConfig]
    public var dnsServers: [DNSServerConfig]
    public var loadBalancers: [LoadBalancerConfig]
    public var firewalls: [FirewallConfig]
    /// Nil when the file has no `[migration]` table: migrations are then not possible.
    public var migration: MigrationConfig?
    /// Always present; without `[approvals]` nobody may approve.
    public var approvals: ApprovalsConfig

    public static let defaultPollInterval: Duration = .seconds(5)
    public static let defaultHistoryKeep: Duration = .seconds(90 * 86_400)
    public static let minimumHistoryKeep: Duration = .seconds(3600)

    public init(
        file: String,
        name: String,
        pollInterval: Duration = LocusConfig.defaultPollInterval,
        historyKeep: Duration = LocusConfig.defaultHistoryKeep,
        store: StoreLocation,
        sites: [SiteConfig] = [],
        mappings: [MappingConfig] = [],
        inventories: [InventorySourceConfig] = [],
        dnsServers: [DNSServerConfig] = [],
        loadBalancers: [LoadBalancerConfig] = [],
        firewalls: [FirewallConfig] = [],
        migration: MigrationConfig? = nil,
        approvals: ApprovalsConfig = ApprovalsConfig(),
        storePasswordFile: SecretFileReference? = nil
    ) {
        self.file = file
        self.name = name
        self.pollInterval = pollInterval
        self.historyKeep = historyKeep
        self.store = store
        self.sites = sites
        self.mappings = mappings
        self.inventories = inventories
        self.dnsServers = dnsServers
        self.loadBalancers = loadBalancers
        self.firewalls = firewalls
        self.migration = migration
        self.approvals = approvals
        self.storePasswordFile = storePasswordFile
    }

    public func site(named name: String) -> SiteConfig? { sites.first { $0.name == name } }

    /// The site whose `rlocs` include `address`, or nil for a locator of no known site.
    public func site(ofLocator address: IPAddress) -> SiteConfig? {
        sites.first { $0.rlocs.contains(address) }
    }

    /// Every secret file the config names, for permission checks and loading.
    public var secretFiles: [SecretFileReference] {
        mappings.compactMap { $0.registration?.keyFile } + dnsServers.compactMap { $0.tsig?.keyFile }
            + (storePasswordFile.map { [$0] } ?? [])
    }
}

/// Where history is kept: `store = "sqlite:PATH"` or `store = "postgres://…"`.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// An absolute path to the SQLite database file.
    case sqlite(path: String)
    /// A PostgreSQL URL, kept exactly as written.
    case postgres(url: String)

    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url): return url
        }
    }
}

/// A `[[site]]`: a data centre or cloud region, known by the locators (RLOCs) of its routers.
public struct SiteConfig: Sendable, Hashable {
    public var name: String
    public var rlocs: [IPAddress]
    /// Hypervisor hosts of the site, offered as `{dest_host}` to the mover.
    public var hosts: [String]
    /// The UDP port its RLOCs answer RLOC-probe Map-Requests on (LISP control, 4342 by default).
    public var probePort: Int
    public var line: Int

    public static let defaultProbePort = 4342

    public init(
        name: String,
        rlocs: [IPAddress],
        hosts: [String] = [],
        probePort: Int = SiteConfig.defaultProbePort,
        line: Int = 0
    ) {
        self.name = name
        self.rlocs = rlocs
        self.hosts = hosts
        self.probePort = probePort
        self.line = line
    }
}

/// A file holding a secret, as named by a `key_file`, `tsig_key_file` or `store_password_file` key.
public struct SecretFileReference: Sendable, Hashable {
    public enum Format: Sendable, Hashable {
        /// The shared secret on one line (LISP map-server keys).
        case sharedKey
        /// A base64 secret alone or a BIND `key { … };` block.
        case tsigKey
        /// A database password on one line (`store_password_file`).
        case password
    }

    /// Absolute, or relative to the working directory when the config path was.
    public var path: String
    public var format: Format
    /// The line of the key that names the file.
    public var line: Int

    public init(path: String, format: Format, line: Int) {
        self.path = path
        self.format = format
        self.line = line
    }
}

/// The HMAC of LISP Map-Register authentication (RFC 9301 section 5.6).
public enum AuthenticationAlgorithm: String, Sendable, Hashable, CaseIterable {
    case hmacSHA1 = "hmac-sha1"
    case hmacSHA256 = "hmac-sha256"
}

/// A `[[mapping]]`: a map-resolver to watch the mapping system through.
public struct MappingConfig: Sendable, Hashable {
    public var name: String
    public var resolver: Endpoint
    /// Use RFC 9437 publish/subscribe where the server supports it.
    public var subscribe: Bool
    /// Re-resolve each EID at least this often (otherwise at half its TTL).
    public var maxAge: Duration
    /// The map-server's registration table over HTTP (`http://host:port`), for the Sites view.
    public var registrationsAPI: String?
    /// Present when Locus itself registers EIDs during a migration.
    public var registration: MappingRegistration?
    public var line: Int

    public static let defaultMaxAge: Duration = .seconds(60)

    public init(
        name: String,
        resolver: Endpoint,
        subscribe: Bool = false,
        maxAge: Duration = MappingConfig.defaultMaxAge,
        registrationsAPI: String? = nil,
        registration: MappingRegistration? = nil,
        line: Int = 0
    ) {
        self.name = name
        self.resolver = resolver
        self.subscribe = subscribe
        self.maxAge = maxAge
        self.registrationsAPI = registrationsAPI
        self.registration = registration
        self.line = line
    }
}

/// `map_server`, `key_id`, `algorithm` and `key_file` of a `[[mapping]]`: they go together.
public struct MappingRegistration: Sendable, Hashable {
    public var mapServer: Endpoint
    public var keyID: UInt16
    public var algorithm: AuthenticationAlgorithm
    public var keyFile: SecretFileReference

    public init(mapServer: Endpoint, keyID: UInt16, algorithm: AuthenticationAlgorithm, keyFile: SecretFileReference) {
        self.mapServer = mapServer
        self.keyID = keyID
        self.algorithm = algorithm
        self.keyFile = keyFile
    }
}
