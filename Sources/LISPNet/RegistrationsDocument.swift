import Foundation

/// The map-server's registration table as the `api` endpoint serves it (`GET /registrations`).
///
/// Field names are part of the public contract: they are encoded in snake_case and never renamed.
public struct RegistrationsDocument: Codable, Sendable, Hashable {
    public var version: Int
    public var registrationTimeoutS: Int
    public var registrations: [Registration]
    public var sites: [Site]
    /// Drops that could not be attributed to any site (a malformed message, a key id no site uses for a
    /// prefix no site owns).
    public var unattributedDropped: Drops

    public init(
        version: Int = 1,
        registrationTimeoutS: Int,
        registrations: [Registration],
        sites: [Site],
        unattributedDropped: Drops
    ) {
        self.version = version
        self.registrationTimeoutS = registrationTimeoutS
        self.registrations = registrations
        self.sites = sites
        self.unattributedDropped = unattributedDropped
    }

    public struct Registration: Codable, Sendable, Hashable {
        public var site: String
        public var iid: UInt32
        public var eidPrefix: String
        public var locators: [Locator]
        public var firstRegistered: Date
        public var lastRegistered: Date
        public var registerer: String
        /// Hex, or `null` when the register carried no xTR-ID.
        public var xtrId: String?
        public var siteId: UInt64?
        public var ttlMinutes: UInt32
        public var flags: Flags
        public var mapVersion: UInt16

        public init(
            site: String,
            iid: UInt32,
            eidPrefix: String,
            locators: [Locator],
            firstRegistered: Date,
            lastRegistered: Date,
            registerer: String,
            xtrId: String?,
            siteId: UInt64?,
            ttlMinutes: UInt32,
            flags: Flags,
            mapVersion: UInt16
        ) {
            self.site = site
            self.iid = iid
            self.eidPrefix = eidPrefix
            self.locators = locators
            self.firstRegistered = firstRegistered
            self.lastRegistered = lastRegistered
            self.registerer = registerer
            self.xtrId = xtrId
            self.siteId = siteId
            self.ttlMinutes = ttlMinutes
            self.flags = flags
            self.mapVersion = mapVersion
        }

        enum CodingKeys: String, CodingKey {
            case site, iid, eidPrefix, locators, firstRegistered, lastRegistered, registerer, xtrId, siteId
            case ttlMinutes, flags, mapVersion
        }

        /// Writes `null` for absent optionals: scripts test for the key, not for its absence.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(site, forKey: .site)
            try container.encode(iid, forKey: .iid)
            try container.encode(eidPrefix, forKey: .eidPrefix)
            try container.encode(locators, forKey: .locators)
            try container.encode(firstRegistered, forKey: .firstRegistered)
            try container.encode(lastRegistered, forKey: .lastRegistered)
            try container.encode(registerer, forKey: .registerer)
            try container.encode(xtrId, forKey: .xtrId)
            try container.encode(siteId, forKey: .siteId)
            try container.encode(ttlMinutes, forKey: .ttlMinutes)
            try container.encode(flags, forKey: .flags)
            try container.encode(mapVersion, forKey: .mapVersion)
        }
    }

    public struct Locator: Codable, Sendable, Hashable {
        public var address: String
        public var priority: UInt8
        public var weight: UInt8
        public var mpriority: UInt8
        public var mweight: UInt8
        public var reachable: Bool
        public var local: Bool
        public var probed: Bool

        public init(
            address: String,
            priority: UInt8,
            weight: UInt8,
            mpriority: UInt8,
            mweight: UInt8,
            reachable: Bool,
            local: Bool,
            probed: Bool
        ) {
            self.address = address
            self.priority = priority
            self.weight = weight
            self.mpriority = mpriority
            self.mweight = mweight
            self.reachable = reachable
            self.local = local
            self.probed = probed
        }
    }

    public struct Flags: Codable, Sendable, Hashable {
        public var proxyReply: Bool
        public var wantMapNotify: Bool
        public var xtrIdPresent: Bool
        public var ttlExpiry: Bool
        public var merge: Bool

        public init(proxyReply: Bool, wantMapNotify: Bool, xtrIdPresent: Bool, ttlExpiry: Bool, merge: Bool) {
            self.proxyReply = proxyReply
            self.wantMapNotify = wantMapNotify
            self.xtrIdPresent = xtrIdPresent
            self.ttlExpiry = ttlExpiry
            self.merge = merge
        }
    }

    public struct Site: Codable, Sendable, Hashable {
        public var name: String
        public var registrations: Int
        public var dropped: Drops

        public init(name: String, registrations: Int, dropped: Drops) {
            self.name = name
            self.registrations = registrations
            self.dropped = dropped
        }
    }

    /// Map-Registers dropped without an answer, by reason.
    public struct Drops: Codable, Sendable, Hashable {
        public var badMac = 0
        public var unknownKey = 0
        public var outsidePrefix = 0
        public var replay = 0
        /// The algorithm id differs from the site's configured one.
        public var wrongAlgorithm = 0
        public var malformed = 0

        public init() {}

        public var total: Int { badMac + unknownKey + outsidePrefix + replay + wrongAlgorithm + malformed }
    }
}

extension RegistrationsDocument {
    /// The encoder for the public JSON shape: snake_case keys, RFC 3339 UTC times, stable key order.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
