import Foundation
import LocusTestSupport

/// What the lab's servers say now, asked the way an operator would: `dig` for DNS, the HAProxy
/// Runtime API for a pool member, the store through `locus migrate show`.
extension MigrationLab {
    /// `host:port` of a `key = "127.0.0.1:PORT"` line in the table `header` of the config.
    func endpoint(in header: String, key: String) throws -> (host: String, port: String) {
        let text = try String(contentsOfFile: configFile, encoding: .utf8)
        var inside = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("[") { inside = line.hasPrefix(header) }
            if inside, line.hasPrefix("\(key) = \"") {
                let value = line.split(separator: "\"")[1]
                let parts = value.split(separator: ":")
                return (String(parts[0]), String(parts[1]))
            }
        }
        throw TestServerError("no \(key) in \(header) of \(configFile)")
    }

    /// `dig +short` against the lab's DNS server.
    func dig(_ arguments: [String]) throws -> String {
        let dns = try endpoint(in: "[[dns]]", key: "server")
        let result = try ChildProcess.run("/usr/bin/dig", ["+short", "@\(dns.host)", "-p", dns.port] + arguments)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The address HAProxy's `show servers state` gives `server` of `backend`.
    func poolMemberAddress(backend: String, server: String) throws -> String? {
        let api = try endpoint(in: "[[loadbalancer]]", key: "runtime_api")
        let script = "exec 3<>/dev/tcp/\(api.host)/\(api.port); echo 'show servers state \(backend)' >&3; cat <&3"
        let result = try ChildProcess.run("/bin/bash", ["-c", script])
        for line in result.stdout.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            if fields.count > 4, fields[3] == server { return String(fields[4]) }
        }
        return nil
    }

    /// Changes the A record of `name` behind Locus's back, with the lab's key, as another tool would.
    func changeRecordBehindLocusBack(_ name: String, to address: String) throws {
        let dns = try endpoint(in: "[[dns]]", key: "server")
        let secret = try String(contentsOfFile: labDirectory + "/keys/lab-ddns.key", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let script = """
            server \(dns.host) \(dns.port)
            zone lab.test
            update delete \(name) A
            update add \(name) 300 A \(address)
            send
            """
        let input = scratch.file("nsupdate.txt")
        try script.write(toFile: input, atomically: true, encoding: .utf8)
        let result = try ChildProcess.run("/usr/bin/nsupdate", ["-y", "hmac-sha256:lab-ddns:\(secret)", input])
        guard result.status == 0 else { throw TestServerError("nsupdate: \(result.stderr)") }
    }

    /// Workloads of the lab with a pool member, from its inventory.
    func workloadsWithPoolMember() throws -> [String] {
        let inventory = try String(contentsOfFile: labDirectory + "/inventory.toml", encoding: .utf8)
        var names: [String] = []
        var current: String?
        for line in inventory.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line == "[[workload]]" { current = nil }
            if current == nil, line.hasPrefix("name = \"") { current = line.split(separator: "\"")[1].description }
            if line == "kind = \"lb\"", let current, !names.contains(current) { names.append(current) }
        }
        return names.sorted()
    }

    /// The inventory address of `workload`.
    func address(of workload: String) throws -> String {
        let inventory = try String(contentsOfFile: labDirectory + "/inventory.toml", encoding: .utf8)
        guard let found = LabFiles.workloads(in: inventory).first(where: { $0.name == workload }) else {
            throw TestServerError("no address of \(workload) in the inventory")
        }
        return found.address
    }

    /// Requests `workload` to another site (with `address` when given) as `user`; the migration's id.
    func request(_ workload: String, as user: String, address: String?) async throws -> String {
        let document = try await json(
            as: user,
            ["migrate", "request", workload, "--to", otherSite(than: workload), "--reason", "cutover test"]
                + (address.map { ["--address", $0] } ?? [])
        )
        guard let id = document["id"] as? String, document["state"] as? String == "ready" else {
            throw TestServerError("request of \(workload) is not ready: \(document)")
        }
        return id
    }

    /// `migrate show --json`, polled until `until` holds or `within` passed.
    func show(
        _ id: String,
        within: Duration = .seconds(60),
        until: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + within
        while true {
            let shown = try await json(as: "ops3", ["migrate", "show", id])
            if until(shown) || ContinuousClock.now >= deadline { return shown }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// How many times the lab's mover was asked to move `workload`.
    func moverInvocations(of workload: String) throws -> Int {
        let text = try String(contentsOfFile: configFile, encoding: .utf8)
        guard let range = text.range(of: "\"--control\", \""),
            let control = text[range.upperBound...].split(separator: "\"").first
        else { throw TestServerError("no --control in the mover of \(configFile)") }
        let status = try ChildProcess.run(LocusBinary.path, ["lab", "status", "--control", String(control), "--json"])
        guard let document = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any],
            let invocations = document["invocations"] as? [[String: Any]]
        else { throw TestServerError("locus lab status: \(status.stderr)\(status.stdout)") }
        return invocations.first { $0["workload"] as? String == workload }?["count"] as? Int ?? 0
    }
}

extension [String: Any] {
    var state: String { self["state"] as? String ?? "" }

    /// Each step's name and state, in journal order.
    var stepStates: [(name: String, state: String)] {
        (self["steps"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0["state"] as? String ?? "") }
    }
}
