import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import LISPNet

@Suite("Datagram sockets: a reader that falls behind")
struct DatagramSocketTests {
    @Test("what arrives while the reader is behind by more than the queue holds is dropped and counted")
    func boundedQueue() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let receiver = try await DatagramSocket.bind(
            to: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
            receiveBufferBytes: 1 << 20,
            queuedDatagrams: 4,
            group: group
        )
        let sender = try await DatagramSocket.bind(
            to: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
            receiveBufferBytes: 64 << 10,
            group: group
        )
        let sent = 50
        for index in 0..<sent {
            sender.send(
                DatagramSocket.Envelope(remoteAddress: receiver.localAddress, data: ByteBuffer(string: "\(index)"))
            )
            // One datagram per read cycle, so each is a batch of its own.
            try await Task.sleep(for: .milliseconds(2))
        }
        // The datagrams beyond the queue are counted as dropped.
        #expect(await eventually { receiver.backlog.dropped > 0 })
        let received = Atomic<Int>(0)
        let reader = Task {
            for await batch in receiver.inbound {
                received.add(batch.count, ordering: .relaxed)
            }
        }
        // Every datagram is either read or counted.
        #expect(await eventually { received.load(ordering: .relaxed) + receiver.backlog.dropped == sent })
        #expect(received.load(ordering: .relaxed) <= 4 * DatagramSocket.clientVectorReads)
        await receiver.close()
        await sender.close()
        _ = await reader.result
    }

    @Test("a burst of single datagrams far past the read-cycle count waits for a slow reader, none dropped")
    func burstWithinTheDefaultBacklog() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let receiver = try await DatagramSocket.bind(
            to: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
            receiveBufferBytes: 1 << 20,
            vectorReads: DatagramSocket.serverVectorReads,
            group: group
        )
        let sender = try await DatagramSocket.bind(
            to: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
            receiveBufferBytes: 64 << 10,
            group: group
        )
        let sent = 300
        for index in 0..<sent {
            sender.send(
                DatagramSocket.Envelope(remoteAddress: receiver.localAddress, data: ByteBuffer(string: "\(index)"))
            )
            try await Task.sleep(for: .milliseconds(1))
        }
        var received: [String] = []
        for await batch in receiver.inbound {
            received += batch.map { String(buffer: $0.data) }
            if received.count >= sent { break }
        }
        #expect(receiver.backlog.dropped == 0)
        #expect(received == (0..<sent).map(String.init))
        await receiver.close()
        await sender.close()
    }
}
