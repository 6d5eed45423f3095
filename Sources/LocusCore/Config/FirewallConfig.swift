/// A `[[firewall]]` whose sets and rules dependencies of kind `firewall` are checked in.
public struct FirewallConfig: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case nftables
    }

    public static let defaultCommand = ["nft", "-j", "list", "ruleset"]
    public static let defaultApplyCommand = ["nft", "-f", "-"]
    public static let defaultTimeout: Duration = .seconds(10)

    public var name: String
    public var kind: Kind
    /// The argv that prints the ruleset as libnftables JSON; run without a shell.
    public var command: [String]
    /// The argv that applies an nft batch read on stdin, atomically; run without a shell.
    public var applyCommand: [String]
    /// How long either command may run before it is stopped and the firewall counts as unreachable.
    public var timeout: Duration
    public var line: Int

    public init(
        name: String,
        kind: Kind = .nftables,
        command: [String] = FirewallConfig.defaultCommand,
        applyCommand: [String] = FirewallConfig.defaultApplyCommand,
        timeout: Duration = FirewallConfig.defaultTimeout,
        line: Int = 0
    ) {
        self.name = name
        self.kind = kind
        self.command = command
        self.applyCommand = applyCommand
        self.timeout = timeout
        self.line = line
    }
}
