import LISP

/// Builds a plausible lab world from a seed: named sites with loopback RLOCs, and workloads named by role
/// (`web-07`, `db-03`, `app-112`) with EIDs in their site's /16 of 10.0.0.0/8.
public struct WorldGenerator: Sendable {
    public static let maximumSites = 200
    /// 250 hosts in each of 256 /24s of a site's /16.
    public static let maximumWorkloadsPerSite = 250 * 256
    public static let siteNames = ["dc-east", "dc-west", "cloud-1", "dc-north", "dc-south", "cloud-2", "dc-central"]
    public static let hostsPerSite = 4

    private struct Role {
        var name: String
        var owners: [String]
        var weight: Int
    }

    private static let roles = [
        Role(name: "web", owners: ["web-team", "frontend"], weight: 6),
        Role(name: "app", owners: ["app-team", "payments", "orders"], weight: 7),
        Role(name: "api", owners: ["api-team", "payments"], weight: 3),
        Role(name: "db", owners: ["data-platform", "dba"], weight: 3),
        Role(name: "cache", owners: ["platform"], weight: 2),
        Role(name: "queue", owners: ["messaging"], weight: 1),
        Role(name: "auth", owners: ["identity"], weight: 1),
        Role(name: "search", owners: ["search-team"], weight: 1),
        Role(name: "batch", owners: ["analytics"], weight: 1),
    ]

    public var workloads: Int
    public var sites: Int
    public var seed: UInt64

    public init(workloads: Int, sites: Int, seed: UInt64) {
        self.workloads = workloads
        self.sites = sites
        self.seed = seed
    }

    public func generate() throws(LabError) -> LabWorld {
        guard (1...Self.maximumSites).contains(sites) else {
            throw .invalidConfiguration("--sites \(sites): use 1 to \(Self.maximumSites) sites")
        }
        guard workloads >= 0, workloads <= sites * Self.maximumWorkloadsPerSite else {
            throw .invalidConfiguration(
                "--workloads \(workloads): use 0 to \(sites * Self.maximumWorkloadsPerSite) for \(sites) sites"
            )
        }
        var random = SeededGenerator(seed: seed).derived(1)
        let labSites = (1...sites).map { makeSite(index: $0, random: &random) }
        var perSite = Array(repeating: 0, count: sites)
        var perRole: [String: Int] = [:]
        var labWorkloads: [LabWorkload] = []
        labWorkloads.reserveCapacity(workloads)
        for number in 0..<workloads {
            var siteIndex = Int.random(in: 0..<sites, using: &random)
            while perSite[siteIndex] >= Self.maximumWorkloadsPerSite {
                siteIndex = (siteIndex + 1) % sites
            }
            let site = labSites[siteIndex]
            let ordinal = perSite[siteIndex]
            perSite[siteIndex] += 1
            let role = pickRole(using: &random)
            let count = (perRole[role.name] ?? 0) + 1
            perRole[role.name] = count
            labWorkloads.append(
                LabWorkload(
                    name: role.name + "-" + Self.twoDigits(count),
                    eid: .v4(IPv4Address(rawValue: Self.eidBits(site: site.index, ordinal: ordinal))),
                    site: site.name,
                    host: site.hosts.randomElement(using: &random)!,
                    mac: Self.mac(number + 1),
                    owner: role.owners.randomElement(using: &random)!,
                    tags: tags(for: role, using: &random)
                )
            )
        }
        return LabWorld(sites: labSites, workloads: labWorkloads)
    }

    private func makeSite(index: Int, random: inout SeededGenerator) -> LabSite {
        let name = index <= Self.siteNames.count ? Self.siteNames[index - 1] : "site-\(index)"
        let base: UInt32 = 127 << 24 | UInt32(index) << 8
        let short = name.hasPrefix("dc-") ? "kvm-" + name.dropFirst(3) : name + "-node"
        return LabSite(
            index: index,
            name: name,
            rlocs: [.v4(IPv4Address(rawValue: base | 1)), .v4(IPv4Address(rawValue: base | 2))],
            homePrefix: EIDPrefix(address: .v4(IPv4Address(rawValue: 10 << 24 | UInt32(index) << 16)), length: 16),
            keyID: UInt8(truncatingIfNeeded: index),
            hosts: (1...Self.hostsPerSite).map { "\(short)-\($0)" },
            xtrIdentity: XTRIdentity(
                xtrID: XTRID(high: random.next(), low: random.next()),
                siteID: UInt64(index)
            )
        )
    }

    private func pickRole(using random: inout SeededGenerator) -> Role {
        let total = Self.roles.reduce(0) { $0 + $1.weight }
        var roll = Int.random(in: 0..<total, using: &random)
        for role in Self.roles {
            if roll < role.weight { return role }
            roll -= role.weight
        }
        return Self.roles[0]
    }

    private func tags(for role: Role, using random: inout SeededGenerator) -> [String] {
        let roll = Int.random(in: 0..<10, using: &random)
        let environment = roll < 7 ? "prod" : roll < 9 ? "staging" : "dev"
        var tags = [environment, role.name]
        if role.name == "db" || role.name == "auth" || role.name == "api", Int.random(in: 0..<3, using: &random) == 0 {
            tags.append("pci")
        }
        return tags
    }

    /// 10.<site>.<ordinal / 250>.<ordinal % 250 + 1>: hosts .1 to .250 of each /24.
    static func eidBits(site: Int, ordinal: Int) -> UInt32 {
        10 << 24 | UInt32(site) << 16 | UInt32(ordinal / 250) << 8 | UInt32(ordinal % 250 + 1)
    }

    /// 52:54:00 is the prefix QEMU/KVM guests get.
    static func mac(_ number: Int) -> String {
        let bytes = [0x52, 0x54, 0x00, (number >> 16) & 0xFF, (number >> 8) & 0xFF, number & 0xFF]
        return bytes.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined(separator: ":")
    }

    static func twoDigits(_ number: Int) -> String {
        number < 10 ? "0\(number)" : "\(number)"
    }
}
