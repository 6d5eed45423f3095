import LocusCore

/// One row of `show servers state`: a pool member as HAProxy sees it now.
public struct HAProxyServerState: Sendable, Hashable {
    /// `srv_op_state`: what health checks (or their absence) say.
    public enum OperationalState: Int, Sendable, Hashable {
        case stopped = 0
        case starting = 1
        case running = 2
        case stopping = 3
    }

    public var name: String
    public var address: String
    public var port: UInt16?
    public var operationalState: OperationalState
    /// `srv_admin_state` bits: 0x01 forced maintenance, 0x02 inherited, 0x04 from the config,
    /// 0x08 forced drain, 0x10 inherited drain, 0x20 from a resolver, 0x40 from a hostname.
    public var adminState: UInt32
    /// Every field of the row by its header name, for what the typed fields do not cover.
    public var fields: [String: String]

    /// In maintenance, whichever way it got there.
    public var isInMaintenance: Bool { adminState & 0x67 != 0 }
    public var isDraining: Bool { adminState & 0x18 != 0 }
}

/// The reply to `show servers state BACKEND`.
public struct HAProxyServersState: Sendable, Hashable {
    public var backend: String
    public var servers: [String: HAProxyServerState]

    /// Parses the `1` version line, the `#` header of field names and one row per server.
    public init(parsing reply: String, backend: String, address: RuntimeAPIAddress) throws(HAProxyError) {
        self.backend = backend
        let lines = reply.split(separator: "\n", omittingEmptySubsequences: true).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let version = lines.first else {
            throw .malformedReply(address: address, reason: "an empty reply to show servers state \(backend)")
        }
        if version.hasPrefix("Can't find backend") || version.hasPrefix("No such backend") {
            throw .noSuchBackend(backend, address: address)
        }
        guard version == "1" else {
            throw .malformedReply(
                address: address,
                reason: "show servers state \(backend) began with \"\(version)\" instead of the format version 1"
            )
        }
        guard lines.count >= 2, lines[1].hasPrefix("#") else {
            throw .malformedReply(address: address, reason: "show servers state \(backend) has no # header line")
        }
        let header = lines[1].dropFirst().split(separator: " ").map(String.init)
        var servers: [String: HAProxyServerState] = [:]
        for line in lines.dropFirst(2) {
            let values = line.split(separator: " ").map(String.init)
            guard values.count == header.count else {
                throw .malformedReply(
                    address: address,
                    reason: "a row of \(values.count) fields under a header of \(header.count): \"\(line)\""
                )
            }
            let fields = Dictionary(zip(header, values), uniquingKeysWith: { first, _ in first })
            guard let name = fields["srv_name"], let serverAddress = fields["srv_addr"],
                let opText = fields["srv_op_state"], let opValue = Int(opText),
                let operational = HAProxyServerState.OperationalState(rawValue: opValue),
                let adminText = fields["srv_admin_state"], let admin = UInt32(adminText)
            else {
                throw .malformedReply(
                    address: address,
                    reason: "a row without a valid name, address or state: \"\(line)\""
                )
            }
            if let rowBackend = fields["be_name"], rowBackend != backend {
                continue
            }
            servers[name] = HAProxyServerState(
                name: name,
                address: serverAddress,
                port: fields["srv_port"].flatMap { UInt16($0) },
                operationalState: operational,
                adminState: admin,
                fields: fields
            )
        }
        self.servers = servers
    }
}
