import Foundation
import LocusCore

/// Checks `firewall` dependencies against one `[[firewall]]`: one listing of its ruleset per poll,
/// shared by every dependency on it.
public struct FirewallProbe: Sendable {
    public let config: FirewallConfig

    public init(config: FirewallConfig) {
        self.config = config
    }

    /// A dependency together with the workload addresses it is judged by.
    public struct Member: Sendable, Hashable {
        public var spec: FirewallDependencySpec
        public var address: IPAddress
        public var previousAddress: IPAddress?

        public init(spec: FirewallDependencySpec, address: IPAddress, previousAddress: IPAddress? = nil) {
            self.spec = spec
            self.address = address
            self.previousAddress = previousAddress
        }
    }

    /// Why the firewall could not be judged at all: its command failed, or printed what is not a ruleset.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case command(FirewallCommandError)
        case ruleset(NFTDecodingError)

        public var description: String {
            switch self {
            case .command(let error): error.description
            case .ruleset(let error): "its ruleset could not be read: \(error)"
            }
        }
    }

    /// The ruleset as the firewall's `command` prints it now.
    public func ruleset() async throws(Failure) -> NFTRuleset {
        let output: [UInt8]
        do {
            output = try await FirewallCommand(arguments: config.command, timeout: config.timeout).run()
        } catch {
            throw .command(error)
        }
        do {
            return try NFTRuleset(json: output)
        } catch {
            throw .ruleset(error)
        }
    }

    /// The state of each member in `ruleset`, in the order given.
    public func statuses(of members: [Member], in ruleset: NFTRuleset, checkedAt: Date) -> [DependencyStatus] {
        members.map { Self.status(of: $0, firewall: config.name, in: ruleset, checkedAt: checkedAt) }
    }

    /// `edge-east set inet filter web_backends`: the dependency's target as shown and in `snapshot --json`.
    public static func target(of spec: FirewallDependencySpec) -> String {
        "\(spec.firewall) \(spec.target)"
    }

    static func status(
        of member: Member,
        firewall: String,
        in ruleset: NFTRuleset,
        checkedAt: Date
    ) -> DependencyStatus {
        var status = DependencyStatus(
            kind: .firewall,
            target: target(of: member.spec),
            role: DependencyRole.other.rawValue,
            state: .unknown,
            expected: member.address.description,
            checkedAt: checkedAt
        )
        let previous = member.previousAddress.flatMap { $0 == member.address ? nil : $0 }
        switch member.spec.target {
        case .set(let reference):
            guard let set = ruleset.set(reference) else {
                status.state = .missing
                status.detail = "\(firewall) has no set \(reference)"
                return status
            }
            guard set.holdsAddresses else {
                status.state = .missing
                status.detail = "set \(reference) on \(firewall) holds \(set.type), not addresses"
                return status
            }
            let count = set.elements.count
            status.detail = "set \(reference) on \(firewall) holds \(count) element\(count == 1 ? "" : "s")"
            if let element = set.element(holding: member.address) {
                status.state = .ok
                status.observed = element.description
                if let previous, set.elements.contains(where: { $0.isExactly(previous) }) {
                    status.leftover = previous.description
                }
            } else if let previous, let element = set.element(holding: previous) {
                status.state = .stale
                status.observed = element.description
                status.observedIsPreviousAddress = true
            } else {
                status.state = .missing
            }
        case .ruleComment(let comment):
            let rules = ruleset.rules(commented: comment)
            guard !rules.isEmpty else {
                status.state = .missing
                status.detail = "\(firewall) has no rule commented \"\(comment)\""
                return status
            }
            let matched = Array(Set(rules.flatMap(\.matchedAddresses))).sorted().map(\.description)
            let named = rules.flatMap { ruleset.sets(referencedBy: $0) }.map { "@\($0.reference.name)" }
            let observed = matched + Array(Set(named)).sorted()
            status.observed = observed.isEmpty ? nil : observed.joined(separator: ", ")
            let behind = rules.filter { !ruleset.rule($0, matches: member.address) }
            status.detail =
                "\(rules.count) rule\(rules.count == 1 ? "" : "s") commented \"\(comment)\" on \(firewall)"
                + (behind.isEmpty ? "" : "; not matching: " + behind.map(\.location).joined(separator: ", "))
            if behind.isEmpty {
                status.state = .ok
                if let previous, rules.contains(where: { ruleset.rule($0, names: previous) }) {
                    status.leftover = previous.description
                }
            } else if let previous, behind.allSatisfy({ ruleset.rule($0, matches: previous) }) {
                status.state = .stale
                status.observed = previous.description
                status.observedIsPreviousAddress = true
            } else {
                status.state = .missing
            }
        }
        return status
    }
}
