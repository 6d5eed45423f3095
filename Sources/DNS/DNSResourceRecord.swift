/// A resource record: owner name, type, class, TTL and data.
public struct DNSResourceRecord: Hashable, Sendable, CustomStringConvertible {
    public var name: DNSName
    public var type: DNSRecordType
    public var recordClass: DNSClass
    public var ttl: UInt32
    public var data: DNSRecordData

    /// A record whose type follows from its data (use the other initializer for `.empty` and `.opaque`).
    public init(name: DNSName, ttl: UInt32, data: DNSRecordData, recordClass: DNSClass = .internet) {
        precondition(data.impliedType != nil, "empty or opaque data needs an explicit record type")
        self.init(name: name, type: data.impliedType!, recordClass: recordClass, ttl: ttl, data: data)
    }

    public init(name: DNSName, type: DNSRecordType, recordClass: DNSClass, ttl: UInt32, data: DNSRecordData) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    /// Zone-file-like text, e.g. `www.lab.test. 300 IN A 192.0.2.10`.
    public var description: String {
        let rdata: String
        switch data {
        case .a(let address), .aaaa(let address): rdata = address.description
        case .ns(let name), .cname(let name), .ptr(let name): rdata = name.description
        case .soa(let soa):
            rdata =
                "\(soa.primaryServer) \(soa.responsibleMailbox) \(soa.serial) \(soa.refresh) \(soa.retry) "
                + "\(soa.expire) \(soa.minimum)"
        case .txt: rdata = (data.textStrings ?? []).map { "\"\($0)\"" }.joined(separator: " ")
        case .empty: rdata = ""
        case .opaque(let bytes): rdata = "\\# \(bytes.count) " + bytes.map { hexByte($0) }.joined()
        }
        return "\(name) \(ttl) \(recordClass) \(type) \(rdata)".trimmingSuffixSpaces()
    }

    static func decode(from reader: inout DNSMessageReader) throws(DNSDecodingError) -> DNSResourceRecord {
        let name = try reader.readName("record owner name")
        let type = DNSRecordType(rawValue: try reader.readUInt16("record TYPE"))
        let recordClass = DNSClass(rawValue: try reader.readUInt16("record CLASS"))
        let ttl = try reader.readUInt32("record TTL")
        let length = Int(try reader.readUInt16("record RDLENGTH"))
        let data = try DNSRecordData.decode(type: type, recordClass: recordClass, length: length, from: &reader)
        return DNSResourceRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data)
    }

    func write(to writer: inout DNSMessageWriter) {
        writer.writeName(name, compress: true)
        writer.buffer.writeMultipleIntegers(type.rawValue, recordClass.rawValue, ttl)
        writer.writeLengthPrefixed { data.write(to: &$0) }
    }
}

func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}

extension String {
    fileprivate func trimmingSuffixSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

/// A question: the name, type and class asked about.
public struct DNSQuestion: Hashable, Sendable, CustomStringConvertible {
    public var name: DNSName
    public var type: DNSRecordType
    public var questionClass: DNSClass

    public init(name: DNSName, type: DNSRecordType, questionClass: DNSClass = .internet) {
        self.name = name
        self.type = type
        self.questionClass = questionClass
    }

    public var description: String { "\(name) \(questionClass) \(type)" }
}
