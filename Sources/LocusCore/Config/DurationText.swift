/// Why a duration text such as `"5x"` was refused.
public struct DurationSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let reason: String

    public var description: String { "bad duration \"\(text)\": \(reason)" }
}

extension Duration {
    /// Parses a duration as written in the config files: a whole number followed by a unit
    /// (`ms`, `s`, `m`, `h`, `d`), optionally several from largest to smallest, like `"1h30m"`.
    public init(configText text: String) throws(DurationSyntaxError) {
        let hint = "expected a number and a unit (ms, s, m, h, d), like \"500ms\", \"5s\", \"2m\", \"4h\" or \"1h30m\""
        guard !text.isEmpty else { throw DurationSyntaxError(text: text, reason: hint) }
        let units: [(String, Int64)] = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        var milliseconds: Int64 = 0
        var lastUnitIndex = -1
        var rest = Substring(text)
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isASCIIDigit)
            guard !digits.isEmpty else { throw DurationSyntaxError(text: text, reason: hint) }
            guard digits.count <= 12, let number = Int64(digits) else {
                throw DurationSyntaxError(text: text, reason: "the number is too large")
            }
            rest = rest.dropFirst(digits.count)
            let unitText = rest.prefix(while: { $0.isLetter })
            guard let unitIndex = units.firstIndex(where: { $0.0 == unitText }) else {
                let reason: String
                if !unitText.isEmpty {
                    reason = "unknown unit \"\(unitText)\"; \(hint)"
                } else if rest.isEmpty {
                    reason = "missing unit after \(digits); \(hint)"
                } else {
                    reason = "unexpected \"\(rest)\" after \(digits); \(hint)"
                }
                throw DurationSyntaxError(text: text, reason: reason)
            }
            guard unitIndex > lastUnitIndex else {
                throw DurationSyntaxError(
                    text: text,
                    reason: "write the units from largest to smallest, each once, like \"1h30m\""
                )
            }
            lastUnitIndex = unitIndex
            rest = rest.dropFirst(unitText.count)
            let (product, overflow) = number.multipliedReportingOverflow(by: units[unitIndex].1)
            guard !overflow, milliseconds <= Int64.max - product else {
                throw DurationSyntaxError(text: text, reason: "the duration is too large")
            }
            milliseconds += product
        }
        self = .milliseconds(milliseconds)
    }

    /// The shortest config text for this duration (`"90s"` prints as `"1m30s"`), rounded to milliseconds.
    public var configText: String {
        let (seconds, attoseconds) = components
        var milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        guard milliseconds > 0 else { return "0s" }
        var text = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] {
            let count = milliseconds / size
            if count > 0 {
                text += "\(count)\(unit)"
                milliseconds -= count * size
            }
        }
        return text
    }
}
