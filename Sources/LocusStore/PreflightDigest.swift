import LocusCore

extension PreflightResult {
    /// The digest approvals are bound to: SHA-256 (hex) of `canonicalText(checks:plan:)`, the same in
    /// every process for the same world.
    public static func digest(checks: [PreflightCheck], plan: [PlanChange]) -> String {
        sha256Hex(canonicalText(checks: checks, plan: plan))
    }
}
