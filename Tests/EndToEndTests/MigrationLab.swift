import Foundation
import LocusTestSupport

/// Where a migration test keeps its record: the lab's SQLite file in the shared directory, or a real
/// PostgreSQL the test starts, reached over its unix socket with peer authentication.
enum MigrationStoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    var description: String { rawValue }

    /// The kinds this machine can run: PostgreSQL only where it is installed.
    static var available: [MigrationStoreKind] { PostgresProcess.isInstalled ? allCases : [.sqlite] }
}

/// `locus lab --headless` in a directory shared by the operator accounts, with a configuration whose
/// `[approvals]` and `[migration]` are the test's, and `locus` run as any of those users.
final class MigrationLab {
    let scratch: ScratchDirectory
    let lab: LabSubprocess
    let configFile: String
    let storeFile: String
    let labDirectory: String
    /// Workload name → site, from the lab's inventory.
    let sites: [String: String]
    let siteNames: [String]
    let postgres: PostgresProcess?

    /// How cutovers run in this lab: through the lab's own mover, started by the last approval, with a
    /// short runner lease so that a killed runner is found out within seconds.
    struct Cutover {
        var labArguments: [String] = []
        var maxRunning = 4
        var maintenanceWindow: String?
        var verifyDeadline = "20s"
        var runnerLease = "3s"
    }

    let cutover: Cutover?

    /// - Parameter cutover: nil for a lab that only decides (its mover does nothing and an approval
    ///   starts no runner: `[migration] start = "manual"`).
    init(
        approvers: [String] = ["ops1", "@netops"],
        fourEyes: Bool = false,
        expireAfter: String = "4h",
        store: MigrationStoreKind = .sqlite,
        cutover: Cutover? = nil
    ) async throws {
        try OperatorAccounts.ensure()
        self.cutover = cutover
        scratch = try ScratchDirectory()
        labDirectory = scratch.file("lab")
        let lab = try LabSubprocess(
            arguments: ["lab", "--headless", "--workloads", "12", "--seed", "5", "--dir", labDirectory]
                + (cutover?.labArguments ?? []),
            scratch: scratch
        )
        self.lab = lab
        do {
            configFile = try await lab.firstLine(within: .seconds(60))
            storeFile = labDirectory + "/locus.sqlite"
            let inventory = try String(contentsOfFile: labDirectory + "/inventory.toml", encoding: .utf8)
            var sites: [String: String] = [:]
            var name: String?
            for line in inventory.split(separator: "\n") {
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.hasPrefix("name = \""), name == nil { name = Self.quoted(text) }
                if text.hasPrefix("site = \""), let current = name { sites[current] = Self.quoted(text) }
                if text == "[[workload]]" { name = nil }
            }
            self.sites = sites
            siteNames = Array(Set(sites.values)).sorted()
            postgres = store == .postgres ? try PostgresProcess() : nil
            try Self.rewrite(
                configFile,
                approvers: approvers,
                fourEyes: fourEyes,
                expireAfter: expireAfter,
                store: postgres?.socketURL(),
                cutover: cutover
            )
            try OperatorAccounts.shareDirectory(scratch.path)
            if let postgres {
                // The database owner reads the shared config (its key files are group-readable) and
                // writes the policy; the requester-only login is granted by hand,
                // as a DBA would (approvers get their roles from `locus store init`).
                _ = try ChildProcess.run("/usr/sbin/usermod", ["-aG", OperatorAccounts.sharedGroup, "postgres"])
                let initialized = try await ChildProcess.runDetached(
                    "/usr/sbin/runuser",
                    ["-u", "postgres", "--", LocusBinary.path, "store", "init", "--config", configFile]
                )
                guard initialized.status == 0 else {
                    throw TestServerError("locus store init: \(initialized.stderr)\(initialized.stdout)")
                }
                for user in ["ops1", "ops3"] where !approvers.contains(user) {
                    try postgres.execute(
                        "DO $$ BEGIN CREATE ROLE \(user) LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
                    )
                    try postgres.execute("GRANT locus_operator TO \(user)")
                }
            }
        } catch {
            lab.kill()
            throw error
        }
    }

    deinit {
        // Runners are detached from the test on purpose; none may outlive it.
        _ = try? ChildProcess.run("/usr/bin/pkill", ["-KILL", "-f", "migrate (run|resume|rollback) .*\(configFile)"])
        lab.kill()
        postgres?.stop()
    }

    /// A site the workload is not at.
    func otherSite(than workload: String) -> String {
        siteNames.first { $0 != sites[workload] } ?? "none"
    }

    /// `locus ARGUMENTS --config FILE` as `user`, through `runuser`: the process really is that login.
    func locus(as user: String, _ arguments: [String]) async throws -> ChildProcess.Output {
        try await ChildProcess.runDetached(
            "/usr/sbin/runuser",
            ["-u", user, "--", LocusBinary.path] + arguments + ["--config", configFile]
        )
    }

    /// `locus … --json` as `user`, which must exit 0, parsed.
    func json(as user: String, _ arguments: [String]) async throws -> [String: Any] {
        let result = try await locus(as: user, arguments + ["--json"])
        guard result.status == 0,
            let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        else {
            throw TestServerError(
                "locus \(arguments) as \(user) exited \(result.status): \(result.stderr)\(result.stdout)"
            )
        }
        return document
    }

    /// Requests `workload` to another site as `user` and returns the migration's id.
    func request(_ workload: String, as user: String, reason: String = "rack retirement") async throws -> String {
        let document = try await json(
            as: user,
            ["migrate", "request", workload, "--to", otherSite(than: workload), "--reason", reason]
        )
        guard let id = document["id"] as? String else { throw TestServerError("no id in \(document)") }
        return id
    }

    func shutDown() async throws {
        lab.terminate()
        _ = try await lab.exitStatus(within: .seconds(30))
    }

    private static func quoted(_ line: String) -> String {
        let parts = line.split(separator: "\"")
        return parts.count > 1 ? String(parts[1]) : ""
    }

    /// Replaces the lab's `[approvals]` and `[migration]`: the lab's own mover for cutovers, else one
    /// that does nothing.
    private static func rewrite(
        _ file: String,
        approvers: [String],
        fourEyes: Bool,
        expireAfter: String,
        store: String?,
        cutover: Cutover?
    ) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var kept: [String] = []
        var dropping = false
        var labMover = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("[") { dropping = line.hasPrefix("[approvals]") || line.hasPrefix("[migration]") }
            if dropping, line.hasPrefix("mover = ") { labMover = String(line) }
            if !dropping {
                kept.append(store != nil && line.hasPrefix("store = ") ? "store = \"\(store ?? "")\"" : String(line))
            }
        }
        let list = approvers.map { "\"\($0)\"" }.joined(separator: ", ")
        let migration =
            cutover.map {
                """
                \(labMover)
                runner_lease = "\($0.runnerLease)"
                verify_deadline = "\($0.verifyDeadline)"
                max_running = \($0.maxRunning)
                """
            } ?? "mover = [\"/bin/true\", \"{workload}\", \"{site}\"]\nstart = \"manual\""
        let window = cutover?.maintenanceWindow.map { "maintenance_window = \"\($0)\"" } ?? ""
        kept.append(
            """

            [migration]
            \(migration)

            [approvals]
            approvers = [\(list)]
            four_eyes = \(fourEyes)
            expire_after = "\(expireAfter)"
            \(window)
            """
        )
        try kept.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    }
}
