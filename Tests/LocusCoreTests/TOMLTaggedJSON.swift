import Foundation

@testable import LocusCore

/// Compares a parsed TOML value with toml-test's tagged JSON encoding.
///
/// Tables are JSON objects, arrays are JSON arrays, and every scalar is
/// `{"type": ..., "value": "..."}` with its value as text, so the comparison
/// is by value: floats numerically (nan equals nan), date-times after
/// normalising what TOML lets a document spell differently (`T`, `t` or a
/// space between date and time, `z` for `Z`, `.6` for `.600`).
enum TaggedJSON {
    /// `nil` when `value` matches `json`, else where and how they differ.
    static func mismatch(_ value: TOMLValue, _ json: Any, at path: String) -> String? {
        if let scalar = json as? [String: Any], scalar.count == 2, let type = scalar["type"] as? String,
            let text = scalar["value"] as? String
        {
            return scalarMismatch(value, type: type, text: text, at: path)
        }
        if let object = json as? [String: Any] {
            guard let table = value.table else { return "\(where: path) expected a table, got \(describe(value))" }
            let expectedKeys = Set(object.keys)
            let actualKeys = Set(table.keys)
            guard expectedKeys == actualKeys else {
                let missing = expectedKeys.subtracting(actualKeys).sorted()
                let extra = actualKeys.subtracting(expectedKeys).sorted()
                return "\(where: path) keys differ: missing \(missing), unexpected \(extra)"
            }
            for key in table.keys.sorted() {
                if let mismatch = mismatch(table[key]!, object[key]!, at: path + "." + key) { return mismatch }
            }
            return nil
        }
        if let array = json as? [Any] {
            guard let elements = value.array else { return "\(where: path) expected an array, got \(describe(value))" }
            guard elements.count == array.count else {
                return "\(where: path) expected \(array.count) elements, got \(elements.count)"
            }
            for (index, element) in elements.enumerated() {
                if let mismatch = mismatch(element, array[index], at: "\(path)[\(index)]") { return mismatch }
            }
            return nil
        }
        return "\(where: path) unreadable expectation \(json)"
    }

    private static func scalarMismatch(_ value: TOMLValue, type: String, text: String, at path: String) -> String? {
        let matches: Bool
        switch (type, value.kind) {
        case ("string", .string(let actual)):
            matches = Array(actual.unicodeScalars) == Array(text.unicodeScalars)
        case ("integer", .integer(let actual)):
            matches = Int64(text) == actual
        case ("float", .float(let actual)):
            matches = floatMatches(actual, text)
        case ("bool", .boolean(let actual)):
            matches = String(actual) == text
        case ("datetime", .dateTime(let actual)), ("datetime-local", .localDateTime(let actual)),
            ("date-local", .localDate(let actual)), ("time-local", .localTime(let actual)):
            matches = NormalisedDateTime(actual) != nil && NormalisedDateTime(actual) == NormalisedDateTime(text)
        default:
            matches = false
        }
        return matches ? nil : "\(where: path) expected \(type) \(text), got \(describe(value))"
    }

    private static func floatMatches(_ actual: Double, _ text: String) -> Bool {
        switch text {
        case "nan", "+nan", "-nan": return actual.isNaN
        case "inf", "+inf": return actual == .infinity
        case "-inf": return actual == -.infinity
        default:
            guard let expected = Double(text) else { return false }
            return expected == actual && expected.sign == actual.sign
        }
    }

    private static func describe(_ value: TOMLValue) -> String {
        switch value.kind {
        case .table(let table): return "table \(table.keys)"
        case .array(let elements): return "array of \(elements.count)"
        default: return "\(value.kind)"
        }
    }
}

extension String.StringInterpolation {
    fileprivate mutating func appendInterpolation(where path: String) {
        appendLiteral(path.isEmpty ? "at the root:" : "at \(path):")
    }
}

/// A date, time or date-time reduced to its value, for comparing spellings.
struct NormalisedDateTime: Equatable {
    var date: String?
    var time: String?
    var nanoseconds = 0
    var offsetMinutes: Int?

    init?(_ text: String) {
        var rest = Substring(text.uppercased())
        if rest.count >= 10, rest.dropFirst(4).first == "-" {
            date = String(rest.prefix(10))
            rest = rest.dropFirst(10)
            guard rest.isEmpty || rest.first == "T" || rest.first == " " else { return nil }
            rest = rest.dropFirst()
        }
        if !rest.isEmpty {
            guard rest.count >= 8 else { return nil }
            time = String(rest.prefix(8))
            rest = rest.dropFirst(8)
            if rest.first == "." {
                let digits = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty else { return nil }
                nanoseconds = Int((digits + String(repeating: "0", count: 9)).prefix(9))!
                rest = rest.dropFirst(1 + digits.count)
            }
            if rest == "Z" {
                offsetMinutes = 0
            } else if let sign = rest.first, sign == "+" || sign == "-", rest.count == 6,
                let hours = Int(rest.dropFirst().prefix(2)), let minutes = Int(rest.suffix(2))
            {
                offsetMinutes = (sign == "-" ? -1 : 1) * (hours * 60 + minutes)
            } else if !rest.isEmpty {
                return nil
            }
        }
        guard date != nil || time != nil else { return nil }
    }
}
