import Foundation
import LocusEngine
import Testing

@Suite("Firewall commands: argv under a deadline")
struct FirewallCommandTests {
    @Test("a command that exits but leaves a child holding its output is stopped at the deadline")
    func leftBehindChild() async throws {
        let command = FirewallCommand(arguments: ["/bin/sh", "-c", "sleep 30 & echo started"], timeout: .seconds(1))
        let started = ContinuousClock.now
        await #expect(throws: FirewallCommandError.timedOut(program: "/bin/sh", after: .seconds(1))) {
            _ = try await command.run()
        }
        #expect(ContinuousClock.now - started < .seconds(15))
    }

    @Test("stdin reaches the command, stdout comes back, a failure names its status and stderr")
    func inputOutputAndFailure() async throws {
        let echo = FirewallCommand(arguments: ["/bin/cat"], timeout: .seconds(5))
        #expect(
            String(decoding: try await echo.run(input: "add element inet lab backends { 10.1.0.7 }\n"), as: UTF8.self)
                == "add element inet lab backends { 10.1.0.7 }\n"
        )
        let failing = FirewallCommand(arguments: ["/bin/sh", "-c", "echo refused >&2; exit 3"], timeout: .seconds(5))
        await #expect(
            throws: FirewallCommandError.failed(program: "/bin/sh", status: "exited with status 3", message: "refused")
        ) { _ = try await failing.run() }
        let missing = FirewallCommand(arguments: ["/nonexistent/nft"], timeout: .seconds(5))
        do {
            _ = try await missing.run()
            Issue.record("a missing program ran")
        } catch {
            guard case .notStarted = error else {
                Issue.record("expected notStarted, got \(error)")
                return
            }
        }
    }

    @Test("a command that ends without reading its batch, or floods stderr, says what it did")
    func unreadInputAndStderrFlood() async throws {
        // More than a pipe holds: the batch is a file, so a command that never reads it breaks nothing.
        let batch = String(repeating: "add element inet lab backends { 10.1.0.7 }\n", count: 20_000)
        let ignoring = FirewallCommand(arguments: ["/bin/sh", "-c", "echo no >&2; exit 1"], timeout: .seconds(5))
        await #expect(
            throws: FirewallCommandError.failed(program: "/bin/sh", status: "exited with status 1", message: "no")
        ) { _ = try await ignoring.run(input: batch) }
        let counting = FirewallCommand(arguments: ["/usr/bin/wc", "-c"], timeout: .seconds(5))
        let counted = String(decoding: try await counting.run(input: batch), as: UTF8.self)
        #expect(counted.trimmingCharacters(in: .whitespacesAndNewlines) == "\(batch.utf8.count)")
        let flood = FirewallCommand(arguments: ["/bin/sh", "-c", "head -c 200000 /dev/zero >&2"], timeout: .seconds(5))
        await #expect(
            throws: FirewallCommandError.tooMuchOutput(
                program: "/bin/sh",
                stream: "stderr",
                limit: FirewallCommand.errorLimit
            )
        ) { _ = try await flood.run() }
    }
}
