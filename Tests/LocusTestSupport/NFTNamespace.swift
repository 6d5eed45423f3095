import Foundation

/// A network namespace of the test's own with nftables in it: `unshare --net` keeps a `sleep` in it,
/// and every command enters it with `nsenter`, so the test's rulesets never touch the host's.
///
/// Needs root (scripts/test runs the suite as root); `nft` comes from Debian's `nftables` package.
public final class NFTNamespace: Sendable {
    let holder: ServerProcess
    public var pid: Int32 { holder.pid }
    let nsenter: String
    let nft: String

    public init() throws {
        let unshare = try TestTool.require("unshare", package: "util-linux")
        nsenter = try TestTool.require("nsenter", package: "util-linux")
        nft = try TestTool.require("nft", package: "nftables")
        guard getuid() == 0 else {
            throw TestServerError("a network namespace of the test's own needs root: run scripts/test as root")
        }
        let directory = try makeServerDirectory("nft")
        holder = try ServerProcess(unshare, ["--net", "--", "sleep", "3600"], logFile: directory + "/unshare.log")
        let ours = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        let deadline = Date().addingTimeInterval(10)
        // unshare enters the namespace, then execs sleep: until then the pid is still in ours.
        while (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(holder.pid)/ns/net")) == ours {
            guard Date() < deadline, holder.isRunning else {
                holder.killAndReap()
                throw TestServerError("unshare --net did not make a network namespace: \(holder.log)")
            }
            usleep(10_000)
        }
    }

    deinit {
        holder.killAndReap()
    }

    /// `nsenter --net=… nft ARGS…`: the argv a `[[firewall]]` runs to reach this namespace's nftables.
    public func nftArguments(_ arguments: [String]) -> [String] {
        [nsenter, "--net=/proc/\(pid)/ns/net", nft] + arguments
    }

    public var listCommand: [String] { nftArguments(["-j", "list", "ruleset"]) }
    public var applyCommand: [String] { nftArguments(["-f", "-"]) }

    /// Runs nft in the namespace with `input` on stdin; returns stdout, throws with stderr on failure.
    @discardableResult
    public func nft(_ arguments: [String], input: String = "") throws -> String {
        let process = Process()
        let argv = nftArguments(arguments)
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestServerError(
                "nft \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))"
            )
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Loads an nft script (`table inet filter { … }`).
    public func load(_ script: String) throws {
        try nft(["-f", "-"], input: script)
    }

    /// The elements of a set as `nft -j list set` prints them, as text.
    public func elements(of set: String) throws -> [String] {
        let words = set.split(separator: " ").map(String.init)
        let json = try nft(["-j", "list", "set"] + words)
        guard let document = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let objects = document["nftables"] as? [[String: Any]]
        else { throw TestServerError("nft -j list set \(set) printed \(json)") }
        for object in objects {
            guard let body = object["set"] as? [String: Any] else { continue }
            return (body["elem"] as? [Any] ?? []).map { element in
                if let text = element as? String { return text }
                if let prefix = (element as? [String: Any])?["prefix"] as? [String: Any] {
                    return "\(prefix["addr"] ?? "")/\(prefix["len"] ?? "")"
                }
                return "\(element)"
            }
        }
        return []
    }
}
