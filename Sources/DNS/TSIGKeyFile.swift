/// Why a TSIG key file could not be read.
public enum TSIGKeyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file is neither a bare base64 secret nor a `key "name" { ... };` block.
    case syntax(line: Int, message: String)
    /// The secret is not valid base64.
    case badSecret
    /// An algorithm other than hmac-sha256 and hmac-sha1.
    case unsupportedAlgorithm(String)
    /// A bare secret carries no key name; the configuration must give one.
    case missingKeyName
    /// The file holds several key blocks and none (or more than one) has the wanted name.
    case keyNotFound(DNSName?)
    case badKeyName(String)

    public var description: String {
        switch self {
        case .syntax(let line, let message): return "line \(line): \(message)"
        case .badSecret: return "the secret is not valid base64"
        case .unsupportedAlgorithm(let name):
            return "unsupported TSIG algorithm \"\(name)\" (use hmac-sha256, or hmac-sha1 for old servers)"
        case .missingKeyName: return "the file holds only a secret: set the key name in the configuration"
        case .keyNotFound(let name):
            return name.map { "no key named \($0) in the file" } ?? "several keys in the file: name the one to use"
        case .badKeyName(let text): return "\"\(text)\" is not a valid key name"
        }
    }
}

extension TSIGKey {
    /// Reads a key file as `tsig-keygen` writes it, or a file holding only the base64 secret.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - name: the key name from the configuration; required for a bare secret, and selects the block
    ///     when the file holds several.
    ///   - algorithm: the algorithm for a bare secret (a block names its own).
    public init(
        keyFile text: String,
        name: DNSName? = nil,
        algorithm: TSIGAlgorithm = .hmacSHA256
    ) throws(TSIGKeyFileError) {
        let tokens = try KeyFileTokenizer.tokenize(text)
        if tokens.count == 1, case .word(let secretText) = tokens[0].kind {
            guard let name else { throw .missingKeyName }
            guard let secret = Base64.decode(secretText) else { throw .badSecret }
            self.init(name: name, algorithm: algorithm, secret: secret)
            return
        }
        var parser = KeyFileParser(tokens: tokens)
        let blocks = try parser.parseBlocks()
        let matching = name.map { wanted in blocks.filter { $0.name == wanted } } ?? blocks
        guard matching.count == 1 else { throw .keyNotFound(name) }
        self = matching[0]
    }
}

private struct KeyFileToken {
    enum Kind: Equatable {
        case word(String)
        case quoted(String)
        case punctuation(Character)
    }
    var kind: Kind
    var line: Int
}

private enum KeyFileTokenizer {
    static func tokenize(_ text: String) throws(TSIGKeyFileError) -> [KeyFileToken] {
        var tokens: [KeyFileToken] = []
        var characters = Array(text)[...]
        var line = 1
        while let character = characters.first {
            if character == "\n" {
                line += 1
                characters.removeFirst()
            } else if character.isWhitespace {
                characters.removeFirst()
            } else if character == "#" || (character == "/" && characters.dropFirst().first == "/") {
                while let next = characters.first, next != "\n" { characters.removeFirst() }
            } else if character == "/" && characters.dropFirst().first == "*" {
                characters.removeFirst(2)
                while !characters.isEmpty, !(characters.first == "*" && characters.dropFirst().first == "/") {
                    if characters.removeFirst() == "\n" { line += 1 }
                }
                guard !characters.isEmpty else { throw .syntax(line: line, message: "unterminated /* comment") }
                characters.removeFirst(2)
            } else if character == "\"" {
                characters.removeFirst()
                var value = ""
                while let next = characters.first, next != "\"" {
                    value.append(next)
                    characters.removeFirst()
                }
                guard !characters.isEmpty else { throw .syntax(line: line, message: "unterminated string") }
                characters.removeFirst()
                tokens.append(KeyFileToken(kind: .quoted(value), line: line))
            } else if "{};".contains(character) {
                tokens.append(KeyFileToken(kind: .punctuation(character), line: line))
                characters.removeFirst()
            } else {
                var value = ""
                while let next = characters.first, !next.isWhitespace, !"{};\"".contains(next) {
                    value.append(next)
                    characters.removeFirst()
                }
                tokens.append(KeyFileToken(kind: .word(value), line: line))
            }
        }
        return tokens
    }
}

private struct KeyFileParser {
    var tokens: ArraySlice<KeyFileToken>
    var lastLine: Int

    init(tokens: [KeyFileToken]) {
        self.tokens = tokens[...]
        self.lastLine = tokens.last?.line ?? 1
    }

    mutating func parseBlocks() throws(TSIGKeyFileError) -> [TSIGKey] {
        var keys: [TSIGKey] = []
        while !tokens.isEmpty { keys.append(try parseBlock()) }
        guard !keys.isEmpty else { throw .syntax(line: 1, message: "empty key file") }
        return keys
    }

    private mutating func next(_ expected: String) throws(TSIGKeyFileError) -> KeyFileToken {
        guard let token = tokens.popFirst() else {
            throw .syntax(line: lastLine, message: "file ends where \(expected) was expected")
        }
        return token
    }

    private mutating func expect(_ punctuation: Character) throws(TSIGKeyFileError) {
        let token = try next("\"\(punctuation)\"")
        guard token.kind == .punctuation(punctuation) else {
            throw .syntax(line: token.line, message: "expected \"\(punctuation)\"")
        }
    }

    private mutating func value(_ what: String) throws(TSIGKeyFileError) -> String {
        let token = try next(what)
        switch token.kind {
        case .word(let text), .quoted(let text): return text
        case .punctuation: throw .syntax(line: token.line, message: "expected \(what)")
        }
    }

    private mutating func parseBlock() throws(TSIGKeyFileError) -> TSIGKey {
        let keyword = try next("\"key\"")
        guard keyword.kind == .word("key") else {
            throw .syntax(line: keyword.line, message: "expected \"key\" or a bare base64 secret")
        }
        let nameText = try value("a key name")
        let name: DNSName
        do {
            name = try DNSName(parsing: nameText)
        } catch {
            throw .badKeyName(nameText)
        }
        try expect("{")
        var algorithm: TSIGAlgorithm? = nil
        var secret: [UInt8]? = nil
        while let token = tokens.first, token.kind != .punctuation("}") {
            let field = try value("algorithm or secret")
            switch field.lowercased() {
            case "algorithm":
                let text = try value("an algorithm name")
                guard let parsed = try? DNSName(parsing: text), let known = TSIGAlgorithm(name: parsed) else {
                    throw .unsupportedAlgorithm(text)
                }
                algorithm = known
            case "secret":
                guard let decoded = Base64.decode(try value("a base64 secret")) else { throw .badSecret }
                secret = decoded
            default:
                throw .syntax(line: token.line, message: "unknown key field \"\(field)\"")
            }
            try expect(";")
        }
        try expect("}")
        try expect(";")
        guard let algorithm else { throw .syntax(line: keyword.line, message: "key \(name) has no algorithm") }
        guard let secret else { throw .syntax(line: keyword.line, message: "key \(name) has no secret") }
        return TSIGKey(name: name, algorithm: algorithm, secret: secret)
    }
}

/// RFC 4648 base64, so the codec needs no Foundation.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Decodes padded or unpadded base64; whitespace is ignored. Nil for any other character.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        var padding = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { continue }
            guard padding == 0, let index = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt8(index))
        }
        guard padding <= 2, values.count % 4 != 1, (values.count + padding) % 4 == 0 || padding == 0 else {
            return nil
        }
        var bytes: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            let padded = Array(chunk) + Array(repeating: 0, count: 4 - chunk.count)
            let combined =
                UInt32(padded[0]) << 18 | UInt32(padded[1]) << 12 | UInt32(padded[2]) << 6 | UInt32(padded[3])
            let produced = [UInt8(combined >> 16 & 0xFF), UInt8(combined >> 8 & 0xFF), UInt8(combined & 0xFF)]
            bytes += produced.prefix(chunk.count - 1)
            index += 4
        }
        return bytes
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let padded = Array(chunk) + Array(repeating: 0, count: 3 - chunk.count)
            let combined = UInt32(padded[0]) << 16 | UInt32(padded[1]) << 8 | UInt32(padded[2])
            for position in 0..<4 {
                if position <= chunk.count {
                    output.append(alphabet[Int(combined >> (18 - 6 * UInt32(position)) & 0x3F)])
                } else {
                    output.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
