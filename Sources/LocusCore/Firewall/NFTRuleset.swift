/// What Locus reads of an nftables ruleset: its sets with their elements and its rules with the
/// addresses they match, as `nft -j list ruleset` prints them (libnftables-json(5)).
public struct NFTRuleset: Sendable, Hashable {
    public var sets: [NFTSet]
    public var rules: [NFTRule]

    public init(sets: [NFTSet] = [], rules: [NFTRule] = []) {
        self.sets = sets
        self.rules = rules
    }

    public func set(_ reference: NFTSetReference) -> NFTSet? {
        sets.first { $0.reference == reference }
    }

    /// The rules whose comment is exactly `comment`, in ruleset order.
    public func rules(commented comment: String) -> [NFTRule] {
        rules.filter { $0.comment == comment }
    }

    /// The named sets a rule's positive matches refer to (`ip saddr @web_backends`), from its own table.
    public func sets(referencedBy rule: NFTRule) -> [NFTSet] {
        rule.addressMatches.filter(\.isPositive).compactMap { match in
            match.setName.flatMap { set(NFTSetReference(family: rule.family, table: rule.table, name: $0)) }
        }
    }

    /// Whether `rule` takes `address`, in its own values or in a named set it refers to.
    public func rule(_ rule: NFTRule, matches address: IPAddress) -> Bool {
        rule.matches(address) || sets(referencedBy: rule).contains { $0.contains(address) }
    }

    /// Whether `rule` names `address` on its own, in its values or as an element of a set it refers to:
    /// where a change of that address alone is possible.
    public func rule(_ rule: NFTRule, names address: IPAddress) -> Bool {
        rule.matchedAddresses.contains(address)
            || sets(referencedBy: rule).contains { $0.elements.contains { $0.isExactly(address) } }
    }
}

/// A named set and its elements.
public struct NFTSet: Sendable, Hashable {
    public var reference: NFTSetReference
    /// `ipv4_addr`, `ipv6_addr`, `inet_service`, …; a concatenation is its types joined by ` . `.
    public var type: String
    public var flags: [String]
    public var elements: [NFTElement]

    public init(reference: NFTSetReference, type: String, flags: [String] = [], elements: [NFTElement]) {
        self.reference = reference
        self.type = type
        self.flags = flags
        self.elements = elements
    }

    /// Whether the set holds addresses at all: a set of ports can never hold a workload.
    public var holdsAddresses: Bool { type == "ipv4_addr" || type == "ipv6_addr" }

    public func contains(_ address: IPAddress) -> Bool {
        elements.contains { $0.contains(address) }
    }

    /// The element that holds `address`, exact elements first.
    public func element(holding address: IPAddress) -> NFTElement? {
        elements.first { $0.isExactly(address) } ?? elements.first { $0.contains(address) }
    }
}

/// A rule: where it is, its comment, its expressions as read, and the address matches among them.
public struct NFTRule: Sendable, Hashable {
    public var family: String
    public var table: String
    public var chain: String
    public var handle: Int
    public var comment: String?
    /// Every statement of the rule in order, as libnftables wrote it, for rewriting it.
    public var expressions: [NFTJSONValue]
    public var addressMatches: [NFTAddressMatch]

    public init(
        family: String,
        table: String,
        chain: String,
        handle: Int,
        comment: String? = nil,
        expressions: [NFTJSONValue] = [],
        addressMatches: [NFTAddressMatch] = []
    ) {
        self.family = family
        self.table = table
        self.chain = chain
        self.handle = handle
        self.comment = comment
        self.expressions = expressions
        self.addressMatches = addressMatches
    }

    /// `inet filter input handle 5`, as `nft replace rule` takes it.
    public var location: String { "\(family) \(table) \(chain) handle \(handle)" }

    /// Whether some positive `saddr`/`daddr` match of the rule takes `address`.
    public func matches(_ address: IPAddress) -> Bool {
        addressMatches.contains { $0.isPositive && $0.values.contains { $0.contains(address) } }
    }

    /// Every address the rule's positive matches name one by one.
    public var matchedAddresses: [IPAddress] {
        addressMatches.filter(\.isPositive).flatMap(\.values).compactMap {
            if case .address(let address) = $0 { return address }
            return nil
        }
    }
}

/// `ip saddr 10.1.0.7`, `ip6 daddr { fd00::7, fd00::8 }`, `ip saddr != 10.0.0.0/8`, `ip saddr @set`.
public struct NFTAddressMatch: Sendable, Hashable {
    /// `ip` or `ip6`.
    public var protocolName: String
    /// `saddr` or `daddr`.
    public var field: String
    /// `==`, `!=`, `in`, …
    public var operation: String
    public var values: [NFTElement]
    /// The set a `@name` right-hand side refers to.
    public var setName: String?

    public init(protocolName: String, field: String, operation: String, values: [NFTElement], setName: String? = nil) {
        self.protocolName = protocolName
        self.field = field
        self.operation = operation
        self.values = values
        self.setName = setName
    }

    public var isPositive: Bool { operation == "==" || operation == "in" }
}
