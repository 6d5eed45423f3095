/// A `host:port` endpoint, for example a map-resolver at `127.0.0.1:4342`.
///
/// The host is an IPv4 address, a bracketed IPv6 address (`[::1]:4342`) or a DNS name.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; a port of 0 is refused since every endpoint here is one to connect to.
    public init(parsing text: String) throws(AddressSyntaxError) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw AddressSyntaxError(text: text, reason: "missing \"]\" after the IPv6 address")
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else {
                throw AddressSyntaxError(text: text, reason: "expected HOST:PORT, like [::1]:4342")
            }
            portPart = rest.dropFirst()
            guard let address = IPAddress(hostPart), address.family == .ipv6 else {
                throw AddressSyntaxError(text: text, reason: "\"\(hostPart)\" is not an IPv6 address")
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw AddressSyntaxError(text: text, reason: "expected HOST:PORT, like 127.0.0.1:4342")
            }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") {
                throw AddressSyntaxError(text: text, reason: "an IPv6 address needs brackets, like [::1]:4342")
            }
            guard Self.isValidHostName(hostPart) else {
                throw AddressSyntaxError(text: text, reason: "\"\(hostPart)\" is not an IPv4 address or host name")
            }
            if hostPart.allSatisfy({ $0.isASCIIDigit || $0 == "." }), IPAddress(hostPart) == nil {
                throw AddressSyntaxError(text: text, reason: "\"\(hostPart)\" is not an IPv4 address")
            }
        }
        guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy(\.isASCIIDigit), let port = Int(portPart),
            (1...65535).contains(port)
        else {
            throw AddressSyntaxError(text: text, reason: "port must be a number from 1 to 65535")
        }
        self.host = String(hostPart)
        self.port = UInt16(port)
    }

    /// The host as an IP address, or nil when it is a DNS name.
    public var address: IPAddress? { IPAddress(host) }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    static func isValidHostName(_ name: Substring) -> Bool {
        guard !name.isEmpty, name.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}
