/// Where a `registrations_api` serves the table: `http://HOST:PORT[/PATH]`; without a path the
/// map-server's `/registrations`.
struct RegistrationsEndpoint: Sendable, Hashable {
    var host: String
    var port: Int
    var path: String

    static let defaultPath = "/registrations"

    init(parsing text: String) throws(RegistrationsEndpointError) {
        guard text.hasPrefix("http://") else {
            throw RegistrationsEndpointError(
                text: text,
                reason: "expected http://HOST:PORT, like http://127.0.0.1:9442"
            )
        }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        let host: Substring
        let portText: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw RegistrationsEndpointError(text: text, reason: "missing \"]\" after the IPv6 address")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            portText = authority[authority.index(after: close)...].dropFirst()
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
            portText = "80"
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else {
            throw RegistrationsEndpointError(
                text: text,
                reason: "expected http://HOST:PORT with a port from 1 to 65535"
            )
        }
        self.host = String(host)
        self.port = port
        self.path = path.isEmpty || path == "/" ? Self.defaultPath : String(path)
    }
}

struct RegistrationsEndpointError: Error, Sendable, Hashable, CustomStringConvertible {
    var text: String
    var reason: String

    var description: String { "registrations_api \"\(text)\": \(reason)" }
}
