import DNS
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What one exchange produced: the raw answer and the time from the write to its arrival.
struct ExchangeResult: Sendable {
    var bytes: ByteBuffer
    var rtt: TimeAmount
}

/// Failures seen inside the pipeline, turned into ``DNSClientError`` by the client, which knows the server.
enum ExchangeFailure: Error {
    case timeout
    case refused
    case idMismatch(received: UInt16)
    case closed
    case io(String)

    init(_ error: any Error) {
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            self = .refused
        } else if let error = error as? ExchangeFailure {
            self = error
        } else if case ChannelError.connectTimeout = error as? ChannelError ?? .ioOnClosedChannel {
            self = .timeout
        } else {
            self = .io("\(error)")
        }
    }
}

/// Waits for the one answer whose ID matches, times the exchange, and fails on timeout or an error.
///
/// All state lives on the channel's event loop; the promise is the only thing shared with the caller.
final class DNSExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let expectedID: UInt16
    private let timeout: TimeAmount
    private let promise: EventLoopPromise<ExchangeResult>
    private var sentAt: NIODeadline?
    private var mismatchedID: UInt16?
    private var timeoutTask: Scheduled<Void>?

    init(expectedID: UInt16, timeout: TimeAmount, promise: EventLoopPromise<ExchangeResult>) {
        self.expectedID = expectedID
        self.timeout = timeout
        self.promise = promise
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timeoutTask?.cancel()
        promise.fail(ExchangeFailure.closed)
    }

    /// The clock starts with the write, so a slow socket setup under load does not eat into the wait.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        sentAt = .now()
        if timeoutTask == nil {
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            timeoutTask = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
                if let received = mismatchedID {
                    fail(.idMismatch(received: received), context: loopBoundContext.value)
                } else {
                    fail(.timeout, context: loopBoundContext.value)
                }
            }
        }
        context.write(data, promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        // A datagram without the QR bit is not an answer, whatever its ID; drop it like a runt.
        guard let id = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            let flags = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self),
            flags & 0x8000 != 0
        else { return }
        guard id == expectedID else {
            mismatchedID = id
            return
        }
        timeoutTask?.cancel()
        let rtt = NIODeadline.now() - (sentAt ?? .now())
        promise.succeed(ExchangeResult(bytes: buffer, rtt: rtt))
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(ExchangeFailure(error), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed, context: context)
    }

    private func fail(_ failure: ExchangeFailure, context: ChannelHandlerContext) {
        timeoutTask?.cancel()
        promise.fail(failure)
        context.close(promise: nil)
    }
}

/// Unwraps datagrams for ``DNSExchangeHandler``: on a connected socket only the server can send to us.
final class DatagramUnwrapHandler: ChannelDuplexHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let server: SocketAddress

    init(server: SocketAddress) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(wrapInboundOut(unwrapInboundIn(data).data))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let envelope = AddressedEnvelope(remoteAddress: server, data: unwrapOutboundIn(data))
        context.write(wrapOutboundOut(envelope), promise: promise)
    }
}

/// Splits a TCP stream into messages by their 2-byte length prefix (RFC 1035 §4.2.2).
struct DNSTCPFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            buffer.readableBytes >= 2 + Int(length)
        else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: Int(length))!))
        return .continue
    }
}

/// Adds the 2-byte length prefix to outgoing TCP messages.
final class DNSTCPFrameEncoder: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let message = unwrapOutboundIn(data)
        var framed = context.channel.allocator.buffer(capacity: message.readableBytes + 2)
        framed.writeInteger(UInt16(message.readableBytes))
        framed.writeImmutableBuffer(message)
        context.write(wrapOutboundOut(framed), promise: promise)
    }
}

/// Seconds since the epoch, for TSIG time-signed fields.
func currentUnixTime() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return UInt64(max(0, now.tv_sec))
}
