import Foundation
import Subprocess
import SystemPackage

/// Why a firewall's `command` or `apply_command` gave no usable answer, in words for the source's error.
public enum FirewallCommandError: Error, Sendable, Hashable, CustomStringConvertible {
    case notStarted(program: String, reason: String)
    /// Ended with a non-zero status or a signal; `message` is the end of what it wrote on stderr.
    case failed(program: String, status: String, message: String)
    case timedOut(program: String, after: Duration)
    /// `stream` is `stdout` or `stderr`.
    case tooMuchOutput(program: String, stream: String, limit: Int)
    /// Its input could not be prepared.
    case noInput(program: String, reason: String)
    /// It started, and watching it, reading it or stopping it failed.
    case lost(program: String, reason: String)

    public var description: String {
        switch self {
        case .notStarted(let program, let reason):
            "\(program) did not start: \(reason)"
        case .failed(let program, let status, let message):
            "\(program) \(status)" + (message.isEmpty ? "" : ": \(message)")
        case .timedOut(let program, let after):
            "\(program) was still running after \(after.components.seconds)s and was stopped"
        case .tooMuchOutput(let program, let stream, let limit):
            "\(program) printed more than \(limit >= 1_048_576 ? "\(limit / 1_048_576) MiB" : "\(limit / 1024) KiB") on \(stream)"
        case .noInput(let program, let reason):
            "\(program) was not started, its input could not be written: \(reason)"
        case .lost(let program, let reason):
            "\(program) could not be followed: \(reason)"
        }
    }
}

/// Runs a firewall's argv (never through a shell) in a process group of its own, with `input` on
/// stdin, and stops the whole group at the timeout: an `ssh` to a firewall that hangs must not keep
/// a poll waiting, nor leave a process behind.
public struct FirewallCommand: Sendable {
    public static let outputLimit = 64 * 1_048_576
    /// Only the end of stderr is shown; more than this is a command gone wrong.
    public static let errorLimit = 65536

    public let arguments: [String]
    public let timeout: Duration

    public init(arguments: [String], timeout: Duration) {
        self.arguments = arguments
        self.timeout = timeout
    }

    /// What the command printed on stdout, when it exited 0 in time.
    public func run(input: String = "") async throws(FirewallCommandError) -> [UInt8] {
        let program = arguments.first ?? ""
        guard !program.isEmpty else { throw .notStarted(program: "(empty command)", reason: "no program") }
        let stdin = try Self.inputFile(input, program: program)
        defer { try? stdin.close() }
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(1))]
        let configuration = Configuration(
            executable: program.contains("/") ? .path(FilePath(program)) : .name(program),
            arguments: Arguments(Array(arguments.dropFirst())),
            platformOptions: options
        )
        let deadline = ContinuousClock.now + timeout
        let result: ExecutionResult<Bool, BytesOutput, StringOutput<UTF8>>
        do {
            result = try await Subprocess.run(
                configuration,
                input: .fileDescriptor(stdin, closeAfterSpawningProcess: false),
                output: .bytes(limit: Self.outputLimit),
                error: .string(limit: Self.errorLimit)
            ) { execution in
                let group = execution.processIdentifier.value
                // Until the whole group is gone: a child it left behind holding stdout open would keep
                // the output from ending, and the run from returning, past any deadline.
                while MoverProcess.processIsRunning(group) || MoverProcess.groupIsAlive(group) {
                    guard ContinuousClock.now < deadline, !Task.isCancelled else {
                        await MoverProcess.terminate(group: group)
                        return true
                    }
                    try? await Task.sleep(for: .milliseconds(MoverProcess.processIsRunning(group) ? 10 : 50))
                }
                return false
            }
        } catch {
            if ContinuousClock.now >= deadline { throw .timedOut(program: program, after: timeout) }
            throw Self.classify(error, program: program)
        }
        if result.closureResult { throw .timedOut(program: program, after: timeout) }
        let message = result.standardError.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " ")
        switch result.terminationStatus {
        case .exited(0):
            return result.standardOutput
        case .exited(let status):
            throw .failed(program: program, status: "exited with status \(status)", message: message)
        case .signaled(let signal):
            throw .failed(program: program, status: "was killed by signal \(signal)", message: message)
        }
    }

    /// `input` in an unlinked file the command reads as its stdin. Not a pipe: a command that ends
    /// without reading its batch would break it, and swift-subprocess 1.0.2 traps when a write to its
    /// input pipe fails, which would end this whole process.
    static func inputFile(_ input: String, program: String) throws(FirewallCommandError) -> FileDescriptor {
        // A listing reads nothing: no temporary file, so it works where none can be written.
        guard !input.isEmpty else {
            do {
                return try FileDescriptor.open("/dev/null", .readOnly, options: [.closeOnExec])
            } catch {
                throw .noInput(program: program, reason: "/dev/null: \(error)")
            }
        }
        let path = FilePath(NSTemporaryDirectory()).appending("locus-firewall-\(UUID().uuidString).nft")
        do {
            let file = try FileDescriptor.open(
                path,
                .readWrite,
                options: [.create, .exclusiveCreate, .closeOnExec],
                permissions: [.ownerReadWrite]
            )
            defer { _ = unlink(path.string) }
            do {
                _ = try file.writeAll(Array(input.utf8))
                _ = try file.seek(offset: 0, from: .start)
            } catch {
                try? file.close()
                throw error
            }
            return file
        } catch {
            throw .noInput(program: program, reason: "\(path): \(error)")
        }
    }

    static func classify(_ error: any Error, program: String) -> FirewallCommandError {
        guard let error = error as? SubprocessError else { return .lost(program: program, reason: "\(error)") }
        switch error.code {
        case .spawnFailed, .executableNotFound, .failedToChangeWorkingDirectory:
            return .notStarted(program: program, reason: "\(error)")
        case .outputLimitExceeded:
            // The error says only the limit it met; the two streams have different ones.
            let onStdout = "\(error)".contains("\(outputLimit) bytes")
            return .tooMuchOutput(
                program: program,
                stream: onStdout ? "stdout" : "stderr",
                limit: onStdout ? outputLimit : errorLimit
            )
        default:
            return .lost(program: program, reason: "\(error)")
        }
    }
}
