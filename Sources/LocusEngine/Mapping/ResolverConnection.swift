import LISP
import LISPNet
import LocusCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The engine's side of one map-resolver: a `ResolverClient` speaking in the engine's terms
/// (workload EIDs in, mapping answers out).
///
/// A resolver given by address is usable at once. One given by name is resolved by `run()` on NIO's
/// blocking-I/O pool, never on the cooperative one, and tried again with backoff while it fails.
/// A lookup made before the first attempt ended waits for it (at most `firstResolutionWait`); after a
/// failed attempt, lookups fail naming why, and the source shows it.
struct ResolverConnection: Sendable {
    private let resolver: Endpoint
    private let makeClient: @Sendable (SocketAddress) -> ResolverClient
    private let slot = ClientSlot()
    static let resolutionBackoff = Backoff(initial: .milliseconds(500), multiplier: 2, maximum: .seconds(30))
    /// How long a lookup waits for the first resolution of the resolver's name (getaddrinfo's own
    /// timeout is five seconds a server).
    static let firstResolutionWait: Duration = .seconds(10)

    /// The client once the resolver's address is known, or why it is not.
    private final class ClientSlot: Sendable {
        let value = Mutex<Result<ResolverClient, ResolverAddressError>?>(nil)
    }

    init(
        resolver: Endpoint,
        retry: RetryPolicy,
        maximumInFlight: Int,
        downAfterTimeouts: Int,
        slowThreshold: Duration,
        publicationKeys: [UInt8: [UInt8]] = [:],
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) {
        self.resolver = resolver
        makeClient = { address in
            let configuration = ResolverConfiguration(
                resolver: address,
                retry: retry,
                inFlightLimit: maximumInFlight,
                downAfterTimeouts: downAfterTimeouts,
                slowThreshold: slowThreshold,
                publicationKeys: publicationKeys
            )
            return ResolverClient(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        }
        if let literal = try? SocketAddress(ipAddress: resolver.host, port: Int(resolver.port)) {
            slot.value.withLock { $0 = .success(makeClient(literal)) }
        }
    }

    /// Runs the client until cancelled, resolving the resolver's name first (again with backoff while
    /// that fails).
    func run() async {
        var failures = 0
        while !Task.isCancelled {
            if case .success(let client) = slot.value.withLock({ $0 }) {
                do {
                    try await client.run()
                } catch {
                    // Lookups fail with the same cause and report it in the source's health.
                }
                return
            }
            let resolver = self.resolver
            do {
                let address = try await NIOThreadPool.singleton.runIfActive {
                    try SocketAddress.makeAddressResolvingHost(resolver.host, port: Int(resolver.port))
                }
                slot.value.withLock { $0 = .success(makeClient(address)) }
            } catch {
                failures += 1
                let failure = ResolverAddressError(resolver: resolver.description, reason: "\(error)")
                slot.value.withLock { $0 = .failure(failure) }
                try? await Task.sleep(for: Self.resolutionBackoff.delay(afterFailures: failures))
            }
        }
    }

    /// The client, once the first resolution of the resolver's name has ended (or the wait for it has).
    private func client() async -> Result<ResolverClient, ResolverAddressError> {
        let deadline = ContinuousClock.now + Self.firstResolutionWait
        while true {
            if let known = slot.value.withLock({ $0 }) { return known }
            guard ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(10))) != nil else {
                return .failure(
                    ResolverAddressError(
                        resolver: resolver.description,
                        reason: "its name was not resolved within \(Self.firstResolutionWait)"
                    )
                )
            }
        }
    }

    func resolve(_ target: WatchTarget) async -> LookupOutcome {
        let client: ResolverClient
        switch await self.client() {
        case .success(let value): client = value
        case .failure(let error): return .failed(error.description)
        }
        guard let prefix = target.eidPrefix else {
            return .failed("EID \(target.eid) cannot be expressed as a LISP EID-prefix")
        }
        do {
            let result = try await client.resolve(prefix)
            guard let record = result.records.first else {
                return .failed("the Map-Reply for \(target.eid) holds no EID-record")
            }
            return .answered(record.answer, rtt: result.rtt)
        } catch {
            return .failed("\(error)")
        }
    }

    func subscribe(_ target: WatchTarget) async -> SubscribeOutcome {
        let client: ResolverClient
        switch await self.client() {
        case .success(let value): client = value
        case .failure(let error): return .failed(error.description)
        }
        guard let prefix = target.eidPrefix else {
            return .failed("EID \(target.eid) cannot be expressed as a LISP EID-prefix")
        }
        let started = ContinuousClock.now
        do {
            let subscription = try await client.subscribe(prefix)
            return .subscribed(
                initial: subscription.initial.first.map(\.answer),
                rtt: ContinuousClock.now - started,
                updates: subscription.updates
            )
        } catch {
            return .failed("\(error)")
        }
    }
}

/// What one lookup gave.
enum LookupOutcome: Sendable {
    case answered(MappingObservation.Answer, rtt: Duration)
    case failed(String)
}

/// What a subscription gave: the mapping when it was made, and then the records of each
/// publication; a withdrawal comes with TTL 0.
enum SubscribeOutcome: Sendable {
    case subscribed(initial: MappingObservation.Answer?, rtt: Duration, updates: AsyncStream<[EIDRecord]>)
    case failed(String)
}

struct ResolverAddressError: Error, Sendable, CustomStringConvertible {
    var resolver: String
    var reason: String

    var description: String { "resolver \(resolver) has no usable address: \(reason)" }
}

extension WatchTarget {
    /// The EID as the LISP codec writes it.
    var eidPrefix: EIDPrefix? {
        guard let address = LISP.IPAddress(eid.address.description) else { return nil }
        return EIDPrefix(instanceID: iid, address: address, length: eid.length)
    }
}

extension EIDRecord {
    /// The record as the world takes it: a negative reply, or the locator set.
    var answer: MappingObservation.Answer {
        guard !isNegative else { return .negative(ttlMinutes: ttlMinutes) }
        let locators = locators.map { rloc in
            Locator(
                address: rloc.locator.ip?.description ?? "",
                priority: rloc.priority,
                weight: rloc.weight,
                multicastPriority: rloc.multicastPriority,
                multicastWeight: rloc.multicastWeight,
                reachable: rloc.isReachable,
                isLocal: rloc.isLocal,
                isProbed: rloc.isProbed
            )
        }
        return .registered(
            locators: locators,
            ttlMinutes: ttlMinutes,
            mapVersion: mapVersion == 0 ? nil : mapVersion,
            isAuthoritative: isAuthoritative
        )
    }
}
