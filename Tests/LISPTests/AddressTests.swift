import LISP
import NIOCore
import Testing

@Suite("Addresses and EID-prefixes")
struct AddressTests {
    @Test(arguments: [
        ("0.0.0.0", "0.0.0.0"),
        ("10.1.0.7", "10.1.0.7"),
        ("255.255.255.255", "255.255.255.255"),
        ("::", "::"),
        ("::1", "::1"),
        ("2001:db8::", "2001:db8::"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("fe80::1:2", "fe80::1:2"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
    ])
    func addressTextRoundTrips(input: String, canonical: String) throws {
        let address = try #require(IPAddress(input))
        #expect(address.description == canonical)
        #expect(IPAddress(canonical) == address)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1..2.3", "1.2.3.-4", "01234.1.1.1", "a.b.c.d",
        ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "::g", "1:2:3:4:5:6:7:8::",
        "::1.2.3", "1.2.3.4::", " ::1", "2001:db8::/32",
    ])
    func malformedAddressTextIsRejected(input: String) {
        #expect(IPAddress(input) == nil)
    }

    @Test func prefixParsingAndPrinting() throws {
        let plain = try #require(EIDPrefix("10.1.0.0/16"))
        #expect(plain.instanceID == 0)
        #expect(plain.length == 16)
        #expect(plain.description == "[0]10.1.0.0/16")
        #expect(plain.cidr == "10.1.0.0/16")

        let withInstance = try #require(EIDPrefix("[0]10.1.0.7/32"))
        #expect(withInstance.description == "[0]10.1.0.7/32")
        #expect(EIDPrefix("[4096]2001:db8::/32")?.description == "[4096]2001:db8::/32")
        #expect(EIDPrefix("10.1.0.7") == EIDPrefix("10.1.0.7/32"))
        #expect(EIDPrefix("2001:db8::7")?.length == 128)
        #expect(EIDPrefix("10.1.0.0/16", defaultInstanceID: 9)?.instanceID == 9)
        #expect(EIDPrefix("[3]10.1.0.0/16", defaultInstanceID: 9)?.instanceID == 3)

        for bad in ["10.1.0.0/33", "2001:db8::/129", "[16777216]10.0.0.0/8", "[x]10.0.0.0/8", "10.0.0.0/", "[1]", "/8"]
        {
            #expect(EIDPrefix(bad) == nil, "\(bad) should not parse")
        }
    }

    @Test func prefixesAreCanonical() throws {
        let sloppy = try #require(EIDPrefix("10.1.2.3/16"))
        #expect(sloppy == EIDPrefix("10.1.0.0/16"))
        #expect(sloppy.hashValue == EIDPrefix("10.1.0.0/16")!.hashValue)
        #expect(EIDPrefix("2001:db8:ffff:1::1/33")?.cidr == "2001:db8:8000::/33")
        #expect(EIDPrefix("2001:db8::1:2/127")?.cidr == "2001:db8::1:2/127")
        #expect(EIDPrefix("2001:db8::1:3/127")?.cidr == "2001:db8::1:2/127")
        #expect(EIDPrefix("255.255.255.255/0")?.cidr == "0.0.0.0/0")
        let fromParts = EIDPrefix(instanceID: 1, address: ip("192.0.2.77"), length: 24)
        #expect(fromParts.address == ip("192.0.2.0"))
    }

    @Test func containment() throws {
        let site = try #require(EIDPrefix("10.1.0.0/16"))
        #expect(site.contains(EIDPrefix("10.1.0.7/32")!))
        #expect(site.contains(site))
        #expect(!site.contains(EIDPrefix("10.0.0.0/8")!))
        #expect(!site.contains(EIDPrefix("10.2.0.7/32")!))
        #expect(!site.contains(EIDPrefix("[1]10.1.0.7/32")!))
        #expect(!site.contains(EIDPrefix("::a01:7/128")!))
        #expect(site.contains(ip("10.1.255.255")))
        #expect(!site.contains(ip("10.1.0.1"), instanceID: 2))
        #expect(EIDPrefix("0.0.0.0/0")!.contains(ip("203.0.113.9")))
        #expect(!EIDPrefix("0.0.0.0/0")!.contains(ip("::")))
        let v6 = try #require(EIDPrefix("2001:db8:a::/48"))
        #expect(v6.contains(ip("2001:db8:a:ffff::1")))
        #expect(!v6.contains(ip("2001:db8:b::1")))
        #expect(EIDPrefix("2001:db8::/65")!.contains(ip("2001:db8::7fff:ffff:ffff:ffff")))
        #expect(!EIDPrefix("2001:db8::/65")!.contains(ip("2001:db8::8000:0:0:0")))
    }

    /// Longest-prefix matching by walking the covering prefixes, the way a map-server table is keyed.
    @Test func longestPrefixMatchWithTruncation() throws {
        let table: Set<EIDPrefix> = [EIDPrefix("10.0.0.0/8")!, EIDPrefix("10.1.0.0/16")!, EIDPrefix("[5]10.1.0.0/24")!]
        func longestMatch(_ host: EIDPrefix) -> EIDPrefix? {
            for length in stride(from: Int(host.length), through: 0, by: -1) {
                let candidate = host.truncated(to: length)
                if table.contains(candidate) { return candidate }
            }
            return nil
        }
        #expect(longestMatch(EIDPrefix("10.1.0.7")!) == EIDPrefix("10.1.0.0/16"))
        #expect(longestMatch(EIDPrefix("10.9.0.7")!) == EIDPrefix("10.0.0.0/8"))
        #expect(longestMatch(EIDPrefix("[5]10.1.0.7")!) == EIDPrefix("[5]10.1.0.0/24"))
        #expect(longestMatch(EIDPrefix("11.0.0.1")!) == nil)
        #expect(EIDPrefix("10.1.0.0/16")!.truncated(to: 40) == EIDPrefix("10.1.0.0/16"))
    }

    @Test func ordering() {
        let sorted = ["[1]10.0.0.0/8", "2001:db8::/32", "10.1.0.0/16", "10.0.0.0/8", "10.1.0.0/24"]
            .compactMap { EIDPrefix($0) }.sorted().map(\.description)
        #expect(sorted == ["[0]10.0.0.0/8", "[0]10.1.0.0/16", "[0]10.1.0.0/24", "[0]2001:db8::/32", "[1]10.0.0.0/8"])
    }

    @Test func wireForms() throws {
        #expect(EIDPrefix("10.1.0.0/16")!.wireAddress == LISPAddress(ip("10.1.0.0")))
        #expect(EIDPrefix("[7]10.1.0.0/16")!.wireAddress == LISPAddress(ip("10.1.0.0"), instanceID: 7))
        #expect(LISPAddress(ip("10.1.0.0"), instanceID: 7).description == "[7]10.1.0.0")
        #expect(LISPAddress.none.description == "no-address")

        var buffer = ByteBuffer()
        #expect(buffer.writeLISPAddress(.none) == 2)
        #expect(buffer.writeLISPAddress(address("192.0.2.1")) == 6)
        #expect(buffer.writeLISPAddress(address("2001:db8::1")) == 18)
        #expect(buffer.writeLISPAddress(LISPAddress(ip("2001:db8::1"), instanceID: 1, instanceIDMaskLength: 8)) == 30)
        #expect(buffer.writeLISPAddress(LISPAddress(nil, instanceID: 1)) == 14)
        #expect(
            hexString(buffer) == "0000" + "0001c0000201" + "000220010db8000000000000000000000001"
                + "40030000020800160000000100022001" + "0db8000000000000000000000001"
                + "4003000002000006000000010000"
        )
    }
}
