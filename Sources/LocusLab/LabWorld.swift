import LISP

/// One site of the lab: a data centre or cloud region with its RLOCs and its home EID-prefix.
public struct LabSite: Sendable, Hashable {
    /// 1-based; the site's addresses are derived from it (RLOCs 127.0.<index>.x, EIDs 10.<index>.0.0/16).
    public var index: Int
    public var name: String
    public var rlocs: [IPAddress]
    /// Where this site's workloads start; every site may register more-specifics of every lab prefix.
    public var homePrefix: EIDPrefix
    public var keyID: UInt8
    public var hosts: [String]
    public var xtrIdentity: XTRIdentity

    public init(
        index: Int,
        name: String,
        rlocs: [IPAddress],
        homePrefix: EIDPrefix,
        keyID: UInt8,
        hosts: [String],
        xtrIdentity: XTRIdentity
    ) {
        self.index = index
        self.name = name
        self.rlocs = rlocs
        self.homePrefix = homePrefix
        self.keyID = keyID
        self.hosts = hosts
        self.xtrIdentity = xtrIdentity
    }
}

/// One virtual machine of the lab as the inventory describes it.
public struct LabWorkload: Sendable, Hashable {
    public var name: String
    /// The host address that is its identity; it keeps it wherever it moves.
    public var eid: IPAddress
    /// Where it answers: its EID, until a re-IP move gives it an address in its new site's local network.
    public var address: IPAddress
    /// Where the inventory says it runs.
    public var site: String
    public var host: String
    public var mac: String
    public var owner: String
    public var tags: [String]

    public init(name: String, eid: IPAddress, site: String, host: String, mac: String, owner: String, tags: [String]) {
        self.name = name
        self.eid = eid
        self.address = eid
        self.site = site
        self.host = host
        self.mac = mac
        self.owner = owner
        self.tags = tags
    }

    public var eidPrefix: EIDPrefix { EIDPrefix(host: eid) }
}

/// The sites and workloads of a lab; a value, so a seed fully describes it.
public struct LabWorld: Sendable, Hashable {
    public var sites: [LabSite]
    public var workloads: [LabWorkload]

    public init(sites: [LabSite], workloads: [LabWorkload]) {
        self.sites = sites
        self.workloads = workloads
    }

    public func site(named name: String) -> LabSite? {
        sites.first { $0.name == name }
    }

    public func workload(named name: String) -> LabWorkload? {
        workloads.first { $0.name == name }
    }

    /// Every site's home prefix: what each site may register more-specifics of, so a moved workload can be
    /// registered by the xTR of the site it moved to.
    public var mobilityPrefixes: [EIDPrefix] { sites.map(\.homePrefix) }
}
