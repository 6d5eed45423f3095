import DNS
import DNSNet
import LocusCore

/// Moves a workload's PTR from the reverse name of its old address to that of its new one, each
/// UPDATE guarded by a prerequisite: the new name must not point elsewhere, the old one must still
/// point at the workload.
///
/// The two reverse names may lie in different zones, so the move is two UPDATEs (add the new, then
/// delete the old); a crash between them is seen by `observe` as half done and finished on resume.
public struct PointerStep: CutoverStep {
    public let target: DNSName
    public let from: DNSAddress
    public let to: DNSAddress
    public let fromZone: DNSName
    public let toZone: DNSName
    let client: DNSClient
    let key: TSIGKey

    public init(
        target: DNSName,
        from: DNSAddress,
        fromZone: DNSName,
        to: DNSAddress,
        toZone: DNSName,
        client: DNSClient,
        key: TSIGKey
    ) {
        self.target = target
        self.from = from
        self.to = to
        self.fromZone = fromZone
        self.toZone = toZone
        self.client = client
        self.key = key
    }

    public var name: String { "ptr \(target)" }

    var fromName: DNSName { DNSName.reverse(of: from) }
    var toName: DNSName { DNSName.reverse(of: to) }

    public func reversed() -> PointerStep {
        PointerStep(target: target, from: to, fromZone: toZone, to: from, toZone: fromZone, client: client, key: key)
    }

    public func observe() async -> StepObservation {
        let old: [DNSName]
        let new: [DNSName]
        do {
            old = try await pointers(at: fromName)
            new = try await pointers(at: toName)
        } catch {
            return .conflict(error.description)
        }
        let hasOld = old.contains(target)
        let hasNew = new == [target]
        if !new.isEmpty, !hasNew {
            return .conflict("\(toName) already points to \(Self.list(new)), not \(target): somebody changed it")
        }
        if hasNew, !hasOld { return .alreadyDone("\(toName) points to \(target), \(fromName) to nothing") }
        if hasOld { return .ready("\(fromName) points to \(target)" + (hasNew ? " and \(toName) too" : "")) }
        return .conflict(
            "\(fromName) points to \(old.isEmpty ? "nothing" : Self.list(old)), expected \(target): somebody changed it"
        )
    }

    public func act() async throws(CutoverStepError) -> String {
        let ttl: UInt32
        do {
            ttl = try await client.query(fromName, type: .ptr).message.answers.first?.ttl ?? 300
        } catch {
            throw CutoverStepError(step: name, reason: "asking for \(fromName) PTR: \(error)")
        }
        let alreadyAdded = try await pointers(at: toName) == [target]
        if !alreadyAdded {
            try await send(
                DNSUpdate(
                    zone: toZone,
                    prerequisites: [.rrsetDoesNotExist(toName, .ptr)],
                    operations: [.add(DNSResourceRecord(name: toName, ttl: ttl, data: .ptr(target)))]
                ),
                failing: "\(toName) has a PTR already"
            )
        }
        try await send(
            DNSUpdate(
                zone: fromZone,
                prerequisites: [.rrsetEquals([DNSResourceRecord(name: fromName, ttl: 0, data: .ptr(target))])],
                operations: [.deleteRRset(fromName, .ptr)]
            ),
            failing: "\(fromName) no longer points to \(target)"
        )
        return "PTR of \(target): \(fromName) → \(toName) (TTL \(ttl)s)"
    }

    private func send(_ update: DNSUpdate, failing prerequisite: String) async throws(CutoverStepError) {
        let result: UpdateResult
        do {
            result = try await client.update(update, key: key)
        } catch {
            throw CutoverStepError(step: name, reason: "UPDATE to \(update.zone): \(error)")
        }
        guard result.isApplied else {
            if result.responseCode == .nxRRSet || result.responseCode == .yxRRSet {
                throw CutoverStepError(
                    step: name,
                    reason: "\(prerequisite) (the UPDATE's prerequisite failed: \(result.responseCode))"
                )
            }
            throw CutoverStepError(step: name, reason: result.description)
        }
    }

    private func pointers(at name: DNSName) async throws(CutoverStepError) -> [DNSName] {
        do {
            return try await client.query(name, type: .ptr).message.answers.compactMap { answer in
                if case .ptr(let target) = answer.data { return target }
                return nil
            }
        } catch {
            throw CutoverStepError(step: self.name, reason: "asking for \(name) PTR: \(error)")
        }
    }

    private static func list(_ names: [DNSName]) -> String {
        names.map(\.description).joined(separator: ", ")
    }
}
