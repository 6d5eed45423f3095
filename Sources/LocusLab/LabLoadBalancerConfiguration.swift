import LISP

extension LabLoadBalancer {
    /// One server line of a backend: a lab workload as a pool member.
    public struct Member: Sendable, Hashable {
        /// The HAProxy backend, e.g. `be_web`.
        public var backend: String
        /// The server's name in the backend: the workload's name, e.g. `web-03`.
        public var server: String
        public var address: LISP.IPAddress
        public var port: UInt16

        public init(backend: String, server: String, address: LISP.IPAddress, port: UInt16) {
            self.backend = backend
            self.server = server
            self.address = address
            self.port = port
        }

        /// Takes an address literal only: a host name would make HAProxy resolve it, and the lab sends
        /// nothing outside 127.0.0.0/8.
        public init(backend: String, server: String, address: String, port: UInt16) throws(LabLoadBalancerError) {
            guard let parsed = LISP.IPAddress(address) else {
                throw .invalidMember(
                    backend: backend,
                    server: server,
                    reason: "\"\(address)\" is not an IPv4 or IPv6 address"
                )
            }
            self.init(backend: backend, server: server, address: parsed, port: port)
        }

        /// `ADDRESS:PORT` as HAProxy reads it on a server line.
        var serverAddress: String {
            switch address {
            case .v4: "\(address):\(port)"
            case .v6: "[\(address)]:\(port)"
            }
        }
    }
}

/// The lab's `haproxy.cfg`: a Runtime API on loopback and the pools, and nothing that sends a packet.
///
/// No server has `check` and there is no frontend: health checks or traffic would reach workload addresses,
/// and the lab only ever sends to 127.0.0.0/8. HAProxy keeps the pools only so that the Runtime API can
/// show and change them.
enum LabLoadBalancerConfiguration {
    static func render(members: [LabLoadBalancer.Member], runtimeAPIPort: Int) throws(LabLoadBalancerError) -> String {
        for member in members {
            try validate(member)
        }
        var backends: [String] = []
        var servers: [String: [LabLoadBalancer.Member]] = [:]
        for member in members {
            if servers[member.backend] == nil {
                backends.append(member.backend)
            }
            servers[member.backend, default: []].append(member)
        }
        var lines = [
            "# Written by locus lab. Servers have no health checks and there is no frontend: HAProxy",
            "# sends nothing to the workloads, it only holds the pools for its Runtime API.",
            "global",
            "    stats socket ipv4@127.0.0.1:\(runtimeAPIPort) level admin",
            "    stats timeout 10s",
            "    nbthread 1",
            "",
            "defaults",
            "    mode tcp",
            "    timeout connect 1s",
            "    timeout client 5s",
            "    timeout server 5s",
        ]
        for backend in backends {
            lines.append("")
            lines.append("backend \(backend)")
            for member in servers[backend] ?? [] {
                lines.append("    server \(member.server) \(member.serverAddress)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Refuses names that would change the meaning of the line they are written on (a space or a newline
    /// could add keywords such as `check`); HAProxy itself judges everything else, and says so in its log.
    static func validate(_ member: LabLoadBalancer.Member) throws(LabLoadBalancerError) {
        for (role, name) in [("backend", member.backend), ("server", member.server)] {
            if name.isEmpty {
                throw .invalidMember(
                    backend: member.backend,
                    server: member.server,
                    reason: "the \(role) name is empty"
                )
            }
            if let bad = name.unicodeScalars.first(where: isUnsafe) {
                throw .invalidMember(
                    backend: member.backend,
                    server: member.server,
                    reason: "the \(role) name contains \(describe(bad)), which HAProxy's configuration cannot hold"
                )
            }
        }
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F
            || "#\"'\\".unicodeScalars.contains(scalar)
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.isASCII, scalar.value > 0x20, scalar.value != 0x7F {
            return "\"\(Character(scalar))\""
        }
        return "U+" + String(scalar.value, radix: 16, uppercase: true)
    }
}
