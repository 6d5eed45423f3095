/// Reads the structure of a document: headers, key/value lines, comments.
struct TOMLParser {
    var bytes: [UInt8]
    var index = 0
    var line = 1
    var lineStart = 0
    /// Tables and arrays open around the value being read: arrays, inline tables and dotted keys.
    var nesting = 0
    /// Deeper than any file an operator writes, and far from the stack's end: parsing a value recurses.
    static let maximumNesting = 100

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        try validateEncoding()
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        let root = TOMLTableNode(line: 1, origin: .header)
        var current = root
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case UInt8(ascii: "#"):
                try skipComment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
            case UInt8(ascii: "["):
                current = try parseHeader(root: root)
                try expectEndOfLine()
            default:
                try parseKeyValue(into: current)
                try expectEndOfLine()
            }
        }
        return root.frozen()
    }

    // MARK: Headers

    private mutating func parseHeader(root: TOMLTableNode) throws(TOMLError) -> TOMLTableNode {
        let headerLine = line
        advance()  // [
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { advance() }
        skipWhitespace()
        let path = try parseKeyPath()
        skipWhitespace()
        try expect("]", what: "`]` to close the table header")
        if isArray { try expect("]", what: "`]]` to close the array-of-tables header") }

        var node = root
        for (depth, key) in path.dropLast().enumerated() {
            node = try descend(into: node, key: key, path: path.prefix(depth + 1), line: headerLine)
        }
        let last = path[path.count - 1]
        let name = path.joined(separator: ".")
        if isArray {
            switch node[last] {
            case nil:
                let element = TOMLTableNode(line: headerLine, origin: .arrayElement)
                node[last] = .tableArray(line: headerLine, [element])
                return element
            case .tableArray(let line, var elements):
                let element = TOMLTableNode(line: headerLine, origin: .arrayElement)
                elements.append(element)
                node[last] = .tableArray(line: line, elements)
                return element
            case .table, .value:
                throw error("`\(name)` is already defined as a table or value, not an array of tables", at: headerLine)
            }
        }
        switch node[last] {
        case nil:
            let table = TOMLTableNode(line: headerLine, origin: .header)
            node[last] = .table(table)
            return table
        case .table(let table) where table.origin == .implicit:
            table.origin = .header
            return table
        case .table, .tableArray, .value:
            throw error("table `\(name)` is defined more than once", at: headerLine)
        }
    }

    /// Walks one step down a header path, creating intermediate tables as TOML allows.
    private func descend(
        into node: TOMLTableNode,
        key: String,
        path: ArraySlice<String>,
        line: Int
    ) throws(TOMLError) -> TOMLTableNode {
        switch node[key] {
        case nil:
            let table = TOMLTableNode(line: line, origin: .implicit)
            node[key] = .table(table)
            return table
        case .table(let table):
            if table.origin == .inline {
                throw error("inline table `\(path.joined(separator: "."))` cannot be extended", at: line)
            }
            return table
        case .tableArray(_, let elements):
            return elements[elements.count - 1]
        case .value:
            throw error("`\(path.joined(separator: "."))` is a value, not a table", at: line)
        }
    }

    // MARK: Key/value pairs

    mutating func parseKeyValue(into table: TOMLTableNode) throws(TOMLError) {
        let keyLine = line
        let path = try parseKeyPath()
        skipWhitespace()
        try expect("=", what: "`=` after the key")
        skipWhitespace()
        // A dotted key opens tables as nesting does: both count against the same limit.
        guard nesting + path.count - 1 < Self.maximumNesting else {
            throw error("keys and values nest deeper than \(Self.maximumNesting) levels", at: keyLine)
        }
        let value: TOMLValue
        do {
            nesting += path.count - 1
            defer { nesting -= path.count - 1 }
            value = try parseValue(keyLine: keyLine)
        }

        var node = table
        for (depth, key) in path.dropLast().enumerated() {
            switch node[key] {
            case nil:
                let child = TOMLTableNode(line: keyLine, origin: .dottedKey)
                node[key] = .table(child)
                node = child
            case .table(let child) where child.origin == .dottedKey || child.origin == .implicit:
                node = child
            default:
                let name = path.prefix(depth + 1).joined(separator: ".")
                throw error("`\(name)` is already defined and cannot take dotted keys", at: keyLine)
            }
        }
        let last = path[path.count - 1]
        guard node[last] == nil else {
            throw error("key `\(path.joined(separator: "."))` is defined more than once", at: keyLine)
        }
        if case .table(let inline) = value.kind {
            let child = TOMLTableNode(line: keyLine, origin: .inline)
            for (key, entry) in inline.entries { child[key] = .value(entry) }
            node[last] = .table(child)
        } else {
            node[last] = .value(value)
        }
    }

    /// `a.b."c d"` → ["a", "b", "c d"].
    mutating func parseKeyPath() throws(TOMLError) -> [String] {
        var path: [String] = []
        while true {
            skipWhitespace()
            guard path.count < Self.maximumNesting else {
                throw error("a key of more than \(Self.maximumNesting) dotted parts")
            }
            path.append(try parseSimpleKey())
            skipWhitespace()
            guard peek() == UInt8(ascii: ".") else { return path }
            advance()
        }
    }

    private mutating func parseSimpleKey() throws(TOMLError) -> String {
        switch peek() {
        case UInt8(ascii: "\""):
            return try parseBasicString()
        case UInt8(ascii: "'"):
            return try parseLiteralString()
        default:
            let start = index
            while let byte = peek(), Self.isBareKeyByte(byte) { advance() }
            guard index > start else {
                throw error("expected a key, found \(describeNext())")
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    // MARK: Lexical helpers

    func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    mutating func advance(_ count: Int = 1) {
        index += count
    }

    mutating func skipWhitespace() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { advance() }
    }

    mutating func skipComment() throws(TOMLError) {
        while let byte = peek(), byte != UInt8(ascii: "\n") {
            if byte == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n") { break }
            if byte < 0x20 && byte != UInt8(ascii: "\t") || byte == 0x7F {
                throw error("control character in a comment")
            }
            advance()
        }
    }

    mutating func consumeNewline() throws(TOMLError) {
        if peek() == UInt8(ascii: "\r") {
            guard peek(1) == UInt8(ascii: "\n") else { throw error("carriage return without line feed") }
            advance()
        }
        advance()
        line += 1
        lineStart = index
    }

    /// After a header or key/value: only whitespace and a comment may follow on the line.
    mutating func expectEndOfLine() throws(TOMLError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") { try skipComment() }
        guard let byte = peek() else { return }
        guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
            throw error("expected the end of the line, found \(describeNext())")
        }
        try consumeNewline()
    }

    mutating func expect(_ character: Unicode.Scalar, what: String) throws(TOMLError) {
        guard peek() == UInt8(ascii: character) else {
            throw error("expected \(what), found \(describeNext())")
        }
        advance()
    }

    func describeNext() -> String {
        guard let byte = peek() else { return "the end of the file" }
        switch byte {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return "the end of the line"
        case 0x20..<0x7F: return "`\(Character(Unicode.Scalar(byte)))`"
        default: return "byte 0x\(String(byte, radix: 16))"
        }
    }

    func error(_ message: String, at errorLine: Int? = nil) -> TOMLError {
        if let errorLine, errorLine != line {
            return TOMLError(line: errorLine, column: 1, message: message)
        }
        return TOMLError(line: line, column: index - lineStart + 1, message: message)
    }
}
