import LISP
import NIOCore

extension IPAddress {
    /// The IP of a socket address; `nil` for a UNIX-domain address.
    init?(_ socketAddress: SocketAddress) {
        guard let text = socketAddress.ipAddress else { return nil }
        // An IPv6 address may carry a zone ("fe80::1%eth0"); LISP has no field for it.
        let bare = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        self.init(bare)
    }

    /// The socket address of this IP at `port`.
    func socketAddress(port: Int) throws -> SocketAddress {
        try SocketAddress(ipAddress: self.description, port: port)
    }

    /// The number of leading bits both addresses share; 0 across families.
    func commonPrefixLength(with other: IPAddress) -> Int {
        switch (self, other) {
        case (.v4(let a), .v4(let b)):
            return min(32, (a.rawValue ^ b.rawValue).leadingZeroBitCount)
        case (.v6(let a), .v6(let b)):
            let high = (a.high ^ b.high).leadingZeroBitCount
            return high < 64 ? high : 64 + (a.low ^ b.low).leadingZeroBitCount
        default:
            return 0
        }
    }
}

extension SocketAddress {
    /// Parses "HOST", "HOST:PORT", "[V6]:PORT" or a bare IPv6 address; numeric addresses only, so that nothing
    /// is ever sent to a name a resolver chose.
    public static func parse(hostPort text: String, defaultPort: Int) throws(LISPNetError) -> SocketAddress {
        var host = text
        var port = defaultPort
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalidAddress(text) }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.first == ":", let value = Int(rest.dropFirst()) else { throw .invalidAddress(text) }
                port = value
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            guard let value = Int(text[text.index(after: colon)...]) else { throw .invalidAddress(text) }
            port = value
        }
        guard (0...65535).contains(port), IPAddress(host) != nil,
            let address = try? SocketAddress(ipAddress: host, port: port)
        else {
            throw .invalidAddress(text)
        }
        return address
    }

    /// "192.0.2.1:4342" or "[2001:db8::1]:4342".
    public var hostPortDescription: String {
        let host = self.ipAddress ?? "?"
        let port = self.port ?? 0
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
