import Foundation
import LocusCore

extension CutoverRunner {
    /// Every probe of the workload green at the end state: the mapping, each change observed in
    /// place, each TCP service answering — asked again until `verify_deadline`.
    func verify(_ script: CutoverScript) async -> StepOutcome {
        let deadline = ContinuousClock.now + verifyDeadline
        let probe = TCPProbe(timeout: .seconds(2), eventLoopGroup: eventLoopGroup)
        while true {
            var missing: [String] = []
            let mapping = await script.mapping.observe()
            if !mapping.arrived { missing.append("mapping: \(mapping.detail)") }
            for change in script.changes {
                switch await change.observe() {
                case .alreadyDone: break
                case .ready(let detail), .conflict(let detail): missing.append("\(change.name): \(detail)")
                }
            }
            for service in script.services {
                let result = await probe.probe(service)
                if case .connected = result { continue }
                missing.append("tcp \(service): \(result.detail)")
            }
            if missing.isEmpty {
                return StepOutcome(
                    ok: true,
                    detail: "green: \(mapping.detail); \(script.changes.count) changes in place; "
                        + "\(script.services.count) services answer"
                )
            }
            if ContinuousClock.now >= deadline {
                return StepOutcome(
                    ok: false,
                    detail: "not green within verify_deadline (\(verifyDeadline)): " + missing.joined(separator: "; ")
                )
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
}
extension Migration {
    /// The same move the other way, for the mover's placeholders on rollback: `{site}` and
    /// `{from_site}`, `{address}` and `{from_address}` swapped, `{dest_host}` where it ran before.
    func reversedForMover(workload: InventoryWorkload, config: LocusConfig) -> Migration {
        var back = self
        back.fromSite = toSite
        back.toSite = fromSite
        back.fromAddress = toAddress
        back.toAddress = fromAddress
        back.destinationHost = workload.host ?? config.site(named: fromSite)?.hosts.first
        return back
    }
}
