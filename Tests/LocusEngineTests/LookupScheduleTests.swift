import Foundation
import LocusTestSupport
import Testing

@testable import LocusEngine

@Suite("Lookup schedule")
struct LookupScheduleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func policy(maxAge: Duration = .seconds(60), subscribed: Bool = false) -> LookupSchedule.Policy {
        LookupSchedule.Policy(
            maxAge: maxAge,
            subscribed: subscribed,
            minimumInterval: .seconds(1),
            failureBackoff: Backoff(initial: .seconds(1), multiplier: 2, maximum: .seconds(30)),
            jitter: 0
        )
    }

    @Test("a new EID is due at once")
    func newEIDIsDueNow() {
        var schedule = LookupSchedule(policy: policy())
        schedule.add("web-07", now: start)
        #expect(schedule.due(of: "web-07") == start)
        #expect(schedule.popDue(now: start, limit: 10) == ["web-07"])
    }

    @Test("after an answer the next lookup is at half the TTL, at most max_age away")
    func answerFollowsHalfTTLCappedByMaxAge() {
        var schedule = LookupSchedule(policy: policy(maxAge: .seconds(60)))
        for name in ["short", "long", "negative"] {
            schedule.add(name, now: start)
        }
        _ = schedule.popDue(now: start, limit: 10)
        // TTL 1 minute: half is 30 s, below max_age.
        schedule.answered("short", ttlMinutes: 1, at: start)
        // TTL 24 hours: half is 12 h, capped at max_age.
        schedule.answered("long", ttlMinutes: 1440, at: start)
        // A negative reply of 15 minutes: capped as well.
        schedule.answered("negative", ttlMinutes: 15, at: start)
        #expect(schedule.due(of: "short") == start + 30)
        #expect(schedule.due(of: "long") == start + 60)
        #expect(schedule.due(of: "negative") == start + 60)
        #expect(schedule.nextDue == start + 30)
    }

    @Test("a TTL of zero does not make the EID due again at once")
    func zeroTTLHasAFloor() {
        var schedule = LookupSchedule(policy: policy())
        schedule.add("gone", now: start)
        _ = schedule.popDue(now: start, limit: 1)
        schedule.answered("gone", ttlMinutes: 0, at: start)
        #expect(schedule.due(of: "gone") == start + 1)
    }

    @Test("subscribed EIDs are looked up only at max_age, whatever their TTL")
    func subscribedUsesMaxAge() {
        var schedule = LookupSchedule(policy: policy(maxAge: .seconds(45), subscribed: true))
        schedule.add("web-07", now: start)
        _ = schedule.popDue(now: start, limit: 1)
        schedule.answered("web-07", ttlMinutes: 1, at: start)
        #expect(schedule.due(of: "web-07") == start + 45)
    }

    @Test("failures back off exponentially, capped at max_age")
    func failuresBackOff() throws {
        var schedule = LookupSchedule(policy: policy(maxAge: .seconds(20)))
        schedule.add("web-07", now: start)
        var dues: [TimeInterval] = []
        for failures in 1...6 {
            _ = schedule.popDue(now: start, limit: 1)
            schedule.failed("web-07", failures: failures, at: start)
            dues.append(try #require(schedule.due(of: "web-07")).timeIntervalSince(start))
            schedule.makeDue("web-07", now: start)
        }
        #expect(dues == [1, 2, 4, 8, 16, 20])
    }

    @Test("only what is due is popped, earliest first, within the limit")
    func popDueOrderAndLimit() {
        var schedule = LookupSchedule(policy: policy())
        for (index, name) in ["a", "b", "c", "d"].enumerated() {
            schedule.add(name, now: start)
            _ = schedule.popDue(now: start, limit: 1)
            schedule.answered(name, ttlMinutes: UInt32(index + 1), at: start)
        }
        // Due at +30, +60, +60 (capped), +60.
        #expect(schedule.popDue(now: start + 29, limit: 10).isEmpty)
        #expect(schedule.popDue(now: start + 30, limit: 10) == ["a"])
        #expect(schedule.popDue(now: start + 60, limit: 2).count == 2)
        #expect(schedule.popDue(now: start + 60, limit: 10).count == 1)
    }

    @Test("a popped EID stays watched while its lookup is in flight; a removed one is gone")
    func inFlightHoldAndRemoval() {
        var schedule = LookupSchedule(policy: policy(maxAge: .seconds(60)))
        schedule.add("kept", now: start)
        schedule.add("removed", now: start)
        #expect(schedule.popDue(now: start, limit: 10).count == 2)
        #expect(schedule.due(of: "kept") == start + 60)
        schedule.remove("removed")
        schedule.answered("removed", ttlMinutes: 1, at: start)
        #expect(!schedule.contains("removed"))
        #expect(schedule.count == 1)
    }

    @Test("jitter only shortens an interval, by at most its fraction")
    func jitterStaysWithinBounds() throws {
        var jittered = policy(maxAge: .seconds(60))
        jittered.jitter = 0.2
        var schedule = LookupSchedule(policy: jittered)
        for index in 0..<200 {
            schedule.add("w\(index)", now: start)
        }
        for name in schedule.popDue(now: start, limit: 200) {
            schedule.answered(name, ttlMinutes: 1440, at: start)
            let offset = try #require(schedule.due(of: name)).timeIntervalSince(start)
            #expect(offset <= 60 && offset >= 48)
        }
    }

    @Test("the lookups follow TTLs, not how often the schedule is polled")
    func workFollowsTTL() {
        // 100 EIDs with a 10-minute TTL and max_age 60 s over 10 simulated minutes: each is resolved
        // once a minute, 1000 lookups, although the schedule is polled 1200 times.
        var schedule = LookupSchedule(policy: policy(maxAge: .seconds(60)))
        for index in 0..<100 {
            schedule.add("w\(index)", now: start)
        }
        var lookups = 0
        var now = start
        while now < start + 600 {
            let due = schedule.popDue(now: now, limit: 1000)
            lookups += due.count
            for name in due {
                schedule.answered(name, ttlMinutes: 10, at: now)
            }
            now += 0.5
        }
        #expect(lookups == 1000)
    }
}

@Suite("Due heap")
struct DueHeapTests {
    @Test("keys come out in due order after reschedules and removals", arguments: [1, 2, 3] as [UInt64])
    func order(seed: UInt64) {
        let base = Date(timeIntervalSince1970: 0)
        var heap = DueHeap<Int>()
        var expected: [Int: Date] = [:]
        var generator = SeededRandom(seed: seed)
        for key in 0..<500 {
            let due = base + Double(Int.random(in: 0..<10_000, using: &generator))
            heap.schedule(key, at: due)
            expected[key] = due
        }
        for key in stride(from: 0, to: 500, by: 3) {
            let due = base + Double(Int.random(in: 0..<10_000, using: &generator))
            heap.schedule(key, at: due)
            expected[key] = due
        }
        for key in stride(from: 1, to: 500, by: 7) {
            heap.remove(key)
            expected[key] = nil
        }
        #expect(heap.count == expected.count)
        var previous = base
        var seen = 0
        while let entry = heap.popDue(now: base + 20_000) {
            #expect(entry.due >= previous)
            #expect(expected[entry.key] == entry.due)
            previous = entry.due
            seen += 1
        }
        #expect(seen == expected.count)
    }
}

@Suite("Backoff")
struct BackoffTests {
    @Test("doubles from the initial delay and stops at the cap")
    func doublesAndCaps() {
        let backoff = Backoff(initial: .milliseconds(100), multiplier: 2, maximum: .seconds(1))
        let delays = (1...6).map { backoff.delay(afterFailures: $0) }
        let expected: [Duration] = [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1),
        ]
        #expect(delays == expected)
    }
}
