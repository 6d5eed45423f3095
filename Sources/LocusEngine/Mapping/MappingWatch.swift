import Foundation
import LISP
import LocusCore
import Logging
import NIOCore

/// Watches the mapping system through one `[[mapping]]` resolver: resolves each workload EID when
/// its schedule says so, follows RFC 9437 publications when subscribed, and keeps the resolver's
/// health.
///
/// A resolver that stops answering is probed with one lookup at a time (with backoff) instead of
/// one per EID; when it answers again every EID is resolved at once.
actor MappingWatch {
    nonisolated let name: String
    private let config: MappingConfig
    private let tuning: EngineTuning
    private let clock: EngineClock
    private let logger: Logger
    private let connection: ResolverConnection
    private var schedule: LookupSchedule
    private var targets: [String: WatchTarget] = [:]
    private var names: [WatchTarget: String] = [:]
    private var failuresByName: [String: Int] = [:]
    private var consecutiveFailures = 0
    private var state: SourceState = .ok
    private var nextProbeAt: Date?
    private var inFlight = 0
    /// Names whose subscription the server confirmed, and those being subscribed.
    private var subscribed: Set<String> = []
    private var subscribing: Set<String> = []
    /// When each confirmed subscription is due for renewal.
    private var renewalAt: [String: Date] = [:]
    /// When a failed subscription may be tried again.
    private var subscriptionRetryAt: [String: Date] = [:]
    /// The tasks following each subscription's publications.
    private var followers: [String: Task<Void, Never>] = [:]
    private let wake = WakeSignal()
    private var sink: ObservationSink?

    init(
        config: MappingConfig,
        sites: [SiteConfig],
        tuning: EngineTuning,
        clock: EngineClock,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) {
        self.name = config.name
        self.config = config
        self.tuning = tuning
        self.clock = clock
        self.logger = logger
        self.connection = ResolverConnection(
            resolver: config.resolver,
            retry: tuning.lookupRetry,
            maximumInFlight: tuning.maxConcurrentLookups,
            downAfterTimeouts: tuning.downAfterFailures,
            slowThreshold: tuning.slowThreshold,
            publicationKeys: Self.publicationKeys(of: config, logger: logger),
            eventLoopGroup: eventLoopGroup,
            logger: logger
        )
        self.schedule = LookupSchedule(
            policy: LookupSchedule.Policy(
                maxAge: config.maxAge,
                subscribed: config.subscribe,
                minimumInterval: tuning.minimumLookupInterval,
                failureBackoff: tuning.failureBackoff,
                jitter: tuning.jitter
            )
        )
    }

    /// The site key of the mapping's `key_file`, which verifies the publications its map-server signs.
    /// Without it, publications are believed only from the resolver's address.
    private static func publicationKeys(of config: MappingConfig, logger: Logger) -> [UInt8: [UInt8]] {
        guard config.subscribe, let registration = config.registration else { return [:] }
        guard let keyID = UInt8(exactly: registration.keyID) else {
            logger.warning(
                "publications are believed from the resolver's address only: key_id does not fit LISP's 8 bits",
                metadata: ["mapping": "\(config.name)", "key_id": "\(registration.keyID)"]
            )
            return [:]
        }
        do {
            return [keyID: Array(try ConfigLoader.readSharedKey(at: registration.keyFile.path).utf8)]
        } catch {
            logger.warning(
                "publications are believed from the resolver's address only: cannot read its key",
                metadata: ["mapping": "\(config.name)", "error": "\(error)"]
            )
            return [:]
        }
    }

    // MARK: - What to watch

    /// Adds (a target), changes, or removes (nil) the EIDs of workloads.
    func update(_ changed: [String: WatchTarget?], now: Date) {
        for (workload, target) in changed {
            if let old = targets[workload] {
                names[old] = nil
            }
            schedule.remove(workload)
            failuresByName[workload] = nil
            unsubscribe(workload)
            if let target {
                targets[workload] = target
                names[target] = workload
                schedule.add(workload, now: now)
            } else {
                targets[workload] = nil
            }
        }
        wake.signal()
    }

    /// Resolves every EID now.
    func rescan() {
        schedule.makeAllDue(now: clock.now(), keys: targets.keys)
        nextProbeAt = nil
        wake.signal()
    }

    // MARK: - Running

    /// Runs until cancelled.
    func run(sink: ObservationSink) async {
        self.sink = sink
        let connection = self.connection
        await withDiscardingTaskGroup { group in
            group.addTask { await connection.run() }
            while !Task.isCancelled {
                let now = clock.now()
                for (workload, target) in takeDue(now: now) {
                    group.addTask {
                        let outcome = await connection.resolve(target)
                        await self.complete(workload, target: target, outcome: outcome)
                    }
                }
                for (workload, target) in takeSubscriptions() {
                    group.addTask {
                        let outcome = await connection.subscribe(target)
                        await self.subscribed(workload, target: target, outcome: outcome)
                    }
                }
                await wake.wait(timeout: timeUntilNextWork(now: clock.now()), clock: clock)
            }
            group.cancelAll()
        }
        for workload in Array(followers.keys) {
            unsubscribe(workload)
        }
    }

    /// Resolves every EID once (for `locus snapshot`) and delivers all answers in one batch. Stops
    /// asking once the resolver is clearly down: the remaining mappings are then unknown anyway.
    func resolveAll(sink: ObservationSink) async {
        let connection = self.connection
        let work = targets.sorted { $0.key < $1.key }
        let limit = tuning.maxConcurrentLookups
        let downAfter = tuning.downAfterFailures
        var observations: [Observation] = []
        var answered = 0
        var failedInRow = 0
        var slowest: Duration?
        var lastError: String?
        await withDiscardingTaskGroup { outer in
            outer.addTask { await connection.run() }
            await withTaskGroup(of: (String, LookupOutcome).self) { group in
                var running = 0
                var next = work.makeIterator()
                while true {
                    if running < limit, failedInRow < downAfter || answered > 0, let (workload, target) = next.next() {
                        running += 1
                        group.addTask { (workload, await connection.resolve(target)) }
                        continue
                    }
                    guard let (workload, outcome) = await group.next() else { break }
                    running -= 1
                    switch outcome {
                    case .answered(let answer, let rtt):
                        answered += 1
                        failedInRow = 0
                        slowest = max(slowest ?? rtt, rtt)
                        let observation = MappingObservation(
                            answer: answer,
                            resolver: name,
                            rtt: rtt,
                            checkedAt: clock.now()
                        )
                        observations.append(.mapping(workload: workload, observation))
                    case .failed(let reason):
                        failedInRow += 1
                        lastError = reason
                    }
                }
            }
            outer.cancelAll()
        }
        let state: SourceState
        if answered == 0 && !work.isEmpty {
            state = .down
        } else if lastError != nil || (slowest ?? .zero) > tuning.slowThreshold {
            state = .slow
        } else {
            state = .ok
        }
        let health = SourceHealth(
            name: name,
            kind: .mapping,
            state: state,
            rtt: slowest,
            lastError: state == .ok ? nil : lastError,
            checkedAt: clock.now()
        )
        await sink([.source(health)] + observations)
    }

    // MARK: - Scheduling

    private func takeDue(now: Date) -> [(String, WatchTarget)] {
        var limit = tuning.maxConcurrentLookups - inFlight
        if state == .down {
            // One probe at a time, and not before the backoff says so.
            guard inFlight == 0, now >= (nextProbeAt ?? now) else { return [] }
            limit = 1
        }
        guard limit > 0 else { return [] }
        let due = schedule.popDue(now: now, limit: limit).compactMap { workload in
            targets[workload].map { (workload, $0) }
        }
        inFlight += due.count
        return due
    }

    private func takeSubscriptions() -> [(String, WatchTarget)] {
        guard config.subscribe, state != .down else { return [] }
        var limit = tuning.maxConcurrentLookups - inFlight
        var chosen: [(String, WatchTarget)] = []
        let now = clock.now()
        for (workload, due) in renewalAt where due <= now {
            // Subscribing again renews it at the server; the old stream ends when the new one starts.
            unsubscribe(workload)
        }
        for (workload, target) in targets where limit > 0 && !subscribed.contains(workload) {
            guard !subscribing.contains(workload), (subscriptionRetryAt[workload] ?? now) <= now else { continue }
            subscribing.insert(workload)
            chosen.append((workload, target))
            limit -= 1
        }
        inFlight += chosen.count
        return chosen
    }

    private func timeUntilNextWork(now: Date) -> Duration? {
        guard inFlight < tuning.maxConcurrentLookups else { return nil }
        let next: Date?
        if state == .down {
            guard inFlight == 0 else { return nil }
            next = nextProbeAt ?? schedule.nextDue
        } else {
            next = schedule.nextDue
        }
        // A down resolver renews nothing (its subscriptions are made anew when it answers again).
        let renewal = config.subscribe && state != .down ? renewalAt.values.min() : nil
        guard let next = [next, renewal].compactMap({ $0 }).min() else { return nil }
        let seconds = max(0, next.timeIntervalSince(now))
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    // MARK: - Outcomes

    private func complete(_ workload: String, target: WatchTarget, outcome: LookupOutcome) async {
        inFlight -= 1
        defer { wake.signal() }
        let now = clock.now()
        var observations: [Observation] = []
        switch outcome {
        case .answered(let answer, let rtt):
            let wasDown = state == .down
            consecutiveFailures = 0
            nextProbeAt = nil
            state = rtt > tuning.slowThreshold ? .slow : .ok
            observations.append(.source(health(rtt: rtt, error: nil, at: now)))
            if targets[workload] == target {
                failuresByName[workload] = nil
                schedule.answered(workload, ttlMinutes: answer.ttlMinutes, at: now)
                observations.append(
                    .mapping(
                        workload: workload,
                        MappingObservation(answer: answer, resolver: name, rtt: rtt, checkedAt: now)
                    )
                )
            }
            if wasDown {
                logger.info("resolver answers again", metadata: ["mapping": "\(name)"])
                schedule.makeAllDue(now: now, keys: targets.keys)
                // A restarted map-server has forgotten its subscribers.
                for workload in Array(subscribed) {
                    unsubscribe(workload)
                }
            }
        case .failed(let reason):
            consecutiveFailures += 1
            if targets[workload] == target {
                let failures = (failuresByName[workload] ?? 0) + 1
                failuresByName[workload] = failures
                schedule.failed(workload, failures: failures, at: now)
            }
            if consecutiveFailures >= tuning.downAfterFailures {
                if state != .down {
                    logger.warning("resolver down", metadata: ["mapping": "\(name)", "error": "\(reason)"])
                }
                state = .down
                let probeFailures = consecutiveFailures - tuning.downAfterFailures + 1
                nextProbeAt = now + tuning.failureBackoff.delay(afterFailures: probeFailures).timeInterval
            } else {
                state = .slow
            }
            observations.append(.source(health(rtt: nil, error: reason, at: now)))
        }
        await sink?(observations)
    }

    private func subscribed(_ workload: String, target: WatchTarget, outcome: SubscribeOutcome) async {
        inFlight -= 1
        subscribing.remove(workload)
        defer { wake.signal() }
        guard targets[workload] == target else { return }
        switch outcome {
        case .subscribed(let answer, let rtt, let updates):
            subscribed.insert(workload)
            subscriptionRetryAt[workload] = nil
            renewalAt[workload] = clock.now() + tuning.subscriptionRenewal.timeInterval
            followers[workload] = Task {
                for await records in updates {
                    await self.published(records.first?.answer, for: workload, target: target)
                }
            }
            guard let answer else { return }
            let now = clock.now()
            schedule.answered(workload, ttlMinutes: answer.ttlMinutes, at: now)
            await sink?([
                .mapping(
                    workload: workload,
                    MappingObservation(answer: answer, resolver: name, rtt: rtt, checkedAt: now)
                )
            ])
        case .failed(let reason):
            // Lookups keep the mapping current meanwhile; the subscription is tried again later.
            subscriptionRetryAt[workload] = clock.now() + config.maxAge.timeInterval
            logger.debug("subscription failed", metadata: ["workload": "\(workload)", "error": "\(reason)"])
        }
    }

    private func unsubscribe(_ workload: String) {
        subscribed.remove(workload)
        renewalAt[workload] = nil
        followers.removeValue(forKey: workload)?.cancel()
    }

    /// An RFC 9437 publication: the map-server's new mapping for a subscribed EID.
    private func published(_ answer: MappingObservation.Answer?, for workload: String, target: WatchTarget) async {
        guard targets[workload] == target else { return }
        let now = clock.now()
        defer { wake.signal() }
        guard let answer, answer.ttlMinutes > 0 else {
            // A withdrawal is half of a move: look it up to see where the EID went.
            schedule.makeDue(workload, now: now)
            return
        }
        schedule.answered(workload, ttlMinutes: answer.ttlMinutes, at: now)
        await sink?([
            .mapping(workload: workload, MappingObservation(answer: answer, resolver: name, checkedAt: now))
        ])
    }

    private func health(rtt: Duration?, error: String?, at now: Date) -> SourceHealth {
        SourceHealth(name: name, kind: .mapping, state: state, rtt: rtt, lastError: error, checkedAt: now)
    }
}

extension MappingObservation.Answer {
    var ttlMinutes: UInt32 {
        switch self {
        case .registered(_, let ttl, _, _): ttl
        case .negative(let ttl): ttl
        }
    }
}
