import Foundation

/// Why a ruleset could not be read; names what was expected, so an operator can tell a wrong
/// `command` (it printed something else) from an nft too old or too new.
public struct NFTDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

extension NFTRuleset {
    /// Reads the output of `nft -j list ruleset` (or `list set`, `list table`): objects it does not
    /// use (tables, chains, maps, flowtables, metainfo) are passed over; a set or rule it uses but
    /// cannot read is an error naming it.
    public init(json data: some DataProtocol) throws(NFTDecodingError) {
        let document: NFTJSONValue
        do {
            document = try JSONDecoder().decode(NFTJSONValue.self, from: Data(data))
        } catch {
            let text = String(decoding: data.prefix(60), as: UTF8.self)
            throw NFTDecodingError("not JSON (does the command have -j?): starts with \"\(text)\"")
        }
        guard let objects = document["nftables"]?.array else {
            throw NFTDecodingError("expected an object with an \"nftables\" array, as `nft -j list ruleset` prints")
        }
        var sets: [NFTSet] = []
        var rules: [NFTRule] = []
        for (index, object) in objects.enumerated() {
            guard let (key, body) = object.tagged else {
                throw NFTDecodingError("nftables[\(index)]: expected an object with one key, like {\"set\": …}")
            }
            switch key {
            case "set":
                sets.append(try NFTSet(json: body, index: index))
            case "rule":
                rules.append(try NFTRule(json: body, index: index))
            default:
                continue
            }
        }
        self.init(sets: sets, rules: rules)
    }
}

extension NFTSet {
    init(json body: NFTJSONValue, index: Int) throws(NFTDecodingError) {
        guard let family = body["family"]?.string, let table = body["table"]?.string, let name = body["name"]?.string
        else {
            throw NFTDecodingError("nftables[\(index)]: a set without family, table and name")
        }
        let reference = NFTSetReference(family: family, table: table, name: name)
        let type: String
        switch body["type"] {
        case .string(let text)?: type = text
        case .array(let parts)?: type = parts.compactMap(\.string).joined(separator: " . ")
        case let value?: type = Self.typeofType(value) ?? "?"
        default: type = "?"
        }
        let flags: [String]
        switch body["flags"] {
        case .string(let flag)?: flags = [flag]
        case .array(let list)?: flags = list.compactMap(\.string)
        default: flags = []
        }
        let elements: [NFTElement]
        switch body["elem"] {
        case nil: elements = []
        case .array(let list)?: elements = list.map(NFTElement.init(json:))
        default: throw NFTDecodingError("set \(reference): \"elem\" is not a list")
        }
        self.init(reference: reference, type: type, flags: flags, elements: elements)
    }

    /// The address type of a set declared `typeof ip saddr`, where nft writes the expression rather
    /// than its type: `{"typeof": {"payload": {"protocol": "ip", "field": "saddr"}}}`.
    static func typeofType(_ value: NFTJSONValue) -> String? {
        guard let (key, body) = value.tagged, key == "typeof", let (kind, payload) = body.tagged, kind == "payload",
            let field = payload["field"]?.string, field == "saddr" || field == "daddr"
        else { return nil }
        switch payload["protocol"]?.string {
        case "ip": return "ipv4_addr"
        case "ip6": return "ipv6_addr"
        default: return nil
        }
    }
}

extension NFTRule {
    init(json body: NFTJSONValue, index: Int) throws(NFTDecodingError) {
        guard let family = body["family"]?.string, let table = body["table"]?.string,
            let chain = body["chain"]?.string, let handle = body["handle"]?.integer
        else {
            throw NFTDecodingError("nftables[\(index)]: a rule without family, table, chain and handle")
        }
        let expressions = body["expr"]?.array ?? []
        self.init(
            family: family,
            table: table,
            chain: chain,
            handle: handle,
            comment: body["comment"]?.string,
            expressions: expressions,
            addressMatches: expressions.compactMap(NFTAddressMatch.init(json:))
        )
    }
}

extension NFTAddressMatch {
    /// A `match` whose left side is the `saddr` or `daddr` payload of `ip` or `ip6`; nil for any other statement.
    init?(json statement: NFTJSONValue) {
        guard let (key, body) = statement.tagged, key == "match",
            let payload = body["left"]?["payload"], let protocolName = payload["protocol"]?.string,
            protocolName == "ip" || protocolName == "ip6",
            let field = payload["field"]?.string, field == "saddr" || field == "daddr",
            let right = body["right"]
        else { return nil }
        let operation = body["op"]?.string ?? "=="
        if let text = right.string, text.hasPrefix("@") {
            self.init(
                protocolName: protocolName,
                field: field,
                operation: operation,
                values: [],
                setName: String(text.dropFirst())
            )
            return
        }
        let values: [NFTElement]
        if let members = right["set"]?.array {
            values = members.map(NFTElement.init(json:))
        } else {
            values = [NFTElement(json: right)]
        }
        self.init(protocolName: protocolName, field: field, operation: operation, values: values)
    }
}
