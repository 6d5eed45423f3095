import Foundation
import LISP
import LISPNet
import Testing

@testable import LocusLab

/// Starts a small lab in a fresh temporary directory with short clocks, and stops it after `body`.
func withLab<T>(
    workloads: Int = 30,
    sites: Int = 3,
    seed: UInt64 = 7,
    registrationInterval: Duration = .seconds(60),
    registrationTimeout: Duration = .seconds(180),
    moveDelay: Duration = .zero,
    failStep: String? = nil,
    _ body: (Lab) async throws -> T
) async throws -> T {
    let lab = try await Lab.start(
        LabConfiguration(
            workloads: workloads,
            sites: sites,
            seed: seed,
            registrationInterval: registrationInterval,
            registrationTimeout: registrationTimeout,
            flapInterval: .milliseconds(50),
            probePort: 0,
            moveDelay: moveDelay,
            failStep: failStep,
            moverExecutable: "/usr/local/bin/locus"
        )
    )
    do {
        let result = try await body(lab)
        await lab.stop()
        return result
    } catch {
        await lab.stop()
        throw error
    }
}

/// Runs a resolver client against the lab's map-resolver for the duration of `body`.
func withResolver<T>(for lab: Lab, _ body: (ResolverClient) async throws -> T) async throws -> T {
    let resolver = ResolverClient(
        configuration: ResolverConfiguration(
            resolver: lab.mapServerAddresses.listen,
            retry: RetryPolicy(initialTimeout: .milliseconds(500), attempts: 4)
        )
    )
    let task = Task { try await resolver.run() }
    defer { task.cancel() }
    do {
        let result = try await body(resolver)
        await resolver.shutdown()
        return result
    } catch {
        await resolver.shutdown()
        throw error
    }
}

/// The RLOC addresses of a lookup's first record, as text.
func locators(_ result: LookupResult) -> [String] {
    (result.records.first?.locators ?? []).compactMap { $0.locator.ip?.description }.sorted()
}

/// Polls `condition` until it holds or `deadline` passes.
func eventually(
    within deadline: Duration = .seconds(10),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let end = ContinuousClock.now + deadline
    while ContinuousClock.now < end {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
