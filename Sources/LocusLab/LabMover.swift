import LISP
import Logging

/// What the control port answers: the lab's mover for cutovers (`locus lab move`), what it was asked, the
/// step `--fail-step` names for a runner to fail once, and the sites' firewalls (`locus lab nft`).
///
/// A move is checked at once (so a bad request is refused without waiting), then waits `moveDelay`, then
/// acts; a move to where the workload already is, with its address, does nothing and does not wait.
public actor LabMover {
    /// The cutover steps the lab can make fail once, for real: the mover (its next move exits 1) and
    /// dns (the lab's DNS server refuses the next UPDATE that changes something).
    public static let steps = ["mover", "dns"]

    public static func isStep(_ name: String) -> Bool {
        steps.contains(name)
    }

    private let name: String
    private let world: LabWorld
    private let churn: ChurnDriver
    private let moveDelay: Duration
    private let failStep: String?
    private let firewalls: [String: LabFirewall]
    private let logger: Logger
    private var failStepTaken = false
    private var invocations: [String: Int] = [:]
    private var unknownWorkloadInvocations = 0

    init(
        name: String,
        world: LabWorld,
        churn: ChurnDriver,
        moveDelay: Duration,
        failStep: String?,
        firewalls: [String: LabFirewall] = [:],
        logger: Logger
    ) {
        self.name = name
        self.world = world
        self.churn = churn
        self.moveDelay = moveDelay
        self.failStep = failStep
        self.firewalls = firewalls
        self.logger = logger
    }

    /// The answer to one request of the control port.
    public func answer(_ request: LabControlRequest) async -> LabControlReply {
        guard request.version == LabControlRequest.version else {
            return .refusal("unsupported version \(request.version); this lab speaks \(LabControlRequest.version)")
        }
        switch request.request {
        case "move":
            guard let workload = request.workload, let site = request.site else {
                return .refusal("a move names its workload and site")
            }
            do {
                return LabControlReply(move: try await move(workload, to: site, address: request.address))
            } catch {
                return .refusal(error.description)
            }
        case "status":
            return LabControlReply(status: await status())
        case "fail-step":
            return LabControlReply(failStep: failStep(asking: request.step))
        case "nft-list", "nft-apply":
            do {
                return LabControlReply(ruleset: try await firewallRequest(request))
            } catch {
                return .refusal(error.description)
            }
        default:
            return .refusal(
                "unknown request \"\(request.request)\"; known: \(LabControlRequest.kinds.joined(separator: ", "))"
            )
        }
    }

    /// Lists, or applies a batch on, the firewall of the site the request names; returns its ruleset.
    private func firewallRequest(_ request: LabControlRequest) async throws(LabFirewallError) -> String {
        let site = request.site ?? ""
        guard let firewall = firewalls[site] else {
            throw .unknownSite(site, known: world.sites.map(\.name))
        }
        if request.request == "nft-apply" {
            try await firewall.apply(batch: request.batch ?? "")
            logger.info("firewall batch applied", metadata: ["firewall": "\(firewall.name)"])
        }
        return await firewall.rulesetJSON()
    }

    /// Moves asked so far for `workload`, failed ones included.
    public func invocations(of workload: String) -> Int {
        invocations[workload, default: 0]
    }

    /// Counts the request, checks it, waits the delay and moves.
    func move(_ workload: String, to site: String, address text: String?) async throws(LabMoveError) -> LabMoveReport {
        if world.workload(named: workload) != nil {
            invocations[workload, default: 0] += 1
        } else {
            unknownWorkloadInvocations += 1
        }
        var address: IPAddress?
        if let text {
            guard let parsed = IPAddress(text) else {
                throw .badAddress(text, reason: "not an IPv4 or IPv6 address")
            }
            address = parsed
        }
        guard try await churn.needsRelocation(workload, to: site, address: address) else {
            return try await report(workload, move: nil)
        }
        if moveDelay > .zero {
            // A demonstration or a crash test wants the mover to take a while; cancellation only comes with
            // the lab stopping, which ends the move too.
            try? await Task.sleep(for: moveDelay)
            if Task.isCancelled {
                throw .failed(workload: workload, reason: "the lab stopped before the move")
            }
        }
        if failStep == "mover", !failStepTaken {
            failStepTaken = true
            logger.info("move failed on purpose", metadata: ["workload": "\(workload)"])
            throw .failedOnPurpose(workload: workload)
        }
        let move = try await churn.relocate(workload, to: site, address: address)
        return try await report(workload, move: move)
    }

    /// What `move` did, or where the workload is when it did nothing.
    private func report(_ workload: String, move: LabMove?) async throws(LabMoveError) -> LabMoveReport {
        guard let eid = world.workload(named: workload)?.eidPrefix,
            let now = await churn.placements[workload]
        else { throw .unknownWorkload(workload) }
        let address = move?.address ?? now.address
        return LabMoveReport(
            workload: workload,
            eid: eid.cidr,
            fromSite: move?.from ?? now.mapped,
            site: move?.to ?? now.mapped,
            fromAddress: (move?.previousAddress ?? address).description,
            address: address.description,
            moved: move != nil,
            mapVersion: Int(move?.mapVersion ?? now.mapVersion)
        )
    }

    func status() async -> LabStatusReport {
        let placements = await churn.placements
        let mapped = Dictionary(grouping: placements.values, by: \.mapped).mapValues(\.count)
        let (seconds, attoseconds) = moveDelay.components
        return LabStatusReport(
            version: LabControlRequest.version,
            name: name,
            sites: world.sites.map { LabStatusReport.Site(name: $0.name, workloads: mapped[$0.name, default: 0]) },
            workloads: world.workloads.count,
            invocations: invocations.keys.sorted().map {
                LabStatusReport.Invocations(workload: $0, count: invocations[$0, default: 0])
            },
            unknownWorkloadInvocations: unknownWorkloadInvocations,
            moveDelayMs: Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000),
            failStep: failStep,
            failStepTaken: failStepTaken
        )
    }

    /// Asked with the step a runner is about to run: fail it, the first time only.
    func failStep(asking step: String?) -> LabFailStepReport {
        var fail = false
        if let step, step == failStep, !failStepTaken {
            failStepTaken = true
            fail = true
            logger.info("step to fail taken", metadata: ["step": "\(step)"])
        }
        return LabFailStepReport(step: failStep, fail: fail, taken: failStepTaken)
    }
}
