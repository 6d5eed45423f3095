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
            switch operation {
            case "==", "in": op = ""
            case "!=", "<", ">", "<=", ">=": op = operation + " "
            default: throw NFTRenderError("match operator \(operation)")
            }
            return try "\(selector(left)) \(op)\(value(right, replacing: old, with: new))"
        case "accept", "drop", "continue", "return":
            return key
        case "reject":
            return body == .null ? "reject" : try rejectText(body)
        case "jump", "goto":
            guard let target = body["target"]?.string, NFTSetReference.isIdentifier(target) else {
                throw NFTRenderError("\(key) without a plain target")
            }
            return "\(key) \(target)"
        case "counter":
            return "counter"
        case "log":
            guard let prefix = body["prefix"]?.string else { return "log" }
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

    private static func rejectText(_ body: NFTJSONValue) throws(NFTRenderError) -> String {
        guard let type = body["type"]?.string else { return "reject" }
        if type == "tcp reset" { return "reject with tcp reset" }
        guard NFTSetReference.isIdentifier(type) else { throw NFTRenderError("reject with \(type)") }
        guard let expression = body["expr"]?.string else { return "reject with \(type)" }
        guard NFTSetReference.isIdentifier(expression) else { throw NFTRenderError("reject with \(expression)") }
        return "reject with \(type) \(expression)"
    }

    /// A string in double quotes; nft has no escape for a quote inside one, so such text is refused.
    static func quoted(_ text: String) throws(NFTRenderError) -> String {
        guard !text.contains(where: { $0 == "\"" || $0 == "\\" || $0.isNewline }) else {
            throw NFTRenderError("text with a quote, a backslash or a newline (\(text.debugDescription))")
        }
        return "\"\(text)\""
    }
}
