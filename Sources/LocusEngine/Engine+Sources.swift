import Foundation
import LocusCore

extension Engine {
    // MARK: - Inventory

    func inventoryLoop(_ source: any InventorySource) async {
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            await pollInventory(source, force: false)
            do {
                try await clock.sleep(config.pollInterval.jittered(by: tuning.jitter, using: &generator))
            } catch {
                return
            }
        }
    }

    /// Reads `source` when it changed (or when `force`d) and reports what it found. A broken edit
    /// keeps the last good workloads; the correlator raises `inventory-invalid` naming the line.
    func pollInventory(_ source: any InventorySource, force: Bool) async {
        let ticket = passTickets.issue("inventory|" + source.name)
        if !force {
            guard await source.hasChanged() else { return }
        }
        let started = ContinuousClock.now
        let checkedAt = clock.now()
        var observations: [Observation]
        do {
            let reading = try await source.read()
            let workloads = reading.workloads
            let health = SourceHealth(
                name: source.name,
                kind: .inventory,
                state: .ok,
                rtt: ContinuousClock.now - started,
                checkedAt: checkedAt
            )
            observations = [.source(health), .inventoryLoaded(source: source.name, workloads: workloads)]
            logger.info("inventory read", metadata: ["source": "\(source.name)", "workloads": "\(workloads.count)"])
            if !reading.problems.isEmpty {
                // The usable records are taken; the rest are reported like a broken inventory file.
                observations.append(.inventoryInvalid(source: source.name, errors: reading.problems))
                logger.warning(
                    "inventory records set aside",
                    metadata: ["source": "\(source.name)", "problems": "\(reading.problems.count)"]
                )
            }
        } catch {
            switch error {
            case .invalid(let errors):
                // It answered, but nothing in it could be used: the source is down, and says why.
                let health = SourceHealth(
                    name: source.name,
                    kind: .inventory,
                    state: .down,
                    rtt: ContinuousClock.now - started,
                    lastError: errors.first.map { "\($0)" } ?? "invalid",
                    checkedAt: checkedAt
                )
                observations = [.source(health), .inventoryInvalid(source: source.name, errors: errors)]
                logger.warning("inventory invalid, keeping the last good one", metadata: ["error": "\(error)"])
            case .unreadable(_, let reason):
                let health = SourceHealth(
                    name: source.name,
                    kind: .inventory,
                    state: .down,
                    lastError: reason,
                    checkedAt: checkedAt
                )
                // What an earlier read found wrong in the file is not why it is down now.
                observations = [.source(health), .inventoryInvalid(source: source.name, errors: [])]
                logger.warning("inventory unreadable", metadata: ["source": "\(source.name)", "error": "\(reason)"])
            }
        }
        // A forced read (a rescan) and the loop's may overlap: the file as read later is the one kept.
        guard passTickets.mayReport("inventory|" + source.name, ticket) else { return }
        submit(observations)
    }

    // MARK: - Registration tables

    func registrationLoop(_ poller: RegistrationPoller) async {
        await pollLoop { await self.poll(poller) }
    }

    /// Fetches one registration table and reports it; returns the consecutive failures so far.
    @discardableResult
    func poll(_ poller: RegistrationPoller) async -> Int {
        let ticket = passTickets.issue("registrations|" + poller.sourceName)
        let started = ContinuousClock.now
        let outcome = await poller.fetch(now: clock.now())
        let rtt = ContinuousClock.now - started
        let checkedAt = clock.now()
        guard passTickets.mayReport("registrations|" + poller.sourceName, ticket) else {
            return poller.failures.current
        }
        switch outcome {
        case .success(let index):
            poller.failures.reset()
            registrationIndexes[poller.mappingName] = index
            var observations: [Observation] = [
                .source(
                    SourceHealth(
                        name: poller.sourceName,
                        kind: .mapping,
                        state: rtt > tuning.slowThreshold ? .slow : .ok,
                        rtt: rtt,
                        checkedAt: checkedAt
                    )
                )
            ]
            for (name, workload) in world.workloads {
                let status = index.status(of: workload.spec)
                if workload.registration != status {
                    observations.append(.registration(workload: name, status))
                }
            }
            submit(observations)
            return 0
        case .failure(let error):
            let failures = poller.failures.increment()
            let down = isDown(afterFailures: failures)
            logger.warning(
                "registration table unavailable",
                metadata: ["source": "\(poller.sourceName)", "error": "\(error)"]
            )
            var observations: [Observation] = [
                .source(
                    SourceHealth(
                        name: poller.sourceName,
                        kind: .mapping,
                        state: down ? .down : .slow,
                        lastError: error.description,
                        checkedAt: checkedAt
                    )
                )
            ]
            if down {
                registrationIndexes[poller.mappingName] = nil
                // Without the table nobody can tell whether a registration is stale.
                for (name, workload) in world.workloads where workload.registration != nil {
                    observations.append(.registration(workload: name, nil))
                }
            }
            submit(observations)
            return failures
        }
    }
}
