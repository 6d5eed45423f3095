import NIOCore

/// Any LISP control message.
///
/// The LISP control-plane codec (RFC 9301, RFC 9437, RFC 8060 Instance-ID), pure: no sockets, no clocks.
///
/// API summary
///
/// Values
/// - `IPv4Address`, `IPv6Address`, `IPAddress` — text parsing/printing (RFC 5952), `masked(to:)`.
/// - `LISPAddress` — an address as it travels in an AFI field: `ip: IPAddress?` (nil = AFI 0) and
///   `instanceID: UInt32?` (non-nil = Instance-ID LCAF). `LISPAddress.none`.
/// - `EIDPrefix` — canonical (instanceID, address, length): `init?("[0]10.1.0.0/16")`, `init?("10.1.0.0/16",
///   defaultInstanceID:)`, `contains(_:)`, `truncated(to:)` for longest-prefix matching, `description` in lig form
///   "[0]10.1.0.0/16", `cidr` "10.1.0.0/16", `wireAddress`.
/// - `EIDRecord` (ttlMinutes, eid, maskLength, action, isAuthoritative, mapVersion, locators, `prefix`),
///   `RLOCRecord` (priority, weight, multicast priority/weight, isLocal/isProbed/isReachable, locator),
///   `MapReplyAction`, `XTRIdentity` (xtrID: `XTRID`, siteID), `LISPAuthAlgorithm` (.none, .hmacSHA1, .hmacSHA256).
///
/// Messages (all `Hashable`, `Sendable`)
/// - `MapRequest` (records of `MapRequest.Record` with `isSubscribe`), `MapReply`, `MapRegister`, `MapNotify`
///   (also the layout of Map-Notify-Ack), `EncapsulatedControlMessage` (inner IPv4/IPv6 + UDP + message).
/// - `LISPMessage` — the enum of all of them; `LISPMessage.decode(from:)` dispatches on the type nibble;
///   `type`, `nonce`. `LISPMessageType(peekingAt:)` reads the type without decoding.
///
/// Decoding: `X.decode(from: inout ByteBuffer) throws(LISPDecodingError) -> X` takes the whole readable bytes
/// as one message (a UDP payload). On success the reader index moves to the end; on error it does not move.
/// Leftover bytes are an error. `LISPDecodingError` carries what failed and the byte offset.
///
/// Encoding: `ByteBuffer.writeLISPMessage(_:)`, `writeMapRequest(_:)`, `writeMapReply(_:)`, `writeMapRegister(_:)`,
/// `writeMapNotify(_:)`, `writeMapNotifyAck(_:)`, `writeEncapsulatedControlMessage(_:)`, `writeEIDRecord(_:)`,
/// `writeLISPAddress(_:)` — each returns the bytes written and throws `LISPEncodingError` (before writing) when a
/// value does not fit the wire format.
///
/// Authentication: `writeMapRegister(_:signedWith:)`, `writeMapNotify(_:signedWith:)`,
/// `writeMapNotifyAck(_:signedWith:)` write and sign; `LISPAuthentication.sign(_:key:)` signs an encoded message in
/// place; `LISPAuthentication.verify(_:key:)` / `verify(_:keys:)` check one (constant time) and throw
/// `LISPAuthenticationError`.
///
/// Interoperability: a Map-Notify/-Ack with exactly 24 bytes after its records carries xTR-ID/Site-ID even
/// without the I bit (deployed map-servers send it so); MACs are full length (20 bytes SHA-1, 32 bytes SHA-256).
public enum LISPMessage: Hashable, Sendable {
    case mapRequest(MapRequest)
    case mapReply(MapReply)
    case mapRegister(MapRegister)
    case mapNotify(MapNotify)
    case mapNotifyAck(MapNotify)
    indirect case encapsulated(EncapsulatedControlMessage)

    public var type: LISPMessageType {
        switch self {
        case .mapRequest: return .mapRequest
        case .mapReply: return .mapReply
        case .mapRegister: return .mapRegister
        case .mapNotify: return .mapNotify
        case .mapNotifyAck: return .mapNotifyAck
        case .encapsulated: return .encapsulatedControlMessage
        }
    }

    /// The nonce that pairs requests with replies and registrations with notifications; for an ECM, the nonce of
    /// the message inside.
    public var nonce: UInt64 {
        switch self {
        case .mapRequest(let request): return request.nonce
        case .mapReply(let reply): return reply.nonce
        case .mapRegister(let register): return register.nonce
        case .mapNotify(let notify), .mapNotifyAck(let notify): return notify.nonce
        case .encapsulated(let ecm): return ecm.message.nonce
        }
    }

    /// Decodes the whole readable bytes of `buffer` (one UDP payload) as one message of any type.
    ///
    /// On success the reader index moves past the message; on error it is unchanged.
    public static func decode(from buffer: inout ByteBuffer) throws(LISPDecodingError) -> LISPMessage {
        try decodeWhole(from: &buffer) { (parser: inout LISPParser) throws(LISPDecodingError) in
            try Self.parse(&parser, allowEncapsulation: true)
        }
    }

    static func parse(_ parser: inout LISPParser, allowEncapsulation: Bool) throws(LISPDecodingError) -> LISPMessage {
        let offset = parser.offset
        guard let first = parser.buffer.getInteger(at: parser.buffer.readerIndex, as: UInt8.self) else {
            throw .truncated(field: "message type", offset: offset, needed: 1)
        }
        guard let type = LISPMessageType(rawValue: first >> 4) else {
            throw .unknownMessageType(first >> 4, offset: offset)
        }
        switch type {
        case .mapRequest: return .mapRequest(try MapRequest.parse(&parser))
        case .mapReply: return .mapReply(try MapReply.parse(&parser))
        case .mapRegister: return .mapRegister(try MapRegister.parse(&parser))
        case .mapNotify: return .mapNotify(try MapNotify.parse(&parser, type: .mapNotify))
        case .mapNotifyAck: return .mapNotifyAck(try MapNotify.parse(&parser, type: .mapNotifyAck))
        case .encapsulatedControlMessage:
            guard allowEncapsulation else { throw .nestedEncapsulation(offset: offset) }
            return .encapsulated(try EncapsulatedControlMessage.parse(&parser))
        }
    }
}

extension ByteBuffer {
    /// Writes `message`; returns the bytes written. The buffer is unchanged on error.
    @discardableResult
    public mutating func writeLISPMessage(_ message: LISPMessage) throws(LISPEncodingError) -> Int {
        switch message {
        case .mapRequest(let request): return try self.writeMapRequest(request)
        case .mapReply(let reply): return try self.writeMapReply(reply)
        case .mapRegister(let register): return try self.writeMapRegister(register)
        case .mapNotify(let notify): return try self.writeMapNotify(notify)
        case .mapNotifyAck(let notify): return try self.writeMapNotifyAck(notify)
        case .encapsulated(let ecm): return try self.writeEncapsulatedControlMessage(ecm)
        }
    }
}

/// The message types of the LISP control plane this codec understands.
public enum LISPMessageType: UInt8, Hashable, Sendable, CaseIterable {
    case mapRequest = 1
    case mapReply = 2
    case mapRegister = 3
    case mapNotify = 4
    case mapNotifyAck = 5
    case encapsulatedControlMessage = 8

    /// The type of the message starting at the reader index of `buffer`, without consuming anything; `nil` when
    /// the buffer is empty or the type is unknown.
    public init?(peekingAt buffer: ByteBuffer) {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        self.init(rawValue: first >> 4)
    }

    var headerBits: UInt32 { UInt32(self.rawValue) << 28 }
}

extension LISPMessageType: CustomStringConvertible {
    public var description: String {
        switch self {
        case .mapRequest: return "Map-Request"
        case .mapReply: return "Map-Reply"
        case .mapRegister: return "Map-Register"
        case .mapNotify: return "Map-Notify"
        case .mapNotifyAck: return "Map-Notify-Ack"
        case .encapsulatedControlMessage: return "ECM"
        }
    }
}

/// Parses the readable bytes of `buffer` as exactly one message, moving the reader index only on success.
func decodeWhole<Message>(
    from buffer: inout ByteBuffer,
    parse: (inout LISPParser) throws(LISPDecodingError) -> Message
) throws(LISPDecodingError) -> Message {
    var parser = LISPParser(buffer)
    let message = try parse(&parser)
    try parser.expectEnd()
    buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
    return message
}

/// Reads the first 32-bit word and checks its type nibble.
func readHeaderWord(
    _ parser: inout LISPParser,
    expecting type: LISPMessageType
) throws(LISPDecodingError) -> UInt32 {
    let offset = parser.offset
    let word = try parser.read(UInt32.self, field: "\(type) header")
    let found = UInt8(word >> 28)
    if found != type.rawValue {
        throw .unexpectedMessageType(found, expected: type.rawValue, offset: offset)
    }
    return word
}
