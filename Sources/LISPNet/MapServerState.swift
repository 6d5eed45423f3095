import Foundation
import LISP
import NIOCore

/// The map-server's logic: every datagram and every clock tick goes in, the datagrams to send come out.
///
/// No sockets and no clock of its own, so each rule (authentication, replay, expiry, negative prefixes,
/// publications) can be exercised directly; `MapServer` only performs what this returns.
struct MapServerState: Sendable {
    /// A datagram to send.
    struct Outbound: Sendable {
        var payload: ByteBuffer
        var destination: SocketAddress
    }

    let registrationTimeout: TimeInterval
    let sites: [MapServerConfiguration.Site]
    private let configuredPrefixes: [EIDPrefix]
    private(set) var table = RegistrationTable()
    private(set) var subscriptions: SubscriptionBook
    /// The last accepted register nonce per site and xTR-ID.
    private var lastNonces: [ReplayKey: UInt64] = [:]
    private(set) var drops: [String: RegistrationsDocument.Drops] = [:]
    private(set) var unattributedDrops = RegistrationsDocument.Drops()

    private struct ReplayKey: Hashable {
        var site: String
        var xtrID: XTRID
    }

    init(configuration: MapServerConfiguration) {
        registrationTimeout = configuration.registrationTimeout.timeInterval
        sites = configuration.sites
        configuredPrefixes = configuration.sites.flatMap(\.prefixes)
        subscriptions = SubscriptionBook(
            retransmitIntervals: configuration.publicationRetransmits,
            limits: configuration.subscriptionLimits
        )
    }

    // MARK: Input

    mutating func receive(_ datagram: ByteBuffer, from source: SocketAddress, now: Date) -> [Outbound] {
        var buffer = datagram
        let message: LISPMessage
        do {
            message = try LISPMessage.decode(from: &buffer)
        } catch {
            if LISPMessageType(peekingAt: datagram) == .mapRegister {
                unattributedDrops.malformed += 1
            }
            return []
        }
        switch message {
        case .mapRegister(let register):
            return receive(register, bytes: datagram, from: source, now: now)
        case .encapsulated(let ecm):
            guard case .mapRequest(let request) = ecm.message else { return [] }
            return receive(request, encapsulatedIn: ecm, from: source, now: now)
        case .mapNotifyAck(let ack):
            _ = subscriptions.acknowledge(nonce: ack.nonce)
            return []
        case .mapRequest, .mapReply, .mapNotify:
            // Deployed map-resolvers only answer Map-Requests that come in an ECM.
            return []
        }
    }

    /// Expires registrations and retransmits unacknowledged publications.
    mutating func maintain(now: Date) -> [Outbound] {
        var out: [Outbound] = []
        for expired in table.expire(now: now) {
            out += publish(withdrawalOf: expired.prefix, now: now)
        }
        subscriptions.expire(now: now)
        out += subscriptions.retransmissions(now: now).compactMap(encode)
        return out
    }

    // MARK: Map-Register

    private enum DropReason {
        case badMAC, unknownKey, outsidePrefix, replay, wrongAlgorithm
    }

    private mutating func receive(
        _ register: MapRegister,
        bytes: ByteBuffer,
        from source: SocketAddress,
        now: Date
    ) -> [Outbound] {
        let prefixes = register.records.map(\.prefix)
        let owner = prefixes.compactMap { $0 }.first.flatMap(siteOwning)?.name
        let candidates = sites.indices.filter { sites[$0].keyID == register.keyID }
        guard !candidates.isEmpty else {
            count(.unknownKey, site: owner)
            return []
        }
        let verified = candidates.first { index in
            sites[index].algorithm == register.algorithm
                && (try? LISPAuthentication.verify(bytes, key: sites[index].secret)) != nil
        }
        guard let siteIndex = verified else {
            let blamed = candidates.first { sites[$0].name == owner } ?? candidates[0]
            let reason: DropReason =
                candidates.contains { sites[$0].algorithm == register.algorithm } ? .badMAC : .wrongAlgorithm
            count(reason, site: sites[blamed].name)
            return []
        }
        let site = sites[siteIndex]
        guard !prefixes.isEmpty, prefixes.allSatisfy({ $0.map(site.allows) ?? false }) else {
            count(.outsidePrefix, site: site.name)
            return []
        }
        if let identity = register.xtrIdentity {
            let key = ReplayKey(site: site.name, xtrID: identity.xtrID)
            if let last = lastNonces[key], register.nonce <= last {
                count(.replay, site: site.name)
                return []
            }
            lastNonces[key] = register.nonce
        }

        var out: [Outbound] = []
        for (record, prefix) in zip(register.records, prefixes) {
            guard let prefix else { continue }
            let change = table.apply(
                record,
                prefix: prefix,
                site: site.name,
                register: register,
                registerer: source,
                registrationTimeout: registrationTimeout,
                now: now
            )
            switch change {
            case .refreshed, .ignoredWithdrawal:
                break
            case .changed(let replaced):
                guard let current = table.registration(for: prefix) else { break }
                if let replaced {
                    out += notify(replaced, of: current)
                }
                out += subscriptions.publish(Self.served(current), for: prefix, now: now).compactMap(encode)
            case .withdrawn(let previous):
                if previous != nil {
                    out += publish(withdrawalOf: prefix, now: now)
                }
            }
        }
        if register.wantsMapNotify {
            let notify = MapNotify(
                nonce: register.nonce,
                keyID: site.keyID,
                algorithm: site.algorithm,
                records: register.records,
                xtrIdentity: register.xtrIdentity
            )
            if let payload = Self.sign(notify, key: site.secret) {
                out.append(Outbound(payload: payload, destination: source))
            }
        }
        return out
    }

    /// Tells the registerer of `replaced` that `current` took its prefix over.
    private func notify(_ replaced: Registration, of current: Registration) -> [Outbound] {
        guard let site = sites.first(where: { $0.name == replaced.siteName }) else { return [] }
        let notify = MapNotify(
            nonce: replaced.registerNonce,
            keyID: site.keyID,
            algorithm: site.algorithm,
            records: [Self.served(current)],
            xtrIdentity: replaced.xtrIdentity
        )
        guard let payload = Self.sign(notify, key: site.secret) else { return [] }
        return [Outbound(payload: payload, destination: replaced.registerer)]
    }

    private mutating func publish(withdrawalOf prefix: EIDPrefix, now: Date) -> [Outbound] {
        let record = EIDRecord(prefix: prefix, ttlMinutes: 0, action: .nativelyForward)
        return subscriptions.publish(record, for: prefix, now: now).compactMap(encode)
    }

    private mutating func count(_ reason: DropReason, site: String?) {
        var counters = site.flatMap { drops[$0] ?? RegistrationsDocument.Drops() } ?? unattributedDrops
        switch reason {
        case .badMAC: counters.badMac += 1
        case .unknownKey: counters.unknownKey += 1
        case .outsidePrefix: counters.outsidePrefix += 1
        case .replay: counters.replay += 1
        case .wrongAlgorithm: counters.wrongAlgorithm += 1
        }
        if let site {
            drops[site] = counters
        } else {
            unattributedDrops = counters
        }
    }

    /// The site whose configured prefix covers `prefix` most specifically.
    private func siteOwning(_ prefix: EIDPrefix) -> MapServerConfiguration.Site? {
        var best: (site: MapServerConfiguration.Site, length: UInt8)?
        for site in sites {
            for configured in site.prefixes where configured.contains(prefix) {
                if best == nil || configured.length > best!.length {
                    best = (site, configured.length)
                }
            }
        }
        return best?.site
    }

    // MARK: Map-Request

    private mutating func receive(
        _ request: MapRequest,
        encapsulatedIn ecm: EncapsulatedControlMessage,
        from source: SocketAddress,
        now: Date
    ) -> [Outbound] {
        // RLOC probes are for ETRs; a map-server has no locator to probe.
        guard !request.isProbe else { return [] }
        let itr =
            request.itrRLOCs.compactMap(\.ip).first { $0.isSameFamily(as: ecm.source) }
            ?? request.itrRLOCs.compactMap(\.ip).first
        guard let itr, let destination = try? itr.socketAddress(port: Int(ecm.sourcePort)) else { return [] }
        var records: [EIDRecord] = []
        var out: [Outbound] = []
        for asked in request.records {
            guard let eid = asked.prefix else { continue }
            let answer = answer(for: eid)
            records.append(answer)
            // Publications go to the ITR-RLOC for as long as the subscription lives: only a requester
            // asking for itself may subscribe, so a forged request cannot aim them at another host.
            if asked.isSubscribe, request.xtrIdentity != nil, IPAddress(source) == itr {
                let delivery = subscriptions.subscribe(
                    prefix: eid,
                    destination: destination,
                    xtrIdentity: request.xtrIdentity,
                    nonce: request.nonce,
                    current: answer,
                    now: now
                )
                // Over a limit, the Map-Reply still answers; only the confirming Map-Notify is missing.
                out += delivery.flatMap(encode).map { [$0] } ?? []
            }
        }
        guard !records.isEmpty else { return [] }
        var payload = ByteBuffer()
        guard (try? payload.writeMapReply(MapReply(nonce: request.nonce, records: records))) != nil else { return [] }
        return [Outbound(payload: payload, destination: destination)] + out
    }

    /// The proxy answer for `eid`: the registered mapping (A = 0), or a negative record.
    func answer(for eid: EIDPrefix) -> EIDRecord {
        if let registration = table.longestMatch(eid) {
            return Self.served(registration)
        }
        let negative = NegativePrefix.answer(
            for: eid,
            configured: configuredPrefixes,
            registered: table.registeredPrefixes
        )
        return EIDRecord(prefix: negative.prefix, ttlMinutes: negative.ttlMinutes, action: .nativelyForward)
    }

    /// A registration as a map-server answers for it: its locators, never authoritative.
    private static func served(_ registration: Registration) -> EIDRecord {
        EIDRecord(
            prefix: registration.prefix,
            ttlMinutes: registration.record.ttlMinutes,
            action: .noAction,
            isAuthoritative: false,
            mapVersion: registration.record.mapVersion,
            locators: registration.record.locators
        )
    }

    // MARK: Encoding

    private static func sign(_ notify: MapNotify, key: [UInt8]) -> ByteBuffer? {
        var payload = ByteBuffer()
        return (try? payload.writeMapNotify(notify, signedWith: key)) != nil ? payload : nil
    }

    /// A publication signed with the key of the site whose prefix covers the subscription, so that a
    /// subscriber holding that key can tell it from a forgery; unsigned outside every site.
    private func encode(_ delivery: SubscriptionBook.Delivery) -> Outbound? {
        var payload = ByteBuffer()
        if let site = siteOwning(delivery.prefix) {
            var notify = delivery.notify
            notify.keyID = site.keyID
            notify.algorithm = site.algorithm
            guard (try? payload.writeMapNotify(notify, signedWith: site.secret)) != nil else { return nil }
        } else {
            guard (try? payload.writeMapNotify(delivery.notify)) != nil else { return nil }
        }
        return Outbound(payload: payload, destination: delivery.destination)
    }
}
