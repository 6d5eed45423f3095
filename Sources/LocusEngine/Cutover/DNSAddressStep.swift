import DNS
import DNSNet
import LocusCore

/// Points a DNS record at the workload's new address with a TSIG-signed RFC 2136 UPDATE whose
/// prerequisite is the old value: a record somebody changed meanwhile is never overwritten.
public struct DNSAddressStep: CutoverStep {
    public let record: DNSName
    public let zone: DNSName
    public let from: DNSAddress
    public let to: DNSAddress
    let client: DNSClient
    let key: TSIGKey

    public init(record: DNSName, zone: DNSName, from: DNSAddress, to: DNSAddress, client: DNSClient, key: TSIGKey) {
        self.record = record
        self.zone = zone
        self.from = from
        self.to = to
        self.client = client
        self.key = key
    }

    public var name: String { "dns \(record)" }

    public func reversed() -> DNSAddressStep {
        DNSAddressStep(record: record, zone: zone, from: to, to: from, client: client, key: key)
    }

    public func observe() async -> StepObservation {
        switch await addresses() {
        case .failure(let problem):
            return .conflict(problem.description)
        case .success(let found):
            let values = Set(found.map(\.address))
            if values == [to] { return .alreadyDone("\(record) points to \(to)") }
            if values == [from] { return .ready("\(record) points to \(from)") }
            let seen = values.isEmpty ? "no address" : values.map(\.description).sorted().joined(separator: ", ")
            return .conflict("\(record) points to \(seen), expected \(from) (or \(to) once moved): somebody changed it")
        }
    }

    public func act() async throws(CutoverStepError) -> String {
        let ttl: UInt32
        switch await addresses() {
        case .success(let found): ttl = found.first?.ttl ?? 300
        case .failure(let problem): throw CutoverStepError(step: name, reason: problem.description)
        }
        let update = DNSUpdate(
            zone: zone,
            prerequisites: [.rrsetEquals([DNSResourceRecord(name: record, ttl: 0, data: Self.data(from))])],
            operations: [
                .deleteRRset(record, Self.type(of: from)),
                .add(DNSResourceRecord(name: record, ttl: ttl, data: Self.data(to))),
            ]
        )
        let result: UpdateResult
        do {
            result = try await client.update(update, key: key)
        } catch {
            throw CutoverStepError(step: name, reason: "UPDATE to \(zone): \(error)")
        }
        guard result.isApplied else {
            if result.responseCode == .nxRRSet {
                throw CutoverStepError(
                    step: name,
                    reason:
                        "\(record) no longer points to \(from) (the UPDATE's prerequisite failed: NXRRSET); nothing was changed"
                )
            }
            throw CutoverStepError(step: name, reason: result.description)
        }
        return "\(record) \(from) → \(to) (TTL \(ttl)s)"
    }

    /// The addresses the record has now in the families of `from` and `to`, with their TTLs (a
    /// dual-stack record keeps its other family untouched).
    private func addresses() async -> Result<[FoundAddress], PreflightProblem> {
        var found: [FoundAddress] = []
        for type in Set([Self.type(of: from), Self.type(of: to)]).sorted(by: { $0.rawValue < $1.rawValue }) {
            let response: DNSResponse
            do {
                response = try await client.query(record, type: type)
            } catch {
                return .failure(PreflightProblem("asking for \(record) \(type): \(error)"))
            }
            for answer in response.message.answers {
                switch answer.data {
                case .a(let address), .aaaa(let address): found.append(FoundAddress(address: address, ttl: answer.ttl))
                default: break
                }
            }
        }
        return .success(found)
    }

    private struct FoundAddress {
        var address: DNSAddress
        var ttl: UInt32
    }

    static func data(_ address: DNSAddress) -> DNSRecordData {
        address.family == .ipv4 ? .a(address) : .aaaa(address)
    }

    static func type(of address: DNSAddress) -> DNSRecordType {
        address.family == .ipv4 ? .a : .aaaa
    }
}
