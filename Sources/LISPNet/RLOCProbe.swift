import LISP
import NIOCore
import NIOPosix

/// What an RLOC-probe found: the RLOC answered (with its round trip) or did not within the deadline.
public struct RLOCProbeResult: Sendable, Hashable {
    public var rloc: IPAddress
    public var port: Int
    /// Nil when no probe reply arrived.
    public var rtt: Duration?
    public var failure: String?

    public var answered: Bool { rtt != nil }
}

/// RLOC-probing (RFC 9301 section 7.1): a Map-Request with the P bit sent straight to a locator, which
/// answers with a Map-Reply carrying the P bit and the request's nonce.
public enum RLOCProbe {
    /// Probes `rloc` for `eid`, trying `attempts` times, each waiting `timeout`.
    public static func probe(
        _ rloc: IPAddress,
        port: Int = 4342,
        eid: EIDPrefix,
        timeout: Duration = .milliseconds(500),
        attempts: Int = 3,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async -> RLOCProbeResult {
        var result = RLOCProbeResult(rloc: rloc, port: port, rtt: nil, failure: nil)
        do {
            let remote = try rloc.socketAddress(port: port)
            let local = try await ClientSupport.localAddress(preferred: nil, toward: remote, group: group)
            guard let localIP = IPAddress(local) else { throw LISPNetError.socketHasNoAddress }
            let attempts = max(1, attempts)
            let nonces = (0..<attempts).map { _ in UInt64.random(in: 1...UInt64.max) }
            var requests: [ByteBuffer] = []
            for nonce in nonces {
                let request = MapRequest(
                    nonce: nonce,
                    itrRLOCs: [LISPAddress(localIP)],
                    records: [MapRequest.Record(prefix: eid)],
                    isProbe: true
                )
                var payload = ByteBuffer()
                try payload.writeMapRequest(request)
                requests.append(payload)
            }
            let payloads = requests
            let socket = try await DatagramSocket.bind(to: local, receiveBufferBytes: 64 << 10, group: group)
            let start = ContinuousClock.now
            result.rtt = await withTaskGroup(of: Duration?.self) { group in
                group.addTask {
                    for await batch in socket.inbound {
                        for envelope in batch {
                            var buffer = envelope.data
                            guard case .mapReply(let reply)? = try? LISPMessage.decode(from: &buffer),
                                reply.isProbeReply, let attempt = nonces.firstIndex(of: reply.nonce)
                            else { continue }
                            // Attempt i left at start + i × timeout.
                            return ContinuousClock.now - start - timeout * attempt
                        }
                    }
                    return nil
                }
                group.addTask {
                    for payload in payloads {
                        socket.send(DatagramSocket.Envelope(remoteAddress: remote, data: payload))
                        try? await Task.sleep(for: timeout)
                    }
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            await socket.close()
            if result.rtt == nil {
                result.failure = "no probe reply from \(rloc) port \(port) to \(attempts) probes \(timeout) apart"
            }
        } catch {
            result.failure = "cannot probe \(rloc) port \(port): \(error)"
        }
        return result
    }
}
