/// Values: strings, numbers, booleans, dates, arrays and inline tables.
extension TOMLParser {
    mutating func parseValue(keyLine: Int) throws(TOMLError) -> TOMLValue {
        let valueLine = line
        switch peek() {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"") {
                return TOMLValue(line: keyLine, kind: .string(try parseMultilineString(literal: false)))
            }
            return TOMLValue(line: keyLine, kind: .string(try parseBasicString()))
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'") {
                return TOMLValue(line: keyLine, kind: .string(try parseMultilineString(literal: true)))
            }
            return TOMLValue(line: keyLine, kind: .string(try parseLiteralString()))
        case UInt8(ascii: "["):
            return TOMLValue(line: keyLine, kind: .array(try parseArray()))
        case UInt8(ascii: "{"):
            return TOMLValue(line: keyLine, kind: .table(try parseInlineTable(line: valueLine)))
        case nil, UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"):
            throw error("expected a value after `=`")
        default:
            return TOMLValue(line: keyLine, kind: try parseScalar())
        }
    }

    // MARK: Strings

    mutating func parseBasicString() throws(TOMLError) -> String {
        advance()  // "
        var result: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                advance()
                return String(decoding: result, as: UTF8.self)
            case UInt8(ascii: "\\"):
                result.append(contentsOf: try parseEscape())
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw error("unterminated string (a basic string ends on its line; use \"\"\" for several lines)")
            default:
                if byte < 0x20 && byte != UInt8(ascii: "\t") || byte == 0x7F {
                    throw error("control character in a string; write it as an escape")
                }
                result.append(byte)
                advance()
            }
        }
    }

    mutating func parseLiteralString() throws(TOMLError) -> String {
        advance()  // '
        let start = index
        while true {
            guard let byte = peek() else { throw error("unterminated string") }
            if byte == UInt8(ascii: "'") { break }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                throw error("unterminated string (a literal string ends on its line; use ''' for several lines)")
            }
            advance()
        }
        let value = String(decoding: bytes[start..<index], as: UTF8.self)
        advance()
        return value
    }

    mutating func parseMultilineString(literal: Bool) throws(TOMLError) -> String {
        let quote = literal ? UInt8(ascii: "'") : UInt8(ascii: "\"")
        advance(3)
        // A newline right after the opening delimiter is not part of the string.
        if peek() == UInt8(ascii: "\n") || (peek() == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n")) {
            try consumeNewline()
        }
        var result: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("unterminated multi-line string") }
            if byte == quote && peek(1) == quote && peek(2) == quote {
                // Up to two quotes may stand right before the closing delimiter.
                var run = 3
                while run < 5 && peek(run) == quote { run += 1 }
                result.append(contentsOf: repeatElement(quote, count: run - 3))
                advance(run)
                return String(decoding: result, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                try consumeNewline()
                result.append(UInt8(ascii: "\n"))
            } else if !literal && byte == UInt8(ascii: "\\") && isLineEndingBackslash() {
                advance()
                while let next = peek(), [0x20, 0x09, 0x0A, 0x0D].contains(next) {
                    if next == 0x0A || next == 0x0D { try consumeNewline() } else { advance() }
                }
            } else if !literal && byte == UInt8(ascii: "\\") {
                result.append(contentsOf: try parseEscape())
            } else {
                result.append(byte)
                advance()
            }
        }
    }

    private func isLineEndingBackslash() -> Bool {
        var offset = 1
        while let byte = peek(offset), byte == 0x20 || byte == 0x09 { offset += 1 }
        return peek(offset) == 0x0A || peek(offset) == 0x0D
    }

    private mutating func parseEscape() throws(TOMLError) -> [UInt8] {
        advance()  // backslash
        guard let byte = peek() else { throw error("unterminated escape") }
        advance()
        switch byte {
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "e"): return [0x1B]
        case UInt8(ascii: "\""): return [0x22]
        case UInt8(ascii: "\\"): return [0x5C]
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            guard index + count <= bytes.count,
                let code = UInt32(String(decoding: bytes[index..<index + count], as: UTF8.self), radix: 16),
                let scalar = Unicode.Scalar(code)
            else {
                throw error("invalid unicode escape; expected \(count) hex digits of a Unicode scalar")
            }
            advance(count)
            return Array(String(Character(scalar)).utf8)
        default:
            index -= 1
            throw error("unknown escape `\\\(Character(Unicode.Scalar(byte)))`")
        }
    }

    // MARK: Arrays and inline tables

    private mutating func parseArray() throws(TOMLError) -> [TOMLValue] {
        advance()  // [
        var elements: [TOMLValue] = []
        while true {
            try skipWhitespaceCommentsAndNewlines()
            if peek() == UInt8(ascii: "]") {
                advance()
                return elements
            }
            elements.append(try parseValue(keyLine: line))
            try skipWhitespaceCommentsAndNewlines()
            switch peek() {
            case UInt8(ascii: ","):
                advance()
            case UInt8(ascii: "]"):
                advance()
                return elements
            default:
                throw error("expected `,` or `]` in the array, found \(describeNext())")
            }
        }
    }

    private mutating func skipWhitespaceCommentsAndNewlines() throws(TOMLError) {
        while true {
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: "#"): try skipComment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): try consumeNewline()
            default: return
            }
        }
    }

    private mutating func parseInlineTable(line tableLine: Int) throws(TOMLError) -> TOMLTable {
        advance()  // {
        let node = TOMLTableNode(line: tableLine, origin: .header)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            advance()
            return node.frozen()
        }
        while true {
            skipWhitespace()
            try parseKeyValue(into: node)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                advance()
            case UInt8(ascii: "}"):
                advance()
                return node.frozen()
            default:
                throw error("expected `,` or `}` in the inline table, found \(describeNext())")
            }
        }
    }

    // MARK: Scalars

    private mutating func parseScalar() throws(TOMLError) -> TOMLValue.Kind {
        let start = index
        let column = index - lineStart + 1
        while let byte = peek(), !Self.endsScalar(byte) { advance() }
        // A date and a time may be separated by one space: "1979-05-27 07:32:00".
        if peek() == UInt8(ascii: " "), let next = peek(1), (0x30...0x39).contains(next),
            Self.looksLikeDate(bytes[start..<index])
        {
            advance()
            while let byte = peek(), !Self.endsScalar(byte) { advance() }
        }
        let token = String(decoding: bytes[start..<index], as: UTF8.self)
        if let kind = Self.scalar(from: token) { return kind }
        throw TOMLError(line: line, column: column, message: "invalid value `\(token)`")
    }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ","),
            UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "#"):
            return true
        default:
            return false
        }
    }

    /// `YYYY-MM-DD` alone (`exactly`) or at the start of a date-time.
    private static func looksLikeDate(_ token: ArraySlice<UInt8>, exactly: Bool = true) -> Bool {
        (exactly ? token.count == 10 : token.count >= 10) && token[token.startIndex + 4] == UInt8(ascii: "-")
            && token[token.startIndex + 7] == UInt8(ascii: "-")
    }

    static func scalar(from token: String) -> TOMLValue.Kind? {
        switch token {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        let utf8 = Array(token.utf8)
        if looksLikeDate(utf8[...], exactly: false) || (utf8.count >= 8 && utf8[2] == UInt8(ascii: ":")) {
            return isDateTime(token) ? .dateTime(token) : nil
        }
        guard !token.contains("__"), !token.hasPrefix("_"), !token.hasSuffix("_") else { return nil }
        let plain = token.filter { $0 != "_" }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where plain.hasPrefix(prefix) {
            return Int64(plain.dropFirst(2), radix: radix).map { .integer($0) }
        }
        let unsigned = plain.hasPrefix("+") || plain.hasPrefix("-") ? plain.dropFirst() : plain[...]
        // Leading zeros are not allowed in decimal integers or in the integer part of floats.
        if unsigned.count > 1 && unsigned.hasPrefix("0") && !unsigned.hasPrefix("0.")
            && !unsigned.hasPrefix("0e") && !unsigned.hasPrefix("0E")
        {
            return nil
        }
        if plain.allSatisfy({ $0.isNumber || $0 == "+" || $0 == "-" }) {
            return Int64(plain).map { .integer($0) }
        }
        if plain.hasSuffix(".") || plain.contains(".e") || plain.contains(".E") || unsigned.hasPrefix(".") {
            return nil
        }
        return Double(plain).map { .float($0) }
    }

    private static func isDateTime(_ token: String) -> Bool {
        token.allSatisfy { $0.isNumber || "-:TtZz.+ ".contains($0) }
    }
}
