import Foundation

/// One ✓ or ✗ of a preflight, with what it compared.
public struct PreflightCheck: Sendable, Hashable, Codable {
    /// A stable name (`destination-rlocs`, `dns-ttl web.lab.test`, …).
    public var name: String
    public var ok: Bool
    /// What an operator reads: what was compared, and RTTs where they help.
    public var detail: String
    /// What was compared, without RTTs or times: the part the digest covers.
    public var compared: String

    public init(name: String, ok: Bool, detail: String, compared: String? = nil) {
        self.name = name
        self.ok = ok
        self.detail = detail
        self.compared = compared ?? detail
    }
}

/// One change the cutover will make (CONFIG.md `plan[]`).
public struct PlanChange: Sendable, Hashable, Codable {
    /// `mover`, `mapping`, `dns`, `ptr`, `loadbalancer` (and `firewall`).
    public var what: String
    public var target: String
    public var from: String
    public var to: String
    /// A caveat the operator must know (no compare-and-set, lost on reload, …).
    public var note: String?

    public init(what: String, target: String, from: String, to: String, note: String? = nil) {
        self.what = what
        self.target = target
        self.from = from
        self.to = to
        self.note = note
    }
}

/// What a preflight found: its checks, the plan, and the digest binding both.
public struct PreflightResult: Sendable, Hashable, Codable {
    /// SHA-256 (hex) over `PreflightResult.canonicalText(checks:plan:)`.
    public var digest: String
    public var checks: [PreflightCheck]
    public var plan: [PlanChange]
    public var at: Date

    public init(digest: String, checks: [PreflightCheck], plan: [PlanChange], at: Date) {
        self.digest = digest
        self.checks = checks
        self.plan = plan
        self.at = at
    }

    public var passed: Bool { checks.allSatisfy(\.ok) }

    /// The checks that failed, for messages.
    public var failures: [PreflightCheck] { checks.filter { !$0.ok } }

    /// The text the digest is taken over: one line per plan change and per check, fields separated by
    /// a unit separator and escaped so that no two different inputs give the same text. Times, RTTs
    /// and the maintenance window are left out: the same world gives the same text in any process.
    public static func canonicalText(checks: [PreflightCheck], plan: [PlanChange]) -> String {
        var lines = ["locus-preflight 1"]
        for change in plan {
            lines.append(
                CanonicalText.line(["plan", change.what, change.target, change.from, change.to, change.note ?? ""])
            )
        }
        for check in checks {
            lines.append(CanonicalText.line(["check", check.name, check.ok ? "ok" : "failed", check.compared]))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
