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
    /// At most `backlog.limit` datagrams wait here for their reader; what arrives beyond is dropped
    /// and counted, as the kernel drops what overflows its buffer, instead of growing without end.
    let inbound: DatagramInbound
    let localAddress: SocketAddress
    let backlog: InboundBacklog

    /// How many datagrams one read cycle may pull from the kernel, for sockets that see bursts.
    static let serverVectorReads = 64
    /// For sockets that see a few datagrams at a time (registration clients, probe responders).
    static let clientVectorReads = 4
    /// Room for the largest control message we expect: a Map-Register or Map-Notify with 255 records is about
    /// 8 KiB, and a truncated datagram would be dropped as malformed.
    static let slotBytes = 16 << 10
    /// What the datagrams waiting for their reader may hold at most.
    static let queuedBytes = 64 << 20

    /// Binds a socket on `address`.
    ///
    /// - Parameter receiveBufferBytes: the kernel receive buffer to ask for; sized by the caller for its
    ///   in-flight window so a burst of replies is not dropped before we read it.
    static func bind(
        to address: SocketAddress,
        receiveBufferBytes: Int,
        vectorReads: Int = clientVectorReads,
        queuedDatagrams: Int = queuedBytes / slotBytes,
        group: any EventLoopGroup
    ) async throws -> DatagramSocket {
        // Bounded by the backlog, which counts datagrams; the stream itself need not drop.
        let (stream, continuation) = AsyncStream.makeStream(of: [Envelope].self)
        let backlog = InboundBacklog(limit: queuedDatagrams)
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: group)
                .channelOption(.datagramVectorReadMessageCount, value: vectorReads)
                .channelOption(
                    .recvAllocator,
                    value: FixedSizeRecvByteBufferAllocator(capacity: vectorReads * slotBytes)
                )
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            DatagramBatchHandler(continuation: continuation, backlog: backlog)
                        )
                    }
                }
                .bind(to: address)
                .get()
        } catch let error as IOError {
            throw LISPNetError.cannotListen(
                address: address.hostPortDescription,
                protocol: "UDP",
                errno: error.errnoCode
            )
        }
        await setReceiveBuffer(receiveBufferBytes, on: channel)
        guard let local = channel.localAddress else {
            try? await channel.close()
            throw LISPNetError.socketHasNoAddress
        }
        return DatagramSocket(
            channel: channel,
            inbound: DatagramInbound(stream: stream, backlog: backlog),
            localAddress: local,
            backlog: backlog
        )
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
    private let backlog: InboundBacklog
    private var batch: [InboundIn] = []

    init(continuation: AsyncStream<[InboundIn]>.Continuation, backlog: InboundBacklog) {
        self.continuation = continuation
        self.backlog = backlog
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        batch.append(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !batch.isEmpty {
            switch backlog.admit(batch.count) {
            case .refused:
                break
            case .first:
                continuation.yield(batch)
            case .behind:
                // The reader is behind: a queued datagram must not pin its read cycle's whole buffer
                // (vector reads slice one buffer of `vectorReads × slotBytes`), so it gets its own.
                let allocator = context.channel.allocator
                continuation.yield(
                    batch.map {
                        InboundIn(
                            remoteAddress: $0.remoteAddress,
                            data: allocator.buffer(buffer: $0.data),
                            metadata: $0.metadata
                        )
                    }
                )
            }
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

/// The datagrams waiting for a socket's reader, and those dropped because it fell too far behind.
final class InboundBacklog: Sendable {
    enum Admission {
        /// Over the limit: dropped and counted.
        case refused
        /// Nothing was waiting: the reader takes it straight away.
        case first
        /// Others wait before it.
        case behind
    }

    let limit: Int
    private let queued = Atomic<Int>(0)
    private let droppedCount = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts `datagrams` in, unless they would pass the limit. Only the event loop admits.
    func admit(_ datagrams: Int) -> Admission {
        let waiting = queued.load(ordering: .acquiring)
        guard waiting + datagrams <= limit else {
            droppedCount.add(datagrams, ordering: .relaxed)
            return .refused
        }
        queued.add(datagrams, ordering: .releasing)
        return waiting == 0 ? .first : .behind
    }

    /// Counts `datagrams` out, as the reader takes them.
    func taken(_ datagrams: Int) {
        queued.subtract(datagrams, ordering: .releasing)
    }

    /// Datagrams dropped so far.
    var dropped: Int { droppedCount.load(ordering: .relaxed) }
}

/// A socket's inbound batches, counted out of its backlog as the reader takes them.
struct DatagramInbound: AsyncSequence, Sendable {
    typealias Element = [AddressedEnvelope<ByteBuffer>]

    let stream: AsyncStream<Element>
    let backlog: InboundBacklog

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<Element>.AsyncIterator
        let backlog: InboundBacklog

        mutating func next() async -> Element? {
            guard let batch = await base.next() else { return nil }
            backlog.taken(batch.count)
            return batch
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: stream.makeAsyncIterator(), backlog: backlog)
    }
}
