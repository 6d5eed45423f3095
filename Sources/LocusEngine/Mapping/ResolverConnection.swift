import LISP
import LISPNet
import LocusCore
import Logging
import NIOCore

/// The engine's side of one map-resolver: a `ResolverClient` speaking in the engine's terms
/// (workload EIDs in, mapping answers out).
struct ResolverConnection: Sendable {
    private let client: Result<ResolverClient, ResolverAddressError>

    init(
        resolver: Endpoint,
        retry: RetryPolicy,
        maximumInFlight: Int,
        downAfterTimeouts: Int,
        slowThreshold: Duration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) {
        do {
            let address = try SocketAddress.makeAddressResolvingHost(resolver.host, port: Int(resolver.port))
            let configuration = ResolverConfiguration(
                resolver: address,
                retry: retry,
                inFlightLimit: maximumInFlight,
                downAfterTimeouts: downAfterTimeouts,
                slowThreshold: slowThreshold
            )
            client = .success(
                ResolverClient(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
            )
        } catch {
            client = .failure(ResolverAddressError(resolver: resolver.description, reason: "\(error)"))
        }
    }

    /// Runs the client until cancelled; returns at once when the resolver address is unusable
    /// (every lookup then fails with the reason).
    func run() async {
        guard case .success(let client) = client else { return }
        do {
            try await client.run()
        } catch {
            // Lookups fail with the same cause and report it in the source's health.
        }
    }

    func resolve(_ target: WatchTarget) async -> LookupOutcome {
        let client: ResolverClient
        switch self.client {
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
        switch self.client {
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

    var description: String { "resolver \(resolver) is not a usable address: \(reason)" }
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
