import Foundation
import LocusCore
import Testing

@testable import LocusTUI

@Suite("Workloads view: / filter grammar and s sort orders")
struct WorkloadFilterViewTests {
    typealias F = LiveViewFixtures

    static let cases: [(filter: String, expected: [String])] = [
        ("", ["cache-01", "db-01", "web-01", "web-02"]),
        ("web", ["web-01", "web-02"]),
        ("WEB-0", ["web-01", "web-02"]),
        ("10.2.", ["db-01"]),
        ("west", ["db-01", "web-02"]),  // inventory site of db-01, mapped site of web-02
        ("site:dc-east", ["web-01", "web-02"]),
        ("site:cloud", ["cache-01"]),
        ("state:alert", ["web-02"]),
        ("state:unknown", ["cache-01"]),
        ("state:ok", ["db-01", "web-01"]),
        ("moved:10m", ["web-02"]),
        ("moved:5m", []),
        ("web state:ok", ["web-01"]),
        ("site:dc-east moved:1h", ["web-02"]),
        ("nothing-like-this", []),
    ]

    @Test(arguments: cases)
    func filterSelects(filter: String, expected: [String]) {
        let data = F.data(F.fullWorld())
        let list = WorkloadList(snapshot: data.snapshot, filter: filter, sort: .name, now: data.now)
        #expect(list.filterError == nil)
        #expect(list.names == expected)
    }

    @Test(arguments: ["state:broken", "moved:soon", "site:"])
    func badTermsAreReportedAndDoNotFilter(filter: String) throws {
        let data = F.data(F.fullWorld())
        let list = WorkloadList(snapshot: data.snapshot, filter: filter, sort: .name, now: data.now)
        let error = try #require(list.filterError)
        #expect(error.term == filter)
        #expect(list.names.count == 4)
        let lines = try F.render(.workloads, data: data, filter: filter)
        #expect(lines.joinedText.contains("filter \(filter):"))
    }

    @Test func anIPv6EIDIsAPlainSubstring() throws {
        let filter = try WorkloadFilter.parse("fd00::7")
        #expect(filter.terms == [.text("fd00::7")])
    }

    @Test func filterNarrowsTheRenderedList() throws {
        let lines = try F.render(.workloads, data: F.data(F.fullWorld()), filter: "site:dc-east")
        #expect(lines.listPart.line(containing: "web-01") != nil)
        #expect(lines.listPart.line(containing: "db-01") == nil)
        #expect(lines.joinedText.contains("2 of 4 workloads"))
    }

    static let sorts: [(WorkloadSort, [String], String)] = [
        (.name, ["cache-01", "db-01", "web-01", "web-02"], "NAME▲"),
        (.site, ["cache-01", "web-01", "web-02", "db-01"], "SITE▲"),
        (.alerts, ["web-02", "cache-01", "db-01", "web-01"], "!▼"),
        (.lastMove, ["web-02", "cache-01", "db-01", "web-01"], "MOVED▼"),
    ]

    @Test(arguments: sorts)
    func sortOrders(sort: WorkloadSort, expected: [String], marker: String) throws {
        let data = F.data(F.fullWorld())
        let list = WorkloadList(snapshot: data.snapshot, filter: "", sort: sort, now: data.now)
        #expect(list.names == expected)
        var state = LiveViewState(workloadSort: sort)
        state.detailScroll = 0
        let lines = try F.render(.workloads, data: data, state: state)
        #expect(try #require(lines.listPart.line(containing: "EID")).contains(marker))
        let rows = expected.compactMap { name in lines.listPart.firstIndex { $0.contains(name + " ") } }
        #expect(rows == rows.sorted())
    }

    @Test func sortCyclesThroughEveryKey() {
        var sort = WorkloadSort.name
        var seen: [WorkloadSort] = []
        for _ in WorkloadSort.allCases {
            seen.append(sort)
            sort = sort.next
        }
        #expect(seen == [.name, .site, .alerts, .lastMove])
        #expect(sort == .name)
    }

    @Test func selectionFollowsTheRowAcrossSortsAndMoves() {
        let data = F.data(F.fullWorld())
        var state = LiveViewState()
        state = state.reduced(.move(.down(2)), in: .workloads, data: data, filter: "", visibleRows: 10)
        #expect(state.selectedWorkload == "web-01")
        state = state.reduced(.cycleSort, in: .workloads, data: data, filter: "", visibleRows: 10)
        #expect(state.workloadSort == .site)
        state = state.reduced(.move(.down(1)), in: .workloads, data: data, filter: "", visibleRows: 10)
        #expect(state.selectedWorkload == "web-02")
        state = state.reduced(.move(.bottom), in: .workloads, data: data, filter: "", visibleRows: 10)
        #expect(state.selectedWorkload == "db-01")
        state = state.reduced(.selectWorkload("cache-01"), in: .alerts, data: data, filter: "", visibleRows: 10)
        #expect(state.selectedWorkload == "cache-01")
    }
}
