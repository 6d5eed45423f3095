import DNS

/// In-memory authoritative data for one or more zones: answers questions and applies RFC 2136 updates.
///
/// A plain value, so the lab responder can own it and tests can drive it without sockets.
public struct DNSZoneStore: Hashable, Sendable {
    private struct Key: Hashable {
        var name: DNSName
        var type: DNSRecordType
    }

    /// The zone apexes, each with an SOA record among the records.
    public private(set) var zones: [DNSName]
    private var rrsets: [Key: [DNSResourceRecord]] = [:]
    /// The types each name has records of, so that a name's records are found without a scan.
    private var typesByName: [DNSName: Set<DNSRecordType>] = [:]
    /// How many names with records lie at or below each name: a name exists (NODATA rather than
    /// NXDOMAIN) when it or a descendant has records (RFC 8020 empty non-terminals).
    private var namesAtOrBelow: [DNSName: Int] = [:]

    /// Builds a store from records; every zone needs an SOA record at its apex.
    public init(zones: [DNSName], records: [DNSResourceRecord]) throws(DNSZoneStoreError) {
        self.zones = zones
        for record in records {
            guard zone(containing: record.name) != nil else { throw .outsideZones(record.name) }
            let key = Key(name: record.name, type: record.type)
            store((rrsets[key] ?? []) + [record], for: key)
        }
        for zone in zones where soa(of: zone) == nil { throw .missingSOA(zone) }
    }

    /// The records of one name and type.
    public func records(name: DNSName, type: DNSRecordType) -> [DNSResourceRecord] {
        rrsets[Key(name: name, type: type)] ?? []
    }

    /// Replaces the records of one name and type (empty removes them), as if edited behind the server's back.
    public mutating func setRecords(_ records: [DNSResourceRecord], name: DNSName, type: DNSRecordType) {
        let key = Key(name: name, type: type)
        store(records, for: key)
        if let zone = zone(containing: name) { bumpSerial(of: zone) }
    }

    /// The most specific zone `name` belongs to.
    public func zone(containing name: DNSName) -> DNSName? {
        zones.filter { name.isSubdomain(of: $0) }.max { $0.labels.count < $1.labels.count }
    }

    private func soa(of zone: DNSName) -> DNSResourceRecord? {
        rrsets[Key(name: zone, type: .soa)]?.first
    }

    private func nameExists(_ name: DNSName) -> Bool {
        namesAtOrBelow[name, default: 0] > 0
    }

    private func allRecords(of name: DNSName) -> [DNSResourceRecord] {
        (typesByName[name] ?? []).sorted { $0.rawValue < $1.rawValue }.flatMap { records(name: name, type: $0) }
    }

    /// Sets one RRset (empty removes it), keeping the name indexes in step.
    private mutating func store(_ records: [DNSResourceRecord], for key: Key) {
        let existed = rrsets[key] != nil
        rrsets[key] = records.isEmpty ? nil : records
        switch (existed, records.isEmpty) {
        case (false, false):
            let wasNamed = typesByName[key.name]?.isEmpty == false
            typesByName[key.name, default: []].insert(key.type)
            if !wasNamed { countName(key.name, by: 1) }
        case (true, true):
            typesByName[key.name]?.remove(key.type)
            if typesByName[key.name]?.isEmpty == true {
                typesByName[key.name] = nil
                countName(key.name, by: -1)
            }
        default:
            break
        }
    }

    private mutating func countName(_ name: DNSName, by delta: Int) {
        var current = name
        while true {
            let count = namesAtOrBelow[current, default: 0] + delta
            namesAtOrBelow[current] = count > 0 ? count : nil
            if current.labels.isEmpty { return }
            current = current.parent
        }
    }

    /// The authoritative answer to a query: records, a CNAME chain inside our zones, NODATA or NXDOMAIN
    /// with the zone's SOA in the authority section (RFC 2308), or REFUSED outside our zones.
    public func answer(_ query: DNSMessage) -> DNSMessage {
        var response = DNSMessage(
            id: query.id,
            isResponse: true,
            opcode: query.opcode,
            isRecursionDesired: query.isRecursionDesired,
            questions: query.questions,
            edns: query.edns.map { _ in EDNS() }
        )
        guard query.opcode == .query, query.questions.count == 1 else {
            response.responseCode = query.opcode == .query ? .formatError : .notImplemented
            return response
        }
        let question = query.questions[0]
        guard let zone = zone(containing: question.name), let soa = soa(of: zone) else {
            response.responseCode = .refused
            return response
        }
        response.isAuthoritativeAnswer = true
        var name = question.name
        var visited: Set<DNSName> = []
        while visited.insert(name).inserted {
            let found = question.type == .any ? allRecords(of: name) : records(name: name, type: question.type)
            if !found.isEmpty {
                response.answers += found
                return response
            }
            guard let alias = records(name: name, type: .cname).first, case .cname(let target) = alias.data else {
                break
            }
            response.answers.append(alias)
            guard self.zone(containing: target) != nil else { return response }
            name = target
        }
        if !response.answers.isEmpty { return response }
        if !nameExists(name) { response.responseCode = .nameError }
        var negative = soa
        if case .soa(let data) = soa.data { negative.ttl = min(soa.ttl, data.minimum) }
        response.authorities = [negative]
        return response
    }

    /// Applies an UPDATE (RFC 2136 §3): zone check, prerequisites, then all operations or none.
    /// Returns the response code to send.
    public mutating func apply(_ update: DNSUpdate) -> DNSResponseCode {
        guard zones.contains(update.zone) else { return .notAuth }
        for prerequisite in update.prerequisites {
            let code = check(prerequisite, zone: update.zone)
            if code != .noError { return code }
        }
        for operation in update.operations {
            let name: DNSName
            switch operation {
            case .add(let record): name = record.name
            case .deleteRRset(let owner, _), .deleteName(let owner): name = owner
            case .deleteRecord(let record): name = record.name
            }
            guard name.isSubdomain(of: update.zone) else { return .notZone }
        }
        var changed = false
        for operation in update.operations {
            changed = perform(operation, zone: update.zone) || changed
        }
        if changed { bumpSerial(of: update.zone) }
        return .noError
    }

    private func check(_ prerequisite: DNSUpdate.Prerequisite, zone: DNSName) -> DNSResponseCode {
        switch prerequisite {
        case .rrsetExists(let name, let type):
            guard name.isSubdomain(of: zone) else { return .notZone }
            return records(name: name, type: type).isEmpty ? .nxRRSet : .noError
        case .rrsetDoesNotExist(let name, let type):
            guard name.isSubdomain(of: zone) else { return .notZone }
            return records(name: name, type: type).isEmpty ? .noError : .yxRRSet
        case .nameInUse(let name):
            guard name.isSubdomain(of: zone) else { return .notZone }
            return allRecords(of: name).isEmpty ? .nameError : .noError
        case .nameNotInUse(let name):
            guard name.isSubdomain(of: zone) else { return .notZone }
            return allRecords(of: name).isEmpty ? .noError : .yxDomain
        case .rrsetEquals(let expected):
            guard let first = expected.first else { return .noError }
            guard first.name.isSubdomain(of: zone) else { return .notZone }
            let present = Set(records(name: first.name, type: first.type).map(\.data))
            return present == Set(expected.map(\.data)) ? .noError : .nxRRSet
        }
    }

    /// Apex SOA and NS records survive deletions, as RFC 2136 §3.4.2.3 and §3.4.2.4 require.
    private mutating func perform(_ operation: DNSUpdate.Operation, zone: DNSName) -> Bool {
        switch operation {
        case .add(let record):
            let key = Key(name: record.name, type: record.type)
            var set = rrsets[key] ?? []
            if let index = set.firstIndex(where: { $0.data == record.data }) {
                guard set[index].ttl != record.ttl else { return false }
                set[index].ttl = record.ttl
            } else if record.type == .soa || record.type == .cname {
                set = [record]
            } else {
                set.append(record)
            }
            // RFC 2181 §10.1: every record of an RRset carries the same TTL.
            store(
                set.map {
                    var copy = $0
                    copy.ttl = record.ttl
                    return copy
                },
                for: key
            )
            return true
        case .deleteRRset(let name, let type):
            if name == zone, type == .soa || type == .ns { return false }
            let key = Key(name: name, type: type)
            guard rrsets[key] != nil else { return false }
            store([], for: key)
            return true
        case .deleteRecord(let record):
            let key = Key(name: record.name, type: record.type)
            if record.type == .soa { return false }
            guard var set = rrsets[key], let index = set.firstIndex(where: { $0.data == record.data }) else {
                return false
            }
            if record.name == zone, record.type == .ns, set.count == 1 { return false }
            set.remove(at: index)
            store(set, for: key)
            return true
        case .deleteName(let name):
            let keys = (typesByName[name] ?? []).filter { !(name == zone && ($0 == .soa || $0 == .ns)) }
                .map { Key(name: name, type: $0) }
            for key in keys { store([], for: key) }
            return !keys.isEmpty
        }
    }

    private mutating func bumpSerial(of zone: DNSName) {
        let key = Key(name: zone, type: .soa)
        guard var record = rrsets[key]?.first, case .soa(var data) = record.data else { return }
        data.serial &+= 1
        record.data = .soa(data)
        store([record], for: key)
    }
}

/// Why zone data cannot be served.
public enum DNSZoneStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case outsideZones(DNSName)
    case missingSOA(DNSName)

    public var description: String {
        switch self {
        case .outsideZones(let name): return "record \(name) lies outside every configured zone"
        case .missingSOA(let zone): return "zone \(zone) has no SOA record at its apex"
        }
    }
}
