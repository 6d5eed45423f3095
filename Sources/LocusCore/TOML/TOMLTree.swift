/// The mutable tree a document is read into before it is frozen into values.
///
/// TOML lets later headers add to tables created earlier (`[a.b]` after
/// `[a]`, `[[a.b]]` appending to the last `[[a]]`), so parsing needs shared,
/// mutable nodes; the public result is made of value types.
final class TOMLTableNode {
    enum Origin {
        /// Created by a `[header]`.
        case header
        /// Created on the way to a deeper header; a later `[header]` may still define it.
        case implicit
        /// Created by a dotted key (`a.b = 1`); closed to headers.
        case dottedKey
        /// An inline `{ ... }` table; closed to everything after its `}`.
        case inline
        /// An element of a `[[array]]`.
        case arrayElement
    }

    enum Child {
        case value(TOMLValue)
        case table(TOMLTableNode)
        case tableArray(line: Int, [TOMLTableNode])
    }

    let line: Int
    var origin: Origin
    private(set) var keys: [String] = []
    private(set) var children: [String: Child] = [:]

    init(line: Int, origin: Origin) {
        self.line = line
        self.origin = origin
    }

    subscript(key: String) -> Child? {
        get { children[key] }
        set {
            if children[key] == nil { keys.append(key) }
            children[key] = newValue
        }
    }

    func frozen() -> TOMLTable {
        TOMLTable(
            line: line,
            entries: keys.map { key in
                switch children[key]! {
                case .value(let value):
                    return (key, value)
                case .table(let node):
                    return (key, TOMLValue(line: node.line, kind: .table(node.frozen())))
                case .tableArray(let line, let nodes):
                    let elements = nodes.map { TOMLValue(line: $0.line, kind: .table($0.frozen())) }
                    return (key, TOMLValue(line: line, kind: .array(elements)))
                }
            }
        )
    }
}
