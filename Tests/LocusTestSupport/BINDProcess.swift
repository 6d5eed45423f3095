import Foundation

/// A throwaway BIND 9 on 127.0.0.1 serving the zones given, each open to RFC 2136 updates signed
/// with one key, in a fresh directory that is removed with it.
public final class BINDProcess: TestServer {
    public let directory: String
    public let port: UInt16
    public let key: BINDKey
    /// The key as a BIND key file, for nsupdate and Locus.
    public let keyFile: String
    public let process: ServerProcess

    public var server: String { "127.0.0.1:\(port)" }

    /// Starts named and returns once every zone's SOA answers. A port taken between choosing and
    /// binding it makes named exit; another port is tried then, in a fresh directory each time:
    /// named replays an old journal over new zone files.
    public init(zones: [BINDZone], key: BINDKey) async throws {
        let named = try TestTool.require("named", package: "bind9")
        let dig = try TestTool.require("dig", package: "bind9-dnsutils")
        _ = try TestTool.require("nsupdate", package: "bind9-dnsutils")
        var failure = ""
        for _ in 1...4 {
            let directory = try makeServerDirectory("bind")
            let port = try LoopbackSocket.freePort()
            let keyFile = directory + "/update.key"
            let files =
                [(keyFile, key.block), (directory + "/named.conf", Self.configuration(directory, port, key, zones))]
                + zones.map { (Self.zonePath(directory, $0), $0.file) }
            let process = try ServerProcess.start(
                in: directory,
                writing: files,
                named,
                ["-g", "-c", directory + "/named.conf"],
                logFile: directory + "/named.log"
            )
            let serving: Bool
            do {
                serving = try await Self.waitUntilServing(zones, port: port, process: process, dig: dig)
            } catch {
                process.killAndReap()
                try? FileManager.default.removeItem(atPath: directory)
                throw error
            }
            if serving {
                self.directory = directory
                self.port = port
                self.key = key
                self.keyFile = keyFile
                self.process = process
                return
            }
            await process.stop()
            failure = process.log
            try? FileManager.default.removeItem(atPath: directory)
        }
        throw TestServerError("named did not serve its zones after 4 tries; its last log:\n\(failure)")
    }

    /// Sends one RFC 2136 update to `zone`, signed with the key, with the real nsupdate; throws
    /// unless the server applied it (nsupdate returns only after the server's answer).
    public func update(zone: String, _ commands: [String]) async throws {
        let script = directory + "/update-\(UUID().uuidString).txt"
        let text = (["server 127.0.0.1 \(port)", "zone \(zone)"] + commands + ["send", ""]).joined(separator: "\n")
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        let nsupdate = try TestTool.require("nsupdate", package: "bind9-dnsutils")
        let result = try await ChildProcess.runDetached(nsupdate, ["-t", "10", "-k", keyFile, script])
        guard result.status == 0 else {
            throw TestServerError("nsupdate \(commands) failed (\(result.status)): \(result.stdout) \(result.stderr)")
        }
    }

    /// The answer as `dig +short` against this server prints it.
    public func dig(_ name: String, _ type: String) async throws -> [String] {
        try await Self.dig(port: port, name, type)
    }

    /// The answer as `dig +short` against any server on 127.0.0.1 prints it. An empty answer (a lost
    /// datagram, a server still settling after an update) is asked again for a few seconds before it counts.
    public static func dig(port: UInt16, _ name: String, _ type: String) async throws -> [String] {
        let dig = try TestTool.require("dig", package: "bind9-dnsutils")
        let arguments = ["+short", "+norecurse", "+time=2", "+tries=2", "-p", String(port), "@127.0.0.1", name, type]
        let deadline = ContinuousClock.now + .seconds(5)
        var answer: [String] = []
        repeat {
            answer = try await ChildProcess.runDetached(dig, arguments).stdout.split(separator: "\n").map(String.init)
            if !answer.isEmpty { return answer }
            try await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        return answer
    }

    deinit {
        process.killAndReap()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func waitUntilServing(
        _ zones: [BINDZone],
        port: UInt16,
        process: ServerProcess,
        dig: String
    ) async throws -> Bool {
        // named opens its port a few ms before the zones load and answers SERVFAIL meanwhile.
        let deadline = ContinuousClock.now + .seconds(20)
        var pending = zones.map(\.origin)
        while let origin = pending.first {
            guard process.isRunning, ContinuousClock.now < deadline else { return false }
            let answer = try await ChildProcess.runDetached(
                dig,
                ["+short", "+norecurse", "+time=1", "+tries=1", "-p", String(port), "@127.0.0.1", origin, "SOA"]
            )
            if answer.stdout.contains("hostmaster") {
                pending.removeFirst()
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        return true
    }

    private static func zonePath(_ directory: String, _ zone: BINDZone) -> String {
        directory + "/" + zone.origin + "zone"
    }

    private static func configuration(
        _ directory: String,
        _ port: UInt16,
        _ key: BINDKey,
        _ zones: [BINDZone]
    ) -> String {
        var text = """
            options {
                directory "\(directory)";
                pid-file "\(directory)/named.pid";
                session-keyfile "\(directory)/session.key";
                managed-keys-directory "\(directory)";
                listen-on port \(port) { 127.0.0.1; };
                listen-on-v6 { none; };
                recursion no;
                notify no;
                dnssec-validation no;
            };
            controls { };

            """
        text += key.block
        for zone in zones {
            text += """
                zone "\(zone.origin)" {
                    type primary;
                    file "\(zonePath(directory, zone))";
                    update-policy { grant \(key.name) zonesub ANY; };
                };

                """
        }
        return text
    }
}
