import Foundation
import LocusTestSupport
import Testing

/// `locus check` over a lab's shared store: a request nobody decides on turns it WARNING at half of
/// `expire_after`; a cutover whose runner died (its lease ran out) and one that failed turn it CRITICAL,
/// each named, and the dead runner's cutover is recorded as interrupted by the check that found it.
@Suite(.serialized, .enabled(if: OperatorAccounts.canCreate, "needs root to create the operator accounts"))
struct MigrationCheckEndToEndTests {
    /// Long enough for the requests and approvals below, short enough to wait for half of it.
    static let expireAfter: TimeInterval = 60

    /// `locus check` as ops3: its one line and exit status.
    static func check(_ lab: MigrationLab) async throws -> (line: String, status: Int32) {
        let result = try await lab.locus(as: "ops3", ["check"])
        return (result.stdout.split(separator: "\n").first.map(String.init) ?? "", result.status)
    }

    /// What a runner leaves in the store, written as ops1 with the sqlite3 shell (SQLite has no rules of
    /// its own; the runner itself is not this test's subject).
    static func sql(_ lab: MigrationLab, _ statements: String) throws {
        let result = try ChildProcess.run(
            "/usr/sbin/runuser",
            ["-u", "ops1", "--", "/usr/bin/sqlite3", "-cmd", ".timeout 10000", lab.storeFile, statements]
        )
        guard result.status == 0 else { throw TestServerError("sqlite3: \(result.stderr)") }
    }

    @Test func waitingRequestsWarnAndStuckCutoversAreCriticalByName() async throws {
        let lab = try await MigrationLab(approvers: ["ops2"], expireAfter: "\(Int(Self.expireAfter))s")
        let workloads = lab.sites.keys.sorted()
        try #require(workloads.count >= 3)
        let baseline = try await Self.check(lab)
        #expect(baseline.status == 0, "the lab alone is healthy: \(baseline.line)")

        let requestedAt = Date()
        let waiting = try await lab.request(workloads[0], as: "ops1")
        let fresh = try await Self.check(lab)
        if Date().timeIntervalSince(requestedAt) < Self.expireAfter / 2 {
            #expect(fresh.status == 0, "a fresh request is no concern: \(fresh.line)")
            #expect(!fresh.line.contains(waiting))
        }

        let warned = try await eventually(within: .seconds(Self.expireAfter * 0.9), "the request warns") {
            let result = try await Self.check(lab)
            return result.status == 1 ? result : nil
        }
        #expect(
            warned.line.hasPrefix(
                "LOCUS WARNING - migration \(waiting) \(workloads[0]) \(lab.sites[workloads[0]] ?? "?") → "
                    + "\(lab.otherSite(than: workloads[0])) ready, waiting for approval for "
            ),
            "\(warned.line)"
        )
        #expect(warned.line.hasSuffix("migrations_stuck=0 migrations_waiting=1"), "\(warned.line)")

        let dead = try await lab.request(workloads[1], as: "ops1")
        _ = try await lab.json(as: "ops2", ["migrate", "approve", dead])
        let failed = try await lab.request(workloads[2], as: "ops1")
        _ = try await lab.json(as: "ops2", ["migrate", "approve", failed])
        try Self.sql(
            lab,
            """
            UPDATE migration SET state = 'executing', version = version + 1 WHERE id = '\(dead)';
            INSERT INTO lease VALUES ('\(dead)', 'ops2', 4242, 'jump-9', (strftime('%s', 'now') - 60) * 1000);
            UPDATE migration SET state = 'failed', version = version + 1, outcome = 'mover exited 1: no route to kvm-9'
                WHERE id = '\(failed)';
            """
        )

        let critical = try await Self.check(lab)
        #expect(critical.status == 2, "\(critical.line)")
        let deadMove = "\(workloads[1]) \(lab.sites[workloads[1]] ?? "?") → \(lab.otherSite(than: workloads[1]))"
        let failedMove = "\(workloads[2]) \(lab.sites[workloads[2]] ?? "?") → \(lab.otherSite(than: workloads[2]))"
        #expect(
            critical.line.contains(
                "migration \(dead) \(deadMove) interrupted: the runner's lease expired at "
            ),
            "\(critical.line)"
        )
        #expect(critical.line.contains("(ops2 pid 4242 on jump-9)"), "\(critical.line)")
        #expect(
            critical.line.contains("migration \(failed) \(failedMove) failed: mover exited 1: no route to kvm-9"),
            "\(critical.line)"
        )
        #expect(critical.line.hasPrefix("LOCUS CRITICAL - migration "), "stuck cutovers come first: \(critical.line)")
        #expect(critical.line.hasSuffix("migrations_stuck=2 migrations_waiting=1"), "\(critical.line)")

        let shown = try await lab.json(as: "ops1", ["migrate", "show", dead])
        #expect(shown["state"] as? String == "interrupted", "the check recorded it")
        let audit = try await lab.json(as: "ops1", ["audit"])
        let entries = try #require(audit["entries"] as? [[String: Any]])
        let interruptions = entries.filter {
            $0["object"] as? String == dead && $0["after"] as? String == "interrupted"
        }
        #expect(interruptions.map { $0["user"] as? String } == ["ops3"])
        try await lab.shutDown()
    }
}

/// Polls `body` until it returns a value, failing after `timeout`.
private func eventually<T>(
    within timeout: Duration,
    _ what: String,
    _ body: () async throws -> T?
) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let value = try await body() { return value }
        try await Task.sleep(for: .milliseconds(500))
    }
    throw TestServerError("\(what): not within \(timeout)")
}
