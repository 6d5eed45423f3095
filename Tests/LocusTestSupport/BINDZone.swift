/// A zone a test's BIND serves: its origin, its default TTL and its records, one master-file line
/// each (names relative to the origin or absolute). The SOA (`ns.lab.test.`, `hostmaster.lab.test.`,
/// serial 1, negative TTL 60) and the NS record `ns.lab.test.` are written for it.
public struct BINDZone: Sendable {
    public var origin: String
    public var ttl: Int
    public var records: [String]

    public init(origin: String, ttl: Int = 60, records: [String]) {
        self.origin = origin
        self.ttl = ttl
        self.records = records
    }

    var file: String {
        let header = [
            "$TTL \(ttl)",
            "@ IN SOA ns.lab.test. hostmaster.lab.test. 1 3600 600 86400 60",
            "@ IN NS ns.lab.test.",
        ]
        return (header + records + [""]).joined(separator: "\n")
    }
}

extension BINDZone {
    /// The zones scripts/start-bind serves: lab.test. (www A 192.0.2.10 and AAAA 2001:db8::10, alias
    /// CNAME www, TXT-only `info`, and `big`, ten 200-byte TXT strings: too large for one UDP answer)
    /// and 2.0.192.in-addr.arpa. (10 PTR www.lab.test.), with a TTL of 300.
    public static let scriptLab: [BINDZone] = [
        BINDZone(
            origin: "lab.test.",
            ttl: 300,
            records: [
                "ns IN A 127.0.0.1",
                "www IN A 192.0.2.10",
                "www IN AAAA 2001:db8::10",
                "alias IN CNAME www.lab.test.",
                "info IN TXT \"locus lab\" \"second string\"",
            ]
                + (0..<10).map { "big IN TXT \"\($0)" + String(repeating: "x", count: 199) + "\"" }
        ),
        BINDZone(origin: "2.0.192.in-addr.arpa.", ttl: 300, records: ["10 IN PTR www.lab.test."]),
    ]
}
