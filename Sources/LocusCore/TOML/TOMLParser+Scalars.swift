/// Bare values (booleans, numbers, dates and times): read as one token, then checked against
/// TOML's grammar so that a typo is refused where it was written instead of read as something else.
extension TOMLParser {
    mutating func parseScalar() throws(TOMLError) -> TOMLValue.Kind {
        let start = index
        let column = index - lineStart + 1
        while let byte = peek(), !Self.endsScalar(byte) { advance() }
        // A date and a time may be separated by one space: "1979-05-27 07:32:00".
        if peek() == UInt8(ascii: " "), let next = peek(1), TOMLDateTimeText.isDigit(next),
            TOMLDateTimeText.isDate(bytes[start..<index])
        {
            advance()
            while let byte = peek(), !Self.endsScalar(byte) { advance() }
        }
        let token = bytes[start..<index]
        do {
            return try Self.scalar(from: token)
        } catch {
            let text = String(decoding: token, as: UTF8.self)
            throw TOMLError(line: line, column: column, message: "invalid value `\(text)`\(error.suffix)")
        }
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

    static func scalar(from token: ArraySlice<UInt8>) throws(TOMLScalarError) -> TOMLValue.Kind {
        switch String(decoding: token, as: UTF8.self) {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if TOMLDateTimeText.startsLikeDateOrTime(token) {
            return try TOMLDateTimeText.kind(of: token)
        }
        if let first = token.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first | 0x20) {
            throw TOMLScalarError("a string needs quotes")
        }
        return try TOMLNumberText.kind(of: token)
    }
}

/// Why a bare value is not valid TOML; an empty reason leaves the value to speak for itself.
struct TOMLScalarError: Error {
    let reason: String

    init(_ reason: String = "") {
        self.reason = reason
    }

    var suffix: String { reason.isEmpty ? "" : ": \(reason)" }
}
