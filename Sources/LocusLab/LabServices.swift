import LISP
import LISPNet
import NIOCore
import NIOPosix

/// The sites' auth and storage services: a TCP listener each on the site's loopback range, on a free port,
/// that accepts a connection and closes it, which is all a reachability probe needs.
///
/// A service can be taken down for a while (an outage) and comes back on the same port.
public actor LabServices {
    private struct Key: Hashable {
        var site: String
        var role: LabServiceRole
    }

    private let group: any EventLoopGroup
    private var listeners: [Key: any Channel] = [:]
    private var addresses: [Key: SocketAddress] = [:]
    private var outages: [Key: Task<Void, Never>] = [:]
    private var isStopped = false

    private init(group: any EventLoopGroup) {
        self.group = group
    }

    /// Opens every site's services; port 0 for each, so the kernel picks free ones.
    public static func start(
        sites: [LabSite],
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> LabServices {
        let services = LabServices(group: eventLoopGroup)
        do {
            for site in sites {
                for role in LabServiceRole.allCases {
                    try await services.open(
                        Key(site: site.name, role: role),
                        host: role.address(site: site).description
                    )
                }
            }
        } catch {
            await services.stop()
            throw LabError.serviceFailed(reason: "cannot open the lab's site services: \(error)")
        }
        return services
    }

    /// `host:port` of every service, by site and role.
    public var endpoints: [String: [LabServiceRole: String]] {
        var result: [String: [LabServiceRole: String]] = [:]
        for (key, address) in addresses {
            result[key.site, default: [:]][key.role] = address.hostPortDescription
        }
        return result
    }

    /// Whether the service is listening now.
    public func isUp(site: String, role: LabServiceRole) -> Bool {
        listeners[Key(site: site, role: role)] != nil
    }

    /// Closes one service's listener: connects are refused until ``resume(site:role:)``.
    public func interrupt(site: String, role: LabServiceRole) async {
        guard let channel = listeners.removeValue(forKey: Key(site: site, role: role)) else { return }
        try? await channel.close()
    }

    /// Closes one service's listener for `duration`, then opens it again.
    public func interrupt(site: String, role: LabServiceRole, for duration: Duration) async {
        await interrupt(site: site, role: role)
        let key = Key(site: site, role: role)
        outages[key]?.cancel()
        outages[key] = Task {
            try? await Task.sleep(for: duration)
            guard !Task.isCancelled else { return }
            try? await self.resume(site: site, role: role)
        }
    }

    /// Opens the listener again on the port it had.
    public func resume(site: String, role: LabServiceRole) async throws {
        let key = Key(site: site, role: role)
        guard !isStopped, listeners[key] == nil, let address = addresses[key] else { return }
        try await open(key, host: address.ipAddress ?? "127.0.0.1", port: address.port ?? 0)
    }

    /// Closes every listener.
    public func stop() async {
        isStopped = true
        for outage in outages.values { outage.cancel() }
        outages.removeAll()
        let open = listeners.values
        listeners.removeAll()
        for channel in open {
            try? await channel.close()
        }
    }

    private func open(_ key: Key, host: String, port: Int = 0) async throws {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                // The handshake is the service's whole answer.
                channel.close(promise: nil)
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: host, port: port)
            .get()
        listeners[key] = channel
        if let local = channel.localAddress {
            addresses[key] = local
        }
    }
}
