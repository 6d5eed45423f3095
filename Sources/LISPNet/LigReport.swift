import Foundation
import LISP
import NIOCore

/// One lookup as `locus lig` shows it (RFC 6835 style), as text or JSON.
public struct LigReport: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case reply
        case negative
        case timeout
    }

    public struct Record: Sendable, Hashable, Codable {
        public var eidPrefix: String
        public var iid: UInt32
        public var ttlMinutes: UInt32
        /// The ACT of a negative record (`natively-forward`, ...); `null` when the record has locators.
        public var action: String?
        public var authoritative: Bool
        public var mapVersion: UInt16
        public var rlocs: [RLOC]
    }

    public struct RLOC: Sendable, Hashable, Codable {
        public var address: String
        public var priority: UInt8
        public var weight: UInt8
        public var mpriority: UInt8
        public var mweight: UInt8
        public var local: Bool
        public var probed: Bool
        public var reachable: Bool
    }

    public var version = 1
    /// What was looked up, lig form ("[0]10.1.0.7/32").
    public var eid: String
    /// Where the Map-Request went.
    public var resolver: String
    /// Where the Map-Reply came from (the resolver, or an ETR answering directly); `null` on timeout.
    public var respondent: String?
    public var status: Status
    public var rttMs: Double?
    public var attempts: Int
    public var records: [Record]

    /// A report of `result`, the answer to the lookup of `eid`.
    public init(eid: EIDPrefix, result: LookupResult) {
        self.eid = eid.description
        self.resolver = result.resolver.hostPortDescription
        self.respondent = result.respondent.hostPortDescription
        self.status = result.negative == nil ? .reply : .negative
        let (seconds, attoseconds) = result.rtt.components
        self.rttMs = (Double(seconds) * 1_000 + Double(attoseconds) / 1e15).rounded(toPlaces: 3)
        self.attempts = result.attempts
        self.records = result.records.map(Self.describe)
    }

    /// A report of a lookup of `eid` that got no answer.
    public init(eid: EIDPrefix, resolver: SocketAddress, timedOutAfter attempts: Int) {
        self.eid = eid.description
        self.resolver = resolver.hostPortDescription
        self.respondent = nil
        self.status = .timeout
        self.rttMs = nil
        self.attempts = attempts
        self.records = []
    }

    /// lig's exit status: 0 a mapping, 1 a negative reply, 2 no answer.
    public var exitCode: Int32 {
        switch status {
        case .reply: return 0
        case .negative: return 1
        case .timeout: return 2
        }
    }

    private static func describe(_ record: EIDRecord) -> Record {
        Record(
            eidPrefix: record.prefix?.cidr ?? record.eid.description,
            iid: record.prefix?.instanceID ?? record.eid.instanceID ?? 0,
            ttlMinutes: record.ttlMinutes,
            action: record.isNegative ? record.action.description : nil,
            authoritative: record.isAuthoritative,
            mapVersion: record.mapVersion,
            rlocs: record.locators.map { locator in
                RLOC(
                    address: locator.locator.description,
                    priority: locator.priority,
                    weight: locator.weight,
                    mpriority: locator.multicastPriority,
                    mweight: locator.multicastWeight,
                    local: locator.isLocal,
                    probed: locator.isProbed,
                    reachable: locator.isReachable
                )
            }
        )
    }
}

extension LigReport {
    /// The human form:
    /// ```
    /// Send Map-Request to 127.0.0.1:4342 for [0]10.1.0.7/32 ...
    /// Received Map-Reply from 127.0.0.1:4342 with rtt 0.412 ms
    /// EID-prefix: [0]10.1.0.0/24, ttl: 24 hours, auth-bit: 0, map-version: 0
    ///   RLOC: 127.0.1.1, up/uw/mp/mw: 1/100/255/0, flags: lpR
    /// ```
    public var text: String {
        var lines = ["Send Map-Request to \(resolver) for \(eid) ..."]
        guard status != .timeout else {
            lines.append("*** No Map-Reply received after \(attempts) attempt(s)")
            return lines.joined(separator: "\n") + "\n"
        }
        let rtt = rttMs.map { String(format: "%.3f ms", $0) } ?? "?"
        lines.append("Received Map-Reply from \(respondent ?? "?") with rtt \(rtt)")
        for record in records {
            var line = "EID-prefix: [\(record.iid)]\(record.eidPrefix), ttl: \(Self.describeTTL(record.ttlMinutes))"
            if let action = record.action {
                line += ", action: \(action) (negative reply)"
            } else {
                line += ", auth-bit: \(record.authoritative ? 1 : 0), map-version: \(record.mapVersion)"
            }
            lines.append(line)
            for rloc in record.rlocs {
                let flags = (rloc.local ? "L" : "l") + (rloc.probed ? "P" : "p") + (rloc.reachable ? "R" : "r")
                lines.append(
                    "  RLOC: \(rloc.address), up/uw/mp/mw: "
                        + "\(rloc.priority)/\(rloc.weight)/\(rloc.mpriority)/\(rloc.mweight), flags: \(flags)"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `--json` form: one object, `version: 1`, snake_case.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Minutes as lig prints them: "24 hours", "15 minutes", "1 minute", "0 minutes (remove)".
    static func describeTTL(_ minutes: UInt32) -> String {
        if minutes == 0 { return "0 minutes (remove)" }
        if minutes % 60 == 0 {
            let hours = minutes / 60
            return hours == 1 ? "1 hour" : "\(hours) hours"
        }
        return minutes == 1 ? "1 minute" : "\(minutes) minutes"
    }

    enum CodingKeys: String, CodingKey {
        case version, eid, resolver, respondent, status, rttMs, attempts, records
    }

    /// Writes `null` for absent optionals so scripts can rely on every key being there.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(eid, forKey: .eid)
        try container.encode(resolver, forKey: .resolver)
        try container.encode(respondent, forKey: .respondent)
        try container.encode(status, forKey: .status)
        try container.encode(rttMs, forKey: .rttMs)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(records, forKey: .records)
    }
}

extension LigReport.Record {
    enum CodingKeys: String, CodingKey {
        case eidPrefix, iid, ttlMinutes, action, authoritative, mapVersion, rlocs
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eidPrefix, forKey: .eidPrefix)
        try container.encode(iid, forKey: .iid)
        try container.encode(ttlMinutes, forKey: .ttlMinutes)
        try container.encode(action, forKey: .action)
        try container.encode(authoritative, forKey: .authoritative)
        try container.encode(mapVersion, forKey: .mapVersion)
        try container.encode(rlocs, forKey: .rlocs)
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
