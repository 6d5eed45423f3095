import Foundation
import LocusTestSupport
import Testing

/// A re-addressing cutover in the lab whose workload is also allowed by a set on a real nftables
/// firewall, in a network namespace of the test's own that the operator accounts reach through
/// `sudo`, as an operator reaches a firewall: the cutover's firewall step moves the set's element in
/// one batch, and a rollback puts it back — checked with `nft -j list set`.
@Suite(.serialized, .enabled(if: OperatorAccounts.canCreate, "needs root to create the operator accounts"))
struct MigrationFirewallEndToEndTests {
    static let set = "inet filter web_backends"

    /// Lets the operator accounts run nft in `namespace`, and only there, as root without a password.
    final class SudoRule {
        let file: String

        init(_ namespace: NFTNamespace) throws {
            file = "/etc/sudoers.d/locus-firewall-test-\(namespace.pid)"
            let argv = namespace.nftArguments([])
            let rule = "%\(OperatorAccounts.sharedGroup) ALL=(root) NOPASSWD: \(argv.joined(separator: " ")) *\n"
            try rule.write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o440)
        }

        deinit {
            unlink(file)
        }
    }

    /// Adds `[[firewall]] edge` (through sudo) to the lab's config, and a dependency on the set to `workload`.
    static func addFirewall(_ namespace: NFTNamespace, to lab: MigrationLab, workload: String) throws {
        func argv(_ arguments: [String]) -> String {
            "[" + (["sudo", "-n"] + namespace.nftArguments(arguments)).map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        }
        let firewall = """

            [[firewall]]
            name = "edge"
            kind = "nftables"
            command = \(argv(["-j", "list", "ruleset"]))
            apply_command = \(argv(["-f", "-"]))
            timeout = "10s"

            """
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: lab.configFile))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(firewall.utf8))
        try handle.close()
        try addDependency(to: lab, workload: workload)
    }

    /// The lab writes its inventory anew with every move, from what it generated: the dependency on a
    /// firewall it knows nothing of is put back after each, as an inventory that keeps it would have it.
    static func addDependency(to lab: MigrationLab, workload: String) throws {
        let inventoryFile = lab.labDirectory + "/inventory.toml"
        var lines = try String(contentsOfFile: inventoryFile, encoding: .utf8).components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "name = \"\(workload)\"") else {
            throw TestServerError("no workload \(workload) in \(inventoryFile)")
        }
        let end = lines[(start + 1)...].firstIndex(of: "[[workload]]") ?? lines.endIndex
        lines.insert(
            contentsOf: [
                "  [[workload.depends]]", "  kind = \"firewall\"", "  firewall = \"edge\"", "  set = \"\(set)\"", "",
            ],
            at: end
        )
        try lines.joined(separator: "\n").write(toFile: inventoryFile, atomically: false, encoding: .utf8)
    }

    @Test(arguments: MigrationStoreKind.available)
    func aCutoverMovesTheSetElementInOneBatchAndARollbackPutsItBack(store: MigrationStoreKind) async throws {
        try await cutoverAndRollback(store: store, preopened: false)
    }

    /// The new address allowed before the cutover (an operator opened it ahead): the cutover only
    /// closes the old one, and its rollback reopens the old one and leaves the new one open.
    @Test func anOpeningMadeBeforeTheCutoverIsStillThereAfterItsRollback() async throws {
        try await cutoverAndRollback(store: .sqlite, preopened: true)
    }

    private func cutoverAndRollback(store: MigrationStoreKind, preopened: Bool) async throws {
        let lab = try await MigrationLab(approvers: ["ops2"], store: store, cutover: .init())
        let moved = try #require(try lab.workloadsWithPoolMember().first)
        let oldAddress = try lab.address(of: moved)
        let newAddress = try MigrationCutoverEndToEndTests.newAddress(for: moved, lab)
        let others = ["10.250.0.1"] + (preopened ? [newAddress] : [])
        let namespace = try NFTNamespace()
        try namespace.load(
            """
            table inet filter {
              set web_backends { type ipv4_addr; elements = { \(([oldAddress] + others).joined(separator: ", ")) } }
            }
            """
        )
        let sudo = try SudoRule(namespace)
        try Self.addFirewall(namespace, to: lab, workload: moved)
        let check = try await lab.locus(as: "ops3", ["config", "check"])
        #expect(check.status == 0, "\(check.stderr)\(check.stdout)")

        let id = try await lab.request(moved, as: "ops1", address: newAddress)
        let preflight = try await lab.json(as: "ops3", ["migrate", "show", id])
        let plan = preflight["plan"] as? [[String: Any]] ?? []
        #expect(
            plan.contains {
                $0["what"] as? String == "firewall" && $0["target"] as? String == "edge set \(Self.set)"
                    && $0["from"] as? String == oldAddress && $0["to"] as? String == newAddress
            },
            "\(plan)"
        )
        let run = try await lab.locus(as: "ops2", ["migrate", "approve", id, "--wait"])
        #expect(run.status == 0, "\(run.stderr)\(run.stdout)")
        let green = try await lab.json(as: "ops3", ["migrate", "show", id])
        #expect(green.state == "completed", "\(green)")
        let names = green.stepStates.map(\.name)
        let firewall = try #require(names.firstIndex(of: "firewall edge"), "\(names)")
        #expect(names.firstIndex(of: "loadbalancer lab-lb be_web/\(moved)").map { $0 < firewall } == true)
        #expect(names.last == "verify")
        #expect(try namespace.elements(of: Self.set).sorted() == Array(Set([newAddress] + others)).sorted())

        try Self.addDependency(to: lab, workload: moved)
        let back = try await lab.locus(as: "ops2", ["migrate", "rollback", id])
        #expect(back.status == 0, "\(back.stderr)\(back.stdout)")
        let rolledBack = try await lab.json(as: "ops3", ["migrate", "show", id])
        #expect(rolledBack.state == "rolled-back", "\(rolledBack)")
        #expect(rolledBack.stepStates.contains { $0.name == "rollback-firewall edge" && $0.state == "done" })
        #expect(try namespace.elements(of: Self.set).sorted() == ([oldAddress] + others).sorted())
        withExtendedLifetime(sudo) {}
        try await lab.shutDown()
    }
}
