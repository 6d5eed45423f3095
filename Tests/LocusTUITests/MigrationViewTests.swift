import Foundation
import LocusCore
import Testing

@testable import LocusTUI

@Suite("Migrations view: the list, the detail, and who must act next")
struct MigrationViewTests {
    typealias F = LiveViewFixtures
    typealias M = MigrationFixtures

    @Test func whatWaitsForTheViewerComesFirstThenRunningInterruptedFailedThenNewest() {
        let order = M.board(M.mixed).ordered.map(\.id)
        #expect(order == ["m-00000001", "m-00000002", "m-00000004", "m-00000003", "m-00000005"])
        // The requester is not asked to approve their own request: for them it is just the oldest.
        let forRequester = M.board(M.mixed, viewer: "ops3").ordered.map(\.id)
        #expect(forRequester.first == "m-00000002")
        #expect(forRequester.last == "m-00000001")
    }

    @Test func eachStateHasASignAsWellAsAColour() throws {
        let lines = try F.render(.migrations, data: M.data(M.board(M.mixed)), width: 160, height: 20)
            .map { String($0.prefix(160 * 11 / 20)) }
        let expected = [
            "m-00000001": "! ready, waits for you", "m-00000002": "▶ executing", "m-00000003": "✗ failed",
            "m-00000004": "⏸ interrupted", "m-00000005": "✓ completed",
        ]
        for (id, sign) in expected {
            let row = try #require(lines.line(containing: id), "\(id)")
            #expect(row.contains(sign), "\(row)")
        }
        #expect(lines.joinedText.contains("5 migrations, 1 waiting for you"))
    }

    @Test func theDetailShowsPlanChecklistApprovalsStepsAndWhoActsNext() throws {
        var state = LiveViewState()
        state.positions[.migrations] = ListPosition(selectedKey: "m-00000002")
        let board = M.board(M.mixed)
        let text = try F.render(.migrations, data: M.data(board), state: state, width: 160, height: 40).joinedText
        #expect(text.contains("m-00000002  web-02  dc-east → dc-west"))
        #expect(text.contains("next: runs: ops2's runner pid 4242 on jump"))
        #expect(text.contains("Plan (digest 1a2b3c4d"))
        #expect(text.contains("dns web-01.lab.test: 10.1.0.1 → 10.2.0.1"))
        #expect(text.contains("✓ destination-rlocs: dc-west: 127.0.2.1 answered"))
        #expect(text.contains("ops2 10m ago on digest 1a2b3c4d"))
        #expect(text.contains("✓ mover"))
        #expect(text.contains("done 4s"))
        // Running for 10 minutes less the 4 seconds of the mover.
        #expect(text.contains("mapping       running 9m"))
    }

    @Test func aBlockedPreflightAndAVoidApprovalSayWhy() throws {
        var blocked = M.migration("m-0000000b", "web-01", state: .blocked)
        blocked.outcome = "approval void: digest changed from 99999999 to 1a2b3c4d"
        let given = AuditEntry(
            sequence: 3,
            at: F.start,
            origin: AuditOrigin(user: "ops2", uid: 1002, host: "jump", tty: "/dev/pts/4", sshClient: "127.0.0.9"),
            action: "approve",
            object: "m-0000000b",
            before: "ready",
            after: "approved",
            outcome: "done",
            digest: "99999999" + String(repeating: "0", count: 56),
            detail: "",
            previousHash: "",
            hash: ""
        )
        var board = M.board([blocked])
        board.audit = [given]
        let text = try F.render(.migrations, data: M.data(board), width: 160, height: 40).joinedText
        #expect(text.contains("✗ dns-ttl web-01.lab.test"))
        #expect(text.contains("blocked by its preflight"))
        #expect(text.contains("approval void: digest changed from 99999999 to 1a2b3c4d"))
        #expect(text.contains("ops2 on digest 99999999: void, the digest is now 1a2b3c4d"))
        #expect(text.contains("ops2 approve done (/dev/pts/4 ssh 127.0.0.9)"))
    }

    @Test func theTabCountsWhatIsPendingAndTheHeaderWhatWaitsForTheViewer() throws {
        let data = M.data(M.board(M.mixed))
        let header = LiveHeader.segments(data, lineDrawing: .unicode).map(\.text).joined(separator: " ")
        #expect(header.contains("! m-00000001 waits for you"))
        let context = ShellContext(
            size: Size(width: 140, height: 36),
            configName: "lab",
            operatorName: "ops1",
            clock: ClockTime(hour: 9, minute: 5),
            world: .empty
        )
        var backend = TextBackend(size: context.size)
        try backend.present(Shell.render(UIState(), context, live: data))
        #expect(backend.text.contains("3 Migrations (1 pending)"))
        let forRequester = M.data(M.board(M.mixed, viewer: "ops3"))
        let quiet = LiveHeader.segments(forRequester, lineDrawing: .unicode).map(\.text).joined(separator: " ")
        #expect(!quiet.contains("waits for you"))
    }

    @Test func longLinesWrapUnderTheirTextAndKeepTheirSign() {
        let line = StyledLine.marked(.ok, [Span("reachable dns web-01.lab.test: answered by 127.0.0.1 in 3 ms")])
        let rows = line.wrapped(toColumns: 30)
        #expect(rows.count == 3)
        #expect(rows[0].spans.first?.text == "✓")
        #expect(rows.dropFirst().allSatisfy { $0.spans.map(\.text).joined().hasPrefix("  ") })
        #expect(rows.allSatisfy { $0.terminalWidth <= 30 })
        let words = rows.flatMap { $0.spans.map(\.text).joined().split(separator: " ") }
        #expect(words.joined(separator: " ") == "✓ reachable dns web-01.lab.test: answered by 127.0.0.1 in 3 ms")
    }

    @Test func aWordLongerThanTheRowIsSplitWithoutASpaceSlippingIn() {
        let path = "/work/main/.build/x86_64-unknown-linux-gnu/debug/locus"
        let rows = StyledLine("    \(path)").wrapped(toColumns: 20)
        #expect(rows.count > 2)
        let pieces = rows.map { $0.spans.map(\.text).joined().trimmingCharacters(in: .whitespaces) }
        #expect(pieces.joined() == path)
        #expect(rows.allSatisfy { $0.terminalWidth <= 20 })
    }
}
