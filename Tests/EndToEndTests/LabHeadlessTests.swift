import Foundation
import Glibc
import LocusCore
import Testing

/// `locus lab --headless` driven as a subprocess, watched by `locus snapshot` and `locus check` subprocesses.
@Suite(.serialized) struct LabHeadlessTests {
    @Test func snapshotAndCheckSeeTheLabThenSIGTERMClosesIt() async throws {
        let scratch = try ScratchDirectory()
        let labDirectory = scratch.file("lab")
        let lab = try LabSubprocess(
            arguments: ["lab", "--headless", "--workloads", "50", "--seed", "1", "--dir", labDirectory],
            scratch: scratch
        )
        defer { lab.kill() }
        let configFile = try await lab.firstLine(within: .seconds(60))
        #expect(configFile == labDirectory + "/locus.toml")
        #expect(configFile.hasPrefix("/"))
        #expect(FileManager.default.fileExists(atPath: configFile))

        let snapshot = try await LabSubprocess.run(["snapshot", "--config", configFile, "--json"], scratch: scratch)
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(snapshot.stdout.utf8)) as? [String: Any]
        )
        SnapshotShape.check(document)
        let workloads = try #require(document["workloads"] as? [[String: Any]])
        #expect(workloads.count == 50)
        for workload in workloads {
            let mapping = try #require(workload["mapping"] as? [String: Any])
            #expect(mapping["state"] as? String == "registered", "\(workload["name"] ?? "?")")
            let rlocs = try #require(mapping["rlocs"] as? [[String: Any]])
            #expect(!rlocs.isEmpty)
            #expect(rlocs.allSatisfy { ($0["address"] as? String)?.hasPrefix("127.") ?? false })
            #expect(mapping["site"] as? String == workload["site"] as? String)
        }

        let check = try await LabSubprocess.run(["check", "--config", configFile], scratch: scratch)
        let line = check.stdout.split(separator: "\n").first.map(String.init) ?? ""
        let statuses = ["OK": Int32(0), "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3]
        let word = line.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        #expect(line.hasPrefix("LOCUS "), "\(line)")
        #expect(statuses[word] == check.status, "\(line) exit \(check.status)")

        let loaded = try ConfigLoader.load(
            file: configFile,
            directories: XDGDirectories(environment: [:], home: scratch.path)
        )
        let resolverPort = try #require(loaded.config.mappings.first?.resolver.port)
        let apiPort = try #require(
            loaded.config.mappings.first?.registrationsAPI?.split(separator: ":").last.flatMap { UInt16($0) }
        )
        #expect(!LoopbackPort.isFree(resolverPort, transport: .udp))

        lab.terminate()
        let status = try await lab.exitStatus(within: .seconds(30))
        #expect(status == 0)
        #expect(LoopbackPort.isFree(resolverPort, transport: .udp))
        #expect(LoopbackPort.isFree(apiPort, transport: .tcp))
        // A directory given with --dir stays.
        #expect(FileManager.default.fileExists(atPath: configFile))
    }

    @Test func withoutDirTheTemporaryLabDirectoryIsRemovedOnSIGINT() async throws {
        let scratch = try ScratchDirectory()
        let lab = try LabSubprocess(arguments: ["lab", "--headless", "--workloads", "5"], scratch: scratch)
        defer { lab.kill() }
        let configFile = try await lab.firstLine(within: .seconds(60))
        let directory = (configFile as NSString).deletingLastPathComponent
        #expect(FileManager.default.fileExists(atPath: configFile))
        lab.interrupt()
        #expect(try await lab.exitStatus(within: .seconds(30)) == 0)
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func aMoveBetweenTwoSnapshotsIsDetected() async throws {
        let scratch = try ScratchDirectory()
        let lab = try LabSubprocess(
            arguments: [
                "lab", "--headless", "--workloads", "50", "--seed", "1", "--churn", "1", "--dir", scratch.file("lab"),
            ],
            scratch: scratch
        )
        defer { lab.kill() }
        let configFile = try await lab.firstLine(within: .seconds(60))
        let first = try await snapshotDocument(configFile, scratch: scratch)
        let firstSites = mappedSites(first)

        let deadline = ContinuousClock.now + .seconds(120)
        var detected = false
        while !detected && ContinuousClock.now < deadline {
            let next = try await snapshotDocument(configFile, scratch: scratch)
            let events = next["events"] as? [[String: Any]] ?? []
            let moved = mappedSites(next).contains { name, site in site != nil && firstSites[name] != site }
            detected = moved || events.contains { $0["kind"] as? String == "move" }
            if !detected { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(detected, "no move seen within the deadline")
        lab.terminate()
        #expect(try await lab.exitStatus(within: .seconds(30)) == 0)
    }

    private func snapshotDocument(_ configFile: String, scratch: ScratchDirectory) async throws -> [String: Any] {
        let result = try await LabSubprocess.run(["snapshot", "--config", configFile, "--json"], scratch: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    private func mappedSites(_ document: [String: Any]) -> [String: String?] {
        var sites: [String: String?] = [:]
        for workload in document["workloads"] as? [[String: Any]] ?? [] {
            guard let name = workload["name"] as? String else { continue }
            sites[name] = (workload["mapping"] as? [String: Any])?["site"] as? String
        }
        return sites
    }
}

/// The fields CONFIG.md lists for `locus snapshot --json`, with their types.
enum SnapshotShape {
    static func check(_ document: [String: Any]) {
        #expect(document["version"] as? Int == 1)
        for source in array(document, "sources") {
            expectString(source, "name")
            expectOneOf(source, "kind", ["mapping", "inventory", "dns", "loadbalancer", "firewall", "store"])
            expectOneOf(source, "state", ["ok", "slow", "down"])
            expectNumberOrNull(source, "rtt_ms")
            expectStringOrNull(source, "error")
        }
        for workload in array(document, "workloads") {
            for key in ["name", "eid", "site", "address"] { expectString(workload, key) }
            #expect(workload["iid"] is Int)
            #expect((workload["sources"] as? [String]) != nil)
            #expect((workload["alerts"] as? [String]) != nil)
            for dependency in array(workload, "dependencies") {
                expectOneOf(dependency, "kind", ["dns", "ptr", "lb", "tcp", "firewall"])
                for key in ["target", "role", "state"] { expectString(dependency, key) }
                for key in ["expected", "observed", "detail", "checked_at", "leftover"] {
                    #expect(dependency.keys.contains(key))
                }
            }
            guard let mapping = workload["mapping"] as? [String: Any] else {
                Issue.record("workload without mapping: \(workload)")
                continue
            }
            expectOneOf(mapping, "state", ["registered", "negative", "unknown"])
            expectStringOrNull(mapping, "site")
            for key in ["ttl_minutes", "map_version", "checked_at"] { #expect(mapping.keys.contains(key), "\(key)") }
            for rloc in array(mapping, "rlocs") {
                expectString(rloc, "address")
                expectStringOrNull(rloc, "site")
                #expect(rloc["priority"] is Int && rloc["weight"] is Int)
                #expect(rloc["reachable"] is Bool)
            }
        }
        for alert in array(document, "alerts") {
            for key in ["id", "kind", "subject", "message", "since"] { expectString(alert, key) }
            expectOneOf(alert, "severity", ["critical", "warning", "info"])
            expectStringOrNull(alert, "acknowledged_by")
            expectStringOrNull(alert, "acknowledged_until")
        }
        for event in array(document, "events") {
            for key in ["time", "subject", "detail"] { expectString(event, key) }
            expectOneOf(event, "kind", ["move", "alert-raised", "alert-cleared", "source-state", "migration"])
        }
    }

    private static func array(_ object: [String: Any], _ key: String) -> [[String: Any]] {
        guard let value = object[key] as? [[String: Any]] else {
            Issue.record("\(key) is not an array of objects")
            return []
        }
        return value
    }

    private static func expectString(_ object: [String: Any], _ key: String) {
        #expect(object[key] is String, "\(key) should be a string in \(object)")
    }

    private static func expectStringOrNull(_ object: [String: Any], _ key: String) {
        #expect(object[key] is String || object[key] is NSNull, "\(key) should be a string or null in \(object)")
    }

    private static func expectNumberOrNull(_ object: [String: Any], _ key: String) {
        #expect(object[key] is NSNumber || object[key] is NSNull, "\(key) should be a number or null in \(object)")
    }

    private static func expectOneOf(_ object: [String: Any], _ key: String, _ values: Set<String>) {
        let value = object[key] as? String ?? "(missing)"
        #expect(values.contains(value), "\(key) = \(value)")
    }
}

/// A `locus` subprocess whose output goes to files in the scratch directory, read by polling.
final class LabSubprocess {
    let process = Process()
    let stdoutFile: String
    let stderrFile: String

    init(arguments: [String], scratch: ScratchDirectory, executable: String = LocusBinary.path) throws {
        let name = UUID().uuidString
        stdoutFile = scratch.file("\(name).out")
        stderrFile = scratch.file("\(name).err")
        guard FileManager.default.createFile(atPath: stdoutFile, contents: nil),
            FileManager.default.createFile(atPath: stderrFile, contents: nil)
        else { throw LabSubprocessError(message: "cannot create output files in \(scratch.path)") }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = scratch.file("state")
        environment["XDG_CONFIG_HOME"] = scratch.file("config")
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: stdoutFile)
        process.standardError = FileHandle(forWritingAtPath: stderrFile)
        try process.run()
    }

    var stdout: String { (try? String(contentsOfFile: stdoutFile, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "" }

    /// The first complete line of stdout.
    func firstLine(within deadline: Duration) async throws -> String {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            let text = stdout
            if let newline = text.firstIndex(of: "\n") { return String(text[..<newline]) }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LabSubprocessError(message: "no first line on stdout; stderr: \(stderr)")
    }

    func terminate() {
        if process.isRunning { process.terminate() }
    }

    func interrupt() {
        if process.isRunning { process.interrupt() }
    }

    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    func exitStatus(within deadline: Duration) async throws -> Int32 {
        let end = ContinuousClock.now + deadline
        while process.isRunning {
            guard ContinuousClock.now < end else {
                kill()
                throw LabSubprocessError(message: "still running after \(deadline); stderr: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// Runs a one-shot command to its end (killed after two minutes).
    static func run(
        _ arguments: [String],
        scratch: ScratchDirectory
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let subprocess = try LabSubprocess(arguments: arguments, scratch: scratch)
        let status = try await subprocess.exitStatus(within: .seconds(120))
        return (status, subprocess.stdout, subprocess.stderr)
    }
}

struct LabSubprocessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Whether nothing listens on a loopback port: binding it succeeds.
enum LoopbackPort {
    enum Transport { case udp, tcp }

    static func isFree(_ port: UInt16, transport: Transport) -> Bool {
        let socketType = Int32(transport == .tcp ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue)
        let descriptor = socket(AF_INET, socketType, 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}
