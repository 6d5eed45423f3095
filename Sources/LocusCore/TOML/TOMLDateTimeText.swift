/// Dates and times as TOML 1.0 writes them (RFC 3339, with `T` optionally a space and
/// the date or the offset optionally left out), checked field by field.
///
/// Values are kept as written; checking them here means a `2023-02-30` in a
/// file is refused at its line rather than surfacing later as something odd.
enum TOMLDateTimeText {
    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// `YYYY-MM-DD`, exactly: the start of a date-time whose time follows a space.
    static func isDate(_ token: ArraySlice<UInt8>) -> Bool {
        token.count == 10 && startsLikeDateOrTime(token)
    }

    /// Four digits and `-` (a date) or two digits and `:` (a time): nothing else in TOML starts so.
    static func startsLikeDateOrTime(_ token: ArraySlice<UInt8>) -> Bool {
        let bytes = Array(token.prefix(5))
        if bytes.count == 5, bytes[0..<4].allSatisfy(isDigit), bytes[4] == UInt8(ascii: "-") { return true }
        return bytes.count >= 3 && isDigit(bytes[0]) && isDigit(bytes[1]) && bytes[2] == UInt8(ascii: ":")
    }

    static func kind(of token: ArraySlice<UInt8>) throws(TOMLScalarError) -> TOMLValue.Kind {
        var fields = Fields(bytes: Array(token))
        let text = String(decoding: token, as: UTF8.self)
        var hasDate = false
        if fields.bytes.count > 4 && fields.bytes[4] == UInt8(ascii: "-") {
            try fields.readDate()
            hasDate = true
            if fields.atEnd { return .localDate(text) }
            guard fields.take("T") || fields.take("t") || fields.take(" ") else {
                throw TOMLScalarError("expected `T` or a space between the date and the time")
            }
        }
        try fields.readTime()
        if fields.atEnd { return hasDate ? .localDateTime(text) : .localTime(text) }
        guard hasDate else { throw TOMLScalarError("a time of day alone cannot have an offset") }
        try fields.readOffset()
        guard fields.atEnd else { throw TOMLScalarError("unexpected text after the offset") }
        return .dateTime(text)
    }

    private struct Fields {
        let bytes: [UInt8]
        var cursor = 0

        var atEnd: Bool { cursor == bytes.count }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: character) else { return false }
            cursor += 1
            return true
        }

        mutating func expect(_ character: Unicode.Scalar, after field: String) throws(TOMLScalarError) {
            guard take(character) else { throw TOMLScalarError("expected `\(character)` after the \(field)") }
        }

        /// Exactly `count` digits: TOML requires the leading zeros (`07`, not `7`).
        mutating func number(
            _ field: String,
            digits count: Int,
            in range: ClosedRange<Int>
        ) throws(TOMLScalarError) -> Int {
            var value = 0
            for offset in 0..<count {
                guard cursor + offset < bytes.count, TOMLDateTimeText.isDigit(bytes[cursor + offset]) else {
                    throw TOMLScalarError("the \(field) must have \(count) digits")
                }
                value = value * 10 + Int(bytes[cursor + offset] - UInt8(ascii: "0"))
            }
            cursor += count
            guard range.contains(value) else {
                throw TOMLScalarError("\(field) \(value) is out of range (\(range.lowerBound)–\(range.upperBound))")
            }
            return value
        }

        mutating func readDate() throws(TOMLScalarError) {
            let year = try number("year", digits: 4, in: 0...9999)
            try expect("-", after: "year")
            let month = try number("month", digits: 2, in: 1...12)
            try expect("-", after: "month")
            let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            _ = try number("day", digits: 2, in: 1...days)
        }

        mutating func readTime() throws(TOMLScalarError) {
            _ = try number("hour", digits: 2, in: 0...23)
            try expect(":", after: "hour")
            _ = try number("minute", digits: 2, in: 0...59)
            try expect(":", after: "minute (TOML requires the seconds)")
            // 60 is a leap second, which RFC 3339 allows.
            _ = try number("second", digits: 2, in: 0...60)
            if take(".") {
                let start = cursor
                while cursor < bytes.count, TOMLDateTimeText.isDigit(bytes[cursor]) { cursor += 1 }
                guard cursor > start else { throw TOMLScalarError("expected digits after the `.` of the seconds") }
            }
        }

        mutating func readOffset() throws(TOMLScalarError) {
            if take("Z") || take("z") { return }
            guard take("+") || take("-") else { throw TOMLScalarError("expected `Z`, `+HH:MM` or `-HH:MM`") }
            _ = try number("offset hour", digits: 2, in: 0...23)
            try expect(":", after: "offset hour")
            _ = try number("offset minute", digits: 2, in: 0...59)
        }
    }
}
