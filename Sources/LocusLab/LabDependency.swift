import LISP

/// One `[[workload.depends]]` entry of the lab's inventory (CONFIG.md).
public enum LabDependency: Sendable, Hashable {
    /// The workload's address record on the lab's DNS responder, with its PTR.
    case dns(record: String, ptr: Bool)
    /// The workload as a server of an HAProxy backend.
    case pool(backend: String, server: String, port: Int)
    /// A site service the workload needs to reach.
    case service(target: String, role: LabServiceRole)
    /// The workload's address as an element of a set on its home site's firewall.
    case firewall(name: String, set: String)

    /// The TOML of this entry under its `[[workload]]`.
    func render(dnsServer: String, balancer: String) -> String {
        switch self {
        case .dns(let record, let ptr):
            return """

                  [[workload.depends]]
                  kind = "dns"
                  name = \(TOMLText.quoted(record))
                  server = \(TOMLText.quoted(dnsServer))
                  ptr = \(ptr)

                """
        case .pool(let backend, let server, let port):
            return """

                  [[workload.depends]]
                  kind = "lb"
                  balancer = \(TOMLText.quoted(balancer))
                  backend = \(TOMLText.quoted(backend))
                  server = \(TOMLText.quoted(server))
                  port = \(port)

                """
        case .service(let target, let role):
            return """

                  [[workload.depends]]
                  kind = "tcp"
                  target = \(TOMLText.quoted(target))
                  role = \(TOMLText.quoted(role.rawValue))

                """
        case .firewall(let name, let set):
            return """

                  [[workload.depends]]
                  kind = "firewall"
                  firewall = \(TOMLText.quoted(name))
                  set = \(TOMLText.quoted(set))

                """
        }
    }
}

/// The services each lab site runs for its workloads: a TCP listener apiece on the site's loopback range.
public enum LabServiceRole: String, Sendable, Hashable, CaseIterable {
    case auth
    case storage

    /// The last octet of the service's address in its site's 127.0.<site>.0/24 (RLOCs are .1 and .2).
    var hostOctet: UInt32 {
        switch self {
        case .auth: 10
        case .storage: 11
        }
    }

    func address(site: LabSite) -> IPAddress {
        .v4(IPv4Address(rawValue: 127 << 24 | UInt32(site.index & 0xFF) << 8 | hostOctet))
    }
}
