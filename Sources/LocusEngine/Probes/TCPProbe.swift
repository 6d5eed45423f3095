import Foundation
import LocusCore
import NIOCore
import NIOPosix

/// How a TCP connect went.
public enum TCPProbeResult: Sendable, Hashable {
    case connected(rtt: Duration)
    /// Something answered that nothing listens there (RST).
    case refused
    /// No handshake within the timeout: a firewall dropping packets, or a listener too busy to accept.
    case timeout(after: Duration)
    case failed(String)

    /// Words for a dependency's `detail`.
    public var detail: String {
        switch self {
        case .connected(let rtt): "connected in \(Self.milliseconds(rtt)) ms"
        case .refused: "connection refused"
        case .timeout(let after): "timeout: no handshake within \(Self.milliseconds(after)) ms"
        case .failed(let reason): reason
        }
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let value = duration.milliseconds
        return value < 10 ? String(Double(Int(value * 100)) / 100) : String(Int(value.rounded()))
    }
}

/// Connects to `host:port` and hangs up: the reachability of a service a workload needs.
public struct TCPProbe: Sendable {
    public var timeout: Duration
    private let group: any EventLoopGroup

    public init(
        timeout: Duration = .seconds(2),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.timeout = timeout
        self.group = eventLoopGroup
    }

    /// A name is resolved by NIO off the cooperative pool (getaddrinfo on its own queue), inside the
    /// connect timeout; an address literal is not resolved at all.
    public func probe(_ target: Endpoint) async -> TCPProbeResult {
        let started = ContinuousClock.now
        do {
            let channel = try await ClientBootstrap(group: group)
                .connectTimeout(.nanoseconds(Int64(timeout.milliseconds * 1_000_000)))
                .connect(host: target.host, port: Int(target.port))
                .get()
            let rtt = ContinuousClock.now - started
            try? await channel.close()
            return .connected(rtt: rtt)
        } catch {
            if let reason = ConnectFailure.unresolved(error) {
                return .failed("cannot resolve \(target.host): \(reason)")
            }
            switch ConnectFailure(error) {
            case .refused: return .refused
            case .timeout: return .timeout(after: timeout)
            case .other(let reason): return .failed(reason)
            }
        }
    }

    /// The probe's result as the state of a `tcp` dependency.
    public static func status(
        of result: TCPProbeResult,
        spec: TCPDependencySpec,
        checkedAt: Date
    ) -> DependencyStatus {
        var rtt: Duration?
        if case .connected(let connected) = result { rtt = connected }
        let ok = rtt != nil
        return DependencyStatus(
            kind: .tcp,
            target: spec.target.description,
            role: spec.role.rawValue,
            state: ok ? .ok : .unreachable,
            expected: "a TCP handshake",
            observed: ok ? "connected" : nil,
            detail: result.detail,
            checkedAt: checkedAt,
            rtt: rtt
        )
    }
}
