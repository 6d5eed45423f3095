import Foundation
import LocusCore
import LocusEngine
import LocusTestSupport
import Testing

/// The cutover's firewall step against real nftables, in a network namespace of the test's own.
@Suite("Cutover: the firewall step against nftables", .serialized)
struct FirewallStepTests {
    static let ruleset = """
        table inet filter {
          set web_backends { type ipv4_addr; elements = { 10.1.0.7, 10.1.0.8 } }
          chain input {
            type filter hook input priority 0; policy accept;
            ip saddr 10.1.0.7 tcp dport 22 counter accept comment "web-07"
            ip daddr { 10.1.0.7, 10.9.9.9 } accept comment "web-07"
          }
        }
        """

    static func step(_ namespace: NFTNamespace) -> FirewallStep {
        FirewallStep(
            firewall: FirewallConfig(
                name: "edge",
                command: namespace.listCommand,
                applyCommand: namespace.applyCommand
            ),
            targets: [
                .set(NFTSetReference(family: "inet", table: "filter", name: "web_backends")),
                .ruleComment("web-07"),
            ],
            from: IPAddress("10.1.0.7")!,
            to: IPAddress("10.2.0.7")!
        )
    }

    static func rules(_ namespace: NFTNamespace) throws -> [String] {
        try namespace.nft(["list", "chain", "inet", "filter", "input"]).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.contains("comment") }
    }

    @Test("changes the set and the rules in one batch, never twice, and the reversed step restores them")
    func forwardAndBack() async throws {
        let namespace = try NFTNamespace()
        try namespace.load(Self.ruleset)
        let step = Self.step(namespace)
        guard case .ready = await step.observe() else {
            Issue.record("expected ready, got \(await step.observe())")
            return
        }
        let done = try await step.run()
        #expect(done.contains("set inet filter web_backends: 10.1.0.7 → 10.2.0.7"), "\(done)")
        #expect(try namespace.elements(of: "inet filter web_backends").sorted() == ["10.1.0.8", "10.2.0.7"])
        #expect(
            try Self.rules(namespace) == [
                "ip saddr 10.2.0.7 tcp dport 22 counter packets 0 bytes 0 accept comment \"web-07\"",
                "ip daddr { 10.2.0.7, 10.9.9.9 } accept comment \"web-07\"",
            ]
        )
        // Its effect is there: a resumed cutover marks it done and changes nothing.
        #expect(try await step.run().hasPrefix("already done"))

        let back = try await step.reversed().run()
        #expect(back.contains("10.2.0.7 → 10.1.0.7"), "\(back)")
        #expect(try namespace.elements(of: "inet filter web_backends").sorted() == ["10.1.0.7", "10.1.0.8"])
        #expect(
            try Self.rules(namespace) == [
                "ip saddr 10.1.0.7 tcp dport 22 counter packets 0 bytes 0 accept comment \"web-07\"",
                "ip daddr { 10.1.0.7, 10.9.9.9 } accept comment \"web-07\"",
            ]
        )
    }

    @Test("a set that holds neither address is a conflict, and nothing is changed")
    func conflict() async throws {
        let namespace = try NFTNamespace()
        try namespace.load(Self.ruleset)
        try namespace.nft(["delete", "element", "inet", "filter", "web_backends", "{ 10.1.0.7 }"])
        let step = Self.step(namespace)
        await #expect(throws: CutoverStepError.self) { try await step.run() }
        #expect(try namespace.elements(of: "inet filter web_backends") == ["10.1.0.8"])
        #expect(try Self.rules(namespace).first?.hasPrefix("ip saddr 10.1.0.7") == true)
    }

    @Test("an apply_command that exits 0 without applying is not taken for done")
    func applyThatDoesNothing() async throws {
        let namespace = try NFTNamespace()
        try namespace.load(Self.ruleset)
        let step = FirewallStep(
            firewall: FirewallConfig(name: "edge", command: namespace.listCommand, applyCommand: ["/bin/true"]),
            targets: [.set(NFTSetReference(family: "inet", table: "filter", name: "web_backends"))],
            from: IPAddress("10.1.0.7")!,
            to: IPAddress("10.2.0.7")!
        )
        do {
            _ = try await step.run()
            Issue.record("a batch nobody applied was taken for done")
        } catch {
            #expect(error.reason.contains("took the batch, but its ruleset does not show it"), "\(error)")
        }
    }

    @Test("the batch is the prerequisite: a delete of an element that is gone refuses the whole batch")
    func atomicBatch() async throws {
        let namespace = try NFTNamespace()
        try namespace.load(Self.ruleset)
        let set = NFTSetReference(family: "inet", table: "filter", name: "web_backends")
        let batch = try NFTBatch.text(for: [
            .element(set, add: IPAddress("10.2.0.7")!, delete: IPAddress("10.1.0.99")!)
        ])
        let command = FirewallCommand(arguments: namespace.applyCommand, timeout: .seconds(10))
        await #expect(throws: FirewallCommandError.self) { try await command.run(input: batch) }
        #expect(try namespace.elements(of: "inet filter web_backends").sorted() == ["10.1.0.7", "10.1.0.8"])
    }

    @Test("what nft -j lists parses into the sets and rules the step reads")
    func realListingParses() async throws {
        let namespace = try NFTNamespace()
        try namespace.load(Self.ruleset)
        let ruleset = try NFTRuleset(json: Array(try namespace.nft(["-j", "list", "ruleset"]).utf8))
        let set = try #require(ruleset.set(NFTSetReference(family: "inet", table: "filter", name: "web_backends")))
        #expect(set.elements == [.address(IPAddress("10.1.0.7")!), .address(IPAddress("10.1.0.8")!)])
        let rules = ruleset.rules(commented: "web-07")
        #expect(rules.count == 2)
        #expect(rules.allSatisfy { $0.matches(IPAddress("10.1.0.7")!) })
        #expect(rules.last?.matchedAddresses.map(\.description) == ["10.1.0.7", "10.9.9.9"])
    }

    @Test("an opening for the new address made before the cutover is still there after its rollback")
    func rollbackKeepsWhatWasThere() async throws {
        let namespace = try NFTNamespace()
        try namespace.load(Self.ruleset)
        try namespace.nft(["add", "element", "inet", "filter", "web_backends", "{ 10.2.0.7 }"])
        let set = NFTSetReference(family: "inet", table: "filter", name: "web_backends")
        let step = FirewallStep(
            firewall: FirewallConfig(
                name: "edge",
                command: namespace.listCommand,
                applyCommand: namespace.applyCommand
            ),
            targets: [.set(set)],
            from: IPAddress("10.1.0.7")!,
            to: IPAddress("10.2.0.7")!
        )
        guard case .ready(let plan) = await step.observe() else {
            Issue.record("expected ready, got \(await step.observe())")
            return
        }
        let done = try await step.run()
        #expect(done == "set inet filter web_backends: delete 10.1.0.7", "\(done)")
        #expect(try namespace.elements(of: "inet filter web_backends").sorted() == ["10.1.0.8", "10.2.0.7"])

        // Whether the journal kept the plan (a crash while it acted) or what it did, the undo only
        // puts the old address back.
        for journal in [
            MigrationStep(name: step.name, state: .running, detail: "about to change \(plan)"),
            MigrationStep(name: step.name, state: .done, detail: done),
        ] {
            let back = step.reversed(after: journal)
            #expect(try await back.run() == "set inet filter web_backends: add 10.1.0.7")
            #expect(
                try namespace.elements(of: "inet filter web_backends").sorted() == ["10.1.0.7", "10.1.0.8", "10.2.0.7"]
            )
            guard case .alreadyDone = await back.observe() else {
                Issue.record("the undo is not seen done: \(await back.observe())")
                return
            }
            try namespace.nft(["delete", "element", "inet", "filter", "web_backends", "{ 10.1.0.7 }"])
        }
    }

    @Test("a commented rule that refers to a named set is judged and changed through that set")
    func ruleThroughNamedSet() async throws {
        let namespace = try NFTNamespace()
        try namespace.load(
            """
            table inet filter {
              set admins { type ipv4_addr; elements = { 10.1.0.7, 10.1.0.9 } }
              chain input {
                type filter hook input priority 0; policy accept;
                ip saddr @admins tcp dport 22 accept comment "web-07"
              }
            }
            """
        )
        let firewall = FirewallConfig(
            name: "edge",
            command: namespace.listCommand,
            applyCommand: namespace.applyCommand
        )
        let probe = FirewallProbe(config: firewall)
        let spec = FirewallDependencySpec(firewall: "edge", target: .ruleComment("web-07"))
        let members = [
            FirewallProbe.Member(spec: spec, address: IPAddress("10.1.0.7")!),
            FirewallProbe.Member(spec: spec, address: IPAddress("10.2.0.7")!, previousAddress: IPAddress("10.1.0.7")!),
            FirewallProbe.Member(spec: spec, address: IPAddress("10.2.0.8")!),
        ]
        let before = probe.statuses(of: members, in: try await probe.ruleset(), checkedAt: Date())
        #expect(before.map(\.state) == [.ok, .stale, .missing])
        #expect(before[0].observed == "@admins")

        let step = FirewallStep(
            firewall: firewall,
            targets: [.ruleComment("web-07"), .set(NFTSetReference(family: "inet", table: "filter", name: "admins"))],
            from: IPAddress("10.1.0.7")!,
            to: IPAddress("10.2.0.7")!
        )
        #expect(try await step.run() == "set inet filter admins: 10.1.0.7 → 10.2.0.7")
        #expect(try namespace.elements(of: "inet filter admins").sorted() == ["10.1.0.9", "10.2.0.7"])
        #expect(try Self.rules(namespace) == ["ip saddr @admins tcp dport 22 accept comment \"web-07\""])
        let after = probe.statuses(of: [members[1]], in: try await probe.ruleset(), checkedAt: Date())
        #expect(after.map(\.state) == [.ok])
        #expect(try await step.run().hasPrefix("already done"))
    }

    @Test("rules naming the address themselves and through a set change in both; their undo keeps what was there")
    func ruleAndSetTogetherAndBack() async throws {
        let namespace = try NFTNamespace()
        try namespace.load(
            """
            table inet filter {
              set admins { type ipv4_addr; elements = { 10.1.0.7, 10.2.0.7, 10.1.0.9 } }
              chain input {
                type filter hook input priority 0; policy accept;
                ip saddr @admins tcp dport 22 accept comment "web-07"
                ip saddr @admins ip daddr 10.1.0.7 accept comment "web-07"
              }
            }
            """
        )
        let step = FirewallStep(
            firewall: FirewallConfig(
                name: "edge",
                command: namespace.listCommand,
                applyCommand: namespace.applyCommand
            ),
            targets: [.ruleComment("web-07")],
            from: IPAddress("10.1.0.7")!,
            to: IPAddress("10.2.0.7")!
        )
        // Nothing was applied: a forward step that failed leaves the opening made ahead alone.
        let refused = MigrationStep(name: step.name, state: .failed, detail: "edge refused the batch: exited 1")
        guard case .alreadyDone = await step.reversed(after: refused).observe() else {
            Issue.record("the undo of a step that never acted would change something")
            return
        }

        let done = try await step.run()
        #expect(try namespace.elements(of: "inet filter admins").sorted() == ["10.1.0.9", "10.2.0.7"], "\(done)")
        #expect(try Self.rules(namespace).last == "ip saddr @admins ip daddr 10.2.0.7 accept comment \"web-07\"")
        #expect(try await step.run().hasPrefix("already done"))

        let back = step.reversed(after: MigrationStep(name: step.name, state: .done, detail: done))
        _ = try await back.run()
        #expect(try namespace.elements(of: "inet filter admins").sorted() == ["10.1.0.7", "10.1.0.9", "10.2.0.7"])
        #expect(try Self.rules(namespace).last == "ip saddr @admins ip daddr 10.1.0.7 accept comment \"web-07\"")
        guard case .alreadyDone = await back.observe() else {
            Issue.record("the undo is not seen done: \(await back.observe())")
            return
        }
    }
}
