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
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            guard nesting < Self.maximumNesting else {
                throw error("arrays and inline tables nest deeper than \(Self.maximumNesting) levels")
            }
            nesting += 1
            defer { nesting -= 1 }
            if peek() == UInt8(ascii: "[") {
                return TOMLValue(line: keyLine, kind: .array(try parseArray()))
            }
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
                try checkNotControl(byte)
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
            try checkNotControl(byte)
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
                try checkNotControl(byte)
                result.append(byte)
                advance()
            }
        }
    }

    /// TOML strings may hold a tab but no other control character: those must be escaped, which a
    /// literal string cannot do.
    private func checkNotControl(_ byte: UInt8) throws(TOMLError) {
        if byte < 0x20 && byte != UInt8(ascii: "\t") || byte == 0x7F {
            let code = "U+00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            throw error("control character \(code) in a string; in a basic string write it as an escape (\\u00XX)")
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
}
