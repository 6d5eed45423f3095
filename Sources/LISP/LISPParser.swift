import NIOCore

/// Reads big-endian fields from a bounded slice of one message and turns every shortfall into a typed error
/// whose offset is counted from the first byte of the outermost message.
struct LISPParser {
    private(set) var buffer: ByteBuffer
    /// The reader index that corresponds to offset 0 of the outermost message.
    private let origin: Int

    init(_ buffer: ByteBuffer, baseOffset: Int = 0) {
        self.buffer = buffer
        self.origin = buffer.readerIndex - baseOffset
    }

    var offset: Int { self.buffer.readerIndex - self.origin }
    var remaining: Int { self.buffer.readableBytes }

    // Field names are autoclosures so that the hot path never builds the strings an error message needs.

    mutating func read<T: FixedWidthInteger>(
        _: T.Type = T.self,
        field: @autoclosure () -> String
    ) throws(LISPDecodingError) -> T {
        guard let value = self.buffer.readInteger(endianness: .big, as: T.self) else {
            throw .truncated(field: field(), offset: self.offset, needed: MemoryLayout<T>.size)
        }
        return value
    }

    mutating func readBytes(_ count: Int, field: @autoclosure () -> String) throws(LISPDecodingError) -> [UInt8] {
        guard let bytes = self.buffer.readBytes(length: count) else {
            throw .truncated(field: field(), offset: self.offset, needed: count)
        }
        return bytes
    }

    mutating func readSlice(_ count: Int, field: @autoclosure () -> String) throws(LISPDecodingError) -> ByteBuffer {
        guard let slice = self.buffer.readSlice(length: count) else {
            throw .truncated(field: field(), offset: self.offset, needed: count)
        }
        return slice
    }

    /// Rejects a count whose items cannot possibly fit before allocating anything for them.
    func checkCount(
        _ count: Int,
        minimumItemSize: Int,
        field: @autoclosure () -> String,
        countOffset: Int
    ) throws(LISPDecodingError) {
        if count * minimumItemSize > self.remaining {
            throw .countOverrun(field: field(), count: count, remainingBytes: self.remaining, offset: countOffset)
        }
    }

    func expectEnd() throws(LISPDecodingError) {
        if self.remaining > 0 {
            throw .trailingBytes(count: self.remaining, offset: self.offset)
        }
    }
}

extension LISPParser {
    static let afiNone: UInt16 = 0
    static let afiIPv4: UInt16 = 1
    static let afiIPv6: UInt16 = 2
    static let afiLCAF: UInt16 = 16387
    static let lcafTypeInstanceID: UInt8 = 2

    mutating func readIPAddress(afi: UInt16, field: String, afiOffset: Int) throws(LISPDecodingError) -> IPAddress? {
        switch afi {
        case Self.afiNone:
            return nil
        case Self.afiIPv4:
            return .v4(IPv4Address(rawValue: try self.read(UInt32.self, field: field)))
        case Self.afiIPv6:
            let high = try self.read(UInt64.self, field: field)
            let low = try self.read(UInt64.self, field: field)
            return .v6(IPv6Address(high: high, low: low))
        default:
            throw .unknownAFI(afi, field: field, offset: afiOffset)
        }
    }

    /// Reads an AFI-encoded address, unwrapping an Instance-ID LCAF (RFC 8060 section 4.1).
    mutating func readAddress(field: String) throws(LISPDecodingError) -> LISPAddress {
        let afiOffset = self.offset
        let afi = try self.read(UInt16.self, field: "\(field) AFI")
        guard afi == Self.afiLCAF else {
            return LISPAddress(try self.readIPAddress(afi: afi, field: field, afiOffset: afiOffset))
        }
        let lcafOffset = self.offset
        _ = try self.read(UInt8.self, field: "\(field) LCAF reserved")
        _ = try self.read(UInt8.self, field: "\(field) LCAF flags")
        let type = try self.read(UInt8.self, field: "\(field) LCAF type")
        guard type == Self.lcafTypeInstanceID else {
            throw .unknownLCAFType(type, offset: lcafOffset + 2)
        }
        let maskLength = try self.read(UInt8.self, field: "\(field) LCAF IID mask-len")
        let lengthOffset = self.offset
        let length = Int(try self.read(UInt16.self, field: "\(field) LCAF length"))
        let start = self.offset
        let instanceID = try self.read(UInt32.self, field: "\(field) Instance-ID")
        let innerAFIOffset = self.offset
        let innerAFI = try self.read(UInt16.self, field: "\(field) AFI")
        if innerAFI == Self.afiLCAF {
            throw .nestedLCAF(offset: innerAFIOffset)
        }
        let ip = try self.readIPAddress(afi: innerAFI, field: field, afiOffset: innerAFIOffset)
        let actual = self.offset - start
        if actual != length {
            throw .lcafLengthMismatch(declared: length, actual: actual, offset: lengthOffset)
        }
        return LISPAddress(ip, instanceID: instanceID, instanceIDMaskLength: maskLength)
    }

    /// Reads a mask length and checks it against the address that follows it.
    static func checkMaskLength(_ maskLength: UInt8, for address: LISPAddress, offset: Int) throws(LISPDecodingError) {
        let maximum = address.ip?.bitWidth ?? 0
        if Int(maskLength) > maximum {
            throw .invalidMaskLength(maskLength, maximum: maximum, offset: offset)
        }
    }
}
