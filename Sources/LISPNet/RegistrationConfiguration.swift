import LISP
import NIOCore

/// How an ETR registers with its map-server.
public struct RegistrationConfiguration: Sendable {
    public var mapServer: SocketAddress
    /// `nil` binds the address the route to the map-server leaves from, any port.
    public var localAddress: SocketAddress?
    public var keyID: UInt8
    public var algorithm: LISPAuthAlgorithm
    public var secret: [UInt8]
    /// Sent with the I bit; the map-server replay-checks nonces per xTR-ID.
    public var xtrIdentity: XTRIdentity?
    public var wantsMapNotify: Bool
    public var wantsProxyReply: Bool
    public var wantsMerge: Bool
    /// T bit: expire after the record TTL rather than the server's registration timeout.
    public var expiresByRecordTTL: Bool
    public var retry: RetryPolicy
    /// The first register nonce; `nil` starts from the wall clock in microseconds, so a restarted ETR with
    /// the same xTR-ID still sends increasing nonces.
    public var firstNonce: UInt64?

    public init(
        mapServer: SocketAddress,
        localAddress: SocketAddress? = nil,
        keyID: UInt8,
        algorithm: LISPAuthAlgorithm,
        secret: [UInt8],
        xtrIdentity: XTRIdentity? = nil,
        wantsMapNotify: Bool = true,
        wantsProxyReply: Bool = true,
        wantsMerge: Bool = false,
        expiresByRecordTTL: Bool = false,
        retry: RetryPolicy = RetryPolicy(),
        firstNonce: UInt64? = nil
    ) {
        self.mapServer = mapServer
        self.localAddress = localAddress
        self.keyID = keyID
        self.algorithm = algorithm
        self.secret = secret
        self.xtrIdentity = xtrIdentity
        self.wantsMapNotify = wantsMapNotify
        self.wantsProxyReply = wantsProxyReply
        self.wantsMerge = wantsMerge
        self.expiresByRecordTTL = expiresByRecordTTL
        self.retry = retry
        self.firstNonce = firstNonce
    }
}
