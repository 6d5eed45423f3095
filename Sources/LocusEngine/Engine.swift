import Foundation
import LISPNet
import LocusCore
import LocusStore
import Logging
import NIOCore
import NIOPosix

/// Knows the world: reads the inventories, watches the mapping system and the map-server's
/// registrations, correlates, remembers in the store, and publishes immutable `Snapshot`s.
///
/// Sources report observations; the engine applies them in batches (a burst of answers becomes one
/// snapshot), re-evaluates only what they touched, writes what happened to the store and then
/// publishes. Long-running work happens in `run()`; `runOnce()` makes one complete pass for
/// `locus snapshot`.
public actor Engine {
    enum State {
        case idle
        case running
        case finished
    }

    public nonisolated let config: LocusConfig
    let store: any HistoryStore
    /// A running engine's history goes through it, so that publishing never waits for the store.
    let historyWriter: HistoryWriter
    let clock: EngineClock
    let tuning: EngineTuning
    let logger: Logger
    let eventLoopGroup: any EventLoopGroup
    private let correlator: Correlator
    let inventorySources: [any InventorySource]
    let watches: [MappingWatch]
    let registrationPollers: [RegistrationPoller]
    let dnsProbeSources: [DNSProbeSource]
    let loadBalancerProbeSources: [LoadBalancerProbeSource]
    let firewallProbeSources: [FirewallProbeSource]
    /// The last result of each dependency by workload, kept between the polls of different sources.
    var dependencyResults: [String: [String: DependencyStatus]] = [:]

    var state = State.idle
    /// `runOnce()`: one pass is all the evidence there will be, so a source that failed it is down.
    var isOneShot = false
    var world: World
    private var version: UInt64 = 0
    private(set) var statistics = EngineStatistics()
    private(set) var latest: Snapshot
    /// Which sources a one-shot pass has heard from, for a deadline to name the others.
    public nonisolated let progress = PassProgress()
    private var subscribers: [UUID: AsyncStream<Snapshot>.Continuation] = [:]
    private var pending: [Observation] = []
    private var reevaluationRequested = false
    /// Set for the last step of `runOnce()`: every source has answered, so alerts taken over from the
    /// store that nothing confirmed are judged on what is known (and cleared if they no longer hold).
    private var judgeSeededAlerts = false
    var prepared = false
    private let wake: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    var registrationIndexes: [String: RegistrationIndex] = [:]
    /// Which pass of each source may still report (see `PassTickets`).
    var passTickets = PassTickets()
    /// The EIDs the watches were last given, to tell them only when the inventory changed them.
    private var watchedTargets: [String: WatchTarget] = [:]

    /// - Parameters:
    ///   - inventorySources: nil for the ones `config` declares (files, OVF directories, libvirt
    ///     connections); where they describe the same workload, the first declared one's fields win.
    public init(
        config: LocusConfig,
        store: any HistoryStore,
        clock: EngineClock = .system,
        tuning: EngineTuning = EngineTuning(),
        inventorySources: [any InventorySource]? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "locus.engine")
    ) {
        self.config = config
        self.store = store
        self.historyWriter = HistoryWriter(store: store, tuning: tuning, clock: clock, logger: logger)
        self.clock = clock
        self.tuning = tuning
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.correlator = Correlator(policy: tuning.correlatorPolicy)
        let references = InventoryReferences(config: config)
        self.inventorySources =
            inventorySources
            ?? config.inventories.compactMap { Self.inventorySource(for: $0, references: references) }
        self.watches = config.mappings.map { mapping in
            MappingWatch(
                config: mapping,
                sites: config.sites,
                tuning: tuning,
                clock: clock,
                eventLoopGroup: eventLoopGroup,
                logger: logger
            )
        }
        self.registrationPollers = config.mappings.compactMap { mapping in
            RegistrationPoller(mapping: mapping, tuning: tuning, eventLoopGroup: eventLoopGroup)
        }
        self.dnsProbeSources = config.dnsServers.map {
            DNSProbeSource(config: $0, tuning: tuning, eventLoopGroup: eventLoopGroup)
        }
        self.loadBalancerProbeSources = config.loadBalancers.map {
            LoadBalancerProbeSource(config: $0, tuning: tuning, eventLoopGroup: eventLoopGroup)
        }
        self.firewallProbeSources = config.firewalls.map(FirewallProbeSource.init(config:))
        var world = World(name: config.name, sites: config.sites, recentEventLimit: tuning.recentEventLimit)
        world.firewallNames = Set(config.firewalls.map(\.name))
        world.inventoryOrder = config.inventories.map(\.name)
        world.inventoryLocations = Dictionary(
            config.inventories.map { ($0.name, $0.kind.location) },
            uniquingKeysWith: { first, _ in first }
        )
        self.world = world
        self.latest = world.snapshot(version: 0, takenAt: clock.now())
        self.wake = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    // MARK: - Public API

    /// The last published snapshot.
    public var snapshot: Snapshot { latest }

    /// The last published snapshot at once, then every new one. A slow reader gets the newest and
    /// skips those it had no time for. The stream ends when the engine stops.
    public func snapshots() -> AsyncStream<Snapshot> {
        let (stream, continuation) = AsyncStream.makeStream(of: Snapshot.self, bufferingPolicy: .bufferingNewest(1))
        guard state != .finished else {
            continuation.yield(latest)
            continuation.finish()
            return stream
        }
        let id = UUID()
        subscribers[id] = continuation
        continuation.yield(latest)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    /// How much work the engine did: observations in, batches applied, snapshots out.
    public func currentStatistics() -> EngineStatistics {
        statistics
    }

    /// The map-server registration tables last fetched, by `[[mapping]]` name.
    public func registrationTables() -> [String: RegistrationIndex] {
        registrationIndexes
    }

    /// Reads every inventory, resolves every EID and fetches every registration table now.
    public func rescan() async {
        for watch in watches {
            await watch.rescan()
        }
        for source in inventorySources {
            await pollInventory(source, force: true)
        }
        for poller in registrationPollers {
            await poll(poller)
        }
        await probeDependencies()
    }

    /// Runs until cancelled: every source on its schedule, publishing snapshots as things change.
    public func run() async throws {
        guard state == .idle else { throw EngineError.alreadyStarted }
        state = .running
        defer { finish() }
        await prepare()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.applyLoop() }
            group.addTask { await self.reevaluationLoop() }
            group.addTask { await self.pruneLoop() }
            group.addTask {
                await self.historyWriter.run { state, error in await self.storeWritten(state, error: error) }
            }
            for source in inventorySources {
                group.addTask { await self.inventoryLoop(source) }
            }
            for watch in watches {
                group.addTask { await watch.run(sink: self.sink) }
            }
            for poller in registrationPollers {
                group.addTask { await self.registrationLoop(poller) }
            }
            for source in dnsProbeSources {
                group.addTask { await self.dnsProbeLoop(source) }
            }
            for source in loadBalancerProbeSources {
                group.addTask { await self.loadBalancerProbeLoop(source) }
            }
            for source in firewallProbeSources {
                group.addTask { await self.pollLoop { await self.probe(source) } }
            }
            group.addTask { await self.tcpProbeLoop() }
        }
        // Every loop has ended, the last apply included: what it queued is written, within a deadline.
        await historyWriter.finish()
    }

    /// One complete pass over every source (every inventory read, every EID resolved once, every
    /// registration table fetched), then the snapshot of what it found.
    public func runOnce() async throws -> Snapshot {
        guard state == .idle else { throw EngineError.alreadyStarted }
        state = .running
        isOneShot = true
        defer { finish() }
        progress.expect(configuredSourceNames)
        await prepare()
        for source in inventorySources {
            await pollInventory(source, force: true)
        }
        await applyPending()
        await withDiscardingTaskGroup { group in
            for watch in watches {
                group.addTask { await watch.resolveAll(sink: self.sink) }
            }
            for poller in registrationPollers {
                group.addTask { await self.poll(poller) }
            }
            group.addTask { await self.probeDependencies() }
        }
        reevaluationRequested = true
        judgeSeededAlerts = true
        await applyPending()
        if version == 0 { publish() }
        return latest
    }

    /// What a one-shot pass has found so far, its pending observations judged and nothing written:
    /// what `snapshot` prints when its deadline comes first. It runs while the pass is suspended on
    /// whatever hangs.
    public func snapshotSoFar() -> Snapshot {
        var world = self.world
        _ = correlator.ingest(pending, into: &world, now: clock.now())
        return world.snapshot(version: version + 1, takenAt: clock.now())
    }

    /// Whether a source that failed `failures` times in a row counts as down (rather than slow).
    func isDown(afterFailures failures: Int) -> Bool {
        isOneShot || failures >= tuning.downAfterFailures
    }

    // MARK: - Observations

    /// Where sources send what they found.
    nonisolated var sink: ObservationSink {
        ObservationSink { [weak self] observations in
            await self?.submit(observations)
        }
    }

    func submit(_ observations: [Observation]) {
        guard !observations.isEmpty else { return }
        for case .source(let health) in observations {
            progress.answered(health.name)
        }
        pending.append(contentsOf: observations)
        wake.continuation.yield()
    }

    /// Whether a health observation of `source` waits to be applied.
    func hasPendingHealth(of source: String) -> Bool {
        pending.contains { observation in
            if case .source(let health) = observation { health.name == source } else { false }
        }
    }

    private func unsubscribe(_ id: UUID) {
        subscribers[id] = nil
    }

    private func finish() {
        state = .finished
        wake.continuation.finish()
        for continuation in subscribers.values {
            continuation.finish()
        }
        subscribers = [:]
    }

    /// Every source this engine reports on; an alert about any other one is left from an older
    /// configuration.
    private var configuredSourceNames: Set<String> {
        var names: Set<String> = [Self.storeSourceName]
        names.formUnion(config.inventories.map(\.name))
        names.formUnion(inventorySources.map(\.name))
        names.formUnion(watches.map(\.name))
        names.formUnion(registrationPollers.map(\.sourceName))
        names.formUnion(dnsProbeSources.map(\.name))
        names.formUnion(loadBalancerProbeSources.map(\.name))
        names.formUnion(firewallProbeSources.map(\.name))
        return names
    }

    /// Applies observations as they come, a coalescing window at a time.
    private func applyLoop() async {
        for await _ in wake.stream {
            try? await clock.sleep(tuning.coalescingWindow)
            await applyPending()
        }
    }

    private func reevaluationLoop() async {
        while !Task.isCancelled {
            do {
                try await clock.sleep(tuning.reevaluationInterval)
            } catch {
                return
            }
            reevaluationRequested = true
            wake.continuation.yield()
        }
    }

    /// Applies what arrived, correlates what it touched, writes the story to the store, publishes.
    func applyPending() async {
        let observations = pending
        pending = []
        statistics.observationsApplied += observations.count
        statistics.batchesApplied += observations.isEmpty ? 0 : 1
        let now = clock.now()
        let update = correlator.ingest(observations, into: &world, now: now)
        for (name, readdress) in update.change.readdressed.sorted(by: { $0.key < $1.key }) {
            // Verdicts for the old address are not the new one's (the world shows them unknown now).
            dependencyResults[name] = dependencyResults[name]?.filter { DependencyKey.isAddressIndependent($0.key) }
            logger.notice(
                "workload re-addressed",
                metadata: [
                    "workload": "\(name)", "from": "\(readdress.from)", "to": "\(readdress.to)",
                    "source": "\(readdress.source)",
                ]
            )
        }
        var batch = HistoryBatch(update)
        var changed = !update.change.isEmpty || !update.alertTransitions.isEmpty
        for id in world.expireAcknowledgements(at: now) {
            changed = true
            logger.notice("acknowledgement lapsed", metadata: ["alert": "\(id)"])
        }
        if reevaluationRequested {
            reevaluationRequested = false
            let timely = correlator.tick(&world, now: now)
            batch.events += timely.events
            batch.alertTransitions += timely.alertTransitions
            changed = changed || !timely.alertTransitions.isEmpty
            if world.hasUnjudgedSeededAlerts {
                let settled =
                    judgeSeededAlerts
                    ? correlator.judgeSeededAlerts(&world, now: now)
                    : correlator.clearSeededAlertsOfRemovedSubjects(
                        &world,
                        configuredSources: configuredSourceNames,
                        now: now
                    )
                batch.events += settled.events
                batch.alertTransitions += settled.alertTransitions
                changed = changed || !settled.alertTransitions.isEmpty
            }
        }
        guard changed else { return }
        if isOneShot || state != .running {
            // One pass: its history is written before its snapshot is returned.
            if !batch.isEmpty { await record(batch) }
        } else {
            await historyWriter.enqueue(batch)
        }
        publish()
        await updateWatchTargets(touched: update.change.touchedWorkloads)
    }

    func publish() {
        version += 1
        statistics.snapshotsPublished = version
        latest = world.snapshot(version: version, takenAt: clock.now())
        for continuation in subscribers.values {
            continuation.yield(latest)
        }
    }

    /// Tells the watches about workloads the inventory added, changed or removed.
    private func updateWatchTargets(touched: Set<String>) async {
        var changed: [String: WatchTarget?] = [:]
        for name in touched {
            let target = world.workloads[name].map { WatchTarget(eid: $0.spec.eid, iid: $0.spec.iid) }
            if watchedTargets[name] != target {
                watchedTargets[name] = target
                changed[name] = .some(target)
            }
        }
        guard !changed.isEmpty else { return }
        let now = clock.now()
        for watch in watches {
            await watch.update(changed, now: now)
        }
    }
}
