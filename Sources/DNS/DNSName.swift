/// A fully qualified domain name as a sequence of labels.
///
/// Equality and hashing ignore ASCII case, as RFC 4343 requires; the original spelling is kept for display.
/// Every value is valid by construction: labels hold 1…63 bytes and the wire form is at most 255 bytes.
public struct DNSName: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The labels from the leftmost (most specific) to the one below the root; the root name has none.
    public private(set) var labels: [[UInt8]]

    /// The root name `.`.
    public static let root = DNSName(validatedLabels: [])

    init(validatedLabels: [[UInt8]]) {
        self.labels = validatedLabels
    }

    /// Builds a name from raw labels, checking the RFC 1035 limits.
    public init(labels: [[UInt8]]) throws(DNSNameError) {
        var total = 1
        for label in labels {
            guard !label.isEmpty else { throw .emptyLabel }
            guard label.count <= 63 else { throw .labelTooLong(label.count) }
            total += label.count + 1
        }
        guard total <= 255 else { throw .nameTooLong(total) }
        self.labels = labels
    }

    /// Parses presentation form such as `www.lab.test.` or `www.lab.test` (always taken as absolute),
    /// with `\.` and `\DDD` escapes.
    public init(parsing text: String) throws(DNSNameError) {
        if text == "." || text.isEmpty {
            self = .root
            return
        }
        var labels: [[UInt8]] = []
        var current: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "."):
                guard !current.isEmpty else { throw .emptyLabel }
                labels.append(current)
                current = []
            case UInt8(ascii: "\\"):
                guard let next = bytes.popFirst() else { throw .badEscape(text) }
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) {
                    let digits = [next] + Array(bytes.prefix(2))
                    guard digits.count == 3, digits.allSatisfy({ (48...57).contains($0) }),
                        let value = UInt8(String(decoding: digits, as: UTF8.self))
                    else { throw .badEscape(text) }
                    bytes = bytes.dropFirst(2)
                    current.append(value)
                } else {
                    current.append(next)
                }
            default:
                current.append(byte)
            }
        }
        if !current.isEmpty { labels.append(current) }
        try self.init(labels: labels)
    }

    /// A string literal must be a valid name; use ``init(parsing:)`` for text from outside the program.
    public init(stringLiteral value: String) {
        do {
            try self.init(parsing: value)
        } catch {
            preconditionFailure("invalid domain name literal \"\(value)\": \(error)")
        }
    }

    /// Presentation form with a trailing dot; bytes outside printable ASCII and the special characters are escaped.
    public var description: String {
        if labels.isEmpty { return "." }
        var text = ""
        for label in labels {
            for byte in label {
                switch byte {
                case UInt8(ascii: "."), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: ";"),
                    UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "@"), UInt8(ascii: "$"):
                    text += "\\" + String(UnicodeScalar(byte))
                case 0x21...0x7E:
                    text += String(UnicodeScalar(byte))
                default:
                    let digits = String(byte)
                    text += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
                }
            }
            text += "."
        }
        return text
    }

    /// The length of the uncompressed wire form, including the final zero byte.
    public var wireLength: Int { labels.reduce(1) { $0 + $1.count + 1 } }

    /// The same name with ASCII letters lowercased: the canonical form TSIG and DNSSEC compute over.
    public var lowercased: DNSName {
        DNSName(validatedLabels: labels.map { $0.map(Self.lowercase) })
    }

    /// The name without its leftmost label; the root's parent is the root.
    public var parent: DNSName {
        DNSName(validatedLabels: Array(labels.dropFirst()))
    }

    /// True when `self` equals `zone` or lies below it.
    public func isSubdomain(of zone: DNSName) -> Bool {
        guard labels.count >= zone.labels.count else { return false }
        return DNSName(validatedLabels: Array(labels.suffix(zone.labels.count))) == zone
    }

    /// Prepends labels, e.g. `DNSName("lab.test").prepending("www")`.
    public func prepending(_ label: String) throws(DNSNameError) -> DNSName {
        let head = try DNSName(parsing: label)
        return try DNSName(labels: head.labels + labels)
    }

    /// The reverse-lookup name of an address: `4.3.2.1.in-addr.arpa.` or the nibble form under `ip6.arpa.`.
    public static func reverse(of address: DNSAddress) -> DNSName {
        var labels: [[UInt8]] = []
        switch address.family {
        case .ipv4:
            for byte in address.bytes.reversed() { labels.append(Array(String(byte).utf8)) }
            labels += [Array("in-addr".utf8), Array("arpa".utf8)]
        case .ipv6:
            let hex = Array("0123456789abcdef".utf8)
            for byte in address.bytes.reversed() {
                labels.append([hex[Int(byte & 0x0F)]])
                labels.append([hex[Int(byte >> 4)]])
            }
            labels += [Array("ip6".utf8), Array("arpa".utf8)]
        }
        return DNSName(validatedLabels: labels)
    }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        guard lhs.labels.count == rhs.labels.count else { return false }
        for (left, right) in zip(lhs.labels, rhs.labels) {
            guard left.count == right.count else { return false }
            for (a, b) in zip(left, right) where lowercase(a) != lowercase(b) { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(labels.count)
        for label in labels {
            hasher.combine(label.count)
            for byte in label { hasher.combine(Self.lowercase(byte)) }
        }
    }

    static func lowercase(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}

/// Why text or labels do not form a valid domain name.
public enum DNSNameError: Error, Hashable, Sendable, CustomStringConvertible {
    case emptyLabel
    case labelTooLong(Int)
    case nameTooLong(Int)
    case badEscape(String)

    public var description: String {
        switch self {
        case .emptyLabel: return "empty label (two dots in a row, or a leading dot)"
        case .labelTooLong(let count): return "label of \(count) bytes exceeds 63"
        case .nameTooLong(let count): return "name of \(count) bytes exceeds 255 in wire form"
        case .badEscape(let text): return "bad backslash escape in \"\(text)\""
        }
    }
}
