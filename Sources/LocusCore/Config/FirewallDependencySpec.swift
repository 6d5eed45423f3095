/// `kind = "firewall"`: a set on `firewall` must hold the workload's address, or the rules whose
/// comment names it must match that address.
public struct FirewallDependencySpec: Sendable, Hashable {
    public enum Target: Sendable, Hashable, CustomStringConvertible {
        /// `set = "inet filter web_backends"`: the address is an element, or inside an interval element.
        case set(NFTSetReference)
        /// `rule_comment = "web-07"`: every rule with this comment matches the address in its
        /// `saddr`/`daddr` expressions.
        case ruleComment(String)

        /// `set inet filter web_backends` or `rules "web-07"`, as alerts and the detail pane name it.
        public var description: String {
            switch self {
            case .set(let set): "set \(set)"
            case .ruleComment(let comment): "rules \"\(comment)\""
            }
        }
    }

    /// A `[[firewall]]` name from `locus.toml`.
    public var firewall: String
    public var target: Target
    public var line: Int

    public init(firewall: String, target: Target, line: Int = 0) {
        self.firewall = firewall
        self.target = target
        self.line = line
    }
}

extension InventoryWorkload {
    /// The sets and rules of each firewall the workload depends on, firewalls in declaration order:
    /// what one batch per firewall changes.
    public var firewallTargets: [(firewall: String, targets: [FirewallDependencySpec.Target])] {
        var grouped: [(firewall: String, targets: [FirewallDependencySpec.Target])] = []
        for case .firewall(let spec) in dependencies {
            if let index = grouped.firstIndex(where: { $0.firewall == spec.firewall }) {
                grouped[index].targets.append(spec.target)
            } else {
                grouped.append((spec.firewall, [spec.target]))
            }
        }
        return grouped
    }
}

/// A named nftables set: its family, its table and its name, as `nft list set` takes them.
public struct NFTSetReference: Sendable, Hashable, CustomStringConvertible {
    public static let families = ["ip", "ip6", "inet", "arp", "bridge", "netdev"]

    public var family: String
    public var table: String
    public var name: String

    public init(family: String, table: String, name: String) {
        self.family = family
        self.table = table
        self.name = name
    }

    /// `inet filter web_backends`: three words, a known family first, each word an nft identifier.
    public init?(parsing text: String) {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count == 3, Self.families.contains(words[0]),
            words[1...].allSatisfy(Self.isIdentifier)
        else { return nil }
        self.init(family: words[0], table: words[1], name: words[2])
    }

    /// What nft accepts unquoted as a table or set name; anything else could change the batch it goes in.
    public static func isIdentifier(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else {
            return false
        }
        return word.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0))
        }
    }

    public var description: String { "\(family) \(table) \(name)" }
}
