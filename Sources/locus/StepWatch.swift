import Foundation
import LocusCore
import LocusEngine
import LocusStore

/// `approve --wait`: prints each step as the store records it, until the migration ends.
struct StepWatch {
    let desk: MigrationDesk
    let id: String
    /// The detached runner this process started: if it ends without having started the cutover
    /// (a config it cannot read, another runner), there is nothing left to wait for.
    let runner: Int32
    let log: String

    func follow() async throws -> Migration {
        var seen: [String: StepState] = [:]
        var state: MigrationState?
        while true {
            let migration: Migration
            do {
                migration = try await desk.existing(id)
            } catch {
                StandardError.write(["locus: \(error)"])
                throw error
            }
            if migration.state != state {
                say("\(migration.id) \(migration.state)" + (migration.outcome.map { ": \($0)" } ?? ""))
                state = migration.state
            }
            for step in migration.steps where seen[step.name] != step.state {
                seen[step.name] = step.state
                guard step.state != .planned else { continue }
                say("  \(step.name) \(step.state.rawValue)" + (step.detail.isEmpty ? "" : ": \(step.detail)"))
            }
            var status: Int32 = 0
            if migration.state == .approved, waitpid(runner, &status, WNOHANG) == runner {
                StandardError.write(["locus: the runner (pid \(runner)) ended before the cutover started; see \(log)"])
                return migration
            }
            if !migration.state.isRunning && migration.state != .approved {
                if let green = migration.timeToGreen { say(String(format: "  time to green %.1f s", green)) }
                return migration
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    private func say(_ line: String) {
        // A full disk or a closed pipe must not stop a cutover: the store keeps what happened.
        try? FileHandle.standardOutput.write(contentsOf: Data("\(RFC3339.string(from: Date())) \(line)\n".utf8))
    }
}
