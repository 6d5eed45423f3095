import DNS
import DNSNet
import NIOCore
import NIOPosix
import Testing

/// Sends every datagram back with its ID shifted by `idDelta` and the QR bit set or not: a spoofer
/// guessing IDs (delta 1, QR set) or a plain echo (delta 0, QR clear), neither a real answer.
private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let idDelta: UInt16
    private let setsResponseBit: Bool

    init(idDelta: UInt16, setsResponseBit: Bool) {
        self.idDelta = idDelta
        self.setsResponseBit = setsResponseBit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var envelope = unwrapInboundIn(data)
        let start = envelope.data.readerIndex
        if let id = envelope.data.getInteger(at: start, as: UInt16.self),
            let flags = envelope.data.getInteger(at: start + 2, as: UInt16.self)
        {
            envelope.data.setInteger(id &+ idDelta, at: start)
            envelope.data.setInteger(setsResponseBit ? flags | 0x8000 : flags & 0x7FFF, at: start + 2)
        }
        context.writeAndFlush(wrapOutboundOut(envelope), promise: nil)
    }
}

private func echoServer(idDelta: UInt16, setsResponseBit: Bool) async throws -> any Channel {
    try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    EchoHandler(idDelta: idDelta, setsResponseBit: setsResponseBit)
                )
            }
        }
        .bind(host: "127.0.0.1", port: 0).get()
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
        let spoofer = try await echoServer(idDelta: 1, setsResponseBit: true)
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

    @Test func anEchoedQueryIsNotAnAnswer() async throws {
        let echo = try await echoServer(idDelta: 0, setsResponseBit: false)
        let server = DNSServerAddress(host: "127.0.0.1", port: echo.localAddress!.port!)
        let client = DNSClient(
            server: server,
            configuration: DNSClientConfiguration(timeout: .milliseconds(300), attempts: 1)
        )
        await #expect(throws: DNSClientError.timeout(server: server, attempts: 1)) {
            try await client.query("lab.test", type: .soa)
        }
        try await echo.close()
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
