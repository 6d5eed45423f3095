import DNS
import DNSNet
import LISP
import LISPNet
import LocusLab
import Logging
import NIOCore

/// The benchmarks that talk to the lab over loopback: map-resolver lookups and DNS queries, many in flight.
enum NetworkBenchmarks {
    /// Lookups of the lab's workload EIDs through a `ResolverClient`, `inFlight` at once; every answer must
    /// carry locators, so a benchmark that only counted negative replies or timeouts fails instead.
    static func resolver(lab: Lab, lookups: Int, inFlight: Int, logger: Logger) async throws -> BenchResult {
        let eids = lab.world.workloads.map(\.eidPrefix)
        guard !eids.isEmpty else { throw BenchError.emptyLab(benchmark: BenchmarkName.resolver.rawValue) }
        let resolver = ResolverClient(
            configuration: ResolverConfiguration(
                resolver: lab.mapServerAddresses.listen,
                localAddress: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
                retry: RetryPolicy(initialTimeout: .milliseconds(500), attempts: 4),
                inFlightLimit: max(inFlight, 1)
            ),
            logger: logger
        )
        let runTask = Task { try await resolver.run() }
        do {
            _ = try await resolver.localAddress()
            let lookup: @Sendable (Int) async throws -> Void = { index in
                let eid = eids[index % eids.count]
                let result = try await resolver.resolve(eid)
                guard let record = result.records.first, !record.locators.isEmpty else {
                    throw BenchError.unexpectedAnswer(
                        benchmark: BenchmarkName.resolver.rawValue,
                        detail: "\(eid) came back without locators"
                    )
                }
            }
            // One round first, so the socket and the map-server's caches are warm before timing starts.
            _ = try await BenchTimer.run(operations: min(inFlight, lookups), inFlight: inFlight, lookup)
            let (elapsed, latencies) = try await BenchTimer.run(operations: lookups, inFlight: inFlight, lookup)
            await resolver.shutdown()
            _ = try? await runTask.value
            return BenchResult(
                name: BenchmarkName.resolver.rawValue,
                operations: lookups,
                elapsed: elapsed,
                latencies: latencies,
                detail: "\(eids.count) EIDs, \(inFlight) in flight"
            )
        } catch {
            await resolver.shutdown()
            _ = try? await runTask.value
            throw error
        }
    }

    /// Queries for the A records of the lab's workloads (`NAME.lab.test`) from a `DNSClient` to the lab's
    /// responder, `inFlight` at once; every answer must be NOERROR with an address.
    static func dns(lab: Lab, queries: Int, inFlight: Int) async throws -> BenchResult {
        guard let port = lab.dns.server.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw BenchError.unexpectedAnswer(
                benchmark: BenchmarkName.dns.rawValue,
                detail: "the lab's DNS address \(lab.dns.server) has no port"
            )
        }
        let names = try lab.world.workloads.map { workload in
            try DNSName(parsing: LabDependencyPlan.recordName(of: workload.name))
        }
        guard !names.isEmpty else { throw BenchError.emptyLab(benchmark: BenchmarkName.dns.rawValue) }
        let client = DNSClient(
            server: DNSServerAddress(host: "127.0.0.1", port: port),
            configuration: DNSClientConfiguration(timeout: .milliseconds(500), attempts: 4)
        )
        let query: @Sendable (Int) async throws -> Void = { index in
            let name = names[index % names.count]
            let response = try await client.query(name, type: .a)
            guard response.message.responseCode == .noError, !response.message.answers.isEmpty else {
                throw BenchError.unexpectedAnswer(
                    benchmark: BenchmarkName.dns.rawValue,
                    detail: "\(name) A: \(response.message.responseCode), \(response.message.answers.count) answers"
                )
            }
        }
        _ = try await BenchTimer.run(operations: min(inFlight, queries), inFlight: inFlight, query)
        let (elapsed, latencies) = try await BenchTimer.run(operations: queries, inFlight: inFlight, query)
        return BenchResult(
            name: BenchmarkName.dns.rawValue,
            operations: queries,
            elapsed: elapsed,
            latencies: latencies,
            detail: "\(names.count) names, \(inFlight) in flight"
        )
    }
}
