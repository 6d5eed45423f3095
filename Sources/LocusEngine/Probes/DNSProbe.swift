import DNS
import DNSNet
import Foundation
import LocusCore

/// Checks `dns` dependencies against one `[[dns]]` server: does the record (and the PTR of the
/// workload's address) point where the workload is now?
public struct DNSProbe: Sendable {
    public let config: DNSServerConfig
    public let client: DNSClient

    public init(config: DNSServerConfig, client: DNSClient) {
        self.config = config
        self.client = client
    }

    /// The record's state, then the PTR's when `spec.ptr`. Throws when the server gave no usable
    /// answer: that is the source's failure, not the dependency's.
    public func check(
        _ spec: DNSDependencySpec,
        address: IPAddress,
        previousAddress: IPAddress?,
        checkedAt: Date
    ) async throws(DNSProbeError) -> (statuses: [DependencyStatus], rtt: Duration) {
        let name: DNSName
        do {
            name = try DNSName(parsing: spec.name)
        } catch {
            return ([invalid(spec, kind: .dns, "\"\(spec.name)\" is not a DNS name: \(error)", checkedAt)], .zero)
        }
        guard let wanted = DNSAddress(address.description) else {
            return ([invalid(spec, kind: .dns, "\(address) is not an address DNS can hold", checkedAt)], .zero)
        }
        // The workload's own family decides; the other is asked only to explain a missing record.
        let wantedType: DNSRecordType = wanted.family == .ipv4 ? .a : .aaaa
        var answers = [try await ask(name, wantedType)]
        if !answers[0].message.answers.contains(where: { $0.type == wantedType }),
            answers[0].message.responseCode == .noError
        {
            answers.append(try await ask(name, wantedType == .a ? .aaaa : .a))
        }
        var statuses = [record(spec, wanted: wanted, previous: previousAddress, answers: answers, at: checkedAt)]
        var rtt = answers.map(\.rtt).max() ?? .zero
        statuses[0].rtt = rtt
        if spec.ptr {
            let reverse = DNSName.reverse(of: wanted)
            let answer = try await ask(reverse, .ptr)
            rtt = max(rtt, answer.rtt)
            var status = pointer(spec, name: name, wanted: wanted, reverse: reverse, answer: answer, at: checkedAt)
            status.rtt = answer.rtt
            statuses.append(status)
        }
        return (statuses, rtt)
    }

    private func ask(_ name: DNSName, _ type: DNSRecordType) async throws(DNSProbeError) -> DNSResponse {
        let response: DNSResponse
        do {
            response = try await client.query(name, type: type)
        } catch {
            throw .client(error)
        }
        return response
    }

    /// What a server that answered with something other than NOERROR or NXDOMAIN (REFUSED, SERVFAIL,
    /// NOTAUTH…) tells about one question: it is up, but cannot say anything about this name.
    private static func refusal(_ response: DNSResponse, question: String) -> String? {
        let code = response.message.responseCode
        guard code != .noError, code != .nameError else { return nil }
        return
            "\(response.server) answered \(code) to \(question): is it authoritative for the zone, and is the zone loaded?"
    }

    /// The reverse name a `ptr = true` dependency checks for `address`: `7.0.1.10.in-addr.arpa.`.
    public static func pointerName(of address: IPAddress) -> String {
        DNSAddress(address.description).map { DNSName.reverse(of: $0).description } ?? address.description
    }

    private func record(
        _ spec: DNSDependencySpec,
        wanted: DNSAddress,
        previous: IPAddress?,
        answers: [DNSResponse],
        at checkedAt: Date
    ) -> DependencyStatus {
        var status = DependencyStatus(
            kind: .dns,
            target: spec.name,
            role: DependencyRole.other.rawValue,
            state: .ok,
            expected: wanted.description,
            checkedAt: checkedAt,
            ttlThreshold: config.ttlThreshold
        )
        if let refusal = answers.lazy.compactMap({ Self.refusal($0, question: "\(spec.name) A/AAAA") }).first {
            status.state = .unknown
            status.detail = refusal
            return status
        }
        let records = answers.flatMap(\.message.answers).filter { $0.type == .a || $0.type == .aaaa }
        let addresses = records.compactMap(\.data.address)
        status.ttl = records.map(\.ttl).min().map { .seconds(Int64($0)) }
        let sameFamily = addresses.filter { $0.family == wanted.family }
        let types = answers.compactMap { $0.message.questions.first?.type.description }
        let asked = "asked \(client.server) for \(spec.name) " + types.joined(separator: " and ")
        guard !sameFamily.isEmpty else {
            status.state = .missing
            if answers.contains(where: { $0.message.responseCode == .nameError }) {
                status.detail = "NXDOMAIN: \(asked)"
            } else if addresses.isEmpty {
                status.detail = "NODATA: \(asked)"
            } else {
                status.observed = addresses.map(\.description).joined(separator: ", ")
                status.detail = "no \(wanted.family == .ipv4 ? "A" : "AAAA") record: \(asked)"
            }
            return status
        }
        status.observed = sameFamily.map(\.description).joined(separator: ", ")
        let others = sameFamily.filter { $0 != wanted }
        if others.isEmpty {
            status.detail = "\(asked); TTL \(status.ttl.map { "\($0.components.seconds)s" } ?? "?")"
            return status
        }
        status.state = .stale
        let previousAddress = previous.flatMap { DNSAddress($0.description) }
        status.observedIsPreviousAddress = previousAddress.map { others.contains($0) } ?? false
        let extra = others.map(\.description).joined(separator: ", ")
        status.detail =
            status.observedIsPreviousAddress
            ? "\(asked): \(extra) is the workload's previous address"
            : "\(asked): \(extra) is not the workload's address"
        return status
    }

    private func pointer(
        _ spec: DNSDependencySpec,
        name: DNSName,
        wanted: DNSAddress,
        reverse: DNSName,
        answer: DNSResponse,
        at checkedAt: Date
    ) -> DependencyStatus {
        let records = answer.message.answers.filter { $0.type == .ptr }
        let targets = records.compactMap(\.data.targetName)
        var status = DependencyStatus(
            kind: .ptr,
            target: reverse.description,
            role: DependencyRole.other.rawValue,
            state: .ok,
            expected: name.description,
            observed: targets.isEmpty ? nil : targets.map(\.description).joined(separator: ", "),
            detail: "asked \(client.server) for \(reverse) PTR",
            checkedAt: checkedAt,
            ttlThreshold: config.ttlThreshold
        )
        // A migration re-pointing the PTR is seen only as fast as its TTL allows.
        status.ttl = records.map(\.ttl).min().map { .seconds(Int64($0)) }
        if let refusal = Self.refusal(answer, question: "\(reverse) PTR") {
            status.state = .unknown
            status.detail = refusal
        } else if targets.isEmpty {
            status.state = .missing
            let code = answer.message.responseCode == .nameError ? "NXDOMAIN" : "NODATA"
            status.detail = "\(code): asked \(client.server) for \(reverse) PTR"
        } else if !targets.contains(name) {
            status.state = .stale
        }
        return status
    }

    private func invalid(
        _ spec: DNSDependencySpec,
        kind: DependencyStatus.Kind,
        _ reason: String,
        _ checkedAt: Date
    ) -> DependencyStatus {
        DependencyStatus(
            kind: kind,
            target: spec.name,
            role: DependencyRole.other.rawValue,
            state: .unknown,
            detail: reason,
            checkedAt: checkedAt
        )
    }
}

/// Why a DNS server gave no usable answer.
public enum DNSProbeError: Error, Sendable, Hashable, CustomStringConvertible {
    case client(DNSClientError)

    public var description: String {
        switch self {
        case .client(let error):
            error.description
        }
    }
}
