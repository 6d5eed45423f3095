import Foundation
import LISP
import NIOCore

/// One registered EID-prefix as the map-server holds it.
public struct Registration: Sendable, Hashable {
    public var siteName: String
    public var prefix: EIDPrefix
    /// The record as registered (locators, TTL, map-version); answers are built from it.
    public var record: EIDRecord
    public var firstRegistered: Date
    public var lastRegistered: Date
    /// Where the last Map-Register came from; Map-Notifies go there.
    public var registerer: SocketAddress
    public var xtrIdentity: XTRIdentity?
    public var flags: Flags
    /// The nonce of the last accepted Map-Register, reused for the Map-Notify telling this registerer it was
    /// replaced.
    public var registerNonce: UInt64
    public var expiresAt: Date
    /// With the merge bit, each registerer's locators, keyed by xTR-ID (or source address); `record.locators`
    /// is their union.
    var contributions: [String: [RLOCRecord]]

    public struct Flags: Sendable, Hashable {
        public var proxyReply: Bool
        public var wantMapNotify: Bool
        public var ttlExpiry: Bool
        public var merge: Bool
    }
}

/// The registered mappings, keyed by EID-prefix, with longest-prefix lookup.
struct RegistrationTable: Sendable {
    private(set) var entries: [EIDPrefix: Registration] = [:]
    /// The keys of `entries`, for negative answers.
    private(set) var registeredPrefixes = PrefixTrie()

    /// What one registered record did to the table.
    enum Change: Sendable, Equatable {
        /// Nothing a subscriber would see changed (a refresh).
        case refreshed
        /// The locator set changed (a new prefix, a different set, or another registerer); `replaced` is the
        /// previous registration when it came from another registerer, who should be told.
        case changed(replaced: Registration?)
        /// Withdrawn (TTL 0) or nothing to withdraw.
        case withdrawn(previous: Registration?)
        /// A withdrawal from someone who no longer holds the prefix (a late withdrawal after another registerer
        /// took it over); the current registration stays and subscribers hear nothing.
        case ignoredWithdrawal
    }

    var count: Int { entries.count }

    func registration(for prefix: EIDPrefix) -> Registration? {
        entries[prefix]
    }

    /// The most specific registration covering `eid`.
    func longestMatch(_ eid: EIDPrefix) -> Registration? {
        var length = Int(eid.length)
        while length >= 0 {
            if let found = entries[eid.truncated(to: length)] {
                return found
            }
            length -= 1
        }
        return nil
    }

    /// Applies one accepted record of a Map-Register from `site`.
    mutating func apply(
        _ record: EIDRecord,
        prefix: EIDPrefix,
        site: String,
        register: MapRegister,
        registerer: SocketAddress,
        registrationTimeout: TimeInterval,
        now: Date
    ) -> Change {
        let previous = entries[prefix]
        if record.ttlMinutes == 0 {
            return withdraw(prefix, previous: previous, site: site, register: register, registerer: registerer)
        }
        let lifetime = register.expiresByRecordTTL ? TimeInterval(record.ttlMinutes) * 60 : registrationTimeout
        var stored = record
        stored.locators.sort(by: Self.ascending)
        let sameRegisterer = previous.map { Self.isSameRegisterer($0, site: site, register, registerer) } ?? true
        var contributions = register.wantsMerge ? previous?.contributions ?? [:] : [:]
        contributions[Self.registererKey(register, registerer)] = stored.locators
        if contributions.count > 1 {
            stored.locators = Self.union(contributions.values)
        }
        let entry = Registration(
            siteName: site,
            prefix: prefix,
            record: stored,
            firstRegistered: sameRegisterer ? previous?.firstRegistered ?? now : now,
            lastRegistered: now,
            registerer: registerer,
            xtrIdentity: register.xtrIdentity,
            flags: Registration.Flags(
                proxyReply: register.wantsProxyReply,
                wantMapNotify: register.wantsMapNotify,
                ttlExpiry: register.expiresByRecordTTL,
                merge: register.wantsMerge
            ),
            registerNonce: register.nonce,
            expiresAt: now.addingTimeInterval(lifetime),
            contributions: contributions
        )
        entries[prefix] = entry
        guard let previous else {
            registeredPrefixes.insert(prefix)
            return .changed(replaced: nil)
        }
        if previous.record == stored && sameRegisterer {
            return .refreshed
        }
        return .changed(replaced: sameRegisterer || register.wantsMerge ? nil : previous)
    }

    /// Removes only what the withdrawing registerer itself registered: its whole registration, or with the
    /// merge bit its own contribution while others remain.
    private mutating func withdraw(
        _ prefix: EIDPrefix,
        previous: Registration?,
        site: String,
        register: MapRegister,
        registerer: SocketAddress
    ) -> Change {
        guard var current = previous else { return .withdrawn(previous: nil) }
        // Every registration lists its registerer among the contributions, so that decides; without the merge
        // bit the site must match too.
        let key = Self.registererKey(register, registerer)
        guard current.contributions[key] != nil, current.flags.merge || current.siteName == site else {
            return .ignoredWithdrawal
        }
        if current.contributions.count > 1 {
            current.contributions[key] = nil
            current.record.locators = Self.union(current.contributions.values)
            entries[prefix] = current
            return .changed(replaced: nil)
        }
        entries[prefix] = nil
        registeredPrefixes.remove(prefix)
        return .withdrawn(previous: current)
    }

    /// Removes and returns every registration whose lifetime has passed.
    mutating func expire(now: Date) -> [Registration] {
        let expired = entries.values.filter { $0.expiresAt <= now }
        for registration in expired {
            entries[registration.prefix] = nil
            registeredPrefixes.remove(registration.prefix)
        }
        return expired.sorted { $0.prefix < $1.prefix }
    }

    /// The union of several registerers' locators; for an address several registered, the first set wins.
    private static func union(_ sets: Dictionary<String, [RLOCRecord]>.Values) -> [RLOCRecord] {
        var result: [RLOCRecord] = []
        for locator in sets.joined() where !result.contains(where: { $0.locator == locator.locator }) {
            result.append(locator)
        }
        return result.sorted(by: ascending)
    }

    private static func registererKey(_ register: MapRegister, _ registerer: SocketAddress) -> String {
        register.xtrIdentity.map { "\($0.xtrID)" } ?? registerer.hostPortDescription
    }

    /// Locators go on the wire sorted ascending by address.
    static func ascending(_ a: RLOCRecord, _ b: RLOCRecord) -> Bool {
        switch (a.locator.ip, b.locator.ip) {
        case (.some(let x), .some(let y)): return x < y
        case (.none, .some): return true
        default: return false
        }
    }

    /// The same ETR refreshing: same site and the same xTR-ID, or the same source when there is no xTR-ID.
    private static func isSameRegisterer(
        _ previous: Registration,
        site: String,
        _ register: MapRegister,
        _ registerer: SocketAddress
    ) -> Bool {
        guard previous.siteName == site else { return false }
        if let identity = register.xtrIdentity, let previousIdentity = previous.xtrIdentity {
            return identity.xtrID == previousIdentity.xtrID
        }
        return previous.registerer == registerer
    }
}
