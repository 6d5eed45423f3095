/// What an OVF descriptor (DMTF DSP0243) says about its virtual systems, as far as Locus needs it.
public struct OVFDescriptor: Sendable, Hashable {
    /// `NetworkSection` networks by name, with their descriptions.
    public var networks: [String: String]
    /// Every `VirtualSystem`, those inside a `VirtualSystemCollection` included, in document order.
    public var systems: [OVFVirtualSystem]

    public init(networks: [String: String], systems: [OVFVirtualSystem]) {
        self.networks = networks
        self.systems = systems
    }
}

/// One `VirtualSystem`.
public struct OVFVirtualSystem: Sendable, Hashable {
    /// `ovf:id`.
    public var id: String
    /// The `Name` element, else the id.
    public var name: String
    /// The `ovf:id` of the `VirtualSystemCollection` it belongs to, if any.
    public var collection: String?
    /// `OperatingSystemSection`: its description (or `ovf:id`, the CIM OS number).
    public var operatingSystem: String?
    public var cpus: Int?
    public var memoryBytes: UInt64?
    public var disks: [OVFDisk]
    public var networkCards: [OVFNetworkCard]
    public var properties: [OVFProperty]
    /// Line of the `VirtualSystem` start tag.
    public var line: Int

    public init(
        id: String,
        name: String,
        collection: String? = nil,
        operatingSystem: String? = nil,
        cpus: Int? = nil,
        memoryBytes: UInt64? = nil,
        disks: [OVFDisk] = [],
        networkCards: [OVFNetworkCard] = [],
        properties: [OVFProperty] = [],
        line: Int = 0
    ) {
        self.id = id
        self.name = name
        self.collection = collection
        self.operatingSystem = operatingSystem
        self.cpus = cpus
        self.memoryBytes = memoryBytes
        self.disks = disks
        self.networkCards = networkCards
        self.properties = properties
        self.line = line
    }
}

/// A disk (`ResourceType` 17) with the capacity its `DiskSection` entry gives, when it gives one.
public struct OVFDisk: Sendable, Hashable {
    public var name: String
    /// Nil when the capacity is a `${property}` reference or not given.
    public var capacityBytes: UInt64?

    public init(name: String, capacityBytes: UInt64?) {
        self.name = name
        self.capacityBytes = capacityBytes
    }
}

/// A network card (`ResourceType` 10).
public struct OVFNetworkCard: Sendable, Hashable {
    /// `Connection`: the `NetworkSection` network it is attached to.
    public var network: String?
    /// `Address`: its MAC, when the descriptor fixes one.
    public var mac: String?

    public init(network: String?, mac: String?) {
        self.network = network
        self.mac = mac
    }
}

/// A `ProductSection` property.
public struct OVFProperty: Sendable, Hashable {
    /// The bare `ovf:key` (`ip0`).
    public var key: String
    /// `ovf:class` and `ovf:instance` of its section; the full key is `class.key.instance`.
    public var productClass: String?
    public var instance: String?
    /// `ovf:type`: `string`, `ip`, `ip:NETWORK`, …
    public var type: String
    public var value: String?

    public init(key: String, productClass: String? = nil, instance: String? = nil, type: String, value: String?) {
        self.key = key
        self.productClass = productClass
        self.instance = instance
        self.type = type
        self.value = value
    }

    /// `class.key.instance`, as the OVF environment names it.
    public var fullKey: String {
        [productClass, key, instance].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: ".")
    }

    /// Whether `ovf:type` is `ip` or `ip:NETWORK`.
    public var isAddress: Bool { type == "ip" || type.hasPrefix("ip:") }

    /// The network of an `ip:NETWORK` property.
    public var network: String? {
        type.hasPrefix("ip:") ? String(type.dropFirst(3)) : nil
    }
}

/// A problem in one descriptor: `FILE: element: message`.
public struct OVFError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var element: String
    public var message: String

    public init(file: String, element: String, message: String) {
        self.file = file
        self.element = element
        self.message = message
    }

    public var description: String { "\(file): \(element): \(message)" }
}
