import Foundation
import LISP
import LocusCore

/// One lab site's firewall, simulated in-process like its xTR: table `inet lab` with the set `backends`
/// (ipv4_addr) holding the address of every workload with dependencies whose home is the site. Locus reads
/// it as it reads a real nft (`locus lab nft list` prints `nft -j list ruleset`) and a cutover changes it
/// with an nft batch (`locus lab nft apply`), refused as a whole as nft refuses one.
///
/// The lab's workloads and re-IP addresses are all IPv4, so there is no `ipv6_addr` set.
public actor LabFirewall {
    /// Plain identifiers: nft takes them unquoted, and Locus's set references name them so.
    public static let set = NFTSetReference(family: "inet", table: "lab", name: "backends")
    public static let setType = "ipv4_addr"
    /// What a fresh kernel hands out for the first table and the first set in it.
    static let tableHandle = 1
    static let setHandle = 1
    /// The `metainfo` a current nft prints; Locus reads only `json_schema_version`.
    static let nftVersion = "1.0.9"
    static let releaseName = "Old Doc Yak #3"

    /// `fw-dc-east`: the `[[firewall]]` name of a site's firewall in the lab's locus.toml.
    public static func name(ofSite site: String) -> String {
        "fw-" + site
    }

    public nonisolated let site: String
    public nonisolated let name: String
    private var members: Set<LISP.IPAddress>

    public init(site: String, elements: some Sequence<LISP.IPAddress>) {
        self.site = site
        self.name = Self.name(ofSite: site)
        self.members = Set(elements)
    }

    /// The set's elements, lowest first, as nft lists an ipv4_addr set.
    public func elements() -> [LISP.IPAddress] {
        members.sorted()
    }

    public func contains(_ address: LISP.IPAddress) -> Bool {
        members.contains(address)
    }

    func insert(_ address: LISP.IPAddress) {
        members.insert(address)
    }

    func remove(_ address: LISP.IPAddress) {
        members.remove(address)
    }

    /// In one actor turn, so that no listing sees both addresses (a leftover that never was).
    func replace(_ old: LISP.IPAddress, with new: LISP.IPAddress) {
        members.remove(old)
        members.insert(new)
    }

    /// What `nft -j list ruleset` prints for this firewall (libnftables-json(5)), on one line.
    public func rulesetJSON() -> String {
        var set: [String: Any] = [
            "family": Self.set.family, "name": Self.set.name, "table": Self.set.table,
            "type": Self.setType, "handle": Self.setHandle,
        ]
        // nft leaves `elem` out of an empty set.
        if !members.isEmpty { set["elem"] = elements().map(\.description) }
        let document: [String: Any] = [
            "nftables": [
                [
                    "metainfo": [
                        "version": Self.nftVersion, "release_name": Self.releaseName, "json_schema_version": 1,
                    ]
                ],
                ["table": ["family": Self.set.family, "name": Self.set.table, "handle": Self.tableHandle]],
                ["set": set],
            ]
        ]
        // Only strings and integers go in, which JSONSerialization always encodes.
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// An nft script (`nft -f -`) that creates the same table and set in an empty ruleset.
    public func nftScript() -> String {
        var out = "table \(Self.set.family) \(Self.set.table) {\n"
        out += "\tset \(Self.set.name) {\n"
        out += "\t\ttype \(Self.setType)\n"
        if !members.isEmpty {
            out += "\t\telements = { " + elements().map(\.description).joined(separator: ", ") + " }\n"
        }
        out += "\t}\n}\n"
        return out
    }

    /// Applies an nft batch of `add element` and `delete element` lines on the lab's set, all or nothing:
    /// every line is checked against the set as the lines before it leave it, as nft's transaction does.
    /// Adding an element already there is not an error; deleting one that is not there refuses the batch.
    public func apply(batch: String) throws(LabFirewallError) {
        var next = members
        for line in try LabFirewallBatchLine.parse(batch, firewall: name) {
            for element in line.elements {
                switch line.operation {
                case .add:
                    next.insert(element)
                case .delete:
                    guard next.remove(element) != nil else {
                        throw .refused(
                            firewall: name,
                            line: line.number,
                            text: line.text,
                            reason: "Could not process rule: No such file or directory (\(element) is not an "
                                + "element of set \(Self.set))"
                        )
                    }
                }
            }
        }
        members = next
    }

    /// One firewall per site, holding the address of every workload with dependencies at home there.
    static func forSites(of world: LabWorld, plan: LabDependencyPlan) -> [String: LabFirewall] {
        let dependents = Set(plan.dependents)
        let homes = Dictionary(grouping: world.workloads.filter { dependents.contains($0.name) }, by: \.site)
        return Dictionary(
            world.sites.map { site in
                (site.name, LabFirewall(site: site.name, elements: homes[site.name, default: []].map(\.address)))
            },
            uniquingKeysWith: { first, _ in first }
        )
    }
}
