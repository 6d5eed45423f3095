import LocusCore

/// Points an HAProxy pool member at the workload's new address through the Runtime API, after
/// reading that it still points at the old one.
///
/// The Runtime API has no compare-and-set: between the read and the `set server` another client
/// could change the member, and a runtime change is lost when HAProxy reloads unless its
/// configuration is updated too. `set server … addr` leaves the drain and maintenance state alone.
public struct PoolMemberStep: CutoverStep {
    public let balancer: String
    public let backend: String
    public let server: String
    public let port: UInt16
    public let from: String
    public let to: String
    let client: HAProxyRuntimeClient

    public init(
        balancer: String,
        backend: String,
        server: String,
        port: UInt16,
        from: String,
        to: String,
        client: HAProxyRuntimeClient
    ) {
        self.balancer = balancer
        self.backend = backend
        self.server = server
        self.port = port
        self.from = from
        self.to = to
        self.client = client
    }

    public var name: String { "loadbalancer \(balancer) \(backend)/\(server)" }

    public func reversed() -> PoolMemberStep {
        PoolMemberStep(
            balancer: balancer,
            backend: backend,
            server: server,
            port: port,
            from: to,
            to: from,
            client: client
        )
    }

    public func observe() async -> StepObservation {
        let member: HAProxyServerState
        do {
            guard let found = try await client.serversState(backend: backend).servers[server] else {
                return .conflict("\(backend)/\(server) is not in \(balancer)'s backend \(backend)")
            }
            member = found
        } catch {
            return .conflict("reading \(backend)/\(server) from \(balancer): \(error)")
        }
        let at = "\(member.address):\(member.port.map(String.init) ?? "?")"
        if member.address == to && member.port == port { return .alreadyDone("\(backend)/\(server) is at \(at)") }
        if member.address == from { return .ready("\(backend)/\(server) is at \(at)") }
        return .conflict("\(backend)/\(server) is at \(at), expected \(from): somebody changed it")
    }

    public func act() async throws(CutoverStepError) -> String {
        do {
            let reply = try await client.setServerAddress(backend: backend, server: server, address: to, port: port)
            let said = reply.trimmingCharacters(in: .whitespacesAndNewlines)
            return "\(backend)/\(server) \(from) → \(to):\(port)" + (said.isEmpty ? "" : " (\(said))")
        } catch {
            throw CutoverStepError(step: name, reason: "\(balancer): \(error)")
        }
    }
}
