import Foundation
import LocusCore

/// Checks `lb` dependencies against one `[[loadbalancer]]`: one `show servers state` per backend,
/// shared by every dependency on it.
public struct LoadBalancerProbe: Sendable {
    public let config: LoadBalancerConfig
    public let client: HAProxyRuntimeClient

    public init(config: LoadBalancerConfig, client: HAProxyRuntimeClient) {
        self.config = config
        self.client = client
    }

    /// A dependency together with the workload address it must point at.
    public struct Member: Sendable, Hashable {
        public var spec: LoadBalancerDependencySpec
        public var address: IPAddress
        public var previousAddress: IPAddress?

        public init(spec: LoadBalancerDependencySpec, address: IPAddress, previousAddress: IPAddress? = nil) {
            self.spec = spec
            self.address = address
            self.previousAddress = previousAddress
        }
    }

    /// The state of each member, in the order given. Throws when HAProxy cannot be asked at all.
    public func check(_ members: [Member], checkedAt: Date) async throws(HAProxyError) -> [DependencyStatus] {
        var states: [String: Result<HAProxyServersState, HAProxyError>] = [:]
        var rtts: [String: Duration] = [:]
        for backend in Set(members.map(\.spec.backend)).sorted() {
            let started = ContinuousClock.now
            defer { rtts[backend] = ContinuousClock.now - started }
            do {
                states[backend] = .success(try await client.serversState(backend: backend))
            } catch {
                // Both concern this backend alone; the other backends can still be answered.
                switch error {
                case .noSuchBackend, .unsafeArgument: states[backend] = .failure(error)
                default: throw error
                }
            }
        }
        return members.map { member in
            var status = Self.status(
                of: member,
                in: states[member.spec.backend],
                address: client.address,
                checkedAt: checkedAt
            )
            status.rtt = rtts[member.spec.backend]
            return status
        }
    }

    static func status(
        of member: Member,
        in state: Result<HAProxyServersState, HAProxyError>?,
        address: RuntimeAPIAddress,
        checkedAt: Date
    ) -> DependencyStatus {
        let spec = member.spec
        let expected = "\(member.address):\(spec.port)"
        var status = DependencyStatus(
            kind: .lb,
            target: "\(spec.backend)/\(spec.server)",
            role: DependencyRole.other.rawValue,
            state: .unknown,
            expected: expected,
            checkedAt: checkedAt
        )
        let asked = "asked \(address) for show servers state \(spec.backend)"
        let servers: HAProxyServersState
        switch state {
        case .success(let answer):
            servers = answer
        case .failure(let error) where error.isUnsafeArgument:
            status.detail = error.description
            return status
        default:
            status.state = .missing
            status.detail = "\(asked): No such backend"
            return status
        }
        guard let server = servers.servers[spec.server] else {
            status.state = .missing
            status.detail = "\(asked): No such server \(spec.server)"
            return status
        }
        let observed = "\(server.address):\(server.port.map(String.init) ?? "?")"
        status.observed = observed
        let facts = "op_state \(server.operationalState.rawValue), admin_state \(server.adminState)"
        status.detail = "\(asked): \(facts)"
        if IPAddress(server.address) != member.address || server.port != spec.port {
            status.state = .stale
            status.observedIsPreviousAddress = member.previousAddress.map { IPAddress(server.address) == $0 } ?? false
            if status.observedIsPreviousAddress {
                status.detail = "\(asked): \(server.address) is the workload's previous address; \(facts)"
            }
        } else if server.isInMaintenance {
            status.state = .maint
        } else if server.operationalState != .running {
            status.state = .down
        } else {
            status.state = .ok
        }
        return status
    }
}
