import Foundation
import LISP
import LISPNet
import LocusCore
import NIOCore
import NIOPosix

/// What the mapping system answers for a workload's EID: asked of every `[[mapping]]` resolver, the
/// way the dashboard asks, and compared with where the migration moves it.
///
/// Locus never registers an EID itself: the xTRs do. The mapping step only waits for the destination
/// to register and the source to withdraw, so that the cutover goes on once traffic can follow.
public struct MappingFollow: Sendable {
    public let eid: EIDPrefix
    /// The RLOCs the EID must resolve to (the destination site's), and those it must no longer.
    public let expected: SiteConfig
    public let left: SiteConfig
    let resolvers: [Endpoint]
    let eventLoopGroup: any EventLoopGroup

    public init(
        eid: EIDPrefix,
        toward expected: SiteConfig,
        awayFrom left: SiteConfig,
        resolvers: [Endpoint],
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.eid = eid
        self.expected = expected
        self.left = left
        self.resolvers = resolvers
        self.eventLoopGroup = eventLoopGroup
    }

    /// The same follow the other way (rollback: back at the source).
    public func reversed() -> MappingFollow {
        MappingFollow(eid: eid, toward: left, awayFrom: expected, resolvers: resolvers, eventLoopGroup: eventLoopGroup)
    }

    /// What one round of Map-Requests found.
    public struct Finding: Sendable, Hashable {
        public var arrived: Bool
        public var detail: String
    }

    /// One Map-Request to each resolver: arrived when every resolver answers with RLOCs of the
    /// expected site only.
    public func observe() async -> Finding {
        guard !resolvers.isEmpty else {
            return Finding(arrived: false, detail: "no [[mapping]] resolver is configured to ask")
        }
        let expectedRLOCs = Set(expected.rlocs.map(\.description))
        let leftRLOCs = Set(left.rlocs.map(\.description))
        var details: [String] = []
        var arrived = true
        for resolver in resolvers {
            let answer = await ask(resolver)
            switch answer {
            case .failure(let reason):
                arrived = false
                details.append("\(resolver): \(reason)")
            case .success(let rlocs):
                let found = rlocs.sorted().joined(separator: ", ")
                if rlocs.isEmpty {
                    arrived = false
                    details.append("\(resolver): \(eid) is not registered (negative Map-Reply)")
                } else if !rlocs.isSubset(of: expectedRLOCs) || !rlocs.isDisjoint(with: leftRLOCs) {
                    arrived = false
                    details.append("\(resolver): \(eid) → \(found), not yet \(expected.name) only")
                } else {
                    details.append("\(resolver): \(eid) → \(found) (\(expected.name))")
                }
            }
        }
        return Finding(arrived: arrived, detail: details.joined(separator: "; "))
    }

    /// Asks until the mapping arrived or `deadline` passed.
    public func wait(until deadline: ContinuousClock.Instant) async -> Finding {
        var finding = await observe()
        while !finding.arrived, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            finding = await observe()
        }
        return finding
    }

    private func ask(_ resolver: Endpoint) async -> Result<Set<String>, MappingProblem> {
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: resolver.host, port: Int(resolver.port))
        } catch {
            return .failure(MappingProblem("\(resolver.host) is not an IP address: \(error)"))
        }
        let client = ResolverClient(
            configuration: ResolverConfiguration(
                resolver: address,
                retry: RetryPolicy(initialTimeout: .milliseconds(300), attempts: 3, maximumTimeout: .seconds(1))
            ),
            eventLoopGroup: eventLoopGroup
        )
        return await withTaskGroup(of: Result<Set<String>, MappingProblem>?.self) { group in
            group.addTask {
                try? await client.run()
                return nil
            }
            group.addTask {
                defer { Task { await client.shutdown() } }
                do {
                    let result = try await client.resolve(eid)
                    guard let record = result.records.first else {
                        return .failure(MappingProblem("the Map-Reply holds no EID-record"))
                    }
                    return .success(Set(record.locators.compactMap { $0.locator.ip?.description }))
                } catch {
                    return .failure(MappingProblem("\(error)"))
                }
            }
            var answer: Result<Set<String>, MappingProblem> = .failure(MappingProblem("no answer"))
            while let next = await group.next() {
                if let next {
                    answer = next
                    await client.shutdown()
                }
            }
            return answer
        }
    }
}

struct MappingProblem: Error, Sendable, Hashable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
