import DNS
import DNSNet
import Testing

@Suite("Zone store: answers and RFC 2136 semantics")
struct ZoneStoreTests {
    private func serial(_ store: DNSZoneStore) -> UInt32? {
        guard case .soa(let data) = store.records(name: "lab.test", type: .soa).first?.data else { return nil }
        return data.serial
    }

    @Test func zoneWithoutSOAIsRejected() {
        #expect(throws: DNSZoneStoreError.missingSOA("other.test")) {
            try DNSZoneStore(zones: ["other.test"], records: [])
        }
        #expect(throws: DNSZoneStoreError.outsideZones("x.example")) {
            try DNSZoneStore(
                zones: ["lab.test"],
                records: [DNSResourceRecord(name: "x.example", ttl: 1, data: .a(DNSAddress("192.0.2.1")!))]
            )
        }
    }

    @Test func emptyNonTerminalIsNoDataNotNameError() throws {
        var store = try LabResponderTests.store()
        store.setRecords(
            [DNSResourceRecord(name: "a.b.lab.test", ttl: 60, data: .a(DNSAddress("192.0.2.5")!))],
            name: "a.b.lab.test",
            type: .a
        )
        let answer = store.answer(DNSMessage.query(id: 1, name: "b.lab.test", type: .a))
        #expect(answer.responseCode == .noError)
        #expect(answer.answers.isEmpty)
        #expect(answer.authorities.map(\.type) == [.soa])

        // Once the only name below it is gone, it does not exist any more.
        let update = DNSUpdate(zone: "lab.test", operations: [.deleteName("a.b.lab.test")])
        #expect(store.apply(update) == .noError)
        #expect(store.answer(DNSMessage.query(id: 2, name: "b.lab.test", type: .a)).responseCode == .nameError)
        #expect(store.answer(DNSMessage.query(id: 3, name: "a.b.lab.test", type: .a)).responseCode == .nameError)
        #expect(store.answer(DNSMessage.query(id: 4, name: "lab.test", type: .soa)).answers.count == 1)
    }

    @Test func prerequisitesAreCheckedBeforeAnyChange() throws {
        var store = try LabResponderTests.store()
        let before = store
        let add = DNSUpdate.Operation.add(
            DNSResourceRecord(name: "new.lab.test", ttl: 60, data: .a(DNSAddress("192.0.2.99")!))
        )
        let cases: [(DNSUpdate.Prerequisite, DNSResponseCode)] = [
            (.rrsetExists("app.lab.test", .txt), .nxRRSet),
            (.rrsetDoesNotExist("app.lab.test", .a), .yxRRSet),
            (.nameInUse("nobody.lab.test"), .nameError),
            (.nameNotInUse("app.lab.test"), .yxDomain),
            (
                .rrsetEquals([DNSResourceRecord(name: "app.lab.test", ttl: 0, data: .a(DNSAddress("192.0.2.11")!))]),
                .nxRRSet
            ),
            (.rrsetExists("app.example", .a), .notZone),
        ]
        for (prerequisite, expected) in cases {
            let code = store.apply(DNSUpdate(zone: "lab.test", prerequisites: [prerequisite], operations: [add]))
            #expect(code == expected, "\(prerequisite)")
        }
        #expect(store == before)
        let matching = DNSUpdate.Prerequisite.rrsetEquals([
            DNSResourceRecord(name: "app.lab.test", ttl: 0, data: .a(DNSAddress("192.0.2.10")!))
        ])
        #expect(store.apply(DNSUpdate(zone: "lab.test", prerequisites: [matching], operations: [add])) == .noError)
        #expect(store.records(name: "new.lab.test", type: .a).count == 1)
    }

    @Test func updatesOutsideTheZoneAreRefusedWhole() throws {
        var store = try LabResponderTests.store()
        let before = store
        let update = DNSUpdate(
            zone: "lab.test",
            operations: [.deleteName("app.lab.test"), .deleteName("app.example")]
        )
        #expect(store.apply(update) == .notZone)
        #expect(store == before)
        #expect(store.apply(DNSUpdate(zone: "example.org")) == .notAuth)
    }

    @Test func apexSOAAndNSSurviveDeletionAndSerialAdvances() throws {
        var store = try LabResponderTests.store()
        let initial = try #require(serial(store))
        let update = DNSUpdate(
            zone: "lab.test",
            operations: [.deleteName("lab.test"), .deleteRRset("lab.test", .ns), .deleteName("app.lab.test")]
        )
        #expect(store.apply(update) == .noError)
        #expect(store.records(name: "lab.test", type: .soa).count == 1)
        #expect(store.records(name: "lab.test", type: .ns).count == 1)
        #expect(store.records(name: "app.lab.test", type: .a).isEmpty)
        #expect(serial(store) == initial + 1)
    }

    @Test func addingKeepsOneTTLPerRRsetAndIgnoresDuplicates() throws {
        var store = try LabResponderTests.store()
        let second = DNSResourceRecord(name: "app.lab.test", ttl: 30, data: .a(DNSAddress("192.0.2.11")!))
        #expect(store.apply(DNSUpdate(zone: "lab.test", operations: [.add(second)])) == .noError)
        #expect(store.records(name: "app.lab.test", type: .a).map(\.ttl) == [30, 30])
        let afterAdd = serial(store)
        #expect(store.apply(DNSUpdate(zone: "lab.test", operations: [.add(second)])) == .noError)
        #expect(serial(store) == afterAdd)
        let removal = DNSUpdate(zone: "lab.test", operations: [.deleteRecord(second)])
        #expect(store.apply(removal) == .noError)
        #expect(store.records(name: "app.lab.test", type: .a).map(\.data) == [.a(DNSAddress("192.0.2.10")!)])
    }
}
