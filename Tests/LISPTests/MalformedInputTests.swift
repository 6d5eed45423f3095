import LISP
import LocusTestSupport
import NIOCore
import Testing

@Suite("Malformed input")
struct MalformedInputTests {
    @Test(arguments: Vectors.all.map(\.name))
    func everyTruncationIsATypedError(name: String) throws {
        let vector = try #require(Vectors.all.first { $0.name == name }?.bytes)
        for length in 0..<vector.readableBytes {
            var prefix = vector.getSlice(at: vector.readerIndex, length: length)!
            let before = prefix
            if name == "mapNotifyWithoutIBit", length == vector.readableBytes - 24 {
                // Without the I bit the trailing xTR-ID/Site-ID is optional: this cut is a complete Map-Notify.
                guard case .mapNotify(let notify) = try LISPMessage.decode(from: &prefix) else {
                    Issue.record("expected a Map-Notify")
                    continue
                }
                #expect(notify.xtrIdentity == nil)
                continue
            }
            #expect(throws: LISPDecodingError.self, "\(name) cut to \(length) bytes") {
                try LISPMessage.decode(from: &prefix)
            }
            #expect(prefix == before, "reader index moved on error")
        }
    }

    @Test func truncationErrorsNameFieldAndOffset() {
        // 13 bytes after the header: enough for the one promised record's minimum, not for its LCAF.
        var cut = Vectors.mapReplyPositive.getSlice(at: 0, length: 25)!
        #expect(throws: LISPDecodingError.truncated(field: "EID-prefix LCAF flags", offset: 25, needed: 1)) {
            try LISPMessage.decode(from: &cut)
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomBytesNeverCrash(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        for _ in 0..<3000 {
            let length = Int.random(in: 0...120, using: &random)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            if !bytes.isEmpty, Bool.random(using: &random) {
                // Give the decoders a real type nibble so they get past the first byte.
                let types: [UInt8] = [1, 2, 3, 4, 5, 8]
                bytes[0] = types.randomElement(using: &random)! << 4 | bytes[0] & 0x0F
            }
            var buffer = ByteBuffer(bytes: bytes)
            do {
                let message = try LISPMessage.decode(from: &buffer)
                #expect(buffer.readableBytes == 0)
                #expect(throws: Never.self) { try encode(message) }
            } catch {
                // An error points inside the input (or at its end, where more was needed).
                #expect(error.offset <= length)
                #expect(buffer.readableBytes == length)
            }
        }
    }

    @Test func mutatedVectorsNeverCrash() throws {
        var random = SeededRandom(seed: 42)
        for (_, vector) in Vectors.all {
            for _ in 0..<400 {
                var bytes = Array(vector.readableBytesView)
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] = UInt8.random(in: 0...255, using: &random)
                }
                var buffer = ByteBuffer(bytes: bytes)
                if let message = try? LISPMessage.decode(from: &buffer) {
                    // Whatever decodes must encode again.
                    #expect(throws: Never.self) { try encode(message) }
                }
            }
        }
    }

    @Test func unknownMessageType() {
        var buffer = ByteBuffer(bytes: [0x60, 0, 0, 0])
        #expect(throws: LISPDecodingError.unknownMessageType(6, offset: 0)) { try LISPMessage.decode(from: &buffer) }
        var empty = ByteBuffer()
        #expect(throws: LISPDecodingError.truncated(field: "message type", offset: 0, needed: 1)) {
            try LISPMessage.decode(from: &empty)
        }
    }

    @Test func unknownAFI() {
        // The ITR-RLOC AFI of the plain request sits at byte 14.
        var buffer = Vectors.mapRequestPlain
        buffer.setInteger(UInt16(16), at: 14)
        #expect(throws: LISPDecodingError.unknownAFI(16, field: "ITR-RLOC", offset: 14)) {
            try LISPMessage.decode(from: &buffer)
        }
    }

    @Test func lcafProblems() {
        // The record's LCAF starts at byte 22: AFI, reserved, flags, type (26), IID mask-len, length (28).
        var unknownType = Vectors.mapRequestPlain
        unknownType.setInteger(UInt8(1), at: 26)
        #expect(throws: LISPDecodingError.unknownLCAFType(1, offset: 26)) {
            try LISPMessage.decode(from: &unknownType)
        }

        var wrongLength = Vectors.mapRequestPlain
        wrongLength.setInteger(UInt16(12), at: 28)
        #expect(throws: LISPDecodingError.lcafLengthMismatch(declared: 12, actual: 10, offset: 28)) {
            try LISPMessage.decode(from: &wrongLength)
        }

        var nested = Vectors.mapRequestPlain
        nested.setInteger(UInt16(16387), at: 34)
        #expect(throws: LISPDecodingError.nestedLCAF(offset: 34)) { try LISPMessage.decode(from: &nested) }
    }

    @Test func countOverruns() {
        // Map-Reply claiming 200 records in a message holding one.
        var records = Vectors.mapReplyNegative
        records.setInteger(UInt8(200), at: 3)
        #expect {
            try LISPMessage.decode(from: &records)
        } throws: { error in
            guard case .countOverrun(let field, 200, _, 3) = error as? LISPDecodingError else { return false }
            return field == "EID-record"
        }

        // Locator count 255 (byte 16 of the positive reply).
        var locators = Vectors.mapReplyPositive
        locators.setInteger(UInt8(255), at: 16)
        #expect {
            try LISPMessage.decode(from: &locators)
        } throws: { error in
            guard case .countOverrun(let field, 255, _, 16) = error as? LISPDecodingError else { return false }
            return field == "RLOC-record"
        }
    }

    @Test func invalidMaskLength() {
        var buffer = Vectors.mapRequestProbe
        buffer.setInteger(UInt8(129), at: 33)
        #expect(throws: LISPDecodingError.invalidMaskLength(129, maximum: 128, offset: 33)) {
            try LISPMessage.decode(from: &buffer)
        }
    }

    @Test func trailingBytes() {
        var buffer = Vectors.mapReplyNegative
        buffer.writeBytes([0, 0, 0])
        #expect(throws: LISPDecodingError.trailingBytes(count: 3, offset: 28)) {
            try LISPMessage.decode(from: &buffer)
        }
    }

    @Test func innerLengthMismatch() {
        var buffer = Vectors.ecmIPv6
        buffer.writeBytes([0])
        #expect {
            try LISPMessage.decode(from: &buffer)
        } throws: { error in
            guard case .lengthMismatch(let field, _, _, 8) = error as? LISPDecodingError else { return false }
            return field == "inner IPv6 payload"
        }
    }

    @Test func nestedECMIsRefusedWhenDecoding() throws {
        // Build an ECM whose payload is an ECM by hand: the encoder refuses to.
        var inner = Vectors.ecmIPv4
        var outer = ByteBuffer()
        outer.writeInteger(UInt32(0x8000_0000))
        let udpLength = 8 + inner.readableBytes
        outer.writeMultipleIntegers(
            UInt32(0x6000_0000),
            UInt16(udpLength),
            UInt8(17),
            UInt8(64),
            UInt64(0),
            UInt64(1),
            UInt64(0),
            UInt64(1)
        )
        outer.writeMultipleIntegers(UInt16(1), UInt16(4342), UInt16(udpLength), UInt16(0))
        outer.writeBuffer(&inner)
        #expect {
            try LISPMessage.decode(from: &outer)
        } throws: { error in
            switch error as? LISPDecodingError {
            case .nestedEncapsulation(48): return true
            // The hand-built UDP checksum is zero, which IPv6 does not allow.
            case .badChecksum(_, _, 0, 50): return true
            default: return false
            }
        }
    }

    @Test func errorsReadWellForOperators() {
        let error = LISPDecodingError.truncated(field: "EID-record TTL", offset: 12, needed: 4)
        #expect(error.description.contains("byte 12"))
        #expect(error.description.contains("EID-record TTL"))
        #expect(error.offset == 12)
        #expect(LISPDecodingError.unknownAFI(16, field: "locator", offset: 30).description.contains("AFI 16"))
    }

    @Test func encodingLimitsAreEnforcedBeforeWriting() {
        var buffer = ByteBuffer()
        let noITR = MapRequest(nonce: 1, itrRLOCs: [], records: [])
        #expect(throws: LISPEncodingError.tooFew(field: "ITR-RLOC", count: 0, minimum: 1)) {
            try buffer.writeMapRequest(noITR)
        }
        let record = EIDRecord(prefix: EIDPrefix("10.0.0.0/8")!, ttlMinutes: 1)
        let tooMany = MapReply(nonce: 1, records: Array(repeating: record, count: 256))
        #expect(throws: LISPEncodingError.tooMany(field: "EID-record", count: 256, maximum: 255)) {
            try buffer.writeMapReply(tooMany)
        }
        var versioned = record
        versioned.mapVersion = 0x1000
        #expect(throws: LISPEncodingError.valueOutOfRange(field: "map-version", value: 4096, maximum: 4095)) {
            try buffer.writeEIDRecord(versioned)
        }
        var badMask = record
        badMask.maskLength = 33
        #expect(throws: LISPEncodingError.self) { try buffer.writeMapReply(MapReply(nonce: 1, records: [badMask])) }
        #expect(buffer.readableBytes == 0)
    }
}
