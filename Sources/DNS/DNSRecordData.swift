import NIOCore

/// The start-of-authority data of a zone (RFC 1035 §3.3.13).
public struct SOAData: Hashable, Sendable {
    public var primaryServer: DNSName
    public var responsibleMailbox: DNSName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    /// The TTL of negative answers (RFC 2308).
    public var minimum: UInt32

    public init(
        primaryServer: DNSName,
        responsibleMailbox: DNSName,
        serial: UInt32,
        refresh: UInt32,
        retry: UInt32,
        expire: UInt32,
        minimum: UInt32
    ) {
        self.primaryServer = primaryServer
        self.responsibleMailbox = responsibleMailbox
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }
}

/// The RDATA of a resource record, decoded for the types Locus reads and kept opaque otherwise.
public enum DNSRecordData: Hashable, Sendable {
    case a(DNSAddress)
    case aaaa(DNSAddress)
    case ns(DNSName)
    case cname(DNSName)
    case ptr(DNSName)
    case soa(SOAData)
    /// Character strings, each at most 255 bytes.
    case txt([[UInt8]])
    /// No RDATA: the form UPDATE deletions and prerequisites use with class ANY or NONE.
    case empty
    /// RDATA of a type this codec does not interpret, byte for byte.
    case opaque([UInt8])

    /// The record type this data implies, or nil for `.empty` and `.opaque`, whose type lives in the record.
    public var impliedType: DNSRecordType? {
        switch self {
        case .a: return .a
        case .aaaa: return .aaaa
        case .ns: return .ns
        case .cname: return .cname
        case .ptr: return .ptr
        case .soa: return .soa
        case .txt: return .txt
        case .empty, .opaque: return nil
        }
    }

    /// TXT strings as text (invalid UTF-8 is repaired), or nil for other data.
    public var textStrings: [String]? {
        guard case .txt(let strings) = self else { return nil }
        return strings.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The address of an A or AAAA record.
    public var address: DNSAddress? {
        switch self {
        case .a(let address), .aaaa(let address): return address
        default: return nil
        }
    }

    /// The target of an NS, CNAME or PTR record.
    public var targetName: DNSName? {
        switch self {
        case .ns(let name), .cname(let name), .ptr(let name): return name
        default: return nil
        }
    }

    /// TXT data from strings; each string longer than 255 bytes is split, as zone files do.
    public static func text(_ strings: [String]) -> DNSRecordData {
        var chunks: [[UInt8]] = []
        for string in strings {
            var bytes = Array(string.utf8)[...]
            repeat {
                chunks.append(Array(bytes.prefix(255)))
                bytes = bytes.dropFirst(255)
            } while !bytes.isEmpty
        }
        return .txt(chunks)
    }

    static func decode(
        type: DNSRecordType,
        recordClass: DNSClass,
        length: Int,
        from reader: inout DNSMessageReader
    ) throws(DNSDecodingError) -> DNSRecordData {
        let start = reader.offset
        guard reader.remaining >= length else { throw .truncated(field: "\(type) RDATA", offset: start) }
        if length == 0, recordClass == .any || recordClass == .none { return .empty }
        let data: DNSRecordData
        switch type {
        case .a, .aaaa:
            let size = type == .a ? 4 : 16
            guard length == size else { throw .badRDataLength(type: type, length: length, offset: start) }
            let address = DNSAddress(bytes: try reader.readBytes(size, "\(type) address"))!
            data = type == .a ? .a(address) : .aaaa(address)
        case .ns:
            data = .ns(try reader.readName("NS target"))
        case .cname:
            data = .cname(try reader.readName("CNAME target"))
        case .ptr:
            data = .ptr(try reader.readName("PTR target"))
        case .soa:
            data = .soa(
                SOAData(
                    primaryServer: try reader.readName("SOA MNAME"),
                    responsibleMailbox: try reader.readName("SOA RNAME"),
                    serial: try reader.readUInt32("SOA SERIAL"),
                    refresh: try reader.readUInt32("SOA REFRESH"),
                    retry: try reader.readUInt32("SOA RETRY"),
                    expire: try reader.readUInt32("SOA EXPIRE"),
                    minimum: try reader.readUInt32("SOA MINIMUM")
                )
            )
        case .txt:
            var strings: [[UInt8]] = []
            while reader.offset < start + length {
                let count = Int(try reader.readUInt8("TXT string length"))
                guard reader.offset + count <= start + length else {
                    throw .badRDataLength(type: type, length: length, offset: start)
                }
                strings.append(try reader.readBytes(count, "TXT string"))
            }
            data = .txt(strings)
        default:
            data = .opaque(try reader.readBytes(length, "\(type) RDATA"))
        }
        // A name inside RDATA can run past RDLENGTH while staying inside the message; that is malformed too.
        guard reader.offset == start + length else {
            throw .badRDataLength(type: type, length: length, offset: start)
        }
        return data
    }

    /// Writes the RDATA (without its length). Names in the RFC 1035 types may be compressed (RFC 3597 §4).
    func write(to writer: inout DNSMessageWriter) {
        switch self {
        case .a(let address), .aaaa(let address):
            writer.buffer.writeBytes(address.bytes)
        case .ns(let name), .cname(let name), .ptr(let name):
            writer.writeName(name, compress: true)
        case .soa(let soa):
            writer.writeName(soa.primaryServer, compress: true)
            writer.writeName(soa.responsibleMailbox, compress: true)
            writer.buffer.writeMultipleIntegers(soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum)
        case .txt(let strings):
            for string in strings {
                writer.buffer.writeInteger(UInt8(min(string.count, 255)))
                writer.buffer.writeBytes(string.prefix(255))
            }
        case .empty:
            break
        case .opaque(let bytes):
            writer.buffer.writeBytes(bytes)
        }
    }
}
