import Foundation
import LISPNet
import LocusCore
import NIOCore
import Synchronization

/// Fetches one `registrations_api` table.
final class RegistrationPoller: Sendable {
    let mappingName: String
    /// The name of this table in `sources[]`.
    let sourceName: String
    private let endpoint: Result<RegistrationsEndpoint, RegistrationsEndpointError>
    private let client: HTTPGetClient
    let failures = FailureCounter()

    /// Nil when `mapping` has no `registrations_api`.
    init?(mapping: MappingConfig, tuning: EngineTuning, eventLoopGroup: any EventLoopGroup) {
        guard let api = mapping.registrationsAPI else { return nil }
        mappingName = mapping.name
        sourceName = "\(mapping.name)/registrations"
        endpoint = Result { () throws(RegistrationsEndpointError) in try RegistrationsEndpoint(parsing: api) }
        client = HTTPGetClient(group: eventLoopGroup, timeout: tuning.httpTimeout)
    }

    func fetch(now: Date) async -> Result<RegistrationIndex, RegistrationFetchError> {
        let endpoint: RegistrationsEndpoint
        switch self.endpoint {
        case .success(let value): endpoint = value
        case .failure(let error): return .failure(RegistrationFetchError(description: error.description))
        }
        do {
            let body = try await client.get(host: endpoint.host, port: endpoint.port, path: endpoint.path)
            let document = try RegistrationsDocument.makeDecoder().decode(
                RegistrationsDocument.self,
                from: Data(body.readableBytesView)
            )
            return .success(RegistrationIndex(document: document, fetchedAt: now))
        } catch let error as HTTPGetError {
            return .failure(RegistrationFetchError(description: error.description))
        } catch {
            let url = HTTPGetClient.url(endpoint.host, endpoint.port, endpoint.path)
            return .failure(
                RegistrationFetchError(
                    description: "\(url) answered something that is not a registration table: \(error)"
                )
            )
        }
    }
}

struct RegistrationFetchError: Error, Sendable, CustomStringConvertible {
    var description: String
}

/// Consecutive failures of one source, shared between the loop that polls it and a rescan.
final class FailureCounter: Sendable {
    private let count = Mutex(0)

    func reset() {
        count.withLock { $0 = 0 }
    }

    func increment() -> Int {
        count.withLock { value in
            value += 1
            return value
        }
    }

    /// The failures so far, for a pass that reports nothing (a later one already has).
    var current: Int { count.withLock { $0 } }
}
