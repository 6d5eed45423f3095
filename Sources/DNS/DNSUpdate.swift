/// An RFC 2136 dynamic UPDATE, built from prerequisites and operations rather than raw class tricks.
public struct DNSUpdate: Hashable, Sendable {
    /// A condition the server checks before applying anything (RFC 2136 §2.4).
    public enum Prerequisite: Hashable, Sendable {
        /// At least one record of this name and type exists (any value).
        case rrsetExists(DNSName, DNSRecordType)
        /// The RRset of these records' name and type holds exactly these records.
        case rrsetEquals([DNSResourceRecord])
        case rrsetDoesNotExist(DNSName, DNSRecordType)
        case nameInUse(DNSName)
        case nameNotInUse(DNSName)
    }

    /// A change to apply (RFC 2136 §2.5).
    public enum Operation: Hashable, Sendable {
        case add(DNSResourceRecord)
        /// Delete every record of this name and type.
        case deleteRRset(DNSName, DNSRecordType)
        /// Delete the one record with this name, type and data (its class and TTL are ignored).
        case deleteRecord(DNSResourceRecord)
        /// Delete every RRset of the name.
        case deleteName(DNSName)
    }

    public var zone: DNSName
    public var prerequisites: [Prerequisite]
    public var operations: [Operation]

    public init(zone: DNSName, prerequisites: [Prerequisite] = [], operations: [Operation] = []) {
        self.zone = zone
        self.prerequisites = prerequisites
        self.operations = operations
    }

    /// Replaces the A and AAAA records of `name` with `addresses` (both types are cleared first, so a name
    /// that moved from IPv6 to IPv4 keeps no stale AAAA), all with `ttl`.
    public static func replacingAddresses(
        of name: DNSName,
        in zone: DNSName,
        with addresses: [DNSAddress],
        ttl: UInt32
    ) -> DNSUpdate {
        var update = DNSUpdate(zone: zone)
        update.operations = [.deleteRRset(name, .a), .deleteRRset(name, .aaaa)]
        for address in addresses {
            let data: DNSRecordData = address.family == .ipv4 ? .a(address) : .aaaa(address)
            update.operations.append(.add(DNSResourceRecord(name: name, ttl: ttl, data: data)))
        }
        return update
    }

    /// Replaces the PTR records of an address's reverse name with one pointing at `target`.
    public static func replacingPointer(
        for address: DNSAddress,
        in zone: DNSName,
        target: DNSName,
        ttl: UInt32
    ) -> DNSUpdate {
        let name = DNSName.reverse(of: address)
        return DNSUpdate(
            zone: zone,
            operations: [
                .deleteRRset(name, .ptr),
                .add(DNSResourceRecord(name: name, ttl: ttl, data: .ptr(target))),
            ]
        )
    }

    /// The UPDATE message with the given ID (unsigned; sign it with ``TSIG/sign(_:with:timeSigned:fudge:)``).
    public func message(id: UInt16) -> DNSMessage {
        var message = DNSMessage(id: id, opcode: .update)
        message.zones = [DNSQuestion(name: zone, type: .soa)]
        message.prerequisites = prerequisites.flatMap(Self.records(for:))
        message.updates = operations.map(Self.record(for:))
        return message
    }

    private static func records(for prerequisite: Prerequisite) -> [DNSResourceRecord] {
        switch prerequisite {
        case .rrsetExists(let name, let type):
            return [DNSResourceRecord(name: name, type: type, recordClass: .any, ttl: 0, data: .empty)]
        case .rrsetEquals(let records):
            return records.map {
                DNSResourceRecord(name: $0.name, type: $0.type, recordClass: .internet, ttl: 0, data: $0.data)
            }
        case .rrsetDoesNotExist(let name, let type):
            return [DNSResourceRecord(name: name, type: type, recordClass: .none, ttl: 0, data: .empty)]
        case .nameInUse(let name):
            return [DNSResourceRecord(name: name, type: .any, recordClass: .any, ttl: 0, data: .empty)]
        case .nameNotInUse(let name):
            return [DNSResourceRecord(name: name, type: .any, recordClass: .none, ttl: 0, data: .empty)]
        }
    }

    private static func record(for operation: Operation) -> DNSResourceRecord {
        switch operation {
        case .add(let record):
            return record
        case .deleteRRset(let name, let type):
            return DNSResourceRecord(name: name, type: type, recordClass: .any, ttl: 0, data: .empty)
        case .deleteRecord(let record):
            return DNSResourceRecord(
                name: record.name,
                type: record.type,
                recordClass: .none,
                ttl: 0,
                data: record.data
            )
        case .deleteName(let name):
            return DNSResourceRecord(name: name, type: .any, recordClass: .any, ttl: 0, data: .empty)
        }
    }

    /// Reads an UPDATE message back into prerequisites and operations, for a server applying it.
    /// Nil when a record uses a class/TTL/data combination RFC 2136 does not define (answer FORMERR).
    public init?(message: DNSMessage) {
        guard message.opcode == .update, message.zones.count == 1, message.zones[0].type == .soa else { return nil }
        self.zone = message.zones[0].name
        var prerequisites: [Prerequisite] = []
        var pendingEquals: [DNSResourceRecord] = []
        for record in message.prerequisites {
            switch (record.recordClass, record.type, record.data) {
            case (.any, .any, .empty): prerequisites.append(.nameInUse(record.name))
            case (.any, _, .empty): prerequisites.append(.rrsetExists(record.name, record.type))
            case (.none, .any, .empty): prerequisites.append(.nameNotInUse(record.name))
            case (.none, _, .empty): prerequisites.append(.rrsetDoesNotExist(record.name, record.type))
            case (.internet, _, _) where record.data != .empty: pendingEquals.append(record)
            default: return nil
            }
        }
        // Value-dependent prerequisites of one name and type together form one RRset to compare.
        var groups: [[DNSResourceRecord]] = []
        for record in pendingEquals {
            if let index = groups.firstIndex(where: { $0[0].name == record.name && $0[0].type == record.type }) {
                groups[index].append(record)
            } else {
                groups.append([record])
            }
        }
        prerequisites += groups.map { .rrsetEquals($0) }
        self.prerequisites = prerequisites
        var operations: [Operation] = []
        for record in message.updates {
            switch (record.recordClass, record.type, record.data) {
            case (.any, .any, .empty): operations.append(.deleteName(record.name))
            case (.any, _, .empty): operations.append(.deleteRRset(record.name, record.type))
            case (.none, _, _) where record.data != .empty:
                var target = record
                target.recordClass = .internet
                operations.append(.deleteRecord(target))
            case (.internet, _, _) where record.data != .empty: operations.append(.add(record))
            default: return nil
            }
        }
        self.operations = operations
    }
}
