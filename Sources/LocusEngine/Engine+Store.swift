import LocusCore
import LocusStore

extension Engine {
    static let storeSourceName = "store"

    /// Takes over what earlier processes stored: last mappings (so a move while nobody watched is
    /// still a move), last addresses (so a record left at the old one is named so), recent moves (so
    /// flapping is still flapping), the alerts still open (so one that holds keeps its age and one
    /// that no longer does is cleared), acknowledgements, recent events, which workloads have a
    /// migration open, and where completed migrations took workloads (believed until the inventory
    /// agrees).
    ///
    /// Migrations that change while the engine runs come through `follow`.
    func prepare() async {
        guard !prepared else { return }
        prepared = true
        do {
            let mappings = try await store.lastMappings()
            let addresses = try await store.lastAddresses()
            let moves = try await store.moves(
                since: tuning.correlatorPolicy.flappingWindowStart(at: clock.now())
            )
            let openAlerts = try await store.openAlerts()
            let acknowledgements = try await store.acknowledgements()
            let events = try await store.recentEvents(limit: tuning.recentEventLimit)
            world.seed(lastKnownMappings: mappings)
            world.seed(lastKnownAddresses: addresses)
            world.seed(recentMoves: moves)
            world.seed(openAlerts: openAlerts)
            world.acknowledge(acknowledgements, now: clock.now())
            world.remember(events)
            if let migrations = store as? any MigrationStore, let all = try? await migrations.migrations() {
                world.seed(pendingMigrations: Set(all.filter { !$0.state.isClosed }.map(\.workload)))
                world.seed(completedMigrations: all)
            }
            submit([.source(SourceHealth(name: Self.storeSourceName, kind: .store, state: .ok, checkedAt: clock.now()))]
            )
        } catch {
            logger.error("cannot read the store", metadata: ["error": "\(error)"])
            submit([.source(storeDown(error))])
        }
        for inventory in config.inventories where !inventorySources.contains(where: { $0.name == inventory.name }) {
            let health = SourceHealth(
                name: inventory.name,
                kind: .inventory,
                state: .down,
                lastError: "inventory kind \"\(inventory.kind.name)\" is not supported by this version of Locus",
                checkedAt: clock.now()
            )
            submit([.source(health)])
        }
    }

    /// Follows migrations read from the store while the engine runs (the dashboard reads them): a
    /// cutover that completes or is rolled back here counts at once, as `prepare` counts those before.
    public func follow(_ migrations: [Migration]) {
        submit([.migrations(migrations)])
    }

    /// Prunes the store's history by `history_keep` now and every `pruneInterval`. A failure is
    /// logged and tried again next time: the history only grows meanwhile.
    func pruneLoop() async {
        while !Task.isCancelled {
            do {
                let pruned = try await store.prune(keeping: config.historyKeep, now: clock.now())
                if !pruned.isEmpty {
                    // Not naming history_keep: a PostgreSQL store prunes by its owner's.
                    logger.info("history pruned", metadata: ["pruned": "\(pruned)"])
                }
            } catch {
                logger.warning("cannot prune the history", metadata: ["error": "\(error)"])
            }
            do {
                try await clock.sleep(tuning.pruneInterval)
            } catch {
                return
            }
        }
    }

    /// Writes a batch; the store's health follows whether it could.
    func record(_ batch: HistoryBatch) async {
        progress.waiting(on: "\(Self.storeSourceName) (writing what was found)")
        defer { progress.waiting(on: nil) }
        do {
            try await store.record(batch)
            if world.sources[Self.storeSourceName]?.state != .ok {
                submit([
                    .source(SourceHealth(name: Self.storeSourceName, kind: .store, state: .ok, checkedAt: clock.now()))
                ])
            }
        } catch {
            logger.error("cannot write to the store", metadata: ["error": "\(error)"])
            if world.sources[Self.storeSourceName]?.state != .down {
                submit([.source(storeDown(error))])
            }
        }
    }

    /// The history writer's word on the store, shown when it changes the store's state (or follows
    /// another word not applied yet: an `ok` right after a `slow` must not be lost).
    func storeWritten(_ state: SourceState, error: String?) {
        let pendingWord = hasPendingHealth(of: Self.storeSourceName)
        guard pendingWord || world.sources[Self.storeSourceName]?.state != state else { return }
        submit([
            .source(
                SourceHealth(
                    name: Self.storeSourceName,
                    kind: .store,
                    state: state,
                    lastError: error,
                    checkedAt: clock.now()
                )
            )
        ])
    }

    func storeDown(_ error: HistoryStoreError) -> SourceHealth {
        SourceHealth(
            name: Self.storeSourceName,
            kind: .store,
            state: .down,
            lastError: error.description,
            checkedAt: clock.now()
        )
    }
}
