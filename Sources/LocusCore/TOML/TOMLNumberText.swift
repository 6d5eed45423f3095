/// Integers and floats as TOML 1.0 writes them.
///
/// Swift's own number parsing accepts more than TOML does (`Inf`, `1_.2`,
/// `0x-1`, leading zeros), so the token is walked along TOML's grammar first
/// and only then converted.
enum TOMLNumberText {
    static func kind(of token: ArraySlice<UInt8>) throws(TOMLScalarError) -> TOMLValue.Kind {
        let bytes = Array(token)
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), let radix = prefixedRadix(bytes[1]) {
            var cursor = 2
            let digits = try scanDigits(bytes, &cursor, radix: radix)
            guard cursor == bytes.count else { throw TOMLScalarError() }
            guard let value = Int64(digits, radix: radix) else { throw outOfRange }
            return .integer(value)
        }
        var cursor = 0
        var plain = ""
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            plain.append(Character(Unicode.Scalar(sign)))
            cursor += 1
        }
        let integerPart = try scanDigits(bytes, &cursor, radix: 10)
        if integerPart.count > 1 && integerPart.hasPrefix("0") {
            throw TOMLScalarError("leading zeros are not allowed")
        }
        plain += integerPart
        var isFloat = false
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") {
            cursor += 1
            plain += "." + (try scanDigits(bytes, &cursor, radix: 10))
            isFloat = true
        }
        if cursor < bytes.count, bytes[cursor] | 0x20 == UInt8(ascii: "e") {
            cursor += 1
            plain += "e"
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "+") || bytes[cursor] == UInt8(ascii: "-") {
                plain.append(Character(Unicode.Scalar(bytes[cursor])))
                cursor += 1
            }
            plain += try scanDigits(bytes, &cursor, radix: 10)
            isFloat = true
        }
        guard cursor == bytes.count else { throw TOMLScalarError() }
        if isFloat {
            guard let value = Double(plain) else { throw TOMLScalarError() }
            return .float(value)
        }
        guard let value = Int64(plain) else { throw outOfRange }
        return .integer(value)
    }

    private static let outOfRange = TOMLScalarError("does not fit in a 64-bit integer")

    private static func prefixedRadix(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "x"): return 16
        case UInt8(ascii: "o"): return 8
        case UInt8(ascii: "b"): return 2
        default: return nil
        }
    }

    /// `DIGIT *( DIGIT / "_" DIGIT )` from `cursor`, returned without its underscores.
    private static func scanDigits(
        _ bytes: [UInt8],
        _ cursor: inout Int,
        radix: Int
    ) throws(TOMLScalarError) -> String {
        var digits = ""
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if isDigit(byte, radix: radix) {
                digits.append(Character(Unicode.Scalar(byte)))
                cursor += 1
            } else if byte == UInt8(ascii: "_") {
                guard !digits.isEmpty, cursor + 1 < bytes.count, isDigit(bytes[cursor + 1], radix: radix) else {
                    throw TOMLScalarError("an underscore must stand between two digits")
                }
                cursor += 1
            } else {
                break
            }
        }
        guard !digits.isEmpty else { throw TOMLScalarError() }
        return digits
    }

    private static func isDigit(_ byte: UInt8, radix: Int) -> Bool {
        switch radix {
        case 2: return byte == UInt8(ascii: "0") || byte == UInt8(ascii: "1")
        case 8: return (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte)
        case 16:
            return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
        default: return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}
