import Foundation
import LISP
import NIOCore
import Testing

@testable import LISPNet

/// A map-server open to more than loopback cannot let subscribers grow its state without end.
@Suite("Subscription limits and expiry")
struct SubscriptionLimitsTests {
    static let start = Date(timeIntervalSince1970: 0)
    static let record = Fixture.record("10.1.0.0/24", rlocs: ["127.0.1.1"])

    static func identity(_ id: UInt64) -> XTRIdentity {
        XTRIdentity(xtrID: XTRID(high: 0, low: id), siteID: 0)
    }

    static func subscribe(
        _ book: inout SubscriptionBook,
        host: Int,
        xtr: UInt64,
        at now: Date = start
    ) -> SubscriptionBook.Delivery? {
        book.subscribe(
            prefix: EIDPrefix("10.1.0.\(host)")!,
            destination: try! SocketAddress(ipAddress: "127.0.0.\(xtr)", port: 4342),
            xtrIdentity: identity(xtr),
            nonce: UInt64(host),
            current: record,
            now: now
        )
    }

    @Test func eachSubscriberIsCappedAndSoIsTheTotal() {
        var book = SubscriptionBook(
            retransmitIntervals: [.seconds(3)],
            limits: SubscriptionLimits(perSubscriber: 2, total: 3)
        )
        #expect(Self.subscribe(&book, host: 1, xtr: 1) != nil)
        #expect(Self.subscribe(&book, host: 2, xtr: 1) != nil)
        #expect(Self.subscribe(&book, host: 3, xtr: 1) == nil, "a third subscription of one subscriber")
        // Renewing one already held is not a new subscription.
        #expect(Self.subscribe(&book, host: 2, xtr: 1) != nil)
        #expect(Self.subscribe(&book, host: 1, xtr: 2) != nil)
        #expect(Self.subscribe(&book, host: 2, xtr: 3) == nil, "a fourth subscription in all")
        #expect(book.count == 3)
        #expect(book.refused == 2)
    }

    @Test func aSubscriptionNotRenewedWithinItsLifetimeEnds() {
        var book = SubscriptionBook(
            retransmitIntervals: [.seconds(3)],
            limits: SubscriptionLimits(perSubscriber: 1, total: 10, lifetime: .seconds(60))
        )
        _ = Self.subscribe(&book, host: 1, xtr: 1)
        _ = book.acknowledge(nonce: 1)
        _ = Self.subscribe(&book, host: 1, xtr: 2)
        _ = book.acknowledge(nonce: 1)
        // xTR 2 renews at 50 s; xTR 1 does not.
        _ = Self.subscribe(&book, host: 1, xtr: 2, at: Self.start.addingTimeInterval(50))
        _ = book.acknowledge(nonce: 1)
        book.expire(now: Self.start.addingTimeInterval(60))
        #expect(book.count == 1)
        #expect(book.expired == 1)
        #expect(book.publish(Self.record, for: EIDPrefix("10.1.0.0/24")!, now: Self.start).count == 1)
        // The expired subscriber's slot is free again.
        #expect(Self.subscribe(&book, host: 2, xtr: 1, at: Self.start.addingTimeInterval(61)) != nil)
    }
}
