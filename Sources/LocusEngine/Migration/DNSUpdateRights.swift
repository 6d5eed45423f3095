import DNS
import DNSNet
import LocusCore

/// Whether a `[[dns]]` server's TSIG key may change a zone, found without changing anything: an
/// RFC 2136 UPDATE whose only content is a prerequisite that always holds (the zone's SOA exists).
struct DNSUpdateRights: Sendable {
    let updater: DNSRecordUpdater

    /// The zone `name` belongs to: `[[dns]] zone` when set, else the owner of the SOA the server
    /// returns for the name (in the answer at an apex, in the authority section below it).
    func zone(of name: String) async -> Result<String, PreflightProblem> {
        if let zone = updater.server.zone { return .success(zone) }
        let query: DNSName
        do {
            query = try DNSName(parsing: name)
        } catch {
            return .failure(PreflightProblem("\(name) is not a DNS name: \(error)"))
        }
        let response: DNSResponse
        do {
            response = try await updater.client.query(query, type: .soa)
        } catch {
            return .failure(PreflightProblem("asking \(updater.server.name) for the SOA of \(name): \(error)"))
        }
        let records = response.message.answers + response.message.authorities
        guard let soa = records.first(where: { if case .soa = $0.data { true } else { false } }) else {
            return .failure(
                PreflightProblem(
                    "\(updater.server.name) returned no SOA for \(name) (\(response.message.responseCode)): "
                        + "it is not authoritative for it; set zone = in [[dns]] \(updater.server.name)"
                )
            )
        }
        return .success(soa.name.description)
    }

    /// Sends the prerequisite-only UPDATE to `zone` and says what the server decided.
    func check(zone: String) async -> Result<String, PreflightProblem> {
        let zoneName: DNSName
        do {
            zoneName = try DNSName(parsing: zone)
        } catch {
            return .failure(PreflightProblem("zone \(zone) is not a DNS name: \(error)"))
        }
        let update = DNSUpdate(zone: zoneName, prerequisites: [.rrsetExists(zoneName, .soa)])
        do {
            let result = try await updater.client.update(update, key: updater.key)
            guard result.isApplied else { return .failure(PreflightProblem(result.description)) }
            return .success("key \(updater.key.name) accepted for zone \(zone)")
        } catch {
            return .failure(PreflightProblem("UPDATE to \(zone) on \(updater.server.name): \(error)"))
        }
    }
}

/// Why a check could not pass, in words.
struct PreflightProblem: Error, Sendable, Hashable, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
