import Foundation
import LocusCore

/// What a libvirt connection says about one domain.
public struct LibvirtDomain: Sendable, Hashable {
    public enum State: Int32, Sendable, Hashable {
        case noState = 0
        case running = 1
        case blocked = 2
        case paused = 3
        case shuttingDown = 4
        case shutOff = 5
        case crashed = 6
        case suspended = 7

        /// As `virsh list` prints it.
        public var text: String {
            switch self {
            case .noState: "no state"
            case .running: "running"
            case .blocked: "blocked"
            case .paused: "paused"
            case .shuttingDown: "in shutdown"
            case .shutOff: "shut off"
            case .crashed: "crashed"
            case .suspended: "pmsuspended"
            }
        }
    }

    /// Where an interface address came from (`VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_*`).
    public enum AddressSource: UInt32, Sendable, Hashable, CaseIterable {
        case lease = 0
        case agent = 1
        case arp = 2

        public var text: String {
            switch self {
            case .lease: "lease"
            case .agent: "agent"
            case .arp: "arp"
            }
        }
    }

    public struct InterfaceAddress: Sendable, Hashable {
        public var mac: String?
        public var address: String
        public var prefixLength: Int

        public init(mac: String?, address: String, prefixLength: Int) {
            self.mac = mac
            self.address = address
            self.prefixLength = prefixLength
        }
    }

    public var name: String
    public var uuid: String
    public var state: State?
    /// `virDomainGetXMLDesc`.
    public var xml: String
    public var addresses: [InterfaceAddress]
    /// The first source that answered with addresses; nil when none did (or it is not running).
    public var addressSource: AddressSource?

    public init(
        name: String,
        uuid: String,
        state: State?,
        xml: String,
        addresses: [InterfaceAddress] = [],
        addressSource: AddressSource? = nil
    ) {
        self.name = name
        self.uuid = uuid
        self.state = state
        self.xml = xml
        self.addresses = addresses
        self.addressSource = addressSource
    }
}

/// What Locus reads from a domain's XML description.
struct LibvirtDomainDescription: Sendable, Hashable {
    struct Interface: Sendable, Hashable {
        var mac: String?
        /// `<source network=…>` or `<source bridge=…>`, whichever it has.
        var network: String?
        var bridge: String?
    }

    static let locusNamespace = "urn:locus:libvirt:1"

    var interfaces: [Interface] = []
    /// `<metadata><locus:workload eid=… iid=…/>`.
    var eid: String?
    var iid: String?

    /// Parses the XML `virDomainGetXMLDesc` returns; the message says what is wrong.
    static func parse(_ xml: String) -> Result<LibvirtDomainDescription, XMLSyntaxError> {
        let root: XMLNode
        switch XMLTree.parse(Data(xml.utf8)) {
        case .success(let node): root = node
        case .failure(let error): return .failure(error)
        }
        var description = LibvirtDomainDescription()
        let none: Set<String> = [""]
        for devices in root.children("devices", in: none) {
            for interface in devices.children("interface", in: none) {
                let source = interface.child("source", in: none)
                description.interfaces.append(
                    Interface(
                        mac: interface.child("mac", in: none)?.attribute("address", in: none),
                        network: source?.attribute("network", in: none),
                        bridge: source?.attribute("bridge", in: none)
                    )
                )
            }
        }
        if let workload = root.child("metadata", in: none)?.child("workload", in: [locusNamespace]) {
            description.eid = workload.attribute("eid", in: [locusNamespace])
            description.iid = workload.attribute("iid", in: [locusNamespace])
        }
        return .success(description)
    }
}

/// Turns libvirt domains into workloads. Pure.
public enum LibvirtWorkloads {
    /// The workload of `domain`, nil when it has neither an address nor a Locus EID (a shut-off
    /// domain Locus was not told about), or a problem with its metadata.
    ///
    /// The address is the first one an interface reports; a domain that is not running is watched
    /// at its metadata EID.
    public static func workload(
        _ domain: LibvirtDomain,
        uri: String,
        site: String
    ) -> Result<InventoryWorkload?, ConfigError> {
        func problem(_ message: String) -> Result<InventoryWorkload?, ConfigError> {
            .failure(ConfigError(file: uri, line: 0, message: "domain \(domain.name): \(message)"))
        }
        let description: LibvirtDomainDescription
        switch LibvirtDomainDescription.parse(domain.xml) {
        case .success(let value): description = value
        case .failure(let error):
            return problem("\(error.element): malformed XML at line \(error.line): \(error.reason)")
        }
        var eid: IPPrefix?
        if let text = description.eid {
            do {
                eid = try IPPrefix(parsing: text)
            } catch {
                return problem("metadata: locus:workload eid: \(error)")
            }
        }
        var iid: UInt32 = 0
        if let text = description.iid {
            guard let value = UInt32(text), value <= InventoryWorkload.maximumIID else {
                return problem("metadata: locus:workload iid \"\(text)\" is not an instance ID (0…16777215)")
            }
            iid = value
        }
        let reported = domain.addresses.lazy.compactMap { IPAddress($0.address) }.first
        guard let address = reported ?? eid?.address else { return .success(nil) }

        var attributes: [String: String] = ["uuid": domain.uuid, "libvirt_uri": uri]
        attributes["state"] = domain.state?.text
        attributes["address_source"] = reported != nil ? domain.addressSource?.text : "metadata eid"
        if !description.interfaces.isEmpty {
            attributes["interfaces"] = description.interfaces.map { interface in
                let attachment =
                    interface.network.map { "network \($0)" } ?? interface.bridge.map { "bridge \($0)" } ?? "unattached"
                return "\(interface.mac ?? "no mac") \(attachment)"
            }.joined(separator: ", ")
        }
        let macText =
            domain.addresses.first { IPAddress($0.address) == address }?.mac ?? description.interfaces.first?.mac
        let mac = macText.flatMap { try? MACAddress(parsing: $0.lowercased()) }
        return .success(
            InventoryWorkload(
                name: domain.name,
                eid: eid ?? IPPrefix(host: address),
                iid: iid,
                site: site,
                address: address,
                mac: mac,
                host: host(of: uri),
                attributes: attributes
            )
        )
    }

    /// The host of `qemu+ssh://host/system`; nil for a local URI.
    static func host(of uri: String) -> String? {
        guard let components = URLComponents(string: uri), let host = components.host, !host.isEmpty else {
            return nil
        }
        return host
    }
}
