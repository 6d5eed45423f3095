import Foundation
import LISPNet
import LocusCore
import LocusEngine
import LocusStore
import Testing

/// A map-server ends subscriptions that are not renewed; the engine renews its own before then, so that
/// publications keep reporting moves long after it subscribed.
@Suite("Engine subscription renewal")
struct EngineSubscriptionRenewalTests {
    @Test func subscriptionsRenewedBeforeTheirLifetimeStillDeliverMoves() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture(subscriptionLimits: SubscriptionLimits(lifetime: .seconds(1)))
        let east = try await SimulatedXTR.east(server)
        let west = try await SimulatedXTR.west(server)
        try await east.register("10.1.0.7")
        // With max_age at 10 minutes, only a publication can report the move within the wait.
        let config = try await EngineMappingTests.config(
            in: directory,
            server: server,
            subscribe: true,
            maxAge: .seconds(600)
        )
        var tuning = fastTuning
        tuning.subscriptionRenewal = .milliseconds(300)
        let engine = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: tuning
        )
        try await running(engine) {
            _ = try await snapshot(of: engine, "web-07 is mapped to dc-east") {
                EngineMappingTests.isMapped($0, to: "dc-east")
            }
            // Several lifetimes pass: without renewal the map-server would have ended the subscription.
            try await Task.sleep(for: .seconds(3))
            try await west.register("10.1.0.7")
            _ = try await snapshot(of: engine, "web-07 moved to dc-west by publication") {
                EngineMappingTests.isMapped($0, to: "dc-west")
            }
        }
        let statistics = await server.statistics()
        #expect(statistics.expiredSubscriptions == 0, "a subscription expired although the engine renews it")
        await east.stop()
        await west.stop()
        await server.stop()
    }
}
