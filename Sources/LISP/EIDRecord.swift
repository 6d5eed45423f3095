import NIOCore

/// What a Map-Reply tells the ITR to do with packets for the EID-prefix (meaningful when there are no locators).
public struct MapReplyAction: RawRepresentable, Hashable, Sendable {
    /// 3 bits on the wire.
    public let rawValue: UInt8

    public init?(rawValue: UInt8) {
        guard rawValue < 8 else { return nil }
        self.rawValue = rawValue
    }

    private init(_ rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let noAction = MapReplyAction(0)
    public static let nativelyForward = MapReplyAction(1)
    public static let sendMapRequest = MapReplyAction(2)
    public static let drop = MapReplyAction(3)
    public static let dropPolicyDenied = MapReplyAction(4)
    public static let dropAuthenticationFailure = MapReplyAction(5)
}

extension MapReplyAction: CustomStringConvertible {
    public var description: String {
        switch self.rawValue {
        case 0: return "no-action"
        case 1: return "natively-forward"
        case 2: return "send-map-request"
        case 3: return "drop"
        case 4: return "drop/policy-denied"
        case 5: return "drop/auth-failure"
        default: return "action-\(self.rawValue)"
        }
    }
}

/// A mapping record: EID-prefix → locator set (RFC 9301 section 5.4), as carried in Map-Reply, Map-Register,
/// Map-Notify and the Map-Reply record of a Map-Request.
public struct EIDRecord: Hashable, Sendable {
    /// Record TTL in minutes; 0 means remove now.
    public var ttlMinutes: UInt32
    /// The EID-prefix address in its wire form.
    public var eid: LISPAddress
    /// The EID mask length.
    public var maskLength: UInt8
    public var action: MapReplyAction
    /// The A bit: set only by the ETR that owns the prefix.
    public var isAuthoritative: Bool
    /// 12 bits; 0 means not versioned.
    public var mapVersion: UInt16
    /// Locators, in wire order. Empty for a negative Map-Reply.
    public var locators: [RLOCRecord]

    public init(
        eid: LISPAddress,
        maskLength: UInt8,
        ttlMinutes: UInt32,
        action: MapReplyAction = .noAction,
        isAuthoritative: Bool = false,
        mapVersion: UInt16 = 0,
        locators: [RLOCRecord] = []
    ) {
        self.ttlMinutes = ttlMinutes
        self.eid = eid
        self.maskLength = maskLength
        self.action = action
        self.isAuthoritative = isAuthoritative
        self.mapVersion = mapVersion
        self.locators = locators
    }

    /// A record for `prefix`; the EID goes in an Instance-ID LCAF when the instance-id is not 0.
    public init(
        prefix: EIDPrefix,
        ttlMinutes: UInt32,
        action: MapReplyAction = .noAction,
        isAuthoritative: Bool = false,
        mapVersion: UInt16 = 0,
        locators: [RLOCRecord] = []
    ) {
        self.init(
            eid: prefix.wireAddress,
            maskLength: prefix.length,
            ttlMinutes: ttlMinutes,
            action: action,
            isAuthoritative: isAuthoritative,
            mapVersion: mapVersion,
            locators: locators
        )
    }

    /// The canonical prefix, or `nil` when the EID has no address (AFI 0).
    public var prefix: EIDPrefix? {
        guard let ip = self.eid.ip, Int(self.maskLength) <= ip.bitWidth else { return nil }
        return EIDPrefix(instanceID: self.eid.instanceID ?? 0, address: ip, length: Int(self.maskLength))
    }

    /// A negative mapping: no locators, only an action.
    public var isNegative: Bool { self.locators.isEmpty }
}

/// One locator of an EID-record.
public struct RLOCRecord: Hashable, Sendable {
    /// Unicast priority; lower is preferred, 255 means do not use.
    public var priority: UInt8
    public var weight: UInt8
    public var multicastPriority: UInt8
    public var multicastWeight: UInt8
    /// L: the locator is local to the sender.
    public var isLocal: Bool
    /// p: the locator was RLOC-probed by the sender.
    public var isProbed: Bool
    /// R: the locator is reachable.
    public var isReachable: Bool
    public var locator: LISPAddress

    public init(
        locator: LISPAddress,
        priority: UInt8 = 1,
        weight: UInt8 = 100,
        multicastPriority: UInt8 = 255,
        multicastWeight: UInt8 = 0,
        isLocal: Bool = false,
        isProbed: Bool = false,
        isReachable: Bool = true
    ) {
        self.priority = priority
        self.weight = weight
        self.multicastPriority = multicastPriority
        self.multicastWeight = multicastWeight
        self.isLocal = isLocal
        self.isProbed = isProbed
        self.isReachable = isReachable
        self.locator = locator
    }

    /// lig's flag string: "lpR" — a letter is upper case when its flag is set.
    public var flagsDescription: String {
        (self.isLocal ? "L" : "l") + (self.isProbed ? "P" : "p") + (self.isReachable ? "R" : "r")
    }
}

extension EIDRecord {
    static let minimumEncodedLength = 12
    static let maximumMapVersion: UInt16 = 0xFFF
}

extension RLOCRecord {
    static let minimumEncodedLength = 8
    static let localFlag: UInt16 = 0x4
    static let probedFlag: UInt16 = 0x2
    static let reachableFlag: UInt16 = 0x1
}

extension LISPParser {
    mutating func readEIDRecord() throws(LISPDecodingError) -> EIDRecord {
        let ttl = try self.read(UInt32.self, field: "EID-record TTL")
        let countOffset = self.offset
        let locatorCount = Int(try self.read(UInt8.self, field: "EID-record locator count"))
        let maskOffset = self.offset
        let maskLength = try self.read(UInt8.self, field: "EID-record mask length")
        let actionWord = try self.read(UInt16.self, field: "EID-record ACT/A")
        let versionWord = try self.read(UInt16.self, field: "EID-record map-version")
        let eid = try self.readAddress(field: "EID-prefix")
        try Self.checkMaskLength(maskLength, for: eid, offset: maskOffset)
        try self.checkCount(
            locatorCount,
            minimumItemSize: RLOCRecord.minimumEncodedLength,
            field: "RLOC-record",
            countOffset: countOffset
        )
        var locators: [RLOCRecord] = []
        locators.reserveCapacity(locatorCount)
        for _ in 0..<locatorCount {
            locators.append(try self.readRLOCRecord())
        }
        return EIDRecord(
            eid: eid,
            maskLength: maskLength,
            ttlMinutes: ttl,
            action: MapReplyAction(rawValue: UInt8(actionWord >> 13))!,
            isAuthoritative: actionWord & 0x1000 != 0,
            mapVersion: versionWord & EIDRecord.maximumMapVersion,
            locators: locators
        )
    }

    mutating func readRLOCRecord() throws(LISPDecodingError) -> RLOCRecord {
        let priority = try self.read(UInt8.self, field: "RLOC-record priority")
        let weight = try self.read(UInt8.self, field: "RLOC-record weight")
        let multicastPriority = try self.read(UInt8.self, field: "RLOC-record multicast priority")
        let multicastWeight = try self.read(UInt8.self, field: "RLOC-record multicast weight")
        let flags = try self.read(UInt16.self, field: "RLOC-record flags")
        let locator = try self.readAddress(field: "locator")
        return RLOCRecord(
            locator: locator,
            priority: priority,
            weight: weight,
            multicastPriority: multicastPriority,
            multicastWeight: multicastWeight,
            isLocal: flags & RLOCRecord.localFlag != 0,
            isProbed: flags & RLOCRecord.probedFlag != 0,
            isReachable: flags & RLOCRecord.reachableFlag != 0
        )
    }

    mutating func readEIDRecords(count: Int, countOffset: Int) throws(LISPDecodingError) -> [EIDRecord] {
        try self.checkCount(
            count,
            minimumItemSize: EIDRecord.minimumEncodedLength,
            field: "EID-record",
            countOffset: countOffset
        )
        var records: [EIDRecord] = []
        records.reserveCapacity(count)
        for _ in 0..<count {
            records.append(try self.readEIDRecord())
        }
        return records
    }
}

extension EIDRecord {
    func validateForEncoding() throws(LISPEncodingError) {
        if self.locators.count > 255 {
            throw .tooMany(field: "RLOC-record", count: self.locators.count, maximum: 255)
        }
        if self.mapVersion > Self.maximumMapVersion {
            throw .valueOutOfRange(
                field: "map-version",
                value: Int(self.mapVersion),
                maximum: Int(Self.maximumMapVersion)
            )
        }
        try validateMaskLength(self.maskLength, for: self.eid)
    }
}

func validateMaskLength(_ maskLength: UInt8, for address: LISPAddress) throws(LISPEncodingError) {
    let maximum = address.ip?.bitWidth ?? 0
    if Int(maskLength) > maximum {
        throw .valueOutOfRange(field: "EID mask length", value: Int(maskLength), maximum: maximum)
    }
}

func validateRecordCount(_ count: Int, field: String) throws(LISPEncodingError) {
    if count > 255 {
        throw .tooMany(field: field, count: count, maximum: 255)
    }
}

extension ByteBuffer {
    /// Writes one EID-record with its RLOC-records; returns the bytes written. The buffer is unchanged on error.
    @discardableResult
    public mutating func writeEIDRecord(_ record: EIDRecord) throws(LISPEncodingError) -> Int {
        try record.validateForEncoding()
        return self.writeValidatedEIDRecord(record)
    }

    mutating func writeValidatedEIDRecord(_ record: EIDRecord) -> Int {
        var written = self.writeMultipleIntegers(
            record.ttlMinutes,
            UInt8(record.locators.count),
            record.maskLength,
            UInt16(record.action.rawValue) << 13 | (record.isAuthoritative ? 0x1000 : 0),
            record.mapVersion,
            endianness: .big
        )
        written += self.writeLISPAddress(record.eid)
        for locator in record.locators {
            var flags: UInt16 = 0
            if locator.isLocal { flags |= RLOCRecord.localFlag }
            if locator.isProbed { flags |= RLOCRecord.probedFlag }
            if locator.isReachable { flags |= RLOCRecord.reachableFlag }
            written += self.writeMultipleIntegers(
                locator.priority,
                locator.weight,
                locator.multicastPriority,
                locator.multicastWeight,
                flags,
                endianness: .big
            )
            written += self.writeLISPAddress(locator.locator)
        }
        return written
    }
}
