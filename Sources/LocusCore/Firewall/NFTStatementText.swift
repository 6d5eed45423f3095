/// Writes a rule's statements back in nft syntax, for `replace rule`.
///
/// Only what rules that name a workload's address commonly hold is written: matches on payload,
/// meta and ct keys, counters, log, limit-free verdicts. Anything else is refused by name rather
/// than guessed, so a rewritten rule never means something the original did not.
enum NFTStatementText {
    static func render(
        _ statement: NFTJSONValue,
        replacing old: IPAddress,
        with new: IPAddress
    ) throws(NFTRenderError) -> String {
        guard let (key, body) = statement.tagged else {
            throw NFTRenderError("a statement that is not a one-key object")
        }
        switch key {
        case "match":
            guard let left = body["left"], let right = body["right"] else {
                throw NFTRenderError("a match without left and right")
            }
            let operation = body["op"]?.string ?? "=="
            let op: String
            // `in` is nft's implicit match (a flag test for flag fields); `==` is exact equality and
            // must stay written, or `tcp flags == syn` would come back as the wider `tcp flags syn`.
            switch operation {
            case "in": op = ""
            case "==", "!=", "<", ">", "<=", ">=": op = operation + " "
            default: throw NFTRenderError("match operator \(operation)")
            }
            // Only what the plan counted changes: a positive match on an address; an exclusion of the
            // old address (`ip daddr != …`) stays as it was.
            let isAddressMatch = NFTAddressMatch(json: statement).map(\.isPositive) ?? false
            let replacement = isAddressMatch ? new : old
            return try "\(selector(left)) \(op)\(value(right, replacing: old, with: replacement))"
        case "accept", "drop", "continue", "return":
            return key
        case "reject":
            guard body != .null else { return "reject" }
            // nft's spelling of reject codes changed between releases: only the plain forms are written back.
            if body["type"]?.string == "tcp reset", body.object?.count == 1 { return "reject with tcp reset" }
            throw NFTRenderError("reject with a type or code")
        case "jump", "goto":
            guard let target = body["target"]?.string, NFTSetReference.isIdentifier(target) else {
                throw NFTRenderError("\(key) without a plain target")
            }
            return "\(key) \(target)"
        case "counter":
            // An anonymous counter (its packets and bytes restart); a named counter object is refused.
            if body != .null {
                guard let members = body.object, Set(members.keys).isSubset(of: ["packets", "bytes"]) else {
                    throw NFTRenderError("a named counter")
                }
            }
            return "counter"
        case "log":
            if body == .null { return "log" }
            guard let members = body.object, Set(members.keys).isSubset(of: ["prefix"]) else {
                throw NFTRenderError("a log with a level, group or flags")
            }
            guard let prefix = members["prefix"]?.string else { return "log" }
            return "log prefix \(try quoted(prefix))"
        default:
            throw NFTRenderError("the \(key) statement")
        }
    }

    private static func selector(_ left: NFTJSONValue) throws(NFTRenderError) -> String {
        guard let (key, body) = left.tagged else { throw NFTRenderError("a match on an unknown expression") }
        switch key {
        case "payload":
            guard let proto = body["protocol"]?.string, let field = body["field"]?.string,
                NFTSetReference.isIdentifier(proto), NFTSetReference.isIdentifier(field)
            else { throw NFTRenderError("a raw payload match") }
            return "\(proto) \(field)"
        case "meta", "ct":
            guard let name = body["key"]?.string, NFTSetReference.isIdentifier(name), body.object?.count == 1 else {
                throw NFTRenderError("a \(key) match with a direction or an unknown key")
            }
            return "\(key) \(name)"
        default:
            throw NFTRenderError("a match on \(key)")
        }
    }

    private static func value(
        _ right: NFTJSONValue,
        replacing old: IPAddress,
        with new: IPAddress
    ) throws(NFTRenderError) -> String {
        switch right {
        case .string(let text):
            if let address = IPAddress(text) { return (address == old ? new : address).description }
            if text.hasPrefix("@"), NFTSetReference.isIdentifier(String(text.dropFirst())) { return text }
            return NFTSetReference.isIdentifier(text) ? text : try quoted(text)
        case .number:
            guard let number = right.integer else { throw NFTRenderError("a fractional number") }
            return String(number)
        case .array(let members):
            // ct state { established, related } is written as a plain list.
            return try members.map { member throws(NFTRenderError) in try value(member, replacing: old, with: new) }
                .joined(separator: ",")
        default:
            guard let (key, body) = right.tagged else { throw NFTRenderError("an unknown value") }
            switch key {
            case "set":
                guard let members = body.array else { throw NFTRenderError("a set that is not a list") }
                let items = try members.map { member throws(NFTRenderError) in
                    try value(member, replacing: old, with: new)
                }
                return "{ " + items.joined(separator: ", ") + " }"
            case "prefix", "range":
                let element = NFTElement(json: right)
                if case .other = element { throw NFTRenderError("a \(key) that is not of addresses") }
                return element.description
            default:
                throw NFTRenderError("a \(key) value")
            }
        }
    }

    /// A string in double quotes; nft has no escape for a quote inside one, so such text is refused.
    static func quoted(_ text: String) throws(NFTRenderError) -> String {
        guard !text.contains(where: { $0 == "\"" || $0 == "\\" || $0.isNewline }) else {
            throw NFTRenderError("text with a quote, a backslash or a newline (\(text.debugDescription))")
        }
        return "\"\(text)\""
    }
}
