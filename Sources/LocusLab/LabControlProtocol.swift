import Foundation

/// One request to the lab's control port: a JSON object on one line, one per connection.
///
/// ```
/// {"version":1,"request":"move","workload":"web-07","site":"dc-west","address":"172.16.2.1"}
/// {"version":1,"request":"status"}
/// {"version":1,"request":"fail-step","step":"dns"}
/// {"version":1,"request":"nft-list","site":"dc-east"}
/// {"version":1,"request":"nft-apply","site":"dc-east","batch":"add element inet lab backends { 172.16.1.1 }\n"}
/// ```
public struct LabControlRequest: Codable, Sendable, Hashable {
    public static let version = 1
    /// The requests the lab answers.
    public static let kinds = ["move", "status", "fail-step", "nft-list", "nft-apply"]

    public var version: Int
    /// One of `kinds`.
    public var request: String
    public var workload: String?
    public var site: String?
    /// For `move`: the address after the move; absent or equal to the current one keeps it.
    public var address: String?
    /// For `fail-step`: the step a runner is about to run; absent only asks which one is to fail.
    public var step: String?
    /// For `nft-apply`: the nft batch, as `apply_command` reads it on stdin.
    public var batch: String?

    public init(
        request: String,
        workload: String? = nil,
        site: String? = nil,
        address: String? = nil,
        step: String? = nil,
        batch: String? = nil
    ) {
        self.version = Self.version
        self.request = request
        self.workload = workload
        self.site = site
        self.address = address
        self.step = step
        self.batch = batch
    }

    public static func move(_ workload: String, to site: String, address: String?) -> Self {
        Self(request: "move", workload: workload, site: site, address: address)
    }

    public static let status = Self(request: "status")

    public static func failStep(_ step: String?) -> Self {
        Self(request: "fail-step", step: step)
    }

    /// The ruleset of `site`'s firewall, as `nft -j list ruleset` prints it.
    public static func listFirewall(site: String) -> Self {
        Self(request: "nft-list", site: site)
    }

    /// Applies `batch` on `site`'s firewall, all or nothing.
    public static func applyFirewall(site: String, batch: String) -> Self {
        Self(request: "nft-apply", site: site, batch: batch)
    }
}

/// The answer: one JSON object on one line, then the lab closes the connection. `ok` false carries
/// `error`; otherwise the member named after the request is set.
public struct LabControlReply: Codable, Sendable, Hashable {
    public var version: Int
    public var ok: Bool
    public var error: String?
    public var move: LabMoveReport?
    public var status: LabStatusReport?
    public var failStep: LabFailStepReport?
    /// For `nft-list`: the libnftables JSON document; for `nft-apply`, the ruleset after the batch.
    public var ruleset: String?

    public init(
        ok: Bool = true,
        error: String? = nil,
        move: LabMoveReport? = nil,
        status: LabStatusReport? = nil,
        failStep: LabFailStepReport? = nil,
        ruleset: String? = nil
    ) {
        self.version = LabControlRequest.version
        self.ok = ok
        self.error = error
        self.move = move
        self.status = status
        self.failStep = failStep
        self.ruleset = ruleset
    }

    public static func refusal(_ message: String) -> Self {
        Self(ok: false, error: message)
    }
}

/// What a move did.
public struct LabMoveReport: Codable, Sendable, Hashable {
    public var workload: String
    public var eid: String
    public var fromSite: String
    public var site: String
    public var fromAddress: String
    public var address: String
    /// `false` when it was at `site` with `address` already: nothing was done.
    public var moved: Bool
    public var mapVersion: Int

    public init(
        workload: String,
        eid: String,
        fromSite: String,
        site: String,
        fromAddress: String,
        address: String,
        moved: Bool,
        mapVersion: Int
    ) {
        self.workload = workload
        self.eid = eid
        self.fromSite = fromSite
        self.site = site
        self.fromAddress = fromAddress
        self.address = address
        self.moved = moved
        self.mapVersion = mapVersion
    }
}

/// The lab as its mover sees it; also the document `locus lab status --json` prints.
public struct LabStatusReport: Codable, Sendable, Hashable {
    public struct Site: Codable, Sendable, Hashable {
        public var name: String
        /// Workloads whose EID this site's xTR registers now.
        public var workloads: Int
    }

    /// One workload's moves asked through the control port, failed and idle ones included.
    public struct Invocations: Codable, Sendable, Hashable {
        public var workload: String
        public var count: Int
    }

    public var version: Int
    public var name: String
    public var sites: [Site]
    public var workloads: Int
    /// By workload name, for the workloads the mover was asked to move; an array rather than an object, so
    /// no key strategy ever touches a workload's name.
    public var invocations: [Invocations]
    /// Moves asked for a workload the lab does not have.
    public var unknownWorkloadInvocations: Int
    public var moveDelayMs: Int
    public var failStep: String?
    /// Whether the step to fail has been failed (its one time).
    public var failStepTaken: Bool
}

/// Whether a runner should fail the step it is about to run.
public struct LabFailStepReport: Codable, Sendable, Hashable {
    /// The step `--fail-step` names, or nil.
    public var step: String?
    /// For a request naming the step: fail it now. True once; the lab remembers it was taken.
    public var fail: Bool
    public var taken: Bool
}

/// Encoding and decoding of the control port's lines (snake_case JSON, as every Locus document).
public enum LabControlCoding {
    public static func line<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(bytes))
    }

    /// `locus lab status --json`: pretty, for people and scripts alike.
    public static func document(_ status: LabStatusReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(status) + Data("\n".utf8)
    }
}
