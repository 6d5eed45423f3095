import DNS
import LocusTestSupport
import Testing

@Suite("Malformed input gives typed errors, never a crash")
struct MalformedInputTests {
    @Test(arguments: CapturedVectors.all.map(\.name))
    func everyTruncationIsRejected(vector: String) {
        let bytes = CapturedVectors.all.first { $0.name == vector }!.bytes
        for length in 0..<bytes.count {
            do {
                let message = try DNSMessage(bytes: Array(bytes.prefix(length)))
                Issue.record("\(vector) cut to \(length) bytes decoded as \(message)")
            } catch {
                switch error {
                case .truncated, .countOverrun: break
                default: Issue.record("\(vector) cut to \(length): unexpected \(error)")
                }
            }
        }
    }

    @Test func pointerToItselfIsAForwardPointer() {
        // Header with QDCOUNT=1, then a name that is only a pointer to offset 12, itself.
        let bytes = hex("0001 0000 0001 0000 0000 0000  c00c 0001 0001")
        #expect(throws: DNSDecodingError.badPointer(target: 12, offset: 12)) { try DNSMessage(bytes: bytes) }
    }

    @Test func pointerForwardIsRejected() {
        let bytes = hex("0001 0000 0001 0000 0000 0000  c010 0001 0001 0161 00")
        #expect(throws: DNSDecodingError.badPointer(target: 16, offset: 12)) { try DNSMessage(bytes: bytes) }
    }

    @Test func pointerBackIntoTheSameNameIsALoop() {
        // "a" at 12, then a pointer at 14 back to 12: following it would read "a" forever.
        let bytes = hex("0001 0000 0001 0000 0000 0000  0161 c00c 0001 0001")
        #expect(throws: DNSDecodingError.compressionLoop(target: 12, offset: 14)) { try DNSMessage(bytes: bytes) }
    }

    @Test func loopThroughAnEarlierNameIsDetected() {
        // Question name at 12 is "a" + pointer to 20; the answer name at 20 is "b" + pointer back to 12.
        // Reading the answer: 20 "b" -> 12 "a" -> pointer to 20, which is not before the run starting at 12.
        let bytes = hex(
            """
            0001 8000 0001 0001 0000 0000
            0161 c014 0001 0001
            0162 c00c 0001 0001 00000000 0000
            """
        )
        #expect(throws: DNSDecodingError.self) { try DNSMessage(bytes: bytes) }
        do {
            _ = try DNSMessage(bytes: bytes)
        } catch {
            switch error {
            case .badPointer, .compressionLoop: break
            default: Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func reservedLabelTypeIsRejected() {
        let bytes = hex("0001 0000 0001 0000 0000 0000  4161 00 0001 0001")
        #expect(throws: DNSDecodingError.reservedLabelType(byte: 0x41, offset: 12)) { try DNSMessage(bytes: bytes) }
    }

    @Test func nameOver255BytesIsRejected() {
        let label: [UInt8] = [63] + Array(repeating: UInt8(ascii: "x"), count: 63)
        let bytes =
            hex("0001 0000 0001 0000 0000 0000") + Array([[UInt8]](repeating: label, count: 5).joined()) + [
                0, 0, 1, 0, 1,
            ]
        #expect(throws: DNSDecodingError.nameTooLong(offset: 12 + 3 * 64)) { try DNSMessage(bytes: bytes) }
    }

    @Test func countOverrunIsRejectedBeforeLooping() {
        let bytes = hex("0001 0000 ffff 0000 0000 0000")
        #expect(throws: DNSDecodingError.countOverrun(section: "question", count: 65535, offset: 12)) {
            try DNSMessage(bytes: bytes)
        }
    }

    @Test func trailingBytesAreRejected() {
        let bytes = CapturedVectors.query + [0xde, 0xad]
        #expect(throws: DNSDecodingError.trailingBytes(count: 2, offset: CapturedVectors.query.count)) {
            try DNSMessage(bytes: bytes)
        }
    }

    @Test func wrongRDataLengthIsRejected() {
        // An A record claiming 5 bytes of RDATA.
        let bytes = hex("0001 8000 0000 0001 0000 0000  00 0001 0001 00000000 0005 0102030405")
        #expect(throws: DNSDecodingError.badRDataLength(type: .a, length: 5, offset: 23)) {
            try DNSMessage(bytes: bytes)
        }
        // A CNAME whose target runs past its RDLENGTH of 2.
        let overrun = hex("0001 8000 0000 0001 0000 0000  00 0005 0001 00000000 0002 0161 00")
        #expect(throws: DNSDecodingError.badRDataLength(type: .cname, length: 2, offset: 23)) {
            try DNSMessage(bytes: overrun)
        }
    }

    @Test func tsigMustBeLast() {
        // ARCOUNT=2: a TSIG record (root owner, empty RDATA) followed by an A record.
        let bytes = hex(
            "0001 0000 0000 0000 0000 0002  00 00fa 00ff 00000000 0000  00 0001 0001 00000000 0004 01020304"
        )
        #expect(throws: DNSDecodingError.misplacedRecord(type: .tsig, offset: 12)) { try DNSMessage(bytes: bytes) }
    }

    @Test func optOutsideTheAdditionalSectionIsRejected() {
        let bytes = hex("0001 8000 0000 0001 0000 0000  00 0029 04d0 00000000 0000")
        #expect(throws: DNSDecodingError.misplacedRecord(type: .opt, offset: 12)) { try DNSMessage(bytes: bytes) }
    }

    @Test func randomBytesNeverCrash() {
        var generator = SeededRandom(seed: 0x10C05)
        var decoded = 0
        for round in 0..<20_000 {
            let bytes: [UInt8]
            if round % 2 == 0 {
                let length = Int(generator.next() % 80)
                bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                // Mutations of real messages reach much deeper into the decoder than pure noise.
                var base = CapturedVectors.all[Int(generator.next() % UInt64(CapturedVectors.all.count))].bytes
                for _ in 0..<(1 + generator.next() % 4) {
                    base[Int(generator.next() % UInt64(base.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
                bytes = base
            }
            if let message = try? DNSMessage(bytes: bytes) {
                decoded += 1
                // Whatever decodes must survive its own re-encoding.
                #expect((try? DNSMessage(bytes: message.bytes)) != nil)
            }
        }
        #expect(decoded > 0)
    }
}
