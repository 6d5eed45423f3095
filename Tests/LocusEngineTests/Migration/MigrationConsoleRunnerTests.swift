import Foundation
import Testing

@testable import LocusEngine

@Suite("Migration console: the runners it starts")
struct MigrationConsoleRunnerTests {
    @Test func aWaitStatusReadsAsAShellGivesIt() {
        #expect(MigrationConsole.exitStatus(0) == 0)
        #expect(MigrationConsole.exitStatus(1 << 8) == 1)
        #expect(MigrationConsole.exitStatus(9) == 137, "SIGKILL")
        #expect(MigrationConsole.exitStatus(15) == 143, "SIGTERM")
    }

    @Test func aRunnerIsWaitedForAndItsLastLogLineRead() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("locus-runner-\(UUID()).log").path
        try "starting\nback to ready, nothing done\n".write(toFile: log, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: log) }
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", "exit 3"]
        var arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for pointer in arguments { free(pointer) } }
        #expect(posix_spawn(&pid, "/bin/sh", nil, nil, &arguments, environ) == 0)
        let ended = await MigrationConsole.waitForRunner(pid, log: log)
        #expect(ended.status == 3)
        #expect(ended.lastLine == "back to ready, nothing done")
        // Waited for again, it is no longer a child: its status is unknown, and that is said.
        let again = await MigrationConsole.waitForRunner(pid, log: log)
        #expect(again.status == -1)
    }
}
