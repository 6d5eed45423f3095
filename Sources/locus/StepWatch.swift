import Foundation
import LocusCore
import LocusEngine
import LocusStore

/// `approve --wait`: prints each step as the store records it, until the migration ends.
struct StepWatch {
    let desk: MigrationDesk
    let id: String

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
            if !migration.state.isRunning && migration.state != .approved {
                if let green = migration.timeToGreen { say(String(format: "  time to green %.1f s", green)) }
                return migration
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data("\(RFC3339.string(from: Date())) \(line)\n".utf8))
    }
}
