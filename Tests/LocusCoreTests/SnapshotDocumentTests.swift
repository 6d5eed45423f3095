import Foundation
import Testing

@testable import LocusCore

/// `locus snapshot --json` is a public contract: CONFIG.md's fields, no more, no fewer, with their types.
@Suite("Snapshot JSON document")
struct SnapshotDocumentTests {
    typealias F = WorldFixtures

    /// A world with a source of each state, mappings of each state, alerts, events and a dependency.
    static func busyWorld() -> World {
        var world = F.world([F.spec("web-07", host: 7), F.spec("web-08", host: 8), F.spec("web-09", host: 9)])
        let correlator = Correlator()
        _ = correlator.ingest(
            [
                F.source("mr-1", .ok), F.source("inv", .ok, kind: .inventory),
                F.source("corp", .down, kind: .dns, error: "connection refused"),
                F.registered("web-07", ["127.0.1.1", "127.0.9.9"], down: ["127.0.9.9"]),
                F.negative("web-08"),
                .dependencies(
                    workload: "web-07",
                    [
                        DependencyStatus(
                            kind: .dns,
                            target: "web.app.test",
                            role: "other",
                            state: .ok,
                            expected: "10.1.0.7",
                            observed: "10.1.0.7",
                            checkedAt: F.at(1)
                        )
                    ]
                ),
            ],
            into: &world,
            now: F.at(1)
        )
        _ = correlator.ingest([F.registered("web-07", ["127.0.2.1"], at: F.at(2))], into: &world, now: F.at(2))
        world.acknowledge(
            [
                Acknowledgement(alertID: AlertID(kind: .mappingMissing, subject: "web-08"), by: "ops1", at: F.at(3))
            ],
            now: F.at(3)
        )
        return world
    }

    static func decodedDocument() throws -> [String: Any] {
        let data = try SnapshotDocument(busyWorld().snapshot(version: 7, takenAt: F.at(4))).jsonData()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    enum Kind {
        case string
        case number
        case bool
        case array
        case object
        case time
        case nullableString
        case nullableNumber
        case nullableTime
    }

    static func check(_ object: Any?, _ fields: [String: Kind], in context: String) throws -> [String: Any] {
        let dictionary = try #require(object as? [String: Any], "\(context) is not an object")
        #expect(Set(dictionary.keys) == Set(fields.keys), "\(context) keys")
        for (key, kind) in fields {
            let value = dictionary[key]
            let isNull = value is NSNull
            switch kind {
            case .string: #expect(value is String, "\(context).\(key) string")
            case .number: #expect(isNumber(value), "\(context).\(key) number")
            case .bool: #expect(isBool(value), "\(context).\(key) bool")
            case .array: #expect(value is [Any], "\(context).\(key) array")
            case .object: #expect(value is [String: Any], "\(context).\(key) object")
            case .time: #expect(isTime(value), "\(context).\(key) RFC 3339 UTC")
            case .nullableString: #expect(isNull || value is String, "\(context).\(key) string or null")
            case .nullableNumber: #expect(isNull || isNumber(value), "\(context).\(key) number or null")
            case .nullableTime: #expect(isNull || isTime(value), "\(context).\(key) time or null")
            }
        }
        return dictionary
    }

    /// JSON true/false decode as NSNumbers of C type `c` (or `B`), numbers as other types.
    static func isBoolean(_ number: NSNumber) -> Bool {
        let type = String(cString: number.objCType)
        return type == "c" || type == "B"
    }

    static func isBool(_ value: Any?) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return isBoolean(number)
    }

    static func isNumber(_ value: Any?) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return !isBoolean(number)
    }

    static func isTime(_ value: Any?) -> Bool {
        guard let text = value as? String else { return false }
        return text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/) != nil
    }

    @Test func topLevelHasExactlyTheContractFields() throws {
        let document = try Self.decodedDocument()
        _ = try Self.check(
            document,
            ["version": .number, "sources": .array, "workloads": .array, "alerts": .array, "events": .array],
            in: "document"
        )
        #expect(document["version"] as? Int == 1)
    }

    @Test func sourcesHaveTheirFields() throws {
        let sources = try #require(try Self.decodedDocument()["sources"] as? [Any])
        #expect(sources.count == 3)
        for (index, source) in sources.enumerated() {
            let fields: [String: Kind] = [
                "name": .string, "kind": .string, "state": .string, "rtt_ms": .nullableNumber, "error": .nullableString,
            ]
            let object = try Self.check(source, fields, in: "sources[\(index)]")
            #expect(["mapping", "inventory", "dns", "loadbalancer", "store"].contains(object["kind"] as? String))
            #expect(["ok", "slow", "down"].contains(object["state"] as? String))
        }
        let down = try #require(sources.compactMap { $0 as? [String: Any] }.first { $0["name"] as? String == "corp" })
        #expect(down["error"] as? String == "connection refused")
        #expect(down["rtt_ms"] is NSNull)
    }

    @Test func workloadsMappingsAndDependenciesHaveTheirFields() throws {
        let workloads = try #require(try Self.decodedDocument()["workloads"] as? [Any])
        #expect(workloads.compactMap { ($0 as? [String: Any])?["name"] as? String } == ["web-07", "web-08", "web-09"])
        var states: [String] = []
        for (index, workload) in workloads.enumerated() {
            let object = try Self.check(
                workload,
                [
                    "name": .string, "eid": .string, "iid": .number, "site": .string, "address": .string,
                    "sources": .array, "mapping": .object, "dependencies": .array, "alerts": .array,
                ],
                in: "workloads[\(index)]"
            )
            #expect((object["sources"] as? [String]) == ["main"])
            #expect(object["alerts"] is [String])
            let mapping = try Self.check(
                object["mapping"],
                [
                    "state": .string, "site": .nullableString, "rlocs": .array, "ttl_minutes": .nullableNumber,
                    "map_version": .nullableNumber, "checked_at": .nullableTime,
                ],
                in: "workloads[\(index)].mapping"
            )
            states.append(try #require(mapping["state"] as? String))
            for (rlocIndex, rloc) in (mapping["rlocs"] as? [Any] ?? []).enumerated() {
                _ = try Self.check(
                    rloc,
                    [
                        "address": .string, "site": .nullableString, "priority": .number, "weight": .number,
                        "reachable": .bool,
                    ],
                    in: "workloads[\(index)].mapping.rlocs[\(rlocIndex)]"
                )
            }
            for (dependencyIndex, dependency) in (object["dependencies"] as? [Any] ?? []).enumerated() {
                _ = try Self.check(
                    dependency,
                    [
                        "kind": .string, "target": .string, "role": .string, "state": .string,
                        "expected": .nullableString, "observed": .nullableString, "detail": .nullableString,
                        "checked_at": .nullableTime, "leftover": .nullableString,
                    ],
                    in: "workloads[\(index)].dependencies[\(dependencyIndex)]"
                )
            }
        }
        #expect(states == ["registered", "negative", "unknown"])
        let first = try #require(workloads.first as? [String: Any])
        #expect(first["eid"] as? String == "10.1.0.7/32")
        #expect(first["alerts"] as? [String] == ["locator-mismatch:web-07"])
        #expect((first["dependencies"] as? [Any])?.count == 1)
        let mapping = try #require(first["mapping"] as? [String: Any])
        #expect(mapping["site"] as? String == "dc-west")
        #expect(mapping["ttl_minutes"] as? Int == 1440)
        #expect(mapping["map_version"] is NSNull)
    }

    @Test func alertsAndEventsHaveTheirFields() throws {
        let document = try Self.decodedDocument()
        let alerts = try #require(document["alerts"] as? [Any])
        #expect(!alerts.isEmpty)
        for (index, alert) in alerts.enumerated() {
            let object = try Self.check(
                alert,
                [
                    "id": .string, "severity": .string, "kind": .string, "subject": .string, "message": .string,
                    "since": .time, "acknowledged_by": .nullableString, "acknowledged_until": .nullableTime,
                ],
                in: "alerts[\(index)]"
            )
            #expect(["critical", "warning", "info"].contains(object["severity"] as? String))
        }
        let acknowledged = alerts.compactMap { $0 as? [String: Any] }.first {
            $0["id"] as? String == "mapping-missing:web-08"
        }
        #expect(acknowledged?["acknowledged_by"] as? String == "ops1")

        let events = try #require(document["events"] as? [Any])
        var times: [String] = []
        for (index, event) in events.enumerated() {
            let object = try Self.check(
                event,
                ["time": .time, "kind": .string, "subject": .string, "detail": .string],
                in: "events[\(index)]"
            )
            #expect(
                ["move", "alert-raised", "alert-cleared", "source-state", "migration"].contains(
                    object["kind"] as? String
                )
            )
            times.append(try #require(object["time"] as? String))
        }
        #expect(times == times.sorted(by: >), "events newest first")
        #expect(events.contains { ($0 as? [String: Any])?["kind"] as? String == "move" })
    }

    @Test func timesAreRFC3339UTC() throws {
        let document = try Self.decodedDocument()
        let event = try #require((document["events"] as? [[String: Any]])?.first)
        #expect(event["time"] as? String == "2027-01-15T08:00:02Z")
    }
}
