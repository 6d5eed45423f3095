import Foundation
import LocusCore

extension Engine {
    /// Checks every `firewall` dependency on one firewall from one listing of its ruleset; returns the
    /// consecutive failures so far.
    @discardableResult
    func probe(_ source: FirewallProbeSource) async -> Int {
        let ticket = passTickets.issue("firewall|" + source.name)
        var work: [(workload: String, member: FirewallProbe.Member)] = []
        for (name, workload) in world.workloads {
            for case .firewall(let spec) in workload.spec.dependencies where spec.firewall == source.name {
                let member = FirewallProbe.Member(
                    spec: spec,
                    address: workload.spec.address,
                    previousAddress: workload.previousAddress
                )
                work.append((name, member))
            }
        }
        let takenFor = addresses(of: work.map(\.workload), from: work.map(\.member.address))
        let checkedAt = clock.now()
        let started = ContinuousClock.now
        var results: [String: [String: DependencyStatus]] = [:]
        do {
            let ruleset = try await source.probe.ruleset()
            let rtt = ContinuousClock.now - started
            guard passTickets.mayReport("firewall|" + source.name, ticket) else { return 0 }
            let (leftovers, inUse) = leftovers(in: ruleset, on: source.name)
            for (item, var status) in zip(
                work,
                source.probe.statuses(of: work.map(\.member), in: ruleset, checkedAt: checkedAt)
            ) {
                status.rtt = rtt
                // Its previous address is another workload's now: the opening may be theirs.
                if let leftover = status.leftover.flatMap(IPAddress.init), inUse.contains(leftover) {
                    status.leftover = nil
                }
                results[item.workload, default: [:]][DependencyKey.firewall(item.member.spec)] = status
            }
            source.failures.reset()
            let health = SourceHealth(
                name: source.name,
                kind: .firewall,
                state: rtt > tuning.slowThreshold ? .slow : .ok,
                rtt: rtt,
                checkedAt: checkedAt
            )
            report(health, results, takenFor: takenFor, also: [.firewallLeftovers(firewall: source.name, leftovers)])
            return 0
        } catch {
            guard passTickets.mayReport("firewall|" + source.name, ticket) else { return source.failures.current }
            let failures = source.failures.increment()
            let down = isDown(afterFailures: failures)
            logger.warning("firewall unavailable", metadata: ["source": "\(source.name)", "error": "\(error)"])
            for item in work {
                results[item.workload, default: [:]][DependencyKey.firewall(item.member.spec)] = unanswered(
                    .firewall,
                    target: FirewallProbe.target(of: item.member.spec),
                    source: source.name,
                    down: down,
                    error,
                    checkedAt
                )
            }
            let health = SourceHealth(
                name: source.name,
                kind: .firewall,
                state: down ? .down : .slow,
                lastError: error.description,
                checkedAt: checkedAt
            )
            report(health, results, takenFor: takenFor)
            return failures
        }
    }

    /// The leftovers of departed workloads on one firewall, judged by the world as it is now (after the
    /// listing's await), and every address some workload has now: a departed address some workload
    /// has again is nobody's leftover.
    private func leftovers(
        in ruleset: NFTRuleset,
        on firewall: String
    ) -> (byWorkload: [String: [FirewallLeftover]], inUse: Set<IPAddress>) {
        var watched: Set<NFTSetReference> = []
        var inUse: Set<IPAddress> = []
        var departed: [Workload] = []
        for (_, workload) in world.workloads {
            inUse.insert(workload.spec.address)
            watched.formUnion(FirewallProbe.watchedSets(of: workload.spec, on: firewall, in: ruleset))
            if workload.previousAddress.map({ $0 != workload.spec.address }) == true { departed.append(workload) }
        }
        let departures = departed.compactMap { workload -> FirewallProbe.Departure? in
            guard let previous = workload.previousAddress, !inUse.contains(previous) else { return nil }
            return FirewallProbe.Departure(
                workload: workload.name,
                previousAddress: previous,
                ownSets: FirewallProbe.watchedSets(of: workload.spec, on: firewall, in: ruleset)
            )
        }
        let found = FirewallProbe.leftovers(in: ruleset, firewall: firewall, watched: watched, departures: departures)
        return (found, inUse)
    }
}
