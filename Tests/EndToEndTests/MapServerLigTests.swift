import Foundation
import LocusTestSupport
import Testing

/// `locus mapserver --config FILE` run as an operator would, queried with `locus lig`.
@Suite("locus mapserver answered by locus lig")
struct MapServerLigTests {
    @Test func ligGetsNegativeRepliesFromTheServerUntilSIGTERMStopsIt() throws {
        let scratch = try ScratchDirectory()
        let (server, port, _) = try startMapServer(in: scratch)
        defer { server.killAndReap() }
        let resolver = "127.0.0.1:\(port)"

        let first = try poll(deadline: .seconds(30)) {
            let result = try lig("10.1.0.1", resolver, "--timeout", "200", "--count", "1")
            return result.status == 2 && server.isRunning ? nil : result
        }
        #expect(server.isRunning, "the map-server exited: \(server.log)")
        let configured = try #require(first)
        #expect(configured.status == 1, "\(configured.stdout)\(configured.stderr)")
        #expect(configured.stdout.contains("EID-prefix: [0]10.1.0.0/16, ttl: 1 minute"), "\(configured.stdout)")
        #expect(configured.stdout.contains("negative reply"))

        let outside = try lig("192.168.5.5", resolver)
        #expect(outside.status == 1, "\(outside.stdout)\(outside.stderr)")
        #expect(outside.stdout.contains("ttl: 15 minutes"), "\(outside.stdout)")

        let json = try lig("10.1.0.1", resolver, "--json")
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        let records = try #require(object["records"] as? [[String: Any]])
        #expect(records.first?["eid_prefix"] as? String == "10.1.0.0/16")
        #expect(records.first?["ttl_minutes"] as? Int == 1)

        let closedPort = try LoopbackSocket.freePort()
        let silent = try lig("10.1.0.1", "127.0.0.1:\(closedPort)", "--timeout", "300", "--count", "1")
        #expect(silent.status == 2, "\(silent.stdout)\(silent.stderr)")

        let badEID = try lig("not-an-eid", resolver)
        #expect(badEID.status == 2)
        #expect(badEID.stderr.contains("not-an-eid"))

        server.terminate()
        let status = try #require(server.waitForExit(within: .seconds(10)), "no exit after SIGTERM")
        #expect(status == 0, "\(server.log)")
        #expect(LoopbackSocket.canBind(port, .udp))
    }

    @Test func ligAsksTheConfiguredResolverAndAcceptsAHostName() throws {
        let scratch = try ScratchDirectory()
        let (server, port, _) = try startMapServer(in: scratch)
        defer { server.killAndReap() }
        let locus = scratch.file("locus.toml")
        try """
        name = "lig-test"

        [[mapping]]
        name = "mr-1"
        resolver = "127.0.0.1:\(port)"

        """.write(toFile: locus, atomically: true, encoding: .utf8)
        let byConfig = try poll(deadline: .seconds(30)) {
            let result = try Subprocess.run(
                LocusBinary.path,
                ["lig", "10.1.0.1", "--config", locus, "--timeout", "200", "--count", "1"]
            )
            return result.status == 2 && server.isRunning ? nil : result
        }
        let reply = try #require(byConfig)
        #expect(reply.status == 1, "\(reply.stdout)\(reply.stderr)")
        #expect(reply.stdout.contains("EID-prefix: [0]10.1.0.0/16"), "\(reply.stdout)")

        let byName = try lig("10.1.0.1", "localhost:\(port)")
        #expect(byName.status == 1, "\(byName.stdout)\(byName.stderr)")

        try "name = \"no mapping\"\n".write(toFile: locus, atomically: true, encoding: .utf8)
        let none = try Subprocess.run(LocusBinary.path, ["lig", "10.1.0.1", "--config", locus])
        #expect(none.status == 2)
        #expect(none.stderr.contains("has no [[mapping]]"), "\(none.stderr)")
    }

    @Test func aSecondMapServerOnTheSameAddressSaysWhatIsWrong() throws {
        let scratch = try ScratchDirectory()
        let (server, port, config) = try startMapServer(in: scratch)
        defer { server.killAndReap() }
        let answered = try poll(deadline: .seconds(30)) {
            let result = try lig("10.1.0.1", "127.0.0.1:\(port)", "--timeout", "200", "--count", "1")
            return result.status == 1 ? result : nil
        }
        #expect(answered != nil, "the first map-server never answered: \(server.log)")
        let second = try Subprocess.run(LocusBinary.path, ["mapserver", "--config", config])
        #expect(second.status == 1)
        #expect(
            second.stderr.contains("cannot listen on 127.0.0.1:\(port) (UDP): another process already uses it"),
            "\(second.stderr)"
        )
    }

    @Test func aMalformedConfigNamesFileAndLineAndExits1() throws {
        let scratch = try ScratchDirectory()
        let config = try writeConfig(in: scratch, listen: "127.0.0.1:4342", extra: "colour = \"blue\"\n")
        let result = try Subprocess.run(LocusBinary.path, ["mapserver", "--config", config])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(config):4: "), "\(result.stderr)")
        #expect(result.stderr.contains("colour"), "\(result.stderr)")
    }

    @Test func aMissingKeyFileIsAnErrorAtTheLineNamingIt() throws {
        let scratch = try ScratchDirectory()
        let config = try writeConfig(in: scratch, listen: "127.0.0.1:4342")
        try FileManager.default.removeItem(atPath: scratch.file("east.key"))
        let result = try Subprocess.run(LocusBinary.path, ["mapserver", "--config", config])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(config):11: "), "\(result.stderr)")
    }

    // MARK: Helpers

    /// `locus mapserver` on a free loopback port, from a `mapserver.toml` written into `scratch`.
    private func startMapServer(in scratch: ScratchDirectory) throws -> (ServerProcess, port: UInt16, config: String) {
        let port = try LoopbackSocket.freePort()
        let config = try writeConfig(in: scratch, listen: "127.0.0.1:\(port)")
        let server = try ServerProcess(
            LocusBinary.path,
            ["mapserver", "--config", config],
            logFile: scratch.file("mapserver.log")
        )
        return (server, port, config)
    }

    /// Writes `mapserver.toml` (line 4 is `extra`, when given) and its key file, readable by the owner only.
    private func writeConfig(in scratch: ScratchDirectory, listen: String, extra: String = "") throws -> String {
        let key = scratch.file("east.key")
        try "east-secret-key\n".write(toFile: key, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        let text = """
            listen = "\(listen)"
            registration_timeout = "3m"

            \(extra)
            [[site]]
            name = "dc-east"
            key_id = 1
            algorithm = "hmac-sha256"
            prefixes = ["10.1.0.0/16"]
            accept_more_specifics = true
            key_file = "\(key)"

            """
        let config = scratch.file("mapserver.toml")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    private func lig(_ eid: String, _ resolver: String, _ options: String...) throws -> Subprocess.Result {
        try Subprocess.run(LocusBinary.path, ["lig", eid, "--resolver", resolver] + options)
    }

    /// Calls `attempt` until it returns a value or `deadline` passes.
    private func poll<T>(deadline: Duration, _ attempt: () throws -> T?) throws -> T? {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            if let value = try attempt() { return value }
            usleep(50_000)
        }
        return nil
    }
}
