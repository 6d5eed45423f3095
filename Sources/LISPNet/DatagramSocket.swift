import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A bound UDP socket whose datagrams arrive in the batches the kernel handed over in one read cycle.
///
/// Batches let the owner answer a burst of requests with a single flush, which NIO turns into `sendmmsg`.
struct DatagramSocket: Sendable {
    typealias Envelope = AddressedEnvelope<ByteBuffer>

    let channel: any Channel
    /// At most `queuedBatches` batches wait here for their reader; what arrives beyond is dropped and
    /// counted, as the kernel drops what overflows its buffer, instead of growing without end.
    let inbound: AsyncStream<[Envelope]>
    let localAddress: SocketAddress
    let drops: DropCounter

    /// How many datagrams one read cycle may pull from the kernel, for sockets that see bursts.
    static let serverVectorReads = 64
    /// For sockets that see a few datagrams at a time (registration clients, probe responders).
    static let clientVectorReads = 4
    /// Room for the largest control message we expect: a Map-Register or Map-Notify with 255 records is about
    /// 8 KiB, and a truncated datagram would be dropped as malformed.
    static let slotBytes = 16 << 10
    /// What the batches waiting for their reader may hold at most (each holds its read cycle's buffer).
    static let queuedBytes = 64 << 20

    /// Binds a socket on `address`.
    ///
    /// - Parameter receiveBufferBytes: the kernel receive buffer to ask for; sized by the caller for its
    ///   in-flight window so a burst of replies is not dropped before we read it.
    static func bind(
        to address: SocketAddress,
        receiveBufferBytes: Int,
        vectorReads: Int = clientVectorReads,
        queuedBatches: Int? = nil,
        group: any EventLoopGroup
    ) async throws -> DatagramSocket {
        let limit = queuedBatches ?? max(16, queuedBytes / (vectorReads * slotBytes))
        let (stream, continuation) = AsyncStream.makeStream(
            of: [Envelope].self,
            bufferingPolicy: .bufferingOldest(limit)
        )
        let drops = DropCounter()
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.datagramVectorReadMessageCount, value: vectorReads)
            .channelOption(
                .recvAllocator,
                value: FixedSizeRecvByteBufferAllocator(capacity: vectorReads * slotBytes)
            )
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        DatagramBatchHandler(continuation: continuation, drops: drops)
                    )
                }
            }
            .bind(to: address)
            .get()
        await setReceiveBuffer(receiveBufferBytes, on: channel)
        guard let local = channel.localAddress else {
            try? await channel.close()
            throw LISPNetError.socketHasNoAddress
        }
        return DatagramSocket(channel: channel, inbound: stream, localAddress: local, drops: drops)
    }

    /// Root may exceed `net.core.rmem_max` with `SO_RCVBUFFORCE`; everyone else gets what the kernel allows.
    private static func setReceiveBuffer(_ bytes: Int, on channel: any Channel) async {
        #if os(Linux)
        let force = ChannelOptions.Types.SocketOption(
            level: NIOBSDSocket.OptionLevel(rawValue: SOL_SOCKET),
            name: NIOBSDSocket.Option(rawValue: 33)  // SO_RCVBUFFORCE
        )
        if (try? await channel.setOption(force, value: SocketOptionValue(bytes)).get()) != nil {
            return
        }
        #endif
        _ = try? await channel.setOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(bytes)).get()
    }

    /// Queues all `envelopes` and flushes once.
    func send(_ envelopes: [Envelope]) {
        guard !envelopes.isEmpty else { return }
        let channel = self.channel
        channel.eventLoop.execute {
            for envelope in envelopes {
                channel.write(envelope, promise: nil)
            }
            channel.flush()
        }
    }

    func send(_ envelope: Envelope) {
        channel.writeAndFlush(envelope, promise: nil)
    }

    func close() async {
        try? await channel.close()
    }
}

/// Collects the datagrams of one read cycle and hands them over together on `channelReadComplete`.
private final class DatagramBatchHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let continuation: AsyncStream<[InboundIn]>.Continuation
    private let drops: DropCounter
    private var batch: [InboundIn] = []

    init(continuation: AsyncStream<[InboundIn]>.Continuation, drops: DropCounter) {
        self.continuation = continuation
        self.drops = drops
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        batch.append(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !batch.isEmpty {
            if case .dropped = continuation.yield(batch) { drops.add(batch.count) }
            batch.removeAll(keepingCapacity: true)
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An ICMP port-unreachable surfaces here as ECONNREFUSED; for an unconnected UDP socket it says
        // nothing about the next datagram, so the socket stays open and timeouts do the accounting.
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }
}

/// Datagrams a socket dropped because its reader fell behind.
final class DropCounter: Sendable {
    private let count = Atomic<Int>(0)

    func add(_ datagrams: Int) {
        count.add(datagrams, ordering: .relaxed)
    }

    var datagrams: Int { count.load(ordering: .relaxed) }
}
