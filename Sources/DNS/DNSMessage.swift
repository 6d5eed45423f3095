import NIOCore

/// A DNS message (RFC 1035 §4), also used for UPDATE (RFC 2136), whose sections reuse the same layout.
///
/// The OPT and TSIG pseudo-records are lifted out of the additional section into ``edns`` and ``tsig``;
/// the header's counts are derived from the sections when encoding.
public struct DNSMessage: Hashable, Sendable {
    public var id: UInt16
    public var isResponse: Bool
    public var opcode: DNSOpcode
    public var isAuthoritativeAnswer: Bool
    public var isTruncated: Bool
    public var isRecursionDesired: Bool
    public var isRecursionAvailable: Bool
    public var isAuthenticData: Bool
    public var isCheckingDisabled: Bool
    /// The full response code: header bits plus the OPT record's extended bits.
    public var responseCode: DNSResponseCode
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authorities: [DNSResourceRecord]
    /// Additional records other than OPT and TSIG.
    public var additionals: [DNSResourceRecord]
    public var edns: EDNS?
    public var tsig: TSIGRecord?

    public init(
        id: UInt16,
        isResponse: Bool = false,
        opcode: DNSOpcode = .query,
        isAuthoritativeAnswer: Bool = false,
        isTruncated: Bool = false,
        isRecursionDesired: Bool = false,
        isRecursionAvailable: Bool = false,
        isAuthenticData: Bool = false,
        isCheckingDisabled: Bool = false,
        responseCode: DNSResponseCode = .noError,
        questions: [DNSQuestion] = [],
        answers: [DNSResourceRecord] = [],
        authorities: [DNSResourceRecord] = [],
        additionals: [DNSResourceRecord] = [],
        edns: EDNS? = nil,
        tsig: TSIGRecord? = nil
    ) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.isAuthoritativeAnswer = isAuthoritativeAnswer
        self.isTruncated = isTruncated
        self.isRecursionDesired = isRecursionDesired
        self.isRecursionAvailable = isRecursionAvailable
        self.isAuthenticData = isAuthenticData
        self.isCheckingDisabled = isCheckingDisabled
        self.responseCode = responseCode
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
        self.edns = edns
        self.tsig = tsig
    }

    /// A query for one name and type, without recursion (Locus asks authoritative servers directly).
    public static func query(
        id: UInt16,
        name: DNSName,
        type: DNSRecordType,
        edns: EDNS? = EDNS()
    ) -> DNSMessage {
        DNSMessage(id: id, questions: [DNSQuestion(name: name, type: type)], edns: edns)
    }

    // MARK: UPDATE section names (RFC 2136 §2)

    /// UPDATE: the zone section (one SOA-typed entry naming the zone).
    public var zones: [DNSQuestion] {
        get { questions }
        set { questions = newValue }
    }

    /// UPDATE: the prerequisite section.
    public var prerequisites: [DNSResourceRecord] {
        get { answers }
        set { answers = newValue }
    }

    /// UPDATE: the update section.
    public var updates: [DNSResourceRecord] {
        get { authorities }
        set { authorities = newValue }
    }

    // MARK: Decoding

    /// Decodes one whole message: all readable bytes of `buffer` are consumed.
    ///
    /// On error the buffer's reader index is left unchanged.
    public static func decode(from buffer: inout ByteBuffer) throws(DNSDecodingError) -> DNSMessage {
        let (message, _) = try decodeLocatingTSIG(buffer)
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return message
    }

    /// Decodes a message from its bytes.
    public init(bytes: [UInt8]) throws(DNSDecodingError) {
        var buffer = ByteBuffer(bytes: bytes)
        self = try Self.decode(from: &buffer)
    }

    /// Decodes and also returns where the TSIG record starts, which MAC verification needs.
    static func decodeLocatingTSIG(_ buffer: ByteBuffer) throws(DNSDecodingError) -> (DNSMessage, tsigOffset: Int?) {
        var reader = DNSMessageReader(buffer)
        let id = try reader.readUInt16("header ID")
        let flags = try reader.readUInt16("header flags")
        let questionCount = Int(try reader.readUInt16("header QDCOUNT"))
        let answerCount = Int(try reader.readUInt16("header ANCOUNT"))
        let authorityCount = Int(try reader.readUInt16("header NSCOUNT"))
        let additionalCount = Int(try reader.readUInt16("header ARCOUNT"))

        var message = DNSMessage(
            id: id,
            isResponse: flags & 0x8000 != 0,
            opcode: DNSOpcode(rawValue: UInt8((flags >> 11) & 0x0F)),
            isAuthoritativeAnswer: flags & 0x0400 != 0,
            isTruncated: flags & 0x0200 != 0,
            isRecursionDesired: flags & 0x0100 != 0,
            isRecursionAvailable: flags & 0x0080 != 0,
            isAuthenticData: flags & 0x0020 != 0,
            isCheckingDisabled: flags & 0x0010 != 0,
            responseCode: DNSResponseCode(rawValue: flags & 0x000F)
        )

        // Each entry takes at least 5 (question) or 11 (record) bytes: reject absurd counts before looping,
        // naming the first section that cannot fit.
        let sections = [
            ("question", questionCount, 5), ("answer", answerCount, 11), ("authority", authorityCount, 11),
            ("additional", additionalCount, 11),
        ]
        var needed = 0
        for (section, count, minimumSize) in sections {
            needed += count * minimumSize
            if needed > reader.remaining {
                throw .countOverrun(section: section, count: count, offset: reader.offset)
            }
        }

        for _ in 0..<questionCount {
            let name = try reader.readName("question name")
            let type = DNSRecordType(rawValue: try reader.readUInt16("question TYPE"))
            let questionClass = DNSClass(rawValue: try reader.readUInt16("question CLASS"))
            message.questions.append(DNSQuestion(name: name, type: type, questionClass: questionClass))
        }
        for _ in 0..<answerCount {
            message.answers.append(try decodeOrdinaryRecord(from: &reader))
        }
        for _ in 0..<authorityCount {
            message.authorities.append(try decodeOrdinaryRecord(from: &reader))
        }
        var tsigOffset: Int? = nil
        for index in 0..<additionalCount {
            let recordStart = reader.offset
            let name = try reader.readName("record owner name")
            let type = DNSRecordType(rawValue: try reader.readUInt16("record TYPE"))
            let rawClass = try reader.readUInt16("record CLASS")
            let ttl = try reader.readUInt32("record TTL")
            let length = Int(try reader.readUInt16("record RDLENGTH"))
            switch type {
            case .opt:
                guard message.edns == nil, name == .root else {
                    throw .misplacedRecord(type: .opt, offset: recordStart)
                }
                message.edns = try decodeOPT(payloadSize: rawClass, ttl: ttl, length: length, from: &reader)
                let extended = UInt16(ttl >> 24) << 4
                message.responseCode = DNSResponseCode(rawValue: extended | message.responseCode.rawValue)
            case .tsig:
                guard index == additionalCount - 1 else { throw .misplacedRecord(type: .tsig, offset: recordStart) }
                message.tsig = try TSIGRecord.decode(keyName: name, length: length, from: &reader)
                tsigOffset = recordStart
            default:
                let recordClass = DNSClass(rawValue: rawClass)
                let data = try DNSRecordData.decode(
                    type: type,
                    recordClass: recordClass,
                    length: length,
                    from: &reader
                )
                message.additionals.append(
                    DNSResourceRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data)
                )
            }
        }
        if reader.remaining > 0 {
            throw .trailingBytes(count: reader.remaining, offset: reader.offset)
        }
        return (message, tsigOffset)
    }

    private static func decodeOrdinaryRecord(
        from reader: inout DNSMessageReader
    ) throws(DNSDecodingError) -> DNSResourceRecord {
        let start = reader.offset
        let record = try DNSResourceRecord.decode(from: &reader)
        if record.type == .opt || record.type == .tsig {
            throw .misplacedRecord(type: record.type, offset: start)
        }
        return record
    }

    private static func decodeOPT(
        payloadSize: UInt16,
        ttl: UInt32,
        length: Int,
        from reader: inout DNSMessageReader
    ) throws(DNSDecodingError) -> EDNS {
        let start = reader.offset
        guard reader.remaining >= length else { throw .truncated(field: "OPT RDATA", offset: start) }
        var options: [EDNS.Option] = []
        while reader.offset < start + length {
            let code = try reader.readUInt16("EDNS option code")
            let optionLength = Int(try reader.readUInt16("EDNS option length"))
            guard reader.offset + optionLength <= start + length else {
                throw .badRDataLength(type: .opt, length: length, offset: start)
            }
            options.append(EDNS.Option(code: code, data: try reader.readBytes(optionLength, "EDNS option data")))
        }
        return EDNS(
            udpPayloadSize: payloadSize,
            version: UInt8((ttl >> 16) & 0xFF),
            dnssecOK: ttl & 0x8000 != 0,
            options: options
        )
    }

    // MARK: Encoding

    /// The wire form, names compressed, TSIG (if set) last.
    ///
    /// A response code above 15 needs an OPT record for its high bits; one with default values is added
    /// when ``edns`` is nil, rather than silently losing those bits.
    public func encoded() -> ByteBuffer {
        var writer = DNSMessageWriter()
        writeBody(to: &writer, includingTSIG: true)
        return writer.buffer
    }

    /// The wire form as bytes.
    public var bytes: [UInt8] {
        let buffer = encoded()
        return buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
    }

    func writeBody(to writer: inout DNSMessageWriter, includingTSIG: Bool) {
        let edns = self.edns ?? (responseCode.rawValue > 0x0F ? EDNS() : nil)
        var flags: UInt16 = 0
        if isResponse { flags |= 0x8000 }
        flags |= UInt16(opcode.rawValue) << 11
        if isAuthoritativeAnswer { flags |= 0x0400 }
        if isTruncated { flags |= 0x0200 }
        if isRecursionDesired { flags |= 0x0100 }
        if isRecursionAvailable { flags |= 0x0080 }
        if isAuthenticData { flags |= 0x0020 }
        if isCheckingDisabled { flags |= 0x0010 }
        flags |= responseCode.rawValue & 0x0F
        let additionalCount =
            additionals.count + (edns == nil ? 0 : 1) + (includingTSIG && tsig != nil ? 1 : 0)
        writer.buffer.writeMultipleIntegers(
            id,
            flags,
            UInt16(questions.count),
            UInt16(answers.count),
            UInt16(authorities.count),
            UInt16(additionalCount)
        )
        for question in questions {
            writer.writeName(question.name, compress: true)
            writer.buffer.writeMultipleIntegers(question.type.rawValue, question.questionClass.rawValue)
        }
        for record in answers { record.write(to: &writer) }
        for record in authorities { record.write(to: &writer) }
        for record in additionals { record.write(to: &writer) }
        if let edns {
            writer.writeName(.root, compress: false)
            let ttl =
                UInt32(responseCode.rawValue >> 4 & 0xFF) << 24 | UInt32(edns.version) << 16
                | (edns.dnssecOK ? 0x8000 : 0)
            writer.buffer.writeMultipleIntegers(DNSRecordType.opt.rawValue, edns.udpPayloadSize, ttl)
            writer.writeLengthPrefixed { writer in
                for option in edns.options {
                    writer.buffer.writeMultipleIntegers(option.code, UInt16(option.data.count))
                    writer.buffer.writeBytes(option.data)
                }
            }
        }
        if includingTSIG, let tsig { tsig.write(to: &writer) }
    }
}
