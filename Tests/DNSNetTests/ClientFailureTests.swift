import DNS
import DNSNet
import NIOCore
import NIOPosix
import Testing

/// Answers every datagram with the same bytes but the ID plus one, as a spoofer guessing IDs would.
private final class WrongIDEchoHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var envelope = unwrapInboundIn(data)
        if let id = envelope.data.getInteger(at: envelope.data.readerIndex, as: UInt16.self) {
            envelope.data.setInteger(id &+ 1, at: envelope.data.readerIndex)
        }
        context.writeAndFlush(wrapOutboundOut(envelope), promise: nil)
    }
}

@Suite("Client failures against local sockets")
struct ClientFailureTests {
    @Test func silentServerTimesOutAfterEveryAttempt() async throws {
        // Bound but never read: datagrams are accepted by the kernel and never answered.
        let silent = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let server = DNSServerAddress(host: "127.0.0.1", port: silent.localAddress!.port!)
        let client = DNSClient(
            server: server,
            configuration: DNSClientConfiguration(timeout: .milliseconds(100), attempts: 2)
        )
        await #expect(throws: DNSClientError.timeout(server: server, attempts: 2)) {
            try await client.query("lab.test", type: .soa)
        }
        try await silent.close()
    }

    @Test func answersWithAnotherIDAreIgnoredAndReported() async throws {
        let spoofer = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(WrongIDEchoHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = DNSServerAddress(host: "127.0.0.1", port: spoofer.localAddress!.port!)
        let client = DNSClient(
            server: server,
            configuration: DNSClientConfiguration(timeout: .seconds(2), attempts: 1)
        )
        // The wrong answer comes back at once; the client keeps waiting for the right one until the timeout.
        let query = DNSMessage.query(id: 0x0100, name: "lab.test", type: .soa)
        await #expect(throws: DNSClientError.idMismatch(server: server, expected: 0x0100, received: 0x0101)) {
            try await client.send(query)
        }
        try await spoofer.close()
    }

    @Test func serverAddressMustBeAnIPLiteral() async {
        let client = DNSClient(server: DNSServerAddress(host: "ns.example", port: 53))
        do {
            _ = try await client.query("lab.test", type: .soa)
            Issue.record("a host name was resolved")
        } catch {
            guard case .network(_, let message) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(message.contains("not an IP address"))
        }
    }
}
