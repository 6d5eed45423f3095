import Foundation

/// Reads OVF descriptors (DSP0243 1.x and 2.x). Pure: bytes in, values or errors out.
public enum OVFParser {
    static let envelopeNamespaces: Set<String> = [
        "http://schemas.dmtf.org/ovf/envelope/1",
        "http://schemas.dmtf.org/ovf/envelope/2",
    ]
    /// Where an `Item`'s and an `EthernetPortItem`'s settings live (RASD, EPASD, SASD).
    static let settingNamespaces: Set<String> = [
        "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData",
        "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_EthernetPortAllocationSettingData",
        "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_StorageAllocationSettingData",
    ]

    private static let processorType = "3"
    private static let memoryType = "4"
    private static let networkCardType = "10"
    private static let diskType = "17"

    /// Parses one descriptor; `file` names it in errors. Every problem found is returned, each as
    /// `FILE: element: message`; systems with problems are left out of the descriptor.
    public static func parse(_ data: Data, file: String) -> (descriptor: OVFDescriptor?, errors: [OVFError]) {
        let root: XMLNode
        switch XMLTree.parse(data) {
        case .success(let node):
            root = node
        case .failure(let syntax):
            let element = syntax.element.isEmpty ? "document" : syntax.element
            return (
                nil,
                [
                    OVFError(
                        file: file,
                        element: element,
                        message: "malformed XML at line \(syntax.line): \(syntax.reason)"
                    )
                ]
            )
        }
        guard root.name == "Envelope", envelopeNamespaces.contains(root.namespace) else {
            let namespace = root.namespace.isEmpty ? "no namespace" : "namespace \(root.namespace)"
            return (
                nil,
                [
                    OVFError(
                        file: file,
                        element: root.name,
                        message: "not an OVF descriptor: the root must be Envelope in namespace"
                            + " http://schemas.dmtf.org/ovf/envelope/1 or /2 (found \(root.name) in \(namespace))"
                    )
                ]
            )
        }
        var context = Context(file: file)
        context.readReferences(root)
        var systems: [OVFVirtualSystem] = []
        context.collectSystems(in: root, collection: nil, into: &systems)
        if systems.isEmpty && context.errors.isEmpty {
            context.errors.append(
                OVFError(file: file, element: "Envelope", message: "no VirtualSystem or VirtualSystemCollection")
            )
        }
        return (OVFDescriptor(networks: context.networks, systems: systems), context.errors)
    }

    /// Bytes for a quantity in DMTF programmatic units (`byte * 2^20`, `byte * 10^3`, `byte * 1024`)
    /// or the usual words (`MB`, `MiB`, `megabytes`); nil when the units are unknown.
    public static func bytes(_ quantity: UInt64, units: String) -> UInt64? {
        let compact = units.lowercased().filter { !$0.isWhitespace }
        let words: [String: UInt64] = [
            "": 1, "byte": 1, "bytes": 1, "b": 1,
            "kb": 1 << 10, "kib": 1 << 10, "kilobyte": 1 << 10, "kilobytes": 1 << 10,
            "mb": 1 << 20, "mib": 1 << 20, "megabyte": 1 << 20, "megabytes": 1 << 20,
            "gb": 1 << 30, "gib": 1 << 30, "gigabyte": 1 << 30, "gigabytes": 1 << 30,
            "tb": 1 << 40, "tib": 1 << 40, "terabyte": 1 << 40, "terabytes": 1 << 40,
        ]
        if let factor = words[compact] {
            return quantity.multipliedReportingOverflow(by: factor).overflow ? nil : quantity * factor
        }
        guard compact.hasPrefix("byte*") else { return nil }
        let factorText = compact.dropFirst("byte*".count)
        let factor: UInt64
        if let caret = factorText.firstIndex(of: "^") {
            guard let base = UInt64(factorText[..<caret]),
                let exponent = Int(factorText[factorText.index(after: caret)...]),
                base == 2 || base == 10, exponent >= 0, exponent <= 60
            else { return nil }
            var power: UInt64 = 1
            for _ in 0..<exponent {
                let (next, overflow) = power.multipliedReportingOverflow(by: base)
                guard !overflow else { return nil }
                power = next
            }
            factor = power
        } else {
            guard let plain = UInt64(factorText), plain > 0 else { return nil }
            factor = plain
        }
        let (result, overflow) = quantity.multipliedReportingOverflow(by: factor)
        return overflow ? nil : result
    }

    /// Collects networks, disks and errors while walking one envelope.
    private struct Context {
        let file: String
        var networks: [String: String] = [:]
        var hasNetworkSection = false
        /// `DiskSection` capacities by `ovf:diskId`; nil for a `${property}` reference.
        var diskCapacities: [String: UInt64?] = [:]
        var errors: [OVFError] = []

        init(file: String) {
            self.file = file
        }

        private func attribute(_ node: XMLNode, _ name: String) -> String? {
            node.attribute(name, in: OVFParser.envelopeNamespaces)
        }

        mutating func readReferences(_ envelope: XMLNode) {
            let ovf = OVFParser.envelopeNamespaces
            for section in envelope.children("NetworkSection", in: ovf) {
                hasNetworkSection = true
                for network in section.children("Network", in: ovf) {
                    guard let name = attribute(network, "name") else {
                        fail("Network", "a network without ovf:name (line \(network.line))")
                        continue
                    }
                    networks[name] = network.child("Description", in: ovf)?.trimmedText ?? ""
                }
            }
            for section in envelope.children("DiskSection", in: ovf) {
                for disk in section.children("Disk", in: ovf) {
                    guard let id = attribute(disk, "diskId") else {
                        fail("Disk", "a disk without ovf:diskId (line \(disk.line))")
                        continue
                    }
                    guard let capacityText = attribute(disk, "capacity") else {
                        fail("Disk", "disk \(id) has no ovf:capacity")
                        continue
                    }
                    guard let capacity = UInt64(capacityText) else {
                        // `${property}`: sized at deployment.
                        diskCapacities[id] = .some(nil)
                        continue
                    }
                    let units = attribute(disk, "capacityAllocationUnits") ?? "byte"
                    guard let bytes = OVFParser.bytes(capacity, units: units) else {
                        fail("Disk", "disk \(id): unknown allocation units \"\(units)\"; use e.g. \"byte * 2^30\"")
                        continue
                    }
                    diskCapacities[id] = bytes
                }
            }
        }

        mutating func collectSystems(in parent: XMLNode, collection: String?, into systems: inout [OVFVirtualSystem]) {
            let ovf = OVFParser.envelopeNamespaces
            for child in parent.children where ovf.contains(child.namespace) {
                switch child.name {
                case "VirtualSystem":
                    if let system = virtualSystem(child, collection: collection) {
                        systems.append(system)
                    }
                case "VirtualSystemCollection":
                    guard let id = attribute(child, "id") else {
                        fail("VirtualSystemCollection", "missing ovf:id (line \(child.line))")
                        continue
                    }
                    collectSystems(in: child, collection: id, into: &systems)
                default:
                    continue
                }
            }
        }

        private mutating func fail(_ element: String, _ message: String) {
            errors.append(OVFError(file: file, element: element, message: message))
        }

        private mutating func virtualSystem(_ node: XMLNode, collection: String?) -> OVFVirtualSystem? {
            let ovf = OVFParser.envelopeNamespaces
            guard let id = attribute(node, "id"), !id.isEmpty else {
                fail("VirtualSystem", "missing ovf:id (line \(node.line))")
                return nil
            }
            let errorsBefore = errors.count
            var system = OVFVirtualSystem(id: id, name: id, collection: collection, line: node.line)
            if let name = node.child("Name", in: ovf)?.trimmedText, !name.isEmpty {
                system.name = name
            }
            if let os = node.child("OperatingSystemSection", in: ovf) {
                let description = os.child("Description", in: ovf)?.trimmedText
                system.operatingSystem = description?.isEmpty == false ? description : attribute(os, "id")
            }
            let hardware = node.children("VirtualHardwareSection", in: ovf)
            if hardware.isEmpty {
                fail("VirtualSystem", "\(id) has no VirtualHardwareSection, which every VirtualSystem must have")
                return nil
            }
            for section in hardware {
                readHardware(section, into: &system)
            }
            for section in node.children("ProductSection", in: ovf) {
                let productClass = attribute(section, "class")
                let instance = attribute(section, "instance")
                for property in section.children("Property", in: ovf) {
                    guard let key = attribute(property, "key") else {
                        fail("Property", "\(id): a property without ovf:key (line \(property.line))")
                        continue
                    }
                    system.properties.append(
                        OVFProperty(
                            key: key,
                            productClass: productClass,
                            instance: instance,
                            type: attribute(property, "type") ?? "string",
                            value: attribute(property, "value")
                        )
                    )
                }
            }
            return errors.count == errorsBefore ? system : nil
        }

        private mutating func readHardware(_ section: XMLNode, into system: inout OVFVirtualSystem) {
            let ovf = OVFParser.envelopeNamespaces
            let settings = OVFParser.settingNamespaces
            let items = section.children.filter {
                ovf.contains($0.namespace)
                    && ($0.name == "Item" || $0.name == "EthernetPortItem" || $0.name == "StorageItem")
            }
            for item in items {
                func setting(_ name: String) -> String? {
                    item.child(name, in: settings)?.trimmedText
                }
                guard let type = setting("ResourceType") else {
                    fail(item.name, "\(system.id): an item without ResourceType (line \(item.line))")
                    continue
                }
                switch type {
                case OVFParser.processorType:
                    if let count = setting("VirtualQuantity").flatMap({ Int($0) }) {
                        system.cpus = (system.cpus ?? 0) + count
                    }
                case OVFParser.memoryType:
                    guard let quantity = setting("VirtualQuantity").flatMap({ UInt64($0) }) else {
                        fail(item.name, "\(system.id): memory without a VirtualQuantity (line \(item.line))")
                        continue
                    }
                    let units = setting("AllocationUnits") ?? "byte"
                    guard let bytes = OVFParser.bytes(quantity, units: units) else {
                        fail(
                            item.name,
                            "\(system.id): memory in unknown allocation units \"\(units)\" (line \(item.line));"
                                + " use e.g. \"byte * 2^20\""
                        )
                        continue
                    }
                    system.memoryBytes = bytes
                case OVFParser.networkCardType:
                    let network = setting("Connection").flatMap { $0.isEmpty ? nil : $0 }
                    if let network, networks[network] == nil {
                        let problem =
                            hasNetworkSection
                            ? "network \"\(network)\" is not declared in NetworkSection"
                            : "connected to \"\(network)\" but the descriptor has no NetworkSection"
                        fail(item.name, "\(system.id): \(problem) (line \(item.line))")
                        continue
                    }
                    let mac = setting("Address").flatMap { $0.isEmpty ? nil : $0 }
                    system.networkCards.append(OVFNetworkCard(network: network, mac: mac))
                case OVFParser.diskType:
                    let resource = setting("HostResource") ?? ""
                    let diskID = resource.split(separator: "/").last.map(String.init) ?? resource
                    let name = setting("ElementName") ?? diskID
                    let capacity = diskCapacities[diskID] ?? nil
                    system.disks.append(OVFDisk(name: name, capacityBytes: capacity))
                default:
                    continue
                }
            }
        }
    }
}
