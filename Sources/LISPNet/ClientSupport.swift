import LISP
import NIOCore
import NIOPosix

/// Helpers the clients share: choosing a local address, nonces, timers.
enum ClientSupport {
    /// The local address to bind for talking to `remote`: `preferred` when given, else the address the
    /// kernel's route to `remote` leaves from (found by connecting a throwaway UDP socket), port 0.
    static func localAddress(
        preferred: SocketAddress?,
        toward remote: SocketAddress,
        group: any EventLoopGroup
    ) async throws -> SocketAddress {
        if let preferred { return preferred }
        let probe = try await DatagramBootstrap(group: group).connect(to: remote).get()
        defer { probe.close(promise: nil) }
        guard let local = probe.localAddress, let ip = IPAddress(local) else {
            throw LISPNetError.socketHasNoAddress
        }
        return try ip.socketAddress(port: 0)
    }

    /// A Map-Request inside an ECM whose inner source is `local` (the ITR-RLOC, same port inside and out) and
    /// inner destination the EID looked up.
    static func encapsulate(_ request: MapRequest, eid: IPAddress, local: SocketAddress) throws -> ByteBuffer {
        guard let localIP = IPAddress(local), let port = local.port else { throw LISPNetError.socketHasNoAddress }
        // The inner header needs one family; an EID of the other family travels with an unspecified source, and
        // the ITR-RLOC in the request still says where to answer.
        let source = localIP.isSameFamily(as: eid) ? localIP : unspecified(like: eid)
        let ecm = EncapsulatedControlMessage(
            source: source,
            destination: eid,
            sourcePort: UInt16(port),
            message: .mapRequest(request)
        )
        var buffer = ByteBuffer()
        try buffer.writeEncapsulatedControlMessage(ecm)
        return buffer
    }

    private static func unspecified(like address: IPAddress) -> IPAddress {
        switch address {
        case .v4: return .v4(IPv4Address(rawValue: 0))
        case .v6: return .v6(IPv6Address(high: 0, low: 0))
        }
    }
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
