import Foundation
import LISP

extension MapServerState {
    /// The registration table as the `api` endpoint serves it.
    func document() -> RegistrationsDocument {
        let registrations = table.entries.values.sorted { $0.prefix < $1.prefix }.map(Self.describe)
        let perSite = Dictionary(grouping: table.entries.values, by: \.siteName).mapValues(\.count)
        return RegistrationsDocument(
            registrationTimeoutS: Int(registrationTimeout.rounded()),
            registrations: registrations,
            sites: sites.map { site in
                RegistrationsDocument.Site(
                    name: site.name,
                    registrations: perSite[site.name] ?? 0,
                    dropped: drops[site.name] ?? RegistrationsDocument.Drops()
                )
            },
            unattributedDropped: unattributedDrops
        )
    }

    private static func describe(_ registration: Registration) -> RegistrationsDocument.Registration {
        RegistrationsDocument.Registration(
            site: registration.siteName,
            iid: registration.prefix.instanceID,
            eidPrefix: registration.prefix.cidr,
            locators: registration.record.locators.map { locator in
                RegistrationsDocument.Locator(
                    address: locator.locator.description,
                    priority: locator.priority,
                    weight: locator.weight,
                    mpriority: locator.multicastPriority,
                    mweight: locator.multicastWeight,
                    reachable: locator.isReachable,
                    local: locator.isLocal,
                    probed: locator.isProbed
                )
            },
            firstRegistered: registration.firstRegistered,
            lastRegistered: registration.lastRegistered,
            registerer: registration.registerer.hostPortDescription,
            xtrId: registration.xtrIdentity.map { String("\($0.xtrID)".dropFirst(2)) },
            siteId: registration.xtrIdentity?.siteID,
            ttlMinutes: registration.record.ttlMinutes,
            flags: RegistrationsDocument.Flags(
                proxyReply: registration.flags.proxyReply,
                wantMapNotify: registration.flags.wantMapNotify,
                xtrIdPresent: registration.xtrIdentity != nil,
                ttlExpiry: registration.flags.ttlExpiry,
                merge: registration.flags.merge
            ),
            mapVersion: registration.record.mapVersion
        )
    }
}
