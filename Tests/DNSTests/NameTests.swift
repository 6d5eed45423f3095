import DNS
import Testing

@Suite("Domain names")
struct NameTests {
    @Test func parsingAndPrinting() throws {
        #expect(try DNSName(parsing: "www.lab.test").description == "www.lab.test.")
        #expect(try DNSName(parsing: "www.lab.test.").labels.count == 3)
        #expect(try DNSName(parsing: ".") == .root)
        #expect(try DNSName(parsing: "a\\.b.test").labels == [Array("a.b".utf8), Array("test".utf8)])
        #expect(try DNSName(parsing: "a\\032b.test").description == "a\\032b.test.")
        #expect(throws: DNSNameError.emptyLabel) { try DNSName(parsing: "a..test") }
        #expect(throws: DNSNameError.labelTooLong(64)) { try DNSName(parsing: String(repeating: "x", count: 64)) }
        let long = Array(repeating: String(repeating: "x", count: 63), count: 4).joined(separator: ".")
        #expect(throws: DNSNameError.nameTooLong(257)) { try DNSName(parsing: long) }
    }

    @Test func equalityIgnoresCase() {
        let upper: DNSName = "WWW.Lab.TEST"
        let lower: DNSName = "www.lab.test."
        #expect(upper == lower)
        #expect(upper.hashValue == lower.hashValue)
        #expect(upper.description == "WWW.Lab.TEST.")
        #expect(DNSName("www.lab.test").isSubdomain(of: "LAB.test"))
        #expect(!DNSName("www.lab.test").isSubdomain(of: "ab.test"))
    }

    @Test func reverseNames() {
        #expect(DNSName.reverse(of: DNSAddress("192.0.2.10")!) == "10.2.0.192.in-addr.arpa.")
        #expect(
            DNSName.reverse(of: DNSAddress("2001:db8::567:89ab")!)
                == "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."
        )
    }

    @Test func addresses() {
        #expect(DNSAddress("2001:db8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
        #expect(DNSAddress("::ffff:192.0.2.1")?.bytes.suffix(6) == [0xff, 0xff, 192, 0, 2, 1])
        #expect(DNSAddress("::")?.description == "::")
        #expect(DNSAddress("1::")?.description == "1::")
        #expect(DNSAddress("256.1.1.1") == nil)
        #expect(DNSAddress("01.1.1.1") == nil)
        #expect(DNSAddress("1:2:3:4:5:6:7:8:9") == nil)
        #expect(DNSAddress("1::2::3") == nil)
    }

    @Test func compressionRoundTripsAndShrinks() throws {
        let names: [DNSName] = [
            "www.lab.test", "mail.lab.test", "WWW.LAB.TEST", "lab.test", "test", "a.b.c.lab.test", "b.c.lab.test",
            "other.example",
        ]
        let records = names.map { DNSResourceRecord(name: $0, ttl: 60, data: .cname("target.lab.test")) }
        let message = DNSMessage(id: 1, isResponse: true, answers: records)
        let bytes = message.bytes
        let uncompressed =
            12 + records.reduce(0) { $0 + $1.name.wireLength + 10 + DNSName("target.lab.test").wireLength }
        #expect(bytes.count < uncompressed * 6 / 10)
        let decoded = try DNSMessage(bytes: bytes)
        #expect(decoded == message)
        // The decoded names keep the spelling of the first occurrence the pointer refers to.
        #expect(decoded.answers[2].name.description == "www.lab.test.")
    }

    @Test func compressionNeverPointsPastOffset0x3FFF() throws {
        // Enough distinct names to push later ones past the 14-bit pointer range.
        let records = (0..<1200).map { index in
            DNSResourceRecord(
                name: try! DNSName(parsing: "host\(index).zone\(index % 7).lab.test"),
                ttl: 1,
                data: .text(["x"])
            )
        }
        let message = DNSMessage(id: 2, isResponse: true, answers: records)
        #expect(message.bytes.count > 0x4000)
        #expect(try DNSMessage(bytes: message.bytes) == message)
    }
}
