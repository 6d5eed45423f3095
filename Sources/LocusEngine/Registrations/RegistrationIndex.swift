import Foundation
import LISPNet
import LocusCore

/// The map-server's registration table, indexed to answer "when was this EID last registered".
public struct RegistrationIndex: Sendable {
    public let document: RegistrationsDocument
    public let fetchedAt: Date
    private let byInstance: [UInt32: [(prefix: IPPrefix, registration: RegistrationsDocument.Registration)]]

    public init(document: RegistrationsDocument, fetchedAt: Date) {
        self.document = document
        self.fetchedAt = fetchedAt
        var index: [UInt32: [(prefix: IPPrefix, registration: RegistrationsDocument.Registration)]] = [:]
        for registration in document.registrations {
            // A row this Locus cannot parse cannot cover any workload; it stays in `document` for display.
            guard let prefix = try? IPPrefix(parsing: registration.eidPrefix) else { continue }
            index[registration.iid, default: []].append((prefix, registration))
        }
        for key in index.keys {
            index[key]?.sort { $0.prefix.length > $1.prefix.length }
        }
        byInstance = index
    }

    public var timeout: Duration { .seconds(document.registrationTimeoutS) }

    /// The most specific registration covering `eid` in instance `iid`.
    public func registration(covering eid: IPPrefix, iid: UInt32) -> RegistrationsDocument.Registration? {
        byInstance[iid]?.first { $0.prefix.contains(eid) }?.registration
    }

    /// The registration status of a workload, as the correlator judges staleness by.
    public func status(of workload: InventoryWorkload) -> RegistrationStatus {
        RegistrationStatus(
            lastRegisteredAt: registration(covering: workload.eid, iid: workload.iid)?.lastRegistered,
            timeout: timeout
        )
    }
}
