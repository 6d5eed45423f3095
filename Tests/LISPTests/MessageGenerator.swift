import LISP
import LocusTestSupport

/// Builds random messages that are valid for the wire format (counts, lengths and ranges within limits).
struct MessageGenerator {
    var random: SeededRandom

    init(seed: UInt64) {
        self.random = SeededRandom(seed: seed)
    }

    mutating func bool() -> Bool { Bool.random(using: &self.random) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self.random) }
    mutating func u8() -> UInt8 { UInt8.random(in: .min ... .max, using: &self.random) }
    mutating func u16() -> UInt16 { UInt16.random(in: .min ... .max, using: &self.random) }
    mutating func u32() -> UInt32 { UInt32.random(in: .min ... .max, using: &self.random) }
    mutating func u64() -> UInt64 { UInt64.random(in: .min ... .max, using: &self.random) }

    mutating func ipAddress(v6: Bool? = nil) -> IPAddress {
        if v6 ?? self.bool() {
            return .v6(IPv6Address(high: self.u64(), low: self.u64()))
        }
        return .v4(IPv4Address(rawValue: self.u32()))
    }

    mutating func address(allowNone: Bool) -> LISPAddress {
        let ip: IPAddress? = allowNone && self.int(0...5) == 0 ? nil : self.ipAddress()
        if self.bool() {
            return LISPAddress(
                ip,
                instanceID: self.bool() ? UInt32(self.int(0...0xFF_FFFF)) : self.u32(),
                instanceIDMaskLength: self.int(0...3) == 0 ? self.u8() : 0
            )
        }
        return LISPAddress(ip)
    }

    mutating func maskLength(for address: LISPAddress) -> UInt8 {
        UInt8(self.int(0...(address.ip?.bitWidth ?? 0)))
    }

    mutating func rloc() -> RLOCRecord {
        RLOCRecord(
            locator: self.address(allowNone: false),
            priority: self.u8(),
            weight: self.u8(),
            multicastPriority: self.u8(),
            multicastWeight: self.u8(),
            isLocal: self.bool(),
            isProbed: self.bool(),
            isReachable: self.bool()
        )
    }

    mutating func eidRecord() -> EIDRecord {
        let eid = self.address(allowNone: true)
        return EIDRecord(
            eid: eid,
            maskLength: self.maskLength(for: eid),
            ttlMinutes: self.bool() ? UInt32(self.int(0...1440)) : self.u32(),
            action: MapReplyAction(rawValue: UInt8(self.int(0...7)))!,
            isAuthoritative: self.bool(),
            mapVersion: UInt16(self.int(0...0xFFF)),
            locators: (0..<self.int(0...4)).map { _ in self.rloc() }
        )
    }

    mutating func identity() -> XTRIdentity? {
        guard self.bool() else { return nil }
        return XTRIdentity(xtrID: XTRID(high: self.u64(), low: self.u64()), siteID: self.u64())
    }

    mutating func mapRequest() -> MapRequest {
        let records = (0..<self.int(0...3)).map { _ in
            let eid = self.address(allowNone: true)
            return MapRequest.Record(eid: eid, maskLength: self.maskLength(for: eid), isSubscribe: self.bool())
        }
        return MapRequest(
            nonce: self.u64(),
            sourceEID: self.address(allowNone: true),
            itrRLOCs: (0..<self.int(1...4)).map { _ in self.address(allowNone: false) },
            records: records,
            isAuthoritative: self.bool(),
            isProbe: self.bool(),
            isSolicitMapRequest: self.bool(),
            isFromPITR: self.bool(),
            isSMRInvoked: self.bool(),
            isToLocalXTR: self.bool(),
            suppressesMapReply: self.bool(),
            mapReplyRecord: self.bool() ? self.eidRecord() : nil,
            xtrIdentity: self.identity()
        )
    }

    mutating func mapReply() -> MapReply {
        MapReply(
            nonce: self.u64(),
            records: (0..<self.int(0...4)).map { _ in self.eidRecord() },
            isProbeReply: self.bool(),
            isEchoNonceCapable: self.bool(),
            isSecurity: self.bool()
        )
    }

    mutating func authentication() -> (LISPAuthAlgorithm, [UInt8]) {
        let algorithm: LISPAuthAlgorithm
        switch self.int(0...3) {
        case 0: algorithm = .none
        case 1: algorithm = .hmacSHA1
        case 2: algorithm = .hmacSHA256
        default: algorithm = LISPAuthAlgorithm(rawValue: UInt8(self.int(3...255)))
        }
        let length = algorithm.authenticationDataLength ?? self.int(0...48)
        return (algorithm, (0..<length).map { _ in self.u8() })
    }

    mutating func mapRegister() -> MapRegister {
        let (algorithm, authenticationData) = self.authentication()
        return MapRegister(
            nonce: self.u64(),
            keyID: self.u8(),
            algorithm: algorithm,
            records: (0..<self.int(0...4)).map { _ in self.eidRecord() },
            wantsProxyReply: self.bool(),
            isSecurity: self.bool(),
            expiresByRecordTTL: self.bool(),
            wantsMerge: self.bool(),
            wantsMapNotify: self.bool(),
            xtrIdentity: self.identity(),
            authenticationData: authenticationData
        )
    }

    mutating func mapNotify() -> MapNotify {
        let (algorithm, authenticationData) = self.authentication()
        return MapNotify(
            nonce: self.u64(),
            keyID: self.u8(),
            algorithm: algorithm,
            records: (0..<self.int(0...4)).map { _ in self.eidRecord() },
            xtrIdentity: self.identity(),
            authenticationData: authenticationData
        )
    }

    mutating func unencapsulatedMessage() -> LISPMessage {
        switch self.int(0...4) {
        case 0: return .mapRequest(self.mapRequest())
        case 1: return .mapReply(self.mapReply())
        case 2: return .mapRegister(self.mapRegister())
        case 3: return .mapNotify(self.mapNotify())
        default: return .mapNotifyAck(self.mapNotify())
        }
    }

    mutating func message() -> LISPMessage {
        guard self.int(0...5) == 0 else { return self.unencapsulatedMessage() }
        let v6 = self.bool()
        return .encapsulated(
            EncapsulatedControlMessage(
                source: self.ipAddress(v6: v6),
                destination: self.ipAddress(v6: v6),
                sourcePort: self.u16(),
                destinationPort: self.u16(),
                hopLimit: self.u8(),
                message: self.unencapsulatedMessage(),
                isSecurity: self.bool(),
                isDDT: self.bool()
            )
        )
    }
}
