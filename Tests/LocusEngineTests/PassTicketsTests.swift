import Testing

@testable import LocusEngine

@Suite("Overlapping passes of one source")
struct PassTicketsTests {
    @Test("a pass that began earlier and ended later reports nothing; sources are apart")
    func olderPassIsDropped() {
        var tickets = PassTickets()
        let rescan = tickets.issue("dns|corp")
        let loop = tickets.issue("dns|corp")
        let other = tickets.issue("lb|edge")
        let loopReports = tickets.mayReport("dns|corp", loop)
        let rescanReports = tickets.mayReport("dns|corp", rescan)
        let loopAgain = tickets.mayReport("dns|corp", loop)
        let otherReports = tickets.mayReport("lb|edge", other)
        let next = tickets.issue("dns|corp")
        let nextReports = tickets.mayReport("dns|corp", next)
        #expect(loopReports && !rescanReports && !loopAgain && otherReports && nextReports)
    }
}
