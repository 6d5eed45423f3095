import ArgumentParser
import LocusCore

/// `--timeout DURATION`, as every command with a deadline takes it: a positive duration in the
/// config's notation.
enum TimeoutOption {
    static func parse(_ text: String) throws -> Duration {
        guard let duration = try? Duration(configText: text), duration > .zero else {
            throw ValidationError("--timeout \(text): give a duration like \"10s\" or \"2m\"")
        }
        return duration
    }
}
