/// One change a cutover makes on a firewall: a set's element or a rule's address, old → new.
public enum NFTChange: Sendable, Hashable, CustomStringConvertible {
    /// Adds `add` to the set, then deletes `delete`. Either may be nil: the old address may sit inside
    /// a wider interval element others need (nothing to delete), or the new one inside one already
    /// (nothing to add). nft refuses to delete an element that is not there, and refuses the whole
    /// batch with it: the old element still being there is the batch's prerequisite.
    case element(NFTSetReference, add: IPAddress?, delete: IPAddress?)
    /// Replaces the rule by its handle with the same statements, the address `old` replaced by `new`.
    case rule(NFTRule, old: IPAddress, new: IPAddress)

    public var description: String {
        switch self {
        case .element(let set, let add, let delete):
            switch (delete, add) {
            case (let old?, let new?): "set \(set): \(old) → \(new)"
            case (nil, let new?): "set \(set): add \(new)"
            case (let old?, nil): "set \(set): delete \(old)"
            case (nil, nil): "set \(set): nothing"
            }
        case .rule(let rule, let old, let new):
            "rule \(rule.location)" + (rule.comment.map { " \"\($0)\"" } ?? "") + ": \(old) → \(new)"
        }
    }
}

extension NFTChange {
    /// The sets a journal's detail says `to` was added to, moving them from `from`: the changes as
    /// `description` writes them, joined by `; `, alone or after `about to change ` (the plan a run
    /// journaled before acting). A detail that says something else (a failure, work found done)
    /// names no set.
    public static func sets(movedFrom from: IPAddress, to: IPAddress, in detail: String) -> Set<NFTSetReference> {
        let changes = detail.range(of: MigrationStep.planPrefix).map { String(detail[$0.upperBound...]) } ?? detail
        var sets: Set<NFTSetReference> = []
        for change in changes.components(separatedBy: "; ") where change.hasPrefix("set ") {
            for suffix in [": \(from) → \(to)", ": add \(to)"] where change.hasSuffix(suffix) {
                let name = change.dropFirst("set ".count).dropLast(suffix.count)
                if let set = NFTSetReference(parsing: String(name)) { sets.insert(set) }
            }
        }
        return sets
    }
}

/// The nft commands that make a list of changes in one transaction: `nft -f -` applies a batch
/// whole or not at all.
public enum NFTBatch {
    public static func text(for changes: [NFTChange]) throws(NFTRenderError) -> String {
        var lines: [String] = []
        for change in changes {
            switch change {
            case .element(let set, let add, let delete):
                if let add { lines.append("add element \(set) { \(add) }") }
                if let delete { lines.append("delete element \(set) { \(delete) }") }
            case .rule(let rule, let old, let new):
                // Names come from the firewall's own listing; nft would take a quoted name with spaces
                // in it, which written back unquoted would be more commands.
                guard NFTSetReference.families.contains(rule.family), NFTSetReference.isIdentifier(rule.table),
                    NFTSetReference.isIdentifier(rule.chain)
                else {
                    throw NFTRenderError(
                        "a rule in a chain named \((rule.family + " " + rule.table + " " + rule.chain).debugDescription)"
                    )
                }
                let statements = try rule.expressions.map { statement throws(NFTRenderError) in
                    try NFTStatementText.render(statement, replacing: old, with: new)
                }
                var line = "replace rule \(rule.location) " + statements.joined(separator: " ")
                if let comment = rule.comment {
                    line += " comment " + (try NFTStatementText.quoted(comment))
                }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Why a rule cannot be rewritten: it uses a statement Locus does not write back.
public struct NFTRenderError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
