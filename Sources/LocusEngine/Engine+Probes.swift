import Foundation
import LocusCore

extension Engine {
    // MARK: - Dependency probes

    /// Checks every dependency once, all sources at once.
    func probeDependencies() async {
        await withDiscardingTaskGroup { group in
            for source in dnsProbeSources {
                group.addTask { await self.probe(source) }
            }
            for source in loadBalancerProbeSources {
                group.addTask { await self.probe(source) }
            }
            for source in firewallProbeSources {
                group.addTask { await self.probe(source) }
            }
            group.addTask { await self.probeTCP() }
        }
    }

    func dnsProbeLoop(_ source: DNSProbeSource) async {
        await pollLoop { await self.probe(source) }
    }

    func loadBalancerProbeLoop(_ source: LoadBalancerProbeSource) async {
        await pollLoop { await self.probe(source) }
    }

    func tcpProbeLoop() async {
        await pollLoop {
            await self.probeTCP()
            return 0
        }
    }

    /// Every `poll_interval`, sooner (with backoff) after a failure so that recovery is seen quickly.
    func pollLoop(_ pass: @Sendable () async -> Int) async {
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            let failures = await pass()
            let interval =
                failures == 0
                ? config.pollInterval
                : min(config.pollInterval, tuning.failureBackoff.delay(afterFailures: failures))
            do {
                try await clock.sleep(interval.jittered(by: tuning.jitter, using: &generator))
            } catch {
                return
            }
        }
    }

    /// Checks every `dns` dependency on one server; returns the consecutive failures so far.
    @discardableResult
    func probe(_ source: DNSProbeSource) async -> Int {
        let ticket = passTickets.issue("dns|" + source.name)
        var work: [(workload: String, spec: DNSDependencySpec, address: IPAddress, previous: IPAddress?)] = []
        for (name, workload) in world.workloads {
            for case .dns(let spec) in workload.spec.dependencies where spec.server == source.name {
                work.append((name, spec, workload.spec.address, workload.previousAddress))
            }
        }
        let checkedAt = clock.now()
        let started = ContinuousClock.now
        var results: [String: [String: DependencyStatus]] = [:]
        var failure: DNSProbeError?
        let probe = source.probe
        let width = max(1, tuning.maxConcurrentProbes)
        await withTaskGroup(of: (index: Int, outcome: Result<[DependencyStatus], DNSProbeError>).self) { group in
            func check(_ index: Int) -> @Sendable () async -> (Int, Result<[DependencyStatus], DNSProbeError>) {
                let item = work[index]
                return {
                    do throws(DNSProbeError) {
                        let (statuses, _) = try await probe.check(
                            item.spec,
                            address: item.address,
                            previousAddress: item.previous,
                            checkedAt: checkedAt
                        )
                        return (index, .success(statuses))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var next = 0
            while next < min(width, work.count) {
                group.addTask(operation: check(next))
                next += 1
            }
            while let (index, outcome) = await group.next() {
                switch outcome {
                case .success(let statuses):
                    let item = work[index]
                    results[item.workload, default: [:]][DependencyKey.dns(item.spec)] = statuses.first
                    if item.spec.ptr, statuses.count > 1 {
                        results[item.workload, default: [:]][DependencyKey.ptr(item.spec)] = statuses[1]
                    }
                case .failure(let error):
                    // One unanswered query says the server is unreachable; do not wait out a timeout per record.
                    if failure == nil { failure = error }
                    group.cancelAll()
                }
                if failure == nil, next < work.count {
                    group.addTask(operation: check(next))
                    next += 1
                }
            }
        }
        if work.isEmpty {
            failure = await checkReachable(source)
        }
        let rtt = ContinuousClock.now - started
        // A rescan's pass and the loop's may overlap: the later one has already said what is there.
        guard passTickets.mayReport("dns|" + source.name, ticket) else { return source.failures.current }
        guard let failure else {
            source.failures.reset()
            let health = SourceHealth(
                name: source.name,
                kind: .dns,
                state: rtt > tuning.slowThreshold * max(1, work.count) ? .slow : .ok,
                rtt: rtt,
                checkedAt: checkedAt
            )
            report(health, results, takenFor: addresses(of: work.map(\.workload), from: work.map(\.address)))
            return 0
        }
        let failures = source.failures.increment()
        let down = isDown(afterFailures: failures)
        logger.warning("DNS server unavailable", metadata: ["source": "\(source.name)", "error": "\(failure)"])
        results = [:]
        for item in work {
            let dns = unanswered(.dns, target: item.spec.name, source: source.name, down: down, failure, checkedAt)
            results[item.workload, default: [:]][DependencyKey.dns(item.spec)] = dns
            if item.spec.ptr {
                let target = DNSProbe.pointerName(of: item.address)
                let ptr = unanswered(.ptr, target: target, source: source.name, down: down, failure, checkedAt)
                results[item.workload, default: [:]][DependencyKey.ptr(item.spec)] = ptr
            }
        }
        let health = SourceHealth(
            name: source.name,
            kind: .dns,
            state: down ? .down : .slow,
            lastError: failure.description,
            checkedAt: checkedAt
        )
        report(health, results, takenFor: addresses(of: work.map(\.workload), from: work.map(\.address)))
        return failures
    }

    /// With nothing to check, a server is still watched: its SOA for the root says whether it answers.
    private func checkReachable(_ source: DNSProbeSource) async -> DNSProbeError? {
        do {
            _ = try await source.probe.client.query(.root, type: .soa)
            return nil
        } catch {
            return .client(error)
        }
    }

    /// Checks every `lb` dependency on one load balancer, one `show servers state` per backend;
    /// returns the consecutive failures so far.
    @discardableResult
    func probe(_ source: LoadBalancerProbeSource) async -> Int {
        let ticket = passTickets.issue("lb|" + source.name)
        var work: [(workload: String, member: LoadBalancerProbe.Member)] = []
        for (name, workload) in world.workloads {
            for case .loadBalancer(let spec) in workload.spec.dependencies where spec.balancer == source.name {
                let member = LoadBalancerProbe.Member(
                    spec: spec,
                    address: workload.spec.address,
                    previousAddress: workload.previousAddress
                )
                work.append((name, member))
            }
        }
        let checkedAt = clock.now()
        let started = ContinuousClock.now
        var results: [String: [String: DependencyStatus]] = [:]
        do {
            if work.isEmpty {
                _ = try await source.probe.client.send("show info")
            }
            let statuses = try await source.probe.check(work.map(\.member), checkedAt: checkedAt)
            let rtt = ContinuousClock.now - started
            guard passTickets.mayReport("lb|" + source.name, ticket) else { return 0 }
            for (item, status) in zip(work, statuses) {
                results[item.workload, default: [:]][DependencyKey.lb(item.member.spec)] = status
            }
            source.failures.reset()
            let backends = max(1, Set(work.map(\.member.spec.backend)).count)
            let health = SourceHealth(
                name: source.name,
                kind: .loadbalancer,
                state: rtt > tuning.slowThreshold * backends ? .slow : .ok,
                rtt: rtt,
                checkedAt: checkedAt
            )
            report(health, results, takenFor: addresses(of: work.map(\.workload), from: work.map(\.member.address)))
            return 0
        } catch {
            guard passTickets.mayReport("lb|" + source.name, ticket) else { return source.failures.current }
            let failures = source.failures.increment()
            let down = isDown(afterFailures: failures)
            logger.warning("load balancer unavailable", metadata: ["source": "\(source.name)", "error": "\(error)"])
            for item in work {
                let target = "\(item.member.spec.backend)/\(item.member.spec.server)"
                results[item.workload, default: [:]][DependencyKey.lb(item.member.spec)] = unanswered(
                    .lb,
                    target: target,
                    source: source.name,
                    down: down,
                    error,
                    checkedAt
                )
            }
            let health = SourceHealth(
                name: source.name,
                kind: .loadbalancer,
                state: down ? .down : .slow,
                lastError: error.description,
                checkedAt: checkedAt
            )
            report(health, results, takenFor: addresses(of: work.map(\.workload), from: work.map(\.member.address)))
            return failures
        }
    }

    /// Which address each workload had when a pass began, for `report`.
    func addresses(of workloads: [String], from addresses: [IPAddress]) -> [String: IPAddress] {
        Dictionary(zip(workloads, addresses), uniquingKeysWith: { first, _ in first })
    }

    /// Connects to every `tcp` dependency at once (each target once, however many workloads need it).
    func probeTCP() async {
        var targets: Set<Endpoint> = []
        var work: [(workload: String, spec: TCPDependencySpec)] = []
        for (name, workload) in world.workloads {
            for case .tcp(let spec) in workload.spec.dependencies {
                work.append((name, spec))
                targets.insert(spec.target)
            }
        }
        guard !work.isEmpty else { return }
        let ticket = passTickets.issue("tcp")
        let checkedAt = clock.now()
        let probe = TCPProbe(timeout: tuning.probeTimeout, eventLoopGroup: eventLoopGroup)
        let outcomes = await withTaskGroup(of: (Endpoint, TCPProbeResult).self) { group in
            for target in targets {
                group.addTask { (target, await probe.probe(target)) }
            }
            var outcomes: [Endpoint: TCPProbeResult] = [:]
            for await (target, result) in group {
                outcomes[target] = result
            }
            return outcomes
        }
        guard passTickets.mayReport("tcp", ticket) else { return }
        var results: [String: [String: DependencyStatus]] = [:]
        for item in work {
            guard let outcome = outcomes[item.spec.target] else { continue }
            results[item.workload, default: [:]][DependencyKey.tcp(item.spec)] = TCPProbe.status(
                of: outcome,
                spec: item.spec,
                checkedAt: checkedAt
            )
        }
        // A service's answer does not depend on the workload's address, only on its still declaring it.
        report(nil, results, takenFor: [:])
    }

    /// A dependency whose source did not answer: `unreachable`, never the last known good state; the
    /// source's own health says whether it is down yet.
    func unanswered(
        _ kind: DependencyStatus.Kind,
        target: String,
        source: String,
        down: Bool,
        _ error: any Error,
        _ checkedAt: Date
    ) -> DependencyStatus {
        DependencyStatus(
            kind: kind,
            target: target,
            role: DependencyRole.other.rawValue,
            state: .unreachable,
            detail: down ? "\(source) is down: \(error)" : "\(source) did not answer: \(error)",
            checkedAt: checkedAt
        )
    }

    /// Keeps the results and sends each touched workload's complete list of dependency states.
    /// Records a pass's results, judged against the world as it is after the pass's awaits: a result
    /// taken for an address its workload no longer has (`takenFor`, the address each workload had
    /// when its checks began), or for a dependency it no longer declares, is dropped; the next pass
    /// checks what is there now.
    func report(
        _ health: SourceHealth?,
        _ results: [String: [String: DependencyStatus]],
        takenFor addresses: [String: IPAddress],
        also more: [Observation] = []
    ) {
        var observations: [Observation] = (health.map { [.source($0)] } ?? []) + more
        for (name, statuses) in results {
            guard let workload = world.workloads[name] else {
                // Removed from the inventory while it was being checked.
                dependencyResults[name] = nil
                continue
            }
            if let address = addresses[name], address != workload.spec.address { continue }
            let declared = DependencyKey.keys(of: workload.spec)
            let current = statuses.filter { declared.contains($0.key) }
            guard !current.isEmpty else { continue }
            dependencyResults[name, default: [:]].merge(current) { _, new in new }
            // What it declared before and no longer does is not kept for it.
            dependencyResults[name] = dependencyResults[name]?.filter { declared.contains($0.key) }
            observations.append(.dependencies(workload: name, dependencyStatuses(of: workload)))
        }
        submit(observations)
    }

    /// A workload's dependencies in the order the inventory declares them, each with its last result.
    func dependencyStatuses(of workload: Workload) -> [DependencyStatus] {
        let known = dependencyResults[workload.name] ?? [:]
        var statuses: [DependencyStatus] = []
        func add(_ key: String, _ kind: DependencyStatus.Kind, _ target: String, _ role: String) {
            statuses.append(
                known[key]
                    ?? DependencyStatus(
                        kind: kind,
                        target: target,
                        role: role,
                        state: .unknown,
                        detail: "not checked yet"
                    )
            )
        }
        for dependency in workload.spec.dependencies {
            switch dependency {
            case .dns(let spec):
                add(DependencyKey.dns(spec), .dns, spec.name, DependencyRole.other.rawValue)
                if spec.ptr {
                    let target = DNSProbe.pointerName(of: workload.spec.address)
                    add(DependencyKey.ptr(spec), .ptr, target, DependencyRole.other.rawValue)
                }
            case .loadBalancer(let spec):
                add(DependencyKey.lb(spec), .lb, "\(spec.backend)/\(spec.server)", DependencyRole.other.rawValue)
            case .tcp(let spec):
                add(DependencyKey.tcp(spec), .tcp, spec.target.description, spec.role.rawValue)
            case .firewall(let spec):
                add(
                    DependencyKey.firewall(spec),
                    .firewall,
                    FirewallProbe.target(of: spec),
                    DependencyRole.other.rawValue
                )
            }
        }
        return statuses
    }
}
