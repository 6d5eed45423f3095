import LocusCore

/// The JSON form of a locator inside the store; its keys are part of the schema and never change,
/// whatever happens to `Locator`.
struct StoredLocator: Codable, Hashable {
    var address: String
    var site: String?
    var priority: UInt8
    var weight: UInt8
    var multicastPriority: UInt8
    var multicastWeight: UInt8
    var reachable: Bool
    var isLocal: Bool
    var isProbed: Bool

    enum CodingKeys: String, CodingKey {
        case address
        case site
        case priority
        case weight
        case multicastPriority = "mpriority"
        case multicastWeight = "mweight"
        case reachable
        case isLocal = "local"
        case isProbed = "probed"
    }

    init(_ locator: Locator) {
        address = locator.address
        site = locator.site
        priority = locator.priority
        weight = locator.weight
        multicastPriority = locator.multicastPriority
        multicastWeight = locator.multicastWeight
        reachable = locator.reachable
        isLocal = locator.isLocal
        isProbed = locator.isProbed
    }

    var locator: Locator {
        Locator(
            address: address,
            site: site,
            priority: priority,
            weight: weight,
            multicastPriority: multicastPriority,
            multicastWeight: multicastWeight,
            reachable: reachable,
            isLocal: isLocal,
            isProbed: isProbed
        )
    }
}
