import Foundation
import LocusCore
import LocusTUI

/// A large world built through the correlator, as the engine builds one, for the benchmarks that need
/// more workloads than a loopback lab can register: three sites, every workload mapped, some moved away
/// from where the inventory says they are (mismatch alerts, move events), some never registered.
enum BenchWorld {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let resolverName = "bench-mr"

    static func snapshot(workloads count: Int) -> Snapshot {
        let sites = ["dc-east", "dc-west", "cloud-1"].enumerated().map { index, name in
            SiteConfig(name: name, rlocs: [rloc(site: index + 1, host: 1), rloc(site: index + 1, host: 2)])
        }
        let specs = (0..<count).map { index in
            let address = IPAddress(ipv4: 0x0A00_0000 + UInt32(index + 1))
            return InventoryWorkload(
                name: name(of: index),
                eid: IPPrefix(host: address),
                site: sites[index % sites.count].name,
                address: address,
                host: "hv-\(index % 64)",
                owner: "team-\(index % 20)",
                tags: index % 2 == 0 ? ["web", "prod"] : ["db"]
            )
        }
        var world = World(name: "bench", sites: sites)
        let correlator = Correlator()
        var observations: [Observation] = [
            .inventoryLoaded(source: "inventory", workloads: specs),
            .source(
                SourceHealth(name: resolverName, kind: .mapping, state: .ok, rtt: .milliseconds(2), checkedAt: start)
            ),
        ]
        observations.reserveCapacity(count + 2)
        for (index, spec) in specs.enumerated() where index % 101 != 100 {
            observations.append(.mapping(workload: spec.name, answer(from: sites[index % sites.count], at: start)))
        }
        _ = correlator.ingest(observations, into: &world, now: start)
        // Two minutes later one workload in forty answers from the next site: a move the inventory missed.
        let later = start.addingTimeInterval(120)
        let moves = stride(from: 0, to: count, by: 40).map { index in
            Observation.mapping(workload: name(of: index), answer(from: sites[(index + 1) % sites.count], at: later))
        }
        _ = correlator.ingest(moves, into: &world, now: later)
        return world.snapshot(version: 2, takenAt: later)
    }

    private static func name(of index: Int) -> String {
        "vm-" + String(index).leftPadded(to: 6)
    }

    private static func rloc(site: Int, host: Int) -> IPAddress {
        IPAddress(ipv4: 0x7F00_0000 | UInt32(site) << 8 | UInt32(host))
    }

    private static func answer(from site: SiteConfig, at time: Date) -> MappingObservation {
        MappingObservation(
            answer: .registered(
                locators: site.rlocs.map { Locator(address: $0.description, priority: 1, weight: 50) },
                ttlMinutes: 1440,
                mapVersion: nil,
                isAuthoritative: true
            ),
            resolver: resolverName,
            rtt: .microseconds(400),
            checkedAt: time
        )
    }
}

/// The benchmarks over a snapshot in memory: its JSON document and the dashboard's frames.
enum SnapshotBenchmarks {
    /// `locus snapshot --json`'s encoding: the document built from the snapshot, then its bytes.
    static func json(_ snapshot: Snapshot, encodings: Int, budget: Duration?) async throws -> BenchResult {
        var bytes = 0
        let (elapsed, latencies) = try await BenchTimer.repeatedly(encodings, budget: budget) { _ in
            bytes = try SnapshotDocument(snapshot).jsonData().count
        }
        return BenchResult(
            name: BenchmarkName.snapshotJSON.rawValue,
            operations: latencies.count,
            elapsed: elapsed,
            latencies: latencies,
            detail: "\(snapshot.workloads.count) workloads, " + String(format: "%.1f MB", Double(bytes) / 1e6)
        )
    }

    /// Whole dashboard frames of the Workloads view, as the event loop draws one per change: the shell's
    /// render from the snapshot, presented to the text backend. The selection moves every frame, so
    /// the detail pane changes as it does when an operator scrolls.
    static func render(_ snapshot: Snapshot, frames: Int, size: Size, budget: Duration?) async throws -> BenchResult {
        let names = snapshot.workloads.keys.sorted()
        var backend = TextBackend(size: size)
        let context = ShellContext(
            size: size,
            configName: snapshot.configName,
            operatorName: "bench",
            clock: ClockTime(hour: 12, minute: 0),
            world: .empty
        )
        let data = LiveData(
            snapshot: snapshot,
            now: snapshot.takenAt.addingTimeInterval(600),
            timeZone: TimeZone(identifier: "UTC") ?? .current
        )
        var state = UIState()
        let (elapsed, latencies) = try await BenchTimer.repeatedly(frames, budget: budget) { index in
            if !names.isEmpty {
                state.live.positions[.workloads] = ListPosition(selectedKey: names[index * 37 % names.count])
            }
            try backend.present(Shell.render(state, context, live: data))
        }
        return BenchResult(
            name: BenchmarkName.render.rawValue,
            operations: backend.presentCount,
            elapsed: elapsed,
            latencies: latencies,
            detail: "\(size.width)×\(size.height), \(snapshot.workloads.count) workloads, scrolling one snapshot"
        )
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
