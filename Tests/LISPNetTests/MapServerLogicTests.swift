import Foundation
import LISP
import NIOCore
import Testing

@testable import LISPNet

/// The map-server's rules exercised on the pure state, without sockets.
@Suite("Map-server logic")
struct MapServerLogicTests {
    static let configured = ["10.1.0.0/16", "10.2.0.0/16", "[7]10.1.0.0/16"].map { EIDPrefix($0)! }

    @Test(
        "negative prefix: the largest prefix around the EID that holds nothing configured or registered",
        arguments: [
            ("192.168.5.5", NegativeAnswer.Kind.notConfigured, "128.0.0.0/1"),
            ("10.0.9.9", .notConfigured, "10.0.0.0/16"),
            ("10.3.0.1", .notConfigured, "10.3.0.0/16"),
            ("11.0.0.1", .notConfigured, "11.0.0.0/8"),
            ("10.1.200.1", .notRegistered, "10.1.128.0/17"),
            ("10.1.0.6", .notRegistered, "10.1.0.6/32"),
            ("10.1.1.1", .notRegistered, "10.1.1.0/24"),
            ("10.2.3.4", .notRegistered, "10.2.0.0/16"),
        ]
    )
    func negativePrefix(eid: String, kind: NegativeAnswer.Kind, expected: String) {
        let registered = ["10.1.0.7/32", "10.1.0.0/24"].map { EIDPrefix($0)! }
        let answer = NegativePrefix.answer(
            for: EIDPrefix(eid)!,
            configured: Self.configured,
            registered: PrefixTrie(registered.filter { !$0.contains(EIDPrefix(eid)!) })
        )
        #expect(answer.kind == kind)
        #expect(answer.prefix == EIDPrefix(expected))
        #expect(answer.ttlMinutes == (kind == .notConfigured ? 15 : 1))
    }

    @Test("instance-ids are separate spaces")
    func instanceIDs() {
        let answer = NegativePrefix.answer(
            for: EIDPrefix("[7]10.2.0.1")!,
            configured: Self.configured,
            registered: PrefixTrie([EIDPrefix("10.2.0.0/24")!])
        )
        #expect(answer.kind == .notConfigured)
        #expect(answer.prefix == EIDPrefix("[7]10.2.0.0/15"))
    }

    @Test("IPv6 negative prefixes")
    func ipv6() {
        let answer = NegativePrefix.answer(
            for: EIDPrefix("2001:db8:1::5")!,
            configured: [EIDPrefix("2001:db8::/32")!],
            registered: PrefixTrie([EIDPrefix("2001:db8::/48")!])
        )
        #expect(answer.kind == .notRegistered)
        #expect(answer.prefix == EIDPrefix("2001:db8:1::/48"))
    }

    @Test("longest match prefers the most specific registration")
    func longestMatch() {
        var table = RegistrationTable()
        let register = MapRegister(nonce: 1, keyID: 1, algorithm: .hmacSHA256, records: [])
        let source = try! SocketAddress(ipAddress: "127.0.0.1", port: 1)
        for (prefix, rloc) in [("10.1.0.0/16", "127.0.1.1"), ("10.1.0.0/24", "127.0.1.2")] {
            _ = table.apply(
                Fixture.record(prefix, rlocs: [rloc]),
                prefix: EIDPrefix(prefix)!,
                site: "dc-east",
                register: register,
                registerer: source,
                registrationTimeout: 180,
                now: Date()
            )
        }
        #expect(table.longestMatch(EIDPrefix("10.1.0.9")!)?.prefix == EIDPrefix("10.1.0.0/24"))
        #expect(table.longestMatch(EIDPrefix("10.1.9.9")!)?.prefix == EIDPrefix("10.1.0.0/16"))
        #expect(table.longestMatch(EIDPrefix("10.2.0.1")!) == nil)
    }

    @Test("the merge bit unions locator sets of two registerers instead of replacing them")
    func merge() {
        var table = RegistrationTable()
        let now = Date()
        let prefix = EIDPrefix("10.1.0.0/24")!
        for (nonce, rloc, port) in [(1, "127.0.1.2", 1), (2, "127.0.1.1", 2)] {
            let register = MapRegister(
                nonce: UInt64(nonce),
                keyID: 1,
                algorithm: .hmacSHA256,
                records: [],
                wantsMerge: true
            )
            _ = table.apply(
                Fixture.record("10.1.0.0/24", rlocs: [rloc]),
                prefix: prefix,
                site: "dc-east",
                register: register,
                registerer: try! SocketAddress(ipAddress: "127.0.0.1", port: port),
                registrationTimeout: 180,
                now: now
            )
        }
        let locators = table.registration(for: prefix)?.record.locators.map(\.locator.description)
        #expect(locators == ["127.0.1.1", "127.0.1.2"])
    }

    @Test("with the merge bit a withdrawal removes only the withdrawer's locators")
    func mergedWithdrawal() {
        var table = RegistrationTable()
        let prefix = EIDPrefix("10.1.0.0/24")!
        func apply(port: Int, ttl: UInt32, rlocs: [String]) -> RegistrationTable.Change {
            let register = MapRegister(nonce: 1, keyID: 1, algorithm: .hmacSHA256, records: [], wantsMerge: true)
            return table.apply(
                Fixture.record("10.1.0.0/24", rlocs: rlocs, ttl: ttl),
                prefix: prefix,
                site: "dc-east",
                register: register,
                registerer: try! SocketAddress(ipAddress: "127.0.0.1", port: port),
                registrationTimeout: 180,
                now: Date()
            )
        }
        _ = apply(port: 2, ttl: 1440, rlocs: ["127.0.1.1"])
        _ = apply(port: 1, ttl: 1440, rlocs: ["127.0.1.2"])
        #expect(apply(port: 1, ttl: 0, rlocs: []) == .changed(replaced: nil))
        #expect(table.registration(for: prefix)?.record.locators.map(\.locator.description) == ["127.0.1.1"])
        #expect(apply(port: 3, ttl: 0, rlocs: []) == .ignoredWithdrawal)
        #expect(apply(port: 1, ttl: 0, rlocs: []) == .ignoredWithdrawal)
        guard case .withdrawn(let previous) = apply(port: 2, ttl: 0, rlocs: []) else {
            Issue.record("the last contributor's withdrawal was not applied")
            return
        }
        #expect(previous?.prefix == prefix)
        #expect(table.registration(for: prefix) == nil)
    }

    @Test("a withdrawal only removes the withdrawing registerer's own registration")
    func withdrawalByFormerRegisterer() {
        var table = RegistrationTable()
        let now = Date()
        let prefix = EIDPrefix("10.1.0.9/32")!
        let source = try! SocketAddress(ipAddress: "127.0.0.1", port: 1)
        func register(_ site: String, xtr: UInt64, ttl: UInt32, rlocs: [String]) -> RegistrationTable.Change {
            let register = MapRegister(
                nonce: 1,
                keyID: 1,
                algorithm: .hmacSHA256,
                records: [],
                xtrIdentity: XTRIdentity(xtrID: XTRID(high: 0, low: xtr), siteID: 1)
            )
            return table.apply(
                Fixture.record("10.1.0.9/32", rlocs: rlocs, ttl: ttl),
                prefix: prefix,
                site: site,
                register: register,
                registerer: source,
                registrationTimeout: 180,
                now: now
            )
        }
        _ = register("dc-east", xtr: 1, ttl: 1440, rlocs: ["127.0.1.1"])
        _ = register("dc-west", xtr: 2, ttl: 1440, rlocs: ["127.0.2.1"])
        #expect(register("dc-east", xtr: 1, ttl: 0, rlocs: []) == .ignoredWithdrawal)
        #expect(register("dc-west", xtr: 3, ttl: 0, rlocs: []) == .ignoredWithdrawal)
        #expect(table.registration(for: prefix)?.siteName == "dc-west")
        #expect(table.registration(for: prefix)?.record.locators.map(\.locator.description) == ["127.0.2.1"])
        guard case .withdrawn(let previous) = register("dc-west", xtr: 2, ttl: 0, rlocs: []) else {
            Issue.record("the registerer's own withdrawal was not applied")
            return
        }
        #expect(previous?.siteName == "dc-west")
        #expect(table.registration(for: prefix) == nil)
    }

    @Test("publications are retransmitted on schedule until acknowledged, then the subscriber is dropped")
    func publicationSchedule() {
        var book = SubscriptionBook(retransmitIntervals: [.seconds(3), .seconds(3), .seconds(6)])
        let start = Date(timeIntervalSince1970: 0)
        let destination = try! SocketAddress(ipAddress: "127.0.0.1", port: 9)
        let record = Fixture.record("10.1.0.0/24", rlocs: ["127.0.1.1"])
        let first = book.subscribe(
            prefix: EIDPrefix("10.1.0.5")!,
            destination: destination,
            xtrIdentity: nil,
            nonce: 40,
            current: record,
            now: start
        )
        #expect(first?.notify.nonce == 40)
        let acknowledged = book.acknowledge(nonce: 40)
        #expect(acknowledged)
        let published = book.publish(record, for: EIDPrefix("10.1.0.0/24")!, now: start)
        #expect(published.map(\.notify.nonce) == [41])
        let unrelated = book.publish(record, for: EIDPrefix("10.2.0.0/24")!, now: start)
        #expect(unrelated.isEmpty)

        var sent: [Int] = []
        for seconds in [2.9, 3, 5.9, 6, 12, 18] {
            sent.append(book.retransmissions(now: start.addingTimeInterval(seconds)).count)
        }
        #expect(sent == [0, 1, 0, 1, 1, 0])
        #expect(book.count == 0, "a subscriber that never acknowledges is forgotten")
    }
}
