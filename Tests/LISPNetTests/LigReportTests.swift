import Foundation
import LISP
import LISPNet
import NIOCore
import Testing

@Suite("lig report rendering")
struct LigReportTests {
    let resolver = try! SocketAddress(ipAddress: "127.0.0.1", port: 4342)

    @Test("text: one line per EID-record and per RLOC, as RFC 6835 lig prints them")
    func text() {
        var locator = RLOCRecord(locator: LISPAddress(IPAddress("127.0.1.1")!), priority: 1, weight: 60)
        locator.isProbed = false
        let record = EIDRecord(prefix: EIDPrefix("10.0.0.0/24")!, ttlMinutes: 1440, locators: [locator])
        let result = LookupResult(
            records: [record],
            rtt: .microseconds(1500),
            respondent: resolver,
            resolver: resolver,
            attempts: 1
        )
        let report = LigReport(eid: EIDPrefix("10.0.0.1")!, result: result)
        #expect(
            report.text == """
                Send Map-Request to 127.0.0.1:4342 for [0]10.0.0.1/32 ...
                Received Map-Reply from 127.0.0.1:4342 with rtt 1.500 ms
                EID-prefix: [0]10.0.0.0/24, ttl: 24 hours, auth-bit: 0, map-version: 0
                  RLOC: 127.0.1.1, up/uw/mp/mw: 1/60/255/0, flags: lpR

                """
        )
        #expect(report.exitCode == 0)
    }

    @Test("JSON: version 1, snake_case, negative action and null respondent on timeout")
    func json() throws {
        let negative = EIDRecord(prefix: EIDPrefix("128.0.0.0/1")!, ttlMinutes: 15, action: .nativelyForward)
        let result = LookupResult(
            records: [negative],
            rtt: .milliseconds(2),
            respondent: resolver,
            resolver: resolver,
            attempts: 2
        )
        let report = LigReport(eid: EIDPrefix("192.168.1.1")!, result: result)
        #expect(report.exitCode == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        )
        #expect(object["version"] as? Int == 1)
        #expect(object["status"] as? String == "negative")
        #expect(object["rtt_ms"] as? Double == 2)
        let record = try #require((object["records"] as? [[String: Any]])?.first)
        #expect(record["eid_prefix"] as? String == "128.0.0.0/1")
        #expect(record["action"] as? String == "natively-forward")
        #expect(record["ttl_minutes"] as? Int == 15)

        let timeout = LigReport(eid: EIDPrefix("10.1.0.7")!, resolver: resolver, timedOutAfter: 3)
        #expect(timeout.exitCode == 2)
        let timeoutObject = try #require(
            try JSONSerialization.jsonObject(with: Data(timeout.json().utf8)) as? [String: Any]
        )
        #expect(timeoutObject["respondent"] is NSNull)
        #expect(timeoutObject["status"] as? String == "timeout")
        #expect(timeout.text.contains("No Map-Reply received after 3 attempt(s)"))
    }
}
