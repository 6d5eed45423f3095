import Foundation
import Testing

@testable import LocusCore

@Suite("World: observations and moves")
struct WorldObservationTests {
    typealias F = WorldFixtures

    @Test func theFirstSightingIsNotAMove() {
        var world = F.world([F.spec("web-07", host: 7)])
        let change = world.apply(F.registered("web-07", ["127.0.1.1"]))
        #expect(change.events.isEmpty)
        #expect(change.touchedWorkloads == ["web-07"])
        #expect(change.changedMappings["web-07"]?.site == "dc-east")
        #expect(world.workloads["web-07"]?.mapping.site == "dc-east")
        #expect(world.workloads["web-07"]?.mapping.locators.first?.site == "dc-east")
        #expect(world.workloads["web-07"]?.lastMovedAt == nil)
    }

    @Test func aChangeOfSiteIsAMoveWithOldAndNewLocators() throws {
        var world = F.world([F.spec("web-07", host: 7)])
        _ = world.apply(F.registered("web-07", ["127.0.1.1", "127.0.1.2"]))
        let change = world.apply(F.registered("web-07", ["127.0.2.1"], at: F.at(5)))
        let event = try #require(change.events.first)
        #expect(change.events.count == 1)
        #expect(event.kind == .move)
        #expect(event.subject == "web-07")
        #expect(event.time == F.at(5))
        #expect(
            event.move
                == Move(
                    fromSite: "dc-east",
                    toSite: "dc-west",
                    fromLocators: ["127.0.1.1", "127.0.1.2"],
                    toLocators: ["127.0.2.1"]
                )
        )
        #expect(event.detail.contains("dc-east -> dc-west"))
        #expect(world.workloads["web-07"]?.lastMovedAt == F.at(5))
    }

    @Test func newLocatorsInTheSameSiteAreNotAMoveButAreRemembered() {
        var world = F.world([F.spec("web-07", host: 7)])
        _ = world.apply(F.registered("web-07", ["127.0.1.1"]))
        let change = world.apply(F.registered("web-07", ["127.0.1.2"], at: F.at(5)))
        #expect(change.events.isEmpty)
        #expect(change.changedMappings["web-07"]?.locators.map(\.address) == ["127.0.1.2"])
    }

    @Test func aWithdrawalIsNotAMoveAndTheReturnIsJudgedAgainstTheLastKnownSite() {
        var world = F.world([F.spec("web-07", host: 7)])
        _ = world.apply(F.registered("web-07", ["127.0.1.1"]))
        #expect(world.apply(F.negative("web-07", at: F.at(1))).events.isEmpty)
        #expect(world.workloads["web-07"]?.mapping.state == .negative)
        #expect(world.apply(F.registered("web-07", ["127.0.1.1"], at: F.at(2))).events.isEmpty)
        _ = world.apply(F.negative("web-07", at: F.at(3)))
        let back = world.apply(F.registered("web-07", ["127.0.2.1"], at: F.at(4)))
        #expect(back.events.map(\.kind) == [.move])
    }

    @Test func aMoveWhileNoLocusRanIsDetectedAgainstTheStoredMapping() {
        var world = World(name: "test", sites: F.sites)
        let stored = LastKnownMapping(
            site: "dc-east",
            locators: [Locator(address: "127.0.1.1", site: "dc-east")],
            checkedAt: F.at(-3600)
        )
        world.seed(lastKnownMappings: ["web-07": stored])
        _ = world.apply(.inventoryLoaded(source: "main", workloads: [F.spec("web-07", host: 7)]))
        let change = world.apply(F.registered("web-07", ["127.0.2.1"]))
        #expect(change.events.first?.move?.fromSite == "dc-east")
        #expect(change.events.first?.move?.toSite == "dc-west")
    }

    @Test func aReIPWhileNoLocusRanKnowsThePreviousAddressFromTheStore() {
        var world = World(name: "test", sites: F.sites)
        let old = IPAddress("10.1.0.7")!
        world.seed(lastKnownAddresses: ["web-07": KnownAddress(address: old), "db-01": KnownAddress(address: old)])
        var moved = F.spec("web-07", host: 7)
        moved.address = IPAddress("172.16.1.5")!
        let change = world.apply(.inventoryLoaded(source: "main", workloads: [moved, F.spec("web-08", host: 8)]))
        #expect(world.workloads["web-07"]?.previousAddress == old)
        #expect(change.readdressed["web-07"]?.from == old)
        #expect(change.changedAddresses["web-07"] == KnownAddress(address: moved.address, previous: old))
        // New to the store: written once, with nothing before it.
        #expect(change.changedAddresses["web-08"] == KnownAddress(address: IPAddress("10.1.0.8")!))
        #expect(world.workloads["web-08"]?.previousAddress == nil)

        // Read again unchanged: nothing new for the store, and the previous address stays known.
        let again = world.apply(.inventoryLoaded(source: "main", workloads: [moved, F.spec("web-08", host: 8)]))
        #expect(again.changedAddresses.isEmpty)
        #expect(world.workloads["web-07"]?.previousAddress == old)
    }

    @Test func aStoredAddressEqualToTheDeclaredOneKeepsItsPreviousAddress() {
        var world = World(name: "test", sites: F.sites)
        let current = IPAddress("172.16.1.5")!
        let old = IPAddress("10.1.0.7")!
        world.seed(lastKnownAddresses: ["web-07": KnownAddress(address: current, previous: old)])
        var spec = F.spec("web-07", host: 7)
        spec.address = current
        let change = world.apply(.inventoryLoaded(source: "main", workloads: [spec]))
        #expect(world.workloads["web-07"]?.previousAddress == old)
        #expect(change.readdressed.isEmpty && change.changedAddresses.isEmpty)
    }

    @Test func theMappedSiteIsThatOfThePreferredUsableLocator() {
        var world = F.world([F.spec("web-07", host: 7)])
        let answer = MappingObservation.Answer.registered(
            locators: [
                Locator(address: "127.0.2.1", priority: 1, reachable: false),
                Locator(address: "127.0.1.1", priority: 2),
            ],
            ttlMinutes: 1440,
            mapVersion: 3,
            isAuthoritative: false
        )
        _ = world.apply(
            .mapping(workload: "web-07", MappingObservation(answer: answer, resolver: "mr-1", checkedAt: F.start))
        )
        #expect(world.workloads["web-07"]?.mapping.site == "dc-east")
        #expect(world.workloads["web-07"]?.mapping.mapVersion == 3)
    }

    @Test func observationsAboutUnknownWorkloadsAreIgnored() {
        var world = F.world([F.spec("web-07", host: 7)])
        #expect(world.apply(F.registered("nobody", ["127.0.1.1"])).isEmpty)
        #expect(world.apply(.registration(workload: "nobody", nil)).isEmpty)
    }

    @Test func sourceStateEventsOnlyOnChange() {
        var world = F.world([F.spec("web-07", host: 7)])
        #expect(world.apply(F.source("mr-1", .ok)).events.isEmpty)
        #expect(world.apply(F.source("mr-1", .ok, at: F.at(5))).events.isEmpty)
        let slow = world.apply(F.source("mr-1", .slow, at: F.at(6)))
        #expect(slow.events.map(\.detail) == ["mapping source mr-1: ok -> slow"])
        #expect(
            world.apply(F.source("dns", .down, kind: .dns, error: "refused")).events.map(\.detail) == [
                "dns source dns: down (refused)"
            ]
        )
    }

    @Test func recentEventsAreNewestFirstAndBounded() {
        var world = World(name: "test", sites: F.sites, recentEventLimit: 3)
        world.remember((0..<5).map { Event(time: F.at(Double($0)), kind: .migration, subject: "m\($0)", detail: "") })
        #expect(world.recentEvents.map(\.subject) == ["m4", "m3", "m2"])
        // Of events with the same time, the later one comes first.
        world.remember([
            Event(time: F.at(9), kind: .move, subject: "first", detail: ""),
            Event(time: F.at(9), kind: .alertRaised, subject: "second", detail: ""),
        ])
        #expect(world.recentEvents.map(\.subject) == ["second", "first", "m4"])
    }

    @Test func aSnapshotIsUnaffectedByLaterChanges() {
        var world = F.world([F.spec("web-07", host: 7)])
        let snapshot = world.snapshot(version: 1, takenAt: F.start)
        _ = world.apply(F.registered("web-07", ["127.0.1.1"]))
        #expect(snapshot.workloads["web-07"]?.mapping.state == .unknown)
        #expect(world.workloads["web-07"]?.mapping.state == .registered)
    }
}

@Suite("World: configuration and store seeding")
struct WorldSeedingTests {
    typealias F = WorldFixtures

    @Test func reconfiguredSitesReassignLocatorsWithoutAMove() {
        var world = F.world([F.spec("web-07", host: 7), F.spec("web-08", host: 8)])
        _ = world.apply([F.registered("web-07", ["127.0.9.9"]), F.registered("web-08", ["127.0.1.1"])])
        #expect(world.workloads["web-07"]?.mapping.site == nil)

        var sites = F.sites
        sites[0].rlocs.append(IPAddress("127.0.9.9")!)
        let change = world.reconfigure(sites: sites)
        #expect(change.touchedWorkloads == ["web-07"])
        #expect(change.events.isEmpty)
        #expect(world.workloads["web-07"]?.mapping.site == "dc-east")
        #expect(world.workloads["web-07"]?.mapping.locators.first?.site == "dc-east")
        #expect(change.changedMappings["web-07"]?.site == "dc-east")
        #expect(world.reconfigure(sites: sites).isEmpty)
    }

    @Test func eventsFromTheStoreKeepTheirNewestFirstOrder() {
        var world = World(name: "test", sites: F.sites)
        let stored = [
            Event(time: F.at(5), kind: .move, subject: "newer", detail: ""),
            Event(time: F.at(5), kind: .move, subject: "older", detail: ""),
            Event(time: F.at(1), kind: .move, subject: "oldest", detail: ""),
        ]
        world.seed(recentEvents: stored)
        #expect(world.recentEvents == stored)
    }
}
