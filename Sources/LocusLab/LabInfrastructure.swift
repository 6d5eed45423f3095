import LISP
import LocusEngine
import Logging

/// What the lab runs for its workloads' dependencies (DNS, site services, an HAProxy when installed) and
/// the mover's side of it: after a re-IP move, the record, the PTR, the pool member and the home site's
/// firewall set follow, except what the move was planned to leave behind.
struct LabInfrastructure: Sendable {
    let plan: LabDependencyPlan
    let dns: LabDNS
    let services: LabServices
    /// The lab's HAProxy; nil when none runs.
    let loadBalancer: LabLoadBalancer?
    /// One simulated firewall per site, by site name.
    let firewalls: [String: LabFirewall]
    /// `[[workload.depends]]` entries by workload name; they do not change with moves.
    let dependencies: [String: [LabDependency]]

    /// Updates what a re-IP move changed; a move that keeps its address changes nothing.
    func follow(_ move: LabMove, logger: Logger) async throws {
        guard let address = move.address, let previous = move.previousAddress,
            plan.hasDependencies(move.workload)
        else { return }
        if move.leavesBehind != .dns {
            let result = try await dns.pointRecord(of: move.workload, to: address)
            logger.debug("record updated", metadata: ["workload": "\(move.workload)", "answer": "\(result)"])
        }
        if move.leavesBehind != .ptr {
            _ = try await dns.movePointer(of: move.workload, from: previous, to: address)
        }
        if move.leavesBehind != .pool, let loadBalancer, let pool = plan.pool(of: move.workload) {
            do {
                try await loadBalancer.client.setServerAddress(
                    backend: pool.backend,
                    server: move.workload,
                    address: address.description,
                    port: UInt16(pool.port)
                )
            } catch {
                throw LabError.serviceFailed(
                    reason: "the lab's HAProxy did not take \(pool.backend)/\(move.workload) to \(address): \(error)"
                )
            }
        }
        if let site = plan.homeSite(of: move.workload), let firewall = firewalls[site] {
            await follow(move, from: previous, to: address, on: firewall)
        }
        if let drift = move.leavesBehind {
            logger.info("left behind", metadata: ["workload": "\(move.workload)", "what": "\(drift.rawValue)"])
        }
    }

    /// The set trades the old address for the new one. Left behind, half the moves (odd map versions) let
    /// the new address in but keep the old one, a leftover hole; the others keep only the old one, so the
    /// moved workload is shut out: the two ways a forgotten firewall change shows.
    private func follow(
        _ move: LabMove,
        from previous: LISP.IPAddress,
        to address: LISP.IPAddress,
        on firewall: LabFirewall
    ) async {
        // The set is ipv4_addr: an IPv6 address has no place in it.
        guard case .v4 = address else { return }
        guard move.leavesBehind == .firewall else {
            await firewall.replace(previous, with: address)
            return
        }
        if !move.mapVersion.isMultiple(of: 2) {
            await firewall.insert(address)
        }
    }

    /// Stops the DNS responder, the site services and HAProxy.
    func stop() async {
        await dns.stop()
        await services.stop()
        await loadBalancer?.stop()
    }
}
