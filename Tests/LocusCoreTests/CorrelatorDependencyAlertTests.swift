import Foundation
import Testing

@testable import LocusCore

@Suite("Correlator: dependency alerts")
struct CorrelatorDependencyAlertTests {
    typealias F = WorldFixtures
    let correlator = Correlator()

    static func dns(
        _ state: DependencyStatus.State,
        observed: String? = nil,
        previous: Bool = false,
        ttl: Duration? = .seconds(60)
    ) -> DependencyStatus {
        DependencyStatus(
            kind: .dns,
            target: "web.app.test",
            role: "other",
            state: state,
            expected: "10.1.0.7",
            observed: observed,
            detail: state == .missing ? "NXDOMAIN" : nil,
            ttl: ttl,
            ttlThreshold: .seconds(300),
            observedIsPreviousAddress: previous
        )
    }

    static func ptr(_ state: DependencyStatus.State, observed: String?) -> DependencyStatus {
        DependencyStatus(
            kind: .ptr,
            target: "7.0.1.10.in-addr.arpa.",
            role: "other",
            state: state,
            expected: "web.app.test.",
            observed: observed
        )
    }

    static func lb(_ state: DependencyStatus.State, observed: String = "10.1.0.7:80") -> DependencyStatus {
        DependencyStatus(
            kind: .lb,
            target: "be_web/web07",
            role: "other",
            state: state,
            expected: "10.1.0.7:80",
            observed: observed,
            observedIsPreviousAddress: state == .stale
        )
    }

    static func tcp(_ state: DependencyStatus.State, role: DependencyRole) -> DependencyStatus {
        DependencyStatus(
            kind: .tcp,
            target: "127.0.2.10:636",
            role: role.rawValue,
            state: state,
            detail: state == .ok ? "connected" : "connection refused"
        )
    }

    /// Reports `statuses`, returns the alerts of web-07, then reports all-ok and checks they clear.
    func raiseAndClear(_ statuses: [DependencyStatus], healthy: [DependencyStatus]) -> [Alert] {
        var world = F.world([F.spec("web-07", host: 7)])
        _ = correlator.ingest([.dependencies(workload: "web-07", statuses)], into: &world, now: F.at(1))
        let raised = world.alerts(about: "web-07")
        let update = correlator.ingest([.dependencies(workload: "web-07", healthy)], into: &world, now: F.at(2))
        #expect(world.alerts(about: "web-07").isEmpty)
        #expect(Set(update.correlation.cleared.map(\.kind)) == Set(raised.map(\.kind)))
        return raised
    }

    @Test func dnsStaleNamesTheRecordTheOldAndTheExpectedAddress() throws {
        let alerts = raiseAndClear([Self.dns(.stale, observed: "10.1.0.5", previous: true)], healthy: [Self.dns(.ok)])
        let alert = try #require(alerts.first)
        #expect(alerts.map(\.kind) == [.dnsStale])
        #expect(alert.subject == "web-07")
        #expect(alert.severity == .critical)
        #expect(alert.message.contains("web.app.test points to 10.1.0.5 (its previous address), expected 10.1.0.7"))
    }

    @Test func dnsMissing() throws {
        let alerts = raiseAndClear([Self.dns(.missing)], healthy: [Self.dns(.ok)])
        #expect(alerts.map(\.kind) == [.dnsMissing])
        #expect(alerts.first?.message.contains("web.app.test has no address record (NXDOMAIN)") == true)
    }

    @Test func ptrStaleForAnotherNameOrNone() throws {
        let other = raiseAndClear(
            [Self.ptr(.stale, observed: "old.app.test.")],
            healthy: [Self.ptr(.ok, observed: "web.app.test.")]
        )
        #expect(other.map(\.kind) == [.ptrStale])
        #expect(other.first?.severity == .warning)
        #expect(other.first?.message.contains("PTR of 10.1.0.7 names old.app.test., expected web.app.test.") == true)
        let none = raiseAndClear(
            [Self.ptr(.missing, observed: nil)],
            healthy: [Self.ptr(.ok, observed: "web.app.test.")]
        )
        #expect(none.first?.message.contains("PTR of 10.1.0.7 is missing") == true)
    }

    @Test func lbStaleNamesThePoolMember() throws {
        let alerts = raiseAndClear([Self.lb(.stale, observed: "10.1.0.5:80")], healthy: [Self.lb(.ok)])
        #expect(alerts.map(\.kind) == [.lbStale])
        #expect(alerts.first?.severity == .critical)
        #expect(
            alerts.first?.message.contains(
                "be_web/web07 sends to 10.1.0.5:80 (its previous address), expected 10.1.0.7:80"
            )
                == true
        )
    }

    @Test func lbMemberDownForDownMaintAndMissing() throws {
        let down = raiseAndClear([Self.lb(.down)], healthy: [Self.lb(.ok)])
        #expect(down.map(\.kind) == [.lbMemberDown])
        #expect(down.first?.severity == .critical)
        #expect(down.first?.message.contains("be_web/web07 is down") == true)
        let maint = raiseAndClear([Self.lb(.maint)], healthy: [Self.lb(.ok)])
        #expect(maint.first?.severity == .warning)
        #expect(maint.first?.message.contains("be_web/web07 is in maintenance") == true)
        let missing = raiseAndClear([Self.lb(.missing)], healthy: [Self.lb(.ok)])
        #expect(missing.first?.kind == .lbMemberDown)
        #expect(missing.first?.message.contains("does not exist") == true)
    }

    @Test(arguments: [
        (DependencyRole.auth, AlertSeverity.critical),
        (.storage, .critical),
        (.database, .warning),
        (.license, .warning),
        (.other, .warning),
    ])
    func dependencyUnreachableBySeverityOfRole(role: DependencyRole, severity: AlertSeverity) throws {
        let alerts = raiseAndClear([Self.tcp(.unreachable, role: role)], healthy: [Self.tcp(.ok, role: role)])
        #expect(alerts.map(\.kind) == [.dependencyUnreachable])
        #expect(alerts.first?.severity == severity)
        #expect(alerts.first?.message.contains("\(role.rawValue) service 127.0.2.10:636 is unreachable") == true)
    }

    @Test func dnsTTLHighOnlyWithAPendingMigration() throws {
        var world = F.world([F.spec("web-07", host: 7)])
        let high = Self.dns(.ok, observed: "10.1.0.7", ttl: .seconds(3600))
        _ = correlator.ingest([.dependencies(workload: "web-07", [high])], into: &world, now: F.at(1))
        #expect(world.alerts(about: "web-07").isEmpty)

        world.workloads["web-07"]?.hasPendingMigration = true
        let raised = correlator.evaluate(&world, workloads: ["web-07"], sources: [], now: F.at(2))
        let alert = try #require(raised.raised.first)
        #expect(alert.kind == .dnsTTLHigh)
        #expect(alert.severity == .warning)
        #expect(alert.message.contains("web.app.test has a TTL of 1h, above the 5m threshold"))

        let lowered = Self.dns(.ok, observed: "10.1.0.7", ttl: .seconds(60))
        let update = correlator.ingest([.dependencies(workload: "web-07", [lowered])], into: &world, now: F.at(3))
        #expect(update.correlation.cleared.map(\.kind) == [.dnsTTLHigh])
    }

    @Test func unknownAndUnreachableDNSRaiseNothingOfTheirOwn() {
        var world = F.world([F.spec("web-07", host: 7)])
        let unknown = DependencyStatus(kind: .dns, target: "web.app.test", role: "other", state: .unknown)
        let unreachable = DependencyStatus(kind: .lb, target: "be_web/web07", role: "other", state: .unreachable)
        _ = correlator.ingest([.dependencies(workload: "web-07", [unknown, unreachable])], into: &world, now: F.at(1))
        #expect(world.alerts(about: "web-07").isEmpty)
    }

    @Test func theAddressBeforeTheLastInventoryChangeIsRemembered() throws {
        var world = F.world([F.spec("web-07", host: 7)])
        var moved = F.spec("web-07", host: 7)
        moved.address = try #require(IPAddress("10.1.0.70"))
        _ = correlator.ingest([.inventoryLoaded(source: "main", workloads: [moved])], into: &world, now: F.at(1))
        #expect(world.workloads["web-07"]?.previousAddress == IPAddress("10.1.0.7"))
        #expect(world.workloads["web-07"]?.spec.address == IPAddress("10.1.0.70"))
    }
}
