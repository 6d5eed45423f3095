import LocusCore

/// `locus.toml` (CONFIG.md) pointing Locus at the lab: its sites and RLOCs, its map-resolver with the
/// registration table, its inventory file and a store inside the lab directory.
public struct LocusDocument: Sendable {
    public var name: String
    public var sites: [LabSite]
    /// `host:port` of the map-resolver.
    public var resolver: String
    /// `http://host:port` of the map-server's registration table.
    public var registrationsAPI: String
    /// Relative to the lab directory.
    public var inventoryFile: String
    public var storeFile: String
    /// `host:port` of the lab's DNS responder, when it runs one.
    public var dnsServer: String?
    /// `host:port` of the lab HAProxy's Runtime API, when it runs one.
    public var loadBalancerAPI: String?
    /// The port each site's RLOCs answer RLOC-probes on, when it is not the default.
    public var probePorts: [String: Int]
    /// `[approvals] approvers`: the user running the lab, so that one person can approve what the
    /// lab requests.
    public var approvers: [String]
    /// `[[firewall]]`: one per site, `locus lab nft` against this lab's control port.
    public var firewalls: [Firewall]
    /// `[migration] mover`: `locus lab move` against this lab's control port, placeholders unfilled.
    public var mover: [String]?

    /// The lab's mover answers in well under a second; two minutes leave room for `--move-delay`.
    static let moverTimeout = "2m"
    static let maxRunning = 4
    static let verifyDeadline = "2m"

    /// The mover argv of a lab: the running `locus` (by absolute path) asks the lab at `control` to move
    /// the workload; DNS and pool members are the cutover's own steps.
    public static func moverArguments(executable: String, control: String) -> [String] {
        [executable, "lab", "move", "{workload}", "{site}", "--address", "{address}", "--control", control]
    }

    /// A site's simulated firewall as locus.toml declares it.
    public struct Firewall: Sendable, Hashable {
        public var name: String
        public var command: [String]
        public var applyCommand: [String]

        /// `locus lab nft list|apply --control HOST:PORT SITE` by the running `locus`'s absolute path.
        public init(site: String, executable: String, control: String) {
            self.name = LabFirewall.name(ofSite: site)
            self.command = [executable, "lab", "nft", "list", "--control", control, site]
            self.applyCommand = [executable, "lab", "nft", "apply", "--control", control, site]
        }
    }

    /// The lab answers at once; the timeout only bounds a lab that stopped.
    static let firewallTimeout = "5s"

    public init(
        name: String,
        sites: [LabSite],
        resolver: String,
        registrationsAPI: String,
        inventoryFile: String,
        storeFile: String,
        dnsServer: String? = nil,
        loadBalancerAPI: String? = nil,
        probePorts: [String: Int] = [:],
        approvers: [String] = [],
        firewalls: [Firewall] = [],
        mover: [String]? = nil
    ) {
        self.name = name
        self.sites = sites
        self.resolver = resolver
        self.registrationsAPI = registrationsAPI
        self.inventoryFile = inventoryFile
        self.storeFile = storeFile
        self.dnsServer = dnsServer
        self.loadBalancerAPI = loadBalancerAPI
        self.probePorts = probePorts
        self.approvers = approvers
        self.firewalls = firewalls
        self.mover = mover
    }

    public func render() -> String {
        var out = """
            # Locus over the lab: `locus snapshot --config THIS_FILE` or `locus check --config THIS_FILE`.
            name = \(TOMLText.quoted(name))
            poll_interval = "5s"
            store = \(TOMLText.quoted("sqlite:" + storeFile))

            """
        for site in sites {
            out += """

                [[site]]
                name = \(TOMLText.quoted(site.name))
                rlocs = \(TOMLText.array(site.rlocs.map(\.description)))
                hosts = \(TOMLText.array(site.hosts))
                probe_port = \(probePorts[site.name] ?? SiteConfig.defaultProbePort)

                """
        }
        out += """

            [[mapping]]
            name = "lab-mr"
            resolver = \(TOMLText.quoted(resolver))
            subscribe = true
            max_age = "60s"
            registrations_api = \(TOMLText.quoted(registrationsAPI))

            [[inventory]]
            name = "lab"
            kind = "file"
            path = \(TOMLText.quoted(inventoryFile))

            """
        if let dnsServer {
            out += """

                [[dns]]
                name = \(TOMLText.quoted(LabDependencyPlan.dnsServerName))
                server = \(TOMLText.quoted(dnsServer))
                tsig_key_name = \(TOMLText.quoted(LabDependencyPlan.keyName))
                tsig_algorithm = "hmac-sha256"
                tsig_key_file = \(TOMLText.quoted(LabDependencyPlan.keyFile))
                ttl_threshold = \(TOMLText.quoted(LabDependencyPlan.ttlThreshold))

                """
        }
        if let loadBalancerAPI {
            out += """

                [[loadbalancer]]
                name = \(TOMLText.quoted(LabDependencyPlan.loadBalancerName))
                kind = "haproxy"
                runtime_api = \(TOMLText.quoted(loadBalancerAPI))

                """
        }
        for firewall in firewalls {
            out += """

                [[firewall]]
                name = \(TOMLText.quoted(firewall.name))
                kind = "nftables"
                command = \(TOMLText.array(firewall.command))
                apply_command = \(TOMLText.array(firewall.applyCommand))
                timeout = \(TOMLText.quoted(Self.firewallTimeout))

                """
        }
        if let mover {
            out += """

                [migration]
                mover = \(TOMLText.array(mover))
                mover_timeout = \(TOMLText.quoted(Self.moverTimeout))
                max_running = \(Self.maxRunning)
                verify_deadline = \(TOMLText.quoted(Self.verifyDeadline))

                """
        }
        if !approvers.isEmpty {
            out += """

                [approvals]
                approvers = \(TOMLText.array(approvers))
                expire_after = "4h"

                """
        }
        return out
    }
}
