import DNS
import NIOCore
import NIOPosix

/// Timeouts and retries for a ``DNSClient``.
public struct DNSClientConfiguration: Hashable, Sendable {
    /// The wait for the first attempt; each retry waits twice as long, up to ``maximumTimeout``.
    public var timeout: Duration
    public var maximumTimeout: Duration
    /// Attempts over UDP before giving up with a timeout (TCP gets one, it has its own retransmissions).
    public var attempts: Int
    /// The EDNS UDP payload size advertised in queries.
    public var udpPayloadSize: UInt16

    public init(
        timeout: Duration = .seconds(2),
        maximumTimeout: Duration = .seconds(8),
        attempts: Int = 3,
        udpPayloadSize: UInt16 = 1232
    ) {
        self.timeout = timeout
        self.maximumTimeout = maximumTimeout
        self.attempts = max(1, attempts)
        self.udpPayloadSize = udpPayloadSize
    }

    func timeout(forAttempt attempt: Int) -> TimeAmount {
        let base = Self.nanoseconds(timeout)
        let cap = Self.nanoseconds(maximumTimeout)
        let scaled = base.multipliedReportingOverflow(by: Int64(1) << min(attempt, 20))
        return .nanoseconds(scaled.overflow ? cap : min(scaled.partialValue, max(cap, base)))
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// An answer and how it was obtained.
public struct DNSResponse: Hashable, Sendable {
    public var message: DNSMessage
    /// From the write of the request to the arrival of this answer, on the attempt that succeeded.
    public var rtt: Duration
    public var server: DNSServerAddress
    public var transport: DNSTransport
}

/// Talks to one authoritative server: queries over UDP with TCP fallback, and RFC 2136 updates.
///
/// Each exchange uses its own `connect()`ed socket, so a closed port fails at once with
/// ``DNSClientError/connectionRefused(server:)`` instead of waiting out the timeout.
public struct DNSClient: Sendable {
    public let server: DNSServerAddress
    public let configuration: DNSClientConfiguration
    private let group: any EventLoopGroup

    public init(
        server: DNSServerAddress,
        configuration: DNSClientConfiguration = DNSClientConfiguration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.server = server
        self.configuration = configuration
        self.group = eventLoopGroup
    }

    /// Asks for the records of `name` and `type` (no recursion: the server must be authoritative).
    ///
    /// An NXDOMAIN or an empty answer is a successful response; read `message.responseCode` and `answers`.
    public func query(
        _ name: DNSName,
        type: DNSRecordType
    ) async throws(DNSClientError) -> DNSResponse {
        let message = DNSMessage.query(
            id: .random(in: .min ... .max),
            name: name,
            type: type,
            edns: EDNS(udpPayloadSize: configuration.udpPayloadSize)
        )
        return try await send(message)
    }

    /// Sends any message and returns the decoded answer, falling back to TCP when a UDP answer is truncated.
    public func send(
        _ message: DNSMessage,
        transport: DNSTransport = .udp
    ) async throws(DNSClientError) -> DNSResponse {
        let (result, usedTransport) = try await exchange(message.encoded(), id: message.id, transport: transport)
        var bytes = result.bytes
        do {
            let answer = try DNSMessage.decode(from: &bytes)
            return DNSResponse(message: answer, rtt: result.rtt.duration, server: server, transport: usedTransport)
        } catch {
            throw .malformedResponse(server: server, error)
        }
    }

    /// Sends an UPDATE, signed with `key` when given, and reports what the server decided.
    ///
    /// The server's refusals (NOTAUTH with BADSIG or BADKEY, REFUSED, NXRRSET…) are results, not errors:
    /// errors are reserved for not getting a trustworthy answer at all.
    public func update(
        _ update: DNSUpdate,
        key: TSIGKey?,
        transport: DNSTransport = .udp,
        timeSigned: UInt64? = nil
    ) async throws(DNSClientError) -> UpdateResult {
        let message = update.message(id: .random(in: .min ... .max))
        guard let key else {
            let response = try await send(message, transport: transport)
            return UpdateResult(response: response, zone: update.zone, key: nil, signatureVerified: false)
        }
        let signed = TSIG.sign(message, with: key, timeSigned: timeSigned ?? currentUnixTime())
        let (result, usedTransport) = try await exchange(signed.bytes, id: message.id, transport: transport)
        let answer: DNSMessage
        do {
            answer = try TSIG.verifyResponse(result.bytes, requestMAC: signed.mac, key: key, now: currentUnixTime())
        } catch {
            if case .malformed(let decodingError) = error {
                throw .malformedResponse(server: server, decodingError)
            }
            throw .tsigVerificationFailed(server: server, error)
        }
        let response = DNSResponse(message: answer, rtt: result.rtt.duration, server: server, transport: usedTransport)
        let verified = answer.tsig.map { !$0.mac.isEmpty } ?? false
        return UpdateResult(response: response, zone: update.zone, key: key, signatureVerified: verified)
    }

    private func exchange(
        _ bytes: ByteBuffer,
        id: UInt16,
        transport: DNSTransport
    ) async throws(DNSClientError) -> (ExchangeResult, DNSTransport) {
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: server.host, port: server.port)
        } catch {
            throw .network(server: server, "\"\(server.host)\" is not an IP address: \(error)")
        }
        if transport == .tcp {
            return (try await exchangeTCP(bytes, id: id, address: address), .tcp)
        }
        var lastFailure = ExchangeFailure.timeout
        for attempt in 0..<configuration.attempts {
            let result: ExchangeResult
            do {
                result = try await exchangeUDP(
                    bytes,
                    id: id,
                    address: address,
                    timeout: configuration.timeout(forAttempt: attempt)
                )
            } catch {
                lastFailure = ExchangeFailure(error)
                if case .refused = lastFailure { break }
                if case .io = lastFailure { break }
                continue
            }
            if let flags = result.bytes.getInteger(at: result.bytes.readerIndex + 2, as: UInt16.self),
                flags & 0x0200 != 0
            {
                return (try await exchangeTCP(bytes, id: id, address: address), .tcp)
            }
            return (result, .udp)
        }
        throw clientError(lastFailure, expectedID: id)
    }

    private func clientError(_ failure: ExchangeFailure, expectedID: UInt16) -> DNSClientError {
        switch failure {
        case .timeout, .closed: return .timeout(server: server, attempts: configuration.attempts)
        case .refused: return .connectionRefused(server: server)
        case .idMismatch(let received): return .idMismatch(server: server, expected: expectedID, received: received)
        case .io(let message): return .network(server: server, message)
        }
    }

    private func exchangeUDP(
        _ bytes: ByteBuffer,
        id: UInt16,
        address: SocketAddress,
        timeout: TimeAmount
    ) async throws -> ExchangeResult {
        let loop = group.next()
        let promise = loop.makePromise(of: ExchangeResult.self)
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            DatagramUnwrapHandler(server: address),
                            DNSExchangeHandler(expectedID: id, timeout: timeout, promise: promise),
                        ])
                    }
                }
                .connect(to: address)
                .get()
        } catch {
            promise.fail(error)
            throw ExchangeFailure(error)
        }
        channel.writeAndFlush(bytes).whenFailure { error in promise.fail(ExchangeFailure(error)) }
        do {
            return try await promise.futureResult.get()
        } catch {
            throw ExchangeFailure(error)
        }
    }

    private func exchangeTCP(
        _ bytes: ByteBuffer,
        id: UInt16,
        address: SocketAddress
    ) async throws(DNSClientError) -> ExchangeResult {
        let loop = group.next()
        let promise = loop.makePromise(of: ExchangeResult.self)
        let timeout = configuration.timeout(forAttempt: configuration.attempts - 1)
        do {
            let channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            ByteToMessageHandler(DNSTCPFrameDecoder()),
                            DNSTCPFrameEncoder(),
                            DNSExchangeHandler(expectedID: id, timeout: timeout, promise: promise),
                        ])
                    }
                }
                .connect(to: address)
                .get()
            channel.writeAndFlush(bytes).whenFailure { error in promise.fail(ExchangeFailure(error)) }
            return try await promise.futureResult.get()
        } catch {
            promise.fail(error)
            throw clientError(ExchangeFailure(error), expectedID: id)
        }
    }
}

extension TimeAmount {
    var duration: Duration { .nanoseconds(nanoseconds) }
}
