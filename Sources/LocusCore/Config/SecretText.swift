/// Why the content of a secret file was refused. Never holds the secret itself.
public struct SecretFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

/// A TSIG key as read from a key file.
public struct TSIGSecret: Sendable, Equatable {
    /// The name in a BIND `key "NAME" { … };` block; nil for a bare secret.
    public var keyName: String?
    /// The algorithm of a BIND block; nil for a bare secret.
    public var algorithm: String?
    /// The decoded secret.
    public var secret: [UInt8]

    public init(keyName: String? = nil, algorithm: String? = nil, secret: [UInt8]) {
        self.keyName = keyName
        self.algorithm = algorithm
        self.secret = secret
    }
}

/// Parsing of secret file contents. Pure: callers read the files.
public enum SecretText {
    /// A LISP shared key: the secret on one line, surrounding whitespace trimmed.
    public static func sharedKey(_ text: String) throws(SecretFormatError) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map(\.trimmingWhitespace).filter { !$0.isEmpty }
        guard let secret = lines.first else { throw SecretFormatError(reason: "the file is empty") }
        guard lines.count == 1 else {
            throw SecretFormatError(reason: "expected the secret on one line, found \(lines.count) lines")
        }
        return String(secret)
    }

    /// A TSIG key: the base64 secret alone, or a BIND `key "name" { algorithm …; secret "…"; };`
    /// block as `tsig-keygen` writes it.
    public static func tsigKey(_ text: String) throws(SecretFormatError) -> TSIGSecret {
        let tokens = try BINDTokenizer.tokens(of: text)
        if tokens.first == .word("key") {
            return try parseKeyBlock(tokens)
        }
        let lines = text.split(whereSeparator: \.isNewline).map(\.trimmingWhitespace).filter { !$0.isEmpty }
        guard lines.count == 1, let line = lines.first else {
            throw SecretFormatError(
                reason: lines.isEmpty
                    ? "the file is empty"
                    : "expected a base64 secret on one line or a BIND key { … }; block"
            )
        }
        return TSIGSecret(secret: try decodeBase64(String(line)))
    }

    private static func parseKeyBlock(_ tokens: [BINDTokenizer.Token]) throws(SecretFormatError) -> TSIGSecret {
        var index = 1
        func next() -> BINDTokenizer.Token? {
            defer { index += 1 }
            return index < tokens.count ? tokens[index] : nil
        }
        guard let nameToken = next(), let keyName = nameToken.text else {
            throw SecretFormatError(reason: "expected a key name after \"key\"")
        }
        guard next() == .open else { throw SecretFormatError(reason: "expected \"{\" after the key name") }
        var algorithm: String?
        var secret: [UInt8]?
        while let token = next(), token != .close {
            guard case .word(let statement) = token else {
                throw SecretFormatError(reason: "expected a statement such as \"secret\" in the key block")
            }
            guard let valueToken = next(), let value = valueToken.text, next() == .semicolon else {
                throw SecretFormatError(reason: "expected \"\(statement) VALUE;\" in the key block")
            }
            switch statement {
            case "algorithm": algorithm = value
            case "secret": secret = try decodeBase64(value)
            default: break
            }
        }
        guard let secret else { throw SecretFormatError(reason: "the key block has no secret") }
        return TSIGSecret(keyName: keyName, algorithm: algorithm, secret: secret)
    }

    /// Standard base64 (RFC 4648) with optional padding; whitespace is not allowed inside.
    static func decodeBase64(_ text: String) throws(SecretFormatError) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { values[Int(byte)] = UInt8(index) }
        var body = Array(text.utf8)
        var padding = 0
        while body.last == UInt8(ascii: "=") && padding < 2 {
            body.removeLast()
            padding += 1
        }
        guard !body.isEmpty, (body.count + padding) % 4 == 0 || padding == 0, body.count % 4 != 1,
            body.allSatisfy({ values[Int($0)] != 0xFF })
        else { throw SecretFormatError(reason: "the secret is not valid base64") }
        var result: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in body {
            buffer = buffer << 6 | UInt32(values[Int(byte)])
            bits += 6
            if bits >= 8 {
                bits -= 8
                result.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return result
    }
}

/// Splits BIND configuration text into words, quoted strings and punctuation, dropping comments.
enum BINDTokenizer {
    enum Token: Equatable {
        case word(String)
        case quoted(String)
        case open
        case close
        case semicolon

        var text: String? {
            switch self {
            case .word(let text), .quoted(let text): return text
            default: return nil
            }
        }
    }

    static func tokens(of text: String) throws(SecretFormatError) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let following = index + 1 < characters.count ? characters[index + 1] : nil
            if character.isWhitespace {
                index += 1
            } else if character == "#" || (character == "/" && following == "/") {
                while index < characters.count && !characters[index].isNewline { index += 1 }
            } else if character == "/" && following == "*" {
                index += 2
                while index + 1 < characters.count && !(characters[index] == "*" && characters[index + 1] == "/") {
                    index += 1
                }
                index += 2
            } else if character == "{" || character == "}" || character == ";" {
                tokens.append(character == "{" ? .open : character == "}" ? .close : .semicolon)
                index += 1
            } else if character == "\"" {
                guard let end = characters[(index + 1)...].firstIndex(of: "\"") else {
                    throw SecretFormatError(reason: "unterminated quoted string")
                }
                tokens.append(.quoted(String(characters[(index + 1)..<end])))
                index = end + 1
            } else {
                let start = index
                while index < characters.count, !characters[index].isWhitespace,
                    !"{};\"".contains(characters[index])
                {
                    index += 1
                }
                tokens.append(.word(String(characters[start..<index])))
            }
        }
        return tokens
    }
}
