import Foundation
import Glibc

/// A zone BIND serves: its origin and its records, one master-file line each with absolute names.
struct DNSZone {
    var origin: String
    var records: [String]
}

/// A throwaway BIND 9 on 127.0.0.1 serving the zones given, each open to RFC 2136 updates signed
/// with one hmac-sha256 key. Configured like scripts/start-bind, which serves fixed zones only.
final class BINDProcess {
    let directory: String
    let port: UInt16
    let keyName: String
    /// The key as a BIND `key { ... };` block, as tsig-keygen writes it (for nsupdate and Locus).
    let keyFile: String
    let process: ServerProcess

    /// Starts named in a new directory under `parent` and waits until every zone's SOA answers.
    /// A port taken between choosing and binding it makes named exit; another port is tried then.
    init(under parent: String, zones: [DNSZone], keyName: String, secret: String) async throws {
        let named = try ServerTools.require("named", package: "bind9")
        let dig = try ServerTools.require("dig", package: "bind9-dnsutils")
        _ = try ServerTools.require("nsupdate", package: "bind9-dnsutils")
        var failure = ""
        for attempt in 1...4 {
            // A fresh directory each time: named replays an old journal over new zone files.
            let directory = parent + "/bind-\(attempt)"
            let port = try LoopbackSocket.freePort()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let keyFile = directory + "/update.key"
            try Self.keyBlock(keyName, secret).write(toFile: keyFile, atomically: true, encoding: .utf8)
            chmod(keyFile, 0o600)
            try Self.configuration(directory, port, keyName, secret, zones)
                .write(toFile: directory + "/named.conf", atomically: true, encoding: .utf8)
            for zone in zones {
                try Self.zoneFile(zone).write(toFile: Self.zonePath(directory, zone), atomically: true, encoding: .utf8)
            }
            let process = try ServerProcess(
                named,
                ["-g", "-c", directory + "/named.conf"],
                logFile: directory + "/named.log"
            )
            if try await Self.waitUntilServing(zones, port: port, process: process, dig: dig) {
                self.directory = directory
                self.port = port
                self.keyName = keyName
                self.keyFile = keyFile
                self.process = process
                return
            }
            await process.stop()
            failure = process.log
        }
        throw ServerSetupError(message: "named did not serve its zones after 4 tries; its last log:\n\(failure)")
    }

    var server: String { "127.0.0.1:\(port)" }

    /// Sends one RFC 2136 update to `zone`, signed with the key, with the real nsupdate; throws
    /// unless the server applied it (nsupdate returns only after the server's answer).
    func update(zone: String, _ commands: [String]) async throws {
        let script = directory + "/update-\(UUID().uuidString).txt"
        let text = (["server 127.0.0.1 \(port)", "zone \(zone)"] + commands + ["send", ""]).joined(separator: "\n")
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        let nsupdate = try ServerTools.require("nsupdate", package: "bind9-dnsutils")
        let result = try await Subprocess.runDetached(nsupdate, ["-t", "10", "-k", keyFile, script])
        guard result.status == 0 else {
            throw ServerSetupError(
                message: "nsupdate \(commands) failed (\(result.status)): \(result.stdout) \(result.stderr)"
            )
        }
    }

    func stop() async {
        await process.stop()
    }

    private static func waitUntilServing(
        _ zones: [DNSZone],
        port: UInt16,
        process: ServerProcess,
        dig: String
    ) async throws -> Bool {
        // named opens its port a few ms before the zones load and answers SERVFAIL meanwhile.
        let deadline = ContinuousClock.now + .seconds(20)
        var pending = zones.map(\.origin)
        while let origin = pending.first {
            guard process.isRunning, ContinuousClock.now < deadline else { return false }
            let answer = try await Subprocess.runDetached(
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

    private static func keyBlock(_ name: String, _ secret: String) -> String {
        "key \"\(name)\" {\n\talgorithm hmac-sha256;\n\tsecret \"\(secret)\";\n};\n"
    }

    private static func zonePath(_ directory: String, _ zone: DNSZone) -> String {
        directory + "/" + zone.origin + "zone"
    }

    private static func configuration(
        _ directory: String,
        _ port: UInt16,
        _ keyName: String,
        _ secret: String,
        _ zones: [DNSZone]
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
            key "\(keyName)" {
                algorithm hmac-sha256;
                secret "\(secret)";
            };

            """
        for zone in zones {
            text += """
                zone "\(zone.origin)" {
                    type primary;
                    file "\(zonePath(directory, zone))";
                    update-policy { grant \(keyName) zonesub ANY; };
                };

                """
        }
        return text
    }

    private static func zoneFile(_ zone: DNSZone) -> String {
        let header = [
            "$TTL 60",
            "@ IN SOA ns.lab.test. hostmaster.lab.test. 1 3600 600 86400 60",
            "@ IN NS ns.lab.test.",
        ]
        return (header + zone.records + [""]).joined(separator: "\n")
    }

    deinit {
        process.killAndReap()
    }
}

/// A throwaway HAProxy whose Runtime API listens on 127.0.0.1 (level admin), with one backend of
/// the servers given. Configured like scripts/start-haproxy, which has fixed servers: no `check`
/// and no frontend, so HAProxy never sends a packet to a server address.
final class HAProxyProcess {
    let directory: String
    let port: UInt16
    let process: ServerProcess

    init(under parent: String, backend: String, servers: [(name: String, address: String, port: Int)]) async throws {
        let haproxy = try ServerTools.require("haproxy", package: "haproxy")
        var failure = ""
        for attempt in 1...4 {
            let directory = parent + "/haproxy-\(attempt)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let port = try LoopbackSocket.freePort()
            var configuration = """
                global
                    stats socket ipv4@127.0.0.1:\(port) level admin
                    stats timeout 10s

                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s

                backend \(backend)

                """
            for server in servers {
                configuration += "    server \(server.name) \(server.address):\(server.port)\n"
            }
            try configuration.write(toFile: directory + "/haproxy.cfg", atomically: true, encoding: .utf8)
            let process = try ServerProcess(
                haproxy,
                ["-db", "-f", directory + "/haproxy.cfg"],
                logFile: directory + "/haproxy.log"
            )
            if await Self.waitUntilAnswering(port: port, process: process) {
                self.directory = directory
                self.port = port
                self.process = process
                return
            }
            await process.stop()
            failure = process.log
        }
        throw ServerSetupError(message: "haproxy's Runtime API did not answer after 4 tries; its last log:\n\(failure)")
    }

    var runtimeAPI: String { "127.0.0.1:\(port)" }

    /// One Runtime API command and HAProxy's reply.
    func command(_ text: String) async throws -> String {
        try await LoopbackSocket.exchange(port: port, text)
    }

    func stop() async {
        await process.stop()
    }

    /// Ready = the Runtime API answers a command (a bare connect may succeed before it is served).
    private static func waitUntilAnswering(port: UInt16, process: ServerProcess) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning && ContinuousClock.now < deadline {
            if let reply = try? await LoopbackSocket.exchange(port: port, "show info"), reply.contains("Name:") {
                return true
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    deinit {
        process.killAndReap()
    }
}
